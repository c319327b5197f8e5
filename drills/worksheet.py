"""Worksheets: a sheet's problems, a variant per student, and what is printed from them: the
worksheet, the answer key with worked solutions, and the plain-text answer sheet.

A sheet's problems follow from its SheetSpec alone (drills/sheetid.py), so its ID rebuilds it.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from drills.catalog import Level, topic_info
from drills.errors import DrillsError, reason
from drills.notation import Shape
from drills.problem import Problem, generate
from drills.render import code, environment, tex_escaped, tex_prose
from drills.records import learner_name
from drills.sheetid import SheetSpec, name_key, normal_name
from drills.texchars import declarations
from drills.textfile import ENCODINGS, decode_text
from grader.parse import is_no_value
from grader.spec import Kind, Part
from grader.values import from_json, typed

BEGIN = "# ---- drills answer sheet ----"
END = "# ---- end of answer sheet ----"
HEADER_KEYS = ("sheet", "class", "name")       # an answer sheet's lines above its answers
LEVEL_WORDS = {Level.FILL_IN.value: "fill in the blanks", Level.FREE_RESPONSE.value: "free response"}
EXACT = "Give exact answers: fractions such as 2/3, not 0.67."     # rounded numbers score 0
@dataclass(frozen=True)
class Sheet:
    """One printed variant: the class sheet, or one student's (with the class sheet it came from)."""

    spec: SheetSpec
    problems: tuple[Problem, ...]
    student: str = ""
    class_id: str = ""

    @property
    def id(self) -> str:
        return self.spec.id

    def keyed_parts(self) -> list[tuple[int, str, Part]]:
        """(problem number, answer-sheet key such as '3b', part) for every part, in order."""
        return keyed_parts(self.problems)


def keyed_parts(problems: Sequence[Problem]) -> list[tuple[int, str, Part]]:
    """(problem number, answer-sheet key such as '3b', part) for every part of a sheet's problems."""
    return [(n, sheet_key(n, part.key), part) for n, p in enumerate(problems, 1) for part in p.parts]


def sheet_key(number: int, part_key: str) -> str:
    """A part's key on an answer sheet: problem 3's part b is '3b'."""
    return f"{number}{part_key}"


def key_order(key: str) -> tuple[int, str]:
    """Sorts keys as a sheet lists them: 9b before 10a."""
    return int(key[:-1]), key[-1]


def sheet_problems(spec: SheetSpec, fmt: str = "text") -> tuple[Problem, ...]:
    """The problems of a sheet, the same for the same spec on every machine."""
    return tuple(generate(topic, spec.level, seed=seed, fmt=fmt, form=form) for topic, seed, form in spec.plan())


def make_sheets(spec: SheetSpec, students: Sequence[str] = (), fmt: str = "text",
                progress: Callable[[], None] | None = None) -> list[Sheet]:
    """The class sheet; or, with a roster, one variant per student, in roster order."""
    if not students:
        return [Sheet(spec, sheet_problems(spec, fmt))]
    sheets = []
    for name in students:
        variant = spec.for_student(name)
        sheets.append(Sheet(variant, sheet_problems(variant, fmt), name, spec.id))
        if progress:
            progress()
    return sheets


def default_title(spec: SheetSpec) -> str:
    first, *rest = [topic_info(t).title for t in spec.topics]
    titles = [first] + [t[0].lower() + t[1:] for t in rest]      # one sentence: "…, the normal equation and …"
    shown = titles if len(titles) <= 3 else titles[:2] + [f"{len(titles) - 2} more topics"]
    return "Worksheet: " + (", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0])


def slug(name: str) -> str:
    """A student's name as part of a file name: 'Ada Lovelace' -> 'ada-lovelace'."""
    return re.sub(r"[\W_]+", "-", normal_name(name)).strip("-")


MAX_LISTED = 5                      # roster problems named in the one-line error


def read_roster(path: str | Path) -> list[str]:
    """Student names, one a line (blank lines and # comments skipped); refuses duplicates."""
    try:
        text = decode_text(Path(path).read_bytes())
    except UnicodeDecodeError:
        raise DrillsError(f"roster {path} is not a text file ({ENCODINGS})") from None
    except OSError as err:
        raise DrillsError(f"cannot read roster {path}: {reason(err)}") from None
    names: list[str] = []
    seen: dict[str, int] = {}
    problems: list[str] = []                 # all of them at once: a class list is fixed in one go
    for number, line in enumerate(text.splitlines(), 1):
        name = " ".join(line.split())
        if not name or name.startswith("#"):
            continue
        try:                                   # as a learner's name is kept: --record files it under it
            name = learner_name(name)
        except ValueError as err:
            problems.append(f"line {number}: {err}")
            continue
        key = name_key(name)                # the same student, however the name is typed
        if not key:
            problems.append(f"line {number}: '{name}' has no letters or digits")
        elif key in seen:
            problems.append(f"line {number}: '{name}' is the same student as line {seen[key]}")
        else:
            seen[key] = number
            names.append(name)
    if problems:
        more = f"; and {len(problems) - MAX_LISTED} more" if len(problems) > MAX_LISTED else ""
        advice = "; names must differ (add an initial)" if any("same student" in p for p in problems) else ""
        raise DrillsError(f"roster {path}, " + "; ".join(problems[:MAX_LISTED]) + more + advice)
    if not names:
        raise DrillsError(f"roster {path} lists no students (one name a line)")
    return names


def expects(part: Part) -> str:
    if part.kind is Kind.CHOICE and part.choices:
        return "one of: " + ", ".join(part.choices)
    return part.kind.describe()


def answer_sheet(sheet: Sheet, title: str, filled: bool = False, comments: bool = True) -> str:
    """The plain-text sheet a student fills in (`filled`: the key's answers, which score 100%)."""
    lines = [BEGIN]
    if comments:
        lines += [f"# {' '.join(title.split())}",         # one line: a title's own lines would be read
                  "# Type each answer after its key, on the same line, e.g.  1a: 3/4",
                  f"# {EXACT}",
                  "# A matrix: [[1, 2], [3, 4]] or 1 2; 3 4. Leave a line empty to skip it.",
                  "# Lines starting with # are ignored. Keep the sheet line as it is."]
    lines.append(f"sheet: {sheet.id}")
    if sheet.class_id:
        lines.append(f"class: {sheet.class_id}")
    lines.append(f"name: {sheet.student}".rstrip())
    for number, problem in enumerate(sheet.problems, 1):
        if comments:
            lines += ["", f"# {number}. {topic_info(problem.topic).title}"]
        for part in problem.parts:
            if comments:
                lines.append(f"# {sheet_key(number, part.key)}: {part.label} — {expects(part)}")
            lines.append(f"{sheet_key(number, part.key)}: {typed(part.answer, part.kind) if filled else ''}".rstrip())
    return "\n".join(lines + [END]) + "\n"


PAPERS = {"letter": ("letter", "letterpaper"), "a4": ("A4", "a4paper")}     # CSS and LaTeX names


def render_document(sheets: Sequence[Sheet], title: str, fmt: str, key: bool = False, paper: str = "letter") -> str:
    """The printable worksheet (or, with `key`, the answer key), every sheet on its own pages."""
    template = environment(fmt).get_template(f"worksheet.{fmt}.j2")
    level = LEVEL_WORDS.get(sheets[0].spec.level, sheets[0].spec.level)
    views = [_sheet_view(sheet, title, fmt, key) for sheet in sheets]
    declared = declarations(_prose(title, fmt) + "".join(s.student for s in sheets)) if fmt == "tex" else ""
    keep = not key and sheets[0].spec.level == Level.FREE_RESPONSE.value   # a statement on one page, with its first box
    css_paper, tex_paper = PAPERS[paper]
    text = template.render(title=_prose(title, fmt), level=level, key=key, keep=keep, exact=_prose(EXACT, fmt),
                           sheets=views, declared=Markup(declared), paper=css_paper if fmt == "html" else tex_paper)
    # pdflatex knows é composed, not as e and an accent; normal_name reads a name the same either way.
    return (unicodedata.normalize("NFC", text) if fmt == "tex" else text).strip() + "\n"


def _sheet_view(sheet: Sheet, title: str, fmt: str, key: bool) -> dict:
    lines = answer_sheet(sheet, title, filled=True, comments=False) if key else ""
    head = f"{sheet.student} · sheet {sheet.id}" if sheet.student else f"sheet {sheet.id}"
    return {"id": sheet.id, "class_id": sheet.class_id, "student": _prose(sheet.student, fmt),
            "running_head": _css_string(head), "answer_lines": Markup(lines) if fmt == "tex" else lines,
            "problems": [_problem_view(n, p, fmt) for n, p in enumerate(sheet.problems, 1)]}


def _css_string(text: str) -> Markup:
    """text as a CSS string, safe inside a <style> element: quotes, backslashes and < escaped."""
    escaped = "".join(f"\\{ord(c):x} " if c in '"\\<>' or ord(c) < 32 else c for c in text)
    return Markup(f'"{escaped}"')


def _problem_view(number: int, problem: Problem, fmt: str) -> dict:
    def shown(text: str) -> Markup:
        return Markup(tex_prose(text) if fmt == "tex" else text)

    return {"number": str(number), "title": _prose(topic_info(problem.topic).title, fmt),
            "prompt": shown(problem.prompt), "solution": shown(problem.solution),
            "parts": [{"key": sheet_key(number, part.key), "label": _label(part.label, fmt),
                       "expects": _prose(expects(part), fmt), "answer": _key_answer(part, fmt),
                       "room": str(_room(part))} for part in problem.parts]}


def _key_answer(part: Part, fmt: str):
    """The answer as the key shows it: math for numbers, vectors, matrices and shapes, else code."""
    if isinstance(part.answer, str) and is_no_value(part.answer):
        return _prose(part.answer, fmt)
    if part.kind is Kind.SHAPE:
        rows, cols = from_json(part.answer, part.kind)
        return Shape(rows, cols)
    if part.kind in (Kind.NUMBER, Kind.VECTOR, Kind.MATRIX):
        return from_json(part.answer, part.kind)
    return code(typed(part.answer, part.kind), fmt)


def _room(part: Part) -> float:
    """Height (em) of the box to write a part's answer in."""
    if part.kind is Kind.SVD:
        return 9
    if part.kind is Kind.MATRIX and isinstance(part.answer, list):
        return min(2 + 1.5 * len(part.answer), 10)
    return 4 if part.kind in (Kind.EXPRESSION, Kind.VECTOR) else 3


# X_b in a part's label, as the terminal shows it: in print, X with a subscript b
_SUBSCRIPT = re.compile(r"(?<![A-Za-z\\])([A-Za-z])(\\?)_([A-Za-z0-9]+)")


def _label(text: str, fmt: str):
    """A part's label for a template: as _prose, with X_b set as X with a subscript b."""
    if fmt == "html":
        return Markup(_SUBSCRIPT.sub(r"\1<sub>\3</sub>", str(escape(text))))
    if fmt == "tex":
        return Markup(_SUBSCRIPT.sub(r"\1\\textsubscript{\3}", str(_prose(text, fmt))))
    return text


def _prose(text: str, fmt: str):
    """User or catalog text for a template: LaTeX-escaped for tex (HTML escapes itself)."""
    if fmt != "tex":
        return text
    return Markup(tex_prose(tex_escaped(text)))


