"""vectors and sgd: user params agree with NumPy, bad params fail in one clear line, and the
mistakes a learner types get their own diagnosis."""
import json
import math
import signal
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from drills import generate
from drills.topics import sgd, vectors
from grader import grade_part
from grader.reference import minibatch_gd
from grader.values import from_json, to_json
from tests.conftest import params_error


def answers(problem) -> list:
    """The parts' answers as floats (numbers) or float arrays (vectors)."""
    return [np.array(from_json(p.answer, p.kind), dtype=float) for p in problem.parts]


def final(topic, params):
    return generate(topic, "free-response", params=params)


# ── vectors ──────────────────────────────────────────────────────────────────

A, B, C = np.array([2.0, -3, 6]), np.array([-4.0, 4, 7]), np.array([1.0, -1, 4])   # A − C = (1, −2, 2)


@pytest.mark.parametrize("ask,b,expected", [
    ("magnitude", None, np.linalg.norm(A)),
    ("unit", None, A / np.linalg.norm(A)),
    ("dot", B, A @ B),
    ("cos", B, A @ B / (np.linalg.norm(A) * np.linalg.norm(B))),
    ("distance", C, np.linalg.norm(A - C)),
    ("cross", B, np.cross(A, B)),
])
def test_vector_answers_agree_with_numpy(ask, b, expected):
    params = {"a": A.astype(int).tolist(), "ask": ask}
    if b is not None:
        params["b"] = b.astype(int).tolist()
    (got,) = answers(final("vectors", params))
    assert np.allclose(got, expected)


@pytest.mark.parametrize("a,b", [([1, 1, 0], [0, 1, 1]), ([1, 2, 3], [3, 2, 1]), ([3, 4], [-4, 3]),
                                 ([1, 2], [-2, -4])])
def test_angle_agrees_with_numpy_in_degrees(a, b):
    problem = final("vectors", {"a": a, "b": b, "ask": "angle"})
    u, v = np.array(a, float), np.array(b, float)
    expected = np.degrees(np.arccos(u @ v / np.linalg.norm(u) / np.linalg.norm(v)))
    (part,) = problem.parts
    assert abs(float(from_json(part.answer, part.kind)) - expected) <= 0.05
    assert grade_part(part, f"{expected:.3f}").correct          # a calculator's answer is fine
    assert not grade_part(part, f"{expected + 1:.3f}").correct


@pytest.mark.parametrize("params,message", [
    ({"a": [1, 2], "b": [3, 4], "ask": "cross"}, "needs two 3-vectors"),
    ({"a": [0, 0, 0], "ask": "unit"}, "zero vector"),
    ({"a": [1, 2, 2], "b": [0, 0, 0], "ask": "angle"}, "b is the zero vector"),
    ({"a": [1, 1], "ask": "magnitude"}, "|a|² = 2 is not a perfect square"),
    ({"a": [1, 2], "b": [3, 2], "ask": "cos"}, "|a|²·|b|² = 65 is not a perfect square"),
    ({"a": [1, 2], "b": [1, 2, 3]}, "same length"),
    ({"a": [3, 4], "b": [1, 2], "ask": "magnitude"}, "'b' is not used"),
    ({"a": [3, 4], "ask": "distance"}, "needs a second vector 'b'"),
    ({"a": [3, 4], "ask": "norm"}, "must be one of"),
    ({"a": "3, 4"}, "must be a vector"),
])
def test_vector_invalid_params_say_why_in_one_line(params, message):
    assert message in params_error("vectors", params)


@pytest.mark.parametrize("params,typed,diagnosis", [
    ({"a": [2, 3, 6], "ask": "magnitude"}, "49", "take its square root"),
    ({"a": [2, 3, 6], "ask": "magnitude"}, "11", "You added the components"),
    ({"a": [1, 2, 2], "ask": "unit"}, "[1/9, 2/9, 2/9]", "You divided by |a|² = 9"),
    ({"a": [1, 2, 3], "b": [4, 5, 6], "ask": "cross"}, "[3, -6, 3]", "b×a"),
    ({"a": [1, 2, 2], "b": [2, 3, 6], "ask": "cos"}, "20", "forgot to divide by the lengths"),
    ({"a": [5, 12], "b": [0, 12], "ask": "distance"}, "1", "|a| − |b|"),
    ({"a": [1, 1, 0], "b": [0, -1, -1], "ask": "angle"}, "60", "here cos α = -1/2 is negative"),
])
def test_vector_mistakes_get_their_diagnosis(params, typed, diagnosis):
    verdict = grade_part(final("vectors", params).parts[0], typed)
    assert not verdict.correct and diagnosis in verdict.diagnosis


def sampled(ask, level="free-response", seeds=range(600)):
    """The sampled vectors problems of one kind."""
    problems = (generate("vectors", level, seed=seed) for seed in seeds)
    return [p for p in problems if p.params["ask"] == ask]


def test_cos_answers_are_mostly_neither_parallel_nor_perpendicular():
    answers = [p.parts[0].answer for p in sampled("cos")]
    trivial = [a for a in answers if Fraction(a) in (0, 1, -1)]
    assert len(answers) >= 60 and len(trivial) <= 0.2 * len(answers)
    assert len(set(answers)) >= 12


def test_angles_are_whole_degrees_spread_over_the_special_angles():
    answers = [p.parts[0].answer for p in sampled("angle")]
    assert all(isinstance(a, int) for a in answers)
    assert sum(a in (0, 90, 180) for a in answers) <= 0.2 * len(answers)
    assert set(answers) == {0, 30, 45, 60, 90, 120, 135, 150, 180}


@pytest.mark.parametrize("acute", sorted(vectors.ACUTE_PAIRS))
def test_each_angle_pair_has_its_angle(acute):
    for a, b in vectors.ACUTE_PAIRS[acute]:
        for sign, angle in ((1, acute), (-1, 180 - acute)):
            problem = final("vectors", {"a": list(a), "b": [sign * x for x in b], "ask": "angle"})
            assert problem.parts[0].answer == angle
            u, v = np.array(a, float), sign * np.array(b, float)
            assert np.isclose(np.degrees(np.arccos(u @ v / np.linalg.norm(u) / np.linalg.norm(v))), angle)


def test_a_surd_cosine_is_asked_as_its_exact_square():
    """At 135° |a||b| = √50 and cos α = -√2/2: the fill-in asks |a|²|b|² and cos²α, both exact."""
    params = {"a": [3, 1], "b": [-2, 1], "ask": "angle"}
    problem = generate("vectors", "fill-in", params=params)
    assert [(p.label.split(",")[0], p.answer) for p in problem.parts] == [
        ("a·b", -5), ("|a|²|b|²", 50), ("cos²α", "1/2"), ("the angle between a and b", 135)]
    cos_sq, angle = problem.parts[2:]
    assert "Square a·b too" in grade_part(cos_sq, "-1/10").diagnosis
    assert "square root" in grade_part(angle, "120").diagnosis
    assert grade_part(angle, "135°").correct
    worked = " ".join(generate("vectors", "example", params=params).prompt.split())
    assert "cos α = -√(1/2) = -√2/2" in worked and "cos 135° = -cos 45° = -√2/2" in worked


def test_the_angle_fill_in_lists_the_acute_angles_not_the_answer():
    """The blank's neighbours give cos 30°, 45° and 60° and the rule for obtuse angles, never the
    angle asked when it is obtuse, nor a surd cosine the blanks before it ask for."""
    problems = sampled("angle", "fill-in", range(300))
    assert len(problems) >= 30
    for problem in problems:
        prompt = " ".join(problem.prompt.split())
        angle = problem.parts[-1].answer
        assert "cos 60° = 1/2" in prompt
        assert f"cos {angle}°" not in prompt or angle < 90
        assert "√(" not in prompt


@pytest.mark.parametrize("seed", [1598, 2482, 3180])
def test_a_cross_product_drawn_from_a_zero_vector_still_ends(seed):
    """These seeds draw a = 0 for a cross product, parallel to every b: the sampler used to draw
    b again for ever (drills generate --topic vectors --seed 1598 hung)."""
    signal.signal(signal.SIGALRM, lambda *_: pytest.fail(f"seed {seed} did not end"))
    signal.alarm(20)
    try:
        problem = generate("vectors", seed=seed)
    finally:
        signal.alarm(0)
    a, b = problem.params["a"], problem.params["b"]
    assert problem.params["ask"] == "cross" and any(np.cross(a, b))
    [part] = problem.parts
    assert grade_part(part, json.dumps(part.answer)).score == 1
    assert grade_part(part, json.dumps(np.cross(b, a).tolist())).score < 1


def test_the_angle_is_alpha_and_theta_is_left_to_the_parameters():
    """θ names a model's parameters elsewhere; the angle between two vectors is α."""
    for level in ("example", "fill-in", "free-response"):
        for seed in range(60):
            problem = generate("vectors", level, seed=seed)
            messages = [m.message for p in problem.parts for m in p.mistakes]
            text = " ".join([problem.prompt, problem.solution, *messages, *(p.label + p.hint for p in problem.parts)])
            assert "θ" not in text, (level, seed)
    angle = generate("vectors", "example", params={"a": [1, 1, 0], "b": [0, -1, -1], "ask": "angle"}).prompt
    assert "α = 120 degrees" in angle and "cos 60° = 1/2" in " ".join(angle.split())


def test_the_dot_example_lists_the_products_as_numbers():
    prompt = generate("vectors", "example", params={"a": [4, 5, -1], "b": [-1, -2, -5], "ask": "dot"}).prompt
    assert "The products are a₁ b₁ = -4, a₂ b₂ = -10 and a₃ b₃ = 5." in " ".join(prompt.split())


def test_fill_in_blanks_all_show_in_the_prompt():
    for topic in ("vectors", "sgd"):
        for seed in range(40):
            problem = generate(topic, "fill-in", seed=seed)
            for p in problem.parts:
                assert f"({p.key}) ______" in problem.prompt, (problem.id, p.key)


# ── sgd ──────────────────────────────────────────────────────────────────────

X, Y, THETA, ETA = [[1], [2], [-1]], [3, 1, 2], [0, 1], 0.1


def numpy_steps(groups, X=X, y=Y, theta=THETA, eta=ETA):
    """θ after each update: (2/b)·X_Bᵀ(X_Bθ − y_B) on the rows of X with a leading 1."""
    Xb = np.hstack([np.ones((len(X), 1)), np.array(X, float)])
    y, theta, out = np.array(y, float), np.array(theta, float), []
    for g in groups:
        theta = theta - eta * 2 / len(g) * Xb[g].T @ (Xb[g] @ theta - y[g])
        out.append(theta)
    return out


def sgd_params(**changes):
    return {"X": X, "y": Y, "theta": THETA, "eta": "1/10", "order": [2, 0, 1], **changes}


def test_sgd_updates_agree_with_numpy():
    got = answers(final("sgd", sgd_params()))
    assert np.allclose(got, numpy_steps([[2], [0], [1]]))


def test_minibatch_updates_agree_with_numpy_and_the_reference_solver():
    params = {"X": X + [[3]], "y": Y + [0], "theta": THETA, "eta": "1/10", "batches": [[3, 1], [0, 2]]}
    got = answers(final("sgd", params))
    assert np.allclose(got, numpy_steps([[3, 1], [0, 2]], X=X + [[3]], y=Y + [0]))
    natural = answers(final("sgd", {**params, "batches": [[0, 1], [2, 3]]}))
    Xb = np.hstack([np.ones((4, 1)), np.array(X + [[3]], float)])
    reference = minibatch_gd(Xb, np.array(Y + [0], float), batch_size=2, epochs=1, eta=ETA,
                             theta0=np.array(THETA, float), shuffle=False)
    assert np.allclose(natural[-1], reference.theta)


def words(text: str) -> str:
    """Text with its wrapping undone: every run of spaces and newlines one space."""
    return " ".join(text.split())


def test_a_batch_is_named_X_B_and_y_B_never_after_its_update():
    """y₂ would read as the second entry of y; a factor 2/b = 1 is left out, 2/b = 2 is shown."""
    params = {"X": X + [[3]], "y": Y + [0], "theta": THETA, "eta": "1/10", "batches": [[3, 1], [0], [2]]}
    for level in ("example", "fill-in"):
        problem = generate("sgd", level, params=params)
        text = problem.prompt + problem.solution
        assert "X_B =" in text and "y_B =" in text and "rows X_B and targets y_B" in words(text)
        assert not any(name in text for name in ("X₁", "X₂", "y₁", "y₂", "Xₖ", "yₖ"))
    tex = generate("sgd", "example", params=params, fmt="tex").prompt
    assert tex.count(r"\nabla  = (2/b) X_{B}^{\top} r = \begin{bmatrix}") == 1          # b = 2
    assert tex.count(r"\nabla  = (2/b) X_{B}^{\top} r = 2 \begin{bmatrix}") == 2        # b = 1


def test_with_several_features_the_model_does_not_reuse_a_samples_name():
    problem = generate("sgd", "example", params=sgd_params(X=[[1, 2], [0, 1], [2, 0]], theta=[0, 0, 0]))
    assert "predicts xᵀθ for a row x of X with a 1 put in front" in words(problem.prompt)
    assert "x₁ + " not in problem.prompt and "x₁ =" in problem.prompt      # x₁: sample 1's row only


def test_the_mini_batch_count_says_the_last_smaller_batch_is_an_update():
    said = "(a last, smaller batch counts as an update too)"
    assert said in words(final("sgd", {"m": 1000, "batch_size": 32, "epochs": 5}).prompt)
    assert said in words(final("sgd", {"m": 960, "batch_size": 32, "epochs": 3}).prompt)    # always: no hint
    for b in (1, 50):
        assert said not in words(final("sgd", {"m": 50, "batch_size": b, "epochs": 3}).prompt)


@settings(max_examples=400, deadline=None)
@given(st.integers(2, 4).flatmap(lambda m: st.tuples(
    st.permutations(range(m)), st.lists(st.integers(-3, 3), min_size=m, max_size=m),
    st.lists(st.integers(-6, 6), min_size=m, max_size=m), st.lists(st.integers(-3, 3), min_size=2, max_size=2),
    st.sampled_from(sgd.ETAS), st.sampled_from([1, 2, 3]))))
def test_the_samplers_step_agrees_with_the_updates_it_stands_for(candidate):
    order, xs, y, theta, eta, b = candidate
    groups = [list(order[s:s + b]) for s in range(0, len(order), b)]
    state = (*theta, 1)
    for g in groups:
        state = state and sgd._step(state, [xs[i] for i in g], [y[i] for i in g], eta)
    updates = list(sgd.descend(([[1, x] for x in xs], y, 1, (theta, 1)), eta, groups))
    assert bool(state) == all(map(sgd._hand_sized, updates))
    if state:
        assert state == (*updates[-1].theta[0], updates[-1].theta[1])


def test_mistakes_worked_out_at_grading_do_not_follow_later_changes_to_the_params():
    params = {"X": X + [[3]], "y": Y + [0], "theta": THETA, "eta": "1/10", "batches": [[3, 1], [0, 2]]}
    expected = [list(p.mistakes) for p in final("sgd", json.loads(json.dumps(params))).parts]
    problem = final("sgd", params)
    params["batches"][0].reverse()           # the caller's lists, and the problem's params
    assert [list(p.mistakes) for p in problem.parts] == expected


def test_flat_x_is_one_feature_and_steps_limit_the_updates():
    flat = final("sgd", sgd_params(X=[1, 2, -1], steps=2))
    assert len(flat.parts) == 2
    assert np.allclose(answers(flat), numpy_steps([[2], [0]]))


def test_sgd_order_matters_only_when_the_samples_differ():
    given, natural = answers(final("sgd", sgd_params())), numpy_steps([[0], [1], [2]])
    assert not np.allclose(given[0], natural[0])
    problem = final("sgd", sgd_params())
    verdict = grade_part(problem.parts[0], str(natural[0].tolist()))
    assert "natural order" in verdict.diagnosis
    # samples 1 and 2 identical: swapping them changes nothing, so no order diagnosis is offered
    twins = final("sgd", sgd_params(X=[[1], [1], [-1]], y=[3, 3, 2], order=[1, 0, 2]))
    assert np.allclose(answers(twins), numpy_steps([[0], [1], [2]], X=[[1], [1], [-1]], y=[3, 3, 2]))
    assert not any("natural order" in m.message for p in twins.parts for m in p.mistakes)


@pytest.mark.parametrize("route,diagnosis", [
    ("plus", "You added η∇"), ("no2", "factor 2"), ("batch", "batch gradient descent")])
def test_sgd_mistakes_get_their_diagnosis(route, diagnosis):
    rows = [[1, *x] for x in X]     # exact arithmetic: a wrong answer typed as fractions
    theta, eta = [Fraction(t) for t in THETA], Fraction(1, 10)
    used = range(3) if route == "batch" else [2]
    factor = Fraction(1 if route == "no2" else 2, len(used)) * (-1 if route == "plus" else 1)
    residuals = {i: sum(a * t for a, t in zip(rows[i], theta)) - Y[i] for i in used}
    gradient = [factor * sum(residuals[i] * rows[i][j] for i in used) for j in range(2)]
    typed = "[" + ", ".join(str(t - eta * g) for t, g in zip(theta, gradient)) + "]"
    verdict = grade_part(final("sgd", sgd_params()).parts[0], typed)
    assert not verdict.correct and diagnosis in verdict.diagnosis


@pytest.mark.parametrize("route,diagnosis", [
    ("none", "left out the factor 2/b"), ("no2", "carries a factor 2"), ("nob", "batch size b")])
def test_mini_batch_mistakes_with_the_factor_2_over_b_get_their_diagnosis(route, diagnosis):
    X4, y4 = [[1], [2], [-1], [3]], [3, 1, 2, 0]
    params = {"X": X4, "y": y4, "theta": THETA, "eta": "1/10", "batches": [[3, 1, 0], [2]]}
    rows, theta, eta = [[1, *x] for x in X4], [Fraction(t) for t in THETA], Fraction(1, 10)
    factor = {"none": 1, "no2": Fraction(1, 3), "nob": 2}[route]          # right: 2/3
    residuals = {i: sum(a * t for a, t in zip(rows[i], theta)) - y4[i] for i in (3, 1, 0)}
    gradient = [factor * sum(r * rows[i][j] for i, r in residuals.items()) for j in range(2)]
    typed = "[" + ", ".join(str(t - eta * g) for t, g in zip(theta, gradient)) + "]"
    verdict = grade_part(final("sgd", params).parts[0], typed)
    assert not verdict.correct and diagnosis in verdict.diagnosis


def drawn(ask: str, seeds=range(400)) -> list:
    """The free-response problems of `ask` (sgd, minibatch) among the seeds."""
    return [p for s in seeds if (p := final_seed(s)).params["ask"] == ask]


def final_seed(seed: int):
    return generate("sgd", "free-response", seed=seed)


def listed(part, words: str) -> bool:
    return any(words in m.message for m in part.mistakes)


def test_leaving_out_2_over_b_is_caught_in_the_mini_batch_problems_drawn():
    """The first batch mostly has b = 3, so (2/b) ≠ 1 and update 1's θ without the factor is a
    listed mistake; where b = 2, the update after it (b = 1) catches the slip."""
    problems = drawn("minibatch")
    assert len(problems) >= 100
    first = [len(p.params["batches"][0]) for p in problems]
    assert first.count(3) >= 0.6 * len(problems) and set(first) == {2, 3}
    assert sum(listed(p.parts[0], "left out the factor 2/b") for p in problems) >= 0.6 * len(problems)
    assert sum(any(listed(q, "left out the factor 2/b") for q in p.parts) for p in problems) >= 0.95 * len(problems)
    assert all(listed(p.parts[0], "carries a factor 2") and listed(p.parts[0], "batch size b") for p in problems)


def test_drawn_updates_are_varied_and_each_x_keeps_its_step_short():
    """Drawn update by update, problems still come in every shape and with most η, distinct
    x's that no step overshoots (2η(1 + x²) ≤ 1), and an order of the samples that matters."""
    shapes, etas, order_matters, problems = set(), set(), 0, drawn("sgd") + drawn("minibatch")
    for p in problems:
        xs, eta = [row[0] for row in p.params["X"]], Fraction(p.params["eta"])
        assert len(set(xs)) == len(xs) and all(2 * (1 + x * x) * eta <= 1 for x in xs)   # no overshoot
        shapes.add((len(xs), tuple(map(len, p.params.get("batches", [[0]] * p.params["steps"])))))
        etas.add(eta)
        order_matters += listed(p.parts[-1], "natural order")
    assert len(shapes) == 5 and len(etas) >= 6
    assert order_matters >= 0.9 * len(problems)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 12), st.integers(-40, 40), st.integers(-40, 40), st.integers(-3, 3), st.sampled_from(sgd.ETAS))
def test_a_clean_x_keeps_thetas_denominators_small_whatever_its_y(d, t0, t1, x, eta):
    assume(sgd._clean((t0, t1, d), x, eta.denominator))
    theta = [Fraction(t0, d), Fraction(t1, d)]
    for y in range(-6, 7):
        r = theta[0] + theta[1] * x - y
        after = [theta[0] - eta * 2 * r, theta[1] - eta * 2 * r * x]
        assert all(v.denominator <= sgd.MAX_DENOMINATOR for v in [r, *after])


@given(st.integers(-3, 3), st.integers(-3, 3), st.permutations(range(-3, 4)), st.randoms(use_true_random=False))
def test_a_batch_of_3_draws_ys_that_make_both_sums_of_its_gradient_multiples_of_3(t0, t1, pool, rnd):
    xs = list(pool[:3])
    ys = sgd._thirds(rnd.random, (t0, t1, 1), xs)
    assert sorted(xs) == sorted(pool[:3]) and all(-6 <= y <= 6 for y in ys)
    r = [t0 + t1 * x - y for x, y in zip(xs, ys)]
    assert sum(r) % 3 == 0 and sum(ri * x for ri, x in zip(r, xs)) % 3 == 0


@given(st.lists(st.integers(-500, 500), min_size=1, max_size=3), st.integers(1, 60))
def test_answers_in_integers_read_as_their_fractions_would(numerators, d):
    assert sgd._json((numerators, d)) == to_json([Fraction(n, d) for n in numerators])


@pytest.mark.parametrize("m,b", [(750, 25), (500, 500), (4000, 1), (124, 20), (230, 8), (9999, 100)])
def test_the_update_count_fill_in_leaves_blank_a_to_the_learner(m, b):
    """m/b is shown without its value where it is the answer, and no wrapping splits a blank
    (124/20 and 230/8 put "(a)" at the end of a line once)."""
    per_epoch = -(-m // b)
    for epochs in (2, 3, 10):
        prompt = generate("sgd", "fill-in", params={"m": m, "batch_size": b, "epochs": epochs}).prompt
        assert "(a) ______" in prompt and "(b) ______" in prompt
        assert f"{m}/{b} = {per_epoch}" not in words(prompt)


@pytest.mark.parametrize("params, said, unsaid", [
    ({"m": 7, "batch_size": 3, "epochs": 2}, ["m/b = 7/3 is not", "after 2 full batches, 1 sample is left over, and it forms"],
     ["7/3 = 7/3"]),
    ({"m": 6, "batch_size": 4, "epochs": 3}, ["m/b = 6/4 = 3/2 is not", "after 1 full batch, 2 samples are"], []),
    ({"m": 10, "batch_size": 10, "epochs": 1}, ["for 1 epoch;", "1 epoch makes 1 × 1 = 1 update."], ["1 epochs"]),
    ({"m": 1, "batch_size": 1, "epochs": 1}, ["m = 1 sample.", "1 epoch makes 1 × 1 = 1 update."], ["1 samples", "1 updates"]),
])
def test_the_update_count_says_a_ratio_once_and_one_in_the_singular(params, said, unsaid):
    from drills.document import render_problem

    text = " ".join(words(render_problem(generate("sgd", level, params=params, fmt="text"), "text"))
                    for level in ("fill-in", "free-response"))
    assert all(s in text for s in said) and not any(s in text for s in unsaid), text


@pytest.mark.parametrize("m,b,epochs", [(1000, 32, 5), (960, 32, 3), (50, 1, 4), (500, 500, 20)])
def test_update_counts_agree_with_a_batch_loop(m, b, epochs):
    per_epoch, total = (int(v) for v in answers(final("sgd", {"m": m, "batch_size": b, "epochs": epochs})))
    assert per_epoch == len(range(0, m, b)) == math.ceil(m / b) and total == epochs * per_epoch


def test_update_count_mistakes_get_their_diagnosis():
    per_epoch, total = final("sgd", {"m": 1000, "batch_size": 32, "epochs": 5}).parts
    assert "round up" in grade_part(per_epoch, "31").diagnosis
    assert "counts samples" in grade_part(per_epoch, "1000").diagnosis
    assert "do not run across epochs" in grade_part(total, "157").diagnosis


@pytest.mark.parametrize("changes,message", [
    ({"order": [0, 0, 1]}, "'order' must be a permutation of 0..2"),
    ({"order": [0, 1, 2, 3]}, "permutation"),
    ({"order": [0, 1.5, 2]}, "list of sample indices"),
    ({"y": [1, 2]}, "X has 3 rows (one per instance) but y has 2 entries"),
    ({"theta": [1, 2, 3]}, "theta needs 2 entries"),
    ({"eta": -0.1}, "must be a positive learning rate"),
    ({"steps": 4}, "from 1 to 3"),
    ({"batches": [[0, 1], [1, 2]]}, "each index exactly once"),
    ({"batches": [[0, 1], []]}, "non-empty lists"),
    ({"m": 10}, "unknown param 'm'"),
])
def test_sgd_invalid_params_say_why_in_one_line(changes, message):
    params = sgd_params(**changes)
    if "batches" in changes:
        del params["order"]
    assert message in params_error("sgd", params)


def test_update_count_invalid_params():
    assert "larger than the training set" in params_error("sgd", {"m": 10, "batch_size": 32, "epochs": 1})
    assert "'epochs' must be a positive whole number" in params_error("sgd", {"m": 10, "batch_size": 2, "epochs": 0})
    assert "'m' must be a positive whole number, at most 1,000,000,000; got 1000000000000000" in params_error(
        "sgd", {"m": 10**15, "batch_size": 2, "epochs": 1})
