"""Judge a run against the reference: each case passed or why not, the likely mistake, a
reproduction of the first failing case, and advice (speed, printing, lists)."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from grader.code.exercise import Case, Exercise, literal
from grader.code.sandbox import Limits, Run
from grader.parse import clip

SLOW_RATIO, SLOW_SECONDS = 20, 0.02          # advice: this many times the model, and at least this long
ABSURD_SECONDS, ABSURD_MODEL = 3.0, 0.02     # a failure: CPU seconds where the model takes milliseconds
LITERAL_ENTRIES = 60                          # larger results are summarised in a reproduction
SHOWN_LINES = 20                              # of what the learner's code printed
TRANSPOSED = "Your result is the transpose of the right one: rows and columns are swapped."
_SIGNALS = {
    "SIGSEGV": "crashed with a segmentation fault (SIGSEGV)",
    "SIGABRT": "aborted the process (SIGABRT)",
    "SIGBUS": "crashed with a bus error (SIGBUS)",
    "SIGFPE": "crashed with a floating-point exception (SIGFPE)",
    "SIGILL": "crashed on an illegal instruction (SIGILL)",
    "SIGKILL": "was killed (SIGKILL): most likely it used more memory than the machine could give",
    "SIGXFSZ": "wrote more output than allowed (stopped)",
}


@dataclass(frozen=True)
class CaseResult:
    name: str
    passed: bool
    problem: str = ""            # one line: why it failed
    diagnosis: str = ""          # the likely mistake behind it
    seconds: float | None = None

    def to_dict(self) -> dict:
        return {"name": self.name, "passed": self.passed, "problem": self.problem,
                "diagnosis": self.diagnosis, "seconds": self.seconds}


@dataclass
class CodeReport:
    """Everything grading a solution found; `score` is the share of cases passed (0 with a forbidden call)."""

    exercise: str
    score: float = 0.0
    readable: bool = True
    unreadable: str = ""                             # why the text could not be graded at all
    cases: list[CaseResult] = field(default_factory=list)
    failed: str = ""                                  # name of the first failing case
    reproduction: str = ""
    forbidden: list[str] = field(default_factory=list)
    advice: list[str] = field(default_factory=list)
    output: str = ""
    output_total: int = 0

    @property
    def correct(self) -> bool:
        return self.readable and self.score >= 1

    @property
    def diagnosis(self) -> str:
        if self.forbidden:
            return "Uses what this exercise asks you to do without: " + "; ".join(self.forbidden)
        first = self.first_failure
        return first.diagnosis if first else ""

    @property
    def first_failure(self) -> CaseResult | None:
        return next((c for c in self.cases if not c.passed), None)

    @property
    def summary(self) -> str:
        if not self.readable:
            return f"Could not grade this: {self.unreadable}."
        n, ok = len(self.cases), sum(c.passed for c in self.cases)
        head = f"All {n} cases pass." if ok == n else f"{ok} of {n} cases pass."
        if self.forbidden:
            head += " Not counted as correct: it uses a forbidden shortcut."
        return head

    def to_dict(self) -> dict:
        first = self.first_failure
        return {"exercise": self.exercise, "score": round(self.score, 4), "correct": self.correct,
                "readable": self.readable, "summary": self.summary,
                "cases": [c.to_dict() for c in self.cases],
                "failure": None if first is None else {
                    "case": first.name, "problem": first.problem, "diagnosis": first.diagnosis,
                    "reproduction": self.reproduction},
                "diagnosis": self.diagnosis, "forbidden": self.forbidden, "advice": self.advice,
                "output": self.output, "output_total": self.output_total}

    def text(self, with_diagnosis: bool = True) -> str:
        lines = [self.summary]
        if not self.readable:
            return lines[0]
        lines.append("  " + "  ".join(("✓ " if c.passed else "✗ ") + c.name for c in self.cases))
        if self.forbidden:
            lines += ["Forbidden here:"] + [f"  {f}" for f in self.forbidden]
        first = self.first_failure
        if first:
            lines.append(f'First failing case, "{first.name}": {first.problem}')
            if first.diagnosis and with_diagnosis:
                lines.append(f"  {first.diagnosis}")
            if self.reproduction:
                lines += ["Reproduce it (paste into Python beside your file, or into a notebook):", "",
                          _indent(self.reproduction), ""]
        lines += [f"Advice: {a}" for a in self.advice]
        if self.output:
            shown = self.output.rstrip().splitlines()[:SHOWN_LINES]
            more = f" ({self.output_total} characters; the first lines)" \
                if self.output_total > len("\n".join(shown)) + 1 else ""
            lines += [f"Your code printed or warned{more}:", _indent("\n".join(shown))]
        return "\n".join(lines)


def _indent(text: str) -> str:
    return "\n".join(("    " + line) if line else "" for line in text.splitlines())


# --- judging ----------------------------------------------------------------------------------

@dataclass
class Context:
    """One case as the grader sees it: inputs, the reference's answer, what the run brought back."""

    exercise: Exercise
    case: Case
    index: int
    inputs: list
    expected: np.ndarray
    run: Run
    limits: Limits
    arity: str = ""
    filename: str = ""
    family: list = field(default_factory=list)    # every case's Context: a mistake must fit them all
    _wrong: dict = field(default_factory=dict)

    def wrong(self, route) -> np.ndarray | None:
        """The route's wrong answer on this case (computed once), or None where it does not exist."""
        key = id(route)
        if key not in self._wrong:
            try:
                with np.errstate(all="ignore"):
                    self._wrong[key] = np.asarray(route.compute(*[_copy(a) for a in self.inputs]))
            except Exception:                   # this wrong route does not exist for these inputs
                self._wrong[key] = None
        return self._wrong[key]

    @property
    def event(self) -> dict:
        return self.run.case_events(self.index)

    @property
    def float32(self) -> bool:
        return _input_dtype(self.inputs) == np.float32

    @property
    def rtol(self) -> float:
        return self.exercise.rtol32 if self.float32 else self.exercise.rtol

    @property
    def scale(self) -> float:
        values = [np.max(np.abs(a[np.isfinite(a)]), initial=0.0) for a in self.inputs
                  if isinstance(a, np.ndarray) and a.dtype.kind == "f"]
        values.append(np.max(np.abs(self.expected[np.isfinite(self.expected)]), initial=0.0))
        return float(max(values)) or 1.0

    def close(self, got, want) -> bool:
        return close(got, want, self.rtol, self.scale)


def _input_dtype(inputs) -> np.dtype | None:
    return next((a.dtype for a in inputs if isinstance(a, np.ndarray) and a.dtype.kind == "f"), None)


def close(got, want, rtol: float, scale: float) -> bool:
    """Same shape, same NaN/inf pattern, and max |got − want| ≤ rtol·scale on the finite entries."""
    got, want = np.asarray(got), np.asarray(want)
    if got.shape != want.shape or got.dtype.kind not in "biuf" or want.dtype.kind not in "biuf":
        return False
    g, w = got.astype(np.float64), want.astype(np.float64)
    finite = np.isfinite(w)
    if not np.array_equal(g[~finite], w[~finite], equal_nan=True) or not np.all(np.isfinite(g[finite])):
        return False
    return bool(np.max(np.abs(g[finite] - w[finite]), initial=0.0) <= rtol * scale)


def judge(ctx: Context) -> CaseResult:
    """Did this case pass; if not, the problem in one line and the likely mistake."""
    ev, ex = ctx.event, ctx.exercise
    name = ctx.case.name
    seconds = ev.get("seconds")
    kind = ev.get("event")
    if kind == "raised":
        gave_up = ev.get("memory") or ev.get("type") == "SystemExit"      # the problem says it all
        return CaseResult(name, False, _raised(ev, ctx.limits),
                          _error_hint(ev, ctx) or ctx.case.hint or ("" if gave_up else ex.hint), seconds)
    if kind == "start":
        return CaseResult(name, False, _stopped(ctx), ctx.case.hint, seconds)
    if kind != "done":
        return CaseResult(name, False, _not_run(ctx.run, ctx.limits, ctx.filename))
    described = ev.get("result", {})
    if described.get("kind") == "none":
        return CaseResult(name, False, "returned None", f"Did you forget to return the result from {ex.name}?", seconds)
    if described.get("kind") != "array":
        what = described.get("type", "something")
        return CaseResult(name, False, f"returned a {what}, not {'a number' if ex.number else 'a NumPy array'}",
                          f"Return {'a float' if ex.number else 'an np.ndarray'} "
                          f"({'float(...)' if ex.number else 'np.array(...)'}).", seconds)
    got = ctx.run.results.get(ctx.index)
    if got is None:
        return CaseResult(name, False, f"returned an array of shape {tuple(described.get('shape', ()))}, "
                                       f"far larger than the expected {_shape(ctx.expected)}", "", seconds)
    problem, diagnosis = compare(ctx, got)
    if not ex.number and described.get("type") in ("list", "tuple") and got.shape == ctx.expected.shape \
            and ctx.close(got, ctx.expected):
        problem, diagnosis = (f"the values are right, but it returned a Python {described['type']}, not a NumPy "
                              f"array", f"Return an np.ndarray, as the docstring says (np.array(...), or build "
                                        f"the result in an array): code that uses {ex.name} expects one, and "
                                        f"a list behaves differently (list * 2 repeats it).")
    modified = ev.get("modified") or []
    if not problem and modified:
        problem = f"changed its input {_names(modified)} in place"
        diagnosis = (f"It changed its input {_names(modified)} in place, and {ex.name} must leave its inputs "
                     f"as they were: `theta -= …` or `A[i] = …` writes into the caller's array. Work on a copy "
                     f"(theta = theta.copy(), A = A.astype(float)), or write theta = theta - ….")
    elif problem and modified:
        diagnosis = (diagnosis + " " if diagnosis else "") + f"(It also changed its input {_names(modified)} in place.)"
    if problem:       # no mistake explains it: the case's hint, else the exercise's
        return CaseResult(name, False, problem, diagnosis or ctx.case.hint or ex.hint, seconds)
    return CaseResult(name, True, seconds=seconds)


def compare(ctx: Context, got: np.ndarray) -> tuple[str, str]:
    """('', '') when got is right; else what is wrong and the likely mistake."""
    ex, want = ctx.exercise, ctx.expected
    if got.shape != want.shape:
        return _shape_problem(ctx, got)
    if not ctx.close(got, want):
        return _value_problem(ctx, got)
    in_dtype = _input_dtype(ctx.inputs)
    if ex.keep_dtype and in_dtype is not None and got.dtype != in_dtype:
        arg = next(a for a, v in zip(ex.args, ctx.inputs) if isinstance(v, np.ndarray) and v.dtype == in_dtype)
        return (f"the values are right, but {in_dtype.name} in gave {got.dtype.name} out",
                f"Keep the input's dtype: np.zeros, np.ones and np.eye without dtype=, np.array(..., "
                f"dtype=float) and .astype(float) all make float64. Pass dtype={arg}.dtype, or use "
                f"np.zeros_like / np.empty_like.")
    return "", ""


def _shape_problem(ctx: Context, got: np.ndarray) -> tuple[str, str]:
    want = ctx.expected
    problem = f"shape {_shape(got)}, expected {_shape(want)}"
    if ctx.exercise.number:
        problem = f"returned an array of shape {_shape(got)} where a number was expected"
        if got.size == 1 and ctx.close(got.reshape(()), want):
            return problem, "The value is right: return it as a number, float(...) or .item()."
        return problem, _route(ctx, got)
    same_values = got.size == want.size and ctx.close(got.reshape(want.shape), want)
    if same_values and got.squeeze().shape == want.squeeze().shape:
        if got.ndim == 2 and want.ndim == 1:
            kind = "column" if got.shape[1] == 1 else "row"
            return problem, (f"The values are right, but you returned a {_shape(got)} {kind} where a flat "
                             f"{_shape(want)} vector was expected: keep y and θ 1-D (no reshape(-1, 1)), "
                             f"or return result.ravel().")
        return problem, f"The values are right, but the shape is not: reshape the result to {_shape(want)}."
    if want.ndim == 2 and got.shape == want.shape[::-1] and ctx.close(got.T, want):
        return problem, _route(ctx, got) or TRANSPOSED
    return problem, _route(ctx, got)


def _value_problem(ctx: Context, got: np.ndarray) -> tuple[str, str]:
    want = ctx.expected
    g, w = got.astype(np.float64), want.astype(np.float64)
    bad = ~np.isfinite(g) & np.isfinite(w)
    if ctx.exercise.number:
        problem = f"returned {float(g):.10g}, expected {float(w):.10g}"
    else:
        diff = np.where(np.isfinite(w) & np.isfinite(g), np.abs(g - w), np.inf)
        at = np.unravel_index(int(np.argmax(diff)), diff.shape) if diff.size else ()
        where = f"[{', '.join(str(int(i)) for i in at)}]" if at else ""
        problem = (f"wrong values: at {where} expected {w[at]:.10g}, got {g[at]:.10g}" if diff.size
                   else "wrong values")
    diagnosis = _route(ctx, got) or ctx.case.hint
    if not diagnosis and bad.any():
        diagnosis = ("Your result has NaN or infinite entries where the right one has none: a division by "
                     "zero (NumPy warns instead of raising), or values that overflowed.")
    if not diagnosis:
        diagnosis = _generic(ctx, g, w)
    return problem, diagnosis


def _route(ctx: Context, got: np.ndarray) -> str:
    """The message of the first anticipated mistake whose wrong answer is what the learner returned,
    here and on every other case they got wrong (two routes may agree on one small case)."""
    for route in ctx.exercise.mistakes:
        if _explains(route, ctx, got) is not True:
            continue
        others = [(o, o.run.results.get(o.index)) for o in ctx.family if o.index != ctx.index]
        if all(_explains(route, o, g) is not False for o, g in others
               if g is not None and o.event.get("event") == "done" and not o.close(g, o.expected)):
            return route.message
    return ""


def _explains(route, ctx: Context, got: np.ndarray) -> bool | None:
    """True when the route's wrong answer is `got`; False when it differs; None when the route says nothing
    here (it fails on these inputs, gives another shape, or gives the right answer)."""
    wrong = ctx.wrong(route)
    if wrong is None or wrong.shape != got.shape or wrong.dtype.kind not in "biuf" \
            or close(wrong, ctx.expected, ctx.rtol, ctx.scale):
        return None
    finite = wrong[np.isfinite(wrong)]
    scale = max(ctx.scale, float(np.max(np.abs(finite), initial=0.0)))
    return close(got, wrong, max(ctx.rtol, 1e-6), scale)


def _generic(ctx: Context, g: np.ndarray, w: np.ndarray) -> str:
    if np.any(w) and not np.any(g):
        return ("Your result is all zeros where the right one is not: an integer division (2 // m is 0), or "
                "a sum or an update that never happened?")
    if np.any(w) and ctx.close(g, -w):
        return "The sign is flipped: your result is the negative of the right one."
    if w.ndim == 2 and w.shape[0] == w.shape[1] and not ctx.close(w, w.T) and ctx.close(g, w.T):
        return TRANSPOSED
    finite = np.isfinite(g) & np.isfinite(w)
    if finite.all() and np.any(w):
        k = float(np.dot(g.ravel(), w.ravel()) / np.dot(w.ravel(), w.ravel()))
        # one or two numbers are always some multiple of the right ones: only a telling factor says anything
        if abs(k - 1) > 1e-6 and k != 0 and ctx.close(g, k * w) and (w.size >= 3 or _telling(k, ctx.inputs)):
            return f"Off by a factor: your result is {k:.6g} times the right one (a missing or extra constant?)."
    return ""


def _telling(k: float, inputs: list) -> bool:
    """Is k a factor a mistake makes: 2, ½, m, 1/m, m/2, 2/m, m/(m − 1) or its inverse (m samples)."""
    m = next((len(a) for a in inputs if isinstance(a, np.ndarray) and a.ndim >= 1), 0)
    factors = [2.0] + ([m, m / 2] if m > 1 else []) + ([m / (m - 1)] if m > 2 else [])
    return any(abs(k / f - 1) < 1e-6 or abs(k * f - 1) < 1e-6 for f in factors)


def _copy(a):
    return a.copy() if isinstance(a, np.ndarray) else a


def _raised(ev: dict, limits: Limits) -> str:
    where = f" at line {ev['line']}: {ev['code']}" if ev.get("line") else ""
    if ev.get("memory"):
        return f"used more than the {limits.memory_mb} MB of memory allowed (MemoryError){where}"
    if ev.get("type") == "SystemExit":
        return f"called exit() or sys.exit(){where}: return a value instead"
    message = ev.get("message", "")
    message = clip(message, 301)
    return f"raised {ev.get('type', 'an exception')}" + (f": {message}" if message else "") + where


def _error_hint(ev: dict, ctx: Context) -> str:
    if ev.get("type") == "TypeError" and ctx.arity:
        return ctx.arity + "."
    if ev.get("type") == "NotImplementedError":
        return f"{ctx.exercise.name} is not written yet: replace the raise with your code."
    message = str(ev.get("message", "")).lower()
    for text, hint in ctx.exercise.errors:
        if text.lower() in message:
            return hint
    return ""


def _stopped(ctx: Context) -> str:
    run, limits = ctx.run, ctx.limits
    if run.stopped == "timeout":
        return f"took longer than {limits.seconds:g} s (stopped): an endless loop, or far too slow"
    if run.stopped == "signal":
        what = _SIGNALS.get(run.signal_name, f"was stopped by {run.signal_name}")
        if run.signal_name == "SIGXCPU":
            what = "used more CPU time than allowed (stopped)"
        elif re.search(r"MemoryError|[Cc]annot allocate|out of memory", run.fault):
            what = f"ran out of memory: it used more than the {limits.memory_mb} MB allowed ({run.signal_name})"
        line = _fault_line(run.fault, ctx.filename)
        return what + (f", at line {line}" if line else "")
    said = run.of("exit")
    if said and said[0].get("line"):
        return (f"ended the whole process (exit status {run.returncode}) without returning: os._exit() "
                f"at line {said[0]['line']}: {said[0]['code']}")
    return (f"ended the whole process (exit status {run.returncode}) without returning: os._exit(), "
            "or a crash inside compiled code")


def _not_run(run: Run, limits: Limits, filename: str) -> str:
    failed = run.of("load-failed")
    if failed:
        ev = failed[0]
        if ev.get("kind") == "missing":
            return ev.get("message", "the function is missing")
        where = f" (line {ev['line']}: {ev['code']})" if ev.get("line") else ""
        if ev.get("memory"):
            return f"not run: loading your file used more than the {limits.memory_mb} MB of memory allowed{where}"
        message = f": {ev['message']}" if ev.get("message") else ""
        return f"not run: your file raised {ev.get('type', 'an exception')} while loading{message}{where}"
    if run.stopped == "timeout" and not run.of("ready"):
        return "not run: Python and NumPy did not start in time (the machine is busy?)"
    if run.stopped == "timeout":
        return f"not run: loading your file took longer than {limits.seconds:g} s (stopped)"
    if run.stopped and run.of("ready") and not run.of("start"):
        return f"not run: {_ended_loading(run, filename)}"
    if run.stopped:
        return "not run: the process had stopped"
    return "not run"


def _ended_loading(run: Run, filename: str) -> str:
    """How the process ended while the learner's file was loading: os._exit, a crash, a kill."""
    if run.stopped == "signal":
        line = _fault_line(run.fault, filename)
        what = _SIGNALS.get(run.signal_name, f"was stopped by {run.signal_name}")
        return f"loading your file {what}" + (f", at line {line}" if line else "")
    said = run.of("exit")
    where = f", line {said[0]['line']}: {said[0]['code']}" if said and said[0].get("line") else ""
    return (f"your file ended the process while it was loading (exit code {run.returncode}{where}); "
            "leave os._exit and sys.exit out of a solution")


def _fault_line(fault: str, filename: str) -> int | None:
    """The learner's line in faulthandler's report of a crash (the innermost one listed first)."""
    match = re.search(rf'File "{re.escape(filename)}", line (\d+) in', fault)
    return int(match.group(1)) if match else None


def _names(names: list[str]) -> str:
    return ", ".join(f"`{n}`" for n in names)


def _shape(a) -> str:
    shape = np.shape(a)
    return f"({shape[0]},)" if len(shape) == 1 else str(tuple(shape))


# --- the reproduction -------------------------------------------------------------------------

def reproduction(ctx: Context, filename: str, module: str) -> str:
    """Python text that rebuilds the failing case, calls the learner's function and shows both results."""
    ex = ctx.exercise
    lines = ["import numpy as np"]
    lines.append(f"from {module} import {ex.name}" if module else
                 f"# paste your {ex.name} here, or import it from your file")
    lines += ["", ctx.case.code]
    call = f"got = {ex.signature}"
    ev = ctx.event
    if ev.get("event") == "raised":
        call += f"     # raises {ev.get('type')}"
    elif ev.get("event") == "start":
        call += "     # " + _stopped(ctx).split(":")[0]
    lines.append(call)
    want = ctx.expected
    got = ctx.run.results.get(ctx.index) if ev.get("event") == "done" else None
    if want.size <= LITERAL_ENTRIES and (got is None or got.size <= LITERAL_ENTRIES):
        lines.append(f"expected = {_value(want, ex.number, 11)}     # {_about(want)}")
        if got is not None:
            received = _value(got, ex.number and got.ndim == 0, 11)
            lines.append(f"received = {received}     # what yours returned: {_about(got)}")
        lines.append(f"print({_show('got')})")
        lines.append("print(np.shape(got) == np.shape(expected) and np.allclose(got, expected))")
        return "\n".join(lines)
    lines.append(f"# expected: {_about(want)}" + (f"; yours returned {_about(got)}" if got is not None else ""))
    if got is not None and got.shape == want.shape:
        diff = np.abs(got.astype(np.float64) - want.astype(np.float64))
        diff = np.where(np.isnan(diff), np.inf, diff)
        at = np.unravel_index(int(np.argmax(diff)), diff.shape)
        index = ", ".join(str(int(i)) for i in at)
        lines.append(f"# largest difference at [{index}]: expected {want[at]!r}, received {got[at]!r}")
        lines.append(f"print(got[{index}])")
    else:
        lines.append(f"print({_show('got')})")
    return "\n".join(lines)


def _value(a: np.ndarray, number: bool, indent: int) -> str:
    return repr(float(a)) if number and a.ndim == 0 and a.dtype.kind == "f" else literal(a, indent)


def _about(a: np.ndarray) -> str:
    return f"shape {_shape(a)}, {a.dtype.name}"


def _show(name: str) -> str:
    return f"np.shape({name}), np.asarray({name}).dtype"
