"""A small regression dataset in params, read the same way by every topic that uses one:
X without the bias column (a flat list is one feature), y, θ with the intercept first, η."""
from __future__ import annotations

from fractions import Fraction

from drills.errors import DrillsError
from drills.topics import params as read


def features(params: dict, max_features: int) -> tuple[list[list[Fraction]], list]:
    """X as a matrix and its params form (rows of the values as given)."""
    raw = params["X"]
    if isinstance(raw, list) and raw and not any(isinstance(v, list) for v in raw):
        raw = [[v] for v in raw]
    X = read.matrix({"X": raw}, "X")
    if len(X[0]) > max_features:
        raise DrillsError(f"X has {len(X[0])} feature columns; this topic handles 1 to {max_features} "
                          "(give X without the bias column)")
    return X, raw


def targets(params: dict, m: int) -> list[Fraction]:
    y = read.vector(params, "y")
    if len(y) != m:
        raise DrillsError(f"X has {m} rows (one per instance) but y has {len(y)} "
                          f"{'entry' if len(y) == 1 else 'entries'}")
    return y


def parameters(params: dict, n: int) -> list[Fraction]:
    """θ for n features: the intercept θ₀ first, then one weight per column of X."""
    theta = read.vector(params, "theta")
    if len(theta) != n + 1:
        raise DrillsError(f"X has {n} feature column{'s' if n > 1 else ''}, so theta needs {n + 1} entries "
                          f"(θ₀, the intercept, first); it has {len(theta)}; leave the column of 1s out of X")
    return theta


def learning_rate(params: dict) -> Fraction:
    eta = read.number(params["eta"], "eta")
    if eta <= 0:
        raise DrillsError(f"param 'eta' must be a positive learning rate such as 1/10; got {params['eta']!r}")
    return eta


def add_bias(X) -> list[list]:
    """X_b: a column of 1s in front of X, so that θ₀ is the intercept."""
    return [[Fraction(1), *row] for row in X]
