"""Closed-form solvers against numpy.linalg.lstsq (and scikit-learn when installed):
time (the median of three runs after a warm-up) and relative error of θ, on a well-conditioned
X and on cond(X) ≈ 1e8.

    python -m bench.closed_forms [--n 100000] [--d 50]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np

from bench import median_time
from grader.reference.regression import lstsq, normal_equation, svd_solve


def problem(n: int, d: int, cond: float, rng):
    """X = U·diag(σ)·Vᵀ with σ from 1 down to 1/cond, and y from a known θ plus small noise."""
    U, _ = np.linalg.qr(rng.standard_normal((n, d)))
    V, _ = np.linalg.qr(rng.standard_normal((d, d)))
    X = (U * np.geomspace(1, 1 / cond, d)) @ V.T
    theta = rng.standard_normal(d)
    return X, X @ theta + 1e-10 * rng.standard_normal(n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--d", type=int, default=50)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    routes = {"normal_equation": lambda X, y: normal_equation(X, y).theta,
              "lstsq": lambda X, y: lstsq(X, y).theta,
              "svd_solve": lambda X, y: svd_solve(X, y).theta,
              "naive solve(XᵀX, Xᵀy)": lambda X, y: np.linalg.solve(X.T @ X, X.T @ y)}
    try:
        from sklearn.linear_model import LinearRegression
        routes["sklearn LinearRegression"] = lambda X, y: LinearRegression(fit_intercept=False).fit(X, y).coef_
    except ImportError:
        print("(scikit-learn not installed: its row is left out)")
    for cond in (10.0, 1e8):
        X, y = problem(args.n, args.d, cond, rng)
        reference = np.linalg.lstsq(X, y, rcond=None)[0]
        anchor = median_time(lambda: np.linalg.lstsq(X, y, rcond=None))
        print(f"\nn={args.n:,} d={args.d} cond(X)={cond:.0e}: numpy.linalg.lstsq {anchor * 1e3:.1f} ms")
        print(f"  {'route':<26}{'time / lstsq':>14}{'relative error':>18}")
        for name, route in routes.items():
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                theta, seconds = route(X, y), median_time(lambda: route(X, y))
            error = np.linalg.norm(theta - reference) / np.linalg.norm(reference)
            print(f"  {name:<26}{seconds / anchor:>14.2f}{error:>18.1e}")


if __name__ == "__main__":
    main()
