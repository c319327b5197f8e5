"""Every `code` exercise by name: one module per family, each a tuple EXERCISES."""
from __future__ import annotations

from grader.code.exercises import descent, linalg, regression, vectors

EXERCISES = {ex.name: ex for module in (linalg, vectors, regression, descent) for ex in module.EXERCISES}
