"""Letters pdflatex has no glyph for in the fonts of texlive-latex-base (T1 and TS1), made printable.

A Latin letter with accents becomes LaTeX's accents over its base letter (ễ: \\~{\\^{e}}); a
letter of another script (王, Ж) prints as '?'. Declared in the preamble, a name stays as typed in
the .tex source, where the key's answer lines are read back from, and only its print differs.
"""
from __future__ import annotations

import re
import unicodedata

# Combining marks that T1 sets as a text accent over a letter.
_ACCENTS = {"\u0300": "`", "\u0301": "'", "\u0302": "^", "\u0303": "~", "\u0304": "=", "\u0306": "u",
            "\u0307": ".", "\u0308": '"', "\u030a": "r", "\u030b": "H", "\u030c": "v", "\u0323": "d",
            "\u0326": "textcommabelow", "\u0327": "c", "\u0328": "k", "\u0331": "b"}
_STROKED = re.compile(r"LATIN (SMALL|CAPITAL) LETTER ([A-Z]) WITH ")


def known(char: str) -> bool:
    """Whether LaTeX's utf8 input sets the character as it is: ASCII, Latin-1 and Latin Extended-A
    (less the few T1 lacks), and the quotes and dashes."""
    return (char.isascii() or "\xa0" <= char <= "\u017f" and char not in "ĦħĸĿŀŉŦŧſ"
            or char in "‘’‚“”„–—•…‹›€")


def stand_in(char: str) -> tuple[str, bool]:
    """What pdflatex sets for a character it does not know, and whether that is the letter as typed."""
    base, *marks = unicodedata.normalize("NFD", char)
    if base.isascii() and base.isalpha():
        tex = base
        for mark in marks:
            tex = f"\\{_ACCENTS[mark]}{{{tex}}}" if mark in _ACCENTS else tex
        return tex, all(mark in _ACCENTS for mark in marks)
    if stroked := _STROKED.match(unicodedata.name(char, "")):         # ħ, ŧ: the letter, without its stroke
        return (stroked[2] if stroked[1] == "CAPITAL" else stroked[2].lower()), False
    return ("" if unicodedata.combining(base) else "?"), False         # an accent NFC put on no letter: dropped


def as_typed(text: str) -> bool:
    """Whether pdflatex prints the text as typed, every letter in its own glyph or with its accents."""
    return all(known(c) or stand_in(c)[1] for c in unicodedata.normalize("NFC", text))


def declarations(text: str) -> str:
    """The preamble lines that let pdflatex set every character of the text, once composed (NFC)."""
    unknown = sorted({c for c in unicodedata.normalize("NFC", text) if not known(c)})
    return "\n".join(f"\\DeclareUnicodeCharacter{{{ord(c):04X}}}{{{stand_in(c)[0]}}}" for c in unknown)
