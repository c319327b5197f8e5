"""Topics: each module offers sample_params(rng, level) -> params and build(params) -> Draft
(and may offer sample(rng, level) -> Draft, when sampling builds the draft anyway); rng is a
draw.Draws over a seeded numpy Generator. A sampler's first FORM_DRAWS draws (1 unless the
module says more, up to sheetid.MAX_FORM_DRAWS) pick the problem's form: the kind of question it
asks (AB or its shape, det A or A⁻¹, …) and, where the next draws pick them, its size and its
number of steps. A class's worksheet variants share those draws, so every student's problem 3
asks the same kind of question with other numbers.

A Draft holds the values its template (templates/<topic>/steps.j2) shows, the blanks of the
worked solution (fill-in) and the final answers (free-response), each a grader Part keyed by
the template slot it fills. What only the worked steps show may wait in `worked`.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from drills.errors import DrillsError
from drills.topics.params import SHOWN
from grader import equivalent
from grader.spec import Kind, Mistake, Mistakes, Part
from grader.values import to_json


# Every value a problem asks is hand-sized: at most HAND_SIZED[0] in size, with a denominator of
# at most HAND_SIZED[1] (some topics keep theirs smaller); tests/test_topics.py checks them all.
HAND_SIZED = (300, 12)


@dataclass
class Draft:
    params: dict                       # normalised: feeding them back rebuilds the same problem
    context: dict                      # values for the template, including "variant"
    blanks: list[Part] | Callable[[], list[Part]] = field(default_factory=list)
    finals: list[Part] = field(default_factory=list)
    # values only the worked steps show, as a function: a free-response prompt, which only
    # asks, goes without them (they join the context for the solution)
    worked: Callable[[], dict] | None = None

    def fill_in(self) -> list[Part]:
        """The blanks; a topic whose blanks cost more than its finals may hand them over as a
        function, so that only fill-in pays for them."""
        return self.blanks() if callable(self.blanks) else self.blanks


def sample(module, rng, level: str) -> Draft:
    """A fresh problem of a topic module: its own sample(rng, level) when it has one (a topic that
    builds candidates to screen them hands on the Draft it kept), else build(sample_params(...))."""
    if own := getattr(module, "sample", None):
        return own(rng, level)
    return module.build(module.sample_params(rng, level))


def part(slot: str, kind: Kind, answer, label: str, hint: str = "",
         mistakes: Iterable[tuple[object, str]] | Callable[[], Iterable[tuple[object, str]]] = (),
         **fields) -> Part:
    """A Part for `answer`: an exact value, or a word such as "undefined" or "none".

    `fields` go to the Part as they are (choices, variables, tolerance).

    Each mistake is (value on the wrong route, message); a route that does not exist here
    (value None) or gives the right answer anyway is dropped, so every diagnosis can fire.
    They are worked out when grading first asks, so what they are made of must not change
    after the call; pass a function returning them to put off computing the wrong routes too.
    An expression answer longer than a learner may type (params of one's own) is refused.
    """
    right = to_json(answer)
    if kind is Kind.EXPRESSION:
        from grader.expression.syntax import MAX_CHARS    # loaded by expression topics anyway
        if len(right) > MAX_CHARS:
            raise DrillsError(f"{label} written out takes {len(right):,} characters; an answer can have "
                              f"at most {MAX_CHARS:,}: give smaller params")
    routes = mistakes if callable(mistakes) else lambda: mistakes
    return Part(slot, kind, right, label=label, hint=hint,
                mistakes=Mistakes(lambda: _kept(kind, right, routes(), label)), **fields)


def _kept(kind: Kind, right, routes, label: str) -> list[Mistake]:
    same = _equivalent if kind is Kind.EXPRESSION else _equal
    kept: list[Mistake] = []
    for value, message in routes:
        if value is None:
            continue
        wrong = to_json(value)
        try:
            new = not same(wrong, right) and not any(same(wrong, m.answer) for m in kept)
        except ValueError:              # AnswerError: text the grader does not read
            _readable(right, label)
            continue                    # the wrong route's text: no one can type it
        if new:
            kept.append(Mistake(wrong, message))
    return kept


def _readable(answer: str, label: str) -> None:
    """Refuse params whose answer the grader cannot read (a degree past its limit, say)."""
    try:
        _equivalent(answer, answer)
    except ValueError as err:
        from grader.parse import clip

        raise DrillsError(f"{clip(label, SHOWN)} cannot be graded: {err}; give smaller params") from None


def _equal(a, b) -> bool:
    return a == b


# sampled problems compare the same few expressions again and again
_equivalent = lru_cache(maxsize=4096)(equivalent)
