"""partial-derivatives and gradient: user params, answers checked against independent
differentiation (SymPy here, never in the product's fast path), and clear param errors."""
from fractions import Fraction

import numpy as np
import pytest
import sympy

from drills import generate
from grader import equivalent, grade, grade_part
from tests.conftest import params_error

W, B, X, Y = sympy.symbols("w b x y")


def answers(problem):
    return {p.key: p.answer if isinstance(p.answer, str) else str(p.answer) for p in problem.parts}


@pytest.mark.parametrize("f,wrt", [("(y - (w*x + b))^2", "w"), ("(y - (w*x + b))^2", "b"),
                                   ("1/2*((3 - (2*w + b))^2 + (5 - (w + b))^2)", "w"),
                                   ("3*x^2*y - x*y^3 + 7", "y"), ("x^4 - 2*x", "x")])
def test_partial_derivative_agrees_with_sympy(f, wrt):
    problem = generate("partial-derivatives", "free-response", params={"f": f, "wrt": wrt})
    expected = sympy.diff(sympy.sympify(f.replace("^", "**")), sympy.Symbol(wrt))
    (part,) = problem.parts
    assert sympy.simplify(sympy.sympify(part.answer.replace("^", "**")) - expected) == 0
    assert equivalent(str(sympy.factor(expected)).replace("**", "^"), part.answer)


def test_learner_forms_of_the_squared_error_derivative_all_score_one():
    problem = generate("partial-derivatives", "free-response", params={"f": "(y - (w*x + b))^2", "wrt": "w"})
    for form in ("-2x(y - (wx + b))", "2x(wx + b - y)", "2*x^2*w + 2*b*x - 2*x*y", "2x·(x w + b − y)"):
        assert grade(problem, {"a": form}).score == 1, form
    verdict = grade(problem, {"a": "2(y - (wx + b))"})
    assert verdict.score == 0 and "inner derivative" in verdict.parts[0].diagnosis
    assert "∂f/∂b" in grade(problem, {"a": "-2(y - (wx + b))"}).parts[0].diagnosis


@pytest.mark.parametrize("params,message", [
    ({"f": "sin(x)", "wrt": "x"}, "must be a polynomial"),
    ({"f": "x^2 + y", "wrt": "z"}, "must name a variable of f"),
    ({"f": "x^2 +", "wrt": "x"}, "cannot be read"),
    ({"f": "1/x", "wrt": "x"}, "must be a polynomial"),
    ({"f": 3, "wrt": "x"}, "written as text"),
    ({"f": "x + " * 80 + "y", "wrt": "x"}, "at most 300 characters"),
    ({"f": "x", "wrt": "x", "extra": 1}, "unknown param"),
])
def test_partial_derivative_param_errors(params, message):
    assert message in params_error("partial-derivatives", params)


def test_params_asking_more_parts_than_letters_are_refused_not_cut_short():
    many = "+".join(f"x^{k}*y" for k in range(1, 31))          # a blank for each of 30 terms, and ∂f
    assert "31 parts" in params_error("partial-derivatives", {"f": many, "wrt": "x"}, "fill-in")
    fewer = "+".join(f"x^{k}*y" for k in range(1, 21))
    assert len(generate("partial-derivatives", "fill-in", params={"f": fewer, "wrt": "x"}).parts) == 21


def test_mse_gradient_matches_numpy():
    X, y, theta = [[1], [2], [4]], [3, 1, 0], [1, -1]
    problem = generate("gradient", "free-response", params={"X": X, "y": y, "theta": theta})
    Xb = np.c_[np.ones(3), np.array(X, float)]
    expected = 2 / 3 * Xb.T @ (Xb @ np.array(theta, float) - np.array(y, float))
    (part,) = problem.parts
    assert np.allclose([float(sympy.Rational(v)) for v in part.answer], expected)
    flipped = "[" + ", ".join(str(-Fraction(v)) for v in part.answer) + "]"
    assert grade(problem, {"a": flipped}).parts[0].diagnosis.startswith("The residual's sign")


def test_function_gradient_matches_sympy_at_the_point():
    problem = generate("gradient", "free-response", params={"f": "x^2*y - 3*y^2", "at": [2, -1]})
    f = X**2 * Y - 3 * Y**2
    expected = [sympy.diff(f, v).subs({X: 2, Y: -1}) for v in (X, Y)]
    assert [int(v) for v in problem.parts[-1].answer] == expected
    assert grade(problem, answers(problem)).score == 1


@pytest.mark.parametrize("params,message", [
    ({"X": [[1], [2]], "y": [1], "theta": [0, 1]}, "but y has 1 entry"),
    ({"X": [[1], [2]], "y": [1, 2], "theta": [0]}, "theta needs 2 entries"),
    ({"X": [[1], [2, 3]], "y": [1, 2], "theta": [0, 1]}, "ragged"),
    ({"f": "x*y", "at": [1]}, "'at' needs 2 numbers"),
    ({"f": "exp(x)", "at": [1]}, "must be a polynomial"),
])
def test_gradient_param_errors(params, message):
    assert message in params_error("gradient", params)


def test_the_prompts_example_expression_is_never_the_answer():
    from grader.spec import Kind
    example = Kind.EXPRESSION.describe().split("e.g. ")[1].split(" or ")[0]
    for seed in range(150):
        problem = generate("partial-derivatives", "free-response", seed=seed)
        prose = " ".join(problem.prompt.split())             # as read, whatever the line breaks
        assert f"e.g. {example}" in prose and grade(problem, {"a": example}).score == 0


def test_the_sum_of_squares_example_collects_terms_before_its_answer():
    """Between the chain rule and the answer: each product multiplied out, then 2c·(the sum)."""
    seen = 0
    for seed in range(120):
        problem = generate("partial-derivatives", "example", seed=seed)
        if "Multiply out each product" not in problem.prompt:
            continue
        seen += 1
        lines = [line for line in problem.prompt.splitlines() if line.startswith("∂f/∂")]
        chain, expanded, collected = (line.split(" = ")[1] for line in lines[:3])
        answer = lines[2].split(" = ")[2]
        for shown in (chain, expanded, collected):
            assert equivalent(shown.replace("·", "*").replace("[", "(").replace("]", ")"), answer), shown
    assert seen


def test_each_partial_derivative_blank_asks_what_its_neighbours_do_not_give():
    """∂uᵢ/∂b, alike for every i, is asked once; a lone term's derivative is ∂f itself, asked once
    as ∂f; the chain rule names ∂u/∂w where the worked solution writes the blanks' answers."""
    alike = lone = 0
    for seed in range(300):
        problem = generate("partial-derivatives", "fill-in", seed=seed)
        answers = [p.answer for p in problem.parts]
        assert not any(equivalent(a, b) for i, a in enumerate(answers) for b in answers[:i]), seed
        alike += any("the same for every i" in p.label for p in problem.parts)
        lone += len(answers) == 1
        if "Chain rule" in problem.prompt:
            (line,) = [line for line in problem.prompt.splitlines() if line.startswith("∂f/∂")]
            assert "∂u" in line and line.endswith("______"), seed
    assert alike and lone


def test_the_mse_gradient_is_written_with_x_b_and_mse_as_the_other_topics_write_it():
    """X_b (X with its column of 1s) and MSE(θ), as in mse and gd-step; never an undefined J(θ)."""
    seen = 0
    for seed in range(40):
        problem = generate("gradient", "fill-in", seed=seed)
        text = problem.prompt + " ".join(p.label + p.hint for p in problem.parts)
        assert "J(θ)" not in text and "∇J" not in text
        if "X_b =" in problem.prompt:
            seen += 1
            assert "X_bᵀ(X_b·θ - y) = (c) ______" in problem.prompt and "∇MSE(θ) = (d) ______" in problem.prompt
    assert seen


def residuals(params) -> tuple[list[list[int]], list[Fraction]]:
    """X_b and its errors X_b·θ − y, worked out here from the params alone."""
    Xb = [[1, *row] for row in params["X"]]
    return Xb, [sum(Fraction(a) * t for a, t in zip(row, params["theta"])) - v for row, v in zip(Xb, params["y"])]


@pytest.mark.parametrize("topic", ["gradient", "gd-step"])
def test_leaving_out_2_over_m_never_scores_as_the_gradient(topic):
    """m ≥ 3 in every sampled MSE gradient: with m = 2 the factor 2/m is 1, and a learner who
    leaves it out would get full marks. The slip is diagnosed instead."""
    seen = 0
    for seed in range(300):
        problem = generate(topic, "free-response", seed=seed)
        if "X" not in problem.params:
            continue
        seen += 1
        Xb, r = residuals(problem.params)
        without = [sum(a * e for a, e in zip(column, r)) for column in zip(*Xb)]       # X_bᵀ(X_b·θ − y)
        verdict = grade_part(problem.parts[0], "[" + ", ".join(map(str, without)) + "]")
        assert len(Xb) >= 3 and verdict.score < 1 and "2/m" in verdict.diagnosis, problem.params
    assert seen > 60


def test_the_mse_gradient_shows_one_sum_per_entry():
    """Each prediction is a row of X_b times θ and each entry of X_bᵀr a column of X_b times the
    errors, written out; the fill-in writes the errors as r₁, r₂, … (they are a blank above)."""
    paren = lambda v: f"({v})" if v < 0 or Fraction(v).denominator > 1 else str(v)
    sub = lambda i: "₀₁₂₃₄₅₆₇₈₉"[i]
    seen = 0
    for seed in range(40):
        example = generate("gradient", "example", seed=seed)
        if "X" not in example.params:
            continue
        seen += 1
        fill, theta = generate("gradient", "fill-in", seed=seed), example.params["theta"]
        Xb, r = residuals(example.params)
        for i, row in enumerate(Xb, 1):
            products = " + ".join(f"{paren(a)}·{paren(t)}" for a, t in zip(row, theta))
            value = sum(a * t for a, t in zip(row, theta))
            assert f"(X_b·θ){sub(i)} = {products} = {value}\n" in example.prompt
            assert f"(X_b·θ){sub(i)} = {products}\n" in fill.prompt
        for j, column in enumerate(zip(*Xb), 1):
            products = " + ".join(f"{paren(a)}·{paren(e)}" for a, e in zip(column, r))
            value = sum(a * e for a, e in zip(column, r))
            assert f"(X_bᵀ r){sub(j)} = {products} = {value}\n" in example.prompt
            named = " + ".join(f"{paren(a)}·r{sub(i)}" for i, a in enumerate(column, 1))
            assert f"(X_bᵀ r){sub(j)} = {named}\n" in fill.prompt
    assert seen
