"""drills: practice problems on the math behind training models, with a grader that explains."""
from __future__ import annotations

__version__ = "0.2.0"


def generate(topic: str, level: str = "free-response", *, seed: int | None = None,
             params: dict | None = None, fmt: str = "text"):
    """One problem of `topic` at `level`, from a seed or from the user's own params."""
    from drills.problem import generate as _generate

    return _generate(topic, level, seed=seed, params=params, fmt=fmt)
