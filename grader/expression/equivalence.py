"""Are two expressions equal as real functions? Sample first, exactly where possible; ask
SymPy, under a deadline, only when sampling cannot settle it.

Equal means equal wherever both sides are defined (log(ab) and log a + log b agree for
a, b > 0), so sampling draws points of both signs and retries where a side is undefined.
"""
from __future__ import annotations

import random
from enum import Enum
from fractions import Fraction
from functools import lru_cache

from grader.expression.modular import residue
from grader.expression.syntax import read_expression
from grader.expression.tree import Expr, Undefined, approx

POINTS = 8                  # agreeing points needed to call two expressions equal
TRIES = 80                  # points drawn before giving up on finding enough defined ones
AGREE = 1e-40               # relative error of 50-digit arithmetic still counted as agreement
DISAGREE = 1e-25            # relative difference that is certainly not rounding
SEED = 20261122


class Outcome(str, Enum):
    EQUAL = "equal"
    DIFFERENT = "different"
    UNDECIDED = "undecided"


def compare(a: str | Expr, b: str | Expr, seconds: float = 1.0) -> Outcome:
    """EQUAL, DIFFERENT or UNDECIDED; raises AnswerError for text that cannot be read."""
    a = a if isinstance(a, Expr) else read_expression(a)
    b = b if isinstance(b, Expr) else read_expression(b)
    outcome = sample(a, b)
    if outcome is Outcome.UNDECIDED:
        from grader.expression.symbolic import confirm
        outcome = confirm(a, b, seconds)
    return outcome


def sample(a: Expr, b: Expr) -> Outcome:
    """Decide by evaluation at seeded random points, or say it cannot. Two rational functions
    are evaluated mod a prime (exact and cheap), anything else as Fractions or 50-digit floats."""
    modular = a.modular is not None and b.modular is not None
    confirmed = False                   # an agreement mod P seen to hold as Fractions too
    agreed = unclear = misses = 0
    only = [0, 0]                       # points where only a (only b) is defined
    for point, residues in _points(tuple(sorted(a.names() | b.names()))):
        x, y = (_value(a.modular, residues), _value(b.modular, residues)) if modular else (None, None)
        if x is None or y is None or (x == y and not confirmed):
            # As Fractions or at 50 digits: off the modular path, and on it for the first
            # agreement (mod P a constant made to be a multiple of P reads as 0) and where a
            # side has no residue (a pole, or a denominator that is a multiple of P).
            x, y = _value(a.evaluate, point), _value(b.evaluate, point)
            if x is None or y is None:
                if (x is None) != (y is None):
                    only[x is None] += 1
                continue
            verdict = _agree(x, y, a, b, point)
            confirmed = confirmed or verdict is True
        else:
            verdict = x == y
        if verdict is True:
            agreed += 1
        elif verdict is False:
            if _exact(x) and _exact(y):
                return Outcome.DIFFERENT          # exact arithmetic does not round
            misses += 1
            if misses >= 2:
                return Outcome.DIFFERENT
        else:
            unclear += 1
        if agreed >= POINTS and not (unclear or misses):
            return Outcome.EQUAL
        if agreed + unclear + misses >= POINTS + 4:
            break
    if not (agreed or unclear or misses) and max(only) >= POINTS and min(only) == 0:
        return Outcome.DIFFERENT                  # one side has no real value anywhere tried
    return Outcome.UNDECIDED


def _exact(value) -> bool:
    """A Fraction or a residue mod P, not a rounded 50-digit value."""
    return isinstance(value, (Fraction, int))


def _value(evaluate, point):
    try:
        return evaluate(point)
    except Undefined:
        return None


@lru_cache(maxsize=256)
def _points(names: tuple[str, ...]) -> _Points:
    return _Points(names)


class _Points:
    """The seeded sample points for some variables, each as Fractions and as residues mod P:
    the same for every check, so each is drawn once, when a check first reaches it."""

    def __init__(self, names: tuple[str, ...]):
        self.names, self.rng, self.drawn = names, random.Random(SEED), []

    def __iter__(self):
        for i in range(TRIES):
            if i == len(self.drawn):
                point = _draw(self.rng, self.names)
                self.drawn.append((point, {name: residue(v) for name, v in point.items()}))
            yield self.drawn[i]


def _draw(rng: random.Random, names) -> dict[str, Fraction]:
    """Small rationals of both signs; half the time all positive, for logs and roots."""
    positive = rng.random() < 0.5
    point = {}
    for name in names:
        value = Fraction(rng.randint(1, 23), rng.choice((1, 2, 3, 4, 5, 7, 8, 9, 11)))
        point[name] = value if positive or rng.random() < 0.5 else -value
    return point


def _agree(x, y, a: Expr, b: Expr, point) -> bool | None:
    """True, False, or None when the difference could be rounding or a tiny real gap."""
    if isinstance(x, Fraction) and isinstance(y, Fraction):
        return x == y
    x, y = approx(x), approx(y)
    gap = abs(x - y)
    scale = max(abs(x), abs(y), magnitude(a, point), magnitude(b, point))
    if gap <= AGREE * scale:
        return True
    if gap > DISAGREE * scale:
        return False
    return None


def magnitude(node: Expr, point):
    """The largest approximate value inside the evaluation: the scale of its rounding error
    (exact Fractions carry none)."""
    children = [c for c in node.args if isinstance(c, Expr)]
    inner = max((magnitude(c, point) for c in children), default=0.0)
    try:
        value = node.evaluate(point)
    except Undefined:
        return inner
    return inner if isinstance(value, Fraction) else max(inner, abs(value))
