"""Rational functions evaluated modulo a large prime: exact like Fractions, at the cost of
machine-sized integers.

Reduction mod P maps the rationals whose denominators P does not divide onto the integers
mod P, keeping sums, products and inverses; so two values that differ mod P differ, and two
different rational functions agree at a point only where their difference has a root, or a
numerator divisible by P: about one chance in 2⁶¹ at a random point, but a sure thing for a
constant made to be a multiple of P (x + P reads as x), which is why equivalence.sample
confirms an agreement once as Fractions, and evaluates as Fractions where a denominator is a
multiple of P. (As on the Fraction path, an answer built to vanish at the seeded points, here
P·(x − x₁) with x₁ the first of them, can still pass: seeded sampling is public.) Only
expressions built from numbers, variables, +, −, ×, ÷ and whole constant powers have such a
value; the others return None.
"""
from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from operator import itemgetter

from grader.expression.tree import Expr, Undefined

P = 2**61 - 1                            # a Mersenne prime

Residue = Callable[[dict[str, int]], int]


def residue(x: Fraction) -> int:
    """x mod P, for x whose denominator P does not divide."""
    return x.numerator * pow(x.denominator, -1, P) % P


def compile_residue(node: Expr) -> Residue | None:
    """A function from a point's residues ({name: int}) to the node's residue, raising
    Undefined where a denominator vanishes; None when the node is not a rational function.
    Children are compiled here, not through their own (cached) Expr.modular: only roots are sampled."""
    op, args = node.op, node.args
    if op == "num":
        x = args[0]
        if x.denominator % P == 0 or (x.numerator and x.numerator % P == 0):
            return None                  # a number that mod P would read as 0 or 1/0: exact only
        value = residue(x)
        return lambda point: value
    if op == "sym":
        return itemgetter(args[0])
    if op == "pow":
        return _power(compile_residue(args[0]), args[1])
    if op not in ("add", "mul", "neg", "inv"):
        return None                      # constants and functions (e, π, exp, sqrt, |x|)
    inner = [compile_residue(a) for a in args]
    if None in inner:
        return None
    if op == "neg":
        (f,) = inner
        return lambda point: -f(point) % P
    if op == "inv":
        (f,) = inner
        return lambda point: _inverse(f(point))
    # Terms (factors) without variables are reduced once, here, rather than at every point.
    varying, fixed = [], []
    for f, a in zip(inner, args):
        (varying if a.names() else fixed).append(f)
    try:
        start = sum(f({}) for f in fixed) % P if op == "add" else _product(fixed, {})
    except Undefined:                    # a 1/0 left to raise at every point
        varying, start = inner, 0 if op == "add" else 1
    if op == "add":
        return lambda point: (start + sum([f(point) for f in varying])) % P
    return lambda point: _product(varying, point, start)


def _product(factors: list[Residue], point, value: int = 1) -> int:
    for f in factors:
        value = value * f(point) % P
    return value


def _inverse(x: int) -> int:
    if x == 0:
        raise Undefined
    return pow(x, -1, P)


def _power(base: Residue | None, exponent: Expr) -> Residue | None:
    """base^n for a constant whole n; anything else (x^y, x^(1/2)) is no rational function."""
    if base is None or exponent.names():
        return None
    try:
        n = exponent.evaluate({})
    except Undefined:
        return None
    if not isinstance(n, Fraction) or n.denominator != 1:
        return None
    n = int(n)
    if n >= 0:
        return lambda point: pow(base(point), n, P)
    return lambda point: pow(_inverse(base(point)), -n, P)
