"""Text laid out in a terminal's columns, where a CJK character takes two and an accent none."""
from __future__ import annotations

import unicodedata

TEXT_WIDTH = 80                  # columns of running text: practice's feedback, text-format problems


def columns(text: str) -> int:
    """How many terminal columns text takes: wide (CJK) characters two, combining marks none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def padded(text: str, width: int) -> str:
    """text and the spaces that fill it out to `width` columns (str.ljust counts characters)."""
    return text + " " * (width - columns(text))
