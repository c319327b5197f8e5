"""Reference solvers: every answer drills shows comes from here.

rational.py holds exact linear algebra for hand-sized problems; backend.py, regression.py and
descent.py the numeric solvers that also run on real data, on NumPy or CuPy.
"""
