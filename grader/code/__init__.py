"""Grade a learner's NumPy function: read it, run it in a sandbox on seeded cases, compare with
the reference solvers, diagnose the first failure and print a reproduction of it.

    report = grade_source("gd_step", seed, source, filename="gd_step.py")
    report.correct, report.score, report.diagnosis, print(report.text())

A Part of kind CODE names its exercise and case seed in `part.code`; grader.grade runs it here.
"""
from __future__ import annotations

from pathlib import Path

from grader.code.exercise import Case, Exercise, Forbidden, Route
from grader.code.sandbox import Limits
from grader.spec import Part, PartVerdict

__all__ = ["Case", "Exercise", "Forbidden", "Limits", "Route", "exercise", "exercise_names",
           "grade_code_part", "grade_source"]


def exercise(name: str) -> Exercise:
    from grader.code.exercises import EXERCISES

    try:
        return EXERCISES[name]
    except KeyError:
        raise KeyError(f"no code exercise '{name}' (exercises: {', '.join(EXERCISES)})") from None


def exercise_names() -> tuple[str, ...]:
    from grader.code.exercises import EXERCISES

    return tuple(EXERCISES)


def grade_source(name: str, seed: int, source: str, *, filename: str = "solution.py",
                 limits: Limits | None = None, timing: bool = True):
    """The CodeReport of `source` on exercise `name`'s cases drawn from `seed`."""
    import numpy as np

    from grader.code import report as rp
    from grader.code import sandbox, static

    ex = exercise(name)
    limits = limits or Limits()
    result = rp.CodeReport(ex.name)
    try:
        tree = static.parse(source, ex, filename)
    except static.NotReadable as err:
        result.readable, result.unreadable = False, str(err)
        return result
    result.forbidden = [str(f) for f in static.forbidden_calls(tree, ex)]
    unreached = static.unreached_calls(tree, ex)
    if unreached:
        what = ", ".join(dict.fromkeys(f"{f.what} (line {f.line})" for f in unreached))
        result.advice.append(f"In a self-test or a helper {ex.name} does not call, your file uses {what}: "
                             "not graded there.")
    cases = ex.make_cases(seed)
    inputs = [case.inputs(ex.args) for case in cases]
    with np.errstate(all="ignore"):
        expected = [np.asarray(ex.reference(*[rp._copy(a) for a in inp])) for inp in inputs]
    timed = next((i for i, c in enumerate(cases) if c.timed), None)
    task = {"filename": filename, "path": _resolved(filename), "source": source, "function": ex.name,
            "args": list(ex.args),
            "cases": [{"name": c.name, "code": c.code, "max_entries": 16 * max(e.size, 4)}
                      for c, e in zip(cases, expected)],
            "model": ex.model if timing else None, "timed": timed if timing else None}
    run = sandbox.run(task, limits)
    arity = static.arity_problem(tree, ex)
    contexts = [rp.Context(ex, c, i, inp, e, run, limits, arity, filename)
                for i, (c, inp, e) in enumerate(zip(cases, inputs, expected))]
    for ctx in contexts:
        ctx.family = contexts
    result.cases = [rp.judge(ctx) for ctx in contexts]
    _judge_speed(result, contexts, run)
    passed = sum(c.passed for c in result.cases)
    result.score = 0.0 if result.forbidden else passed / len(result.cases)
    first = next((i for i, c in enumerate(result.cases) if not c.passed), None)
    if first is not None:
        result.failed = result.cases[first].name
        result.reproduction = rp.reproduction(contexts[first], filename, _module_name(filename))
    end = run.of("end")
    if end:
        result.output, result.output_total = end[0].get("output", ""), int(end[0].get("output_total", 0))
    return result


def _judge_speed(result, contexts, run) -> None:
    """Advice when the learner's CPU time on the large case is far above the model solution's (not
    where loops are the exercise); a failure of that case when it is absurd (seconds where the model
    takes milliseconds)."""
    from grader.code import report as rp

    model = run.of("model")
    timed = next((i for i, ctx in enumerate(contexts) if ctx.case.timed), None)
    if not model or timed is None:
        return
    # CPU times, both measured in the child: the same file gives the same verdict on a busy machine
    theirs = run.case_events(timed).get("cpu", result.cases[timed].seconds)
    ours = float(model[0].get("cpu", model[0].get("seconds", 0.0)))
    if not result.cases[timed].passed:
        if run.stopped == "timeout" and run.case_events(timed).get("event") == "start":
            result.advice.append(f"On the large case a vectorised NumPy version takes {ours * 1000:.1f} ms.")
        return
    if theirs is None:
        return
    ratio = theirs / max(ours, 1e-6)
    said = (f"On the large case ({contexts[timed].case.name}) yours took {theirs * 1000:.0f} ms of CPU time, "
            f"about {ratio:.0f}× a vectorised NumPy version ({ours * 1000:.1f} ms)")
    ex = contexts[timed].exercise
    if theirs > rp.ABSURD_SECONDS and ours < rp.ABSURD_MODEL:
        case = result.cases[timed]
        how = ex.faster or "work on whole rows or columns at once, not on single entries"
        result.cases[timed] = rp.CaseResult(case.name, False, f"far too slow: {theirs:.1f} s of CPU time where a "
                                            f"vectorised NumPy version takes {ours * 1000:.1f} ms",
                                            f"Python loops are far slower than vectorised NumPy: {how}.",
                                            case.seconds)
    elif theirs > rp.SLOW_SECONDS and ratio > rp.SLOW_RATIO and ex.faster:
        result.advice.append(f"{said}: {ex.faster}.")


def _resolved(filename: str) -> str:
    """The file's absolute path, or '' when no such file is there: the child runs elsewhere and finds
    the learner's helper modules beside it by this."""
    path = Path(filename)
    try:
        return str(path.resolve()) if path.is_file() else ""
    except (OSError, RuntimeError):
        return ""


def _module_name(filename: str) -> str:
    path = Path(filename)
    return path.stem if path.suffix == ".py" and path.stem.isidentifier() and path.is_file() else ""


def grade_code_part(part: Part, text: str) -> PartVerdict:
    """Grade a CODE part: `text` is the source of the learner's solution."""
    try:
        report = grade_source(part.code.exercise, part.code.seed, text)
    except (AttributeError, KeyError) as err:
        return PartVerdict(part.key, 0.0, f"This part cannot be graded: its exercise is unknown ({err}).",
                           readable=True)
    return verdict_of(part.key, report)


def verdict_of(key: str, report) -> PartVerdict:
    if not report.readable:
        return PartVerdict(key, 0.0, f"Could not read your answer: {report.unreadable}.", readable=False)
    return PartVerdict(key, report.score, report.text(with_diagnosis=False), report.diagnosis)
