"""Expression equivalence against SymPy on the labelled pair corpus: checks per second, median
and worst time per pair, and accuracy against the labels, all measured in the same run.

    python -m bench.equivalence [--cap 1.0] [--pairs tests/data/expression_pairs.txt]

Every side is read before the clock starts: ours with read_expression, SymPy's with its own
parser (implicit products, ^ as power, decimals as exact rationals, symbols declared real).
Timed, after a warm-up and with SymPy already imported (the engine falls back to it when sampling
cannot decide): grader.expression.compare on the read trees (and once more from text),
`sympy.simplify(a - b) == 0` and `a.equals(b)`. Each SymPy call gets --cap seconds per pair
(SIGALRM); one that runs past it counts as a timeout and is charged the cap, so SymPy's totals
are lower bounds.
"""
from __future__ import annotations

import argparse
import importlib
import re
import signal
import statistics
import time
from pathlib import Path

from bench import timed
from grader.expression import Outcome, compare, read_expression

PAIRS = Path(__file__).resolve().parents[1] / "tests" / "data" / "expression_pairs.txt"
FUNCTIONS = {"exp": "exp", "log": "log", "ln": "log", "sqrt": "sqrt", "abs": "Abs", "sin": "sin",
             "cos": "cos", "tan": "tan", "sinh": "sinh", "cosh": "cosh", "tanh": "tanh",
             "asin": "asin", "arcsin": "asin", "acos": "acos", "arccos": "acos", "atan": "atan",
             "arctan": "atan", "asinh": "asinh", "acosh": "acosh", "atanh": "atanh"}
GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "kappa", "lambda",
         "mu", "nu", "xi", "rho", "sigma", "tau", "phi", "chi", "psi", "omega"}
_SUPERSCRIPT = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-"))
_SUBSCRIPT = dict(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789"))
_WORD = re.compile(r"[A-Za-z]+(?:_[A-Za-z0-9]+|\d+)?")
EQUAL, DIFFERENT, UNDECIDED, TIMEOUT, ERROR = "equal", "different", "undecided", "timeout", "error"


def load_pairs(path: Path = PAIRS) -> list[tuple[int, str, str, str, str]]:
    """(line, a, b, label, category) for every `a ;; b ;; equal|different  # category` line
    (tests/test_expressions.py reads the corpus with it too)."""
    pairs = []
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        body, _, category = line.partition("#")
        a, b, label = (part.strip() for part in body.split(";;"))
        if label not in (EQUAL, DIFFERENT):
            raise ValueError(f"{path}, line {lineno}: the label is {label!r}, not equal or different")
        pairs.append((lineno, a, b, label, category.strip()))
    return pairs


def sympy_text(text: str) -> tuple[str, set[str]]:
    """The corpus syntax as text for sympy's parser, and the names of its variables: unicode
    operators and scripts spelled out, w1 and w₁ as w_1, other words split into letters unless
    they name a function, a Greek letter, e or pi."""
    text = text.replace("−", "-").replace("×", "*").replace("·", "*").replace("π", " pi ")
    text = re.sub("[₀-₉]+", lambda m: "_" + "".join(_SUBSCRIPT[c] for c in m[0]), text)
    text = re.sub("[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+", lambda m: "^(" + "".join(_SUPERSCRIPT[c] for c in m[0]) + ")", text)
    names: set[str] = set()

    def word(match: re.Match) -> str:
        w = match[0]
        if w in FUNCTIONS:
            return FUNCTIONS[w]
        if w == "pi":
            return " pi "
        if w in GREEK:
            names.add("lamda" if w == "lambda" else w)
            return " lamda " if w == "lambda" else f" {w} "
        head = re.match(r"[A-Za-z]+", w)[0]
        if w != head:                                   # w1, w_1, x_i: one variable
            name = w if "_" in w else f"{head}_{w[len(head):]}"
            names.add(name)
            return f" {name} "
        letters = ["E" if c == "e" else c for c in w]
        names.update(c for c in letters if c != "E")
        return " " + " ".join(letters) + " "

    return _WORD.sub(word, text), names


def sympy_reader():
    import sympy
    from sympy.parsing.sympy_parser import (convert_xor, implicit_multiplication_application,
                                            parse_expr, rationalize, standard_transformations)
    transformations = standard_transformations + (implicit_multiplication_application,
                                                  convert_xor, rationalize)
    functions = {name: getattr(sympy, name) for name in set(FUNCTIONS.values())}

    def read(text: str):
        spelled, names = sympy_text(text)
        local = {**functions, "E": sympy.E, "pi": sympy.pi,
                 **{n: sympy.Symbol(n, real=True) for n in names}}
        return parse_expr(spelled, local_dict=local, transformations=transformations)

    return sympy, read


class _Timeout(BaseException):
    """Raised by SIGALRM inside a SymPy call (BaseException: SymPy's `except Exception` can't eat it)."""


def capped(fn, cap: float) -> tuple[object, float]:
    """fn()'s result and seconds, TIMEOUT (charged the cap) if it ran past `cap`, ERROR if it raised."""
    def ring(signum, frame):
        raise _Timeout
    previous = signal.signal(signal.SIGALRM, ring)
    start = time.perf_counter()
    try:
        signal.setitimer(signal.ITIMER_REAL, cap)
        try:
            result = fn()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        return result, time.perf_counter() - start
    except _Timeout:
        return TIMEOUT, cap
    except Exception:                                   # SymPy gave up with an error
        return ERROR, time.perf_counter() - start
    finally:
        signal.signal(signal.SIGALRM, previous)


def row(name: str, results: list[tuple[str, float]], labels: list[str]) -> dict:
    seconds = [s for _, s in results]
    verdicts = [v for v, _ in results]
    return {"name": name, "total": sum(seconds), "median": statistics.median(seconds),
            "worst": max(seconds), "n": len(seconds),
            "right": sum(v == label for v, label in zip(verdicts, labels)),
            "false+": sum(v == EQUAL and label == DIFFERENT for v, label in zip(verdicts, labels)),
            "false-": sum(v == DIFFERENT and label == EQUAL for v, label in zip(verdicts, labels)),
            "undecided": verdicts.count(UNDECIDED),
            "timeout/error": verdicts.count(TIMEOUT) + verdicts.count(ERROR)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=Path, default=PAIRS)
    parser.add_argument("--cap", type=float, default=1.0, help="seconds per SymPy call")
    args = parser.parse_args()
    pairs = load_pairs(args.pairs)
    labels = [label for _, _, _, label, _ in pairs]
    ours = {Outcome.EQUAL: EQUAL, Outcome.DIFFERENT: DIFFERENT, Outcome.UNDECIDED: UNDECIDED}

    importlib.import_module("sympy")     # now, so a fallback to it is not charged the import
    for a, b in (("x+1", "1+x"), ("sin(t)^2", "1 - cos(t)^2"), ("2u(v+1)", "2uv + 2u")):
        compare(a, b)                                   # warm-up, on pairs not in the corpus
    trees = [(read_expression(a), read_expression(b)) for _, a, b, _, _ in pairs]
    rows = []
    results = []
    for a, b in trees:
        verdict, seconds = timed(lambda: compare(a, b))
        results.append((ours[verdict], seconds))
    rows.append(row("grader compare (read trees)", results, labels))
    results = []
    for _, a, b, _, _ in pairs:
        verdict, seconds = timed(lambda: compare(a, b))
        results.append((ours[verdict], seconds))
    rows.append(row("grader compare (from text)", results, labels))

    start = time.perf_counter()
    sympy, read = sympy_reader()
    sides = [(read(a), read(b)) for _, a, b, _, _ in pairs]
    print(f"(SymPy {sympy.__version__}: import and reading {len(pairs)} pairs took "
          f"{time.perf_counter() - start:.1f} s, outside the timings)")
    methods = {"sympy simplify(a-b) == 0":
                   lambda a, b: EQUAL if sympy.simplify(a - b) == 0 else DIFFERENT,
               "sympy a.equals(b)":
                   lambda a, b: {True: EQUAL, False: DIFFERENT}.get(a.equals(b), UNDECIDED)}
    for name, method in methods.items():
        sympy.core.cache.clear_cache()
        rows.append(row(name, [capped(lambda: method(a, b), args.cap) for a, b in sides], labels))

    n = len(pairs)
    print(f"\n{n} pairs ({labels.count(EQUAL)} equal, {labels.count(DIFFERENT)} different), "
          f"SymPy capped at {args.cap:g} s a call")
    print(f"  {'method':<28}{'checks/s':>10}{'median ms':>11}{'worst ms':>10}{'right':>7}"
          f"{'false+':>8}{'false-':>8}{'undecided':>11}{'timeout/err':>13}")
    for r in rows:
        print(f"  {r['name']:<28}{r['n'] / r['total']:>10.1f}{r['median'] * 1e3:>11.2f}"
              f"{r['worst'] * 1e3:>10.1f}{r['right']:>7}{r['false+']:>8}{r['false-']:>8}"
              f"{r['undecided']:>11}{r['timeout/error']:>13}")
    base = rows[0]
    print(f"\n  {'vs grader compare (read trees)':<34}{'total time':>12}{'median':>10}")
    for r in rows[1:]:
        print(f"  {r['name']:<34}{r['total'] / base['total']:>11.1f}×{r['median'] / base['median']:>9.1f}×")


if __name__ == "__main__":
    main()
