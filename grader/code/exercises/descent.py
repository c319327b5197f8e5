"""Write it yourself: a batch gradient-descent step, batch GD, an SGD epoch and a mini-batch epoch."""
from __future__ import annotations

import numpy as np

from grader.code.exercise import Case, Exercise, Route, draw_seed, halves, seeded, small
from grader.code.exercises.regression import COLUMN, COLUMN_ERROR
from grader.reference import regression as ref
from grader.reference.descent import batch_gd, minibatch_gd

ETAS = (0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001)
_KEEP = "A new (d,) array in X's dtype; leave the inputs unchanged."
_TRANSPOSE = (("mismatch", "The residual Xθ − y has m entries: multiply it by Xᵀ (X.T, d × m) to get d numbers, "
                           "one per parameter."),
              ("not aligned", "The residual Xθ − y has m entries: multiply it by Xᵀ (X.T, d × m)."),
              COLUMN_ERROR)


def _design(rng, m: int, d: int, bias: bool = True) -> np.ndarray:
    """Halves, with a first column of ones when `bias`; full column rank."""
    while True:
        X = halves(rng, (m, d))
        if bias:
            X[:, 0] = 1.0
        if m < d or np.linalg.matrix_rank(X) == d:
            return X


def _eta(X, per_sample: bool = False) -> float:
    """The largest of ETAS that keeps the steps stable (below 1/L)."""
    if per_sample:
        L = 2 * float(np.max(np.sum(X * X, axis=1)))
    else:
        L = 2 * float(np.linalg.eigvalsh(X.T @ X / len(X))[-1])
    return next((e for e in ETAS if e * L < 0.9), ETAS[-1])


def _step(X, y, theta, eta):
    """One batch step through the reference."""
    return batch_gd(X, y, eta=eta, epochs=1, theta0=theta, route="direct").theta


# --- gd_step ----------------------------------------------------------------------------------

def _step_cases(rng) -> list[Case]:
    s = [draw_seed(rng) for _ in range(2)]
    X = _design(rng, 4, 2)
    theta = halves(rng, 2, -2, 2)
    return [
        small("4 samples with a bias column", X=_design(rng, 4, 2), y=halves(rng, 4), theta=halves(rng, 2, -2, 2),
              eta=0.1),
        small("one sample", X=_design(rng, 1, 3), y=halves(rng, 1), theta=halves(rng, 3, -2, 2), eta=0.05),
        small("one feature", X=_design(rng, 5, 1, bias=False), y=halves(rng, 5), theta=halves(rng, 1, -2, 2),
              eta=0.1),
        small("at the minimum", X=X, y=X @ theta, theta=theta, eta=0.1),
        small("θ = 0", X=_design(rng, 3, 2), y=halves(rng, 3), theta=np.zeros(2), eta=0.05),
        small("float32", X=_design(rng, 4, 3).astype(np.float32), y=halves(rng, 4).astype(np.float32),
              theta=halves(rng, 3, -2, 2).astype(np.float32), eta=0.05),
        seeded("not contiguous", s[0], """
            X = rng.standard_normal((8, 6))[:, ::2]     # strided views
            y = rng.standard_normal(16)[::2]
            theta = rng.standard_normal(3)
            eta = 0.1
        """),
        seeded("large", s[1], """
            X = rng.standard_normal((5000, 20))
            y = rng.standard_normal(5000)
            theta = rng.standard_normal(20)
            eta = 0.05
        """, timed=True),
    ]


GD_STEP = Exercise(
    name="gd_step", args=("X", "y", "theta", "eta"),
    title="One step of batch gradient descent on the MSE of a linear model.",
    doc=f"""
X      (m, d) design matrix, used as given (its first column is the
       ones of the bias when the model has an intercept)
y      (m,) targets
theta  (d,) current parameters
eta    the learning rate η, a positive float

Returns the new θ:
    θ_new = θ − η · (2/m) · Xᵀ(Xθ − y)
{_KEEP}
""",
    example="X = np.array([[1.0, 2.0], [1.0, -1.0]])\ny = np.array([3.0, 0.0])\ntheta = np.zeros(2)\neta = 0.1",
    model='''def gd_step(X, y, theta, eta):
    m = len(y)
    gradient = (2 / m) * (X.T @ (X @ theta - y))   # ∇MSE(θ), shape (d,)
    return theta - eta * gradient   # a new array: theta is kept
''',
    cases=_step_cases,
    reference=_step,
    mistakes=(
        Route(lambda X, y, theta, eta: theta + eta * ref.mse_gradient(X, y, theta),
              "You added the gradient: gradient descent steps against it, θ − η∇MSE(θ)."),
        Route(lambda X, y, theta, eta: theta - eta * (X.T @ (X @ theta - y)),
              "Missing the 2/m of the gradient: ∇MSE = (2/m)·Xᵀ(Xθ − y)."),
        Route(lambda X, y, theta, eta: theta - eta * (X.T @ (X @ theta - y)) / len(y),
              "Missing the 2 of the gradient: ∇MSE = (2/m)·Xᵀ(Xθ − y)."),
        Route(lambda X, y, theta, eta: theta - ref.mse_gradient(X, y, theta),
              "The learning rate is missing: θ − η·∇MSE(θ)."),
        Route(lambda X, y, theta, eta: ref.mse_gradient(X, y, theta),
              "That is the gradient ∇MSE(θ): return the new θ = θ − η·∇MSE(θ)."),
        Route(lambda X, y, theta, eta: eta * ref.mse_gradient(X, y, theta),
              "That is the step η·∇MSE(θ): return θ minus it."),
        Route(lambda X, y, theta, eta: _gd_loop(X, y[:, None], theta, eta, 1), COLUMN),
        Route(lambda X, y, theta, eta: _gd_loop(X, y, theta[:, None], eta, 1), COLUMN),
    ),
    errors=_TRANSPOSE,
    keep_dtype=True, rtol=1e-9, rtol32=1e-3,
    hint="Compute the gradient (2/m)·Xᵀ(Xθ − y) first; the new θ is theta - eta * gradient.",
    faster="the residuals are r = X @ theta - y, and X.T @ r sums them into the gradient, without a loop",
)

# --- batch_gd ---------------------------------------------------------------------------------


def _batch_cases(rng) -> list[Case]:
    s = [draw_seed(rng) for _ in range(2)]
    X1, X2, X3, X4 = _design(rng, 4, 2), _design(rng, 4, 2), _design(rng, 1, 2), _design(rng, 5, 1, bias=False)
    X5 = _design(rng, 4, 3)
    return [
        small("3 epochs", X=X1, y=halves(rng, 4), theta=np.zeros(2), eta=_eta(X1), epochs=3),
        small("one epoch", X=X2, y=halves(rng, 4), theta=halves(rng, 2, -2, 2), eta=_eta(X2), epochs=1),
        small("one sample", X=X3, y=halves(rng, 1), theta=halves(rng, 2, -2, 2), eta=_eta(X3), epochs=4),
        small("one feature", X=X4, y=halves(rng, 5), theta=halves(rng, 1, -2, 2), eta=_eta(X4), epochs=5),
        small("float32", X=X5.astype(np.float32), y=halves(rng, 4).astype(np.float32),
              theta=np.zeros(3, dtype=np.float32), eta=_eta(X5), epochs=4),
        seeded("not contiguous", s[0], """
            X = rng.standard_normal((8, 6))[:, ::2]     # strided views
            y = rng.standard_normal(16)[::2]
            theta = rng.standard_normal(3)
            eta = 0.05
            epochs = 6
        """),
        seeded("large", s[1], """
            X = rng.standard_normal((2000, 10))
            y = X @ rng.standard_normal(10) + rng.standard_normal(2000)
            theta = np.zeros(10)
            eta = 0.05
            epochs = 100
        """, timed=True),
    ]


def _gd_loop(X, y, theta, eta, epochs, sign=-1, factor=lambda m: 2 / m):
    theta = theta.astype(X.dtype, copy=True)
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            theta = theta + sign * eta * factor(len(y)) * (X.T @ (X @ theta - y))
    return theta


BATCH_GD = Exercise(
    name="batch_gd", args=("X", "y", "theta", "eta", "epochs"),
    title="Batch gradient descent on the MSE: `epochs` full-batch steps.",
    doc=f"""
X       (m, d) design matrix, used as given
y       (m,) targets
theta   (d,) starting parameters
eta     the learning rate η
epochs  how many steps to take (at least 1)

Returns θ after `epochs` steps, each from the θ the last one gave:
    θ ← θ − η · (2/m) · Xᵀ(Xθ − y)
{_KEEP}
""",
    example="X = np.array([[1.0, 0.0], [1.0, 1.0]])\ny = np.array([1.0, 3.0])\ntheta = np.zeros(2)\n"
            "eta = 0.25\nepochs = 2",
    model='''def batch_gd(X, y, theta, eta, epochs):
    m = len(y)
    for _ in range(epochs):
        gradient = (2 / m) * (X.T @ (X @ theta - y))
        theta = theta - eta * gradient   # a new array: the caller's is kept
    return theta
''',
    cases=_batch_cases,
    reference=lambda X, y, theta, eta, epochs: batch_gd(X, y, eta=eta, epochs=epochs, theta0=theta,
                                                        route="direct").theta,
    mistakes=(
        Route(lambda X, y, theta, eta, epochs: _gd_loop(X, y, theta, eta, epochs - 1),
              "One step short: that is epochs − 1 steps. range(epochs) runs `epochs` times."),
        Route(lambda X, y, theta, eta, epochs: _gd_loop(X, y, theta, eta, epochs + 1),
              "One step too many: that is epochs + 1 steps. range(epochs) runs `epochs` times."),
        Route(lambda X, y, theta, eta, epochs: _gd_loop(X, y, theta, eta, 1),
              "Only one step was taken: repeat the update `epochs` times, each from the θ the last step gave."),
        Route(lambda X, y, theta, eta, epochs: _gd_loop(X, y, theta, eta, epochs, sign=1),
              "You added the gradient: gradient descent steps against it, θ − η∇MSE(θ)."),
        Route(lambda X, y, theta, eta, epochs: _gd_loop(X, y, theta, eta, epochs, factor=lambda m: 1),
              "Missing the 2/m of the gradient: ∇MSE = (2/m)·Xᵀ(Xθ − y)."),
        Route(lambda X, y, theta, eta, epochs: _gd_loop(X, y, theta, eta, epochs, factor=lambda m: 1 / m),
              "Missing the 2 of the gradient: ∇MSE = (2/m)·Xᵀ(Xθ − y)."),
        Route(lambda X, y, theta, eta, epochs: theta - epochs * eta * ref.mse_gradient(X, y, theta),
              "Every step used the gradient at the starting θ: recompute the gradient at the new θ each step."),
        Route(lambda X, y, theta, eta, epochs: _gd_loop(X, y[:, None], theta, eta, epochs), COLUMN),
        Route(lambda X, y, theta, eta, epochs: _gd_loop(X, y, theta[:, None], eta, epochs), COLUMN),
    ),
    errors=_TRANSPOSE,
    keep_dtype=True, rtol=1e-9, rtol32=2e-3,
    hint="Loop `epochs` times: compute the gradient at the current θ, then θ = θ − η·gradient.",
    faster="keep the loop over epochs; inside it, r = X @ theta - y and X.T @ r replace the loops over "
           "samples and features",
)

# --- sgd_epoch --------------------------------------------------------------------------------


def _sgd_cases(rng) -> list[Case]:
    s = [draw_seed(rng) for _ in range(2)]
    X1, X2, X3, X4, X5 = (_design(rng, 4, 2), _design(rng, 1, 2), _design(rng, 5, 1, bias=False),
                          _design(rng, 4, 2), _design(rng, 5, 3))
    return [
        small("4 samples", X=X1, y=halves(rng, 4), theta=halves(rng, 2, -2, 2), eta=_eta(X1, True),
              order=rng.permutation(4)),
        small("one sample", X=X2, y=halves(rng, 1), theta=halves(rng, 2, -2, 2), eta=_eta(X2, True),
              order=np.array([0])),
        small("one feature", X=X3, y=halves(rng, 5), theta=halves(rng, 1, -2, 2), eta=_eta(X3, True),
              order=rng.permutation(5)),
        small("reversed order", X=X4, y=halves(rng, 4), theta=np.zeros(2), eta=_eta(X4, True),
              order=np.arange(4)[::-1].copy()),
        small("float32", X=X5.astype(np.float32), y=halves(rng, 5).astype(np.float32),
              theta=halves(rng, 3, -2, 2).astype(np.float32), eta=_eta(X5, True), order=rng.permutation(5)),
        seeded("not contiguous", s[0], """
            X = rng.standard_normal((6, 6))[:, ::2]     # strided views
            y = rng.standard_normal(12)[::2]
            theta = rng.standard_normal(3)
            eta = 0.02
            order = rng.permutation(6)[::-1]
        """),
        seeded("large", s[1], """
            X = rng.standard_normal((3000, 10))
            y = X @ rng.standard_normal(10) + rng.standard_normal(3000)
            theta = np.zeros(10)
            eta = 0.01
            order = rng.permutation(3000)
        """, timed=True),
    ]


def _sgd(X, y, theta, eta, order, scale=2.0, sign=-1):
    theta = theta.astype(X.dtype, copy=True)
    with np.errstate(all="ignore"):
        for i in order:
            theta = theta + sign * eta * scale * X[i] * (X[i] @ theta - y[i])
    return theta


def _sgd_ref(X, y, theta, eta, order):
    return minibatch_gd(X[order], y[order], batch_size=1, epochs=1, eta=eta, theta0=theta, shuffle=False).theta


SGD_EPOCH = Exercise(
    name="sgd_epoch", args=("X", "y", "theta", "eta", "order"),
    title="One epoch of stochastic gradient descent, one sample at a time.",
    doc=f"""
X      (m, d) design matrix, used as given
y      (m,) targets
theta  (d,) parameters at the start of the epoch
eta    the learning rate η (constant)
order  (m,) int array: the order to visit the samples in, a permutation
       of 0, 1, …, m − 1

Returns θ after one pass over the samples, for i in order:
    θ ← θ − η · 2·xᵢ(xᵢᵀθ − yᵢ)      (xᵢ = X[i])
each step from the θ the previous step gave; 2·xᵢ(xᵢᵀθ − yᵢ) is the
gradient of one sample's squared error.
{_KEEP}
""",
    example="X = np.array([[1.0, 0.0], [1.0, 1.0]])\ny = np.array([1.0, 3.0])\ntheta = np.zeros(2)\n"
            "eta = 0.25\norder = np.array([1, 0])",
    model='''def sgd_epoch(X, y, theta, eta, order):
    for i in order:
        xi = X[i]
        # the gradient of this one sample's squared error
        gradient = 2 * xi * (xi @ theta - y[i])
        theta = theta - eta * gradient   # a new array: the caller's is kept
    return theta
''',
    cases=_sgd_cases,
    reference=_sgd_ref,
    mistakes=(
        Route(lambda X, y, theta, eta, order: _sgd_ref(X, y, theta, eta, np.arange(len(y))),
              "You visited the samples in index order 0, 1, 2, …: follow `order` (for i in order:)."),
        Route(lambda X, y, theta, eta, order: _step(X, y, theta, eta),
              "That is one full-batch step (the average gradient of all samples): SGD updates θ after each "
              "sample."),
        Route(lambda X, y, theta, eta, order: theta - eta * 2 * X.T @ (X @ theta - y),
              "Every sample's gradient was taken at the starting θ: update θ after each sample, and use the "
              "new θ for the next one."),
        Route(lambda X, y, theta, eta, order: _sgd(X, y, theta, eta, order, scale=1.0),
              "Missing the 2 of 2·xᵢ(xᵢᵀθ − yᵢ)."),
        Route(lambda X, y, theta, eta, order: _sgd(X, y, theta, eta, order, scale=2.0 / len(y)),
              "One sample's gradient has no 1/m: it is 2·xᵢ(xᵢᵀθ − yᵢ)."),
        Route(lambda X, y, theta, eta, order: _sgd(X, y, theta, eta, order, sign=1),
              "You added the gradient: each step is θ − η·2xᵢ(xᵢᵀθ − yᵢ)."),
        Route(lambda X, y, theta, eta, order: _sgd(X, y, theta[:, None], eta, order),
              "θ became a (d, 1) column: θ minus a flat (d,) step then broadcasts to a (d, d) matrix. Keep θ "
              "1-D (no reshape(-1, 1) or [:, None])."),
    ),
    errors=(COLUMN_ERROR,),
    keep_dtype=True, rtol=1e-9, rtol32=2e-3,
    hint="for i in order: compute 2·X[i]·(X[i] @ theta − y[i]) and subtract η times it from θ.",
    faster="keep the loop over order; inside it, X[i] @ theta and 2 * X[i] * (…) replace loops over features",
)

# --- minibatch_epoch --------------------------------------------------------------------------


def _minibatch_cases(rng) -> list[Case]:
    s = [draw_seed(rng) for _ in range(2)]
    X1, X2, X3, X4, X5 = (_design(rng, 6, 2), _design(rng, 7, 2), _design(rng, 4, 2), _design(rng, 5, 2),
                          _design(rng, 6, 3))
    return [
        small("6 samples, batches of 2", X=X1, y=halves(rng, 6), theta=halves(rng, 2, -2, 2), eta=_eta(X1),
              batch_size=2, order=rng.permutation(6)),
        small("7 samples, batches of 3", hint="7 samples in batches of 3: the last batch has only 1 sample, "
                                              "and its gradient averages over that 1.",
              X=X2, y=halves(rng, 7), theta=np.zeros(2), eta=_eta(X2), batch_size=3, order=rng.permutation(7)),
        small("batches of 1", X=X3, y=halves(rng, 4), theta=halves(rng, 2, -2, 2), eta=_eta(X3, True),
              batch_size=1, order=rng.permutation(4)),
        small("one batch of all", X=X4, y=halves(rng, 5), theta=halves(rng, 2, -2, 2), eta=_eta(X4),
              batch_size=5, order=rng.permutation(5)),
        small("float32", X=X5.astype(np.float32), y=halves(rng, 6).astype(np.float32),
              theta=np.zeros(3, dtype=np.float32), eta=_eta(X5), batch_size=4, order=rng.permutation(6)),
        seeded("not contiguous", s[0], """
            X = rng.standard_normal((9, 6))[:, ::2]     # strided views
            y = rng.standard_normal(18)[::2]
            theta = rng.standard_normal(3)
            eta = 0.02
            batch_size = 4
            order = rng.permutation(9)[::-1]
        """),
        seeded("large", s[1], """
            X = rng.standard_normal((4000, 20))
            y = X @ rng.standard_normal(20) + rng.standard_normal(4000)
            theta = np.zeros(20)
            eta = 0.02
            batch_size = 32
            order = rng.permutation(4000)
        """, timed=True),
    ]


def _minibatch_ref(X, y, theta, eta, batch_size, order):
    return minibatch_gd(X[order], y[order], batch_size=batch_size, epochs=1, eta=eta, theta0=theta,
                        shuffle=False).theta


def _batches(X, y, theta, eta, batch_size, order, divide=len, drop_last=False, sign=-1):
    theta = theta.astype(X.dtype, copy=True)
    with np.errstate(all="ignore"):
        for k in range(0, len(order), batch_size):
            batch = order[k:k + batch_size]
            if drop_last and len(batch) < batch_size:
                break
            Xb, yb = X[batch], y[batch]
            theta = theta + sign * eta * (2 / divide(batch)) * (Xb.T @ (Xb @ theta - yb))
    return theta


MINIBATCH_EPOCH = Exercise(
    name="minibatch_epoch", args=("X", "y", "theta", "eta", "batch_size", "order"),
    title="One epoch of mini-batch gradient descent.",
    doc=f"""
X           (m, d) design matrix, used as given
y           (m,) targets
theta       (d,) parameters at the start of the epoch
eta         the learning rate η (constant)
batch_size  samples per mini-batch (the last batch may be smaller)
order       (m,) int array: the samples in the order to batch them

Returns θ after one pass: for each batch B = order[k : k + batch_size],
k = 0, batch_size, 2·batch_size, …
    θ ← θ − η · (2/|B|) · X_Bᵀ(X_Bθ − y_B)      (|B| = len(B))
each step from the θ the previous step gave.
{_KEEP}
""",
    example="X = np.array([[1.0, 0.0], [1.0, 1.0], [1.0, 2.0]])\ny = np.array([1.0, 3.0, 5.0])\n"
            "theta = np.zeros(2)\neta = 0.1\nbatch_size = 2\norder = np.array([2, 0, 1])",
    model='''def minibatch_epoch(X, y, theta, eta, batch_size, order):
    for k in range(0, len(order), batch_size):
        batch = order[k:k + batch_size]   # the last may be shorter
        Xb, yb = X[batch], y[batch]
        gradient = (2 / len(batch)) * (Xb.T @ (Xb @ theta - yb))
        theta = theta - eta * gradient   # a new array: the caller's is kept
    return theta
''',
    cases=_minibatch_cases,
    reference=_minibatch_ref,
    mistakes=(
        Route(lambda X, y, theta, eta, b, order: _batches(X, y, theta, eta, b, order, divide=lambda _: b),
              "The last batch has fewer samples: average over len(batch), not batch_size."),
        Route(lambda X, y, theta, eta, b, order: _batches(X, y, theta, eta, b, order, drop_last=True),
              "The last, shorter batch was skipped: range(0, m, batch_size) includes it."),
        Route(lambda X, y, theta, eta, b, order: _minibatch_ref(X, y, theta, eta, b, np.arange(len(y))),
              "You batched the samples in index order: batch B is order[k:k + batch_size]."),
        Route(lambda X, y, theta, eta, b, order: _batches(X, y, theta, eta, b, order, divide=lambda _: len(y)),
              "You divided by m: a mini-batch's gradient averages over its own samples, 2/|B|."),
        Route(lambda X, y, theta, eta, b, order: _batches(X, y, theta, eta, b, order, divide=lambda B: 2 * len(B)),
              "Missing the 2 of the gradient: (2/|B|)·X_Bᵀ(X_Bθ − y_B)."),
        Route(lambda X, y, theta, eta, b, order: _batches(X, y, theta, eta, b, order, sign=1),
              "You added the gradient: each step is θ − η·(2/|B|)·X_Bᵀ(X_Bθ − y_B)."),
        Route(lambda X, y, theta, eta, b, order: _step(X, y, theta, eta),
              "That is one full-batch step: mini-batch GD updates θ after each batch."),
        Route(lambda X, y, theta, eta, b, order: _batches(X, y[:, None], theta, eta, b, order), COLUMN),
        Route(lambda X, y, theta, eta, b, order: _batches(X, y, theta[:, None], eta, b, order), COLUMN),
    ),
    errors=(COLUMN_ERROR,),
    keep_dtype=True, rtol=1e-9, rtol32=2e-3,
    hint="for k in range(0, len(order), batch_size): batch = order[k:k + batch_size], then one GD step on it.",
    faster="keep the loop over batches; inside it, Xb @ theta - yb and Xb.T @ r replace loops over samples "
           "and features",
)

EXERCISES = (GD_STEP, BATCH_GD, SGD_EPOCH, MINIBATCH_EPOCH)
