"""Values a topic hands to a template, formatted later by the output format's environment.

They are NamedTuples: immutable like frozen dataclasses, and much cheaper to define (start-up)
and to make (a worked step makes dozens).
"""
from __future__ import annotations

import re
from fractions import Fraction
from typing import NamedTuple

SUBSCRIPTS = str.maketrans("0123456789ijkmn", "₀₁₂₃₄₅₆₇₈₉ᵢⱼₖₘₙ")
_POWER = re.compile(r"\^(\d+)")
_SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def subscript(text) -> str:
    """'12' -> '₁₂': digits (and i, j, k, m, n) as unicode subscripts."""
    return str(text).translate(SUBSCRIPTS)


def raised(text: str) -> str:
    """'5x^2y^3' -> '5x²y³': whole powers as unicode superscripts, for plain text such as a label."""
    return _POWER.sub(lambda power: power[1].translate(_SUPERSCRIPTS), text)


class Shape(NamedTuple):
    rows: int
    cols: int


class Dot(NamedTuple):
    """An expanded sum of products, a₁·b₁ + a₂·b₂ + …, as written in a worked step."""

    pairs: tuple[tuple[Fraction, Fraction], ...]
    signs: tuple[int, ...] = ()   # +1/-1 before each product; all + when empty


class Blank(NamedTuple):
    """A gap in a fill-in step, labelled with its part key."""

    label: str


class Sym(NamedTuple):
    """Math in a tiny notation: A^T, A^-1, c_12, A*B, det A."""

    text: str
