"""Read a learner's text as a number, vector, matrix or shape, safely and with helpful errors.

Nothing here evaluates text as code: a small tokenizer feeds a recursive reader over
brackets, separators and exact numbers (decimals are read exactly: 0.1 is 1/10).
"""
from __future__ import annotations

import re
import unicodedata
from fractions import Fraction
from typing import Union

from grader.spec import NO_VALUE, NO_VALUE_WORDS, Kind


class AnswerError(ValueError):
    """Text that cannot be read safely as the expected kind of answer."""


Number = Fraction
Value = Union[Fraction, list, tuple, str]   # number, vector, matrix (list of rows), shape, NO_VALUE

MAX_CHARS = 10_000
MAX_ENTRIES = 400
MAX_DIGITS = 60
MAX_EXPONENT = 300

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# "- 3/4": a sign may stand apart from its number where no number comes before it (1 - 2 is refused)
_TOKEN = re.compile(r"""
    (?P<num>(?:[+-][ \t]*)?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:\s*/\s*[+-]?\d+)?)
  | (?P<open>[\[(])
  | (?P<close>[\])])
  | (?P<comma>,)
  | (?P<row>[;\n])
  | (?P<space>[ \t\r"']+)
""", re.VERBOSE)
# One scalar in front of a bracket multiplies it: -1/2 [[2, 2], [4, 3]], 1/(-2) * [[…]], (1/3)·[…].
# No two `\s*` stand side by side, so a match takes linear time (two or three did backtrack in cubic
# time when no bracket followed, as in 5, 2,000 spaces, then 1).
_FACTOR = re.compile(r"""
    (\()?\s*(?P<num>(?:[+-]\s*)?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)(?<!\.)
    (?:\s*/\s*(?:(?P<den>[+-]?\d+)|\(\s*(?P<pden>(?:[+-]\s*)?\d+)\s*\)))?
    \s*(?(1)\)\s*)(?:[*·⋅]\s*)?(?=[\[(])
""", re.VERBOSE)
_REPEATING = re.compile(r"\d\.\d*\(\d+\)")               # 0.(3), 0.1(6)
_PAIRS = {"[": "]", "(": ")"}
_WORD = re.compile(r"[^\W\d_]+")
# 2x3, 2 × 3, (2, 3), [2, 3] (NumPy's .shape as a list), 2 by 3, 2-by-3, "2x3 matrix."
_SHAPE = re.compile(r"^[(\[]?\s*(\d{1,3})\s*(?:x|×|\*|-?by-?|,)\s*(\d{1,3})(?:\s*[)\]])?(?:\s*matrix)?\.?$")
# A name before the answer, as written on paper or in the part's label: "x = [3, -2]", "A⁻¹ = …",
# "det A = 5", "|a| = 5", "MSE(θ) = 89/4", "f'(x₁) = -1", "∂f/∂x = 5", "ŷ = X_b·θ = [-2, -2]"
_NAME_MARK = re.compile(r"[^\W\d_]|[|‖∂∇]")         # a letter, or |a|, ∂, ∇
MAX_NAME = 60                  # the longest label a part has is about 50 characters
# A number where a name begins is a value (x = 3, y = -2) or a factor (2x = 10); a label's numbers
# come after its name: x₁, x_1, θ^(1), "entry (1, 2) of AB", "row 1 of Aᵀ"
_NUMBER_FIRST = re.compile(r"\s*[-−+]?\.?[\d√π]")
_VALUE_AFTER = re.compile(r"=\s*([^=,;]+?)\s*(?=[,;]|\band\b|$)")   # x = 3, y = -2: 3 and -2
# What people type, or paste from typeset text, for a minus sign and for a space (not U+200B,
# which has no width: that is reported)
MINUS_SIGNS = "−–—‐‑‒－﹣"
SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# "°" (or º, ˚ on some keyboards): an angle typed with its unit (120°) is the number of degrees asked for
# ½, ¾, …: a fraction typed as one character (and ⁄, the fraction slash)
FRACTION_CHARS = {"½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4", "⅕": "1/5", "⅖": "2/5",
                  "⅗": "3/5", "⅘": "4/5", "⅙": "1/6", "⅚": "5/6", "⅛": "1/8", "⅜": "3/8", "⅝": "5/8",
                  "⅞": "7/8"}
_MIXED_NUMBER = re.compile(rf"(?<!\d)(\d+)(\s*)([{''.join(FRACTION_CHARS)}])")
_TRANSLATE = str.maketrans({**dict.fromkeys(MINUS_SIGNS, "-"), **dict.fromkeys(SPACES, " "),
                            **FRACTION_CHARS, "⁄": "/",
                            "×": "x", "÷": "/", "°": "", "º": "", "˚": "", "’": "'"})
_DEGREES = re.compile(r"(?<![^\W\d_])(?:degrees?|deg)\.?\Z", re.IGNORECASE)     # or in words: 120 degrees
# A transpose mark after the closing bracket: (1, -2, 3)ᵀ, [1 2 3]^T, .T, MATLAB's '
_TRANSPOSED = re.compile(r"(?<=[\])])\s*(?:ᵀ|\^\s*(?:T|\{T\}|t)|\.T|')\s*$")


def normalize(text: str) -> str:
    """Unify the characters people type for the same thing (unicode minus, ×, Unicode spaces)."""
    return compatible(text).translate(_TRANSLATE).strip()


# Fullwidth forms (an East Asian keyboard's ｘ, （, ［) and mathematical letters (𝑥 from an equation
# editor): their plain letters. Only these: NFKC at large would also turn ² into 2, ₁ into 1, ᵀ into T.
_COMPATIBLE = re.compile("[\uff01-\uff5e\U0001d400-\U0001d7ff]")


def compatible(text: str) -> str:
    """`text` with fullwidth and mathematical letters, digits and signs as their plain ones."""
    return text if text.isascii() else _COMPATIBLE.sub(lambda c: unicodedata.normalize("NFKC", c[0]), text)


def without_period(text: str) -> str:
    """An answer written as a sentence ends with a period: 1/2. and [1, 2]. are 1/2 and [1, 2]
    (and 1810. is 1810 either way)."""
    return text[:-1].rstrip() if text.endswith(".") else text


class Columns:
    """Where each character of a rewritten answer was typed: `rewritten` is `typed` (which starts
    at `start` in what the learner typed) put through compatible, `table` and a strip."""

    def __init__(self, typed: str, start: int = 0, table: dict = _TRANSLATE):
        self.typed, self.start, self.table, self._map = typed, start, table, None
        self.lead = len(typed) - len(typed.lstrip())        # the leading spaces the strip took
        self.ascii = typed.isascii()        # then nothing grows or shrinks (the tables map non-ASCII only)

    def __call__(self, pos: int) -> int:
        """The 1-based column, in the typed text, of character `pos` of the rewritten text."""
        if self.ascii:
            return self.start + self.lead + pos + 1
        if self._map is None:
            self._map = self._columns()
        return self._map[min(pos, len(self._map) - 1)]

    def _columns(self) -> list[int]:
        out = []
        for i, char in enumerate(compatible(self.typed)):
            width = self.table.get(ord(char), char)
            out.extend([self.start + i + 1] * (1 if isinstance(width, int) else len(width or "")))
        out.append(self.start + len(self.typed) + 1)
        lead = len(out) - 1 - len(compatible(self.typed).translate(self.table).lstrip())
        return out[lead:]


def refuse_mixed_numbers(text: str) -> None:
    """1½ could be read as 11/2 or 1·½, and 1 ½ as one number or two: none is sure to be meant."""
    if not text.isascii() and (mixed := _MIXED_NUMBER.search(text)):
        if len(mixed[1]) > MAX_DIGITS:
            raise AnswerError(f"'{clip(mixed[0])}' is too large a number to read")
        whole = int(mixed[1]) + Fraction(FRACTION_CHARS[mixed[3]])
        two = ", or put a comma between two numbers" if mixed[2] else ""
        raise AnswerError(f"'{mixed[0]}' is not read: give it as one fraction, {whole}{two}")


def is_no_value(text: str) -> bool:
    """True for words like 'undefined', 'none', 'no inverse'."""
    return normalize(text).lower().strip(" .!'\"") in NO_VALUE_WORDS


def read_number(text: str) -> Fraction:
    """Read one exact number: integer, decimal, fraction (3/4) or scientific notation."""
    text = normalize(text)
    if "/" in text:
        num, _, den = text.partition("/")
        if "/" in den:                          # 1/2/2: 1/4, or (1/2)/2 read the other way?
            raise AnswerError(f"'{clip(text)}' has two '/': give one fraction, such as 3/4")
        denominator = read_number(den)
        if denominator == 0:
            raise AnswerError(f"division by zero in '{text}'")
        return read_number(num) / denominator
    if not _NUMBER.fullmatch(text):
        raise AnswerError(f"'{clip(text)}' is not a number")
    mantissa, _, exponent = text.lower().partition("e")
    if len(mantissa) > MAX_DIGITS and "." in mantissa:        # 0.333…: long, not large
        raise AnswerError(f"'{clip(text)}' has too many digits to read (at most {MAX_DIGITS})")
    if len(mantissa) > MAX_DIGITS:
        raise AnswerError(f"'{clip(text)}' is too large a number to read")
    if far := too_far(exponent):
        raise AnswerError(f"'{clip(text)}' is too {far} a number to read")
    return Fraction(text)


def too_far(exponent: str, limit: int = MAX_EXPONENT) -> str:
    """'large' or 'small' for a power of ten beyond `limit` either way, else ''."""
    digits = exponent.lstrip("+-")
    if not exponent or len(digits) <= len(str(limit)) and int(digits) <= limit:
        return ""
    return "small" if exponent.startswith("-") else "large"


def read_shape(text: str) -> tuple[int, int]:
    """Read a matrix shape such as '2x3', '2 × 3', '(2, 3)' or '2 by 3'."""
    match = _SHAPE.match(normalize(text).lower())
    if not match:
        raise AnswerError(f"'{clip(text)}' is not a shape; write rows x columns, e.g. 2x3")
    return int(match[1]), int(match[2])


def read_array(text: str, start: int = 0) -> Fraction | list:
    """Read a number, a vector (flat list) or a matrix (list of equal-length rows); `start` is
    where `text` begins in what was typed, for the columns of messages."""
    columns = Columns(text, start)
    text = normalize(text)
    if not text:
        raise AnswerError("the answer is empty")
    if len(text) > MAX_CHARS:
        raise AnswerError(f"the answer is too long ({len(text)} characters)")
    if "(" in text and (repeating := _REPEATING.search(text)):
        raise AnswerError(f"{repeating[0]} is a repeating decimal: give it as a fraction, e.g. 1/3 for 0.(3)")
    factor = _FACTOR.match(text)
    tokens = _tokenize(text, factor.end() if factor else 0, columns)
    items, end = _read_group(tokens, 0, None)
    value = items[0] if len(items) == 1 else items
    try:
        _check_rectangular(value)
    except AnswerError as err:
        if ";" in text and str(err) == _NESTED:          # [[1; -2], [3; 4]]
            raise AnswerError("';' starts a new row, so inside [[…]] it nests too deep: separate a row's "
                              "entries with commas, e.g. [[1, -2], [3, 4]]") from None
        raise
    return _scaled(value, _factor(factor)) if factor else value


def _factor(match) -> Fraction:
    k = read_number(match["num"].replace(" ", ""))
    den = match["den"] or match["pden"]
    if den is not None:
        den = read_number(den.replace(" ", ""))
        if den == 0:
            raise AnswerError(f"division by zero in '{clip(match.group().strip(' *·⋅'))}'")
        k /= den
    return k


def _scaled(value, k: Fraction):
    return [_scaled(v, k) for v in value] if isinstance(value, list) else value * k


def read(text: str, kind: Kind) -> Value:
    """Read `text` as an answer of `kind`; words like 'undefined' give NO_VALUE."""
    if is_no_value(text):
        return NO_VALUE
    if kind is Kind.EXPRESSION:
        from grader.expression import read_expression
        return read_expression(text)
    if len(text) > MAX_CHARS and len(normalize(text)) > MAX_CHARS:       # before any regex
        raise AnswerError(f"the answer is too long ({len(normalize(text))} characters)")
    text = without_period(text.rstrip())
    refuse_mixed_numbers(text)
    start = 0                                           # where the value begins in what was typed
    if (value := _after_names(text, kind)) is not text:     # the value after the names is the answer
        start, text = len(text) - len(value), value
        if is_no_value(text):
            return NO_VALUE
    if kind is Kind.SHAPE:
        return read_shape(text)
    # (the closing quote of '[[1, 2]]' is no mark)
    if kind in (Kind.VECTOR, Kind.MATRIX) and (mark := _TRANSPOSED.search(text)) and text.count("'") != 2:
        if kind is Kind.MATRIX:               # read as written it would be the transpose of the one meant
            raise AnswerError(f"the transpose mark {mark[0].strip()} after the matrix is not read: "
                              "write out the matrix itself")
        text = text[:mark.start()]            # a vector is a vector, written as a row or a column
    if kind is Kind.NUMBER:
        text = _without_degrees(text)
        if _FACTOR.match(normalize(text)):            # 0.5 (1/2): the value twice, not a product
            raise AnswerError(f"'{clip(text.strip())}' has a number before a bracket: give just one number")
    value = read_array(text, start)
    if kind is Kind.NUMBER and isinstance(value, list):
        flat = value[0] if len(value) == 1 and isinstance(value[0], list) else value
        if len(flat) != 1 or isinstance(flat[0], list):
            raise AnswerError("expected a single number, not a list" + _comma_hint(text.strip()))
        value = flat[0]
    if kind in (Kind.VECTOR, Kind.MATRIX) and not isinstance(value, list):
        raise AnswerError(f"expected {kind.describe()}, got a single number")
    return value


def _after_names(text: str, kind: Kind) -> str:
    """The text after the names written before the answer, up to the last '=' (or `text` itself).
    What could be an answer is no name: x = 3 = 3 is left unreadable, not read as 3; and a name
    that holds a number (x = 3, y = -2; 2x = 10) is refused, not read past."""
    if "=" not in text:
        return text
    *names, value = text.split("=")
    end = 0
    for name in names:
        if not _is_name(name.strip()):
            break
        if _holds_number(name):
            raise AnswerError(_value_in_name(text, name.strip(), kind))
        end += len(name) + 1
    return text[end:] if end and text[end:].strip() else text


def _holds_number(name: str) -> bool:
    """True when `name` begins with a number: a value or a factor, not a label."""
    return bool(_NUMBER_FIRST.match(name))


def _value_in_name(text: str, name: str, kind: Kind) -> str:
    values = _VALUE_AFTER.findall(text)
    advice = (f"type the vector as [{', '.join(values)}]" if kind is Kind.VECTOR and len(values) > 1
              else "give one value, alone or after its name (x = 3)")
    return f"'{clip(name)}' before '=' holds a number, not just a name: {advice}"


def _is_name(text: str) -> bool:
    """A short text with a letter (or |, ‖, ∂, ∇) and no [ ], that no reader takes as an answer."""
    if not 0 < len(text) <= MAX_NAME or "[" in text or "]" in text or not _NAME_MARK.search(text):
        return False
    if is_no_value(text):
        return False
    for read_as in (read_array, read_shape):
        try:
            read_as(text)
        except AnswerError:
            continue
        return False
    return True


def _without_degrees(text: str) -> str:
    """120 degrees: the number, the unit (as the degree sign is) left out."""
    unit = _DEGREES.search(text)
    return text[:unit.start()] if unit else text


_RADIANS = re.compile(r"(?<![^\W\d_])(?:rad|radians?)\.?\Z", re.IGNORECASE)


def without_radians(text: str) -> str | None:
    """The number of '1.047 rad' (or radians), or None where no such unit is written."""
    unit = _RADIANS.search(text.rstrip())
    return text[:unit.start()] if unit else None


def _comma_hint(text: str) -> str:
    """35,6 meant as a decimal, or 1,810 as a thousand and more."""
    comma = re.fullmatch(r"-?\d+,(\d+)", text)
    if not comma:
        return ""
    grouped = f"; a whole number takes no comma: {text.replace(',', '')}" if len(comma[1]) == 3 else ""
    return f" (a decimal takes a point: {text.replace(',', '.')}{grouped})"


def read_choice(text: str, choices: tuple[str, ...]) -> str:
    """One of `choices`, by the whole word, an unambiguous start of it ('osc', 'd') or another
    form of it ('diverging': the same word but for its last two letters). Text naming two or
    more ('converges or diverges') is refused, not read by its first word."""
    word = normalize(text).lower().strip(" .!'\"")
    matches = _choices_named(word, choices)
    if len(matches) != 1:
        raise AnswerError(f"expected one of: {', '.join(choices)}")
    named = dict.fromkeys(m[0] for w in _WORD.findall(word) if len(m := _choices_named(w, choices)) == 1)
    if len(named) > 1:
        *rest, last = named
        raise AnswerError(f"it names {', '.join(rest)} and {last}; expected just one of: {', '.join(choices)}")
    return matches[0]


def _choices_named(word: str, choices: tuple[str, ...]) -> list[str]:
    return ([c for c in choices if c == word] or [c for c in choices if word and c.startswith(word)]
            or [c for c in choices if len(c) > 5 and word.startswith(c[:-2])])


def _tokenize(text: str, pos: int = 0, columns: Columns | None = None) -> list[tuple[str, str, int]]:
    """(kind, text, column typed) for each token of `text` from `pos` on."""
    columns = columns or Columns(text)
    tokens = []
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        if not match:
            raise AnswerError(_unexpected(text, pos, columns(pos)))
        kind, token = match.lastgroup, match.group()
        if kind == "num" and token[1:2] in (" ", "\t") and token[0] in "+-":     # "- 3/4"
            if tokens and tokens[-1][0] in ("num", "close"):
                raise AnswerError(_unexpected(text, pos, columns(pos)))
            token = token[0] + token[1:].lstrip(" \t")
        if kind != "space":
            tokens.append((kind, token, columns(pos)))
        pos = match.end()
        if len(tokens) > 4 * MAX_ENTRIES:
            if sum(t[0] == "num" for t in tokens) > MAX_ENTRIES:
                raise AnswerError("the answer has too many entries")
            raise AnswerError("too many brackets: expected a number, a vector or a matrix")
    return tokens


_NO_INFINITY = "is not a number: where there is none, as for an infinite value, type 'undefined'"


LATEX = "LaTeX is not read: type plain text, e.g. 1/2 for \\frac{1}{2} and 60 for 60^\\circ"


def _unexpected(text: str, pos: int, column: int) -> str:
    char = text[pos]
    if "\\" in text:
        return LATEX
    if re.match(r"[x*]\s*10\s*\^", text[pos:pos + 10]):        # 1.81×10^3
        return "a power of ten is typed with e, e.g. 1.81e3 for 1.81×10^3"
    if char.isalpha():
        word = re.match(r"[^\W\d_]+", text[pos:])[0]
        if word.lower() in ("inf", "infinity"):
            return f"'{word}' {_NO_INFINITY}"
        if word.lower() in ("pi", "π"):           # no answer here needs π: an angle in radians, then
            return f"'{word}' is not read here: give an angle in degrees (60 for π/3)"
        if word.lower() == "diag":
            return "diag(…) is not read: write the matrix out, or give Σ as the list of its diagonal, e.g. [3, 1]"
        return f"unexpected word '{clip(word)}' at column {column}"
    if char == "∞":
        return f"∞ {_NO_INFINITY}"
    if char == "=":
        return f"unexpected '=' at column {column}: give the value, alone or after its name (x = 3)"
    if char in "+-*/":
        return f"unexpected '{char}' at column {column}: write each entry as one number, e.g. -3/4"
    if not char.isprintable():
        return f"unexpected invisible character U+{ord(char):04X} at column {column}: retype the answer without it"
    return f"unexpected '{char}' at column {column}"


def _read_group(tokens, i, opener):
    """Read items up to the matching closer; ';' or a newline starts a row (inside brackets, only
    a newline right after a number: [1 2⏎3 4]; others are layout, as in [[1, 2],⏎ [3, 4]])."""
    rows, row, expect_item = [], [], True
    while i < len(tokens):
        kind, text, col = tokens[i]
        if kind == "close":
            if opener is None:
                raise AnswerError(f"unbalanced bracket: '{text}' at column {col} closes nothing")
            if text != _PAIRS[opener[0]]:
                raise AnswerError(f"'{opener[0]}' at column {opener[1]} is closed by '{text}' at column {col}")
            return _finish(rows, row), i + 1
        if kind == "comma":
            if expect_item:
                raise AnswerError(f"missing entry before ',' at column {col}")
            expect_item = True
        elif kind == "row" and text == "\n" and opener is not None and (
                expect_item or isinstance(row[-1], list)):
            pass
        elif kind == "row":
            if row:
                rows.append(row)
            row, expect_item = [], True
        elif kind == "open":
            item, i = _read_group(tokens, i + 1, (text, col))
            row.append(item)
            expect_item = False
            continue
        else:
            row.append(read_number(text))
            expect_item = False
        i += 1
    if opener is not None:
        raise AnswerError(f"unbalanced bracket: '{opener[0]}' at column {opener[1]} is never closed")
    return _finish(rows, row), i


def _finish(rows, row):
    if row:
        rows.append(row)
    if len(rows) <= 1:
        return rows[0] if rows else []
    if all(len(r) == 1 and isinstance(r[0], list) for r in rows):
        return [r[0] for r in rows]                # [[1, 2]; [3, 4]]
    return rows


_NESTED = "too deeply nested: expected a number, a vector or a matrix"


def _check_rectangular(value, depth=0):
    if not isinstance(value, list):
        return
    if depth >= 2:
        raise AnswerError(_NESTED)
    if not value:
        raise AnswerError("the answer has an empty list")
    nested = [isinstance(v, list) for v in value]
    if any(nested) and not all(nested):
        raise AnswerError("mixed numbers and lists: write a matrix as rows of equal length")
    if all(nested):
        widths = [len(r) for r in value]
        for r, width in enumerate(widths[1:], start=2):
            if width != widths[0]:
                raise AnswerError(f"row {r} has {_entries(width)} but row 1 has {_entries(widths[0])}")
        for r in value:
            _check_rectangular(r, depth + 1)
    if sum(len(r) if isinstance(r, list) else 1 for r in value) > MAX_ENTRIES:
        raise AnswerError("the answer has too many entries")


def _entries(n: int) -> str:
    return f"{n} entry" if n == 1 else f"{n} entries"


def clip(text: str, width: int = 30) -> str:
    """`text`, cut to `width` characters with … where it is cut."""
    return text if len(text) <= width else text[: width - 1] + "…"


def open_brackets(text: str) -> int:
    """How many of text's brackets ( [ { are still open: the lines of an answer typed over several
    go on while it is above 0. A closer that closes nothing is left for the reader to report."""
    depth = 0
    for c in text:
        if c in "([{":
            depth += 1
        elif c in ")]}" and depth:
            depth -= 1
    return depth
