"""Run a learner's function in a process of its own, with limits, and bring back what happened.

The child (child.py) limits its own memory and CPU before it reads anything; this side keeps the
wall clock, kills the child's whole process group when time is up, and reads back only JSON
lines and .npy files without pickles, each capped in size. Whatever the learner's code does (hang,
crash, print, raise, allocate), `run` returns.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

CHILD = Path(__file__).with_name("child.py")
STARTUP_SECONDS = 20.0          # Python and NumPy starting on a busy machine; not the learner's time
MAX_EVENTS_BYTES = 4 * 2**20
MAX_OUTPUT_BYTES = 64 * 2**20


@dataclass(frozen=True)
class Limits:
    """What a learner's run may use: wall-clock seconds for all cases, memory, printed characters."""

    seconds: float = 10.0
    memory_mb: int = 1024
    output_chars: int = 4000


@dataclass
class Run:
    """What came back: the child's events, each case's result array, and how it ended."""

    events: list[dict] = field(default_factory=list)
    results: dict[int, np.ndarray] = field(default_factory=dict)
    stopped: str = ""            # "", "timeout", "signal", "exit"
    signal_name: str = ""
    returncode: int | None = None
    seconds: float = 0.0
    fault: str = ""              # faulthandler's report of a crash

    def of(self, event: str) -> list[dict]:
        return [e for e in self.events if e.get("event") == event]

    def case_events(self, i: int) -> dict:
        """The last event of case i: done, raised, start (never finished), or {} (never started)."""
        found = {}
        for e in self.events:
            if e.get("case") == i:
                found = e
        return found


def run(task: dict, limits: Limits) -> Run:
    """Run task (see child.py) in a child process; never raises for anything the child does."""
    with tempfile.TemporaryDirectory(prefix="drills-code-", ignore_cleanup_errors=True) as tmp:
        folder = Path(tmp)
        (folder / "work").mkdir()
        (folder / "task.json").write_text(json.dumps({**task, "output_chars": limits.output_chars}),
                                          encoding="utf-8")
        watchdog = limits.seconds + STARTUP_SECONDS + 5
        # -B: no __pycache__ left beside the learner's file by the helper modules it imports
        cmd = [sys.executable, "-I", "-B", str(CHILD), str(folder), str(limits.memory_mb),
               str(int(limits.seconds + STARTUP_SECONDS) + 2), str(watchdog)]
        env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        result = Run()
        with open(folder / "stdout", "wb") as out, open(folder / "stderr", "wb") as err:
            started = time.monotonic()
            try:
                proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                        cwd=folder / "work", env=env, start_new_session=True,
                                        close_fds=True)
            except OSError as e:
                result.stopped, result.fault = "exit", f"could not start Python: {e}"
                return result
            try:
                result.stopped = _wait(proc, folder / "events.jsonl", limits.seconds, started)
            finally:
                _kill(proc)
            result.seconds = time.monotonic() - started
        result.returncode = proc.returncode
        if not result.stopped and proc.returncode:
            if proc.returncode < 0:
                result.stopped = "signal"
                result.signal_name = _signal_name(-proc.returncode)
            else:
                result.stopped = "exit"
        result.events = _read_events(folder / "events.jsonl")
        if not result.stopped and not result.of("end"):      # os._exit(0) in the learner's code
            result.stopped = "exit"
        result.fault = _tail(folder / "fault.txt", 4000) or _tail(folder / "stderr", 2000)
        for e in result.of("done"):
            path = folder / f"out{e['case']}.npy"
            if e.get("result", {}).get("saved") and path.is_file() and path.stat().st_size <= MAX_OUTPUT_BYTES:
                try:
                    result.results[e["case"]] = np.load(path, allow_pickle=False)
                except (OSError, ValueError, EOFError):
                    pass
        return result


def _wait(proc: subprocess.Popen, events: Path, seconds: float, started: float) -> str:
    """'' once the child ends by itself; 'timeout' when the learner's time (counted from the child's
    'ready', or from the start plus STARTUP_SECONDS) runs out."""
    deadline = started + seconds + STARTUP_SECONDS
    ready = False
    while True:
        try:
            proc.wait(timeout=0.02 if not ready else min(0.1, max(0.0, deadline - time.monotonic())))
            return ""
        except subprocess.TimeoutExpired:
            pass
        now = time.monotonic()
        if not ready and _says_ready(events):
            ready, deadline = True, now + seconds
        if now >= deadline:
            return "timeout"


def _says_ready(path: Path) -> bool:
    try:
        with open(path, "rb") as f:
            return b'"ready"' in f.read(65536)
    except OSError:
        return False


def _kill(proc: subprocess.Popen) -> None:
    """The child and anything it started, gone; waited for, so no zombie is left."""
    running = proc.poll() is None
    try:                                     # the group: grandchildren the learner's code started too
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        if running:
            proc.kill()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        pass


def _read_events(path: Path) -> list[dict]:
    events = []
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_EVENTS_BYTES)
    except OSError:
        return events
    for line in data.decode("utf-8", "replace").splitlines():
        try:
            event = json.loads(line)
        except ValueError:                  # a line cut short by a crash or a kill
            continue
        if isinstance(event, dict):
            events.append(event)
    return events


def _tail(path: Path, chars: int) -> str:
    try:
        with open(path, "rb") as f:
            f.seek(0, os.SEEK_END)
            size = f.tell()
            f.seek(max(0, size - 4 * chars))
            return f.read().decode("utf-8", "replace")[-chars:].strip()
    except OSError:
        return ""


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"
