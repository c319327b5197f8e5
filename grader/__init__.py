"""Judge answers to anything that has parts: parse safely, compare, diagnose."""
from __future__ import annotations

import importlib
from typing import Any, Mapping

from grader.spec import CodeTask, Kind, Mistake, Part, PartVerdict, Tolerance, Verdict

__all__ = ["AnswerError", "CodeTask", "Kind", "Mistake", "Part", "PartVerdict", "Tolerance", "Verdict",
           "equivalent", "grade", "grade_part", "parts_of"]
# Loaded on first use: making problems (drills generate) needs grader.spec, not the graders.
_LAZY = {"grade_part": "grader.compare", "AnswerError": "grader.parse"}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'grader' has no attribute '{name}'")


def parts_of(problem: Any) -> tuple[Part, ...]:
    """The parts of a Problem, of anything with `.parts`, or of a problem's JSON dict."""
    parts = problem["parts"] if isinstance(problem, Mapping) else problem.parts
    return tuple(p if isinstance(p, Part) else Part.from_dict(p) for p in parts)


def grade(problem: Any, answers: Mapping[str, str]) -> Verdict:
    """Grade every part; a part without an answer scores 0."""
    from grader.compare import grade_part

    return Verdict(tuple(grade_part(part, answers.get(part.key)) for part in parts_of(problem)))


def equivalent(a: str, b: str) -> bool:
    """True when a and b are the same function wherever both are defined (2x(x+1) and
    2x² + 2x); False when they differ or it cannot be decided. Raises AnswerError for
    text that cannot be read safely."""
    from grader.compare import as_text
    from grader.expression import Outcome, compare

    if a is None or b is None:
        raise TypeError("equivalent() compares two expressions given as text, not None")
    return compare(as_text(a), as_text(b)) is Outcome.EQUAL
