"""The mse and normal-equation topics against NumPy, on textbook data and on user params."""
import json
from fractions import Fraction

import numpy as np
import pytest

from drills import generate
from drills.cli import main
from drills.render import render_block
from grader import grade_part
from grader.values import from_json
from tests.conftest import params_error


def answer(problem, label_start: str):
    """The exact answer of the part whose label starts with `label_start`."""
    part = next(p for p in problem.parts if p.label.startswith(label_start))
    return from_json(part.answer, part.kind)


def part_of(problem, label_start: str):
    return next(p for p in problem.parts if p.label.startswith(label_start))


def with_bias(X) -> np.ndarray:
    X = np.asarray(X, dtype=float)
    return np.c_[np.ones(len(X)), X]


def exact_text(values) -> str:
    """Floats from NumPy typed back as exact fractions, the way a careful learner would."""
    return json.dumps([str(Fraction(float(v)).limit_denominator(1000)) for v in values])


# --- mse -------------------------------------------------------------------------------------

MSE_CASES = [
    {"X": [[1], [2], [3]], "y": [3, 5, 4], "theta": [1, 1]},
    {"X": [[2, 0], [1, -1], [0, 3], [4, 1]], "y": [1, 0, 2, 5], "theta": [0.5, 1, -2]},
    {"X": [[0.5], [1.5]], "y": [1, 2], "theta": ["1/3", 2]},
]


@pytest.mark.parametrize("params", MSE_CASES)
def test_mse_matches_numpy(params):
    theta = np.array([float(Fraction(str(t))) for t in params["theta"]])
    yhat = with_bias(params["X"]) @ theta
    r = yhat - np.asarray(params["y"], dtype=float)
    free = generate("mse", "free-response", params=params)
    assert np.allclose([float(v) for v in answer(free, "ŷ")], yhat)
    assert float(answer(free, "MSE")) == pytest.approx(np.mean(r ** 2))
    blanks = generate("mse", "fill-in", params=params)
    assert np.allclose([float(v) for v in answer(blanks, "r =")], r)
    assert np.allclose([float(v) for v in answer(blanks, "the squared errors")], r ** 2)


def test_mse_of_the_house_price_notes_is_recomputed_not_copied():
    # The seed notes' table: θ₀ = 30K, θ₁ = 130 predicts 160K … 355K; the notes say MSE = 127.5M.
    params = {"X": [[1000], [1500], [2000], [2500]], "y": [150000, 210000, 290000, 350000],
              "theta": [30000, 130]}
    problem = generate("mse", "free-response", params=params)
    expected = np.mean((with_bias(params["X"]) @ params["theta"] - params["y"]) ** 2)
    assert answer(problem, "ŷ") == [160000, 225000, 290000, 355000]
    assert float(answer(problem, "MSE")) == expected == 87_500_000
    assert expected != 127_500_000     # the notes' figure is wrong


def test_theta_0_is_the_intercept_in_mse():
    at_zero = generate("mse", "free-response", params={"X": [[0], [0], [0]], "y": [1, 2, 3], "theta": [7, 3]})
    assert answer(at_zero, "ŷ") == [7, 7, 7]
    shifted = generate("mse", "free-response", params={"X": [[1], [2]], "y": [0, 0], "theta": [10, 1]})
    assert answer(shifted, "ŷ") == [11, 12]


def test_mse_fill_in_draws_distinct_rows_so_no_shown_prediction_gives_a_blank_away():
    # seed 11 once drew X = [[-3], [-2], [5], [-3]]: ŷ₄ printed in full was blank (a), ŷ₁
    for seed in range(400):
        X = generate("mse", "fill-in", seed=seed).params["X"]
        assert len({tuple(row) for row in X}) == len(X), (seed, X)


def test_mse_worked_squares_read_as_numbers_and_the_learn_page_keeps_the_gradient():
    prompt = generate("mse", "example", params={"X": [[1], [2], [3]], "y": [3, 5, 4], "theta": [1, 1]}).prompt
    assert "The squared residuals are r₁² = 1, r₂² = 4 and r₃² = 0." in " ".join(prompt.split())
    note = " ".join(render_block("mse/learn.j2", "note", {}, "text").split())
    assert "flips the gradient" not in note
    assert "The gradient stays the same vector, but written with y - ŷ it needs a minus sign" in note


def test_mse_diagnoses_on_user_params():
    params = {"X": [[1], [2], [3]], "y": [2, 2, 7], "theta": [1, 1]}     # residuals 0, 1, −3
    mse = part_of(generate("mse", "free-response", params=params), "MSE")
    assert grade_part(mse, "10/3").score == 1
    assert "divide by m = 3" in grade_part(mse, "10").diagnosis
    assert "m − 1" in grade_part(mse, "5").diagnosis
    assert "mean residual" in grade_part(mse, "-2/3").diagnosis
    yhat = part_of(generate("mse", "free-response", params=params), "ŷ")
    assert "intercept θ₀ is missing" in grade_part(yhat, "[1, 2, 3]").diagnosis
    r = part_of(generate("mse", "fill-in", params=params), "r =")
    assert "y − ŷ" in grade_part(r, "[0, -1, 3]").diagnosis


def test_mse_study_scores_stay_within_0_to_100_points():
    """The "study" story gives exam scores in points: targets and predictions lie in 0..100
    (seeds 62, 256, 308 and 415 drew a score above 100 before)."""
    seen = 0
    for seed in range(500):
        problem = generate("mse", "free-response", seed=seed)
        if problem.params.get("story") == "study":
            seen += 1
            scores = problem.params["y"] + problem.parts[0].answer
            assert 0 <= min(scores) and max(scores) <= 100, seed
    assert seen >= 50


def test_mse_accepts_a_flat_x_for_one_feature_and_normalises_it():
    problem = generate("mse", "free-response", params={"X": [1, 2, 3], "y": [3, 5, 4], "theta": [1, 1]})
    assert problem.params["X"] == [[1], [2], [3]]
    assert generate("mse", "free-response", params=problem.params).to_dict() == problem.to_dict()


@pytest.mark.parametrize("params,message", [
    ({"X": [[1, 2], [3]], "y": [1, 2], "theta": [0, 1, 1]}, "ragged"),
    ({"X": [[1], [2], [3]], "y": [1, 2], "theta": [0, 1]}, "X has 3 rows (one per instance) but y has 2 entries"),
    ({"X": [[1], [2]], "y": [1, 2], "theta": [1]}, "theta needs 2 entries (θ₀, the intercept, first); it has 1"),
    ({"X": [[1, 1], [1, 2]], "y": [1, 2], "theta": [1, 2]}, "; leave the column of 1s out of X"),
    ({"X": [[1, 2, 3, 4]], "y": [1], "theta": [0, 1, 1, 1, 1]}, "handles 1 to 3"),
    ({"X": [[1]], "y": [1], "theta": [0, 1], "story": "houses-age"}, "story 'houses-age' has 2 feature(s)"),
    ({"X": [[1]], "y": [1], "theta": [0, 1], "w": 3}, "unknown param 'w'"),
    ({"X": [[1]], "y": [1]}, "params need 'theta'"),
])
def test_mse_invalid_params_say_what_is_wrong(params, message):
    assert message in params_error("mse", params)


# --- normal-equation -------------------------------------------------------------------------

FIT_CASES = [
    {"X": [[0], [1], [2]], "y": [1, 3, 4]},
    {"X": [[1], [2], [3], [4], [5]], "y": [2.5, 3, 5, 4.5, 7]},
    {"X": [[0, 1], [1, 0], [2, 2], [3, 1], [1, 3]], "y": [1, 2, 6, 5, 4]},
    {"X": [["1/2", 1], [2, -1], [0, 0], [1, 1]], "y": [3, -1, 0, 2]},
]


@pytest.mark.parametrize("params", FIT_CASES)
def test_normal_equation_agrees_with_lstsq(params):
    X = [[float(Fraction(str(v))) for v in row] for row in params["X"]]
    Xb, y = with_bias(X), np.asarray(params["y"], dtype=float)
    expected = np.linalg.lstsq(Xb, y, rcond=None)[0]
    problem = generate("normal-equation", "fill-in", params=params)
    assert np.allclose([float(v) for v in answer(problem, "θ")], expected)
    assert np.allclose(np.array(answer(problem, "X_bᵀX_b"), dtype=float), Xb.T @ Xb)
    assert np.allclose([float(v) for v in answer(problem, "X_bᵀy")], Xb.T @ y)
    assert np.allclose(np.array(answer(problem, "(X_bᵀX_b)⁻¹"), dtype=float), np.linalg.inv(Xb.T @ Xb))
    assert float(answer(problem, "det")) == pytest.approx(np.linalg.det(Xb.T @ Xb))


def test_sampled_fits_agree_with_lstsq_and_leave_orthogonal_residuals():
    for seed in range(40):
        problem = generate("normal-equation", "free-response", seed=seed)
        Xb, y = with_bias(problem.params["X"]), np.asarray(problem.params["y"], dtype=float)
        theta = np.array([float(v) for v in answer(problem, "θ")])
        assert np.allclose(theta, np.linalg.lstsq(Xb, y, rcond=None)[0]), problem.id
        assert np.allclose(Xb.T @ (Xb @ theta - y), 0), problem.id
        assert np.any(np.abs(Xb @ theta - y) > 1e-9), problem.id      # a fit, not an interpolation


def test_theta_0_is_the_intercept_of_the_fit():
    x, y = [1, 2, 4, 5], [4, 7, 12, 15]
    problem = generate("normal-equation", "free-response", params={"X": [[v] for v in x], "y": y})
    slope = np.cov(x, y, bias=True)[0, 1] / np.var(x)
    intercept = np.mean(y) - slope * np.mean(x)
    assert [float(v) for v in answer(problem, "θ")] == pytest.approx([intercept, slope])


def test_normal_equation_diagnoses_on_user_params():
    params = {"X": [[1], [2], [3], [4]], "y": [2, 3, 5, 6]}
    theta = part_of(generate("normal-equation", "free-response", params=params), "θ")
    exact = np.linalg.lstsq(with_bias(params["X"]), np.array(params["y"], float), rcond=None)[0]
    assert grade_part(theta, exact_text(exact)).score == 1
    through_origin = np.linalg.lstsq(np.array(params["X"], float), np.array(params["y"], float), rcond=None)[0]
    assert "no intercept" in grade_part(theta, exact_text(through_origin)).diagnosis
    assert "comes first" in grade_part(theta, exact_text(exact[::-1])).diagnosis
    gram = part_of(generate("normal-equation", "fill-in", params=params), "X_bᵀX_b")
    assert "without the bias column" in grade_part(gram, "[[30]]").diagnosis
    assert "sum of the squares" in grade_part(gram, "[[4, 10], [10, 100]]").diagnosis


@pytest.mark.parametrize("params,message", [
    ({"X": [[1, 2], [3]], "y": [1, 2]}, "ragged"),
    ({"X": [[1], [2], [3]], "y": [1, 2]}, "X has 3 rows (one per instance) but y has 2 entries"),
    ({"X": [[2], [2], [2]], "y": [1, 2, 3]}, "feature 1 is 2 in every row"),
    ({"X": [[1, 3], [1, 5], [1, 7]], "y": [1, 2, 3]}, "give X without the bias column"),
    ({"X": [[1, 2], [2, 4], [3, 6], [4, 8]], "y": [1, 2, 3, 4]}, "singular (det = 0)"),
    ({"X": [[1, 3], [2, 5], [3, 7], [5, 11]], "y": [1, 2, 3, 4]}, "linearly dependent"),
    ({"X": [[1, 2, 3], [4, 5, 6], [7, 8, 10], [1, 1, 1]], "y": [1, 2, 3, 4]}, "handles 1 to 2"),
    ({"X": [[1, 2], [3, 4]], "y": [1, 2]}, "needs at least 3 points"),
    ({"X": [[1], [2]], "y": [1, 2], "theta": [0, 1]}, "unknown param 'theta'"),
])
def test_normal_equation_invalid_params_say_what_is_wrong(params, message):
    assert message in params_error("normal-equation", params)


def test_singular_params_on_the_command_line_are_one_line_exit_1(capsys):
    code = main(["generate", "--topic", "normal-equation", "--params", '{"X": [[3], [3], [3]], "y": [1, 2, 3]}'])
    out, err = capsys.readouterr()
    assert code == 1 and not out
    assert err.strip().count("\n") == 0 and "singular" in err
