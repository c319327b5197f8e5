"""Text laid out in a terminal's columns, where a CJK character takes two and an accent none."""
from __future__ import annotations

import re
import unicodedata

TEXT_WIDTH = 80                  # columns of running text: practice's feedback, text-format problems
GLUE = "␣"                       # a space no line breaks at, until the text is wrapped
# Spaces a line does not break at, "cos θ =⏎a·b" reading badly: around a relation, + or −, after cos
_UNBREAKABLE = re.compile(r" [=≈≠≤≥<>←+−-] |\b(?:cos|sin|tan|det) ")
_COLOUR = re.compile(r"\x1b\[[0-9;]*m")


def counted(n: int, noun: str) -> str:
    """'1 attempt', '3 attempts'."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def columns(text: str) -> int:
    """How many terminal columns text takes: wide (CJK) characters two, combining marks none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def padded(text: str, width: int) -> str:
    """text and the spaces that fill it out to `width` columns (str.ljust counts characters)."""
    return text + " " * (width - columns(text))


def glued(line: str) -> str:
    """line with the spaces it should not break at made GLUE: beside a relation, + or −, after
    cos, and inside [ ] (a typed matrix stays whole; a [ that is never closed glues nothing)."""
    line = _UNBREAKABLE.sub(lambda m: m.group().replace(" ", GLUE), line)
    if "[" not in line:
        return line
    step, opened = [0] * len(line), []       # +1 at a [ that is closed, -1 at its ]
    for i, c in enumerate(line):
        before = line[i - 1:i]
        if before == "\x1b" or before == "'" == line[i + 1:i + 2]:   # a colour's escape; "'[' at column 1"
            continue
        if c == "[":
            opened.append(i)
        elif c == "]" and opened:
            step[opened.pop()], step[i] = 1, -1
    depth, out = 0, []                       # a [ never closed glues nothing
    for c, change in zip(line, step):
        depth += change
        out.append(GLUE if c == " " and depth > 0 else c)
    return "".join(out)


def wrapped(text: str, indent: str = "", hang: str | None = None) -> str:
    """text for the terminal, each line indented by `indent`; a prose line too long for
    TEXT_WIDTH is wrapped where glued() allows, its continuation two columns further in than it
    starts, or at `hang` when given (colour codes take no columns). A displayed matrix's lines
    stay whole."""
    out = []
    for line in text.split("\n"):
        if len(indent) + _width(line) <= TEXT_WIDTH or any(c in line for c in "⎡⎢⎣"):
            out.append(indent + line)
            continue
        lead = indent + line[:len(line) - len(line.lstrip(" "))]
        out += _filled(glued(line.strip(" ")).split(" "), lead, lead + "  " if hang is None else hang)
    return "\n".join(out).replace(GLUE, " ")


def _filled(words: list[str], first: str, rest: str) -> list[str]:
    """The words in lines of at most TEXT_WIDTH columns, a longer word on a line of its own."""
    lines, line, width = [], first, len(first)
    for word in filter(None, words):
        size = _width(word)
        if width > len(first if not lines else rest) and width + 1 + size > TEXT_WIDTH:
            lines.append(line)
            line, width = rest + word, len(rest) + size
        else:
            gap = "" if width == len(first if not lines else rest) else " "
            line, width = line + gap + word, width + len(gap) + size
    return lines + [line]


def _width(text: str) -> int:
    return len(_COLOUR.sub("", text)) if "\x1b" in text else len(text)
