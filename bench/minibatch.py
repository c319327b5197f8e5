"""One epoch of mini-batch GD against one epoch of scikit-learn's SGDRegressor, same data, same run.

    python -m bench.minibatch [--n 1000000] [--d 100] [--batch-size 32]

Anchor: one read of X (X @ v). Both start from θ = 0 with a constant learning rate and make one
pass over the data; the table gives time / one read of X and the MSE after the epoch, against
the least-squares optimum. SGDRegressor is skipped, with a note, when scikit-learn is absent.
"""
from __future__ import annotations

import argparse
import time
import warnings

import numpy as np

from bench.descent import best_of
from grader.reference.descent import minibatch_gd
from grader.reference.regression import lstsq, mse


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--d", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=32)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    X = rng.standard_normal((args.n, args.d))
    y = X @ rng.standard_normal(args.d) + 0.5 * rng.standard_normal(args.n)
    v = np.ones(args.d)
    read = best_of(lambda: X @ v)
    best = mse(X, y, lstsq(X, y).theta)
    rows = []
    eta = 0.01

    def ours():
        return minibatch_gd(X, y, batch_size=args.batch_size, epochs=1, eta=eta,
                            theta0=np.zeros(args.d), seed=0).theta
    rows.append((f"drills minibatch_gd (b={args.batch_size})", ours))
    try:
        from sklearn.linear_model import SGDRegressor

        def theirs():
            model = SGDRegressor(max_iter=1, tol=None, learning_rate="constant", eta0=eta / 10,
                                 penalty=None, fit_intercept=False, shuffle=True, random_state=0)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")           # "max_iter reached": one epoch is the point
                return model.fit(X, y).coef_
        rows.append(("sklearn SGDRegressor (per sample)", theirs))
    except ImportError:
        print("(scikit-learn not installed: its row is left out)")
    print(f"n={args.n:,} d={args.d}: one read of X {read * 1e3:.1f} ms; least-squares MSE {best:.4f}")
    print(f"  {'one epoch':<36}{'time / read of X':>18}{'MSE after':>12}{'/ optimum':>11}")
    for label, fit in rows:
        start = time.perf_counter()
        theta = fit()
        elapsed = time.perf_counter() - start
        cost = mse(X, y, theta)
        print(f"  {label:<36}{elapsed / read:>18.1f}{cost:>12.4f}{cost / best:>11.3f}")


if __name__ == "__main__":
    main()
