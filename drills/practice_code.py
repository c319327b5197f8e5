"""Practising the `code` level: write the starter file, grade it when the learner presses Enter,
show the report; again after each edit, until it passes or the learner moves on.

The first graded version is the attempt (as a first answer is at the other levels); passing
later marks it corrected. On piped input one line grades the file once.
"""
from __future__ import annotations

import os
import textwrap
import time
from pathlib import Path

import click

from drills.coding import STORED_SOURCE_CHARS, exercise_of, read_source, starter_text, write_starter
from drills.errors import DrillsError
from drills.practice import Console, Interrupted, Quit, header
from drills.records import Attempt
from drills.problem import Problem
from grader import Verdict
from grader.spec import PartVerdict

MOVE_ON = {"s", "skip", "n", "next"}


def target_path(file: str | None, name: str) -> Path:
    """Where the starter goes: --file PATH (a folder, or a path ending in a slash, takes NAME.py),
    else NAME.py here."""
    if not file:
        return Path.cwd() / f"{name}.py"
    path = Path(file).expanduser()
    folder = path.is_dir() or file.endswith(("/", os.sep))
    return path / f"{name}.py" if folder else path


def practise_code(problem: Problem, number: int, console: Console, file: str | None = None) -> Attempt:
    from grader.code import grade_source, verdict_of

    ex = exercise_of(problem)
    console.say(click.style(header(number, problem), bold=True))
    console.say(f"Write it yourself, in NumPy: {ex.signature}\n\n{ex.title}\n\n{ex.doc.strip()}\n")
    path = target_path(file, ex.name)
    console.say(f"{write_starter(problem, path)}\n"
                f"Write {ex.name} in it with your editor, save, and come back here.")
    untouched = starter_text(problem.topic, ex.name, problem.params["seed"], path.name)
    start = time.monotonic()
    first: tuple[str, object, float] | None = None
    final = None
    ask = f"Press Enter to grade {path.name} (s: a model solution, and on; q: stop): "
    while True:
        try:
            command = console.ask(ask).strip().lower()
        except (Quit, KeyboardInterrupt) as stop:
            graded = _attempt(problem, first, final)
            if isinstance(stop, KeyboardInterrupt) and graded is None:
                raise
            raise (Quit if isinstance(stop, Quit) else Interrupted)(graded) from None
        if command in MOVE_ON:
            if first is None:        # the model solution before any attempt: counted as a miss
                first = ("", PartVerdict("a", 0.0, "The model solution was shown before an attempt."),
                         time.monotonic() - start)
            break
        try:
            source = read_source(path)
        except DrillsError as err:
            console.say(f"  {err}")
            if not console.interactive:
                break
            continue
        if source == untouched and console.interactive:
            console.say(f"  {path.name} is still the starter: write {ex.name} first.")
            continue
        report = grade_source(ex.name, problem.params["seed"], source, filename=str(path))
        console.say(textwrap.indent(report.text(), "  "))
        verdict = verdict_of("a", report)
        if not report.readable and console.interactive:
            continue                             # as an unreadable answer: not yet an attempt
        if first is None:
            first = (source, verdict, time.monotonic() - start)
        final = verdict
        if report.correct or not console.interactive:
            break
        ask = "Edit, save and press Enter to grade again (s: a model solution, and on; q: stop): "
    if first is None:                            # piped input, and the file could not be read
        raise Quit()
    console.say(click.style("\nA model solution", bold=True) + " (yours may differ: it is graded on what it returns)")
    console.say(textwrap.indent(ex.solution.rstrip(), "    "))
    return _attempt(problem, first, final)


def _attempt(problem: Problem, first, final) -> Attempt | None:
    """The attempt: the first graded version and its verdict; corrected when a later one passed."""
    if first is None:
        return None
    source, verdict, seconds = first
    corrected = {"a"} if final is not None and final.correct and not verdict.correct else set()
    return Attempt(problem, {"a": source[:STORED_SOURCE_CHARS]}, Verdict((verdict,)),
                   corrected=corrected, seconds=seconds)
