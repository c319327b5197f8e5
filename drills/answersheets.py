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
from grader.parse import open_brackets
from grader.spec import Part, PartVerdict

MAX_BYTES = 64_000_000              # a class's answer key is a sheet too: 40 students × 64 problems
_KEY = re.compile(r"\(?(\d{1,3})[.)]?\(?([a-z])\)?")
# An answer line written outside the sheet's markers, or with '=' for ':' ('1a = 3/4')
_ANSWER_LINE = re.compile(r"\s*(\(?\d{1,3}[.)]?\s*\(?[a-zA-Z]\)?)\s*[:=](.*)")
# A line of two or more numbers, maybe with brackets: a matrix row typed on a line of its own
_NUMBER = r"[-+−]?\d[\d./]*"
_MATRIX_ROW = re.compile(rf"[\s\[\](),;]*{_NUMBER}(?:[\s\[\](),;]+{_NUMBER})+[\s\[\](),;]*")


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


@dataclass(frozen=True)
class Ungraded:
    """A file, or a sheet in it, that could not be graded: the one-line message, as printed."""

    source: str
    message: str

    def __str__(self) -> str:
        return self.message

    @property
    def reason(self) -> str:
        """The message without the file's name, for its row in a gradebook."""
        return self.message[len(self.source):].lstrip(":, ") if self.message.startswith(self.source) else self.message


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
    if not text.strip():
        blank = " (only blank lines)" if text else ""
        raise SheetError(f"{path}: the file is empty{blank}, so there is nothing to grade")
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
    header, written, issues = _read_lines(lines)
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


def _read_lines(lines: Sequence[tuple[int, str]]):
    """The sheet's header lines, its (line, key, answer) lines, and the issues of reading them."""
    header: dict[str, tuple[int, str]] = {}
    written: list[tuple[int, str, str]] = []
    issues: list[Issue] = []
    below: list[tuple[int, str]] = []            # (line, key) of each lone answer under an empty key line
    for keyed, under in _runs(lines):
        if keyed is None:
            issues += [_ignored(n, text) for n, text in under]
            continue
        number, key, value = keyed
        if key.lower() in HEADER_KEYS:
            name = key.lower()
            if name in header:
                issues.append(Issue(number, f"a second '{name}:' line (the first is line {header[name][0]}): ignored"))
            else:
                header[name] = (number, value)
            issues += [_ignored(n, text) for n, text in under]
        else:
            answer, taken, note = _continued(number, key, value, under)
            written.append(answer)
            if note:
                issues.append(note)
            elif taken:
                below.append((answer[0], key))
            issues += [_ignored(n, text) for n, text in under[taken:]]
    return header, written, issues + _below_notes(below)


def _below_notes(below: list[tuple[int, str]]) -> list[Issue]:
    """One note on the answers read from the line under their empty key line."""
    if len(below) < 2:
        return [Issue(n, f"read as the answer to {key} (written on the line under '{key}:')") for n, key in below]
    keys = [key for _, key in below]
    shown = ", ".join(keys[:8]) + (f" and {len(keys) - 8} more" if len(keys) > 8 else "")
    return [Issue(below[0][0], f"answers read from the line under their key: {shown}")]


def _runs(lines: Sequence[tuple[int, str]]):
    """Each 'KEY: answer' line as (line, key, answer) with the other lines right under it (no
    blank or comment line between); lines under no key line come with None."""
    runs: list[tuple[tuple[int, str, str] | None, list[tuple[int, str]]]] = []
    under: list[tuple[int, str]] | None = None
    for number, raw in lines:
        text = raw.strip()
        if not text or text.startswith("#"):
            under = None
        elif keyed := _keyed(text):
            under = []
            runs.append(((number, *keyed), under))
        elif under is None:
            under = [(number, text)]
            runs.append((None, under))
        else:
            under.append((number, text))
    return runs


def _keyed(text: str) -> tuple[str, str] | None:
    """(key, answer) of a 'KEY: answer' line (or '1a = 3/4'); None for other text."""
    key, sep, value = text.partition(":")
    if sep:
        return key.strip(), value.strip()
    if answer := _ANSWER_LINE.fullmatch(text):
        return answer[1].strip(), answer[2].strip()
    return None


def _continued(number: int, key: str, value: str, under: list[tuple[int, str]]):
    """A key line's answer as (line, key, text), with the lines right under it that belong to it:
    those that close a '[' it leaves open; under an empty key line, one lone line or lines that
    close the '[' the first one opens. Also how many lines it took, and a note when several."""
    lines = [text for _, text in under]
    if not _KEY.fullmatch("".join(key.lower().split())):
        taken = 0                                    # not a question's key ('Date:'): nothing to continue
    elif value:
        taken = max(_bracketed([value, *lines]) - 1, 0)
    else:
        taken = 1 if len(lines) == 1 else _bracketed(lines)
    if not taken:
        return (number, key, value), 0, None
    text = "\n".join(([value] if value else []) + lines[:taken])    # the parser reads rows by line
    first, last = (number if value else under[0][0]), under[taken - 1][0]
    where = f"lines {first}–{last}" if value else f"lines {first}–{last}, under '{key}:'"
    note = Issue(first, f"read as one answer to {key} ({where})") if first != last else None
    return (first, key, text), taken, note


def _bracketed(lines: list[str]) -> int:
    """How many lines, from the first, close the brackets the first leaves open (0: it closes them
    on its own line, or none does), as practice reads an answer over lines at a terminal."""
    for taken in range(2, len(lines) + 1) if lines and open_brackets(lines[0]) else ():
        if not open_brackets("\n".join(lines[:taken])):
            return taken
    return 0


def _ignored(number: int, text: str) -> Issue:
    """A line that is not 'KEY: answer' and belongs to none."""
    hint = ". A matrix goes on its key's line (1a: 1 2; 3 4) or over lines inside [ ]"
    hint = hint if _MATRIX_ROW.fullmatch(text) else ""
    return Issue(number, f"'{_short(text)}' is not 'KEY: answer' (such as '1a: 3/4'); ignored{hint}")


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
    """The sheet's spec from its ID. A student's variant is also found from the class and name
    lines: when the sheet line is missing, or its ID one or two characters away from that variant."""
    number, text = header.get("sheet", (0, ""))
    if not text:
        if own := _class_variant(header):
            missing = "the 'sheet:' line is empty" if number else "no 'sheet:' line"
            issues.append(Issue(number or None, f"{missing}: graded as {own.id}, the variant its class and "
                                                "name lines give"))
            return own
        where = f"{source}, line {number}: the 'sheet:' line is empty" if number else f"{source}: no 'sheet:' line"
        raise SheetError(f"{where}, so there is no telling which worksheet it answers; "
                         "copy the student's 'sheet:' line from the answer key")
    try:
        return decode(text)
    except SheetIdError as err:
        if (own := _class_variant(header)) and _near(text, own.id):
            issues.append(Issue(number, f"{err}; graded as {own.id}, the variant made for "
                                        f"'{header['name'][1]}' on class sheet {header['class'][1]}"))
            return own
        raise SheetError(f"{source}, line {number}: {err}") from None


def _class_variant(header: dict[str, tuple[int, str]]) -> SheetSpec | None:
    """The variant made for the name on the sheet, of the class sheet its class line names."""
    name = header.get("name", (0, ""))[1]
    try:
        return decode(header["class"][1]).for_student(name) if name else None
    except (KeyError, SheetIdError):
        return None


def _near(typed: str, wanted: str) -> bool:
    """Whether a typed ID differs from the wanted one in one or two places."""
    plain = [c for c in typed.upper() if c.isalnum()]
    right = [c for c in wanted if c.isalnum()]
    return sum(a != b for a, b in zip(plain, right)) + abs(len(plain) - len(right)) <= 2


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
    """Each key's (line, answer): of a key answered more than once, the first answer that can be
    read; a key's empty line when nothing else is written for it."""
    parts = {key: part for _, key, part in keyed_parts(problems)}
    keys = list(parts)
    found: dict[str, list[tuple[int, str]]] = {}
    unknown = 0
    for number, key, value in written:
        match = _KEY.fullmatch("".join(key.lower().split()))
        canonical = sheet_key(int(match[1]), match[2]) if match else key
        if canonical not in parts:
            unknown += 1
            span = f"{keys[0]} to {keys[-1]}" if keys else "none"
            issues.append(Issue(number, f"no question '{_short(key)}' on this sheet (its keys: {span}): ignored"))
        else:
            found.setdefault(canonical, []).append((number, value))
    given = {}
    for key, lines in found.items():
        filled = [line for line in lines if line[1]]
        given[key] = _first_readable(parts[key], filled) if len(filled) > 1 else (filled or lines)[0]
        if len(filled) > 1:
            issues += _answered_again(key, filled, given[key])
    missing = [k for k in keys if k not in given]
    if missing:
        shown = ", ".join(missing[:8]) + (f" and {len(missing) - 8} more" if len(missing) > 8 else "")
        hint = " (the keys do not match: is the sheet line right?)" if unknown and len(missing) >= unknown else ""
        issues.append(Issue(None, f"no line for {shown}: scored 0{hint}"))
    return given


def _first_readable(part: Part, answers: list[tuple[int, str]]) -> tuple[int, str]:
    """The first answer the grader can read (the first, when none can be): a question mark or a
    note after a first try is not meant to cost the point a readable second line earns. Never
    the last, so several guesses gain nothing over one."""
    from grader.compare import grade_part

    return next((a for a in answers if grade_part(part, a[1]).readable), answers[0])


def _answered_again(key: str, answers: list[tuple[int, str]], graded: tuple[int, str]) -> list[Issue]:
    """A note on each answer of a key that is not graded, saying which one is."""
    times = "twice" if len(answers) == 2 else f"{len(answers)} times"
    which = "the first answer" if graded == answers[0] else "the first answer that can be read"
    notes = []
    for number, _ in answers:
        if number < graded[0]:
            notes.append(Issue(number, f"{key} is answered {times}: this one cannot be read, "
                                       f"so the answer on line {graded[0]} is graded"))
        elif number > graded[0]:
            notes.append(Issue(number, f"{key} is answered {times}: {which}, on line {graded[0]}, is graded"))
    return notes


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
