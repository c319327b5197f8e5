"""What a `code` exercise is: the function to write, its cases, its reference and its anticipated
mistakes; and the Python literals that make every case (and its reproduction) exact.

A case is Python text that assigns the function's arguments, from literals or from a seeded
`np.random.default_rng`: the grader, the learner's process and the reproduction printed for the
learner all run the same text, so they all see the same arrays (strided views included).
"""
from __future__ import annotations

import math
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class Case:
    """One call of the learner's function: `code` assigns every argument."""

    name: str                  # "small", "one sample", "float32", "not contiguous", "large", ...
    code: str
    hint: str = ""             # said when this case fails and no mistake explains why
    timed: bool = False        # the large case the speed advice is measured on

    def inputs(self, args: tuple[str, ...]) -> list:
        scope: dict[str, Any] = {"np": np}
        exec(self.code, scope)            # our own text, never the learner's
        return [scope[a] for a in args]


@dataclass(frozen=True)
class Route:
    """An anticipated mistake: the wrong answer on the wrong route (same arguments), and what to say."""

    compute: Callable[..., Any]
    message: str


@dataclass(frozen=True)
class Forbidden:
    """Names a solution may not call here (attribute or imported name; "@" is the operator), and why."""

    names: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class Exercise:
    name: str                              # the function to write, and the exercise's id
    args: tuple[str, ...]
    title: str                             # the docstring's first line
    doc: str                               # shapes, formula and rules, unindented
    example: str                           # code assigning the tiny example's arguments
    model: str                             # a correct solution: shown after grading, timed against
    cases: Callable[[np.random.Generator], list[Case]]
    reference: Callable[..., Any]          # the expected output, from grader.reference
    mistakes: tuple[Route, ...] = ()
    forbidden: tuple[Forbidden, ...] = ()
    errors: tuple[tuple[str, str], ...] = ()   # (text in an exception's message, hint)
    number: bool = False                   # returns a number rather than an array
    keep_dtype: bool = False               # float32 in, float32 out
    rtol: float = 1e-8                     # max |error| <= rtol · scale (float64)
    rtol32: float = 2e-3                   # ... when the inputs are float32
    hint: str = ""
    faster: str = ""                       # how to vectorise it, said when loops make it slow;
                                           # '' where loops are part of the exercise (no advice)

    @property
    def solution(self) -> str:
        """The model solution as a whole file: what a Part's answer holds."""
        return f"import numpy as np\n\n\n{self.model}"

    @property
    def signature(self) -> str:
        return f"{self.name}({', '.join(self.args)})"

    def make_cases(self, seed: int) -> list[Case]:
        return self.cases(np.random.default_rng(seed))

    def example_output(self) -> str:
        """The tiny example's result as Python shows it, computed by the reference."""
        out = self.reference(*Case("example", self.example).inputs(self.args))
        if self.number:
            return repr(float(out))
        return np.array_repr(np.asarray(out))

    def docstring(self) -> str:
        example = "\n".join(f">>> {line}" for line in self.example.splitlines())
        body = f"{self.title}\n\n{self.doc.strip()}\n\n{example}\n>>> {self.signature}\n{self.example_output()}"
        return '"""' + body + '\n"""'

    def starter(self) -> str:
        """The def with its docstring and a body that says it is not written yet."""
        return (f"def {self.signature}:\n{textwrap.indent(self.docstring(), '    ')}\n"
                f"    raise NotImplementedError(\"write {self.name}\")\n")


# --- literals -------------------------------------------------------------------------------

def number_literal(x) -> str:
    """A number as Python text that gives back exactly the same value."""
    if isinstance(x, (bool, np.bool_)):
        return repr(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x))
    if isinstance(x, (complex, np.complexfloating)):
        return repr(complex(x))
    f = float(x)
    if math.isnan(f):
        return "np.nan"
    if math.isinf(f):
        return "np.inf" if f > 0 else "-np.inf"
    # float32's shortest repr reads back as the same float32; float64's repr is exact
    return str(x) if isinstance(x, (np.float32, np.float16)) else repr(f)


def array_literal(a, indent: int = 0) -> str:
    """np.array([...]) text for an array (rows on their own lines when long), dtype when not the default."""
    a = np.asarray(a)
    dtype = "" if a.dtype in (np.float64, np.int64, np.bool_) else f", dtype=np.{a.dtype.name}"
    if a.ndim == 0:
        return f"np.array({number_literal(a[()])}{dtype})"

    def nest(index) -> str:
        sub = a[index]
        if sub.ndim == 1:
            return "[" + ", ".join(number_literal(v) for v in sub) + "]"
        return "[" + ", ".join(nest(index + (i,)) for i in range(sub.shape[0])) + "]"

    flat = f"np.array({nest(())}{dtype})"
    if a.ndim != 2 or len(flat) + indent <= 88:
        return flat
    pad = " " * (indent + len("np.array(["))
    rows = [nest((i,)) for i in range(a.shape[0])]
    return "np.array([" + (",\n" + pad).join(rows) + "]" + dtype + ")"


def literal(value, indent: int = 0) -> str:
    if isinstance(value, np.ndarray):
        return array_literal(value, indent)
    if isinstance(value, np.generic) and not isinstance(value, (np.float64, np.int64, np.bool_)):
        return f"np.{value.dtype.name}({number_literal(value)})"
    return number_literal(value)


def assign(**values) -> str:
    """Lines `name = <literal>`, in the order given."""
    return "\n".join(f"{name} = {literal(v, len(name) + 3)}" for name, v in values.items())


def small(name: str, hint: str = "", **values) -> Case:
    return Case(name, assign(**values), hint)


def seeded(name: str, seed: int, lines: str, hint: str = "", timed: bool = False) -> Case:
    """A case drawn from np.random.default_rng(seed): `lines` use `rng`."""
    return Case(name, f"rng = np.random.default_rng({seed})\n{textwrap.dedent(lines).strip()}", hint, timed)


def halves(rng, shape, low: float = -4, high: float = 4) -> np.ndarray:
    """Multiples of 1/2 in [low, high]: short literals, exact in float32 too."""
    return rng.integers(int(2 * low), int(2 * high) + 1, size=shape) / 2


def draw_seed(rng) -> int:
    return int(rng.integers(1, 10**6))
