"""The gradebook of returned sheets: per-sheet results as a table, JSON or CSV, and the
questions the class missed most."""
from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from drills.answersheets import GradedSheet, Ungraded, names_by_variant, own_variant
from drills.catalog import topic_info
from drills.checking import format_part
from drills.terminal import columns, counted, padded, wrapped
from drills.worksheet import key_order

AVERAGE_ROW = "(class average)"
# What a question asks, its numbers aside (c₃₃ and c₁₂ ask alike), and the variable a partial
# derivative is taken by (∂f/∂w and ∂f/∂b ask alike)
_PARTICULARS = re.compile(r"[-−]?[0-9₀-₉]+|∂\w")


def question_kind(topic: str, label: str) -> tuple[str, str]:
    """What a part asks, as a class gradebook compares it across the students' variants."""
    return topic, _PARTICULARS.sub("", label)


@dataclass(frozen=True)
class Question:
    """How the class did on one answer-sheet key (across every sheet that has it)."""

    key: str
    topics: tuple[str, ...]
    sheets: int
    right: int
    mean: float
    diagnoses: tuple[tuple[str, int], ...]       # (message, how many sheets), most common first


def question_keys(sheets: Sequence[GradedSheet]) -> list[str]:
    """Every key on any sheet, in sheet order: 1a, 1b, 2a, …, 10a."""
    keys = {key for s in sheets for key, *_ in s.results()}
    return sorted(keys, key=key_order)


def questions(sheets: Sequence[GradedSheet]) -> list[Question]:
    found: dict[str, list] = {}
    for sheet in sheets:
        for key, graded, _, pv in sheet.results():
            found.setdefault(key, []).append((graded.problem.topic, pv))
    out = []
    for key in question_keys(sheets):
        rows = found[key]
        diagnoses = Counter(pv.diagnosis for _, pv in rows if pv.diagnosis and not pv.correct)
        out.append(Question(key, tuple(dict.fromkeys(t for t, _ in rows)), len(rows),
                            sum(pv.correct for _, pv in rows), sum(pv.score for _, pv in rows) / len(rows),
                            tuple(diagnoses.most_common(2))))
    return out


def most_missed(sheets: Sequence[GradedSheet], limit: int = 5) -> list[Question]:
    """The keys with the lowest mean score (ties: in sheet order), leaving out those all got right."""
    missed = [q for q in questions(sheets) if q.right < q.sheets]
    return sorted(missed, key=lambda q: q.mean)[:limit]


def class_warnings(sheets: Sequence[GradedSheet]) -> list[str]:
    """What would make the class figures mislead: a sheet graded twice (a copy, or the answer key
    graded with the class), a student's variant handed in under two names (a copy), or sheets of
    different worksheets."""
    copies: dict[tuple, list[GradedSheet]] = {}
    for s in sheets:         # one student's sheet, by its name; a nameless one, by what was written
        who = s.name or str(sorted((key, g.answers.get(part.key, "")) for key, g, part, _ in s.results()))
        copies.setdefault((s.sheet_id, who), []).append(s)
    repeated = [f"{same[0].name or same[0].sheet_id} ({', '.join(s.source for s in same)})"
                for same in copies.values() if len(same) > 1]
    warnings = []
    if repeated:
        more = f" and {len(repeated) - 3} more" if len(repeated) > 3 else ""
        warnings.append(f"{len(repeated)} sheet{'s are' if len(repeated) > 1 else ' is'} graded more than once, "
                        f"{'; '.join(repeated[:3])}{more}: the class figures count every copy")
    if shared := [(v, names) for v, names in names_by_variant(sheets).items() if len(names) > 1]:
        listed = "; ".join(f"{v} ({', '.join(names)})" for v, names in shared[:3])
        more = f" and {len(shared) - 3} more" if len(shared) > 3 else ""
        count = len(shared[0][1])
        what = (f"same variant handed in under {'two' if count == 2 else count} names" if len(shared) == 1
                else f"{len(shared)} variants handed in under more than one name")
        warnings.append(f"{what}: {listed}{more}")
    worksheets = Counter(s.worksheet or s.sheet_id for s in sheets)
    if len(worksheets) > 1:
        listed = ", ".join(f"{w} ({n} sheet{'s' if n > 1 else ''})" for w, n in worksheets.most_common())
        warnings.append(f"these sheets answer {len(worksheets)} different worksheets, {listed}: "
                        "the class figures mix their questions; grade each worksheet's sheets on their own")
    elif mixed := _mixed_keys(sheets):
        warnings.append(f"the students' variants ask different questions under {len(mixed)} of "
                        f"{len(question_keys(sheets))} keys ({', '.join(mixed[:6])}{', …' if len(mixed) > 6 else ''}): "
                        "their figures mix those questions")
    return warnings


def _mixed_keys(sheets: Sequence[GradedSheet]) -> list[str]:
    """The keys under which the sheets ask different things (a question's numbers aside)."""
    asked: dict[str, set] = {}
    for sheet in sheets:
        for key, graded, part, _ in sheet.results():
            asked.setdefault(key, set()).add(question_kind(graded.problem.topic, part.label))
    return [key for key in question_keys(sheets) if len(asked[key]) > 1]


def format_table(sheets: Sequence[GradedSheet], color: bool | None = None,
                 ungraded: Sequence[Ungraded] = ()) -> str:
    """Each sheet's results and notes, then (for several) the class summary, which ends with the
    files that could not be graded."""
    blocks = [_sheet_block(s, color) for s in sheets]
    if len(sheets) > 1:
        blocks.append(_class_block(sheets, ungraded))
    elif ungraded and sheets:
        blocks.append("\n".join(_ungraded_lines(ungraded)))
    return "\n\n".join(blocks)


def _sheet_block(sheet: GradedSheet, color: bool | None) -> str:
    lines = [wrapped(f"{sheet.name or '(no name)'} · sheet {sheet.sheet_id} · {sheet.source}")]
    for key, graded, _, pv in sheet.results():
        where = f" (line {graded.lines[pv.key]})" if not pv.readable and pv.key in graded.lines else ""
        body = wrapped(format_part(pv, color) + where, " " * (len(key) + 4))
        lines.append(f"  {key}  {body.lstrip(' ')}")
    lines += [wrapped(f"! {issue}", "  ") for issue in sheet.issues]
    lines.append(f"  Total: {_points(sheet.points)} / {sheet.out_of} ({sheet.score:.0%})")
    return "\n".join(lines)


def _class_block(sheets: Sequence[GradedSheet], ungraded: Sequence[Ungraded] = ()) -> str:
    mean = sum(s.score for s in sheets) / len(sheets)
    failed = f"; {counted(len(ungraded), 'file')} not graded (listed at the end)" if ungraded else ""
    lines = [f"Class: {len(sheets)} sheets, average {mean:.0%}{failed}",
             *(wrapped(f"! {w}", "  ") for w in class_warnings(sheets))]
    width = max(columns(_who(s)) for s in sheets)
    lines += [f"  {padded(_who(s), width)}  {_points(s.points):>5} / {s.out_of:<3} {s.score:>4.0%}{_marks(s)}"
              for s in sheets]
    missed = most_missed(sheets)
    if not missed:
        lines.append("Every question was answered right on every sheet.")
    else:
        lines.append("Most missed:")
    for q in missed:
        topics = ", ".join(topic_info(t).title for t in q.topics)
        common = "; ".join(f"“{d}” ×{n}" for d, n in q.diagnoses)
        lines.append(wrapped(f"  {q.key:<4} {q.right} of {q.sheets} right, average {q.mean:.0%} · {topics}"))
        if common:
            lines.append(wrapped(f"common: {common}", " " * 7))
    return "\n".join(lines + _ungraded_lines(ungraded))


def _marks(sheet: GradedSheet) -> str:
    """What a class row flags: the sheet's notes (listed under it above), and a name that is not
    the one its variant was made for."""
    marks = [counted(len(sheet.issues), "note")] if sheet.issues else []
    if own_variant(sheet) is False:
        marks.append("made for another name")
    return f"  ! {', '.join(marks)}" if marks else ""


def _ungraded_lines(ungraded: Sequence[Ungraded]) -> list[str]:
    """The files that could not be graded, one line each: the errors above scroll away."""
    if not ungraded:
        return []
    return [f"Not graded ({counted(len(ungraded), 'file')}):", *(wrapped(u.message, "  ") for u in ungraded)]


def _who(sheet: GradedSheet) -> str:
    return sheet.name or f"(no name) {sheet.source}"


def to_json(sheets: Sequence[GradedSheet], ungraded: Sequence[Ungraded] = ()) -> str:
    """Every sheet's results; then each file that could not be graded, with `graded` false, its
    `error` and no scores, so no student is left out unseen."""
    entries = [{**s.to_dict(), "graded": True, "error": None} for s in sheets]
    entries += [{"file": u.source, "sheet": "", "worksheet": "", "name": "", "points": None, "out_of": None,
                 "score": None, "parts": [], "issues": [{"line": None, "message": u.reason}], "graded": False,
                 "error": u.reason} for u in ungraded]
    return json.dumps(entries, indent=2, ensure_ascii=False)


def to_csv(sheets: Sequence[GradedSheet], ungraded: Sequence[Ungraded] = ()) -> str:
    """One row per sheet (name, sheet, file, a score per question, points, out of, percent, and
    the issues found), a row with empty scores for each file that could not be graded, then one
    row of class averages: a spreadsheet sorts it to find the questions most missed."""
    keys = question_keys(sheets)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "sheet", "file", *keys, "points", "out_of", "percent", "issues"])
    for s in sheets:
        scores = {key: _points(pv.score) for key, _, _, pv in s.results()}
        writer.writerow([_as_text(s.name), s.sheet_id, _as_text(s.source), *(scores.get(k, "") for k in keys),
                         _points(s.points), s.out_of, round(100 * s.score, 1), _as_text(_issues_text(s))])
    for u in ungraded:
        writer.writerow(["", "", _as_text(u.source), *("" for _ in keys), "", "", "",
                         _as_text(f"not graded: {u.reason}")])
    if len(sheets) > 1:
        means = {q.key: round(q.mean, 3) for q in questions(sheets)}
        writer.writerow([AVERAGE_ROW, "", "", *(means[k] for k in keys),
                         round(sum(s.points for s in sheets) / len(sheets), 3),
                         "", round(100 * sum(s.score for s in sheets) / len(sheets), 1), ""])
    return out.getvalue()


def _issues_text(sheet: GradedSheet) -> str:
    """A sheet's issues in one cell: its unreadable parts (scored 0 as a wrong one is, but not
    wrong), then its notes."""
    unread = [key for key, *_, pv in sheet.results() if not pv.readable]
    first = [f"{', '.join(unread)} could not be read"] if unread else []
    return "; ".join(first + [str(i) for i in sheet.issues])


def _as_text(cell: str) -> str:
    """A cell a spreadsheet shows as text: one starting =, +, - or @ would be read as a formula."""
    return "'" + cell if cell[:1] in ("=", "+", "-", "@") else cell


def _points(x: float) -> str:
    """1, 0, 0.5, 0.667: no trailing zeros."""
    return f"{x:.3f}".rstrip("0").rstrip(".")
