"""matmul, transpose, inverse and normal-equation: what the worked steps say, where a wording
mattered to a learner (a symbol used for two things, a step left out, a blank given away)."""
import re

import pytest

from drills import generate

SOLVE = {"A": [[1, -4], [-1, 2]], "ask": "solve", "b": [-5, 3]}
INVERSE_3 = {"A": [[-1, 0, -1], [0, 2, 3], [1, 2, 3]], "ask": "inverse"}
SINGULAR_3 = {"A": [[-2, 1, -1], [-1, 2, -1], [-3, 3, -2]], "ask": "inverse"}
SINGULAR_2 = {"A": [[-1, -1], [-3, -3]], "ask": "inverse"}
TWO_FEATURES = {"X": [[2, -1], [1, 0], [2, -1], [2, 1], [2, 0]], "y": [-3, -2, -6, -8, -9]}
ONE_FEATURE = {"X": [[1], [1], [2], [2], [3], [3]], "y": [-4, -4, -7, -10, -14, -12]}


def text(topic, level, params) -> str:
    problem = generate(topic, level, params=params)
    return problem.prompt + "\n" + problem.solution


def one_line(s: str) -> str:
    """The text with its wrapped lines joined, so that a phrase can be searched for."""
    return re.sub(r"\s+", " ", s)


# --- inverse ---------------------------------------------------------------------------------

@pytest.mark.parametrize("level", ["example", "fill-in", "free-response"])
def test_solving_ax_b_names_the_entries_of_a_apart_from_b(level):
    """b is the right-hand side; the entries of A are aᵢⱼ, never a, b, c, d."""
    shown = one_line(text("inverse", level, SOLVE))
    assert "det A = a₁₁·a₂₂ - a₁₂·a₂₁" in shown
    assert "swaps a₁₁ and a₂₂ and changes the signs of a₁₂ and a₂₁" in shown
    assert "b·c" not in shown and "signs of b" not in shown and "a, b in the first row" not in shown


def test_the_hints_and_diagnoses_of_a_2x2_name_its_entries_too():
    problem = generate("inverse", "fill-in", params=SOLVE)
    said = " ".join([p.hint for p in problem.parts] + [m.message for p in problem.parts for m in p.mistakes])
    assert "a₁₁a₂₂ − a₁₂a₂₁" in said and "ad − bc" not in said


def test_the_3x3_fill_in_says_the_adjugate_is_the_transposed_cofactor_matrix():
    prompt = one_line(generate("inverse", "fill-in", params=INVERSE_3).prompt)
    assert "The adjugate is the transpose of the cofactor matrix, adj A = Cᵀ" in prompt
    assert prompt.index("adjugate is the transpose") < prompt.index("A⁻¹ = (d)")


@pytest.mark.parametrize("params,rest", [(SINGULAR_3, "the other six cofactors and the adjugate below are"),
                                         (SINGULAR_2, "the adjugate below is")])
def test_a_singular_matrix_says_the_adjugate_is_worked_for_practice_only(params, rest):
    worked = one_line(generate("inverse", "example", params=params).prompt)
    note = f"Since det A = 0, A has no inverse; {rest} worked out for practice only."
    assert note in worked and worked.index("= 0 " + note) < worked.index("adj A")
    fill_in = generate("inverse", "fill-in", params=params)
    assert note not in one_line(fill_in.prompt) and note in one_line(fill_in.solution)   # no cue before (a)
    assert "even if det A is 0" in one_line(fill_in.prompt)


def test_an_invertible_matrix_says_nothing_of_practice():
    assert "practice" not in text("inverse", "example", INVERSE_3)


# --- normal-equation ---------------------------------------------------------------------------

@pytest.mark.parametrize("params,det", [(TWO_FEATURES, "det(X_bᵀ X_b) = g₁₁·C₁₁ + g₁₂·C₁₂ + g₁₃·C₁₃ = (c)"),
                                        (ONE_FEATURE, "det(X_bᵀ X_b) = g₁₁·g₂₂ - g₁₂·g₂₁ = (c)")])
def test_the_fill_in_names_g_and_its_entries_before_using_them(params, det):
    prompt = one_line(generate("normal-equation", "fill-in", params=params).prompt)
    named = prompt.index("Call the first G = X_bᵀ X_b: its entry gᵢⱼ")
    assert named < prompt.index("G = X_bᵀ X_b = (a)") < prompt.index(det)
    assert "ad - bc" not in prompt


def test_the_3x3_example_works_the_cofactors_and_divides_last():
    worked = generate("normal-equation", "example", params=TWO_FEATURES).prompt
    for line in ("C₁₂ = -det ⎡  9  -2 ⎤ = -( 9·3 - (-2)·(-1) ) = -25",
                 "C₂₃ = -det ⎡  5   9 ⎤ = -( 5·(-2) - 9·(-1) ) = 1",
                 "(adj G·X_bᵀ y)₁ = 47·(-28) + (-25)·(-54) + (-1)·1 = 33"):
        assert line in worked
    assert re.search(r"θ = \(1/det G\)·adj G·X_bᵀ y = 1/11 ⎢ -55 ⎥ = ⎢ -5 ⎥", worked)


# --- matmul and transpose ------------------------------------------------------------------------

@pytest.mark.parametrize("B", [[[-3], [2]], [[1, 0], [2, 1], [0, 1], [1, 1]]])
def test_the_shape_fill_in_does_not_say_whether_the_sizes_match(B):
    params = {"A": [[4, -3, 4, 1], [5, 0, 0, 3], [5, -1, 5, 5]], "B": B, "ask": "shape"}
    problem = generate("matmul", "fill-in", params=params)
    assert "Compare the two counts: AB is (c) ______." in problem.prompt
    assert not re.search(r"match|differ", problem.prompt.split("Answer:")[0].replace("as many columns", ""))
    assert re.search(r"Here A has 4 columns and B has \d rows: they (match|differ)", problem.solution)


def test_the_product_names_c_before_its_entries():
    worked = generate("matmul", "example", params={"A": [[4, -4], [2, 3]], "B": [[-3, -4, -2], [2, 1, -3]]}).prompt
    assert worked.index("Call the product C = AB.") < worked.index("c₁₁ =") < worked.index("C = AB =")


def test_the_transpose_check_computes_ab_itself():
    params = {"A": [[-3, 5, -1], [0, 4, 0], [1, -4, 3]], "B": [[1, -1], [3, -1], [0, -3]], "ask": "product"}
    worked = generate("transpose", "example", params=params).prompt
    check = worked[worked.index("Check:"):]
    assert "(AB)₁₂ = (-3)·(-1) + 5·(-1) + (-1)·(-3) = 1" in check
    assert "(AB)₃₁ = 1·1 + (-4)·3 + 3·0 = -11" in check
