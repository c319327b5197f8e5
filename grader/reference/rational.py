"""Exact linear algebra on small matrices of Fractions: the truth behind hand-sized problems.

Matrices are lists of rows, vectors are flat lists; entries are anything Fraction() accepts.
"""
from __future__ import annotations

from fractions import Fraction
from math import isqrt, lcm
from operator import mul

Matrix = list[list[Fraction]]
Vector = list[Fraction]


def exact(value):
    """Fractions all the way down (floats through their shortest decimal: 0.1 is 1/10)."""
    if isinstance(value, (list, tuple)):
        return [exact(v) for v in value]
    if isinstance(value, float):                 # NumPy's too: repr(np.float64(0.1)) is 'np.float64(0.1)'
        return Fraction(repr(float(value)))
    return Fraction(value)


def shape(A: Matrix) -> tuple[int, int]:
    return len(A), len(A[0])


def transpose(A: Matrix) -> Matrix:
    return [list(col) for col in zip(*A)]


def matmul(A: Matrix, B: Matrix) -> Matrix:
    """A·B; raises ValueError when the inner dimensions differ."""
    if len(A[0]) != len(B):
        raise ValueError(f"A has {len(A[0])} columns but B has {len(B)} rows")
    if (a := as_integers(A)) and (b := as_integers(B)):
        (N, d), (M, e) = a, b
        cols, de = list(zip(*M)), d * e
        if de == 1:
            return [[Fraction(sum(map(mul, row, col))) for col in cols] for row in N]
        return [[Fraction(sum(map(mul, row, col)), de) for col in cols] for row in N]
    cols = transpose(B)
    return [[sum((a * b for a, b in zip(row, col)), Fraction(0)) for col in cols] for row in A]


_WHOLE, _EXACT = {int}, {int, Fraction}


def as_integers(A: Matrix) -> tuple[Matrix, int] | None:
    """(N, d) with A = N/d, N whole numbers and d their common denominator, when every entry is
    an int or a Fraction; else None. N is A itself when A holds ints only: read it, never change it.

    Arithmetic on N in ints is many times faster than on A in Fractions (hand-sized problems
    are mostly whole numbers, d = 1), and the results are the same Fractions.
    """
    types = {type(x) for row in A for x in row}
    if types == _WHOLE:
        return A, 1
    if not types <= _EXACT:
        return None
    d = lcm(*[x.denominator for row in A for x in row])
    if d == 1:
        return [[x.numerator for x in row] for row in A], 1
    return [[x.numerator * (d // x.denominator) for x in row] for row in A], d


def matvec(A: Matrix, x: Vector) -> Vector:
    """A·x; raises ValueError when A's columns and x's entries differ in number."""
    if len(A[0]) != len(x):
        raise ValueError(f"A has {len(A[0])} columns but x has {len(x)} entries")
    if (a := as_integers(A)) and (b := as_integers([x])):
        (N, d), ((v,), e) = a, b
        if d * e == 1:
            return [Fraction(sum(map(mul, row, v))) for row in N]
        return [Fraction(sum(map(mul, row, v)), d * e) for row in N]
    return [sum((a * b for a, b in zip(row, x)), Fraction(0)) for row in A]


def hadamard(A: Matrix, B: Matrix) -> Matrix:
    """Entry-by-entry product (the classic wrong route for A·B)."""
    return [[a * b for a, b in zip(ra, rb)] for ra, rb in zip(A, B)]


def scale(c, A):
    """c·A for a matrix or a vector."""
    return [scale(c, v) for v in A] if isinstance(A, list) else c * A


def minor(A: Matrix, i: int, j: int) -> Matrix:
    return [row[:j] + row[j + 1:] for k, row in enumerate(A) if k != i]


def det(A: Matrix) -> Fraction:
    """Determinant by Laplace expansion (matrices here are at most 4×4)."""
    n = len(A)
    if any(len(row) != n for row in A):
        raise ValueError("the determinant needs a square matrix")
    if integral := as_integers(A):
        N, d = integral
        return Fraction(whole_det(N), d ** n)
    if n == 1:
        return Fraction(A[0][0])
    return sum(((-1) ** j * A[0][j] * det(minor(A, 0, j)) for j in range(n)), Fraction(0))


def whole_det(A: list[list[int]]) -> int:
    """det A of a square matrix of ints, in int arithmetic: closed forms up to 3×3, else Laplace."""
    n = len(A)
    if n <= 2:
        return A[0][0] if n == 1 else A[0][0] * A[1][1] - A[0][1] * A[1][0]
    if n == 3:
        (a, b, c), (d, e, f), (g, h, i) = A
        return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g)
    return sum((-1) ** j * A[0][j] * whole_det(minor(A, 0, j)) for j in range(n))


def whole_cofactors(A: list[list[int]]) -> list[list[int]]:
    """The cofactor matrix of a square matrix of ints, C[i][j] = (−1)^(i+j)·det(minor(i, j)), in
    int arithmetic (closed forms up to 3×3); for 1×1, [[1]]."""
    n = len(A)
    if n <= 2:
        return [[1]] if n == 1 else [[A[1][1], -A[1][0]], [-A[0][1], A[0][0]]]
    if n == 3:
        (a, b, c), (d, e, f), (g, h, i) = A
        return [[e * i - f * h, f * g - d * i, d * h - e * g],
                [c * h - b * i, a * i - c * g, b * g - a * h],
                [b * f - c * e, c * d - a * f, a * e - b * d]]
    return [[(-1) ** (i + j) * whole_det(minor(A, i, j)) for j in range(n)] for i in range(n)]


def whole_adjugate(A: list[list[int]]) -> list[list[int]]:
    """adj A of a square matrix of ints, in int arithmetic: A·adj A = det A·I."""
    return transpose(whole_cofactors(A))


def cofactors(A: Matrix) -> Matrix:
    """C[i][j] = (-1)^(i+j) · det(minor(i, j)); for 1×1, [[1]]."""
    n = len(A)
    if integral := as_integers(A):
        N, d = integral
        common = d ** (n - 1)
        return [[Fraction(c, common) for c in row] for row in whole_cofactors(N)]
    if n == 1:
        return [[Fraction(1)]]
    return [[(-1) ** (i + j) * det(minor(A, i, j)) for j in range(n)] for i in range(n)]


def adjugate(A: Matrix) -> Matrix:
    return transpose(cofactors(A))


def inverse(A: Matrix) -> Matrix | None:
    """A⁻¹, or None when A is singular."""
    d = det(A)
    return None if d == 0 else scale(1 / d, adjugate(A))


def solve(A: Matrix, b: Vector) -> Vector | None:
    """x with A·x = b, or None when A is singular."""
    inv = inverse(A)
    return None if inv is None else matvec(inv, b)


def rank(A: Matrix) -> int:
    """Rank by exact row reduction."""
    rows = [list(r) for r in A]
    r = 0
    for c in range(len(rows[0])):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        for i in range(r + 1, len(rows)):
            f = rows[i][c] / rows[r][c]
            rows[i] = [x - f * y for x, y in zip(rows[i], rows[r])]
        r += 1
    return r


def rational_sqrt(x) -> Fraction | None:
    """√x when it is rational, else None."""
    x = Fraction(x)
    if x < 0:
        return None
    n, d = isqrt(x.numerator), isqrt(x.denominator)
    return Fraction(n, d) if n * n == x.numerator and d * d == x.denominator else None
