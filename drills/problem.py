"""Problem: one rendered exercise with its parts; and `generate`, which makes one."""
from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial
from string import ascii_lowercase

from drills.catalog import Level, check_level, topic_module
from drills.errors import DrillsError
from drills.render import block_renderer
from drills.topics import Draft, sample
from drills.topics.draw import Draws
from grader.spec import Part


# the levels each problem compares its own with, read once: an Enum's .value is a Python property
_CODE, _FILL_IN, _FREE_RESPONSE = Level.CODE.value, Level.FILL_IN.value, Level.FREE_RESPONSE.value


@dataclass(frozen=True)
class Problem:
    id: str
    topic: str
    level: str
    seed: int | None
    params: dict
    prompt: str
    parts: tuple[Part, ...]
    render_solution: Callable[[], str] = field(repr=False, compare=False)

    @cached_property
    def solution(self) -> str:
        """The worked solution, rendered when first read: it is shown only after the answer."""
        return self.render_solution()

    def to_dict(self) -> dict:
        return {"id": self.id, "topic": self.topic, "level": self.level, "seed": self.seed,
                "params": self.params, "prompt": self.prompt,
                "parts": [p.to_dict() for p in self.parts], "solution": self.solution}

    @classmethod
    def from_dict(cls, d: dict) -> Problem:
        return cls(id=d["id"], topic=d["topic"], level=d["level"], seed=d.get("seed"),
                   params=d["params"], prompt=d["prompt"],
                   parts=tuple(Part.from_dict(p) for p in d["parts"]),
                   render_solution=lambda: d["solution"])


def generate(topic: str, level: str = _FREE_RESPONSE, *, seed: int | None = None,
             params: dict | None = None, fmt: str = "text", form: tuple[float, ...] | None = None) -> Problem:
    """One problem from a seed (random when neither is given) or from the user's own params.

    `form`, numbers in [0, 1), stands for the seed's first draws, which pick the kind of question
    (and mostly its size): problems of one form ask alike (a worksheet's variants share them)."""
    check_level(topic, level)
    if params is None:
        seed = secrets.randbelow(2**31) if seed is None else seed
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise DrillsError(f"seed must be a non-negative integer, got {seed!r}")
    elif seed is not None:
        raise DrillsError("give a seed or params, not both")
    if level == _CODE:
        from drills.coding import code_problem

        return code_problem(topic, seed=seed, params=params, fmt=fmt)
    module = topic_module(topic)
    if params is None:
        form = form and form[:getattr(module, "FORM_DRAWS", 1)]
        draft = sample(module, Draws(seed, form), level)
    else:
        draft = module.build(params)
    return assemble(topic, level, seed if not form else None, draft, fmt)   # a seed alone no longer rebuilds it


def assemble(topic: str, level: str, seed: int | None, draft: Draft, fmt: str = "text") -> Problem:
    """Choose the level's parts, key them a, b, c, … and render the prompt (the solution waits
    until it is read)."""
    asked = (draft.fill_in() if level == _FILL_IN else
             draft.finals if level == _FREE_RESPONSE else [])
    if len(asked) > len(ascii_lowercase):           # only params of one's own ask for so many
        raise DrillsError(f"these params make {len(asked)} parts to answer, keyed a to z: "
                          f"at most {len(ascii_lowercase)}; give smaller params")
    keyed = [p.keyed(key) for p, key in zip(asked, ascii_lowercase)]
    labels = {p.key: k.key for p, k in zip(asked, keyed)}
    blanks = labels if level == _FILL_IN else {}
    context = {**draft.context, "topic": topic, "level": level, "parts": keyed, "labels": labels}
    asks_only = level == _FREE_RESPONSE and draft.worked is not None   # no steps shown
    if draft.worked is not None and not asks_only:
        context = {**context, **draft.worked()}
    context["blanks"] = {}                          # the solution's: every step filled in
    template, steps = f"levels/{level}.j2", {"steps": f"{topic}/steps.j2"}
    render = block_renderer(template, {**context, "blanks": blanks} if blanks else context, fmt, steps)
    if blanks or asks_only:   # the solution shows the steps: filled in, or there for the first time
        def render_solution():
            shown = {**context, **draft.worked(), "blanks": {}} if asks_only else context
            return block_renderer(template, shown, fmt, steps)("solution")
    else:                     # the same context for both, so steps.j2 is imported once
        render_solution = partial(render, "solution")
    return Problem(id=problem_id(topic, level, draft.params), topic=topic, level=level, seed=seed,
                   params=draft.params, prompt=render("prompt"), parts=tuple(keyed),
                   render_solution=render_solution)


# json.dumps(..., sort_keys=True), made once; params are JSON data, so never circular
_ID_JSON = json.JSONEncoder(sort_keys=True, check_circular=False)


def problem_id(topic: str, level: str, params: dict) -> str:
    """Short, stable, and the same for the same problem on every machine."""
    digest = hashlib.sha256(_ID_JSON.encode([topic, level, params]).encode()).hexdigest()
    return f"{topic}-{level}-{digest[:8]}"
