"""Instructions per problem and per graded answer, counted by valgrind's cachegrind: the
measure that stays put when the machine's speed drifts (wall-clock rates here move by 2×).

    python -m bench.instructions [--topics T,...] [--count N] [--warm N]

Each figure is the difference between two runs of the same process, one making `count` more
problems (or grading `count` more answers) after `warm` of them, divided by `count`; so start-up
and warm-up cancel out, and a rerun agrees to a few instructions. Runs go in parallel, one per
core. On this project's 2-core machine, 2,000 problems/s is about 2.5M instructions a problem.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

from bench.budgets import NUMERIC_TOPICS

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


def instructions(script: str, name: str, warm: int, count: int, counted: bool) -> int:
    """Instructions the whole process executes: it sets up for `count` items and makes `warm`,
    then (when `counted`) the `count` more."""
    # One BLAS thread: idle BLAS threads are counted too, and make the figures drift by 10%.
    env = {**os.environ, "PYTHONHASHSEED": "0", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
           "MKL_NUM_THREADS": "1"}
    argv = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
            sys.executable, "-c", script, name, str(warm), str(count), str(int(counted))]
    done = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
    return int(_REFS.search(done.stderr).group(1).replace(",", ""))


def per_item(script: str, name: str, warm: int, count: int) -> float:
    # A first run outside valgrind fills Jinja's cache of compiled templates, which would
    # otherwise count the compiling in whichever counted run came first.
    subprocess.run([sys.executable, "-c", script, name, str(warm), "0", "0"], check=True, capture_output=True)
    return (instructions(script, name, warm, count, True) - instructions(script, name, warm, count, False)) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--topics", default=",".join(NUMERIC_TOPICS), help="comma-separated topics")
    parser.add_argument("--count", type=int, default=200, help="problems (answers) counted")
    parser.add_argument("--warm", type=int, default=300, help="problems (answers) made first")
    args = parser.parse_args()
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    jobs = [(PROBLEMS, t, f"generate {t} (per problem)") for t in args.topics.split(",") if t]
    jobs.append((ANSWERS, "-", "grade expression answers (per answer)"))
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        counts = pool.map(lambda job: per_item(job[0], job[1], args.warm, args.count), jobs)
        for (_, _, label), value in zip(jobs, counts):
            print(f"  {label:<44}{value / 1e6:>8.2f} M instructions", flush=True)


if __name__ == "__main__":
    main()
