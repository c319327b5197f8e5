"""Scheduling: ratings, due order, implicit credit to prerequisites, level unlocking, mastery."""
import json
from datetime import datetime, timedelta, timezone

import pytest
from fsrs import Rating, State

from drills.catalog import TOPICS
from drills.learner import Learner, schedule_of
from drills.progress import Store
from drills.records import AttemptRecord, PartRecord
from drills.schedule import (FAST_SECONDS_PER_PART, IMPLICIT_WEIGHT, Mastery, Schedule, interleave,
                             prerequisites, rate, scheduler)

T0 = datetime(2026, 3, 2, 10, tzinfo=timezone.utc)


def attempt(topic="matmul", level="fill-in", day=0.0, *, scores=(1.0, 1.0), passed=None, hints=(),
            seconds=120.0):
    passed = passed or [s >= 1 for s in scores]
    parts = tuple(PartRecord(k, "1", s, p, k in hints) for k, s, p in zip("abc", scores, passed))
    return AttemptRecord(learner="ann", topic=topic, level=level, problem_id="p", seed=1, parts=parts,
                         at=T0 + timedelta(days=day), seconds=seconds)


@pytest.mark.parametrize("kw, rating", [
    ({"scores": (1.0, 0.0)}, Rating.Again),                                    # wrong, not corrected
    ({"scores": (1.0, 0.5)}, Rating.Again),                                    # partly right is not right
    ({"scores": (1.0, 0.0), "passed": [True, True]}, Rating.Hard),             # right on the retry
    ({"hints": "a"}, Rating.Hard),                                             # right after a hint
    ({}, Rating.Good),
    ({"seconds": 2 * FAST_SECONDS_PER_PART}, Rating.Easy),                     # fast: 15 s a part
    ({"seconds": 2 * FAST_SECONDS_PER_PART + 1}, Rating.Good),
    ({"seconds": None}, Rating.Good),                                          # from a paper sheet
])
def test_rating_of_an_attempt(kw, rating):
    assert rate(attempt(**kw)) == rating


def test_a_wrong_answer_comes_back_sooner_than_a_right_one():
    right = Schedule([attempt(day=0), attempt(day=0.01)]).skill("matmul", "fill-in")
    wrong = Schedule([attempt(day=0), attempt(day=0.01, scores=(0, 0))]).skill("matmul", "fill-in")
    assert wrong.due < right.due
    assert (right.attempts, right.correct, wrong.correct) == (2, 2, 1)


def test_due_skills_come_most_at_risk_first_and_interleaved():
    log = [attempt("matmul", day=0), attempt("matmul", day=0.01),               # graduates, due in days
           attempt("transpose", day=1), attempt("transpose", day=1.01),
           attempt("mse", day=2), attempt("mse", day=2.01),
           attempt("mse", "free-response", day=2), attempt("mse", "free-response", day=2.01)]
    schedule = Schedule(log)
    now = T0 + timedelta(days=60)
    due = schedule.due(now)
    assert {(s.topic, s.level) for s in due} == {(a.topic, a.level) for a in log}
    recalls = [s.retrievability(now) for s in due]
    assert recalls[0] == min(recalls)                                           # most at risk first
    assert all(a.topic != b.topic for a, b in zip(due, due[1:]))               # never twice in a row
    assert schedule.next_skill(now) == (due[0].topic, due[0].level)
    assert schedule.due(T0 + timedelta(days=2.02)) == []


def test_interleave_keeps_order_where_it_can():
    class S:
        def __init__(self, topic):
            self.topic = topic
    items = [S(t) for t in "aabbc"]
    assert [s.topic for s in interleave(items)] == list("ababc")
    assert [s.topic for s in interleave([S("a"), S("a")])] == ["a", "a"]


def _reviewed(topic, level="fill-in", days=(0, 0.01, 3)):
    return [attempt(topic, level, day=d) for d in days]


def test_passing_a_skill_gives_its_prerequisites_discounted_credit():
    base = _reviewed("mse") + _reviewed("partial-derivatives") + _reviewed("gradient")
    gd = attempt("gd-step", day=5)
    before, after = Schedule(base), Schedule(base + [gd])

    def moved(topic, schedule):
        return schedule.skill(topic, "fill-in").due - before.skill(topic, "fill-in").due

    for topic, depth in (("gradient", 1), ("partial-derivatives", 2), ("mse", 3)):
        explicit = moved(topic, Schedule(base + [attempt(topic, day=5)]))
        assert explicit > timedelta(days=1)
        assert moved(topic, after) / explicit == pytest.approx(IMPLICIT_WEIGHT ** depth, rel=1e-6)
        assert after.skill(topic, "fill-in").attempts == before.skill(topic, "fill-in").attempts
    failed = Schedule(base + [attempt("gd-step", day=5, scores=(0, 0))])
    assert moved("gradient", failed) == timedelta(0)                           # no credit for a failure
    assert Schedule(base[:3] + [gd]).skill("gradient", "fill-in").card is None  # none to unseen skills
    harder = _reviewed("gradient", "free-response")
    assert Schedule(base + harder + [gd]).skill("gradient", "free-response").due == \
        Schedule(base + harder).skill("gradient", "free-response").due          # only levels up to the one passed


def test_prerequisite_distances_follow_the_catalog():
    distances = prerequisites("gd-step")
    assert distances["gradient"] == 1 and distances["partial-derivatives"] == 2 and distances["mse"] == 3
    assert "gd-step" not in distances
    for topic, info in TOPICS.items():
        assert all(prerequisites(topic)[p] == 1 for p in info.prerequisites)


def test_the_next_level_unlocks_after_three_correct_on_two_days():
    same_day = Schedule([attempt(day=d) for d in (0, 0.1, 0.2, 0.3)])
    assert same_day.level_for("matmul") == "fill-in"
    with_a_miss = Schedule([attempt(day=0), attempt(day=0.1, scores=(0, 0)), attempt(day=1.2)])
    assert with_a_miss.level_for("matmul") == "fill-in"
    spaced = Schedule([attempt(day=0), attempt(day=0.1), attempt(day=1.2)])
    assert spaced.level_for("matmul") == "free-response"
    assert spaced.level_for("transpose") == "fill-in"
    hinted = Schedule([attempt(day=0), attempt(day=0.1, hints="a"), attempt(day=1.2)])
    assert hinted.level_for("matmul") == "fill-in"                 # right after a hint is not yet reliable


def test_next_new_skill_waits_for_its_prerequisites():
    fresh = Schedule()
    assert fresh.next_skill(T0) == ("matmul", "fill-in")
    one = Schedule([attempt("matmul", day=0), attempt("matmul", day=0.01)])
    assert one.next_skill(T0 + timedelta(days=0.02)) == ("transpose", "fill-in")
    vectors_first = Schedule([attempt("vectors", day=0), attempt("vectors", day=0.01)])
    assert vectors_first.next_skill(T0 + timedelta(days=0.02)) == ("matmul", "fill-in")


def test_mastery_grows_with_spaced_success():
    assert Schedule().skill("svd", "fill-in").mastery is Mastery.NEW
    log, day = [attempt("svd", day=0)], 0.0
    assert Schedule(log).skill("svd", "fill-in").mastery is Mastery.LEARNING
    seen = []
    for _ in range(8):
        schedule = Schedule(log)
        skill = schedule.skill("svd", "fill-in")
        seen.append(skill.mastery)
        day = (skill.due - T0).total_seconds() / 86400
        log.append(attempt("svd", day=day))
    ranks = [m.rank for m in seen]
    assert ranks == sorted(ranks) and seen[-1] is Mastery.MASTERED


def test_one_fast_success_is_familiar_not_proficient():
    once = Schedule([attempt("svd", seconds=5)]).skill("svd", "fill-in")
    assert once.card.stability >= 7 and once.mastery is Mastery.FAMILIAR


def test_unknown_topics_and_examples_are_ignored():
    schedule = Schedule([attempt("quaternions"), attempt("matmul", "example", scores=())])
    assert schedule.skills == {}


def test_the_same_log_gives_the_same_schedule():
    log = [attempt(t, day=i / 3) for i, t in enumerate(TOPICS)]
    a, b = Schedule(log), Schedule(list(reversed(log)))
    now = T0 + timedelta(days=9)
    assert [s.to_dict(now) for s in a.table()] == [s.to_dict(now) for s in b.table()]


def test_next_skill_keeps_to_topics_that_have_the_level_asked_for():
    log = [attempt(t, day=i / 10) for i, t in enumerate(TOPICS)]
    now = T0 + timedelta(days=90)                      # everything due
    for level in ("fill-in", "free-response", "code"):
        topic, _ = Schedule(log).next_skill(now, level)
        assert level in TOPICS[topic].levels
    without = [t for t, info in TOPICS.items() if "code" not in info.levels]
    only = Schedule([attempt(t, day=i / 10) for i, t in enumerate(without)])
    assert only.next_skill(now, "code")[0] not in without


def _mixed_log(start: float, count: int) -> list:
    topics = ["matmul", "transpose", "inverse", "gradient", "gd-step"]
    return [attempt(topics[i % 5], "fill-in", start + 0.7 * i, scores=(1.0, 1.0 if i % 3 else 0.0))
            for i in range(count)]


def _read_back(store) -> list[int]:
    """Spy on store.attempts: the number of attempts each call returned."""
    counts, read = [], store.attempts
    store.attempts = lambda *a, **kw: counts.append(len(out := read(*a, **kw))) or out
    return counts


def test_a_saved_schedule_brought_up_to_date_equals_a_full_replay(tmp_path):
    first, later = _mixed_log(0, 12), _mixed_log(9, 7)
    with Store.open(tmp_path / "p.sqlite3") as store:
        store.add(first)
        assert schedule_of(store, "ann").to_state() == Schedule(first).to_state()     # replayed, saved
        store.add(later)
        read = _read_back(store)
        assert schedule_of(store, "ann").to_state() == Schedule(first + later).to_state()
        assert read == [len(later)]               # only the attempts since the saved schedule


@pytest.mark.parametrize("change", ["older attempt imported", "rules changed"])
def test_a_saved_schedule_that_no_longer_matches_is_replayed_anew(tmp_path, monkeypatch, change):
    log = _mixed_log(5, 10)
    with Store.open(tmp_path / "p.sqlite3") as store:
        store.add(log)
        schedule_of(store, "ann")
        if change == "older attempt imported":
            log.insert(0, attempt("transpose", day=0))      # before the saved schedule's last attempt
            store.add(log[:1])
        else:
            monkeypatch.setattr("drills.schedule.replay_rules", lambda: "other rules")
        read = _read_back(store)
        assert schedule_of(store, "ann").to_state() == Schedule(log).to_state()
        assert read == [len(log)]                 # the whole log, replayed


def test_a_learner_counts_each_attempt_once_however_late_its_schedule_is_computed(tmp_path, monkeypatch):
    log = _mixed_log(0, 8)
    with Store.open(tmp_path / "p.sqlite3") as store:
        store.add(log[:4])
        who = Learner(store, "ann")
        assert "schedule" not in vars(who)                 # computed when first needed
        for record in log[4:]:
            who.save(record)
        assert who.schedule.to_state() == Schedule(log).to_state()


def _card(log):
    card = Schedule(log).skill("matmul", "fill-in").card
    return card.state, card.stability, card.due


def test_one_day_is_at_most_one_review_of_a_skill_in_review():
    fast = [attempt(day=m / 1440, seconds=5) for m in range(5)]                 # five Easy answers in 5 minutes
    assert _card(fast) == _card(fast[:1])
    assert Schedule(fast).skill("matmul", "fill-in").attempts == 5              # each still counts as an attempt
    next_day = attempt(day=1, seconds=5)
    assert _card(fast + [next_day]) == _card(fast[:1] + [next_day])             # the next day's first moves it
    failed = attempt(day=5 / 1440, scores=(0, 0))
    assert _card(fast + [failed]) == _card(fast[:1] + [failed]) != _card(fast)  # a failure always counts


def test_a_days_gap_is_counted_in_local_days_not_24_hour_periods():
    def stability(hours_apart: float) -> float:
        """Ten correct answers, each some hours after the one before (each on a new local day)."""
        log = [attempt(day=k * hours_apart / 24, seconds=None) for k in range(10)]
        return Schedule(log).skill("matmul", "fill-in").card.stability
    evenings, a_day_and_more = stability(23 + 50 / 60), stability(24 + 10 / 60)   # 10 minutes earlier, or later
    assert evenings > 0.8 * a_day_and_more > 24          # whole 24-hour periods gave the evenings 2.3 days


def test_learning_steps_still_move_within_a_day():
    good = [attempt(day=m / 1440) for m in (0, 11)]                             # Good, and Good after 11 min
    assert Schedule(good[:1]).skill("matmul", "fill-in").card.state is State.Learning
    assert Schedule(good).skill("matmul", "fill-in").card.state is State.Review


def test_further_answers_the_same_day_give_prerequisites_no_more_credit():
    base = _reviewed("matmul") + _reviewed("transpose")
    once = [attempt("transpose", day=5)]
    again = once + [attempt("transpose", day=5 + m / 1440) for m in (1, 2, 3)]
    def matmul(log):
        return Schedule(log).skill("matmul", "fill-in").card
    assert matmul(base + again) == matmul(base + once)


def test_practice_at_one_level_serves_its_due_skills_then_its_new_ones():
    now = T0 + timedelta(days=60)                                   # everything practised is due
    schedule = Schedule(_reviewed("matmul") + _reviewed("mse", "free-response"))
    picked = []
    for i in range(4):
        picked.append(schedule.next_skill(now, "free-response"))
        schedule.apply(attempt(*picked[-1], day=60 + i / 1440))
    assert picked[0] == ("mse", "free-response")                   # due at that level, not matmul fill-in
    assert {level for _, level in picked} == {"free-response"} and len(set(picked)) == 4


@pytest.mark.parametrize("damage", [
    lambda state: "{",
    lambda state: '[{"topic": "matmul"}]',
    lambda state: '{"matmul": 1}',
    lambda state: json.dumps([{**s, "card": {**s["card"], "state": 9}} for s in json.loads(state)]),
    lambda state: json.dumps([{**s, "card": {**s["card"], "stability": "x"}} for s in json.loads(state)]),
    lambda state: json.dumps([{**s, "last_practised": 5} for s in json.loads(state)]),
])
def test_a_damaged_saved_schedule_is_replayed_from_the_log(tmp_path, damage):
    log = _mixed_log(0, 10)
    with Store.open(tmp_path / "p.sqlite3") as store:
        store.add(log)
        schedule_of(store, "ann")
        [state] = store._db.execute("SELECT state FROM schedules").fetchone()
        store._db.execute("UPDATE schedules SET state = ?", (damage(state),))
        assert schedule_of(store, "ann").to_state() == Schedule(log).to_state()
        store.add([attempt("matmul", day=30)])                      # brought up to date from a good one again
        assert schedule_of(store, "ann").to_state() == Schedule(log + [attempt("matmul", day=30)]).to_state()


def test_recall_now_falls_within_the_first_day():
    failed = Schedule([attempt(day=0, scores=(0, 0))]).skill("matmul", "fill-in")
    soon, later = failed.retrievability(T0 + timedelta(hours=1)), failed.retrievability(T0 + timedelta(hours=14))
    assert 1 > soon > later > 0                           # whole days gave 100% for both
    card = failed.card
    assert failed.retrievability(card.last_review + timedelta(days=3)) == pytest.approx(
        scheduler().get_card_retrievability(card, card.last_review + timedelta(days=3)))   # FSRS's curve


def test_a_clock_change_does_not_cost_a_review_its_day(monkeypatch):
    import time
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        new_york = ZoneInfo("America/New_York")
    except ZoneInfoNotFoundError:
        pytest.skip("no time zone database here")
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    try:   # every evening at 23:30 in New York, across the spring change of 8 March 2026
        evenings = [datetime(2026, 3, day, 23, 30, tzinfo=new_york).astimezone(timezone.utc) for day in range(1, 16)]
        log = [AttemptRecord("ann", "matmul", "fill-in", "p", 1, (PartRecord("a", "1", 1.0, True),), at=at, seconds=None)
               for at in evenings]
        stability = [Schedule(log[:n]).skill("matmul", "fill-in").card.stability for n in range(3, len(log) + 1)]
        assert all(a < b for a, b in zip(stability, stability[1:])), stability
        last = Schedule(log).skill("matmul", "fill-in").card.last_review
        assert last == evenings[-1]                                  # the real time, not the one FSRS was told
    finally:
        monkeypatch.undo()
        time.tzset()


def test_the_replay_rules_name_the_fsrs_release(monkeypatch):
    from drills import schedule

    assert schedule.fsrs_release().startswith("fsrs-")             # as installed here
    before = schedule.replay_rules()
    schedule.replay_rules.cache_clear()
    monkeypatch.setattr(schedule, "fsrs_release", lambda: "fsrs-99.0.dist-info")
    try:
        assert schedule.replay_rules() != before                   # saved schedules are replayed
    finally:
        schedule.replay_rules.cache_clear()
