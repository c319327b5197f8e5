"""In-process rates: problems generated and answers graded per second, templates compiled once."""
from __future__ import annotations

import itertools
import statistics
import time
from pathlib import Path

from drills import generate
from drills.topics.draw import PYTHON_PROBLEMS
from grader import grade_part
from grader.spec import Kind
from grader.values import typed

CLASS_SIZE, SHEET_PROBLEMS = 40, 10


ROUNDS = 5


def rate(fn, items, seconds: float) -> float:
    """Calls of fn per second on the next of `items` (an iterator), for at least `seconds`."""
    done, start = 0, time.perf_counter()
    for item in items:
        fn(item)
        done += 1
        if done % 50 == 0 and time.perf_counter() - start >= seconds:
            break
    return done / (time.perf_counter() - start)


def rates_in_turns(workloads: dict, seconds: float) -> dict[str, float]:
    """rate() of each workload (name: (fn, items)), after a warm-up: the median of ROUNDS rounds
    that take one turn of each, each turn going on where the last one stopped. This machine's
    speed drifts by 2× within minutes: so every rate is read off the same stretches of time, and
    a slow moment moves one round, not one workload."""
    streams = {}
    for name, (fn, items) in workloads.items():
        streams[name] = itertools.cycle(items)
        for item in items[:3]:
            fn(item)
    rounds = {name: [] for name in workloads}
    for _ in range(ROUNDS):
        for name, (fn, _) in workloads.items():
            rounds[name].append(rate(fn, streams[name], seconds / ROUNDS))
    return {name: statistics.median(r) for name, r in rounds.items()}


def generation_rates(topics, seconds: float, solution: bool = False) -> dict[str, float]:
    """Free-response problems per second by topic, each from a new seed: prompt and gradable
    parts, and with `solution` the worked solution too (rendered on first read, so outside the
    plain rate)."""
    def make(topic: str, seed: int):
        problem = generate(topic, "free-response", seed=seed)
        return problem.solution if solution else problem
    for seed in range(PYTHON_PROBLEMS):         # a process's first problems draw in Python: past them
        generate("matmul", seed=seed)
    return rates_in_turns({topic: (lambda s, t=topic: make(t, s), range(100_000)) for topic in topics},
                          seconds / 2)


def graded_answers(topics, kinds, count: int = 150) -> list[tuple]:
    """(part, text) pairs: each part's reference answer, and its first anticipated mistake."""
    pairs = []
    for topic, seed in itertools.product(topics, range(count)):
        for part in generate(topic, "fill-in", seed=seed).parts:
            if part.kind in kinds:
                pairs.append((part, typed(part.answer, part.kind)))
                if part.mistakes:
                    pairs.append((part, typed(part.mistakes[0].answer, part.kind)))
    return pairs


def grading_rates(seconds: float) -> tuple[dict[str, float], float]:
    """Answers graded per second by kind, and the slowest single expression check (s)."""
    numeric = graded_answers(("mse", "inverse", "vectors", "gd-step"), {Kind.NUMBER, Kind.VECTOR})
    matrix = graded_answers(("matmul", "transpose", "inverse"), {Kind.MATRIX})
    expression = graded_answers(("partial-derivatives", "gradient"), {Kind.EXPRESSION})
    rates = rates_in_turns({kind: (lambda pair: grade_part(*pair), pairs) for kind, pairs in
                            (("numeric", numeric), ("matrix", matrix), ("expression", expression))}, seconds / 3)
    worst = 0.0
    for part, text in expression:
        start = time.perf_counter()
        grade_part(part, text)
        worst = max(worst, time.perf_counter() - start)
    return rates, worst


def class_worksheet(folder: Path) -> tuple[list[str], list[str]]:
    """`drills worksheet` for a class (printable sheets and key); `drills grade` of the sheets the
    students return (filled in here with the key's answers, every other problem left blank)."""
    from drills.sheetid import sheet_spec
    from drills.worksheet import answer_sheet, make_sheets

    names = [f"Student {i:02d}" for i in range(CLASS_SIZE)]
    (folder / "roster.txt").write_text("\n".join(names) + "\n", encoding="utf-8")
    topics, seed = ("matmul", "inverse", "mse", "gradient"), 7
    make = ["worksheet", *(f"--topic={t}" for t in topics), "--count", str(SHEET_PROBLEMS),
            "--seed", str(seed), "--students", str(folder / "roster.txt"), "--format", "html",
            "-o", str(folder / "sheet.html"), "--key", str(folder / "key.html"),
            "--answer-sheet", str(folder / "answers.txt")]
    spec = sheet_spec(topics, "free-response", SHEET_PROBLEMS, seed)
    returned = []
    for i, sheet in enumerate(make_sheets(spec, names)):
        lines = answer_sheet(sheet, "bench", filled=True).splitlines()
        kept = [line for line in lines if not (line[:1].isdigit() and int(line.split(":")[0][:-1]) % 2)]
        path = folder / f"returned-{i:02d}.txt"
        path.write_text("\n".join(kept) + "\n", encoding="utf-8")
        returned.append(str(path))
    return make, ["grade", "--format", "csv", *returned]
