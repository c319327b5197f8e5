"""The practice loop: show a problem, take answers part by part, give feedback, show the solution.

Interactive on a terminal (hints with '?', one retry, an answer over several lines: brackets left
open, or a matrix row by row ended by an empty line); on piped input it reads exactly one line
per part, so a session can be scripted.
"""
from __future__ import annotations

import functools
import importlib
import itertools
import re
import secrets
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from drills.catalog import Level, topic_info
from drills.notation import Shape
from drills.problem import Problem, generate
from drills.render import TextFormatter
from drills.terminal import TEXT_WIDTH, columns, wrapped
from drills.textfile import decode_text
from grader.spec import Kind, Part, PartVerdict, Verdict
from grader.values import typed

if TYPE_CHECKING:
    from drills.records import Attempt

QUIT_WORDS = {"q", "quit", "exit"}
# Patterns are compiled (and cached by re) when first used: the first problem shows without them.
_BLANK = re.escape(TextFormatter().blank("@")).replace("@", r"(\w+)")   # "(a) ______", as drawn
_DISPLAY = "[⎡⎢⎣⎤⎥⎦]"
SCREEN_ROWS = 20            # a prompt taller than this has scrolled its first blanks away by their turn
HINT_WORDS = {"?", "hint"}
HELP_WORDS = {"help"}
HELP = "? hint · q quit · matrix: one row per line, empty line ends it · exact: -8/3"
CONTINUED = "    … "
_IMPLICIT_TIMES = r"(?<=[\w)])\*(?=[^\W\d]|\()"     # the * of 2*x, x*y and x*(…), not of 2*3
_AFTER_SUBSCRIPT = r"(_[^\W_]+)\*"                    # x_1*x_2: x₁ x₂, not x₁x_₂
_BARE_ROW = r"^[^\[\](;]*\d[^\[\](;]*$"


class Quit(Exception):
    """The learner asked to stop (q, or the end of input); `attempt`, when given, was graded first."""

    def __init__(self, attempt: Attempt | None = None):
        super().__init__()
        self.attempt = attempt


class Interrupted(Quit):
    """Ctrl-C in the middle of a problem: what was graded counts, as after q; the command then
    exits as interrupted."""


class Console:
    """Where practice reads answers and writes text."""

    # plain classes, this and Summary: making a dataclass costs some 2.5 M instructions at start-up
    def __init__(self, read_line: Callable[[str], str | None], interactive: bool, color: bool | None = None,
                 helped: bool = False):
        self.read_line = read_line           # prompt -> line, or None at end of input
        self.interactive = interactive
        self.color = color
        self.helped = helped                 # the line of help was shown (once a session)

    @classmethod
    def standard(cls, color: bool | None = None) -> Console:
        if sys.stdin.isatty():
            def read(prompt):
                _line_editing()
                try:
                    return input(prompt)
                except EOFError:                 # Ctrl-D: what follows starts on a line of its own
                    click.echo()
                    return None
                except KeyboardInterrupt:
                    click.echo()
                    raise
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


@functools.cache
def _line_editing() -> None:
    """Arrow keys and history at the prompt: readline, loaded at the first answer (not at start-up)
    where Python has it (not on Windows)."""
    try:
        importlib.import_module("readline")             # input() uses it once it is loaded
    except ImportError:
        pass


def _piped_text(line: bytes) -> str:
    """A piped line of answers, decoded as answer sheets are (x² in a file saved by Notepad is the
    byte B2); never an error, and nothing the store cannot keep."""
    try:
        return decode_text(line)
    except UnicodeDecodeError:
        return line.decode("utf-8", errors="replace")


class Summary:
    def __init__(self) -> None:
        self.attempts: list[Attempt] = []
        self.interrupted = False
        self.stopped = False          # by q, Ctrl-C or the end of input, before the problems ran out
        self.unfinished = False       # in the middle of a problem, whose parts left count as wrong

    def line(self) -> str:
        parts = [pv for a in self.attempts for pv in a.verdict.parts]
        if not self.attempts:
            return "No problems answered."
        n = len(self.attempts)
        head = f"{n} problem{'s' if n != 1 else ''}"
        if not parts:
            return f"{head} read."
        right = sum(pv.correct for pv in parts)
        hinted = sum(pv.correct and pv.key in a.hints for a in self.attempts for pv in a.verdict.parts)
        noun = "part" if len(parts) == 1 else "parts"
        text = f"{head}, {right} of {len(parts)} {noun} right first time ({right / len(parts):.0%})"
        text += f", {hinted} with a hint." if hinted else "."
        if self.stopped:
            text += "\nStopped: your answers are saved" + (
                " (the parts not answered count as wrong)." if self.unfinished else ".")
        return text


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
        summary.stopped, summary.unfinished = True, stop.attempt is not None
    except KeyboardInterrupt:
        summary.interrupted = summary.stopped = True
    console.say("\n" + summary.line())
    return summary


def practise_one(problem: Problem, number: int, console: Console, code_file: str | None = None) -> Attempt:
    if problem.level == Level.CODE.value:
        from drills.practice_code import practise_code

        return practise_code(problem, number, console, code_file)
    console.say(click.style(header(number, problem), bold=True))
    console.say(problem.prompt + "\n")
    if console.interactive and problem.parts and not console.helped:
        console.say(click.style(HELP, dim=True))
        console.helped = True
    answers: dict[str, str] = {}
    hints: set[str] = set()
    corrected: set[str] = set()
    start = time.monotonic()
    firsts: list[PartVerdict] = []
    reminders = _blank_lines(problem.prompt) if console.interactive else {}
    try:
        for part in problem.parts:
            if part.key in reminders:
                console.say(click.style(reminders[part.key], dim=True))
            _answer_part(part, console, answers, hints, corrected, firsts)
    except (Quit, KeyboardInterrupt) as stop:
        if not firsts:
            raise
        # stopped after seeing some answers: the attempt counts, the parts left as not passed
        firsts += [PartVerdict(p.key, 0.0, "Not answered.") for p in problem.parts[len(firsts):]]
        attempt = _attempt(problem, answers, firsts, hints, corrected, time.monotonic() - start)
        raise (Quit if isinstance(stop, Quit) else Interrupted)(attempt) from None
    attempt = _attempt(problem, answers, firsts, hints, corrected, time.monotonic() - start)
    if problem.parts:
        console.say(click.style("\nSolution", bold=True))
        console.say(problem.solution)
    return attempt


def _attempt(problem: Problem, answers: dict[str, str], firsts: list[PartVerdict], hints: set[str],
             corrected: set[str], seconds: float) -> Attempt:
    from drills.records import Attempt     # the store's records load once there is something to keep

    return Attempt(problem, answers, Verdict(tuple(firsts)), hints, corrected, seconds)


def _blank_lines(prompt: str) -> dict[str, str]:
    """In a prompt too tall to stay on screen, where each blank is, by its key, to show again
    above its question: its paragraph when that is short and has no other blank, else its line
    ('det A = 3·4 - 2·1 = (a) ______'); none for a blank inside a displayed matrix."""
    if prompt.count("\n") < SCREEN_ROWS:
        return {}
    reminders = {}
    for paragraph in prompt.split("\n\n"):
        lines = paragraph.strip("\n").splitlines()
        whole = len(re.findall(_BLANK, paragraph)) == 1 and len(lines) <= 3
        for line in lines:
            keys = re.findall(_BLANK, line)
            if len(keys) == 1 and not re.search(_DISPLAY, paragraph if whole else line):
                reminders[keys[0]] = "\n".join(lines) if whole else line.strip()
    return reminders


def header(number: int, problem: Problem) -> str:
    """'── Problem 1 · Matrix multiplication · fill-in · seed 3 ──', after a blank line; a title
    too long for one line of the terminal puts the level and seed on the next."""
    title = topic_info(problem.topic).title
    seed = f" · seed {problem.seed}" if problem.seed is not None else ""
    line = f"── Problem {number} · {title} · {problem.level}{seed} ──"
    if columns(line) > TEXT_WIDTH:
        line = f"── Problem {number} · {title} ──\n   {problem.level}{seed}"
    return "\n" + line


def _answer_part(part: Part, console: Console, answers: dict[str, str], hints: set[str], corrected: set[str],
                 firsts: list[PartVerdict]) -> None:
    """Ask until readable (interactive), grade, allow one retry. The first graded answer is what
    counts: it goes into `answers` and `firsts` at once, so stopping at the retry keeps it; `hints`
    and `corrected` get the part's key when it was asked for a hint, or right only on the retry."""
    label = f"({part.key}) {part.label}: "
    first = final = None
    while True:
        text = _read_answer(part, console, label, hints, giving_up_allowed=first is not None)
        if text is None:                              # Enter on the retry: show the answer
            break
        from drills.checking import format_part       # the graders load once there is an answer:
        from grader.compare import grade_part         # the first problem shows without waiting for them

        final = grade_part(part, text)
        if (not final.readable or final.ask_again) and console.interactive:      # say it again, in full
            console.say(_said(format_part(final, console.color)))
            continue
        if first is None:
            first = final
            answers[part.key] = text
            firsts.append(first)
        console.say(_said(format_part(final, console.color)))
        # a choice gets no second try: its feedback names the answer, and a second guess of
        # three says little
        if final.correct or not console.interactive or first is not final or part.kind is Kind.CHOICE:
            break
        console.say("  Try once more, or press Enter to see the answer.")
    if final.correct and not first.correct:
        corrected.add(part.key)
    if not final.correct:
        console.say(_said(the_answer(part)))


def _said(text: str) -> str:
    """Feedback under the question: indented, a wrapped line going on under its first word."""
    return wrapped(text, "  ", hang="    ")


def the_answer(part: Part) -> str:
    """'The answer: …' written as the worked solution writes it: a matrix in brackets, x², 2wx."""
    from grader.parse import is_no_value
    from grader.values import from_json

    answer, math = part.answer, TextFormatter()
    if isinstance(answer, str) and is_no_value(answer):
        return f"The answer: {answer}"
    if part.kind is Kind.SHAPE:
        return "The answer: " + math.shape(Shape(*from_json(answer, part.kind)))
    if part.kind in (Kind.NUMBER, Kind.VECTOR, Kind.MATRIX):
        return math.display("The answer:", from_json(answer, part.kind))
    if part.kind is Kind.EXPRESSION:        # 2*w*x^2 as the steps write it: 2wx²
        return "The answer: " + math.symbol(re.sub(_IMPLICIT_TIMES, "", re.sub(_AFTER_SUBSCRIPT, r"\1 ", answer)))
    return f"The answer: {typed(answer, part.kind)}"


def _read_answer(part: Part, console: Console, label: str, hints: set[str], giving_up_allowed: bool):
    """The text of one answer; None for Enter at the retry (show the answer). At a terminal an
    answer goes on over lines while a bracket is open, and a row of numbers typed for a matrix
    starts one typed row by row; piped, every line is one answer."""
    while True:
        line = console.ask(label)
        if _aside(line, part, console, hints):
            continue
        if not line.strip():
            if giving_up_allowed:
                return None
            if console.interactive:
                console.say("  Type an answer, ? for a hint, or q to stop.")
                continue
        if not console.interactive:
            return line
        from grader.parse import is_no_value, open_brackets

        if open_brackets(line) > 0:
            return _until_closed(line, part, console, hints)
        if part.kind is Kind.MATRIX and re.match(_BARE_ROW, line.strip()) and not is_no_value(line):
            text = _row_by_row(line, part, console, hints)
            if text is None:                          # dropped, to be typed from its first row
                continue
            return text
        return line


def _aside(line: str, part: Part, console: Console, hints: set[str]) -> bool:
    """Whether the line asks for the hint (?, hint) or for help (help) rather than answering;
    the hint or the help is shown."""
    word = line.strip().lower()
    if word in HINT_WORDS:
        hints.add(part.key)
        console.say(_said("Hint: " + (part.hint or "follow the worked steps above.")))
    elif word in HELP_WORDS:
        console.say(click.style(HELP, dim=True))
    return word in HINT_WORDS or word in HELP_WORDS


def _until_closed(line: str, part: Part, console: Console, hints: set[str]) -> str:
    """line and the lines typed after it until its brackets close: a matrix pasted from NumPy, or
    [1 2 ⏎ 3 4]. An empty line ends it as it stands."""
    from grader.parse import open_brackets

    lines = [line]
    while open_brackets("\n".join(lines)) > 0:
        more = console.ask(CONTINUED)
        if _aside(more, part, console, hints):
            continue
        if not more.strip():
            break
        lines.append(more)
    return "\n".join(lines)


def _row_by_row(line: str, part: Part, console: Console, hints: set[str]) -> str | None:
    """A matrix typed one row per line from `line` on, ended by an empty line (never by a count
    of rows: how many the answer has is part of what is asked). A row that cannot be read, or is
    not as long as the first, is asked again, the rows before it kept; an empty line there starts
    over (None). A first row that cannot be read is left for the grader to explain."""
    rows: list[str] = []
    pending = line.split("\n")                 # a paste brings several rows at once
    again = False
    while True:
        if pending:
            row = pending.pop(0)
        else:
            row = console.ask(f"    … row {len(rows) + 1} again: " if again else CONTINUED)
            if _aside(row, part, console, hints):
                continue
        if not row.strip():
            if not again:
                return "\n".join(rows)
            console.say("  Starting over: type the matrix from its first row.")
            return None
        width = _row_width(row)
        if not rows:
            if isinstance(width, str):
                return line
            first = width
        elif width != first:
            said = (f"Could not read row {len(rows) + 1} ({width})" if isinstance(width, str) else
                    f"Row {len(rows) + 1} has {_entries(width)} but row 1 has {first}")
            console.say(_said(f"{said}: type it again, or Enter to start over."))
            pending, again = [], True
            continue
        rows.append(row)
        again = False


def _row_width(row: str) -> int | str:
    """How many entries a row typed for a matrix has, or why it is not one row of numbers."""
    from grader.parse import AnswerError, read

    try:
        if not isinstance(read(row, Kind.NUMBER), str):        # (a word like 'none' is a str)
            return 1
    except AnswerError:
        pass
    try:
        value = read(row, Kind.VECTOR)
    except AnswerError as err:
        return str(err)
    if isinstance(value, str) or any(isinstance(v, list) for v in value):
        return "a row is numbers only, e.g. 1 -2 3"
    return len(value)


def _entries(n: int) -> str:
    return f"{n} entry" if n == 1 else f"{n} entries"
