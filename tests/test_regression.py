"""Closed-form regression solvers against numpy.linalg.lstsq, on NumPy and (with a GPU) on CuPy."""
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

from grader.reference import backend
from grader.reference.regression import (
    IllConditionedWarning, RankDeficientWarning, SolverInputError, add_bias, check_inputs,
    condition_number, lstsq, max_condition, mse, mse_gradient, normal_equation, pinv, predict,
    svd_solve,
)

SOLVERS = [normal_equation, lstsq, svd_solve]
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(params=["numpy", "cupy"])
def xp(request):
    if request.param == "numpy":
        return np
    cupy = pytest.importorskip("cupy")
    if not backend.gpu_available():
        pytest.skip("no GPU")
    return cupy


def host(a) -> np.ndarray:
    return backend.to_numpy(a)


def rel(a, b) -> float:
    a, b = host(a), host(b)
    return float(np.linalg.norm(a - b) / np.linalg.norm(b))


def reference(X, y) -> np.ndarray:
    return np.linalg.lstsq(host(X), host(y), rcond=None)[0]


def with_spectrum(rng, m, sigmas) -> np.ndarray:
    """An m × d matrix U·diag(σ)·Vᵀ with the given singular values."""
    d = len(sigmas)
    U, _ = np.linalg.qr(rng.standard_normal((m, d)))
    V, _ = np.linalg.qr(rng.standard_normal((d, d)))
    return (U * sigmas) @ V.T


def book_data():
    """Hands-On ML ch. 4: np.random.seed(42); X = 2·rand(100, 1); y = 4 + 3X + randn(100, 1)."""
    rs = np.random.RandomState(42)      # the book's draws without touching the global state
    X = 2 * rs.rand(100, 1)
    return X, 4 + 3 * X + rs.randn(100, 1)


# --- agreement with numpy.linalg.lstsq --------------------------------------------------------

@pytest.mark.parametrize("solve", SOLVERS)
@pytest.mark.parametrize("m, d", [(20, 1), (50, 3), (200, 8), (6, 6)])
def test_solvers_agree_with_numpy_lstsq(xp, solve, m, d):
    rng = np.random.default_rng(m * 100 + d)
    X, y = rng.standard_normal((m, d)), rng.standard_normal(m)
    with warnings.catch_warnings():
        warnings.simplefilter("error")          # well-conditioned: no warning may be raised
        result = solve(xp.asarray(X), xp.asarray(y))
    assert result.theta.shape == (d,)
    assert backend.device_of(result.theta) == backend.device_of(xp.asarray(X))
    assert result.warnings == ()
    assert rel(result.theta, reference(X, y)) < 1e-10


def test_normal_equation_takes_the_cholesky_route_when_well_conditioned(xp):
    X, y = book_data()
    assert normal_equation(xp.asarray(add_bias(X)), xp.asarray(y)).method == "normal-equation"


@pytest.mark.parametrize("m, d", [(30, 1), (40, 4), (4, 7)])
def test_pinv_matches_numpy_and_solves(xp, m, d):
    rng = np.random.default_rng(7 + d)
    X, y = rng.standard_normal((m, d)), rng.standard_normal(m)
    P = pinv(xp.asarray(X))
    assert P.shape == (d, m)
    assert rel(P, np.linalg.pinv(X)) < 1e-10
    assert rel(P @ xp.asarray(y), reference(X, y)) < 1e-10


@pytest.mark.parametrize("solve", SOLVERS)
def test_book_data_gives_the_book_theta(xp, solve):
    X, y = book_data()
    theta = host(solve(xp.asarray(add_bias(X)), xp.asarray(y)).theta)   # y is a (100, 1) column
    assert np.abs(theta - [4.215, 2.770]).max() < 5e-4
    assert np.abs(host(pinv(xp.asarray(add_bias(X))) @ xp.asarray(y.ravel())) - theta).max() < 1e-10


# --- ill-conditioned and rank-deficient X -----------------------------------------------------

def ill_conditioned(rng):
    """cond(X) = 1e8 and an exact fit, so the true θ is known."""
    X = with_spectrum(rng, 100, np.logspace(0, -8, 4))
    theta = rng.standard_normal(4)
    return X, X @ theta, theta


def test_ill_conditioned_normal_equation_switches_to_lstsq(xp):
    X, y, theta_true = ill_conditioned(np.random.default_rng(1))
    assert condition_number(X) == pytest.approx(1e8, rel=1e-3)
    naive = np.linalg.solve(X.T @ X, X.T @ y)
    assert rel(naive, reference(X, y)) > 1e-3            # the case really defeats the plain route
    with pytest.warns(IllConditionedWarning, match=r"ill-conditioned.*lstsq"):
        result = normal_equation(xp.asarray(X), xp.asarray(y))
    assert result.method == "lstsq"
    assert "ill-conditioned" in result.warnings[0]
    assert rel(result.theta, reference(X, y)) < 1e-6
    assert rel(result.theta, theta_true) < 1e-6


@pytest.mark.parametrize("dtype, cond, switches", [
    (np.float64, 1e3, False), (np.float64, 1e5, True),
    (np.float32, 10.0, False), (np.float32, 1e3, True),
])
def test_switch_point_follows_the_dtype(xp, dtype, cond, switches):
    assert max_condition(np.float64) == 8192
    assert 50 < max_condition(np.float32) < 60
    rng = np.random.default_rng(3)
    X = with_spectrum(rng, 60, np.logspace(0, -np.log10(cond), 3)).astype(dtype)
    y = (X @ rng.standard_normal(3)).astype(dtype)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        result = normal_equation(xp.asarray(X), xp.asarray(y))
    assert (result.method == "lstsq") is switches
    assert any(issubclass(w.category, IllConditionedWarning) for w in caught) is switches


def test_rank_deficient_x_gives_the_minimum_norm_solution(xp):
    rng = np.random.default_rng(5)
    X = rng.standard_normal((40, 3))
    X = np.column_stack([X, X[:, 1]])                    # a duplicated column
    y = rng.standard_normal(40)
    expected = reference(X, y)
    for solve in SOLVERS:
        with pytest.warns(IllConditionedWarning) as caught:
            result = solve(xp.asarray(X), xp.asarray(y))
        assert any(issubclass(w.category, RankDeficientWarning)
                   and "rank 3 but 4 columns" in str(w.message) for w in caught)
        assert result.method in ("lstsq", "svd")
        assert any("minimum-norm" in w for w in result.warnings)
        theta = host(result.theta)
        assert rel(theta, expected) < 1e-8
        assert theta[1] == pytest.approx(theta[3], rel=1e-8)   # the weight is shared evenly


def test_columns_in_very_different_units_are_solved_accurately_without_warnings(xp):
    rng = np.random.default_rng(8)
    X = np.c_[np.ones(200), rng.uniform(1e12, 2e13, 200), rng.uniform(0.01, 0.1, 200)]   # dollars and a rate
    theta = np.array([3.0, 2e-12, 50.0])
    for solve in SOLVERS:
        with warnings.catch_warnings():
            warnings.simplefilter("error")                 # plain lstsq called this X rank 1
            result = solve(xp.asarray(X), xp.asarray(X @ theta))
        assert rel(host(result.theta), theta) < 1e-8
        assert result.method == {normal_equation: "normal-equation", lstsq: "lstsq", svd_solve: "svd"}[solve]


def test_nearly_dependent_columns_are_flagged(xp):
    rng = np.random.default_rng(9)
    a = rng.standard_normal(100)
    X = np.c_[np.ones(100), a, a + 1e-9 * rng.standard_normal(100)]
    for solve in (lstsq, svd_solve):
        with pytest.warns(IllConditionedWarning, match="nearly rank-deficient"):
            solve(xp.asarray(X), xp.asarray(a))


def test_more_features_than_samples_is_rank_deficient(xp):
    rng = np.random.default_rng(6)
    X, y = rng.standard_normal((4, 7)), rng.standard_normal(4)
    with pytest.warns(IllConditionedWarning):
        result = normal_equation(xp.asarray(X), xp.asarray(y))
    assert rel(result.theta, reference(X, y)) < 1e-10
    assert np.allclose(host(predict(xp.asarray(X), result.theta)), y)    # fits exactly


# --- dtypes ---------------------------------------------------------------------------------

def test_float32_stays_float32(xp):
    X, y = book_data()
    Xb32, y32 = xp.asarray(add_bias(X), dtype=np.float32), xp.asarray(y, dtype=np.float32)
    for solve in SOLVERS:
        theta = solve(Xb32, y32).theta
        assert theta.dtype == np.float32
        assert rel(theta, reference(add_bias(X), y).ravel()) < 1e-4
    assert pinv(Xb32).dtype == np.float32
    assert predict(Xb32, [4.0, 3.0]).dtype == np.float32
    assert mse_gradient(Xb32, y32, [4.0, 3.0]).dtype == np.float32
    assert add_bias(xp.asarray(X, dtype=np.float32)).dtype == np.float32


def test_integers_become_float64(xp):
    X = xp.asarray([[1, 1], [1, 2], [1, 3]])
    y = xp.asarray([1, 2, 2])
    theta = normal_equation(X, y).theta
    assert theta.dtype == np.float64
    assert np.allclose(host(theta), [2 / 3, 1 / 2])
    X_checked, y_checked = check_inputs(X, y)
    assert X_checked.dtype == y_checked.dtype == np.float64


# --- model, cost and gradient ---------------------------------------------------------------

def test_add_bias_prepends_ones(xp):
    assert host(add_bias(xp.asarray([2.0, 5.0]))).tolist() == [[1, 2], [1, 5]]
    assert host(add_bias(xp.asarray([[2.0, 3.0]]))).tolist() == [[1, 2, 3]]


def test_mse_and_gradient_by_hand(xp):
    X = xp.asarray([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]])
    y, theta = xp.asarray([1.0, 2.0, 2.0]), xp.asarray([0.5, 0.5])
    # ŷ = [1, 1.5, 2], residuals [0, −0.5, 0]
    assert host(predict(X, theta)).tolist() == [1.0, 1.5, 2.0]
    assert mse(X, y, theta) == pytest.approx(0.25 / 3)
    assert np.allclose(host(mse_gradient(X, y, theta)), [-1 / 3, -2 / 3])


def test_mse_and_gradient_match_the_sums(xp):
    rng = np.random.default_rng(11)
    X, y, theta = rng.standard_normal((30, 4)), rng.standard_normal(30), rng.standard_normal(4)
    m = len(y)
    errors = [sum(X[i, j] * theta[j] for j in range(4)) - y[i] for i in range(m)]
    expected_mse = sum(e * e for e in errors) / m
    expected_grad = [2 / m * sum(errors[i] * X[i, j] for i in range(m)) for j in range(4)]
    args = xp.asarray(X), xp.asarray(y), xp.asarray(theta)
    assert mse(*args) == pytest.approx(expected_mse, rel=1e-12)
    assert np.allclose(host(mse_gradient(*args)), expected_grad, rtol=1e-12, atol=0)


def test_gradient_matches_central_differences(xp):
    rng = np.random.default_rng(12)
    X, y, theta = rng.standard_normal((25, 3)), rng.standard_normal(25), rng.standard_normal(3)
    Xd, yd = xp.asarray(X), xp.asarray(y)
    h = 1e-6
    numeric = [(mse(Xd, yd, theta + h * e) - mse(Xd, yd, theta - h * e)) / (2 * h) for e in np.eye(3)]
    assert np.allclose(host(mse_gradient(Xd, yd, theta)), numeric, rtol=1e-6, atol=1e-8)


def test_gradient_vanishes_at_the_least_squares_solution(xp):
    X, y = book_data()
    Xb = xp.asarray(add_bias(X))
    theta = lstsq(Xb, xp.asarray(y)).theta
    assert np.abs(host(mse_gradient(Xb, xp.asarray(y), theta))).max() < 1e-12


# --- bad input ------------------------------------------------------------------------------

X5 = np.arange(10.0).reshape(5, 2)
WITH_NAN = np.array([[1.0, np.nan], [np.inf, 2.0], [3.0, -np.inf]])


@pytest.mark.parametrize("X, y, message", [
    (np.empty((0, 2)), np.empty(0), "X is empty"),
    (np.empty((3, 0)), np.zeros(3), "X is empty"),
    (WITH_NAN, np.zeros(3), "X has 3 NaN or infinite entries"),
    (X5, np.array([0.0, 1, np.nan, 3, 4]), "y has 1 NaN or infinite entry"),
    (X5, np.zeros(4), "X has 5 rows but y has 4 entries"),
    (np.zeros((2, 2, 2)), np.zeros(2), "X must be 1-D or 2-D, got 3-D"),
    (X5, np.zeros((5, 2)), "y must be 1-D (or one column), got shape (5, 2)"),
])
@pytest.mark.parametrize("solve", SOLVERS + [mse_gradient])
def test_bad_inputs_are_rejected_with_a_clear_message(xp, solve, X, y, message):
    args = (xp.asarray(X), xp.asarray(y)) + ((np.zeros(2),) if solve is mse_gradient else ())
    with pytest.raises(SolverInputError, match=re.escape(message)):
        solve(*args)


@pytest.mark.parametrize("theta, message", [
    ([1.0, 2.0, 3.0], "theta has 3 entries but X has 2 columns"),
    ([1.0], "theta has 1 entry but X has 2 columns"),
    ([1.0, np.nan], "theta has 1 NaN or infinite entry"),
])
@pytest.mark.parametrize("use", [
    lambda X, y, t: mse(X, y, t), lambda X, y, t: mse_gradient(X, y, t), lambda X, y, t: predict(X, t),
])
def test_theta_of_the_wrong_length_is_rejected(xp, use, theta, message):
    with pytest.raises(SolverInputError, match=re.escape(message)):
        use(xp.asarray(X5), xp.asarray(np.zeros(5)), xp.asarray(theta))


def test_unreadable_arrays_are_rejected():
    with pytest.raises(ValueError, match="not a rectangular array"):
        lstsq([[1.0, 2.0], [3.0]], [1.0, 2.0])
    with pytest.raises(SolverInputError, match="must hold real numbers"):
        normal_equation([["a", "b"]], [1.0])


def test_column_y_and_theta_are_accepted(xp):
    X, y = book_data()
    Xb = xp.asarray(add_bias(X))
    theta = lstsq(Xb, xp.asarray(y)).theta
    assert mse(Xb, xp.asarray(y), theta.reshape(-1, 1)) == pytest.approx(mse(Xb, y.ravel(), theta))


# --- CuPy stays out of NumPy work -----------------------------------------------------------

def test_solving_numpy_input_does_not_import_cupy():
    code = (
        "import sys, warnings, numpy as np\n"
        "from grader.reference.regression import add_bias, normal_equation, lstsq, svd_solve, mse_gradient\n"
        "rng = np.random.default_rng(0)\n"
        "X, y = add_bias(rng.standard_normal((20, 2))), rng.standard_normal(20)\n"
        "for solve in (normal_equation, lstsq, svd_solve):\n"
        "    solve(X, y)\n"
        "with warnings.catch_warnings():\n"
        "    warnings.simplefilter('ignore')\n"
        "    normal_equation(np.column_stack([X, X[:, 1]]), y)\n"
        "mse_gradient(X, y, np.zeros(3))\n"
        "print('cupy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
