"""Reading a problem's params (sampled, or handed in by a user) with one-line errors."""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from operator import mul

from drills.errors import DrillsError
from grader.reference.rational import exact

MAX_SIZE = 6
MAX_ENTRY = 10**6
MAX_DENOMINATOR = 10**18            # a float's shortest digits (0.30000000000000004) still fit
SHOWN = 41                          # characters of a value or label in a one-line message, … included
MAX_F = 300                         # characters of a polynomial written as text


def only(params: dict, allowed: set[str], required: set[str]) -> None:
    if not isinstance(params, dict):
        raise DrillsError("params must be a JSON object, e.g. {\"A\": [[1, 2], [3, 4]]}")
    if missing := sorted(required - params.keys()):
        raise DrillsError(f"params need {', '.join(repr(k) for k in missing)}")
    if unknown := sorted(params.keys() - allowed):
        raise DrillsError(f"unknown param {', '.join(repr(k) for k in unknown)} "
                          f"(expected: {', '.join(sorted(allowed))})")


def _shown(value) -> str:
    """A value in a one-line message: its start, when it is long (a list nested a thousand deep)."""
    from grader.parse import clip          # the reader, only for a message: not at start-up

    return clip(repr(value), SHOWN)


def number(value, name: str) -> Fraction:
    if type(value) is int and -MAX_ENTRY <= value <= MAX_ENTRY:     # sampled params: the usual case
        return Fraction(value)
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise DrillsError(f"param '{name}' must hold numbers, got {_shown(value)}")
    try:
        x = _read_text(value) if isinstance(value, str) else exact(value)
    except (ValueError, OverflowError):          # grader.parse's AnswerError is a ValueError
        raise DrillsError(f"param '{name}' has {_shown(value)}, which is not a finite number") from None
    if abs(x) > MAX_ENTRY:
        raise DrillsError(f"param '{name}' has {value!r}; keep entries within ±{MAX_ENTRY:,}")
    if x.denominator > MAX_DENOMINATOR:          # 1e-300 is exact: a fraction of 300 digits
        raise DrillsError(f"param '{name}' has {value!r}; keep entries to 18 decimal places or fewer")
    return x


@lru_cache(maxsize=1024)             # the same few texts ("1/10") come back in every sampled problem
def _read_text(text: str) -> Fraction:
    from grader.parse import read_number  # loaded only for params given as text

    return read_number(text)


def matrix(params: dict, name: str) -> list[list[Fraction]]:
    """A rectangular matrix of at most MAX_SIZE×MAX_SIZE numbers."""
    return [[number(v, name) for v in row] for row in _rectangular(params, name)]


def plain_matrix(params: dict, name: str) -> list[list[int | Fraction]]:
    """matrix(params, name) with whole numbers as ints (see plain): sampled params, all ints,
    are read without making a Fraction."""
    return [[v if type(v) is int and -MAX_ENTRY <= v <= MAX_ENTRY else _plain(number(v, name)) for v in row]
            for row in _rectangular(params, name)]


def _rectangular(params: dict, name: str) -> list[list]:
    """The rows of a matrix param, checked to be a rectangle of at most MAX_SIZE×MAX_SIZE."""
    rows = params[name]
    if not (isinstance(rows, list) and rows and all(isinstance(r, list) and r for r in rows)):
        raise DrillsError(f"param '{name}' must be a matrix: a list of rows, e.g. [[1, 2], [3, 4]]")
    for i, row in enumerate(rows[1:], start=2):
        if len(row) != len(rows[0]):
            raise DrillsError(f"param '{name}' is ragged: row {i} has {len(row)} entries, row 1 has {len(rows[0])}")
    if len(rows) > MAX_SIZE or len(rows[0]) > MAX_SIZE:
        raise DrillsError(f"param '{name}' is {len(rows)}×{len(rows[0])}; at most {MAX_SIZE}×{MAX_SIZE} is supported")
    return rows


def vector(params: dict, name: str) -> list[Fraction]:
    return [number(v, name) for v in _flat(params, name)]


def plain_vector(params: dict, name: str) -> list[int | Fraction]:
    """vector(params, name) with whole numbers as ints (see plain_matrix)."""
    return [v if type(v) is int and -MAX_ENTRY <= v <= MAX_ENTRY else _plain(number(v, name))
            for v in _flat(params, name)]


def _flat(params: dict, name: str) -> list:
    """The entries of a vector param, checked to be at most MAX_SIZE numbers (or what number reads)."""
    values = params[name]
    if not (isinstance(values, list) and values and not any(isinstance(v, list) for v in values)):
        raise DrillsError(f"param '{name}' must be a vector: a list of numbers, e.g. [1, 2]")
    if len(values) > MAX_SIZE:
        raise DrillsError(f"param '{name}' has {len(values)} entries; at most {MAX_SIZE} are supported")
    return values


def plain(values: list) -> list:
    """The same numbers with whole ones as ints, for arithmetic many times faster than Fraction's."""
    return list(map(_plain, values))


def _plain(x: Fraction) -> int | Fraction:
    return x.numerator if x.denominator == 1 else x


def plain_matvec(A: list, v: list) -> list:
    """A·v in the numbers given: ints stay ints (see plain)."""
    return [sum(map(mul, row, v)) for row in A]


def plain_matmul(A: list, B: list) -> list:
    """A·B in the numbers given: ints stay ints (see plain); the caller checks the sizes."""
    cols = list(zip(*B))
    return [[sum(map(mul, row, col)) for col in cols] for row in A]


def formula(value, name: str, what: str, example: str) -> str:
    """A param that holds a formula as text, at most MAX_F characters; else a one-line error."""
    if not isinstance(value, str) or len(value) > MAX_F:
        raise DrillsError(f"param '{name}' must be {what} written as text of at most {MAX_F} characters, "
                          f"e.g. {example}")
    return value


def polynomial(text, name: str, what: str, example: str, variables=()) -> tuple:
    """A polynomial param as people write it (at most MAX_F characters), `what` naming the kind
    asked for ("a polynomial in x"): the expression as read, and its exact polynomial."""
    from grader.expression import read_expression
    from grader.parse import AnswerError
    from grader.reference import polynomial as poly

    formula(text, name, what, example)
    try:
        expr = read_expression(text, variables)
        return expr, poly.from_expr(expr)
    except AnswerError as err:
        raise DrillsError(f"param '{name}' cannot be read: {err}") from None
    except poly.NotPolynomial as err:
        raise DrillsError(f"param '{name}' must be {what} ({err}), e.g. {example}") from None


def whole(value, name: str, low: int, high: int, what: str = "") -> int:
    """A whole number from low to high (`what` says it in words), or a one-line error."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise DrillsError(f"param '{name}' must be {what or f'a whole number from {low} to {high}'}; got {value!r}")
    return value


def choice(params: dict, name: str, options: tuple[str, ...], default: str) -> str:
    value = params.get(name, default)
    if value not in options:
        raise DrillsError(f"param '{name}' must be one of {', '.join(options)}; got {value!r}")
    return value
