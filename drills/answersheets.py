"""Returned answer sheets: read the `KEY: answer` lines, rebuild the sheet's problems from its
ID and grade every part. What cannot be used is reported line by line; the rest is still graded.

A file holds one answer sheet, or several between BEGIN/END marker lines (an answer key in
Markdown, HTML or LaTeX carries its filled sheets that way, so the key grades as 100%).
"""
from __future__ import annotations

import html
import os
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from drills.errors import DrillsError, reason
from drills.problem import Problem
from drills.progress import Store
from drills.records import AttemptRecord, attempt_from, content_id, learner_name
from drills.sheetid import SheetIdError, SheetSpec, decode, name_key
from drills.terminal import counted
from drills.textfile import ENCODINGS, decode_text, read_bytes
from drills.worksheet import BEGIN, END, HEADER_KEYS, keyed_parts, sheet_key, sheet_problems
from grader import Verdict, grade
from grader.spec import Part, PartVerdict

MAX_BYTES = 64_000_000              # a class's answer key is a sheet too: 40 students × 64 problems
_KEY = re.compile(r"\(?(\d{1,3})[.)]?\(?([a-z])\)?")
# An answer line written outside the sheet's markers, or with '=' for ':' ('1a = 3/4')
_ANSWER_LINE = re.compile(r"\s*(\(?\d{1,3}[.)]?\s*\(?[a-zA-Z]\)?)\s*[:=](.*)")


class SheetError(DrillsError):
    """A sheet that cannot be graded at all: no sheet line, an unusable ID, an unreadable file."""


@dataclass(frozen=True)
class Issue:
    """Something wrong on a sheet that did not stop it being graded."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message

    def to_dict(self) -> dict:
        return {"line": self.line, "message": self.message}


@dataclass(frozen=True)
class GradedProblem:
    """One problem of a returned sheet: what was written and the grader's verdict."""

    number: int
    problem: Problem
    answers: dict[str, str]                 # part key ('a') -> the text written; blank parts absent
    verdict: Verdict
    lines: dict[str, int] = field(default_factory=dict)   # part key -> its line in the file


@dataclass(frozen=True)
class GradedSheet:
    """A graded answer sheet: who, which sheet, every problem's verdict, and the issues found."""

    source: str
    sheet_id: str
    name: str
    problems: tuple[GradedProblem, ...]
    issues: tuple[Issue, ...] = ()
    worksheet: str = ""                     # the class sheet's ID for a student's variant, else sheet_id

    def results(self) -> list[tuple[str, GradedProblem, Part, PartVerdict]]:
        """(key such as '3b', problem, part, verdict) for every part, in sheet order."""
        return [(sheet_key(g.number, part.key), g, part, pv) for g in self.problems
                for part, pv in zip(g.problem.parts, g.verdict.parts)]

    @property
    def points(self) -> float:
        return sum(pv.score for g in self.problems for pv in g.verdict.parts)

    @property
    def out_of(self) -> int:
        return sum(len(g.verdict.parts) for g in self.problems)

    @property
    def score(self) -> float:
        return self.points / self.out_of if self.out_of else 1.0

    def to_dict(self) -> dict:
        parts = [{"key": key, "problem": g.number, "topic": g.problem.topic,
                  "answer": g.answers.get(part.key), "line": g.lines.get(part.key),
                  "score": round(pv.score, 4), "correct": pv.correct, "feedback": pv.feedback,
                  "diagnosis": pv.diagnosis, "readable": pv.readable}
                 for key, g, part, pv in self.results()]
        return {"file": self.source, "sheet": self.sheet_id, "worksheet": self.worksheet, "name": self.name,
                "points": round(self.points, 4), "out_of": self.out_of, "score": round(self.score, 4),
                "parts": parts, "issues": [i.to_dict() for i in self.issues]}


def attempts_of(sheet: GradedSheet, learner: str | None = None) -> list[AttemptRecord]:
    """The sheet's problems as progress attempts of its student (or `learner`). Ids come from
    what was written, so recording the same sheet twice adds nothing."""
    who = learner or sheet.name
    records = []
    for g in sheet.problems:
        record = attempt_from(g.problem, g.answers, g.verdict, learner=who, source="sheet")
        if record is not None:
            records.append(replace(record, id=content_id(who, sheet.sheet_id, g.number, g.answers)))
    return records


def record(sheets: Sequence[GradedSheet], store: Store, learner: str | None = None,
           roster: Sequence[str] | None = None) -> list[str]:
    """Save each sheet's problems to the progress of the student it names (or `learner`'s); what
    was done, one line each. A sheet without a name is not saved to anyone's. A student's variant
    goes under the name it was made for, as `roster` (else the store's learners) spells it, when
    the sheet is that student's (see recorded_names)."""
    if learner:
        chosen = [learner] * len(sheets)
    else:
        chosen = recorded_names(sheets, store.learners() if roster is None else roster)
    attempts, report = [], []
    for sheet, name in zip(sheets, chosen):
        try:                         # the name checked as --learner's is: no stray control characters
            who = learner_name(name)
        except ValueError as err:
            why = "no name on it" if not name else str(err)
            report.append(f"{sheet.source}: {why}, so not recorded (--learner NAME records it)")
            continue
        if name != (learner or sheet.name):
            report.append(f"{sheet.source}: recorded as {who}, the name its variant was made for "
                          f"(the sheet says '{sheet.name}')")
        attempts += attempts_of(sheet, who)
    added = store.add(attempts)
    who = len({a.learner for a in attempts})
    again = f" ({len(attempts) - added} already recorded)" if added < len(attempts) else ""
    return report + [f"Recorded {counted(added, 'attempt')} for {counted(who, 'learner')}"
                     f"{again} in {store.path}."]


def recorded_names(sheets: Sequence[GradedSheet], names: Sequence[str]) -> list[str]:
    """The name to record each sheet under: the one of `names` its variant was made for, when
    the name on the sheet is that student's written another way ('emily bronte', or 'Mo
    Al-Farsi' for 'Mohammed Al-Farsi': each word the start of one of theirs), is no other of
    `names`, and no other name handed in that variant (a copy); else the name on the sheet."""
    owners = variant_owners(sheets, names)
    known = {name_key(n) for n in names}
    shared = {v for v, handed in names_by_variant(sheets).items() if len(handed) > 1}
    chosen = []
    for sheet in sheets:
        mine = owners.get(sheet.sheet_id, []) if sheet.name and sheet.worksheet != sheet.sheet_id else []
        same = [n for n in mine if name_key(n) == name_key(sheet.name)]
        if unicodedata.normalize("NFC", sheet.name).strip() not in mine and len(same) == 1:
            chosen.append(same[0])
        elif (len(mine) == 1 and not same and _shortened(sheet.name, mine[0])
              and name_key(sheet.name) not in known and sheet.sheet_id not in shared):
            chosen.append(mine[0])
        else:
            chosen.append(sheet.name)
    return chosen


def _shortened(typed: str, name: str) -> bool:
    """Whether each word of `typed` begins a word of `name` ('Mo Al-Farsi', 'Mohammed Al-Farsi')."""
    words, parts = [name_key(w) for w in name.split()], [p for p in map(name_key, typed.split()) if p]
    return bool(parts) and all(any(w.startswith(part) for w in words) for part in parts)


def variant_owners(sheets: Sequence[GradedSheet], names: Sequence[str]) -> dict[str, list[str]]:
    """Which of `names` each variant of the sheets' class sheets was made for: sheet ID -> names."""
    owners: dict[str, list[str]] = {}
    for worksheet in {s.worksheet for s in sheets if s.worksheet != s.sheet_id}:
        try:
            class_sheet = decode(worksheet)
        except SheetIdError:
            continue
        for name in names:
            owners.setdefault(class_sheet.for_student(name).id, []).append(name)
    return owners


def names_by_variant(sheets: Sequence[GradedSheet]) -> dict[str, list[str]]:
    """The names each student's variant (a sheet with a class line) was handed in under, one
    spelling of each: sheet ID -> names."""
    handed: dict[str, dict[str, str]] = {}
    for s in sheets:
        if s.name and s.worksheet != s.sheet_id:
            handed.setdefault(s.sheet_id, {}).setdefault(name_key(s.name), s.name)
    return {variant: list(spellings.values()) for variant, spellings in handed.items()}


def own_variant(sheet: GradedSheet) -> bool | None:
    """Whether the sheet's ID is the variant made for the name on it; None where that cannot be
    told (no class line, or no name)."""
    if not sheet.name or sheet.worksheet == sheet.sheet_id:
        return None
    try:
        return decode(sheet.worksheet).for_student(sheet.name).id == sheet.sheet_id
    except SheetIdError:
        return None


class Ungraded(str):
    """The one-line message about a file, or a sheet in it, that could not be graded (a str, as
    printed), with its `source` and the `reason` apart, for its row in a gradebook."""

    source: str
    reason: str

    def __new__(cls, source: str, message: str) -> Ungraded:
        self = super().__new__(cls, message)
        self.source = source
        self.reason = message[len(source):].lstrip(":, ") if message.startswith(source) else message
        return self


def sheet_files(paths: Sequence[str]) -> list[str]:
    """The files to grade: a folder stands for the .txt files in it (one without any stays, to be
    reported)."""
    files = []
    for path in paths:
        inside = _text_files(path) if path != "-" and os.path.isdir(path) else []
        files += inside or [path]
    return files


def _text_files(folder: str) -> list[str]:
    try:
        return sorted(str(p) for p in Path(folder).iterdir()
                      if p.suffix.lower() == ".txt" and not p.name.startswith(".") and p.is_file())
    except OSError:
        return []


def grade_files(paths: Sequence[str], progress: Callable[[], None] | None = None
                ) -> tuple[list[GradedSheet], list[Ungraded]]:
    """Every sheet in the files (a folder: its .txt files), graded; and why each sheet or file
    that could not be was not, in one line."""
    graded, failed = [], []
    cache: dict[str, tuple[Problem, ...]] = {}
    for path in sheet_files(paths):
        try:
            if path != "-" and os.path.isdir(path):
                raise SheetError(f"{path}: a folder without .txt files (answer sheets) in it")
            for source, lines in read_file(path):
                try:
                    graded.append(grade_sheet(source, lines, cache))
                except SheetError as err:
                    failed.append(Ungraded(source, str(err)))
        except SheetError as err:
            failed.append(Ungraded(path, str(err)))
        if progress:
            progress()
    return graded, failed


def read_file(path: str) -> list[tuple[str, list[tuple[int, str]]]]:
    """The answer sheets in a file (- for stdin): (source name, numbered lines) for each."""
    try:
        data = read_bytes(path, MAX_BYTES + 1)
    except OSError as err:
        raise SheetError(f"{path}: cannot read it ({reason(err)})") from None
    if path == "-" and not data.strip():
        raise SheetError("-: no input (stdin is empty or closed)")
    if data.startswith(b"%PDF"):
        raise SheetError(f"{path}: a PDF; grade the plain-text answer sheet, or a key made as md, html or tex")
    if len(data) > MAX_BYTES:
        raise SheetError(f"{path}: over {MAX_BYTES // 1_000_000} MB, too large for an answer sheet")
    try:
        text = decode_text(data)
    except UnicodeDecodeError:
        raise SheetError(f"{path}: not a text file ({ENCODINGS}), so not an answer sheet") from None
    numbered = list(enumerate(text.splitlines(), 1))
    blocks: list[list[tuple[int, str]]] = []
    outside: list[tuple[int, str]] = []
    inside = False
    for number, line in numbered:
        if line.strip() == BEGIN:
            blocks.append([])
            inside = True
        elif line.strip() == END:
            inside = False
        elif inside:
            blocks[-1].append((number, line))
        elif _ANSWER_LINE.fullmatch(line):
            outside.append((number, line))
    if not blocks:
        return [(path, numbered)]
    if text.lstrip().startswith("<"):                 # an HTML key: its <pre> lines are escaped
        blocks = [[(n, html.unescape(line)) for n, line in block] for block in blocks]
    if len(blocks) == 1:          # a student's sheet: answers typed below its end line count too
        return [(path, sorted(blocks[0] + outside))]
    return [(f"{path} (sheet {i})", block) for i, block in enumerate(blocks, 1)]


def grade_sheet(source: str, lines: Sequence[tuple[int, str]],
                cache: dict[str, tuple[Problem, ...]] | None = None) -> GradedSheet:
    """Grade one answer sheet's lines; SheetError when it cannot be graded at all."""
    header: dict[str, tuple[int, str]] = {}
    written: list[tuple[int, str, str]] = []
    issues: list[Issue] = []
    for number, raw in lines:
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        key, sep, value = text.partition(":")
        if not sep and (answer := _ANSWER_LINE.fullmatch(text)):      # '1a = 3/4'
            key, sep, value = answer[1], "=", answer[2]
        if not sep:
            issues.append(Issue(number, f"'{_short(text)}' is not 'KEY: answer' (such as '1a: 3/4'); "
                                        "ignored. A matrix goes on one line: 1 2; 3 4"))
        elif key.strip().lower() in HEADER_KEYS:
            name = key.strip().lower()
            if name in header:
                issues.append(Issue(number, f"a second '{name}:' line (the first is line {header[name][0]}): ignored"))
            else:
                header[name] = (number, value.strip())
        else:
            written.append((number, key.strip(), value.strip()))
    spec = _spec(source, header, issues)
    cache = {} if cache is None else cache
    if spec.id not in cache:
        cache[spec.id] = sheet_problems(spec)
    problems = cache[spec.id]
    name = header.get("name", (0, ""))[1]
    worksheet, variant_issues = _variant_of(spec, header)
    issues += variant_issues
    given = _match_keys(problems, written, issues)
    graded = []
    for n, problem in enumerate(problems, 1):
        mine = {p.key: given[sheet_key(n, p.key)] for p in problem.parts if sheet_key(n, p.key) in given}
        answers = {k: text for k, (_, text) in mine.items() if text}
        lines_of = {k: line for k, (line, _) in mine.items()}
        graded.append(GradedProblem(n, problem, answers, grade(problem, answers), lines_of))
    issues.sort(key=lambda i: (i.line is None, i.line or 0))
    return GradedSheet(source, spec.id, name, tuple(graded), _capped(issues), worksheet)


MAX_LINE_ISSUES = 10


def _capped(issues: list[Issue]) -> tuple[Issue, ...]:
    """Every sheet-wide issue, and the first few about single lines: a pasted log gives thousands."""
    lines = [i for i in issues if i.line]
    if len(lines) <= MAX_LINE_ISSUES:
        return tuple(issues)
    left = len(lines) - MAX_LINE_ISSUES
    return (*lines[:MAX_LINE_ISSUES],
            Issue(lines[MAX_LINE_ISSUES].line, f"… and {left:,} more line{'s' if left > 1 else ''} with an issue, not listed"),
            *(i for i in issues if not i.line))


def _spec(source: str, header: dict[str, tuple[int, str]], issues: list[Issue]) -> SheetSpec:
    """The sheet's spec from its ID; a mistyped ID of a student's variant is read as the variant
    its class and name lines give, when it is one or two characters away from it."""
    if "sheet" not in header:
        raise SheetError(f"{source}: no 'sheet:' line, so there is no telling which worksheet it answers")
    number, text = header["sheet"]
    try:
        return decode(text)
    except SheetIdError as err:
        if own := _own_variant(header, text):
            issues.append(Issue(number, f"{err}; graded as {own.id}, the variant made for "
                                        f"'{header['name'][1]}' on class sheet {header['class'][1]}"))
            return own
        raise SheetError(f"{source}, line {number}: {err}") from None


def _own_variant(header: dict[str, tuple[int, str]], typed: str) -> SheetSpec | None:
    """The variant the class and name lines give, if the typed ID differs from it in one or two places."""
    try:
        own = decode(header["class"][1]).for_student(header["name"][1])
    except (KeyError, SheetIdError):
        return None
    plain = [c for c in typed.upper() if c.isalnum()]
    wanted = [c for c in own.id if c.isalnum()]
    mismatched = sum(a != b for a, b in zip(plain, wanted)) + abs(len(plain) - len(wanted))
    return own if mismatched <= 2 else None


def _variant_of(spec: SheetSpec, header: dict[str, tuple[int, str]]) -> tuple[str, list[Issue]]:
    """The worksheet a sheet belongs to (a student's variant names its class sheet), and whether
    the sheet ID is the variant made for the name on it."""
    if "class" not in header:
        return spec.id, []
    number, text = header["class"]
    try:
        class_sheet = decode(text)
    except SheetIdError as err:
        return spec.id, [Issue(number, f"{err}; the variant was not checked")]
    name = header.get("name", (0, ""))[1]
    if not name:
        return class_sheet.id, [Issue(number, "a class sheet but no name: cannot check this is the student's own variant")]
    expected = class_sheet.for_student(name)
    if expected.id == spec.id:
        return class_sheet.id, []
    return class_sheet.id, [Issue(header["sheet"][0], f"sheet {spec.id} is not the variant made for '{name}' "
                                                      f"(that is {expected.id}); graded against the problems of {spec.id}")]


def _match_keys(problems: tuple[Problem, ...], written, issues: list[Issue]) -> dict[str, tuple[int, str]]:
    keys = [key for _, key, _ in keyed_parts(problems)]
    given: dict[str, tuple[int, str]] = {}
    unknown = 0
    for number, key, value in written:
        match = _KEY.fullmatch("".join(key.lower().split()))
        canonical = sheet_key(int(match[1]), match[2]) if match else key
        if canonical not in keys:
            unknown += 1
            span = f"{keys[0]} to {keys[-1]}" if keys else "none"
            issues.append(Issue(number, f"no question '{_short(key)}' on this sheet (its keys: {span}): ignored"))
        elif canonical in given and given[canonical][1] and value:
            issues.append(Issue(number, f"{canonical} is answered twice (first on line "
                                        f"{given[canonical][0]}): the first answer is graded"))
        elif canonical not in given or value:      # an answer below its key's empty line takes its place
            given[canonical] = (number, value)
    missing = [k for k in keys if k not in given]
    if missing:
        shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
        hint = " (the keys do not match: is the sheet line right?)" if unknown and len(missing) >= unknown else ""
        issues.append(Issue(None, f"no line for {shown}: scored 0{hint}"))
    return given


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
