"""Instructions per problem and per graded answer, counted by valgrind's cachegrind: the
measure that stays put when the machine's speed drifts (wall-clock rates here move by 2×).

    python -m bench.instructions [--topics T,...] [--count N] [--warm N] [--startup]

Each figure is the difference between two runs of the same process, one making `count` more
problems (or grading `count` more answers) after `warm` of them, divided by `count`; so start-up
and warm-up cancel out, and a rerun agrees to a few instructions. Runs go in parallel, one per
core. Instructions are not time: how many run in a second drifts with the hour and differs from
topic to topic (the README sets figures of both side by side).
With --startup, the start-up budgets of bench.budgets too, as ratios of the instructions of
whole processes: what the CPU does, without the waits on the disk that wall time also has.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from bench.budgets import NUMERIC_TOPICS, STARTUP_BUDGETS, startup_commands

# Problems: free-response, seeds warm, warm + 1, ... as bench.throughput makes them.
PROBLEMS = """
import sys
from drills import generate
topic, warm, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) * int(sys.argv[4])
for seed in range(warm + count):
    generate(topic, "free-response", seed=seed)
"""
# Answers: bench.throughput's expression answers (each part's answer and first mistake).
ANSWERS = """
import sys
from bench.throughput import graded_answers
from grader import grade_part
from grader.spec import Kind
warm, count = int(sys.argv[2]), int(sys.argv[3])
pairs = graded_answers(("partial-derivatives", "gradient"), {Kind.EXPRESSION}, count=(warm + count) // 4 + 1)
assert len(pairs) >= warm + count, "too few answers"
for pair in pairs[:warm + count * int(sys.argv[4])]:
    grade_part(*pair)
"""
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def counted(argv: list[str], env: dict) -> int:
    """Instructions one whole process executes."""
    # One BLAS thread: idle BLAS threads are counted too, and make the figures drift by 10%.
    env = {**env, "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1"}
    done = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                           *argv], capture_output=True, text=True, env=env, check=True, stdin=subprocess.DEVNULL)
    return int(_REFS.search(done.stderr).group(1).replace(",", ""))


def instructions(script: str, name: str, warm: int, count: int, counted_too: bool) -> int:
    """Instructions of a process that sets up for `count` items and makes `warm`, then (when
    `counted_too`) the `count` more."""
    return counted([sys.executable, "-c", script, name, str(warm), str(count), str(int(counted_too))], dict(os.environ))


def per_item(script: str, name: str, warm: int, count: int) -> float:
    # A first run outside valgrind fills Jinja's cache of compiled templates, which would
    # otherwise count the compiling in whichever counted run came first.
    subprocess.run([sys.executable, "-c", script, name, str(warm), "0", "0"], check=True, capture_output=True)
    return (instructions(script, name, warm, count, True) - instructions(script, name, warm, count, False)) / count


def startup_ratios(pool) -> list[tuple[str, float]]:
    """The start-up budgets as ratios of instructions (waits on the disk are not counted)."""
    with tempfile.TemporaryDirectory() as home:
        env = {**os.environ, "DRILLS_HOME": home}
        env.pop("PYTHONDONTWRITEBYTECODE", None)             # as installed: bytecode cached
        commands = startup_commands(env, Path(home) / "seasoned")
        for argv, command_env in commands.values():          # bytecode, templates and the store made
            subprocess.run(argv, env=command_env, check=True, capture_output=True, stdin=subprocess.DEVNULL)
        counts = dict(zip(commands, pool.map(lambda c: counted(*c), commands.values())))
    return [(name, counts[step] / counts[anchor]) for name, step, anchor in STARTUP_BUDGETS]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--topics", default=",".join(NUMERIC_TOPICS), help="comma-separated topics")
    parser.add_argument("--count", type=int, default=200, help="problems (answers) counted")
    parser.add_argument("--warm", type=int, default=300, help="problems (answers) made first")
    parser.add_argument("--startup", action="store_true",
                        help="also the start-up budgets, as instructions of the whole process / the anchor's")
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    jobs = [(PROBLEMS, t, f"generate {t} (per problem)") for t in args.topics.split(",") if t]
    jobs.append((ANSWERS, "-", "grade expression answers (per answer)"))
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        counts = pool.map(lambda job: per_item(job[0], job[1], args.warm, args.count), jobs)
        for (_, _, label), value in zip(jobs, counts):
            print(f"  {label:<44}{value / 1e6:>8.2f} M instructions", flush=True)
        if args.startup:
            for name, ratio in startup_ratios(pool):
                print(f"  {name:<44}{ratio:>8.2f} × (instructions; budget 1.3×)", flush=True)


if __name__ == "__main__":
    main()
