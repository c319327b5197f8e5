"""`drills check`: load a problem's JSON safely, grade answers, and show the verdict."""
from __future__ import annotations

import json

import click

from drills.errors import DrillsError, NotJSON, load_json
from drills.problem import Problem
from grader import Verdict, grade
from grader.spec import Kind, PartVerdict
from grader.values import from_json


def load_problem(text: str) -> Problem:
    """A Problem from its JSON text, with a one-line error for anything else."""
    try:
        data = load_json(text)
    except NotJSON as err:
        raise DrillsError(f"PROBLEM is not valid JSON ({err}): it is the JSON of `drills generate` (answer "
                          "sheets are graded with `drills grade`)") from None
    if not isinstance(data, dict) or not isinstance(data.get("parts"), list):
        raise DrillsError("PROBLEM is not a drills problem: expected the JSON of `drills generate`")
    try:
        problem = Problem.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise DrillsError(f"PROBLEM is not a drills problem: {type(err).__name__} {err}") from None
    for part in problem.parts:
        if part.kind in NUMERIC and not _well_formed(part.answer, part.kind):
            raise DrillsError(f"PROBLEM's answer to part '{part.key}' is not a {part.kind.value} "
                              f"({json.dumps(part.answer)[:40]}): was the file edited? Make it again with "
                              "`drills generate`")
    return problem


NUMERIC = (Kind.NUMBER, Kind.VECTOR, Kind.MATRIX, Kind.SHAPE)


def _well_formed(answer, kind: Kind) -> bool:
    """A reference answer that grading can read: a number (or a word such as "undefined"), a
    vector of numbers, a rectangular matrix of them, or a shape."""
    def number(x) -> bool:
        if isinstance(x, bool) or not isinstance(x, (int, float, str)):
            return False
        try:
            from_json(x, kind)
        except (ValueError, ZeroDivisionError, OverflowError):      # AnswerError is a ValueError
            return False
        return True

    if not isinstance(answer, list) or kind is Kind.SHAPE:
        return number(answer)
    rows = answer if answer and all(isinstance(row, list) for row in answer) else [answer]
    return bool(rows[0]) and all(len(row) == len(rows[0]) and all(map(number, row)) for row in rows)


def check_answers(problem_text: str, answers: dict[str, str]) -> Verdict:
    problem = load_problem(problem_text)
    keys = [p.key for p in problem.parts]
    if unknown := [k for k in answers if k not in keys]:
        listed = ", ".join(keys) if keys else "none: this level asks nothing"
        raise DrillsError(f"no part {', '.join(repr(k) for k in unknown)} in this problem (parts: {listed})")
    return grade(problem, answers)


def format_part(pv: PartVerdict, color: bool | None = None) -> str:
    """'✓ Correct.' or '✗ … ' plus the diagnosis on its own line."""
    mark = click.style("✓", fg="green", bold=True) if pv.correct else click.style(
        "?" if not pv.readable else "✗", fg="yellow" if not pv.readable else "red", bold=True)
    lines = [f"{mark} {pv.feedback}"]
    if pv.diagnosis:
        lines.append(f"  {pv.diagnosis}")
    text = "\n".join(lines)
    return click.unstyle(text) if color is False else text


def format_verdict(verdict: Verdict, color: bool | None = None) -> str:
    if not verdict.parts:
        return "Nothing to grade: this problem is a worked example and asks nothing."
    right = sum(p.correct for p in verdict.parts)
    noun = "part" if len(verdict.parts) == 1 else "parts"
    lines = [f"Score: {verdict.score:.0%} ({right} of {len(verdict.parts)} {noun} right)"]
    for pv in verdict.parts:
        body = format_part(pv, color).replace("\n", "\n    ")
        lines.append(f"  ({pv.key}) {body}")
    return "\n".join(lines)
