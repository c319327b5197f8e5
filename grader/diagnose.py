"""Generic mistake detectors: each takes (given, expected) exact values and returns a message or ''."""
from __future__ import annotations

import math
from fractions import Fraction

from grader.values import conform, dims, entries, same, to_text


IN_RADIANS = "That is in radians; give the angle in degrees."
_RADIAN = Fraction(math.pi) / 180


def in_radians(given, expected, tol) -> str:
    """A lone number that is the right angle in radians, within the part's tolerance scaled the
    same way (a part with a tolerance is an angle in degrees; π/180 makes a chance match unlikely)."""
    if tol is None or dims(expected) != () or dims(given) != () or expected == 0:
        return ""
    bound = (Fraction(tol.abs) + Fraction(tol.rel) * abs(expected)) * _RADIAN
    return IN_RADIANS if abs(given - expected * _RADIAN) <= bound else ""


def transposed(given, expected) -> str:
    d = dims(expected)
    if len(d) != 2 or d[0] == 1 or d[1] == 1:
        return ""
    flipped = [list(col) for col in zip(*expected)]
    if flipped != expected and dims(given) == dims(flipped) and same(given, flipped):
        return "Your answer is the transpose of the right one: rows and columns are swapped."
    return ""


def transposed_shape(given, expected) -> str:
    g, e = dims(given), dims(expected)
    if len(e) == 2 and g == e[::-1] and g != e:
        return f"Your answer has the transposed shape, {g[0]}×{g[1]} instead of {e[0]}×{e[1]}."
    return ""


SIGN_FLIPPED = "The sign is flipped: your answer is the negative of the right one."


def sign_flipped(given, expected) -> str:
    """The negative of a number, or of a vector or matrix with two or more entries that are not
    0 (where one is, a wrong value there is as likely a slip)."""
    nonzero = sum(v != 0 for _, v in entries(expected))
    if (nonzero >= 2 or nonzero == 1 and dims(expected) == ()) and same(given, _negate(expected)):
        return SIGN_FLIPPED
    return ""


def scaled(given, expected) -> str:
    given = conform(given, expected)
    if given is None:
        return ""
    pairs = [(g, e) for (_, g), (_, e) in zip(entries(given), entries(expected))]
    if any(e == 0 and g != 0 for g, e in pairs):
        return ""
    nonzero = [(g, e) for g, e in pairs if e != 0]
    ratios = {g / e for g, e in nonzero}
    if len(ratios) != 1 or (k := ratios.pop()) in (0, 1, -1):
        return ""
    if len(nonzero) == 1 and not _slip(*nonzero[0], k):        # one number apart: as likely a slip
        return ""
    return f"Off by a factor: your answer is {to_text(k)} times the right one."


def _slip(given: Fraction, expected: Fraction, k: Fraction) -> bool:
    """For one number, only a lost or doubled 2 is telling (the 2 of x², the 1/2 of a cost),
    and not between small whole numbers, which are some factor apart by chance (rank 1 for 2)."""
    small = given.denominator == expected.denominator == 1 and max(abs(given), abs(expected)) <= 4
    return k in (2, Fraction(1, 2)) and not small


ROUNDED = "Close, but rounded: give the exact value (a fraction such as 1/3 is fine)."


def rounded(given, expected) -> str:
    """Every wrong entry is the exact value rounded to the decimals it is typed with."""
    if isinstance(given, (str, tuple)) or isinstance(expected, (str, tuple)):    # none, a shape
        return ""
    given = conform(given, expected)
    if given is None:
        return ""
    wrong = [(g, e) for (_, g), (_, e) in zip(entries(given), entries(expected)) if g != e]
    return ROUNDED if wrong and all(is_rounding(g, e) for g, e in wrong) else ""


def is_rounding(given, exact) -> bool:
    """`given`, a decimal of d places, is `exact` rounded (half up or half to even) or cut to d
    places: 0.67 or 0.666 for 2/3, 0.13 or 0.12 for 1/8, but not 0.4 for 1/3; never for an exact
    value the learner could have typed in d places."""
    given, exact = Fraction(given), Fraction(exact)
    places = decimals(given)
    if not places:                                  # a whole number, or not a decimal (1/3)
        return False
    short = decimals(exact)
    return (short is None or short > places) and given in _roundings(exact, places)


def _roundings(x: Fraction, places: int) -> set[Fraction]:
    """x rounded half away from zero, rounded half to even, and cut, to `places` decimals."""
    scale, sign = 10**places, -1 if x < 0 else 1
    y = abs(x) * scale
    return {Fraction(sign * n, scale) for n in (int(y), int(y + Fraction(1, 2)), round(y))}


def decimals(x: Fraction) -> int | None:
    """The places x takes written as a decimal (0.25: 2, 3: 0), or None where it never ends (1/3)."""
    den, twos, fives = x.denominator, 0, 0
    while den % 2 == 0:
        den, twos = den // 2, twos + 1
    while den % 5 == 0:
        den, fives = den // 5, fives + 1
    return max(twos, fives) if den == 1 else None


def _negate(value):
    return [_negate(v) for v in value] if isinstance(value, list) else -Fraction(value)


# Each explains every entry of an answer by a wrong route (the transpose, the negative, a multiple)
DETECTORS = (transposed, transposed_shape, sign_flipped, scaled)


def diagnose(given, expected) -> str:
    """The first generic wrong route that explains `given`, or ''."""
    if isinstance(given, (str, tuple)) or isinstance(expected, (str, tuple)):
        return ""
    for detect in DETECTORS:
        if message := detect(given, expected):
            return message
    return ""
