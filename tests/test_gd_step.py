"""gd-step: iterates and gradients checked against independent arithmetic, step-size verdicts
against simulation, diagnoses on their own mistakes, and bad params as one-line errors."""
import itertools
from fractions import Fraction

import numpy as np
import pytest

from drills import generate
from drills.cli import main
from drills.topics.draw import Draws
from grader import equivalent, grade, grade_part
from grader.expression import read_expression
from grader.reference import mse_gradient
from grader.reference import polynomial as poly
from grader.spec import Kind
from grader.values import from_json
from tests.conftest import params_error

SQUARE = {"f": "x^2", "x0": 3, "eta": "1/4", "steps": 2}


def answers(problem) -> dict:
    """Exact values of the parts' answers; words and expressions as they are."""
    return {p.key: p.answer if p.kind in (Kind.CHOICE, Kind.EXPRESSION) else from_json(p.answer, p.kind)
            for p in problem.parts}


def by_label(problem, start: str):
    return next(p for p in problem.parts if p.label.startswith(start))


def test_square_from_the_notes_gives_independent_iterates():
    x, eta, expected = Fraction(3), Fraction(1, 4), []
    for _ in range(2):
        x -= eta * 2 * x                      # f'(x) = 2x
        expected.append(x)
    assert expected == [Fraction(3, 2), Fraction(3, 4)]
    problem = generate("gd-step", "free-response", params=SQUARE)
    assert list(answers(problem).values()) == expected
    assert grade(problem, {"a": "1.5", "b": "3/4"}).score == 1
    fill = generate("gd-step", "fill-in", params=SQUARE)
    assert list(answers(fill).values()) == [6, Fraction(3, 2), 3, Fraction(3, 4)]   # f'(x₀), x₁, f'(x₁), x₂


def test_a_point_one_step_off_is_named():
    params = {"f": "2(x - 4)^2 + 1", "x0": 1, "eta": "1/6", "steps": 3}     # x = 1, 3, 11/3, 35/9
    problem = generate("gd-step", "free-response", params=params)
    said = {key: grade(problem, {key: text}).parts["abc".index(key)].diagnosis
            for key, text in (("a", "1"), ("b", "3"), ("c", "11/3"), ("b", "35/9"))}
    assert said["a"].startswith("That is x₀, the starting point")
    assert said["c"].startswith("That is x₂, one step too few") and "x₃ is 3 steps from x₀" in said["c"]
    assert said["b"].startswith("That is x₃, one step too many")
    fill = generate("gd-step", "fill-in", params=params)
    [step_1] = [p for p in fill.parts if p.label.startswith("x₁")]
    assert grade_part(step_1, "1").diagnosis.startswith("That is x₀, the starting point")


def test_decimal_eta_is_read_exactly_and_matches_a_float_run():
    params = {"f": "f(x) = x^2 - 4x + 1", "x0": 0, "eta": 0.1, "steps": 3}
    x, floats = 0.0, []
    for _ in range(3):
        x -= 0.1 * (2 * x - 4)
        floats.append(x)
    got = list(answers(generate("gd-step", "free-response", params=params)).values())
    assert got == [Fraction(2, 5), Fraction(18, 25), Fraction(122, 125)]
    assert np.allclose([float(v) for v in got], floats, rtol=0, atol=1e-12)


def simulate(a: Fraction, c: Fraction, x0: Fraction, eta: Fraction, steps: int = 50) -> str:
    """Run gradient descent on a(x − c)² exactly and name what it did."""
    d = [x0 - c]
    for _ in range(steps):
        d.append(d[-1] - eta * 2 * a * d[-1])
    if abs(d[-1]) > abs(d[0]):
        return "diverges"
    crossed = all(u * v < 0 for u, v in itertools.pairwise(d))
    return "oscillates" if crossed else "converges"


@pytest.mark.parametrize("a", ["1/2", "1", "2", "3"])
def test_step_size_verdict_agrees_with_fifty_simulated_steps(a):
    a = Fraction(a)
    etas = {Fraction(k, 8) / a for k in range(1, 20)} | {1 / (2 * a), 1 / a}   # the boundaries included
    seen = set()
    for eta in sorted(etas):
        params = {"f": f"{a}*(x - 1)^2 + 2", "x0": 3, "eta": str(eta), "ask": "step-size"}
        problem = generate("gd-step", "free-response", params=params)
        got = answers(problem)
        assert got["a"] == 1 - 2 * a * eta, eta            # r
        assert problem.parts[1].answer == simulate(a, Fraction(1), Fraction(3), eta), eta
        seen.add(problem.parts[1].answer)
    assert seen == {"converges", "oscillates", "diverges"}


def words(text: str) -> str:
    """Text with its wrapping undone: every run of spaces and newlines one space."""
    return " ".join(text.split())


def test_the_step_size_problem_and_the_learn_page_draw_the_same_boundaries():
    """η = 1/(2a) converges (r = 0), η = 1/a oscillates (r = −1); x − c is an offset, not a distance."""
    from drills.render import render_block

    params = {"f": "2(x - 1)^2 + 2", "x0": 3, "eta": "1/3", "ask": "step-size"}
    problem = generate("gd-step", "free-response", params=params)
    text = words(generate("gd-step", "example", params=params).prompt)
    assert "We say that gradient descent converges" in text and "even when the jumps shrink" in text
    assert "multiplies the offset x - c from the minimum c" in words(problem.prompt) and "distance" not in text
    assert "η ≤ 1/(2a) converges, 1/(2a) < η ≤ 1/a oscillates, and η > 1/a diverges" in text
    note = words(render_block("gd-step/learn.j2", "note", {}, "text"))
    assert "(η ≤ 1/(2a)) converges" in note and "(1/(2a) < η ≤ 1/a) oscillates" in note
    verdict = problem.parts[-1]
    assert "It does settle" in grade_part(verdict, "converges").diagnosis       # r = −1/3


@pytest.mark.parametrize("params,said,not_said", [
    ({"f": "x^4/4", "x0": -1, "eta": "1/10", "steps": 1},
     ["The derivative, with the power rule", "The step went downhill: f(x₀) > f(x₁)."],
     ["term by term", "Every step"]),
    ({"f": "x^2 - 4x + 1", "x0": 0, "eta": "1/10", "steps": 2},
     ["The derivative, term by term with the power rule", "Every step went downhill: f(x₀) > f(x₁) > f(x₂)."],
     []),
    ({"f": "x^2", "x0": 3, "eta": "1/4", "ask": "step-size"}, ["Differentiate with the power rule"], ["term by term"]),
])
def test_the_worked_steps_speak_of_one_step_and_one_term_in_the_singular(params, said, not_said):
    text = words(generate("gd-step", "example", params=params).prompt)
    assert all(s in text for s in said) and not any(s in text for s in not_said)


def test_step_size_at_one_over_a_oscillates_forever():
    problem = generate("gd-step", "fill-in", params={"f": "2x^2 - 4x + 7", "x0": 3, "eta": "1/2",
                                                     "steps": 2, "ask": "step-size"})
    got = answers(problem)
    assert equivalent(got["a"], "4(x - 1)") and got["b"] == -1 and got["c"] == -1 and got["d"] == 3
    verdict = problem.parts[-1]
    assert verdict.answer == "oscillates" and verdict.choices == ("converges", "oscillates", "diverges")
    assert "bounces" in grade_part(verdict, "diverges").diagnosis
    hedge = grade_part(verdict, "oscillates or diverges")         # the right word first: still a hedge
    assert hedge.score == 0 and not hedge.readable and "just one of" in hedge.feedback


def test_regression_gradient_and_step_match_the_numeric_reference():
    params = {"X": [[1], [2], [4]], "y": [3, 5, 6], "theta": [1, 1], "eta": "1/10"}
    X_b, theta = np.array([[1.0, 1], [1, 2], [1, 4]]), np.array([1.0, 1])
    grad = mse_gradient(X_b, np.array([3.0, 5, 6]), theta)
    got = answers(generate("gd-step", "free-response", params=params))
    assert np.allclose([float(v) for v in got["a"]], grad)
    assert np.allclose([float(v) for v in got["b"]], theta - 0.1 * grad)


def test_flat_X_is_one_feature_and_rebuilds_the_same_problem():
    flat = generate("gd-step", "fill-in", params={"X": [1, 2], "y": [2, 2], "theta": [0, 1], "eta": "1/4"})
    assert flat.params["X"] == [[1], [2]]
    assert generate("gd-step", "fill-in", params=flat.params).to_dict() == flat.to_dict()


def test_sampled_function_steps_go_downhill_near_a_minimum():
    seen = set()
    for seed in range(120):
        problem = generate("gd-step", "free-response", seed=seed)
        if "f" not in problem.params or "ask" in problem.params:
            continue
        f = poly.from_expr(read_expression(problem.params["f"]))
        second = poly.diff(poly.diff(f, "x"), "x")
        xs = [Fraction(problem.params["x0"]), *(from_json(p.answer, p.kind) for p in problem.parts)]
        heights = [poly.evaluate(f, {"x": x}) for x in xs]
        assert all(b < a for a, b in itertools.pairwise(heights)), problem.params
        assert all(poly.evaluate(second, {"x": x}) > 0 for x in xs), problem.params
        seen.add(len(xs) - 1)
    assert seen == {1, 2, 3}


def test_sampled_coefficients_are_those_of_the_function_text():
    """The sampler screens a draw with f's coefficients and builds its problem from them, without
    reading its text: for every function it draws, they must be what reading the text gives, in
    the same order, and the text must display as _shown says (itself but for (1/2)x^2)."""
    from drills.topics.gd_step import VERDICTS, _at, _function, _parabola_params, _polynomial, _read_function, _shown
    rng = Draws(0)
    draws = [({"f": text(), "x0": x0}, coefficients)
             for family in ("square", "vertex", "general", "cubic", "quartic") for _ in range(1500)
             for text, x0, coefficients in [_function(rng, family)]]
    parabolas = [_parabola_params(rng, verdict)[:2] for verdict in VERDICTS for _ in range(1500)]
    for params, coefficients in draws + parabolas:
        f = _polynomial(coefficients)
        assert _read_function(params["f"]) == (tuple(f.items()), _shown(params["f"])), params
        x = Fraction(params["x0"], 3)
        assert _at(f, x) == poly.evaluate(f, {"x": x})
    assert len({params["f"] for params, _ in draws}) > 400          # the vertex and general forms
    assert len({params["f"] for params, _ in parabolas}) > 450      # nearly every a, c, d, in both forms
    assert all(_shown(params["f"]) == params["f"] for params, _ in draws)


def test_drawn_functions_are_written_as_the_polynomial_text_writes_them():
    """_polynomial_text writes a drawn f from its coefficients, through caches: the same text as
    poly.to_text, for every vertex, general and parabola draw, and for edge cases."""
    from drills.topics.gd_step import (CUBICS, QUARTICS, VERDICTS, _function, _parabola_params, _polynomial,
                                       _polynomial_text)
    rng, half = Draws(2), Fraction(1, 2)
    drawn = [_function(rng, family)[2] for family in ("square", "vertex", "general") for _ in range(1000)]
    drawn += [_parabola_params(rng, verdict)[1] for verdict in VERDICTS for _ in range(1000)]
    edges = [(0,), (0, 0, 0), (5,), (-half,), (0, -1), (3, 1, -1), (-2, -half, Fraction(-3, 2)), (0, 0, 0, 0, -1)]
    for coefficients in [*drawn, *edges, *CUBICS.values(), *QUARTICS.values()]:
        assert _polynomial_text(coefficients) == poly.to_text(_polynomial(coefficients), ("x",), ""), coefficients


def test_the_sampler_screening_in_ints_is_the_whole_check():
    """The sampler keeps the first draw its screening in ints passes, and checks the problem it
    builds no further: the screening passes exactly the draws whose every asked number is
    hand-sized and, for steps, whose every step goes downhill where f'' > 0."""
    from drills.errors import DrillsError
    from drills.topics.draw import pick
    from drills.topics.gd_step import (COUNTS, ETAS, VERDICTS, _function, _nice, _parabola_params, _polynomial,
                                       _promising_steps, build)
    rng, seen = Draws(1), set()
    for family in COUNTS:
        for _ in range(400):
            text, x0, coefficients = _function(rng, family)
            eta, count = pick(rng, ETAS), pick(rng, COUNTS[family])
            try:
                worked = build({"f": text(), "x0": x0, "eta": eta, "steps": count}).worked()
            except DrillsError:                     # iterates past hand work
                kept = False
            else:
                second = poly.diff(poly.diff(_polynomial(coefficients), "x"), "x")
                steps = worked["iterates"]
                kept = (all(_nice(s["g"]) and _nice(s["next"]) for s in steps) and not worked["climbs"]
                        and all(poly.evaluate(second, {"x": x}) > 0 for x in [x0, *(s["next"] for s in steps)]))
            assert _promising_steps(coefficients, x0, eta, count) == kept, (text(), x0, eta, count)
            seen.add((family, kept))
    for verdict in VERDICTS:
        for _ in range(400):
            params, _, promising = _parabola_params(rng, verdict)
            draft = build(params)
            assert promising == (_nice(draft.context["r"]) and all(_nice(s["next"]) for s in draft.worked()["iterates"]))
            seen.add((verdict, promising))
    assert len(seen) == 2 * (len(COUNTS) + len(VERDICTS))        # each family kept and dropped


def diagnosis(problem, label: str, text: str) -> str:
    verdict = grade_part(by_label(problem, label), text)
    assert verdict.score < 1
    return verdict.diagnosis


def test_step_mistakes_are_named():
    fill = generate("gd-step", "fill-in", params=SQUARE)        # x₀ = 3, f'(x₀) = 6, η = 1/4
    assert "added" in diagnosis(fill, "x₁", "9/2")               # x₀ + η·f'(x₀)
    assert "learning rate" in diagnosis(fill, "x₁", "-3")         # x₀ − f'(x₀)
    assert "height" in diagnosis(fill, "x₁", "3/4")               # x₀ − η·f(x₀) = 3 − 9/4
    assert "height" in diagnosis(fill, "f'(x₀)", "9")             # f(x₀)
    assert "f'(x₀)" in diagnosis(fill, "f'(x₁)", "6")             # slope not re-evaluated
    free = generate("gd-step", "free-response", params=SQUARE)
    assert "re-used f'(x₀)" in diagnosis(free, "x₂", "0")      # 3 − 2·(1/4)·6


def test_regression_mistakes_are_named():
    problem = generate("gd-step", "fill-in", params={"X": [[0], [1], [2]], "y": [3, 1, 5], "theta": [1, 1],
                                                     "eta": "1/4"})
    # ŷ = [1, 2, 3], r = [−2, 1, −2], X_bᵀr = [−3, −3], ∇ = (2/3)·X_bᵀr = [−2, −2], θ − η∇ = [3/2, 3/2].
    assert answers(problem)["b"] == [-2, -2] and answers(problem)["c"] == [Fraction(3, 2), Fraction(3, 2)]
    assert "y − ŷ" in diagnosis(problem, "r =", "[2, -1, 2]")
    assert "without the factor 2/m = 2/3" in diagnosis(problem, "∇", "[-3, -3]")
    assert "(1/m)" in diagnosis(problem, "∇", "[-1, -1]")
    assert "sign is reversed" in diagnosis(problem, "∇", "[2, 2]")
    assert "intercept" in diagnosis(problem, "∇", "[-4, -4]")      # ŷ without θ₀: r = [−3, 0, −3]
    assert "subtracts" in diagnosis(problem, "θ", "[1/2, 1/2]")
    assert "learning rate" in diagnosis(problem, "θ", "[3, 3]")


@pytest.mark.parametrize("params,message", [
    ({"f": "sin(x)", "x0": 1, "eta": "1/4"}, "must be a polynomial in x (sin is not polynomial)"),
    ({"f": "1/x", "x0": 1, "eta": "1/4"}, "must be a polynomial in x"),
    ({"f": "x^2 + y", "x0": 1, "eta": "1/4"}, "it also uses y"),
    ({"f": 3, "x0": 1, "eta": "1/4"}, "written as text"),
    ({"f": "x + " * 80 + "1", "x0": 1, "eta": "1/4"}, "at most 300 characters"),
    ({"f": "x^5", "x0": 1, "eta": "1/4"}, "degree 5"),
    ({"f": "7", "x0": 1, "eta": "1/4"}, "degree 0"),
    ({"f": "x^2", "x0": 1, "eta": "1/4", "steps": 0}, "'steps' must be a whole number from 1 to 5; got 0"),
    ({"f": "x^2", "x0": 1, "eta": "1/4", "steps": 50}, "from 1 to 5; got 50"),
    ({"f": "x^2", "x0": 1, "eta": "1/4", "steps": 2.5}, "whole number"),
    ({"f": "x^2", "x0": 1, "eta": 0}, "'eta' must be a positive learning rate"),
    ({"f": "x^2", "x0": 1, "eta": "-1/4"}, "positive"),
    ({"f": "x^2", "x0": 1, "eta": "1/4", "lr": 1}, "unknown param 'lr'"),
    ({"f": "x^2", "x0": "abc", "eta": "1/4"}, "param 'x0'"),
    ({"f": "x^4", "x0": 100, "eta": 10, "steps": 5}, "too large to work by hand"),
    ({"f": "x^3", "x0": 1, "eta": "1/4", "ask": "step-size"}, "needs a parabola"),
    ({"f": "-(x - 1)^2", "x0": 3, "eta": "1/4", "ask": "step-size"}, "a > 0"),
    ({"f": "(x - 1)^2", "x0": 1, "eta": "1/4", "ask": "step-size"}, "already the minimum"),
    ({"f": "x^2", "x0": 1, "eta": "1/4", "ask": "speed"}, "'ask' must be one of steps, step-size"),
    ({"x0": 1, "eta": "1/4"}, "params need either 'f'"),
    ({"X": [[1], [2]], "y": [1, 2], "theta": [1], "eta": "1/4"}, "theta needs 2 entries"),
    ({"X": [[1], [2]], "y": [1], "theta": [0, 1], "eta": "1/4"}, "y has 1 entry"),
    ({"X": [[1], [2]], "y": [1, 2], "theta": [0, 1], "eta": "1/4", "f": "x"}, "need either 'f'"),
])
def test_bad_params_are_one_line_errors(params, message):
    assert message in params_error("gd-step", params, "fill-in")


def test_bad_params_exit_1_on_the_command_line(capsys):
    code = main(["generate", "--topic", "gd-step", "--params", '{"f": "x^2", "x0": 1, "eta": -1}'])
    out, err = capsys.readouterr()
    assert code == 1 and "positive" in err and "Traceback" not in out + err


def test_the_sampled_functions_and_problems_vary():
    """Over 600 seeds no function makes more than 8% of the problems on a function, and no
    problem comes back more than 6 times (1%): a few starts on x⁴/4 once made 4% of them all."""
    import collections

    functions, problems = collections.Counter(), collections.Counter()
    for seed in range(600):
        params = generate("gd-step", "free-response", seed=seed).params
        if "f" in params:
            functions[params["f"]] += 1
            problems[tuple(sorted(params.items()))] += 1
    assert max(functions.values()) <= 0.08 * sum(functions.values()), functions.most_common(3)
    assert max(problems.values()) <= 6, problems.most_common(3)
    assert len(functions) > 200
