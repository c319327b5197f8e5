"""What to practise when: one FSRS card per topic×level skill, replayed from the attempt log.

Ratings. A graded attempt becomes an FSRS rating:
  Again  a part still wrong after its retry (or unanswered)
  Hard   all right in the end, but after a hint or a retry
  Good   all right at the first try
  Easy   all right at the first try, and fast: at most FAST_SECONDS_PER_PART seconds a part

One review a day. FSRS models a review as recall after a gap, and its same-day formula would
compound a run of answers given minutes apart. So once a skill's card is in review, only the
first answer of a (local) day moves it; later answers that day count as attempts but move no
card, unless they fail (Again always counts). Cards still in (re)learning take their steps.
The gap between two reviews is counted in local days, as a learner counts it: FSRS counts whole
24-hour periods, which made an answer at 18:00 and one at 17:50 the next day the same day.

Implicit review. Passing a skill reviews, at a discount, the skills it is built on (the
prerequisite graph of drills.catalog): a prerequisite's card moves IMPLICIT_WEIGHT of the way
toward where an explicit Good review would take it, a prerequisite of a prerequisite
IMPLICIT_WEIGHT² of the way, and so on. Only cards already in review get this credit, at
levels up to the one passed.

Levels unlock: a topic's next level is offered once the current one is passed reliably,
UNLOCK_CORRECT attempts right at the first try without a hint, on at least UNLOCK_DAYS
different days.
"""
from __future__ import annotations

from collections.abc import Iterable
import hashlib
import importlib.util
import json
import sys
import time
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import Enum
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from drills.catalog import TOPICS, Level

if TYPE_CHECKING:
    from drills.records import AttemptRecord


def _lazy(name: str):
    """The module `name`, imported when first used: a learner with no attempts yet never needs
    FSRS, so their first problem does not wait for it."""
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.find_spec(name)
    if spec is None:                     # as `import name` would say
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)
    spec.loader = importlib.util.LazyLoader(spec.loader)
    module = sys.modules[name] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fsrs = _lazy("fsrs")

FAST_SECONDS_PER_PART = 15
IMPLICIT_WEIGHT = 0.5
IMPLICIT_DEPTH = 3
UNLOCK_CORRECT = 3
UNLOCK_DAYS = 2
FAMILIAR_DAYS, PROFICIENT_DAYS, MASTERED_DAYS = 1, 7, 30     # stability thresholds of mastery

REPLAY_VERSION = 4            # bump when Schedule.apply changes in a way replay_rules cannot see


class Mastery(str, Enum):
    NEW = "new"
    LEARNING = "learning"
    FAMILIAR = "familiar"
    PROFICIENT = "proficient"
    MASTERED = "mastered"

    @property
    def rank(self) -> int:
        return list(Mastery).index(self)


@lru_cache(maxsize=None)
def scheduler() -> fsrs.Scheduler:
    return fsrs.Scheduler(enable_fuzzing=False)             # no fuzz: same log, same schedule


def rate(attempt: AttemptRecord) -> fsrs.Rating:
    """The FSRS rating of one attempt (see the module's docstring)."""
    if not attempt.passed:
        return fsrs.Rating.Again
    if attempt.hints or not all(p.first_try for p in attempt.parts):
        return fsrs.Rating.Hard
    if attempt.seconds is not None and attempt.seconds <= FAST_SECONDS_PER_PART * len(attempt.parts):
        return fsrs.Rating.Easy
    return fsrs.Rating.Good


@lru_cache(maxsize=None)
def asked_levels(topic: str) -> tuple[str, ...]:
    """The levels of a topic that ask something (an example asks nothing, so has no card)."""
    return tuple(lv for lv in TOPICS[topic].levels if lv != Level.EXAMPLE.value)


@dataclass
class Skill:
    """One topic at one level, as the learner stands with it."""

    topic: str
    level: str
    card: fsrs.Card | None = None
    attempts: int = 0
    correct: int = 0
    last_practised: datetime | None = None
    unaided: int = 0                  # attempts right at the first try, without a hint
    unaided_days: set[date] = field(default_factory=set)

    @property
    def due(self) -> datetime | None:
        return self.card.due if self.card else None

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.attempts if self.attempts else None

    @property
    def reliable(self) -> bool:
        return self.unaided >= UNLOCK_CORRECT and len(self.unaided_days) >= UNLOCK_DAYS

    def reviewed_by(self, attempt: AttemptRecord, rating: fsrs.Rating) -> bool:
        """Whether the attempt moves the card: not a further answer of the day to a card in review
        (see "One review a day" above)."""
        return (self.card is None or self.card.state is not fsrs.State.Review or rating is fsrs.Rating.Again
                or local_day(self.last_practised) != local_day(attempt.at))

    def retrievability(self, now: datetime) -> float | None:
        """The chance of recalling it now: FSRS's forgetting curve at the time since the last
        review in fractional days (fsrs's own method counts whole days, so a skill failed this
        morning showed 100%, and everything seen within a day tied)."""
        if self.card is None or self.card.last_review is None or self.card.stability is None:
            return None if self.card is None else 0.0
        decay = -scheduler().parameters[20]
        factor = 0.9 ** (1 / decay) - 1
        days = max(0.0, (now - self.card.last_review).total_seconds() / 86400)
        return (1 + factor * days / self.card.stability) ** decay

    @property
    def mastery(self) -> Mastery:
        if self.card is None:
            return Mastery.NEW
        if self.card.state is not fsrs.State.Review:
            return Mastery.LEARNING
        s = self.card.stability
        if s >= FAMILIAR_DAYS and not self.reliable:
            return Mastery.FAMILIAR               # one quick success is not yet proficiency
        return (Mastery.MASTERED if s >= MASTERED_DAYS else Mastery.PROFICIENT if s >= PROFICIENT_DAYS
                else Mastery.FAMILIAR if s >= FAMILIAR_DAYS else Mastery.LEARNING)

    def to_state(self) -> dict:
        """Everything a replay has computed, as JSON (see Schedule.from_state)."""
        return {"topic": self.topic, "level": self.level, "card": self.card and self.card.to_dict(),
                "attempts": self.attempts, "correct": self.correct,
                "last_practised": self.last_practised and self.last_practised.isoformat(),
                "unaided": self.unaided, "unaided_days": sorted(d.isoformat() for d in self.unaided_days)}

    @classmethod
    def from_state(cls, d: dict) -> Skill:
        return cls(d["topic"], d["level"], d["card"] and fsrs.Card.from_dict(d["card"]), d["attempts"], d["correct"],
                   d["last_practised"] and datetime.fromisoformat(d["last_practised"]),
                   d["unaided"], {date.fromisoformat(day) for day in d["unaided_days"]})

    def to_dict(self, now: datetime) -> dict:
        r = self.retrievability(now)
        return {"topic": self.topic, "level": self.level, "attempts": self.attempts,
                "correct": self.correct, "accuracy": self.accuracy,
                "last_practised": self.last_practised.isoformat() if self.last_practised else None,
                "due": self.due.isoformat() if self.due else None,
                "retrievability": None if r is None else round(r, 4), "mastery": self.mastery.value}


class Schedule:
    """Every skill of one learner, computed by replaying their attempts in order."""

    def __init__(self, attempts: Iterable[AttemptRecord] = ()):
        self.skills: dict[tuple[str, str], Skill] = {}
        for attempt in sorted(attempts, key=lambda a: a.at):
            self.apply(attempt)

    def skill(self, topic: str, level: str) -> Skill:
        return self.skills.get((topic, level)) or Skill(topic, level)

    def to_state(self) -> list[dict]:
        return [s.to_state() for s in self.skills.values()]

    @classmethod
    def from_state(cls, state: list[dict]) -> Schedule:
        """A schedule as saved by to_state, to be brought up to date with `apply`."""
        schedule = cls()
        schedule.skills = {(s.topic, s.level): s for s in map(Skill.from_state, state)}
        return schedule

    def apply(self, attempt: AttemptRecord) -> None:
        """Count one attempt: its own review, then implicit credit to its prerequisites."""
        if attempt.topic not in TOPICS or attempt.level not in asked_levels(attempt.topic) or not attempt.parts:
            return                                # from a newer drills, or nothing was asked
        skill = self.skills.setdefault((attempt.topic, attempt.level), Skill(attempt.topic, attempt.level))
        rating = rate(attempt)
        reviews = skill.reviewed_by(attempt, rating)
        if reviews:
            card = skill.card or fsrs.Card(card_id=_card_id(attempt.topic, attempt.level), due=attempt.at)
            skill.card = review(card, rating, attempt.at)
        skill.attempts += 1
        skill.last_practised = attempt.at
        if rating in (fsrs.Rating.Good, fsrs.Rating.Easy):
            skill.unaided += 1
            skill.unaided_days.add(local_day(attempt.at))
        if attempt.passed:
            skill.correct += 1
            if reviews:
                self._credit_prerequisites(attempt)

    def _credit_prerequisites(self, attempt: AttemptRecord) -> None:
        top = asked_levels(attempt.topic).index(attempt.level)
        for topic, depth in prerequisites(attempt.topic).items():
            weight = IMPLICIT_WEIGHT ** depth
            for level in asked_levels(topic)[:top + 1]:
                skill = self.skills.get((topic, level))
                if skill and skill.card and skill.card.state is fsrs.State.Review:
                    skill.card = implicit_review(skill.card, weight, attempt.at)

    def due(self, now: datetime) -> list[Skill]:
        """Skills due now, most at risk of being forgotten first, topics interleaved."""
        due = sorted((s for s in self.skills.values() if s.due and s.due <= now),
                     key=lambda s: (s.retrievability(now), s.topic, s.level))
        return interleave(due)

    def next_review(self, now: datetime) -> Skill | None:
        later = [s for s in self.skills.values() if s.due and s.due > now]
        return min(later, key=lambda s: s.due, default=None)

    def level_for(self, topic: str) -> str:
        """The level to offer: the one after the highest passed reliably."""
        levels = asked_levels(topic)
        passed = [i for i, lv in enumerate(levels) if self.skill(topic, lv).reliable]
        return levels[min(passed[-1] + 1, len(levels) - 1)] if passed else levels[0]

    def next_skill(self, now: datetime, level: str | None = None) -> tuple[str, str]:
        """What to practise next: the most urgent due skill, else the next new one, else the
        soonest due (practising ahead); only skills at `level`, when one is asked for."""
        def offered(s: Skill) -> bool:
            return level is None or s.level == level
        due = [s for s in self.due(now) if offered(s)]
        if due:
            return due[0].topic, due[0].level
        for topic, info in TOPICS.items():
            ready = all(self.started(p, passed=True) for p in info.prerequisites)
            candidate = level or self.level_for(topic)
            if ready and candidate in info.levels and not self.skill(topic, candidate).attempts:
                return topic, candidate
        later = [s for s in self.skills.values() if s.due and s.due > now and offered(s)]
        if later:
            soonest = min(later, key=lambda s: s.due)
            return soonest.topic, soonest.level
        first = next(t for t, info in TOPICS.items() if level is None or level in info.levels)
        return first, level or asked_levels(first)[0]

    def started(self, topic: str, passed: bool = False) -> bool:
        return any((s.correct if passed else s.attempts) for s in self.skills.values() if s.topic == topic)

    def table(self) -> list[Skill]:
        """Every skill of the catalog, practised or not, in catalog order."""
        return [self.skill(t, lv) for t in TOPICS for lv in asked_levels(t)]


@lru_cache(maxsize=None)
def replay_rules() -> str:
    """A digest of all a replay depends on besides the log: the constants above, the FSRS
    scheduler and release, the prerequisite graph and the local time zone (days are local). A saved
    schedule is reused only under the same rules."""
    rules = [REPLAY_VERSION, FAST_SECONDS_PER_PART, IMPLICIT_WEIGHT, IMPLICIT_DEPTH, scheduler().to_dict(),
             fsrs_release(), {t: [info.prerequisites, info.levels] for t, info in TOPICS.items()},
             time.tzname, time.timezone]
    return hashlib.sha256(json.dumps(rules, default=list).encode()).hexdigest()[:16]


def fsrs_release() -> str:
    """The installed fsrs, as its metadata folder names it ('fsrs-6.3.2.dist-info'): a release that
    changes its formulas must not reuse schedules the old ones computed (importlib.metadata would
    take some 50 ms)."""
    site = Path(fsrs.__file__).resolve().parent.parent
    return next(iter(sorted(p.name for p in site.glob("fsrs-*.dist-info"))), "fsrs of unknown release")


def review(card: fsrs.Card, rating: fsrs.Rating, at: datetime) -> fsrs.Card:
    """The card after FSRS reviews it at `at`. For a card in review, FSRS is told the review came
    as many whole days after the last as there are local days between them (it counts 24-hour
    periods, so answers at 18:00 and at 17:50 the next day were one day to it); the card it
    gives back is moved to the real time. A failure keeps its own time: relearning is minutes."""
    told = at
    if card.state is fsrs.State.Review and rating is not fsrs.Rating.Again and card.last_review is not None:
        told = card.last_review + timedelta(days=(local_day(at) - local_day(card.last_review)).days)
    reviewed, _ = scheduler().review_card(card, rating, told)
    return replace(reviewed, last_review=at, due=reviewed.due + (at - told)) if told != at else reviewed


def implicit_review(card: fsrs.Card, weight: float, at: datetime) -> fsrs.Card:
    """The card moved `weight` of the way toward an explicit Good review at `at`; never earlier."""
    good = review(card, fsrs.Rating.Good, at)
    last = card.last_review or at
    return replace(card, stability=card.stability + weight * (good.stability - card.stability),
                   last_review=last + weight * (at - last),
                   due=max(card.due, card.due + weight * (good.due - card.due)))


@lru_cache(maxsize=None)
def prerequisites(topic: str) -> dict[str, int]:
    """Every topic `topic` is built on, with its distance in the graph (1 = direct), up to IMPLICIT_DEPTH."""
    found: dict[str, int] = {}
    frontier = [topic]
    for depth in range(1, IMPLICIT_DEPTH + 1):
        frontier = [p for t in frontier for p in TOPICS[t].prerequisites if p not in found and p != topic]
        for p in frontier:
            found.setdefault(p, depth)
    return found


def interleave(skills: list[Skill]) -> list[Skill]:
    """Keep the order, but avoid the same topic twice in a row where another can come between."""
    rest, out = list(skills), []
    while rest:
        i = next((i for i, s in enumerate(rest) if not out or s.topic != out[-1].topic), 0)
        out.append(rest.pop(i))
    return out


def local_day(at: datetime) -> date:
    """The day on the learner's calendar."""
    return at.astimezone().date()


def _card_id(topic: str, level: str) -> int:
    return list(TOPICS).index(topic) * 10 + asked_levels(topic).index(level) + 1
