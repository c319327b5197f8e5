"""The topic registry: names, titles, levels and the prerequisite graph."""
from __future__ import annotations

import importlib
from enum import Enum
from functools import lru_cache
from types import ModuleType
from typing import NamedTuple

from drills.errors import DrillsError


class Level(str, Enum):
    """Levels in the learner's order: read a worked example, fill gaps, answer, write code."""

    EXAMPLE = "example"
    FILL_IN = "fill-in"
    FREE_RESPONSE = "free-response"
    CODE = "code"


LEVELS = tuple(level.value for level in Level)
PAPER_LEVELS = LEVELS[:3]           # the levels answered on paper: topics without a code exercise

# What problems a seed makes, and how a sheet lays them out. Bump it whenever a generator, the
# order of TOPICS or the sheet rules change what a seed gives, and set CHANGED_IN for each topic
# whose generator changed: sheet IDs carry the version, and a sheet of an older one is rebuilt
# only while none of its topics has changed since, so it is never regraded against different
# problems (sheetid.decode; tests/test_worksheet.py guards both).
GENERATOR_VERSION = 4           # 4: hand-sized problems drawn anew where a slip went unseen
# The version each topic's generator last changed in; a topic not named is as it was in version 2.
CHANGED_IN = {"vectors": 4, "svd": 4, "mse": 4, "gradient": 4, "partial-derivatives": 4, "gd-step": 4,
              "sgd": 4}


class TopicInfo(NamedTuple):
    name: str
    title: str
    summary: str
    prerequisites: tuple[str, ...] = ()
    levels: tuple[str, ...] = LEVELS

    def to_dict(self) -> dict:
        return {"name": self.name, "title": self.title, "summary": self.summary,
                "levels": list(self.levels), "prerequisites": list(self.prerequisites)}


TOPICS: dict[str, TopicInfo] = {t.name: t for t in (
    TopicInfo("matmul", "Matrix multiplication",
              "Products A·B and A·x, and when a product is defined."),
    TopicInfo("transpose", "Transpose",
              "Aᵀ, the rule (AB)ᵀ = BᵀAᵀ, and the symmetric XᵀX.", ("matmul",)),
    TopicInfo("inverse", "Determinant and inverse",
              "det A, A⁻¹ for 2×2 and 3×3 matrices, singular matrices, solving A·x = b.",
              ("transpose",)),
    TopicInfo("vectors", "Vectors",
              "Magnitude, unit vectors, dot product, angle, distance, and the cross product."),
    TopicInfo("svd", "Singular value decomposition",
              "Singular values, A = UΣVᵀ, rank, pseudoinverse and condition number.",
              ("transpose", "vectors")),
    TopicInfo("mse", "Mean squared error",
              "Predictions X_b·θ, residuals and the MSE cost of a linear model.", ("matmul",)),
    TopicInfo("normal-equation", "The normal equation",
              "θ = (X_bᵀX_b)⁻¹X_bᵀy, X_b with its bias column, step by step.", ("inverse", "mse")),
    TopicInfo("partial-derivatives", "Partial derivatives",
              "∂/∂w and ∂/∂b of squared errors, and of polynomials in several variables.",
              ("mse",), PAPER_LEVELS),
    TopicInfo("gradient", "Gradients",
              "The MSE gradient (2/m)·X_bᵀ(X_b·θ − y), and ∇f of a function at a point.",
              ("partial-derivatives", "matmul")),
    TopicInfo("gd-step", "Gradient descent steps",
              "θ ← θ − η∇MSE(θ): steps on a function and on linear regression; choosing η.",
              ("gradient",)),
    TopicInfo("sgd", "Stochastic and mini-batch gradient descent",
              "Updates on one sample or one mini-batch at a time; updates per epoch.",
              ("gd-step",)),
)}


def topic_info(name: str) -> TopicInfo:
    try:
        return TOPICS[name]
    except KeyError:
        raise DrillsError(f"unknown topic '{name}' (topics: {', '.join(TOPICS)})") from None


@lru_cache(maxsize=len(TOPICS))       # importlib's lookup costs a problem more than its dict lookups
def topic_module(name: str) -> ModuleType:
    """The module with sample_params(rng, level) and build(params) for a topic."""
    topic_info(name)
    return importlib.import_module(f"drills.topics.{name.replace('-', '_')}")


def check_level(topic: str, level: str) -> str:
    if level not in topic_info(topic).levels:
        raise DrillsError(f"topic '{topic}' has no level '{level}' "
                          f"(levels: {', '.join(topic_info(topic).levels)})")
    return level
