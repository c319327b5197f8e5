"""Progress for people (tables, local times) and for tools (JSON, UTC)."""
from __future__ import annotations

import textwrap
from collections import Counter
from datetime import datetime

from drills.catalog import TOPICS
from drills.schedule import Mastery, Schedule, Skill
from drills.terminal import TEXT_WIDTH, columns, padded

BAR_CELLS = 4


def progress_json(learner: str, schedule: Schedule, now: datetime) -> dict:
    """Each skill's fields, and `first_try`: the attempts right at the first try without a hint
    (`correct` counts those right after a retry too)."""
    return {"learner": learner, "skills": [{**s.to_dict(now), "first_try": s.unaided,
                                            "first_try_accuracy": s.unaided / s.attempts if s.attempts else None}
                                           for s in schedule.table()]}


def progress_table(learner: str, schedule: Schedule, now: datetime) -> str:
    """One block per topic: a mastery bar, then a row per level practised."""
    lines = [f"Progress of {learner} · {local(now)}", "",
             f"{'':15}{'tries':>6}{'1st':>5}{'right':>6}  {'last practised':<16} {'next due':<11}"
             f"{'recall':>6}  mastery"]
    for topic in TOPICS:
        skills = [s for s in schedule.table() if s.topic == topic]
        best = topic_mastery(skills)
        lines.append(f"{topic:<20}  {bar(best)} {best.value if best is Mastery.NEW else ''}".rstrip())
        for s in skills:
            if s.attempts:
                lines.append(skill_row(s, now))
    due = schedule.due(now)
    soon = schedule.next_review(now)
    lines += ["", "1st: right at the first try, without a hint; right: also after a retry.",
              f"Due now: {len(due)} skill{'s' if len(due) != 1 else ''}"
              + (" (drills review)" if due else "")
              + (f" · next: {soon.topic} ({soon.level}) {relative(soon.due, now)}" if soon and not due else "")]
    return "\n".join(lines)


def skill_row(s: Skill, now: datetime) -> str:
    recall = s.retrievability(now)
    return (f"  {s.level:<13}{s.attempts:>6}{s.unaided:>5}{s.correct:>6}  {local(s.last_practised):<16} "
            f"{relative(s.due, now):<11}{recall:>6.0%}  {s.mastery.value}")


def class_table(schedules: dict[str, Schedule], now: datetime) -> str:
    """Learners × topics: a mastery bar per topic, and each learner's accuracy; 80 columns wide,
    a long name cut short with …."""
    topics = list(TOPICS)
    width = max([columns(n) for n in schedules] + [len("learner")])
    width = min(width, TEXT_WIDTH - len(topics) * (BAR_CELLS + 1) - len(" tries acc."))
    head = f"{'learner':<{width}} " + " ".join(f"{i + 1:<{BAR_CELLS}}" for i in range(len(topics)))
    lines = [head + " tries acc."]
    for name, shown in shown_names(list(schedules), width).items():
        skills = schedules[name].table()
        cells = " ".join(bar(topic_mastery([s for s in skills if s.topic == t])) for t in topics)
        tries = sum(s.attempts for s in skills)
        accuracy = f"{sum(s.correct for s in skills) / tries:.0%}" if tries else "—"
        lines.append(f"{padded(shown, width)} {cells} {tries:>5} {accuracy:>4}")
    legend = "  ".join(f"{i + 1} {t}" for i, t in enumerate(topics))
    lines += ["", *textwrap.wrap(legend, TEXT_WIDTH, break_on_hyphens=False),
              "bars: " + ", ".join(f"{bar(m)} {m.value}" for m in Mastery)]
    return "\n".join(lines)


def shown_names(names: list[str], width: int) -> dict[str, str]:
    """Each name in at most `width` columns: cut short at the end, or (where two would then
    read the same) in the middle, keeping its last word if that is short."""
    shown = {n: clipped(n, width) for n in names}
    seen = Counter(shown.values())
    for n, s in shown.items():
        if seen[s] > 1:
            last = (n.split() or [n])[-1]
            shown[n] = clipped(n, width, keep_end=min(columns(last), width // 2 + 1))
    return shown


def clipped(text: str, width: int, keep_end: int = 0) -> str:
    """text in at most `width` terminal columns, with … where it was cut; `keep_end` columns of
    its end are kept."""
    if columns(text) <= width:
        return text
    end = ""
    while keep_end and columns(text[len(text) - len(end) - 1:]) <= keep_end:
        end = text[len(text) - len(end) - 1:]
    start = text[:len(text) - len(end)]
    while columns(start) > width - 1 - columns(end):
        start = start[:-1]
    return start + "…" + end


def topic_mastery(skills: list[Skill]) -> Mastery:
    return max((s.mastery for s in skills), key=lambda m: m.rank, default=Mastery.NEW)


def bar(m: Mastery) -> str:
    return "█" * m.rank + "░" * (BAR_CELLS - m.rank)


def local(t: datetime | None) -> str:
    """A time on the learner's clock, e.g. 'Sat 21 Nov 09:10'."""
    return t.astimezone().strftime("%a %d %b %H:%M") if t else "-"


def relative(t: datetime | None, now: datetime) -> str:
    """'now', 'in 10 min', 'in 5 h', 'in 3 days'."""
    if t is None:
        return "-"
    seconds = (t - now).total_seconds()
    if seconds <= 0:
        return "now"
    if seconds < 3600:
        return f"in {max(1, round(seconds / 60))} min"
    if seconds < 36 * 3600:
        return f"in {round(seconds / 3600)} h"
    return f"in {round(seconds / 86400)} days"
