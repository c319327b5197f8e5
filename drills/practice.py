"""The practice loop: show a problem, take answers part by part, give feedback, show the solution.

Interactive on a terminal (hints with '?', one retry, matrices row by row); on piped input it
reads exactly one line per part, so a session can be scripted.
"""
from __future__ import annotations

import itertools
import re
import secrets
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import click

from drills.catalog import Level, topic_info
from drills.problem import Problem, generate
from drills.records import Attempt
from drills.terminal import wrapped
from drills.textfile import decode_text
from grader.spec import Kind, Part, PartVerdict, Verdict
from grader.values import typed

QUIT_WORDS = {"q", "quit", "exit"}
_BARE_ROW = re.compile(r"^[^\[\](;]*\d[^\[\](;]*$")
_ENTRY_BREAK = re.compile(r"[,\s]+")


class Quit(Exception):
    """The learner asked to stop (q, or the end of input); `attempt`, when given, was graded first."""

    def __init__(self, attempt: Attempt | None = None):
        super().__init__()
        self.attempt = attempt


class Interrupted(Quit):
    """Ctrl-C in the middle of a problem: what was graded counts, as after q; the command then
    exits as interrupted."""


@dataclass
class Console:
    """Where practice reads answers and writes text."""

    read_line: Callable[[str], str | None]   # prompt -> line, or None at end of input
    interactive: bool
    color: bool | None = None

    @classmethod
    def standard(cls, color: bool | None = None) -> Console:
        if sys.stdin.isatty():
            def read(prompt):
                try:
                    return input(prompt)
                except EOFError:
                    return None
            return cls(read, True, color)

        raw = getattr(sys.stdin, "buffer", None)

        def read_piped(prompt):
            line = _piped_text(raw.readline()) if raw else sys.stdin.readline()
            if not line:
                return None
            click.echo(prompt + line.rstrip("\r\n"), color=color)
            return line.rstrip("\r\n")
        return cls(read_piped, False, color)

    def say(self, text: str = "") -> None:
        click.echo(text, color=self.color)

    def ask(self, prompt: str) -> str:
        line = self.read_line(prompt)
        if line is None or line.strip().lower() in QUIT_WORDS:
            raise Quit
        return line


def _piped_text(line: bytes) -> str:
    """A piped line of answers, decoded as answer sheets are (x² in a file saved by Notepad is the
    byte B2); never an error, and nothing the store cannot keep."""
    try:
        return decode_text(line)
    except UnicodeDecodeError:
        return line.decode("utf-8", errors="replace")


@dataclass
class Summary:
    attempts: list[Attempt] = field(default_factory=list)
    interrupted: bool = False

    def line(self) -> str:
        parts = [pv for a in self.attempts for pv in a.verdict.parts]
        if not self.attempts:
            return "No problems answered."
        n = len(self.attempts)
        head = f"{n} problem{'s' if n != 1 else ''}"
        if not parts:
            return f"{head} read."
        right = sum(pv.correct for pv in parts)
        noun = "part" if len(parts) == 1 else "parts"
        return f"{head}, {right} of {len(parts)} {noun} right first time ({right / len(parts):.0%})."


def problem_stream(pick: Callable[[int], tuple[str, str]], seed: int | None,
                   count: int | None) -> Iterator[Problem]:
    """Problems of the skills `pick(i)` names (topic, level), asked only when the problem is due
    to show; seeds seed, seed+1, … (random when no seed)."""
    numbers = range(count) if count else itertools.count()
    for i in numbers:
        s = seed + i if seed is not None else secrets.randbelow(2**31)
        yield generate(*pick(i), seed=s)


@contextmanager
def stopped_by_signals() -> Iterator[list[int]]:
    """Within it, SIGTERM and SIGHUP (a kill, a closed terminal) stop practice as Ctrl-C does, so
    what was graded is kept; the list it gives receives the signal's number."""
    stopped_by: list[int] = []

    def stop(signum, frame):
        stopped_by.append(signum)
        raise KeyboardInterrupt
    signals = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None]
    before = {s: signal.signal(s, stop) for s in signals}
    try:
        yield stopped_by
    finally:
        for s, handler in before.items():
            signal.signal(s, handler)


def run(problems: Iterable[Problem], console: Console,
        on_attempt: Callable[[Attempt], None] | None = None, code_file: str | None = None) -> Summary:
    """Practise until the problems run out or the learner quits; returns what happened.
    Code-level problems are written to `code_file` (a file or a folder; default NAME.py here)."""
    summary = Summary()
    iterator = iter(problems)
    try:
        problem = next(iterator, None)
        number = 1
        while problem is not None:
            attempt = practise_one(problem, number, console, code_file)
            summary.attempts.append(attempt)
            if on_attempt:
                on_attempt(attempt)
            problem = next(iterator, None)
            if problem is not None and console.interactive:
                console.ask("\nEnter for the next problem, q to quit: ")
            number += 1
    except Quit as stop:
        if stop.attempt is not None:             # stopped after grading some of it: it counts
            summary.attempts.append(stop.attempt)
            if on_attempt:
                on_attempt(stop.attempt)
        summary.interrupted = isinstance(stop, Interrupted)
    except KeyboardInterrupt:
        summary.interrupted = True
    console.say("\n" + summary.line())
    return summary


def practise_one(problem: Problem, number: int, console: Console, code_file: str | None = None) -> Attempt:
    if problem.level == Level.CODE.value:
        from drills.practice_code import practise_code

        return practise_code(problem, number, console, code_file)
    title = topic_info(problem.topic).title
    seed = f" · seed {problem.seed}" if problem.seed is not None else ""
    console.say(click.style(f"\n── Problem {number} · {title} · {problem.level}{seed} ──", bold=True))
    console.say(problem.prompt + "\n")
    attempt = Attempt(problem, {}, Verdict())
    start = time.monotonic()
    firsts: list[PartVerdict] = []
    try:
        for part in problem.parts:
            _answer_part(part, console, attempt, firsts)
    except (Quit, KeyboardInterrupt) as stop:
        if not firsts:
            raise
        # stopped after seeing some answers: the attempt counts, the parts left as not passed
        firsts += [PartVerdict(p.key, 0.0, "Not answered.") for p in problem.parts[len(firsts):]]
        attempt.verdict, attempt.seconds = Verdict(tuple(firsts)), time.monotonic() - start
        raise (Quit if isinstance(stop, Quit) else Interrupted)(attempt) from None
    attempt.verdict = Verdict(tuple(firsts))
    attempt.seconds = time.monotonic() - start
    if problem.parts:
        console.say(click.style("\nSolution", bold=True))
        console.say(problem.solution)
    return attempt


def _answer_part(part: Part, console: Console, attempt: Attempt, firsts: list[PartVerdict]) -> None:
    """Ask until readable (interactive), grade, allow one retry. The first graded answer is what
    counts: it goes into `attempt` and `firsts` at once, so stopping at the retry keeps it."""
    label = f"({part.key}) {part.label}: "
    first = final = None
    while True:
        text = _read_answer(part, console, label, attempt.hints, giving_up_allowed=first is not None)
        if text is None:                              # Enter on the retry: show the answer
            break
        from drills.checking import format_part       # the graders load once there is an answer:
        from grader.compare import grade_part         # the first problem shows without waiting for them

        final = grade_part(part, text)
        if not final.readable and console.interactive:
            console.say(wrapped(format_part(final, console.color), "  "))
            continue
        if first is None:
            first = final
            attempt.answers[part.key] = text
            firsts.append(first)
        console.say(wrapped(format_part(final, console.color), "  "))
        if final.correct or not console.interactive or first is not final:
            break
        console.say("  Try once more, or press Enter to see the answer.")
    if final.correct and not first.correct:
        attempt.corrected.add(part.key)
    if not final.correct:
        console.say(wrapped(f"The answer: {typed(part.answer, part.kind)}", "  "))


def _read_answer(part: Part, console: Console, label: str, hints: set[str], giving_up_allowed: bool):
    while True:
        line = console.ask(label)
        if line.strip() == "?":
            hints.add(part.key)
            console.say(wrapped("Hint: " + (part.hint or "follow the worked steps above."), "  "))
            continue
        if not line.strip():
            if giving_up_allowed:
                return None
            if console.interactive:
                continue
        if console.interactive and (rows := _rows_wanted(part, line)) > 1:
            lines = [line]
            while len(lines) < rows and (more := console.ask("    … ")).strip():
                lines.append(more)
            line = "\n".join(lines)
        return line


def _rows_wanted(part: Part, line: str) -> int:
    """How many rows to read when a bare row of numbers is typed for a matrix (0: not one). A
    square matrix, or none at all (A⁻¹ of a singular A), gets as many rows as the row has entries:
    how many are asked must not tell whether A has an inverse."""
    from grader.parse import is_no_value

    if part.kind is not Kind.MATRIX or not _BARE_ROW.match(line.strip()) or is_no_value(line):
        return 0
    answer = part.answer
    if isinstance(answer, list) and len(answer) != len(answer[0]):
        return len(answer)
    return len(_ENTRY_BREAK.split(line.strip()))
