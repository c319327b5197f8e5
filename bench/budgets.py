"""The speed and memory budgets (start-up, generation, grading, a class's worksheet, memory),
each measured against its anchor in the same run.

    python -m bench.budgets [--check] [--quick]

Start-up budgets are ratios of median wall times (fresh processes) to an anchor process that
only imports what the step must; throughput budgets are counts per second in one process,
after a warm-up; memory is each command's peak resident set. With --check the exit status is 1
when any budget is exceeded by more than 25% (the regression guard: run it on demand, not in CI).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

GUARD = 1.25
HISTORY = 1000                              # attempts in a seasoned learner's store
ROOT = Path(__file__).resolve().parents[1]
NUMERIC_TOPICS = ("matmul", "transpose", "inverse", "vectors", "svd", "mse", "normal-equation",
                  "gd-step", "sgd")


@dataclass
class Result:
    name: str
    value: float
    unit: str
    limit: float
    at_most: bool = True            # False: the value must be at least the limit

    @property
    def ratio(self) -> float:
        """How far over the budget (> 1 is over), whichever way the budget points."""
        return self.value / self.limit if self.at_most else self.limit / max(self.value, 1e-12)

    def line(self) -> str:
        sign = "≤" if self.at_most else "≥"
        verdict = "ok" if self.ratio <= 1 else ("over" if self.ratio <= GUARD else "OVER (guard)")
        return f"  {self.name:<46}{self.value:>10.2f} {self.unit:<10} {sign} {self.limit:<8g}{verdict}"


def run_timed(argv: list[str], stdin: bytes = b"", env: dict | None = None) -> tuple[float, int]:
    """Wall seconds and peak resident KiB of one fresh process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, env=env)
    proc.stdin.write(stdin)
    proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited with {proc.returncode}")
    return time.perf_counter() - start, usage.ru_maxrss


def median_times(commands: dict[str, tuple[list[str], dict]], repeat: int) -> dict[str, tuple[float, int]]:
    """Median wall seconds and peak resident KiB of each command, run in turns (one of each per
    round, after a warm-up round): the machine's speed drifts, and every ratio then compares
    runs taken side by side."""
    for argv, env in commands.values():
        run_timed(argv, env=env)            # warm-up: bytecode written, files in the page cache
    runs: dict[str, list] = {name: [] for name in commands}
    for _ in range(repeat):
        for name, (argv, env) in commands.items():
            runs[name].append(run_timed(argv, env=env))
    return {name: (statistics.median(t for t, _ in r), max(m for _, m in r)) for name, r in runs.items()}


def drills(*args: str) -> list[str]:
    return [sys.executable, "-c", "import sys; from drills.cli import main; sys.exit(main())", *args]


def add_history(home: Path, count: int) -> None:
    """A store with `count` attempts of one learner, a few a day on every topic, most right."""
    from datetime import datetime, timedelta, timezone

    from drills.catalog import TOPICS
    from drills.progress import Store, default_learner
    from drills.records import AttemptRecord, PartRecord
    from drills.schedule import asked_levels

    skills = [(t, lv) for t in TOPICS for lv in asked_levels(t)]
    start = datetime.now(timezone.utc) - timedelta(hours=6 * count)
    with Store.open(home / "progress.sqlite3") as store:
        store.add([AttemptRecord(default_learner(), *skills[i * 7 % len(skills)], "bench", i,
                                 (PartRecord("a", "1", 1.0, i % 5 > 0),), at=start + timedelta(hours=6 * i),
                                 seconds=40.0) for i in range(count)])


# Start-up budgets: (name, step, anchor), each at most 1.3× its anchor.
STARTUP_BUDGETS = (("drills --help / import click", "--help", "click"),
                   ("generate matmul / import click,jinja2,numpy", "generate", "stack"),
                   ("practice, first prompt / the same", "practice", "stack"),
                   (f"  the same, {HISTORY:,} attempts in the store", "seasoned", "stack"))


def startup_commands(env: dict, home: Path) -> dict[str, tuple[list[str], dict]]:
    """The anchors and the steps that start-up budgets compare, as (argv, env); `home` gets a
    store of HISTORY attempts for the seasoned learner."""
    py = [sys.executable, "-c"]
    practice = drills("practice", "--topic", "matmul", "--seed", "1", "-n", "1")
    add_history(home, HISTORY)
    return {"click": (py + ["import click"], env), "stack": (py + ["import click, jinja2, numpy"], env),
            "--help": (drills("--help"), env),
            "generate": (drills("generate", "--topic", "matmul", "--seed", "1"), env),
            "practice": (practice, env),
            # with --level, as the learner who names both: the store is opened, the schedule waits
            "seasoned": (practice + ["--level", "fill-in"], {**env, "DRILLS_HOME": str(home)})}


def startup(repeat: int, env: dict) -> tuple[list[Result], dict[str, int]]:
    with tempfile.TemporaryDirectory() as home:
        times = median_times(startup_commands(env, Path(home)), repeat)
    (click, _), (stack, _) = times["click"], times["stack"]
    print(f"anchors: import click {click * 1e3:.0f} ms, import click, jinja2, numpy {stack * 1e3:.0f} ms")
    return ([Result(name, times[step][0] / times[anchor][0], "×", 1.3) for name, step, anchor in STARTUP_BUDGETS],
            {step: times[step][1] for step in ("--help", "generate", "practice")})


def throughput(seconds: float) -> list[Result]:
    from bench.throughput import generation_rates, grading_rates

    results = [Result(f"generate {topic} (problems/s)", rate, "/s", 2000, at_most=False)
               for topic, rate in generation_rates(NUMERIC_TOPICS, seconds).items()]
    print("not budgeted: problems/s with the worked solution rendered too, "
          + ", ".join(f"{t} {r:.0f}" for t, r in generation_rates(NUMERIC_TOPICS, seconds, solution=True).items()))
    rates, worst = grading_rates(seconds)
    results += [Result(f"grade {kind} answers (/s)", rate, "/s", 2000, at_most=False)
                for kind, rate in rates.items()]
    results.append(Result("slowest single expression check (s)", worst, "s", 1.0))
    return results


def classroom(env: dict) -> tuple[list[Result], dict[str, int]]:
    """A 40-student worksheet of 10 problems each, made; then 40 filled-in sheets graded."""
    from bench.throughput import class_worksheet

    with tempfile.TemporaryDirectory() as tmp:
        make, grade = class_worksheet(Path(tmp))
        made, m1 = run_timed(drills(*make), env=env)
        graded, m2 = run_timed(drills(*grade), env=env)
    return ([Result("worksheet for 40 students × 10 problems (s)", made, "s", 2.0),
             Result("grade 40 returned sheets (s)", graded, "s", 2.0)],
            {"worksheet": m1, "grade": m2})


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a budget is exceeded by > 25%%")
    parser.add_argument("--quick", action="store_true", help="fewer repeats (noisier)")
    args = parser.parse_args()
    repeat, seconds = (5, 0.5) if args.quick else (15, 2.0)
    with tempfile.TemporaryDirectory() as home:
        # as installed: bytecode cached (a sandbox may have turned that off)
        env = {**os.environ, "DRILLS_HOME": home, "PYTHONPATH": str(ROOT)}
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        results, memory = startup(repeat, env)
        results += throughput(seconds)
        rooms, room_memory = classroom(env)
    results += rooms
    memory.update(room_memory)
    results += [Result(f"peak memory: {step} (MB)", kib / 1024, "MB", 150) for step, kib in memory.items()]
    print(f"\n  {'budget':<46}{'measured':>10} {'':<10}   {'budget':<8}")
    for r in results:
        print(r.line())
    over = [r for r in results if r.ratio > GUARD]
    print(f"\n{len(results) - len([r for r in results if r.ratio > 1])} of {len(results)} within budget"
          + (f"; {len(over)} beyond the 25% guard" if over else ""))
    return 1 if args.check and over else 0


if __name__ == "__main__":
    sys.exit(main())
