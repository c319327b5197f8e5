"""A learner's practice: their store and schedule kept in step, and what to ask next."""
from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import datetime, timezone
from functools import cached_property
from typing import TYPE_CHECKING

from drills.catalog import TOPICS, Level
from drills.progress import Store, default_learner

if TYPE_CHECKING:
    from drills.records import Attempt, AttemptRecord
    from drills.schedule import Schedule, Skill

Pick = Callable[[int], tuple[str, str]]


def now() -> datetime:
    return datetime.now(timezone.utc)


class Learner:
    """One learner's attempts on disk and the schedule computed from them."""

    def __init__(self, store: Store, name: str | None = None):
        self.store = store
        self.name = name or default_learner()

    @cached_property
    def schedule(self) -> Schedule:
        """Computed when first asked for: `practice --topic T --level L` shows its first problem
        without it (a long log, or FSRS, is not worth the wait there)."""
        return schedule_of(self.store, self.name)

    def record(self, attempt: Attempt, source: str) -> None:
        """Commit the attempt (before the next problem shows), then count it in the schedule."""
        self.save(attempt.record(self.name, source))

    def save(self, record: AttemptRecord | None) -> bool:
        """Commit the record, then count it in the schedule; False when there was nothing to save
        or a record with its id was saved before."""
        if record is None:
            return False
        schedule = self.schedule              # as it stood before this attempt
        if not self.store.add([record]):
            return False
        schedule.apply(record)
        return True

    def practice_pick(self, topics: list[str], level: str | None) -> Pick:
        """The given topics in turn, or (with none) the next due or new skill each time; at the
        learner's unlocked level unless `level` says otherwise."""
        if level == Level.EXAMPLE.value and not topics:
            topics = list(TOPICS)             # examples are read, not scheduled: every topic in turn

        def pick(i: int) -> tuple[str, str]:
            if topics:
                topic = topics[i % len(topics)]
                return topic, level or self.schedule.level_for(topic)
            return self.schedule.next_skill(now(), level)
        return pick

    def review_queue(self, count: int | None, minutes: float | None) -> tuple[list[Skill], Pick]:
        """The skills due now (most at risk first, interleaved), and a pick that serves them until
        the count or the minutes run out."""
        queue = self.schedule.due(now())[:count]
        deadline = time.monotonic() + 60 * minutes if minutes else None

        def pick(i: int) -> tuple[str, str]:
            if deadline is not None and time.monotonic() > deadline:
                raise TimeUp
            return queue[i].topic, queue[i].level
        return queue, pick


def schedule_of(store: Store, name: str) -> Schedule:
    """The learner's schedule: the one saved last time brought up to date with the attempts
    since, or (when it no longer matches the log) a replay of them all, saved for next time."""
    from drills.schedule import Schedule, replay_rules     # loaded only where a schedule is asked for

    cached, schedule = store.cached_schedule(name), None
    if cached and cached.rules == replay_rules():      # asked only when one was saved: it loads FSRS
        new = store.attempts(name, after=cached.upto)
        schedule, counted = _brought_up_to_date(cached.state, new), cached.counted + len(new)
    if schedule is None:
        new = store.attempts(name)
        schedule, counted = Schedule(new), len(new)
    if new:
        store.cache_schedule(name, replay_rules(), new[-1].at, counted, schedule.to_state())
    return schedule


def _brought_up_to_date(state, attempts: list[AttemptRecord]) -> Schedule | None:
    """A saved schedule with the attempts since applied; None when it is damaged (it is derived
    data: the log rebuilds it)."""
    from drills.schedule import Schedule

    try:
        schedule = Schedule.from_state(state)
        for attempt in attempts:
            schedule.apply(attempt)
    except (KeyError, TypeError, ValueError, AttributeError):
        return None
    return schedule


class TimeUp(Exception):
    """The minutes given to a review are over."""


class UntilTimeUp:
    """The problems, ending quietly when the review's time is up; `time_up` says whether it was."""

    def __init__(self, problems: Iterator):
        self.problems = problems
        self.time_up = False

    def __iter__(self) -> Iterator:
        try:
            yield from self.problems
        except TimeUp:
            self.time_up = True
