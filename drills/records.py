"""What the progress store keeps: each graded problem as an AttemptRecord (read back from an
export with every field checked), and learners' names in the one form they are kept in."""
from __future__ import annotations

import hashlib
import json
import math
import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from drills.problem import Problem
    from grader.spec import Verdict

MAX_SEED = 2**63 - 1           # the largest seed an SQLite INTEGER holds
MAX_NAME_CHARS = 80            # a learner's name: one cell of a teacher's table


@dataclass(frozen=True)
class PartRecord:
    """One part as answered: the first try's score, and whether it was right in the end."""

    key: str
    answer: str
    score: float
    passed: bool
    hint: bool = False

    @property
    def first_try(self) -> bool:
        return self.score >= 1

    def to_dict(self) -> dict:
        # by hand: dataclasses.asdict deep-copies, and an export of 100,000 attempts took 27 s
        return {"key": self.key, "answer": self.answer, "score": self.score, "passed": self.passed, "hint": self.hint}


@dataclass(frozen=True)
class AttemptRecord:
    """One graded problem of one learner."""

    learner: str
    topic: str
    level: str
    problem_id: str
    seed: int | None
    parts: tuple[PartRecord, ...]
    at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    params: dict = field(default_factory=dict)
    seconds: float | None = None
    source: str = "practice"                  # practice, review, sheet or check-code
    id: str = field(default_factory=lambda: uuid.uuid4().hex)

    @property
    def score(self) -> float:
        return sum(p.score for p in self.parts) / len(self.parts) if self.parts else 0.0

    @property
    def passed(self) -> bool:
        return bool(self.parts) and all(p.passed for p in self.parts)

    @property
    def hints(self) -> int:
        return sum(p.hint for p in self.parts)

    def to_dict(self) -> dict:
        """As exported: plain JSON data (params are JSON already, so they are not copied)."""
        return {"learner": self.learner, "topic": self.topic, "level": self.level, "problem_id": self.problem_id,
                "seed": self.seed, "parts": [p.to_dict() for p in self.parts], "at": self.at.isoformat(),
                "params": self.params, "seconds": self.seconds, "source": self.source, "id": self.id}

    @classmethod
    def from_dict(cls, d: dict) -> AttemptRecord:
        """The attempt of a to_dict dict, checked: a KeyError, TypeError or ValueError says what is wrong."""
        at = _time(_text(d, "at"))
        seed, seconds, params = d.get("seed"), d.get("seconds"), d.get("params") or {}
        if seed is not None and (not is_number(seed, int) or not 0 <= seed <= MAX_SEED):
            raise ValueError(f"seed {seed!r} is not a whole number from 0 to {MAX_SEED}")
        if not isinstance(params, dict):
            raise ValueError(f"params must be an object, not {params!r}")
        if not isinstance(d["parts"], list) or not all(isinstance(p, dict) for p in d["parts"]):
            raise ValueError("parts must be a list of objects")
        if not d["parts"]:                    # kept, it would count as a try with no answer in it
            raise ValueError("parts must list at least one part")
        parts = tuple(PartRecord(_text(p, "key"), _text(p, "answer"), _number(p, "score", 1),
                                 _flag(p, "passed"), _flag(p, "hint", False)) for p in d["parts"])
        return cls(learner=_text(d, "learner"), topic=_text(d, "topic"), level=_text(d, "level"),
                   problem_id=_text(d, "problem_id"), seed=seed, parts=parts, at=at, params=params,
                   seconds=None if seconds is None else _number(d, "seconds"),
                   source=_text(d, "source", "practice"), id=_text(d, "id"))


def _time(text: str) -> datetime:
    """An ISO 8601 time with its timezone, in UTC."""
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"at {text[:40]!r} is not a date and time (e.g. 2026-11-02T09:30:00+00:00)") from None
    if at.tzinfo is None:
        raise ValueError("time without a timezone")
    try:
        return at.astimezone(timezone.utc)
    except OverflowError:
        raise ValueError(f"time {text} is out of range") from None


def _text(d: dict, key: str, default: str | None = None) -> str:
    value = d[key] if default is None else d.get(key, default)
    if not isinstance(value, str):
        raise ValueError(f"{key} must be text, not {value!r}")
    return value


def is_number(value, kind=(int, float)) -> bool:
    return isinstance(value, kind) and not isinstance(value, bool)


def _number(d: dict, key: str, top: float = math.inf) -> float:
    """A finite number from 0 to `top`."""
    value = d[key]
    if not is_number(value) or not 0 <= value <= top or value == math.inf:
        raise ValueError(f"{key} must be a number from 0 to {top}, not {value!r}" if top < math.inf else
                         f"{key} must be a finite number, 0 or more, not {value!r}")
    return float(value)


def _flag(d: dict, key: str, default: bool | None = None) -> bool:
    value = d[key] if default is None else d.get(key, default)
    if not isinstance(value, bool):
        raise ValueError(f"{key} must be true or false, not {value!r}")
    return value


def content_id(*what) -> str:
    """An attempt id made of what identifies it (JSON values), so that recording the same thing
    again adds nothing."""
    return hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()[:32]


@dataclass
class Attempt:
    """One problem as the learner answered it: first tries graded, hints and retries noted."""

    problem: Problem
    answers: dict[str, str]
    verdict: Verdict
    hints: set[str] = field(default_factory=set)
    corrected: set[str] = field(default_factory=set)   # wrong first, right on the retry
    seconds: float | None = None                        # None: not timed (rated as if slow)

    def record(self, learner: str, source: str) -> AttemptRecord | None:
        """What the progress store keeps of it; None when nothing was asked."""
        return attempt_from(self.problem, self.answers, self.verdict, learner=learner, source=source,
                            hints=self.hints, corrected=self.corrected, seconds=self.seconds)


def attempt_from(problem, answers: dict[str, str], verdict, *, learner: str, source: str,
                 hints=(), corrected=(), seconds: float | None = None) -> AttemptRecord | None:
    """The record of a graded problem (a drills Problem and its grader Verdict, first tries);
    None when nothing was asked. `corrected` names parts wrong at first and right on the retry."""
    if not problem.parts:
        return None
    parts = tuple(PartRecord(pv.key, answers.get(pv.key, ""), float(pv.score),
                             pv.correct or pv.key in corrected, pv.key in hints) for pv in verdict.parts)
    return AttemptRecord(learner=learner, topic=problem.topic, level=problem.level,
                         problem_id=problem.id, seed=problem.seed, parts=parts, params=problem.params,
                         seconds=seconds, source=source)


def learner_name(text) -> str:
    """A learner's name as kept: NFC (so "José" typed two ways is one learner), without surrounding
    spaces. ValueError for one that is empty, too long, or holds control characters (a terminal
    would obey them in a teacher's table)."""
    if not isinstance(text, str):
        raise ValueError(f"a learner's name is text, not {text!r}")
    name = unicodedata.normalize("NFC", text).strip()
    control = next((c for c in name if unicodedata.category(c) in {"Cc", "Cs", "Zl", "Zp"}), None)
    if control is not None:
        raise ValueError(f"a learner's name cannot hold a control character ({ascii(control)})")
    if not name:
        raise ValueError("a learner's name cannot be empty")
    if len(name) > MAX_NAME_CHARS:
        raise ValueError(f"a learner's name has at most {MAX_NAME_CHARS} characters, not {len(name)}")
    return name
