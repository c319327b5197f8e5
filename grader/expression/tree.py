"""Expression trees: what the parser builds, evaluated exactly where it can be and with 50
significant digits (mpmath, not SymPy) where it must: sqrt, exp, log, trig.

Subtraction is addition of a negation and division is multiplication by an inverse, so a
tree has few kinds of node and `add`/`mul` are flat.
"""
from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Union

import mpmath

from grader.reference.rational import rational_sqrt

MP = mpmath.MPContext()      # a private context: SymPy's mpmath precision stays untouched
MP.dps = 50
Number = Union[Fraction, "mpmath.mpf"]

CONSTANTS = {"e": MP.e, "pi": MP.pi}
MAX_BITS = 4096            # exact arithmetic past this many bits continues approximately
HUGE = MP.mpf(10) ** 300   # beyond this an approximate value counts as an overflow


class Undefined(ArithmeticError):
    """The expression has no real value at this point (log of a negative, 1/0, overflow)."""


_NO_NAMES = frozenset()


class _cached:
    """functools.cached_property without the lock that Python 3.11 takes on each first read
    (3.12 dropped it): trees are read once, by one thread, and grading builds many."""

    def __init__(self, func):
        self.func, self.name, self.__doc__ = func, func.__name__, func.__doc__

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)   # read from there from now on
        return value


@dataclass(frozen=True)
class Expr:
    """op is num, sym, const, add, mul, neg, inv, pow or fn; args holds children or the leaf."""

    op: str
    args: tuple

    def names(self) -> frozenset[str]:
        """The variables (not constants) the expression uses."""
        return self._names

    @_cached
    def _names(self) -> frozenset[str]:
        op, args = self.op, self.args
        if op == "sym":
            return frozenset(args)
        if op in ("num", "const"):
            return _NO_NAMES
        if op == "fn":
            return args[1]._names
        return args[0]._names.union(*[a._names for a in args[1:]])

    def evaluate(self, env: dict[str, Number]) -> Number:
        """The value at `env`: a Fraction while every step is rational, else a 50-digit mpf."""
        return _EVAL[self.op](self, env)

    def __str__(self) -> str:
        return _text(self, 0, False)

    def display(self) -> str:
        """As people write it: 2x(wx + b) rather than 2*x*(w*x + b)."""
        return _text(self, 0, True)

    @_cached
    def modular(self):
        """The node as a function of residues mod a prime, or None when it is not a rational
        function (grader.expression.modular); compiled once, on first use."""
        from grader.expression.modular import compile_residue
        return compile_residue(self)


def num(value) -> Expr:
    return Expr("num", (value if isinstance(value, Fraction) else Fraction(value),))


def sym(name: str) -> Expr:
    return Expr("sym", (name,))


def add(*terms: Expr) -> Expr:
    flat = [t for term in terms for t in (term.args if term.op == "add" else (term,))]
    return flat[0] if len(flat) == 1 else Expr("add", tuple(flat))


def mul(*factors: Expr) -> Expr:
    flat = [f for factor in factors for f in (factor.args if factor.op == "mul" else (factor,))]
    return flat[0] if len(flat) == 1 else Expr("mul", tuple(flat))


def neg(x: Expr) -> Expr:
    return Expr("neg", (x,))


def inv(x: Expr) -> Expr:
    return Expr("inv", (x,))


def power(base: Expr, exponent: Expr) -> Expr:
    return Expr("pow", (base, exponent))


def call(name: str, arg: Expr) -> Expr:
    return Expr("fn", (name, arg))


# --- evaluation -----------------------------------------------------------------------------

def approx(x: Number):
    """The number at 50 digits."""
    return MP.mpf(x.numerator) / x.denominator if isinstance(x, Fraction) else x


def _real(x):
    if not isinstance(x, MP.mpf) or not MP.isfinite(x) or abs(x) > HUGE:
        raise Undefined
    return x


def _bits(x: Fraction) -> int:
    return x.numerator.bit_length() + x.denominator.bit_length()


def _pow(base: Number, exponent: Number) -> Number:
    if isinstance(exponent, Fraction) and exponent.denominator == 1:
        n = int(exponent)
        if base == 0 and n < 0:
            raise Undefined
        if isinstance(base, Fraction) and _bits(base) * abs(n) <= MAX_BITS:
            return base ** n
        return _real(approx(base) ** n)
    if base < 0 or (base == 0 and exponent < 0):
        raise Undefined                      # no real value (x^(1/2) of a negative)
    if isinstance(exponent, Fraction) and exponent.denominator == 2 and isinstance(base, Fraction):
        root = rational_sqrt(base)
        if root is not None:
            return _pow(root, Fraction(exponent.numerator))
    if base == 0:
        return Fraction(0)
    return _real(MP.power(approx(base), approx(exponent)))


def _sqrt(x: Number) -> Number:
    if x < 0:
        raise Undefined
    if isinstance(x, Fraction) and (root := rational_sqrt(x)) is not None:
        return root
    return MP.sqrt(approx(x))


def _log(x: Number) -> Number:
    if x <= 0:
        raise Undefined
    return Fraction(0) if x == 1 else MP.log(approx(x))


def _within(low, high, name, closed=True):
    """A function defined on [low, high] (or the open interval)."""
    def f(x):
        if x < low or x > high or (not closed and x in (low, high)):
            raise Undefined
        return getattr(MP, name)(approx(x))
    return f


def _mp(name):
    return lambda x: getattr(MP, name)(approx(x))


FUNCTIONS = {
    "exp": _mp("exp"), "log": _log, "sqrt": _sqrt, "abs": abs,
    "sin": _mp("sin"), "cos": _mp("cos"), "tan": _mp("tan"),
    "sinh": _mp("sinh"), "cosh": _mp("cosh"), "tanh": _mp("tanh"),
    "asin": _within(-1, 1, "asin"), "acos": _within(-1, 1, "acos"), "atan": _mp("atan"),
    "asinh": _mp("asinh"), "acosh": _within(1, 10**300, "acosh"), "atanh": _within(-1, 1, "atanh", closed=False),
}


def _fn(node: Expr, env) -> Number:
    name, arg = node.args
    x = arg.evaluate(env)
    if name == "abs" or (x == 0 and name in ("sin", "tan", "sinh", "tanh", "asin", "atan", "asinh", "atanh")):
        return abs(x) if name == "abs" else Fraction(0)
    if name in ("exp", "sinh", "cosh") and abs(x) > 690:
        raise Undefined                      # e^690 is about 10^300: an overflow
    value = FUNCTIONS[name](x)
    return value if isinstance(value, Fraction) else _real(value)


def _sum(node: Expr, env) -> Number:
    first, *rest = node.args
    total = _bounded(first.evaluate(env))
    for term in rest:
        total = _combine(total, term.evaluate(env), operator.add)
    return total


def _product(node: Expr, env) -> Number:
    first, *rest = node.args
    total = _bounded(first.evaluate(env))
    for factor in rest:
        total = _combine(total, factor.evaluate(env), operator.mul)
    return total


def _combine(a: Number, b: Number, op) -> Number:
    if isinstance(a, Fraction) and isinstance(b, Fraction):
        return _bounded(op(a, b))
    return _real(op(approx(a), approx(b)))


def _bounded(x: Number) -> Number:
    """x, or past MAX_BITS its approximation: exact arithmetic stops there."""
    return x if not isinstance(x, Fraction) or _bits(x) <= MAX_BITS else _real(approx(x))


def _inverse(node: Expr, env) -> Number:
    x = node.args[0].evaluate(env)
    if x == 0:
        raise Undefined
    return 1 / x if isinstance(x, Fraction) else _real(1 / x)


_EVAL = {
    "num": lambda node, env: node.args[0],
    "sym": lambda node, env: env[node.args[0]],
    "const": lambda node, env: CONSTANTS[node.args[0]],
    "add": _sum,
    "mul": _product,
    "neg": lambda node, env: -node.args[0].evaluate(env),
    "inv": _inverse,
    "pow": lambda node, env: _pow(node.args[0].evaluate(env), node.args[1].evaluate(env)),
    "fn": _fn,
}


# --- text -----------------------------------------------------------------------------------

_ENDS_IN_FRACTION = re.compile(r"/\w+$")
_PRECEDENCE = {"add": 1, "neg": 2, "mul": 2, "inv": 2, "pow": 4}


def _text(node: Expr, outer: int, implicit: bool) -> str:
    """Plain text a learner can read and type back, with only the parentheses needed."""
    op, args = node.op, node.args
    if op == "num":
        value = args[0]
        text = str(value)
        return f"({text})" if outer > 1 and (value < 0 or value.denominator != 1) else text
    if op in ("sym", "const"):
        return args[0]
    if op == "fn":
        return f"{args[0]}({_text(args[1], 0, implicit)})"
    if op == "add":
        text = _text(args[0], 1, implicit)
        for term in args[1:]:
            text += f" - {_text(term.args[0], 2, implicit)}" if term.op == "neg" else f" + {_text(term, 1, implicit)}"
    elif op == "mul":
        first = args[0]
        text = f"-{_text(first.args[0], 3, implicit)}" if first.op == "neg" else _text(first, 2, implicit)
        for factor in args[1:]:
            if factor.op == "inv":
                text += f"/{_text(factor.args[0], 3, implicit)}"
                continue
            right = _text(factor, 2, implicit)
            juxtapose = implicit and (right[0].isalpha() or right[0] == "(") and not _ENDS_IN_FRACTION.search(text)
            text += right if juxtapose else f"*{right}"
    elif op == "neg":
        text = f"-{_text(args[0], 3, implicit)}"
    elif op == "inv":
        text = f"1/{_text(args[0], 3, implicit)}"
    else:
        text = f"{_text(args[0], 5, implicit)}^{_text(args[1], 4, implicit)}"
    signed = op == "neg" or text.startswith("-")
    return f"({text})" if _PRECEDENCE[op] < outer or (signed and outer > 1) else text
