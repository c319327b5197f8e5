"""`drills check`: load a problem's JSON safely, grade answers, and show the verdict."""
from __future__ import annotations

import json
import math
import re

import click

from drills.errors import DrillsError, NotJSON, load_json
from drills.problem import Problem
from drills.terminal import wrapped
from grader import Verdict, grade
from grader.spec import Kind, Part, PartVerdict
from grader.values import from_json


def load_problem(text: str, source: str = "PROBLEM") -> Problem:
    """A Problem from its JSON text (`source` names the file), with a one-line error for anything else."""
    try:
        data = load_json(text)
    except NotJSON as err:
        raise DrillsError(f"{source} is not valid JSON ({err}): it is the JSON of `drills generate` (answer "
                          "sheets are graded with `drills grade`)") from None
    if not isinstance(data, dict) or not isinstance(data.get("parts"), list):
        raise DrillsError(f"{source} is not a drills problem: expected the JSON of `drills generate`")
    try:
        problem = Problem.from_dict(data)
    except (KeyError, TypeError, ValueError, AttributeError):
        raise DrillsError(f"{source} is not a drills problem: {_what_is_wrong(data)} (was it edited? Make it "
                          "again with `drills generate`)") from None
    for i, part in enumerate(problem.parts, 1):
        if field := _ill_formed_field(part):
            raise DrillsError(f"{source} is not a drills problem: part {i}'s {field!r} is not what drills "
                              "writes there (was it edited? Make it again with `drills generate`)")
        answers = [("the answer to", part.answer)] + [(f"mistake {n} of", m.answer)
                                                      for n, m in enumerate(part.mistakes, 1)]
        for what, answer in answers:
            if not _well_formed(answer, part):
                raise DrillsError(f"{what} part '{part.key}' in {source} is not {_KINDS[part.kind]} "
                                  f"({json.dumps(answer)[:40]}): was the file edited? Make it again with "
                                  "`drills generate`")
    return problem


def _what_is_wrong(data: dict) -> str:
    """Which field of a problem's JSON Problem.from_dict could not take, in words (never a repr
    of Python's error)."""
    if missing := [k for k in ("id", "topic", "level", "params", "prompt") if k not in data]:
        return f"it has no {', '.join(repr(k) for k in missing)}"
    for i, part in enumerate(data["parts"], 1):
        if not isinstance(part, dict):
            return f"part {i} is not an object"
        if missing := [k for k in ("key", "kind", "answer") if k not in part]:
            return f"part {i} has no {', '.join(repr(k) for k in missing)}"
        if not isinstance(part["kind"], str) or part["kind"] not in {k.value for k in Kind}:
            return f"part {i}'s kind {json.dumps(part['kind'])[:40]} is not one of {', '.join(k.value for k in Kind)}"
        for name in (None, "tolerance", "mistakes", "choices", "variables", "code"):
            try:
                Part.from_dict({k: v for k, v in part.items() if k != name})
            except (KeyError, TypeError, ValueError, AttributeError):
                continue
            if name is None:                    # this part is fine
                break
            return f"part {i}'s {name!r} is not what drills writes there"
        else:
            return f"part {i} has fields that are not what drills writes there"
    return "a field is not what drills writes there"


NUMERIC = (Kind.NUMBER, Kind.VECTOR, Kind.MATRIX, Kind.SHAPE)
_KINDS = {Kind.NUMBER: "a number", Kind.VECTOR: "a vector", Kind.MATRIX: "a matrix", Kind.SHAPE: "a shape",
          Kind.EXPRESSION: "an expression", Kind.CHOICE: "one of its choices", Kind.SVD: "an SVD",
          Kind.CODE: "Python source"}


def _ill_formed_field(part: Part) -> str:
    """The field of a part that Part.from_dict took but grading cannot: a tolerance that is not
    two numbers at least 0, or variables that are not names, or not those of the answer."""
    if part.tolerance and not all(type(x) in (int, float) and 0 <= x < math.inf for x in part.tolerance):
        return "tolerance"
    if not all(isinstance(v, str) and _VARIABLE.fullmatch(v) for v in part.variables):
        return "variables"
    if part.kind is Kind.EXPRESSION and part.variables and isinstance(part.answer, str):
        from grader.expression import read_expression
        try:
            if not read_expression(part.answer, part.variables).names() <= set(part.variables):
                return "variables"
        except ValueError:                      # said of the answer, next
            pass
    return ""


_VARIABLE = re.compile(r"[^\W\d_]\w*")


def _well_formed(answer, part: Part) -> bool:
    """A reference answer (or anticipated mistake) that grading can read: see _well_formed_value,
    and for text kinds, text that reads as an expression, a choice or an SVD."""
    kind = part.kind
    if kind in NUMERIC:
        return _well_formed_value(answer, kind)
    if not isinstance(answer, str):
        return False
    try:
        if kind is Kind.EXPRESSION:
            from grader.expression import read_expression
            read_expression(answer, part.variables)
        elif kind is Kind.SVD:
            from grader.properties import read_svd
            read_svd(answer)
    except ValueError:                          # AnswerError is a ValueError
        return False
    return kind is not Kind.CHOICE or answer in part.choices


def _well_formed_value(answer, kind: Kind) -> bool:
    """A number (or a word such as "undefined"), a vector of numbers, a rectangular matrix of
    them, or a shape."""
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


def check_answers(problem_text: str, answers: dict[str, str], source: str = "PROBLEM") -> Verdict:
    problem = load_problem(problem_text, source)
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
    return wrapped("\n".join(lines))
