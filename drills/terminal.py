"""Text laid out in a terminal's columns, where a CJK character takes two and an accent none."""
from __future__ import annotations

import re
import textwrap
import unicodedata

TEXT_WIDTH = 80                  # columns of running text: practice's feedback, text-format problems
GLUE = "␣"                       # a space no line breaks at, until the text is wrapped
# Spaces a line does not break at, "cos θ =⏎a·b" reading badly: around a relation, + or −, after cos
_UNBREAKABLE = re.compile(r" (?::=|[=≈≠≤≥←+−-]) |\b(?:cos|sin|tan|det) ")


def columns(text: str) -> int:
    """How many terminal columns text takes: wide (CJK) characters two, combining marks none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in text)


def padded(text: str, width: int) -> str:
    """text and the spaces that fill it out to `width` columns (str.ljust counts characters)."""
    return text + " " * (width - columns(text))


def glued(line: str) -> str:
    """line with the spaces it should not break at made GLUE."""
    return _UNBREAKABLE.sub(lambda m: m.group().replace(" ", GLUE), line)


def wrapped(text: str, indent: str = "") -> str:
    """text for the terminal, each line indented by `indent`; a prose line too long for
    TEXT_WIDTH is wrapped at spaces (not inside [ ], nor beside =), its continuation two columns
    further in than it starts. A displayed matrix's lines stay whole."""
    out = []
    for line in text.split("\n"):
        if len(indent) + len(line) <= TEXT_WIDTH or any(c in line for c in "⎡⎢⎣"):
            out.append(indent + line)
            continue
        lead = indent + line[:len(line) - len(line.lstrip(" "))]
        out.append(textwrap.fill(_bracketed_glued(glued(line.strip(" "))), TEXT_WIDTH, initial_indent=lead,
                                 subsequent_indent=lead + "  ", break_long_words=False,
                                 break_on_hyphens=False).replace(GLUE, " "))
    return "\n".join(out)


def _bracketed_glued(line: str) -> str:
    """The spaces inside [ ] made GLUE: a typed matrix stays on one line."""
    depth, out, before = 0, [], ""
    for c in line:
        depth += (c == "[" and before != "\x1b") - (c == "]")      # not the [ of a colour's escape
        out.append(GLUE if c == " " and depth > 0 else c)
        before = c
    return "".join(out)
