"""Answer values: exact Fractions in nested lists, shapes as (rows, cols), or NO_VALUE.

Converts a Part's JSON answer to a value and back, and compares values entry by entry.
"""
from __future__ import annotations

from fractions import Fraction

from grader.reference.rational import exact
from grader.spec import NO_VALUE, NO_VALUE_WORDS, Kind, Tolerance


def from_json(answer, kind: Kind):
    """A Part's JSON answer (number, list, list of lists or string) as an exact value."""
    if kind in (Kind.SVD, Kind.EXPRESSION, Kind.CHOICE):    # text, graded by its own module
        return answer
    if isinstance(answer, str):
        if answer.strip().lower() in NO_VALUE_WORDS:
            return NO_VALUE
        # the text readers: loaded when needed (making problems does not need them)
        from grader.parse import read_number, read_shape
        return read_shape(answer) if kind is Kind.SHAPE else read_number(answer)
    if isinstance(answer, list):
        return [from_json(a, kind) for a in answer]
    return exact(answer)


def to_json(value):
    """The JSON form of an exact value: ints stay ints, other fractions become '3/4' (a float
    through its shortest decimal, as from_json reads it back)."""
    if type(value) is Fraction:           # the usual cases, so tested first
        return value.numerator if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    if type(value) is int:
        return value
    if isinstance(value, list):
        return [to_json(v) for v in value]
    if isinstance(value, tuple):
        return f"{value[0]}x{value[1]}"
    if isinstance(value, str):        # a word such as "undefined" or "none"
        return value
    value = exact(value)                    # a float through its shortest decimal
    return value.numerator if value.denominator == 1 else f"{value.numerator}/{value.denominator}"


def typed(answer, kind: Kind) -> str:
    """A Part's JSON answer as a learner types it: one line that grades as correct (a word such
    as 'none' and a shape such as 3x2 as they are, numbers through to_text)."""
    if isinstance(answer, str) and (kind is Kind.SHAPE or answer.strip().lower() in NO_VALUE_WORDS):
        return answer
    return to_text(from_json(answer, kind))


def to_text(value) -> str:
    """One line a learner can read and type back."""
    if type(value) in (Fraction, int):      # the usual case: str gives to_json's text
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(to_text(v) for v in value) + "]"
    if isinstance(value, tuple):
        return f"{value[0]}×{value[1]}"
    return str(to_json(value))


def dims(value) -> tuple:
    """() for a number, (n,) for a vector, (rows, cols) for a matrix."""
    if not isinstance(value, list):
        return ()
    return (len(value), len(value[0])) if isinstance(value[0], list) else (len(value),)


def conform(given, expected):
    """`given` laid out like `expected` (a vector typed for a column, or back), or None."""
    g, e = dims(given), dims(expected)
    if g == e:
        return given
    if len(g) == 1 and len(e) == 2 and g[0] == e[0] * e[1] and 1 in e:
        return [[v] for v in given] if e[1] == 1 else [list(given)]
    if len(g) == 2 and len(e) == 1 and 1 in g and g[0] * g[1] == e[0]:
        return [v for row in given for v in row]
    return None


def entries(value) -> list[tuple[tuple[int, ...], Fraction]]:
    """(1-based index, entry) pairs of a number, vector or matrix."""
    d = dims(value)
    if d == ():
        return [((), value)]
    if len(d) == 1:
        return [((i + 1,), v) for i, v in enumerate(value)]
    return [((i + 1, j + 1), v) for i, row in enumerate(value) for j, v in enumerate(row)]


def close(a: Fraction, b: Fraction, tol: Tolerance | None) -> bool:
    """a equals b, exactly or within the tolerance."""
    if tol is None:
        return a == b
    return abs(a - b) <= Fraction(tol.abs) + Fraction(tol.rel) * abs(b)


def same(given, expected, tol: Tolerance | None = None) -> bool:
    """Whole-answer equality, allowing a vector typed as a column and back."""
    if isinstance(given, (str, tuple)) or isinstance(expected, (str, tuple)):
        return given == expected
    given = conform(given, expected)
    if given is None:
        return False
    return all(close(g, e, tol) for (_, g), (_, e) in zip(entries(given), entries(expected)))
