"""The `code` level: which exercises a topic asks, the Problem of one, its starter file with the
header that names it, and grading a learner's file (`drills check-code`).

The exercises themselves (cases, reference, anticipated mistakes) live with the grader in
grader/code/exercises/, so `grader.grade` can grade a CODE part from a problem's JSON alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import partial
from itertools import count
from pathlib import Path

import numpy as np
from markupsafe import Markup, escape

from drills.catalog import Level, topic_info
from drills.errors import DrillsError, reason
from drills.problem import Problem, problem_id
from drills.render import code_spans, render_block
from drills.topics import params as read
from grader.spec import CodeTask, Kind, Part

# Which exercises each topic asks at the code level; the seed picks one.
TOPIC_EXERCISES: dict[str, tuple[str, ...]] = {
    "matmul": ("matmul",),
    "transpose": ("transpose", "gram"),
    "inverse": ("gauss_jordan_inverse",),
    "vectors": ("unit_vector", "cosine_similarity"),
    "svd": ("svd_pinv",),
    "mse": ("mse", "mse_gradient"),
    "normal-equation": ("normal_equation",),
    "gradient": ("mse_gradient",),
    "gd-step": ("gd_step", "batch_gd"),
    "sgd": ("sgd_epoch", "minibatch_epoch"),
}
MAX_SOURCE_CHARS = 200_000           # a learner's file larger than this is not a solution
STORED_SOURCE_CHARS = 20_000         # what the progress store keeps of one
HEADER = re.compile(r"^#\s*drills code exercise:\s*(?P<exercise>\w+)\W+topic\s+(?P<topic>[\w-]+)"
                    r"\W+seed\s+(?P<seed>\d+)", re.MULTILINE)


def exercise_of(problem: Problem):
    from grader.code import exercise

    return exercise(problem.params["exercise"])


# --- problems -----------------------------------------------------------------------------------

def code_problem(topic: str, *, seed: int | None = None, params: dict | None = None,
                 fmt: str = "text") -> Problem:
    """The code-level problem of `topic`: from a seed (it picks the exercise and seeds the cases),
    or from params {"exercise", "seed"}."""
    if params is None:            # problem.generate has checked the seed
        names = TOPIC_EXERCISES[topic]
        params = {"exercise": names[int(np.random.default_rng(seed).integers(len(names)))], "seed": seed}
    name, cases_seed = check_params(topic, params)
    from grader.code import exercise

    ex = exercise(name)
    params = {"exercise": name, "seed": cases_seed}
    context = {"topic": topic, "level": Level.CODE.value, "title": code_spans(ex.title, fmt),
               "signature": ex.signature, "filename": f"{ex.name}.py",
               "starter": code_block(starter_text(topic, name, cases_seed), fmt),
               "model": code_block(ex.solution, fmt)}
    part = Part("a", Kind.CODE, ex.solution, label=f"{ex.signature} in NumPy", hint=ex.hint,
                code=CodeTask(name, cases_seed))
    return Problem(id=problem_id(topic, Level.CODE.value, params), topic=topic, level=Level.CODE.value,
                   seed=seed, params=params, prompt=render_block("levels/code.j2", "prompt", context, fmt),
                   parts=(part,), render_solution=partial(render_block, "levels/code.j2", "solution", context, fmt))


def check_params(topic: str, params: dict) -> tuple[str, int]:
    """(exercise, cases seed) from params, or a one-line DrillsError saying what is wrong."""
    names = TOPIC_EXERCISES.get(topic, ())
    if not isinstance(params, dict) or set(params) - {"exercise", "seed"} or "exercise" not in params:
        raise DrillsError(f'code-level params are {{"exercise": NAME, "seed": N}}, NAME one of {", ".join(names)}')
    name, seed = params["exercise"], params.get("seed", 0)
    if name not in names:
        raise DrillsError(f"topic '{topic}' has no code exercise {name!r} (exercises: {', '.join(names)})")
    return name, read.whole(seed, "seed", 0, 2**63 - 1, "a non-negative whole number")


def starter_text(topic: str, name: str, seed: int, filename: str | None = None) -> str:
    """The file a learner starts from: the header naming the exercise (on two lines, within 79
    columns; HEADER reads one line too), then the def to fill in."""
    from grader.code import exercise

    shown = filename or f"{name}.py"
    return (f"# drills code exercise: {name}\n# topic {topic} · seed {seed}\n"
            f"# Write {name} below in NumPy and save it.\n"
            f"# To grade it, press Enter in `drills practice`,\n"
            f"# or run  drills check-code {shown}\n"
            f"import numpy as np\n\n\n{exercise(name).starter()}")


def read_header(source: str) -> tuple[str, str, int] | None:
    """(exercise, topic, seed) from a starter file's header comment, or None."""
    match = HEADER.search(source[:2000])
    if not match:
        return None
    return match["exercise"], match["topic"], int(match["seed"])


_ASCII = str.maketrans({"θ": "theta", "η": "eta", "∇": "grad ", "ᵀ": "^T", "‖": "||", "·": "*", "−": "-",
                        "≤": "<=", "Σ": "Sum", "σ": "s", "⁺": "^+", "⁻": "^-", "¹": "1", "²": "^2",
                        "←": "<-", "×": "x", "₀": "_0", "₁": "_1", "₂": "_2", "ᵢ": "_i", "ₖ": "_k",
                        "ₙ": "_n", "ŷ": "y_hat", "√": "sqrt", "…": "...", "–": "-", "∗": "*", "½": "1/2"})


def code_block(text: str, fmt: str) -> Markup:
    """Source code shown as code in each output format (pre-formatted for the template)."""
    text = text.rstrip("\n")
    if fmt == "md":
        return Markup(f"```python\n{text}\n```")
    if fmt == "html":       # one line, so paragraphing never splits or breaks it
        return Markup("<pre><code>" + str(escape(text)).replace("\n", "&#10;") + "</code></pre>")
    if fmt == "tex":        # pdflatex reads no θ in verbatim; a smaller font keeps long lines in
        text = text.translate(_ASCII)
        size = _verbatim_size(max(map(len, text.split("\n"))))
        return Markup(f"{{{size}\\begin{{verbatim}}\n{text}\n\\end{{verbatim}}}}")
    return Markup("\n".join(f"    {line}" if line else "" for line in text.split("\n")))


# Characters of typewriter type a line of document.tex.j2 holds (11 pt, letter paper, 2.5 cm
# margins), by font size
_VERBATIM_SIZES = ((80, r"\normalsize"), (88, r"\small"), (98, r"\footnotesize"))


def _verbatim_size(longest: int) -> str:
    """The largest font that sets a line of `longest` characters within the margins."""
    return next((size for width, size in _VERBATIM_SIZES if longest <= width), r"\scriptsize")


# --- a learner's file ---------------------------------------------------------------------------

@dataclass
class CodeCheck:
    """A graded file: the report, the problem its header names (None without a header), its text."""

    report: object
    problem: Problem | None
    source: str
    exercise: str
    seed: int
    path: str = ""
    recorded: bool = False

    def to_dict(self) -> dict:
        return {"file": self.path, "topic": self.problem.topic if self.problem else None,
                "seed": self.seed, "recorded": self.recorded, **self.report.to_dict()}


def read_source(path: Path) -> str:
    try:
        if path.stat().st_size > MAX_SOURCE_CHARS * 4:
            raise DrillsError(f"{path} is too large to be a solution ({path.stat().st_size} bytes)")
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DrillsError(f"no file {path}") from None
    except UnicodeDecodeError:
        raise DrillsError(f"{path} is not UTF-8 text") from None
    except OSError as err:
        raise DrillsError(f"cannot read {path}: {reason(err)}") from None


def check_file(path: str | Path, *, exercise: str | None = None, seed: int | None = None,
               seconds: float | None = None, learner: str | None = None) -> CodeCheck:
    """Grade a learner's file against the exercise its header names (or `exercise`, `seed`).
    With `learner` (a name, or "" for the default one) a file with a header is recorded in the
    progress store as an attempt of its topic's code level."""
    from grader.code import Limits, exercise_names, grade_source

    path = Path(path)
    source = read_source(path)
    header = read_header(source)
    problem = None
    if header and not exercise:
        name, topic, seed = header
        topic_info(topic)
        problem = code_problem(topic, params={"exercise": name, "seed": seed})
    elif exercise:
        if exercise not in exercise_names():
            raise DrillsError(f"no code exercise '{exercise}' (exercises: {', '.join(exercise_names())})")
        name, seed = exercise, seed or 0
    else:
        raise DrillsError(f"{path} has no drills header (# drills code exercise: NAME · topic T · seed N): "
                          "start from  drills practice --level code, or give --exercise NAME")
    limits = Limits(seconds=seconds) if seconds else Limits()
    report = grade_source(name, seed, source, filename=str(path), limits=limits)
    checked = CodeCheck(report, problem, source, name, seed, str(path))
    if problem is not None and report.readable and learner is not None:
        checked.recorded = record(problem, source, report, learner or None, "check-code")
    return checked


def record(problem: Problem, source: str, report, learner: str | None, origin: str) -> bool:
    """Count a graded solution in the learner's progress, as any answered problem counts; the
    same file checked again the same day counts once. Whether it was counted."""
    from drills.learner import Learner
    from drills.progress import Store
    from drills.records import Attempt, content_id
    from drills.schedule import local_day
    from grader import Verdict
    from grader.code import verdict_of

    with Store.open() as store:
        who = Learner(store, learner)
        attempt = Attempt(problem, {"a": source[:STORED_SOURCE_CHARS]},
                          Verdict((verdict_of("a", report),))).record(who.name, origin)
        day = local_day(attempt.at).isoformat()
        return who.save(replace(attempt, id=content_id(who.name, problem.id, day, source)))


def write_starter(problem: Problem, path: Path) -> str:
    """Write the problem's starter file at `path`, and say what was done. A file of this very
    problem is kept (work in progress); one of the same exercise from another problem is moved
    aside to NAME.prev.py, so that a review starts afresh rather than from a solution already
    written. Refuses, with a DrillsError, to overwrite anything else."""
    name, seed = problem.params["exercise"], problem.params["seed"]
    text, moved = starter_text(problem.topic, name, seed, path.name), ""
    if path.exists():
        try:
            current = read_source(path)
        except DrillsError:
            current = None
        header = read_header(current) if current is not None else None
        if current == text or (header and header[0] == name and header[2] == seed):
            return f"Your file of this problem is there: {path}"
        if not (header and header[0] == name):
            raise DrillsError(f"{path} exists and is not a starter file of {name}: not overwriting it. "
                              f"Move it, or use --file PATH to write the exercise elsewhere")
        if current != starter_text(header[1], name, header[2], path.name):      # work in it: keep it
            aside = next(p for p in (path.with_name(f"{path.stem}.prev{'' if n == 1 else n}{path.suffix}")
                                     for n in count(1)) if not p.exists())       # never over an earlier one
            try:
                path.replace(aside)
            except OSError as err:
                raise DrillsError(f"cannot move {path} aside to {aside}: {reason(err)}") from None
            moved = f" (your earlier {name} is now {aside.name})"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as err:
        raise DrillsError(f"cannot write {path}: {reason(err)}") from None
    return f"Wrote {path}{moved}"
