"""Linear regression in closed form: MSE, its gradient, the normal equation, lstsq and the SVD.

One body for NumPy and CuPy (the arrays choose). X is used as given: callers that want an
intercept add the bias column with add_bias. float32 and float64 keep their dtype; integers
become float64.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np

from grader.reference.backend import device_of, namespace, to_numpy


class SolverInputError(ValueError):
    """Input a solver cannot use: wrong shape, empty, NaN or infinite, mismatched lengths."""


class IllConditionedWarning(UserWarning):
    """The normal equations would lose too many digits, so a more accurate route was taken."""


class RankDeficientWarning(IllConditionedWarning):
    """X has dependent columns: θ is not unique and the minimum-norm one was returned."""


@dataclass(frozen=True)
class Solution:
    """A closed-form θ (1-D, on the input's device), the route that computed it, and why."""

    theta: Any
    method: str                        # "normal-equation", "lstsq" or "svd"
    warnings: tuple[str, ...] = ()


# --- input checks -------------------------------------------------------------------------

def _entries(n: int, adjective: str = "") -> str:
    return f"{n} {adjective}{'entry' if n == 1 else 'entries'}"


def _array(a, xp, name: str):
    try:
        arr = xp.asarray(a)
    except (TypeError, ValueError):
        raise SolverInputError(f"{name} is not a rectangular array of numbers") from None
    if arr.dtype.kind in "biu":
        return arr.astype(xp.float64)
    if arr.dtype.kind != "f":
        raise SolverInputError(f"{name} must hold real numbers, not {arr.dtype}")
    return arr


def _float_dtype(*arrays):
    """The arrays' common dtype, at least float32 (linalg has no float16)."""
    return np.result_type(np.float32, *(a.dtype for a in arrays))


def _check_finite(a, xp, name: str) -> None:
    with np.errstate(over="ignore", invalid="ignore"):
        if bool(xp.isfinite(a.sum())):      # the usual case, without a mask the size of a
            return
    bad = int(xp.count_nonzero(~xp.isfinite(a)))
    if bad:
        raise SolverInputError(f"{name} has {_entries(bad, 'NaN or infinite ')}")


def check_matrix(X):
    """X as a finite 2-D float array; a 1-D X is one feature (a column)."""
    return _matrix(X, namespace(X), "X")


def _matrix(X, xp, name: str):
    X = _array(X, xp, name)
    if X.ndim == 1:
        X = X.reshape(-1, 1)
    if X.ndim != 2:
        raise SolverInputError(f"{name} must be 1-D or 2-D, got {X.ndim}-D (shape {X.shape})")
    if X.size == 0:
        raise SolverInputError(f"{name} is empty (shape {X.shape})")
    X = X.astype(_float_dtype(X), copy=False)
    _check_finite(X, xp, name)
    return X


def check_inputs(X, y):
    """(X, y) as finite float arrays of one dtype on one device: X 2-D (m, d), y 1-D (m,).

    The one validation every solver here and in descent.py runs; raises SolverInputError.
    """
    xp = namespace(X, y)
    X = _matrix(X, xp, "X")
    y = _vector(y, xp, "y")
    if y.shape[0] != X.shape[0]:
        raise SolverInputError(f"X has {X.shape[0]} rows but y has {_entries(y.shape[0])}")
    dtype = _float_dtype(X, y)
    return X.astype(dtype, copy=False), y.astype(dtype, copy=False)


def check_theta(theta, X):
    """θ as a finite 1-D array with one entry per column of X, in X's dtype and on X's device."""
    xp = namespace(X)
    if xp is np and device_of(theta) == "gpu":
        theta = to_numpy(theta)
    theta = _vector(theta, xp, "theta")
    if theta.shape[0] != X.shape[1]:
        raise SolverInputError(f"theta has {_entries(theta.shape[0])} but X has {X.shape[1]} columns")
    return theta.astype(X.dtype, copy=False)


def _vector(a, xp, name: str):
    """A finite 1-D array; a single column is accepted and flattened."""
    a = _array(a, xp, name)
    if a.ndim == 2 and a.shape[1] == 1:
        a = a.reshape(-1)
    if a.ndim != 1:
        raise SolverInputError(f"{name} must be 1-D (or one column), got shape {a.shape}")
    _check_finite(a, xp, name)
    return a


# --- model, cost and gradient ---------------------------------------------------------------

def add_bias(X):
    """[1 | X]: a column of ones in front, so θ[0] is the intercept."""
    X = check_matrix(X)
    xp = namespace(X)
    return xp.concatenate([xp.ones((X.shape[0], 1), dtype=X.dtype), X], axis=1)


def predict(X, theta):
    """ŷ = Xθ."""
    X = check_matrix(X)
    return X @ check_theta(theta, X)


def mse(X, y, theta) -> float:
    """MSE(θ) = (1/m)·‖Xθ − y‖²."""
    X, y = check_inputs(X, y)
    r = X @ check_theta(theta, X) - y
    return float(r @ r) / X.shape[0]


def mse_gradient(X, y, theta):
    """∇MSE(θ) = (2/m)·Xᵀ(Xθ − y), a d-vector in X's dtype."""
    X, y = check_inputs(X, y)
    r = X @ check_theta(theta, X) - y
    return (2 / X.shape[0]) * (X.T @ r)     # scale the d-vector, never a copy of X


# --- closed-form solvers --------------------------------------------------------------------

def max_condition(dtype) -> float:
    """Largest cond(X) the normal equations are trusted with: eps^(-1/4).

    They lose about cond(X)² of relative accuracy; this keeps at least half the dtype's digits:
    8192 in float64, about 54 in float32.
    """
    return float(np.finfo(dtype).eps) ** -0.25


def condition_number(X) -> float:
    """cond(X) = σmax/σmin from X's singular values (XᵀX's rounding would hide what we look for);
    inf when X has fewer rows than columns or a zero singular value."""
    return _cond(check_matrix(X))


def _cond(X) -> float:
    xp = namespace(X)
    if X.shape[0] < X.shape[1]:
        return float("inf")
    s = xp.linalg.svd(X, compute_uv=False)
    smax, smin = float(s[0]), float(s[-1])
    return smax / smin if smin > 0 else float("inf")


def normal_equation(X, y) -> Solution:
    """θ = (XᵀX)⁻¹Xᵀy by Cholesky, or by lstsq with an IllConditionedWarning when that is inaccurate.

    XᵀX is equilibrated first (D⁻¹XᵀXD⁻¹, D² its diagonal): Cholesky's accuracy does not depend
    on the columns' units, so neither does the test of whether to trust it."""
    X, y = check_inputs(X, y)
    xp = namespace(X, y)
    G = X.T @ X
    d = xp.sqrt(xp.diagonal(G))
    d = xp.where(d > 0, d, 1)
    G = G / xp.outer(d, d)
    cond, limit = _gram_cond(G, X.shape), max_condition(X.dtype)
    if cond > limit:
        return _fall_back(X, y, f"X is ill-conditioned (cond(X) ≈ {cond:.1e} > {limit:.0f} with its columns scaled alike)")
    try:
        L = xp.linalg.cholesky(G)
        theta = xp.linalg.solve(L.T, xp.linalg.solve(L, (X.T @ y) / d)) / d
    except xp.linalg.LinAlgError:
        return _fall_back(X, y, "the Cholesky factorization of XᵀX failed")
    if not bool(xp.all(xp.isfinite(theta))):      # CuPy need not raise when Cholesky fails
        return _fall_back(X, y, "the Cholesky factorization of XᵀX failed")
    return Solution(theta, "normal-equation")


def _gram_cond(G, shape) -> float:
    """cond(X) as √cond(XᵀX), from the small d×d matrix instead of an SVD of all of X.

    Rounding in XᵀX caps the estimate near 1/√eps, far above the switch limit of eps^(-1/4),
    so every X that is too ill-conditioned for the normal equations is still caught.
    """
    if shape[0] < shape[1]:
        return float("inf")
    s = namespace(G).linalg.svd(G, compute_uv=False)
    smax, smin = float(s[0]), float(s[-1])
    return (smax / smin) ** 0.5 if smin > 0 else float("inf")


def lstsq(X, y) -> Solution:
    """θ minimizing ‖Xθ − y‖ by the library's least squares; the minimum-norm θ if X is rank-deficient."""
    X, y = check_inputs(X, y)
    theta, notes = _lstsq(X, y)
    return _finish(theta, "lstsq", notes)


def svd_solve(X, y) -> Solution:
    """θ = X⁺y through the SVD, computed here rather than by the library (the 'svd' route)."""
    X, y = check_inputs(X, y)
    theta, notes = _equilibrated(_svd_theta, X, y)
    return _finish(theta, "svd", notes)


def _equilibrated(solve, X, y):
    """θ and notes from solve(X, y) -> (θ, singular values of X), run on X with every column
    scaled to a largest entry of 1: no θ of full-rank X depends on that, and a column in small
    units (a rate beside dollars) no longer looks like zero. For rank-deficient X, solve(X, y)
    on X as given, so θ is the minimum-norm one in X's own units."""
    xp = namespace(X)
    scale = xp.max(xp.abs(X), axis=0)
    scale = xp.where(scale > 0, scale, 1)
    theta, s = solve(X / scale, y)
    rank, d = _rank(s, X), X.shape[1]
    if rank < d:
        theta, s = solve(X, y)
        return theta, _rank_notes(_rank(s, X), d)
    cond = float(s[0] / s[-1])
    if cond < float(np.finfo(X.dtype).eps) ** -0.5:
        return theta / scale, []
    return theta / scale, [(IllConditionedWarning,
                            f"X is nearly rank-deficient (cond(X) ≈ {cond:.1e} with its columns scaled alike): "
                            "θ hangs on tiny differences between columns, such as features that nearly repeat each other")]


def _rank(s, X) -> int:
    """The numerical rank, counted as numpy.linalg.lstsq counts it."""
    return int(namespace(X).count_nonzero(_kept(s, X)))


def _svd_theta(X, y):
    U, s, Vt = namespace(X).linalg.svd(X, full_matrices=False)
    return Vt.T @ (_inverted(s, X) * (U.T @ y)), s


def pinv(X, rcond: float | None = None):
    """The pseudoinverse X⁺ (d × m); singular values below rcond·σmax count as zero,
    rcond defaulting to max(m, d)·eps as in numpy.linalg.lstsq."""
    X = check_matrix(X)
    U, s, Vt = namespace(X).linalg.svd(X, full_matrices=False)
    return (Vt.T * _inverted(s, X, rcond)) @ U.T


def _kept(s, X, rcond: float | None = None):
    """Which singular values count: those above rcond·σmax, rcond by default max(m, d)·eps."""
    if rcond is None:
        rcond = max(X.shape) * float(np.finfo(X.dtype).eps)
    return s > rcond * s[0]


def _inverted(s, X, rcond: float | None = None):
    """1/σ, and 0 for the singular values that do not count."""
    xp, keep = namespace(X), _kept(s, X, rcond)
    return xp.where(keep, 1 / xp.where(keep, s, 1), 0).astype(X.dtype, copy=False)


def _lstsq(X, y):
    return _equilibrated(_library_lstsq, X, y)


def _library_lstsq(X, y):
    theta, _, _, s = namespace(X, y).linalg.lstsq(X, y, rcond=None)
    return theta, s


def _rank_notes(rank: int, d: int) -> list:
    if rank == d:
        return []
    return [(RankDeficientWarning,
             f"X has rank {rank} but {d} columns, so θ is not unique; returned the minimum-norm θ")]


def _fall_back(X, y, reason: str) -> Solution:
    theta, notes = _lstsq(X, y)
    notes = [n for n in notes if n[0] is not IllConditionedWarning]     # the reason says it already
    note = (IllConditionedWarning, f"{reason}; solved by lstsq (SVD) instead of the normal equations")
    return _finish(theta, "lstsq", [note, *notes], stacklevel=4)


def _finish(theta, method: str, notes: list, stacklevel: int = 3) -> Solution:
    """The Solution, each note also raised as a warning at the caller of the public solver."""
    for category, message in notes:
        warnings.warn(message, category, stacklevel=stacklevel)
    return Solution(theta, method, tuple(message for _, message in notes))
