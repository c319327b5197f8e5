"""Exact polynomials in several variables: read from an expression, differentiate, evaluate,
and write back in the form a learner would (expanded, highest degree first).

A Poly maps a monomial, a tuple of (variable, power) pairs sorted by name, to a Fraction.
"""
from __future__ import annotations

from fractions import Fraction
from typing import Mapping

Monomial = tuple[tuple[str, int], ...]
Poly = dict[Monomial, Fraction]

MAX_TERMS = 400


class NotPolynomial(ValueError):
    """The expression uses division by a variable, a function, or a non-integer power."""


def constant(c) -> Poly:
    return {(): Fraction(c)} if c else {}


def variable(name: str) -> Poly:
    return {((name, 1),): Fraction(1)}


def plus(p: Poly, q: Poly) -> Poly:
    out = dict(p)
    for m, c in q.items():
        out[m] = out.get(m, 0) + c
    return {m: c for m, c in out.items() if c}


def scale(p: Poly, k) -> Poly:
    return {m: c * k for m, c in p.items()} if k else {}


def times(p: Poly, q: Poly) -> Poly:
    out: dict = {}
    for m1, c1 in p.items():
        for m2, c2 in q.items():
            m = _merge(m1, m2)
            out[m] = out.get(m, 0) + c1 * c2
            if len(out) > MAX_TERMS:
                raise NotPolynomial("too many terms")
    return {m: c for m, c in out.items() if c}


def power(p: Poly, n: int) -> Poly:
    out = constant(1)
    for _ in range(n):
        out = times(out, p)
    return out


def diff(p: Poly, name: str) -> Poly:
    """∂p/∂name, term by term with the power rule."""
    out: Poly = {}
    for m, c in p.items():
        for i, (v, k) in enumerate(m):
            if v == name:       # lowering one power keeps m sorted, and distinct terms distinct
                out[m[:i] + ((v, k - 1),) + m[i + 1:] if k > 1 else m[:i] + m[i + 1:]] = c * k
                break
    return {m: c for m, c in out.items() if c}


def evaluate(p: Poly, point: Mapping[str, Fraction]) -> Fraction:
    total = Fraction(0)
    for m, c in p.items():
        term = c
        for v, e in m:
            x = point[v]
            term *= (x if type(x) is Fraction else Fraction(x)) ** e
        total += term
    return total


def names(p: Poly) -> set[str]:
    return {v for m in p for v, _ in m}


def from_expr(node) -> Poly:
    """A grader Expr as a Poly, or NotPolynomial."""
    op, args = node.op, node.args
    if op == "num":
        return constant(args[0])
    if op == "sym":
        return variable(args[0])
    if op == "add":
        out: Poly = {}
        for a in args:
            out = plus(out, from_expr(a))
        return out
    if op == "mul":
        out = constant(1)
        for a in args:
            out = times(out, from_expr(a))
        return out
    if op == "neg":
        return scale(from_expr(args[0]), -1)
    if op == "inv":
        inner = from_expr(args[0])
        if names(inner) or not inner:
            raise NotPolynomial("division by an expression with variables")
        return constant(1 / inner[()])
    if op == "pow":
        exponent = from_expr(args[1])
        if names(exponent) or (exponent and (exponent.get((), 0).denominator != 1 or exponent[()] < 0)):
            raise NotPolynomial("a power that is not a whole number")
        return power(from_expr(args[0]), int(exponent.get((), 0)))
    raise NotPolynomial(f"{args[0] if op in ('fn', 'const') else op} is not polynomial")


def to_text(p: Poly, order: tuple[str, ...] = (), times: str = "*") -> str:
    """'2*w*x^2 + 2*b*x - 2*x*y': highest degree first, variables in `order` then by name.
    With times="" it reads as people write it: 2wx^2 + 2bx - 2xy."""
    if not p:
        return "0"
    rank = {v: i for i, v in enumerate(order)}
    text = ""
    for m in ordered(p, order):
        c = p[m]
        body = times.join(v if e == 1 else f"{v}^{e}" for v, e in _ordered(m, rank))
        size = abs(c)
        number = f"({size})" if size.denominator != 1 and body else str(size)
        term = body if size == 1 and body else f"{number}{times}{body}" if body else number
        sign = "-" if c < 0 else "+"
        text = (f"-{term}" if sign == "-" else term) if not text else f"{text} {sign} {term}"
    return text


def ordered(p: Poly, order: tuple[str, ...] = ()) -> list[Monomial]:
    """The monomials as to_text writes them: highest degree first."""
    rank = {v: i for i, v in enumerate(order)}
    return sorted(p, key=lambda m: (-sum(e for _, e in m),
                                    [(rank.get(v, len(rank)), v, -e) for v, e in _ordered(m, rank)]))


def _ordered(m: Monomial, rank) -> list[tuple[str, int]]:
    return sorted(m, key=lambda ve: (rank.get(ve[0], len(rank)), ve[0]))


def _merge(a: Monomial, b: Monomial) -> Monomial:
    powers = dict(a)
    for v, e in b:
        powers[v] = powers.get(v, 0) + e
    return tuple(sorted(powers.items()))
