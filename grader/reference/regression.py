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
    """θ = (XᵀX)⁻¹Xᵀy by Cholesky, or by lstsq with an IllConditionedWarning when that is inaccurate."""
    X, y = check_inputs(X, y)
    xp = namespace(X, y)
    G = X.T @ X
    cond, limit = _gram_cond(G, X.shape), max_condition(X.dtype)
    if cond > limit:
        return _fall_back(X, y, f"X is ill-conditioned (cond(X) ≈ {cond:.1e} > {limit:.0f})")
    try:
        L = xp.linalg.cholesky(G)
        theta = xp.linalg.solve(L.T, xp.linalg.solve(L, X.T @ y))
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
    U, s_inv, Vt, rank = _svd_parts(X)
    theta = Vt.T @ (s_inv * (U.T @ y))
    return _finish(theta, "svd", _rank_notes(rank, X.shape[1]))


def pinv(X, rcond: float | None = None):
    """The pseudoinverse X⁺ (d × m); singular values below rcond·σmax count as zero,
    rcond defaulting to max(m, d)·eps as in numpy.linalg.lstsq."""
    X = check_matrix(X)
    U, s_inv, Vt, _ = _svd_parts(X, rcond)
    return (Vt.T * s_inv) @ U.T


def _svd_parts(X, rcond: float | None = None):
    """U, 1/σ (0 for σ at or below the cutoff), Vᵀ and the numerical rank."""
    xp = namespace(X)
    U, s, Vt = xp.linalg.svd(X, full_matrices=False)
    if rcond is None:
        rcond = max(X.shape) * float(np.finfo(X.dtype).eps)
    keep = s > rcond * s[0]
    s_inv = xp.where(keep, 1 / xp.where(keep, s, 1), 0).astype(X.dtype, copy=False)
    return U, s_inv, Vt, int(xp.count_nonzero(keep))


def _lstsq(X, y):
    xp = namespace(X, y)
    theta, _, rank, _ = xp.linalg.lstsq(X, y, rcond=None)
    return theta, _rank_notes(int(rank), X.shape[1])


def _rank_notes(rank: int, d: int) -> list:
    if rank == d:
        return []
    return [(RankDeficientWarning,
             f"X has rank {rank} but {d} columns, so θ is not unique; returned the minimum-norm θ")]


def _fall_back(X, y, reason: str) -> Solution:
    theta, notes = _lstsq(X, y)
    note = (IllConditionedWarning, f"{reason}; solved by lstsq (SVD) instead of the normal equations")
    return _finish(theta, "lstsq", [note, *notes], stacklevel=4)


def _finish(theta, method: str, notes: list, stacklevel: int = 3) -> Solution:
    """The Solution, each note also raised as a warning at the caller of the public solver."""
    for category, message in notes:
        warnings.warn(message, category, stacklevel=stacklevel)
    return Solution(theta, method, tuple(message for _, message in notes))
