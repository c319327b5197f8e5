"""What grading needs (Part) and what it gives back (Verdict)."""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, NamedTuple


class Kind(str, Enum):
    """What a part's answer is, and so how it is read and compared."""

    NUMBER = "number"
    VECTOR = "vector"
    MATRIX = "matrix"
    SHAPE = "shape"
    EXPRESSION = "expression"
    CHOICE = "choice"
    SVD = "svd"
    CODE = "code"

    def describe(self) -> str:
        return {
            Kind.NUMBER: "a number, e.g. 7, -3/4 or 0.25",
            Kind.VECTOR: "a vector, e.g. [1, -2, 3]",
            Kind.MATRIX: "a matrix, e.g. [[1, 2], [3, 4]] or 1 2; 3 4",
            Kind.SHAPE: "a shape such as 2x3",           # a part that may be 'undefined' says so in its label
            Kind.EXPRESSION: "an expression, e.g. 2u(3v - u) or -2*u^2",   # letters no problem uses
            Kind.CHOICE: "one of the listed words",
            Kind.SVD: "U, Σ (typed S) and V, e.g. U = [[0, 1], [1, 0]]; S = [[3, 0], [0, 2]]; V = [[1, 0], [0, 1]]",
            Kind.CODE: "Python source defining the function (or: drills check-code FILE)",
        }[self]


# Answers meaning "there is no such thing": A·B undefined, A has no inverse.
NO_VALUE = "none"
NO_VALUE_WORDS = frozenset({
    "none", "undefined", "not defined", "no inverse", "singular", "dne",
    "does not exist", "doesn't exist", "n/a", "na", "no", "not invertible", "non-invertible",
    "noninvertible", "no solution", "not possible", "impossible",
})


class Tolerance(NamedTuple):
    """Accept |given - answer| <= abs + rel * |answer|; None on a Part means exact."""

    rel: float = 0.0
    abs: float = 0.0

    def describe(self) -> str:
        bits = [f"{self.rel:.0%} relative" if self.rel else "", f"±{self.abs:g}" if self.abs else ""]
        return " or ".join(b for b in bits if b) or "exact"


class Mistake(NamedTuple):
    """An anticipated wrong answer, computed on the wrong route, with what to tell the learner."""

    answer: Any
    message: str


class Mistakes(Sequence):
    """A part's mistakes, worked out when first read (by grading, or for the JSON): a problem
    is shown before it is graded, and its wrong routes often cost more than its answer.
    Pickled, it is the tuple; dataclasses.asdict leaves it as it is (Part.to_dict does not)."""

    __slots__ = ("_make", "_items")

    def __init__(self, make: Callable[[], Iterable[Mistake]]):
        self._make, self._items = make, None

    def _resolved(self) -> tuple[Mistake, ...]:
        items = self._items
        if items is None:
            items = self._items = tuple(self._make())
        return items

    def __reduce__(self):
        return tuple, (self._resolved(),)

    def __getitem__(self, i):
        return self._resolved()[i]

    def __iter__(self):
        return iter(self._resolved())

    def __len__(self) -> int:
        return len(self._resolved())

    def __eq__(self, other) -> bool:
        return tuple(self) == (tuple(other) if isinstance(other, (Mistakes, tuple)) else other)

    def __hash__(self) -> int:
        return hash(self._resolved())

    def __repr__(self) -> str:
        return repr(self._resolved())


class CodeTask(NamedTuple):
    """What grades a CODE part: the exercise (the function to write) and the seed of its cases."""

    exercise: str
    seed: int


@dataclass(frozen=True)
class Part:
    """One thing to answer. `answer` is JSON-shaped: number, list, list of lists or string.

    `choices` lists the words a CHOICE part accepts; `variables` the names an EXPRESSION
    part may use (empty: those of the answer). A CODE part's `answer` is a model solution's
    source and `code` names what grades it: {"exercise": name, "seed": cases' seed}.
    """

    key: str
    kind: Kind
    answer: Any
    label: str = ""
    hint: str = ""
    tolerance: Tolerance | None = None
    mistakes: Sequence[Mistake] = ()               # a tuple, or Mistakes worked out when read
    choices: tuple[str, ...] = ()
    variables: tuple[str, ...] = ()
    code: CodeTask | None = None

    def __init__(self, key: str, kind: Kind, answer: Any, label: str = "", hint: str = "",
                 tolerance: Tolerance | None = None, mistakes: Sequence[Mistake] = (),
                 choices: tuple[str, ...] = (), variables: tuple[str, ...] = (), code: CodeTask | None = None):
        # The dataclass's __init__, with the fields above in their order and defaults (a test
        # checks): a frozen dataclass's own sets each field with object.__setattr__, at twice
        # the cost (each problem makes its parts anew).
        self.__dict__.update(key=key, kind=kind, answer=answer, label=label, hint=hint, tolerance=tolerance,
                             mistakes=mistakes, choices=choices, variables=variables, code=code)

    def keyed(self, key: str) -> Part:
        """This part under another key: dataclasses.replace at an eighth of its cost (each
        problem asks its parts under new keys)."""
        clone = object.__new__(Part)
        clone.__dict__.update(self.__dict__, key=key)
        return clone

    def to_dict(self) -> dict:
        d = {"key": self.key, "kind": self.kind.value, "answer": self.answer,
             "label": self.label, "hint": self.hint,
             "tolerance": self.tolerance._asdict() if self.tolerance else None,
             "mistakes": [m._asdict() for m in self.mistakes]}
        if self.choices:
            d["choices"] = list(self.choices)
        if self.variables:
            d["variables"] = list(self.variables)
        if self.code:
            d["code"] = self.code._asdict()
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Part:
        tol = d.get("tolerance")
        return cls(key=str(d["key"]), kind=Kind(d["kind"]), answer=d["answer"],
                   label=d.get("label", ""), hint=d.get("hint", ""),
                   tolerance=Tolerance(**tol) if tol else None,
                   mistakes=tuple(Mistake(**m) for m in d.get("mistakes", ())),
                   choices=tuple(d.get("choices", ())), variables=tuple(d.get("variables", ())),
                   code=CodeTask(str(d["code"]["exercise"]), int(d["code"]["seed"])) if d.get("code") else None)


@dataclass(frozen=True)
class PartVerdict:
    key: str
    score: float
    feedback: str
    diagnosis: str = ""
    readable: bool = True
    decided: bool = True           # False: the equivalence check could not settle it
    ask_again: bool = False        # True: the value, in a form not asked for (decimals for fractions),
                                   # which practice asks for again without using up the try

    @property
    def correct(self) -> bool:
        return self.score >= 1.0

    @classmethod
    def unreadable(cls, part: Part, err: Exception) -> PartVerdict:
        """Score 0 for text that could not be read: why, and (unless that said it) what was expected."""
        feedback = f"Could not read your answer: {err}."
        said = str(err).lower()
        if "e.g." not in said and not said.startswith("expected") and " expected " not in said:
            feedback += f" Expected {part.kind.describe()}."             # unless it said so
        return cls(part.key, 0.0, feedback, readable=False)

    def to_dict(self) -> dict:
        return {"key": self.key, "correct": self.correct, "score": round(self.score, 4),
                "feedback": self.feedback, "diagnosis": self.diagnosis,
                "readable": self.readable, "decided": self.decided}


@dataclass(frozen=True)
class Verdict:
    parts: tuple[PartVerdict, ...] = field(default_factory=tuple)

    @property
    def score(self) -> float:
        return sum(p.score for p in self.parts) / len(self.parts) if self.parts else 1.0

    @property
    def correct(self) -> bool:
        return all(p.correct for p in self.parts)

    def to_dict(self) -> dict:
        return {"score": round(self.score, 4), "correct": self.correct,
                "parts": [p.to_dict() for p in self.parts]}
