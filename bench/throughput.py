"""In-process rates: problems generated and answers graded per second, templates compiled once."""
from __future__ import annotations

import itertools
import time
from pathlib import Path

from drills import generate
from grader import grade_part
from grader.spec import Kind
from grader.values import from_json, to_text

CLASS_SIZE, SHEET_PROBLEMS = 40, 10


def rate(fn, items: list, seconds: float) -> float:
    """Calls of fn per second, cycling through items for at least `seconds` (after a warm-up)."""
    for item in items[:3]:
        fn(item)
    done, start = 0, time.perf_counter()
    for item in itertools.cycle(items):
        fn(item)
        done += 1
        if done % 50 == 0 and time.perf_counter() - start >= seconds:
            break
    return done / (time.perf_counter() - start)


def generation_rates(topics, seconds: float, solution: bool = False) -> dict[str, float]:
    """Free-response problems per second by topic: prompt and gradable parts, and with
    `solution` the worked solution too (rendered on first read, so outside the plain rate)."""
    def make(topic: str, seed: int):
        problem = generate(topic, "free-response", seed=seed)
        return problem.solution if solution else problem
    return {topic: rate(lambda s, t=topic: make(t, s), list(range(500)), seconds / 2) for topic in topics}


def answer_text(answer, kind: Kind) -> str:
    return answer if isinstance(answer, str) else to_text(from_json(answer, kind))


def graded_answers(topics, kinds, count: int = 150) -> list[tuple]:
    """(part, text) pairs: each part's reference answer, and its first anticipated mistake."""
    pairs = []
    for topic, seed in itertools.product(topics, range(count)):
        for part in generate(topic, "fill-in", seed=seed).parts:
            if part.kind in kinds:
                pairs.append((part, answer_text(part.answer, part.kind)))
                if part.mistakes:
                    pairs.append((part, answer_text(part.mistakes[0].answer, part.kind)))
    return pairs


def grading_rates(seconds: float) -> tuple[dict[str, float], float]:
    """Answers graded per second by kind, and the slowest single expression check (s)."""
    numeric = graded_answers(("mse", "inverse", "vectors", "gd-step"), {Kind.NUMBER, Kind.VECTOR})
    matrix = graded_answers(("matmul", "transpose", "inverse"), {Kind.MATRIX})
    expression = graded_answers(("partial-derivatives", "gradient"), {Kind.EXPRESSION})
    rates = {kind: rate(lambda pair: grade_part(*pair), pairs, seconds / 3)
             for kind, pairs in (("numeric", numeric), ("matrix", matrix), ("expression", expression))}
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
