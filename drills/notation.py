"""Values a topic hands to a template, formatted later by the output format's environment."""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

SUBSCRIPTS = str.maketrans("0123456789ijkmn", "₀₁₂₃₄₅₆₇₈₉ᵢⱼₖₘₙ")


def subscript(text) -> str:
    """'12' -> '₁₂': digits (and i, j, k, m, n) as unicode subscripts."""
    return str(text).translate(SUBSCRIPTS)


@dataclass(frozen=True)
class Shape:
    rows: int
    cols: int


@dataclass(frozen=True)
class Dot:
    """An expanded sum of products, a₁·b₁ + a₂·b₂ + …, as written in a worked step."""

    pairs: tuple[tuple[Fraction, Fraction], ...]
    signs: tuple[int, ...] = ()   # +1/-1 before each product; all + when empty


@dataclass(frozen=True)
class Blank:
    """A gap in a fill-in step, labelled with its part key."""

    label: str


@dataclass(frozen=True)
class Sym:
    """Math in a tiny notation: A^T, A^-1, c_12, A*B, det A."""

    text: str
