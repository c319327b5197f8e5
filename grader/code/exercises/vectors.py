"""Write it yourself: the unit vector v/‖v‖ and the cosine similarity of two vectors."""
from __future__ import annotations

import numpy as np

from grader.code.exercise import Case, Exercise, Forbidden, Route, draw_seed, halves, seeded, small
from grader.reference import linalg


def _nonzero(rng, n: int, low: float = -4, high: float = 4) -> np.ndarray:
    while True:
        v = halves(rng, n, low, high)
        if np.any(v):
            return v


def _unit_cases(rng) -> list[Case]:
    s = [draw_seed(rng) for _ in range(2)]
    k = float(rng.choice([0.5, 1.0, 2.0, -1.0]))
    return [
        small("3 entries", v=_nonzero(rng, 3)),
        small("3-4-5", v=np.array([3.0, 4.0]) * k),
        small("one entry", v=np.array([float(rng.choice([-2.5, -1.0, 3.0]))])),
        small("mostly zeros", v=np.array([0.0, 0.0, float(rng.choice([-2.0, 1.5, 4.0])), 0.0])),
        small("float32", v=_nonzero(rng, 4).astype(np.float32)),
        seeded("not contiguous", s[0], "v = rng.standard_normal(30)[::3]     # a strided view"),
        seeded("large", s[1], "v = rng.standard_normal(200_000)", timed=True),
    ]


UNIT_VECTOR = Exercise(
    name="unit_vector", args=("v",),
    title="The unit vector v/‖v‖.",
    doc="""
v  (n,) array, not all zeros

Returns v/‖v‖, a new (n,) array in v's dtype: the direction of v,
length 1.
    ‖v‖ = √(v₁² + v₂² + … + vₙ²)
Compute the length yourself (not np.linalg.norm). Leave v unchanged.
""",
    example="v = np.array([3.0, 4.0])",
    model='''def unit_vector(v):
    length = np.sqrt(np.sum(v * v))      # ‖v‖ = √(Σ vᵢ²)
    return v / length
''',
    cases=_unit_cases,
    reference=linalg.unit,
    mistakes=(
        Route(lambda v: v / (v @ v),
              "You divided by ‖v‖² = Σ vᵢ²: take its square root, ‖v‖ = √(Σ vᵢ²)."),
        Route(lambda v: v / np.abs(v).sum(), "You divided by Σ|vᵢ| (the L1 length): the length is √(Σ vᵢ²)."),
        Route(lambda v: v / v.sum(), "You divided by Σ vᵢ: the length is √(Σ vᵢ²)."),
        Route(lambda v: v / np.abs(v).max(), "You divided by the largest |vᵢ|: the length is √(Σ vᵢ²)."),
        Route(lambda v: np.sqrt(v @ v), "That is the length ‖v‖: return v divided by it."),
        Route(lambda v: v.copy(), "You returned v itself: divide it by its length ‖v‖ = √(Σ vᵢ²)."),
    ),
    forbidden=(Forbidden(("norm",), "computing the length √(Σ vᵢ²) is part of the exercise"),),
    keep_dtype=True,
    hint="The length is np.sqrt(np.sum(v * v)); divide v by it.",
    faster="np.sqrt(np.sum(v * v)) is the length without a loop, and v / length divides every entry",
)


def _cosine_cases(rng) -> list[Case]:
    s = [draw_seed(rng) for _ in range(2)]
    a = _nonzero(rng, 3)
    k = float(rng.choice([0.5, 2.0, 3.0]))
    x, y = float(rng.choice([1.0, 2.0, -1.5])), float(rng.choice([2.0, -3.0, 0.5]))
    return [
        small("3 entries", a=_nonzero(rng, 3), b=_nonzero(rng, 3)),
        small("parallel", a=a, b=k * a),
        small("opposite", a=a, b=-k * a),
        small("perpendicular", a=np.array([x, y]), b=np.array([-y, x]) * k),
        small("one entry", a=np.array([float(rng.choice([-2.0, 1.5]))]), b=np.array([float(rng.choice([-1.0, 3.0]))])),
        small("float32", a=_nonzero(rng, 4).astype(np.float32), b=_nonzero(rng, 4).astype(np.float32)),
        seeded("not contiguous", s[0], """
            a = rng.standard_normal(20)[::2]     # strided views
            b = rng.standard_normal(30)[::3]
        """),
        seeded("large", s[1], """
            a = rng.standard_normal(200_000)
            b = a + rng.standard_normal(200_000)
        """, timed=True),
    ]


COSINE = Exercise(
    name="cosine_similarity", args=("a", "b"),
    title="The cosine of the angle between two vectors.",
    doc="""
a, b  (n,) arrays, neither all zeros

Returns cos θ = a·b / (‖a‖·‖b‖), a float from -1 to 1: 1 for the same
direction, 0 at a right angle, -1 for opposite directions.
Leave a and b unchanged.
""",
    example="a = np.array([3.0, 4.0])\nb = np.array([4.0, 3.0])",
    model='''def cosine_similarity(a, b):
    return float(a @ b / (np.sqrt(a @ a) * np.sqrt(b @ b)))
''',
    cases=_cosine_cases,
    reference=linalg.cosine,
    mistakes=(
        Route(lambda a, b: a @ b, "That is the dot product a·b: divide it by ‖a‖·‖b‖."),
        Route(lambda a, b: a @ b / ((a @ a) * (b @ b)), "You divided by ‖a‖²·‖b‖²: take the square roots, "
                                                        "‖a‖ = √(a·a)."),
        Route(lambda a, b: np.arccos(np.clip(linalg.cosine(a, b), -1, 1)),
              "That is the angle θ itself (in radians): the exercise asks for cos θ."),
        Route(lambda a, b: a @ b / np.sqrt(a @ a), "You divided by ‖a‖ only: divide by ‖a‖·‖b‖."),
        Route(lambda a, b: a @ b / np.sqrt(b @ b), "You divided by ‖b‖ only: divide by ‖a‖·‖b‖."),
    ),
    number=True,
    hint="a @ b is the dot product; np.sqrt(a @ a) is ‖a‖.",
    faster="a @ b and np.sqrt(a @ a) compute the sums without a loop",
)

EXERCISES = (UNIT_VECTOR, COSINE)
