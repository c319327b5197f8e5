"""Every topic × level × 200 seeds: renders, the reference scores 1, a perturbed answer scores
below 1, garbage is unreadable, and every attached diagnosis fires on its own mistake."""
import re
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drills import generate
from drills.catalog import TOPICS, topic_module
from drills.problem import assemble
from drills.topics import HAND_SIZED, sample
from drills.topics.draw import Draws
from grader import Kind, grade, grade_part
from grader.expression import read_expression
from grader.reference import polynomial as poly
from grader.values import entries, from_json
from tests.conftest import json_text, perturb_part

SEEDS = range(200)
CASES = [(t, level) for t, info in TOPICS.items() for level in info.levels]
CODE_GRADED = 1          # code level: seeds whose answers are run (a process each); every seed is built


def problems(topic, level):
    return [generate(topic, level, seed=s) for s in SEEDS]


@pytest.mark.parametrize("topic,level", CASES)
def test_every_seed_renders_and_grades(topic, level):
    for problem in problems(topic, level):
        assert problem.prompt and problem.solution
        assert "Undefined" not in problem.prompt + problem.solution
        if level == "example":
            assert problem.parts == ()
            continue
        assert problem.parts, problem.id
        if level == "code" and problem.seed >= CODE_GRADED:
            assert [p.kind for p in problem.parts] == [Kind.CODE], problem.id
            garbage = grade_part(problem.parts[0], "#?!")        # read, never run
            assert garbage.score == 0 and not garbage.readable and "Could not read" in garbage.feedback
            continue
        right = {p.key: json_text(p.answer) for p in problem.parts}
        assert grade(problem, right).score == 1, (problem.id, right)
        for p in problem.parts:
            wrong = grade_part(p, perturb_part(p))
            assert wrong.score < 1 and wrong.readable, (problem.id, p.key)
            garbage = grade_part(p, "#?!")
            assert garbage.score == 0 and not garbage.readable
            assert "Could not read" in garbage.feedback


@pytest.mark.parametrize("topic,level", CASES)
def test_every_diagnosis_fires_on_its_mistake(topic, level):
    for problem in problems(topic, level):
        if level == "code":         # a code part's mistakes are routes of its exercise: tests/test_code_level.py
            assert all(not p.mistakes for p in problem.parts)
            continue
        for p in problem.parts:
            for mistake in p.mistakes:
                verdict = grade_part(p, json_text(mistake.answer))
                assert verdict.score < 1, (problem.id, p.key, mistake)
                assert verdict.diagnosis == mistake.message, (problem.id, p.key, mistake)
            assert grade_part(p, json_text(p.answer)).diagnosis == ""


@pytest.mark.parametrize("topic,level", CASES)
def test_answers_are_hand_computable(topic, level):
    for problem in problems(topic, level)[:50]:
        for p in problem.parts:
            for x in numbers_in(p):
                assert hand_sized(x), (problem.id, p.key, x)


def hand_sized(x) -> bool:
    """Work a learner can do by hand: at most 300 in size, a denominator of at most 12 (the topics'
    own HAND_SIZED may be tighter, never looser)."""
    assert HAND_SIZED[0] <= 300 and HAND_SIZED[1] <= 12
    return abs(x) <= 300 and Fraction(x).denominator <= 12


def numbers_in(part) -> list:
    """The numbers a learner must write: entries, or an expression's coefficients."""
    if part.kind is Kind.EXPRESSION:
        return [c for c in poly.from_expr(read_expression(part.answer)).values()]
    if part.kind in (Kind.CHOICE, Kind.SVD, Kind.CODE):
        return []
    value = from_json(part.answer, part.kind)
    return [] if isinstance(value, (str, tuple)) else [x for _, x in entries(value)]


@pytest.mark.parametrize("topic,level", CASES)
def test_same_seed_same_problem_and_params_rebuild_it(topic, level):
    for seed in (0, 7, 123456789):
        a = generate(topic, level, seed=seed)
        assert a.to_dict() == generate(topic, level, seed=seed).to_dict()
        rebuilt = generate(topic, level, params=a.params)
        assert rebuilt.to_dict() == {**a.to_dict(), "seed": None}


@settings(max_examples=150, deadline=None, derandomize=True)
@given(case=st.sampled_from(CASES), seed=st.integers(0, 2**31 - 1))
def test_any_seed_gives_hand_computable_answers(case, seed):
    """Beyond the 200 fixed seeds: any seed keeps answers to small integers and fractions
    (coefficients, for expressions) that a learner can work out by hand."""
    problem = generate(*case, seed=seed)
    for p in problem.parts:
        for x in numbers_in(p):
            assert hand_sized(x), (problem.id, p.key, x)



@pytest.mark.parametrize("topic", ["normal-equation", "sgd", "inverse", "mse", "svd", "matmul", "transpose"])
def test_worked_values_wait_for_the_solution(topic):
    """A free-response prompt only asks: the values that only the worked steps show are worked
    out when the solution is first read, and it shows the worked example's steps."""
    checked = 0
    for seed in range(100):
        draft = sample(topic_module(topic), Draws(seed), "free-response")
        if draft.worked is None:                 # e.g. sgd's update counts, svd's values: nothing put off
            continue
        worked, calls = draft.worked, []
        draft.worked = lambda: calls.append(1) or worked()
        problem = assemble(topic, "free-response", seed, draft)
        assert problem.prompt and calls == []
        assert problem.solution in generate(topic, "example", params=draft.params).prompt
        assert calls == [1]
        checked += 1
    assert checked >= 15


def test_labels_print_indices_as_subscripts():
    """A label is plain text (answer sheets, practice): u₁, not the notation's u_1."""
    for topic, info in TOPICS.items():
        for level in {"fill-in", "free-response"} & set(info.levels):
            for seed in range(12):
                labels = [p.label for p in generate(topic, level, seed=seed).parts]
                assert not [label for label in labels if re.search(r"_\d", label)], (topic, level, seed)


@pytest.mark.parametrize("topic,params", [
    ("partial-derivatives", {"f": "(x+y)^50", "wrt": "x"}),                  # the answer: 1,205 characters
    ("gradient", {"f": "(x+y)^50", "at": [1, 2]}),
    ("partial-derivatives", {"f": "(x^100+y)^3", "wrt": "x"}),               # x^300: past the grader's exponent
    ("partial-derivatives", {"f": "(99*x)^100", "wrt": "x"}),                # a 202-digit coefficient
])
@pytest.mark.parametrize("level", ["fill-in", "free-response"])
def test_params_whose_answer_cannot_be_typed_are_refused(topic, params, level):
    """Params whose expression answer the grader cannot read make no problem: a one-line error."""
    from drills.errors import DrillsError

    with pytest.raises(DrillsError, match="give smaller params"):
        generate(topic, level, params=params).to_dict()


def test_a_wrong_route_too_long_to_type_is_dropped():
    """The answer fits; a mistake that expands past what can be typed is no diagnosis to give."""
    problem = generate("partial-derivatives", params={"f": "(x*y*z + x^2*y - 3*z + 7)^4", "wrt": "x"})
    (part,) = problem.parts
    assert len(part.answer) <= 1000 and all(len(m.answer) <= 1000 for m in part.mistakes)
    assert grade(problem, {"a": part.answer}).score == 1
