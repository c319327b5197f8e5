"""Gradient descent on the MSE of a linear model: batch, stochastic and mini-batch.

One body for NumPy and CuPy (xp = namespace(X, y)); X is used as given (no bias column added).
Every solver returns a Descent whose history holds the full MSE after each epoch, and raises
DivergenceError when the cost runs away instead of returning garbage.
"""
from __future__ import annotations

import functools
import math
import numbers
from dataclasses import dataclass
from typing import Callable

import numpy as np

from .backend import namespace
from .regression import check_inputs, check_theta

Progress = Callable[[int, float], None]

ROUTES = ("auto", "direct", "gram")
_PATIENCE = 5   # epochs of consecutive growth before a run counts as diverging
_GROWTH = 2.0   # ... and the cost must also exceed this multiple of where it started
_BLOWUP = 1e6   # a cost this many times that limit diverges at once


class DivergenceError(ValueError):
    """The cost became non-finite or kept growing: the learning rate is too large."""


@dataclass(frozen=True)
class Descent:
    """What a descent run ends with: θ (1-D, on the input's device) and the MSE per epoch."""

    theta: object
    history: np.ndarray
    epochs_run: int
    converged: bool
    route: str


def choose_route(m: int, d: int, epochs: int) -> str:
    """'gram' when forming XᵀX once (m·d²) plus epochs·d² beats epochs·2·m·d, else 'direct'."""
    return "gram" if m * d * d + epochs * d * d < 2 * epochs * m * d else "direct"


def _quiet(solver):
    """NumPy's overflow warnings off while a solver runs: divergence gets its own clear error."""
    @functools.wraps(solver)
    def run(*args, **kwargs):
        with np.errstate(over="ignore", invalid="ignore"):
            return solver(*args, **kwargs)
    return run


@_quiet
def batch_gd(X, y, *, eta=0.1, epochs=1000, theta0=None, tol=None, seed=None, route="auto",
             progress: Progress | None = None) -> Descent:
    """Full-batch GD: θ ← θ − η·(2/m)·Xᵀ(Xθ − y); stops early once ‖∇MSE‖ ≤ tol.

    θ starts at theta0, else at a standard-normal draw from default_rng(seed) when a seed is
    given, else at zeros. The 'gram' route forms G = XᵀX and b = Xᵀy once, so an epoch costs
    O(d²): ∇ = (2/m)(Gθ − b), MSE = (θᵀGθ − 2θᵀb + yᵀy)/m; 'direct' costs O(m·d) an epoch.
    """
    xp = namespace(X, y)
    X, y = check_inputs(X, y)
    if eta is None:
        raise ValueError("batch gradient descent needs a learning rate eta")
    _check_options(eta=eta, epochs=epochs, tol=tol)
    if route not in ROUTES:
        raise ValueError(f"route must be 'auto', 'direct' or 'gram', got {route!r}")
    m, d = X.shape
    route = choose_route(m, d, epochs) if route == "auto" else route
    rng = None if seed is None else np.random.default_rng(seed)
    theta = _start(xp, X, theta0, rng)
    yy = float(xp.dot(y, y))
    grad = xp.empty(d, dtype=X.dtype)
    if route == "gram":
        G, b = X.T @ X, X.T @ y
        g = xp.empty(d, dtype=X.dtype)

        def cost() -> float:   # fills g = Gθ, used by the next gradient (digits cancel when
            xp.dot(G, theta, out=g)    # the MSE is far below mean(y²): centre y to keep them)
            value = (float(xp.dot(theta, g - 2 * b)) + yy) / m
            return max(0.0, value) if math.isfinite(value) else value

        def gradient():        # Gθ − b, without the 2/m
            return xp.subtract(g, b, out=grad)
    else:
        r = xp.empty(m, dtype=X.dtype)

        def cost() -> float:   # fills r = Xθ − y, used by the next gradient
            return _mse(xp, X, y, theta, r)

        def gradient():        # Xᵀr, without the 2/m
            return xp.dot(X.T, r, out=grad)

    watch = _Watch("gradient descent", cost(), yy / m, X.dtype, f"try a smaller eta than {eta}",
                   progress, noisy=False)
    converged = False
    for epoch in range(1, epochs + 1):
        step = gradient()
        if tol is not None and (2 / m) * float(xp.linalg.norm(step)) <= tol:
            converged = True
            break
        step *= -2 * eta / m
        theta += step
        watch.record(epoch, cost())
    watch.finish()
    return Descent(theta, watch.history(), len(watch.costs), converged, route)


@_quiet
def sgd(X, y, *, epochs=50, t0=5, t1=50, eta=None, theta0=None, seed=42, tol=None,
        progress: Progress | None = None) -> Descent:
    """Stochastic GD: one sample at a time, θ ← θ − η(t)·2·xᵢ(xᵢᵀθ − yᵢ), η(t) = t0/(t + t1).

    t = epoch·m + i (Hands-On ML ch. 4), or a constant eta when given. Samples are shuffled
    every epoch by default_rng(seed), which also draws θ's start (standard normal) unless
    theta0 is given. Stops early once the MSE changes by at most tol (relative) in an epoch.
    """
    xp = namespace(X, y)
    X, y = check_inputs(X, y)
    _check_options(eta=eta, epochs=epochs, tol=tol, t0=t0, t1=t1)
    m, d = X.shape
    rng = np.random.default_rng(seed)
    theta = _start(xp, X, theta0, rng)
    Xs, ys, r = xp.empty((m, d), dtype=X.dtype), xp.empty(m, dtype=X.dtype), xp.empty_like(y)
    watch = _Watch("stochastic gradient descent", _mse(xp, X, y, theta, r),
                   float(xp.dot(y, y)) / m, X.dtype, _advice(eta, t0, t1), progress)
    converged = False
    for epoch in range(epochs):
        _shuffle_into(xp, rng, X, y, Xs, ys)
        rates = _rates(eta, t0, t1, epoch * m, m)
        for i in range(m):
            xi = Xs[i]
            theta -= (2 * rates[i]) * (xi @ theta - ys[i]) * xi
        converged = watch.record(epoch + 1, _mse(xp, X, y, theta, r), tol)
        if converged:
            break
    watch.finish()
    return Descent(theta, watch.history(), len(watch.costs), converged, "sgd")


@_quiet
def minibatch_gd(X, y, *, batch_size=32, epochs=50, eta=None, t0=10, t1=100, theta0=None,
                 seed=42, shuffle=True, tol=None, progress: Progress | None = None) -> Descent:
    """Mini-batch GD: θ ← θ − η(t)·(2/b)·X_bᵀ(X_bθ − y_b), t counting batches, η(t) = t0/(t + t1).

    Each epoch gathers the shuffled rows once into a reused buffer and walks it in contiguous
    slices (the last batch may be shorter). default_rng(seed) draws the shuffles and, unless
    theta0 is given, θ's start. Stops early as sgd does.
    """
    xp = namespace(X, y)
    X, y = check_inputs(X, y)
    _check_options(eta=eta, epochs=epochs, tol=tol, t0=t0, t1=t1)
    m, d = X.shape
    if (isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral)
            or not 1 <= batch_size <= m):
        raise ValueError(f"batch_size must be an integer from 1 to m={m}, got {batch_size!r}")
    rng = np.random.default_rng(seed)
    theta = _start(xp, X, theta0, rng)
    Xs, ys = (xp.empty((m, d), dtype=X.dtype), xp.empty(m, dtype=X.dtype)) if shuffle else (X, y)
    r, rb, grad = xp.empty_like(y), xp.empty(batch_size, dtype=X.dtype), xp.empty_like(theta)
    starts = range(0, m, batch_size)
    watch = _Watch("mini-batch gradient descent", _mse(xp, X, y, theta, r),
                   float(xp.dot(y, y)) / m, X.dtype, _advice(eta, t0, t1), progress)
    converged = False
    for epoch in range(epochs):
        if shuffle:
            _shuffle_into(xp, rng, X, y, Xs, ys)
        rates = _rates(eta, t0, t1, epoch * len(starts), len(starts))
        for k, s in enumerate(starts):
            Xb, yb = Xs[s:s + batch_size], ys[s:s + batch_size]
            rk = rb[:len(yb)]
            xp.dot(Xb, theta, out=rk)
            rk -= yb
            xp.dot(Xb.T, rk, out=grad)
            grad *= -2 * rates[k] / len(yb)
            theta += grad
        converged = watch.record(epoch + 1, _mse(xp, X, y, theta, r), tol)
        if converged:
            break
    watch.finish()
    return Descent(theta, watch.history(), len(watch.costs), converged, "minibatch")


class _Watch:
    """Per-epoch bookkeeping: the history, divergence, the progress callback, tol on the cost."""

    def __init__(self, name, cost0, mean_y2, dtype, advice, progress, noisy=True):
        self.name, self.cost0, self.advice, self.progress = name, cost0, advice, progress
        # a run that starts at an exact fit may wobble at rounding level: that is not divergence
        floor = math.sqrt(float(np.finfo(dtype).eps)) * mean_y2
        self.limit = _GROWTH * max(cost0, floor)
        # where a run may end: batch GD, whose steps cannot raise the cost at a good η, no higher
        # than it started; a stochastic one, whose samples make it wobble, within the limit
        self.end = self.limit if noisy else max(cost0, floor) * (1 + 1e-6)
        self.costs: list[float] = []
        self.rising = 0

    def record(self, epoch: int, cost: float, tol=None) -> bool:
        """Log an epoch's cost; raise DivergenceError if it runs away; True once within tol."""
        prev = self.costs[-1] if self.costs else self.cost0
        self.costs.append(cost)
        self.rising = self.rising + 1 if cost > prev else 0
        if (not math.isfinite(cost) or cost > _BLOWUP * self.limit
                or (self.rising >= _PATIENCE and cost > self.limit)):
            raise DivergenceError(f"{self.name} diverged at epoch {epoch}: the cost grew from "
                                  f"{self.cost0:.1e} to {cost:.1e}; {self.advice}")
        if self.progress is not None:
            self.progress(epoch, cost)
        return tol is not None and abs(prev - cost) <= tol * prev

    def finish(self) -> None:
        """A run that ends worse than it may (see self.end) has diverged, however few its epochs."""
        if self.costs and self.costs[-1] > self.end:
            raise DivergenceError(f"{self.name} diverged: after {len(self.costs)} epochs the cost is "
                                  f"{self.costs[-1]:.1e}, up from {self.cost0:.1e}; {self.advice}")

    def history(self) -> np.ndarray:
        return np.asarray(self.costs, dtype=np.float64)


def _advice(eta, t0, t1) -> str:
    if eta is not None:
        return f"try a smaller eta than {eta}"
    return f"try a smaller t0 than {t0} (the schedule t0/(t + t1) starts at eta={t0 / t1:.3g})"


def _rates(eta, t0, t1, t_start: int, count: int) -> list[float]:
    """The learning rates of steps t_start … t_start+count−1, as Python floats."""
    if eta is not None:
        return [float(eta)] * count
    return [t0 / (t + t1) for t in range(t_start, t_start + count)]


def _mse(xp, X, y, theta, r) -> float:
    """Full MSE at θ, through the reused residual buffer r."""
    xp.dot(X, theta, out=r)
    r -= y
    return float(xp.dot(r, r)) / len(y)


def _shuffle_into(xp, rng, X, y, Xs, ys) -> None:
    """One permutation from rng, gathered into the preallocated Xs, ys (no new arrays)."""
    perm = xp.asarray(rng.permutation(len(y)))
    # NumPy buffers take(out=...) in its default mode='raise'; 'clip' writes straight into out
    mode = {"mode": "clip"} if xp is np else {}
    xp.take(X, perm, axis=0, out=Xs, **mode)
    xp.take(y, perm, axis=0, out=ys, **mode)


def _start(xp, X, theta0, rng):
    """A fresh θ to update in place: theta0 copied, a normal draw from rng, or zeros."""
    if theta0 is not None:
        return xp.array(check_theta(theta0, X), copy=True)
    if rng is None:
        return xp.zeros(X.shape[1], dtype=X.dtype)
    return xp.asarray(rng.standard_normal(X.shape[1]), dtype=X.dtype)


def _check_options(*, eta, epochs, tol, t0=1, t1=1) -> None:
    """One-line ValueErrors for learning rates, epochs and tolerances that cannot work."""
    for name, value in (("eta", eta), ("tol", tol), ("t0", t0), ("t1", t1)):
        if value is not None and (isinstance(value, bool) or not isinstance(value, numbers.Real)
                                  or not math.isfinite(value) or value <= 0):
            raise ValueError(f"{name} must be a positive number, got {value!r}")
    if isinstance(epochs, bool) or not isinstance(epochs, numbers.Integral) or epochs < 1:
        raise ValueError(f"epochs must be a positive integer, got {epochs!r}")
