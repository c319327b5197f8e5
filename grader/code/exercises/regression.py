"""Write it yourself: the MSE cost (with the bias), its gradient, and the normal equation."""
from __future__ import annotations

import numpy as np

from grader.code.exercise import Case, Exercise, Forbidden, Route, draw_seed, halves, seeded, small
from grader.reference import regression as ref

_BIAS_HINT = ("X has n columns but θ has n + 1 entries, the first being the intercept θ₀: put a column of "
              "ones in front of X (np.c_[np.ones(len(X)), X]), or add θ[0] to X @ θ[1:].")
_SHAPE_ERRORS = (("mismatch", _BIAS_HINT), ("not aligned", _BIAS_HINT))
# y or θ as an (m, 1) or (d, 1) column: shared with the gradient-descent exercises
COLUMN = ("y or θ became a column, (m, 1) or (d, 1): then Xθ − y is an (m, m) matrix, as a column minus "
          "a flat vector broadcasts. Keep y and θ 1-D (no reshape(-1, 1) or [:, None]).")
COLUMN_ERROR = ("could not be broadcast", "Two shapes did not fit together. If y or θ became a column, (m, 1) "
                "or (d, 1), Xθ − y is an (m, m) matrix: keep them 1-D (no reshape(-1, 1) or [:, None]). If you "
                "multiplied X by the residuals entry by entry (X * r), X.T @ r sums over the samples.")


def _with_bias(X):
    return np.c_[np.ones(len(X)), X]


def _bias_last(X):
    return np.c_[X, np.ones(len(X))]


def _features(rng, m: int, n: int) -> np.ndarray:
    """Features whose design matrix [1 | X] is comfortably well-conditioned (m > n)."""
    while True:
        X = halves(rng, (m, n))
        if np.linalg.matrix_rank(_with_bias(X)) == n + 1 and np.linalg.cond(_with_bias(X)) < 30:
            return X


# --- mse --------------------------------------------------------------------------------------

def _mse_cases(rng) -> list[Case]:
    s = [draw_seed(rng) for _ in range(2)]
    X = _features(rng, 4, 2)
    theta = halves(rng, 3, -2, 2)
    return [
        small("4 samples, 2 features", X=_features(rng, 4, 2), y=halves(rng, 4), theta=halves(rng, 3, -2, 2)),
        small("one sample", X=halves(rng, (1, 2)), y=halves(rng, 1), theta=halves(rng, 3, -2, 2)),
        small("one feature", X=halves(rng, (5, 1)), y=halves(rng, 5), theta=halves(rng, 2, -2, 2)),
        small("exact fit", X=X, y=_with_bias(X) @ theta, theta=theta),
        small("θ = 0", X=_features(rng, 3, 2), y=halves(rng, 3), theta=np.zeros(3)),
        small("float32", X=_features(rng, 4, 2).astype(np.float32), y=halves(rng, 4).astype(np.float32),
              theta=halves(rng, 3, -2, 2).astype(np.float32)),
        seeded("not contiguous", s[0], """
            X = rng.standard_normal((8, 6))[:, ::2]     # strided views
            y = rng.standard_normal(16)[::2]
            theta = rng.standard_normal(4)
        """),
        seeded("large", s[1], """
            X = rng.standard_normal((3000, 20))
            y = rng.standard_normal(3000)
            theta = rng.standard_normal(21)
        """, timed=True),
    ]


MSE = Exercise(
    name="mse", args=("X", "y", "theta"),
    title="The mean squared error of a linear model with an intercept.",
    doc="""
X      (m, n) features, without a bias column
y      (m,) targets
theta  (n + 1,) parameters: theta[0] the intercept θ₀, theta[1:]
       the weights

Returns the MSE, a float:
    ŷ = θ₀ + X·θ[1:]   (X_b·θ with X_b = [1 | X], ones in front)
    MSE = (1/m) Σᵢ (ŷᵢ − yᵢ)²
Leave the inputs unchanged.
""",
    example="X = np.array([[1.0], [2.0], [3.0], [4.0]])\ny = np.array([3.0, 5.0, 6.0, 9.0])\n"
            "theta = np.array([1.0, 2.0])",
    model='''def mse(X, y, theta):
    X_b = np.c_[np.ones(len(X)), X]     # [1 | X]: θ[0] times the ones
    residuals = X_b @ theta - y         # ŷ − y, shape (m,)
    return float(np.mean(residuals ** 2))
''',
    cases=_mse_cases,
    reference=lambda X, y, theta: ref.mse(ref.add_bias(X), y, theta),
    mistakes=(
        Route(lambda X, y, theta: ref.mse(X, y, theta[1:]),
              "You left out the intercept θ₀: ŷ = θ₀ + X·θ[1:] (a column of ones in front of X)."),
        Route(lambda X, y, theta: ref.mse(_bias_last(X), y, theta),
              "Your column of ones is last, so θ[0] multiplied the first feature: the ones go first, "
              "θ[0] is the intercept."),
        Route(lambda X, y, theta: len(y) * ref.mse(ref.add_bias(X), y, theta),
              "That is the sum of the squared errors: divide by m for the mean."),
        Route(lambda X, y, theta: ref.mse(ref.add_bias(X), y, theta) / 2,
              "That is ½·MSE, the 1/(2m) cost some courses use: the MSE is (1/m)·Σ (ŷᵢ − yᵢ)²."),
        Route(lambda X, y, theta: np.sqrt(ref.mse(ref.add_bias(X), y, theta)),
              "That is the RMSE, √MSE: leave out the square root."),
        Route(lambda X, y, theta: np.mean(np.abs(ref.add_bias(X) @ theta - y)),
              "That is the mean absolute error: square the residuals."),
        Route(lambda X, y, theta: np.mean((ref.add_bias(X) @ theta - y[:, None]) ** 2),
              "ŷ − y became an m × m matrix: an (m, 1) column minus an (m,) vector broadcasts. Keep both 1-D."),
    ),
    errors=_SHAPE_ERRORS,
    number=True, rtol=1e-9, rtol32=1e-3,
    hint="Make X_b = np.c_[np.ones(len(X)), X]; then the residuals are X_b @ theta - y.",
    faster="the residuals are X_b @ theta - y, and np.mean(r ** 2) is their mean square, without a loop",
)

# --- mse_gradient -----------------------------------------------------------------------------


def _gradient_cases(rng) -> list[Case]:
    s = [draw_seed(rng) for _ in range(2)]
    Xb = _with_bias(_features(rng, 4, 1))
    theta = halves(rng, 2, -2, 2)
    return [
        small("4 samples with a bias column", X=_with_bias(_features(rng, 4, 1)), y=halves(rng, 4),
              theta=halves(rng, 2, -2, 2)),
        small("one sample", X=halves(rng, (1, 3)), y=halves(rng, 1), theta=halves(rng, 3, -2, 2)),
        small("one feature", X=halves(rng, (5, 1)), y=halves(rng, 5), theta=halves(rng, 1, -2, 2)),
        small("at the minimum", X=Xb, y=Xb @ theta, theta=theta),
        small("float32", X=_with_bias(_features(rng, 4, 2)).astype(np.float32), y=halves(rng, 4).astype(np.float32),
              theta=halves(rng, 3, -2, 2).astype(np.float32)),
        seeded("not contiguous", s[0], """
            X = rng.standard_normal((8, 6))[:, ::2]     # strided views
            y = rng.standard_normal(16)[::2]
            theta = rng.standard_normal(3)
        """),
        seeded("large", s[1], """
            X = rng.standard_normal((3000, 20))
            y = rng.standard_normal(3000)
            theta = rng.standard_normal(20)
        """, timed=True),
    ]


def _residual(X, y, theta):
    return X @ theta - y


MSE_GRADIENT = Exercise(
    name="mse_gradient", args=("X", "y", "theta"),
    title="The gradient of the MSE with respect to θ.",
    doc="""
X      (m, d) design matrix, used as given (its first column is the
       ones of the bias when the model has an intercept)
y      (m,) targets
theta  (d,) parameters

Returns ∇MSE(θ), a (d,) array in X's dtype:
    ∇MSE(θ) = (2/m) · Xᵀ(Xθ − y)
Leave the inputs unchanged.
""",
    example="X = np.array([[1.0, 1.0], [1.0, 2.0]])\ny = np.array([2.0, 3.0])\ntheta = np.array([0.0, 1.0])",
    model='''def mse_gradient(X, y, theta):
    m = len(y)
    return (2 / m) * (X.T @ (X @ theta - y))      # (d, m) @ (m,) -> (d,)
''',
    cases=_gradient_cases,
    reference=ref.mse_gradient,
    mistakes=(
        Route(lambda X, y, theta: X.T @ _residual(X, y, theta),
              "Missing the 2/m in front: ∇MSE = (2/m)·Xᵀ(Xθ − y)."),
        Route(lambda X, y, theta: X.T @ _residual(X, y, theta) / len(y),
              "Missing the 2 (from the derivative of the square): ∇MSE = (2/m)·Xᵀ(Xθ − y)."),
        Route(lambda X, y, theta: 2 * X.T @ _residual(X, y, theta),
              "Missing the 1/m of the mean: ∇MSE = (2/m)·Xᵀ(Xθ − y)."),
        Route(lambda X, y, theta: -ref.mse_gradient(X, y, theta),
              "The residual's sign is flipped: Xθ − y, not y − Xθ (the gradient points uphill)."),
        Route(lambda X, y, theta: (2 / len(y)) * X.T @ (X @ theta - y[:, None]), COLUMN),
        Route(lambda X, y, theta: (2 / len(y)) * X.T @ (X @ theta[:, None] - y), COLUMN),
    ),
    errors=(("mismatch", "The residual Xθ − y has m entries: multiply it by Xᵀ (X.T, d × m) to get d numbers, "
                         "one per parameter."), COLUMN_ERROR),
    keep_dtype=True, rtol=1e-9, rtol32=1e-3,
    hint="The residuals are X @ theta - y; multiply by X.T, then by 2/m.",
    faster="the residuals are r = X @ theta - y, and X.T @ r sums them into the gradient, without a loop",
)

# --- normal equation --------------------------------------------------------------------------


def _normal_cases(rng) -> list[Case]:
    s = [draw_seed(rng) for _ in range(2)]
    x = np.sort(rng.choice(np.arange(-3.0, 5.0), size=4, replace=False))
    b, w = halves(rng, 2, -3, 3)
    X2 = _features(rng, 3, 2)
    return [
        small("one feature", X=_features(rng, 5, 1), y=halves(rng, 5)),
        small("two features", X=_features(rng, 6, 2), y=halves(rng, 6)),
        small("a line through the points", X=x.reshape(-1, 1), y=b + w * x),
        small("as many samples as parameters", X=X2, y=halves(rng, 3)),
        small("float32", X=_features(rng, 6, 2).astype(np.float32), y=halves(rng, 6).astype(np.float32)),
        seeded("not contiguous", s[0], """
            X = rng.standard_normal((10, 6))[:, ::2]     # strided views
            y = rng.standard_normal(20)[::2]
        """),
        seeded("large", s[1], """
            X = rng.standard_normal((2000, 20))
            y = X @ rng.standard_normal(20) + 3 + rng.standard_normal(2000)
        """, timed=True),
    ]


NORMAL_EQUATION = Exercise(
    name="normal_equation", args=("X", "y"),
    title="The least-squares θ of a linear model, by the normal equation.",
    doc="""
X  (m, n) features, without a bias column (m > n, independent columns)
y  (m,) targets

Returns θ, an (n + 1,) array: θ[0] the intercept, θ[1:] the weights,
    X_b = [1 | X]              (a column of ones in front)
    θ = (X_bᵀX_b)⁻¹ X_bᵀ y
np.linalg.inv or np.linalg.solve are fine; np.linalg.lstsq and pinv
are not. Leave the inputs unchanged.
""",
    example="X = np.array([[0.0], [1.0], [2.0]])\ny = np.array([1.0, 3.0, 5.0])",
    model='''def normal_equation(X, y):
    X_b = np.c_[np.ones(len(X)), X]     # [1 | X]: θ[0] is the intercept
    return np.linalg.solve(X_b.T @ X_b, X_b.T @ y)   # (X_bᵀX_b) θ = X_bᵀy
''',
    cases=_normal_cases,
    reference=lambda X, y: ref.normal_equation(ref.add_bias(X), y).theta,
    mistakes=(
        Route(lambda X, y: ref.normal_equation(X, y).theta,
              "θ has n entries, not n + 1: you forgot the column of ones, so there is no intercept θ₀."),
        Route(lambda X, y: np.roll(ref.normal_equation(ref.add_bias(X), y).theta, -1),
              "Your intercept came out last: put the column of ones first, so θ[0] is the intercept."),
        Route(lambda X, y: ref.add_bias(X).T @ y,
              "That is X_bᵀy alone: θ = (X_bᵀX_b)⁻¹ X_bᵀy (or solve (X_bᵀX_b)·θ = X_bᵀy)."),
    ),
    forbidden=(Forbidden(("lstsq", "pinv"), "lstsq and pinv solve least squares for you: the exercise is "
                                            "θ = (XᵀX)⁻¹Xᵀy itself (np.linalg.inv or solve are fine)"),),
    errors=(("singular", "XᵀX came out singular: did you add the column of ones once (not twice)?"),),
    rtol=1e-7, rtol32=5e-3,
    hint="X_b = np.c_[np.ones(len(X)), X]; then solve (X_b.T @ X_b) θ = X_b.T @ y.",
    faster="X_b.T @ X_b and X_b.T @ y, then np.linalg.solve, need no loop",
)

EXERCISES = (MSE, MSE_GRADIENT, NORMAL_EQUATION)
