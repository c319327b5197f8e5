"""The svd topic and grading an SVD by its properties: every valid SVD scores 1, each broken
property costs credit and is named, the classic mistakes are diagnosed, NumPy agrees."""
import re
from fractions import Fraction
from itertools import product

import numpy as np
import pytest

from drills import generate
from drills.topics import svd
from drills.topics.draw import Draws
from grader import Kind, Part, Tolerance, grade_part
from grader.properties import (NEGATIVE, ROUNDED, SQUARED, SWAPPED, UNSORTED, V_FOR_VT, flipped_column,
                               is_svd, read_svd, svd_text)
from grader.reference.rational import matmul, transpose
from grader.reference.svd import exact_svd, gram, pseudoinverse, singular_values
from grader.values import to_text
from tests.conftest import params_error

SEEDS = range(200)
# A = UΣVᵀ with U = I, Σ = diag(10, 5), V from (3, 4)/5: AᵀA = [[52, 36], [36, 73]].
SQUARE = [[6, 8], [-4, 3]]
# Columns of length 9, perpendicular: σ₁ = σ₂ = 9, so V can be any rotation.
REPEATED = [[8, 1], [1, 8], [-4, 4]]


def drafts(ask):
    for seed in SEEDS:
        params = svd.sample_params(Draws(seed), "free-response")
        if params["ask"] == ask:
            yield svd.build(params)


def svd_part(A):
    return svd.build({"A": A, "ask": "svd"}).finals[0]


def factors(p):
    return read_svd(p.answer)


def flip(M, j):
    return [[-x if k == j else x for k, x in enumerate(row)] for row in M]


def grade(p, U, S, V):
    return grade_part(p, svd_text(U, S, V))


# --- any valid SVD scores 1 -------------------------------------------------------------------

def test_every_sign_flip_of_column_pairs_scores_1():
    for draft in drafts("svd"):
        p = draft.finals[0]
        U, S, V = factors(p)
        for flips in product((False, True), repeat=2):
            U2, V2 = U, V
            for j in (j for j, f in enumerate(flips) if f):
                U2, V2 = flip(U2, j), flip(V2, j)
            assert grade(p, U2, S, V2).score == 1, (p.answer, flips)
        if len(U) == 3:                                   # the free third column of U
            assert grade(p, flip(U, 2), S, V).score == 1


def test_thin_U_vt_sigma_as_a_list_and_decimals_score_1():
    for draft in drafts("svd"):
        p = draft.finals[0]
        U, S, V = factors(p)
        values, thin = to_text([S[0][0], S[1][1]]), to_text([row[:2] for row in U])
        texts = [f"U = {thin}; S = {to_text([[S[0][0], 0], [0, S[1][1]]])}; V = {to_text(V)}",
                 f"Σ: {values}  U: {to_text(U)}  Vt: {to_text(transpose(V))}",
                 f"sigma = {values}\nu = {thin}\nV^T = {to_text(transpose(V))}"]
        for text in texts:
            assert grade_part(p, text).score == 1, text
    p = svd_part(SQUARE)
    assert grade_part(p, "U = 1 0; 0 1, S = 10 0; 0 5, V = 0.6 -0.8; 0.8 0.6").score == 1


def test_the_compact_svd_of_a_rank_1_matrix_scores_1_and_a_truncated_one_does_not():
    seen, wanted = set(), {(2, 1), (3, 1), (2, 2)}
    for seed in range(400):
        p = generate("svd", "free-response", seed=seed).parts[0]
        if p.kind is not Kind.SVD or wanted <= seen:
            continue
        U, S, V = factors(p)
        rank = sum(1 for i in range(len(V)) if S[i][i])
        column = lambda M: to_text([row[:1] for row in M])
        verdict = grade_part(p, f"U = {column(U)}; S = [{S[0][0]}]; V = {column(V)}")
        assert (verdict.score == 1) == (rank == 1), (p.answer, verdict.feedback)
        seen.add((len(U), rank))
    assert wanted <= seen


def test_a_rotation_inside_a_repeated_eigenspace_scores_1():
    p = svd_part(REPEATED)
    V = [[Fraction(3, 5), Fraction(-4, 5)], [Fraction(4, 5), Fraction(3, 5)]]
    thin = [[x / 9 for x in row] for row in matmul(REPEATED, V)]
    verdict = grade_part(p, svd_text(thin, [[9, 0], [0, 9]], V))
    assert verdict.score == 1 and factors(p)[2] != V


# --- each broken property costs credit and is named -------------------------------------------

@pytest.mark.parametrize("change,named", [
    (lambda U, S, V: (matmul(U, [[5, 0], [0, 1]]), S, V), "U is not orthogonal: column 1 has length 5"),
    (lambda U, S, V: (U, S, [[1, 1], [0, 1]]), "V is not orthogonal"),
    (lambda U, S, V: (U, [[10, 1], [0, 5]], V), "Σ is not diagonal: entry (1, 2)"),
    (lambda U, S, V: (flip(U, 0), [[-10, 0], [0, 5]], V), "Σ has a negative entry"),
    (lambda U, S, V: (U, [[5, 0], [0, 10]], V), "Σ is not sorted"),
    (lambda U, S, V: (flip(U, 0), S, V), "UΣVᵀ ≠ A: its entry (1, 1) is -6, not 6"),
    (lambda U, S, V: (U, [[10, 0], [0, 4]], V), "Σ's diagonal is not the singular values of A"),
    (lambda U, S, V: (U, [[10, 0, 0], [0, 5, 0]], V), "Σ should be 2×2"),
])
def test_each_broken_property_scores_below_1_and_is_named(change, named):
    p = svd_part(SQUARE)
    verdict = grade(p, *change(*factors(p)))
    assert 0 <= verdict.score < 1 and verdict.readable
    assert named in verdict.feedback, verdict.feedback


@pytest.mark.parametrize("label", ["Vt", "V^T", "V^{T}", "V^⊤", "V⊤", "Vᵀ", "Vᵗ", "V_T", "Vh", "V'"])
def test_every_way_of_writing_v_transposed_is_read_as_vt(label):
    p = svd_part(SQUARE)
    U, S, V = factors(p)
    assert grade_part(p, f"U = {to_text(U)}; S = {to_text(S)}; {label} = {to_text(transpose(V))}").score == 1


def test_a_column_of_u_with_the_wrong_sign_is_diagnosed():
    p = svd_part(SQUARE)
    U, S, V = factors(p)
    for j in (0, 1):
        for answer in ((flip(U, j), S, V), (U, S, flip(V, j))):
            verdict = grade(p, *answer)
            assert verdict.score == 0.75, verdict              # a slip: only UΣVᵀ = A fails
            assert verdict.diagnosis == f"u{'₁₂'[j]} must equal Av{'₁₂'[j]}/σ{'₁₂'[j]}: flip the sign of column {j + 1} of U (or of V)."


def test_partial_credit_is_a_quarter_per_property():
    p = svd_part(SQUARE)
    U, S, V = factors(p)
    assert grade(p, U, S, [[1, 1], [0, 1]]).score == 0.5         # V and the product
    assert grade(p, U, [[10, 0], [0, 4]], V).score == 0.5        # Σ and the product
    assert grade(p, matmul(U, [[5, 0], [0, 1]]), S, V).score == 0.5    # U and the product


def test_a_known_wrong_route_earns_no_credit():
    """As for a vector or matrix: what a wrong route gets right, it gets by chance."""
    p = svd_part(SQUARE)
    U, S, V = factors(p)
    for answer in ((U, [[100, 0], [0, 25]], V), (V, S, U), (U, S, transpose(V))):
        verdict = grade(p, *answer)
        assert verdict.score == 0 and verdict.diagnosis, verdict
    problem = generate("svd", "free-response", seed=984769)
    for mistake in problem.parts[0].mistakes:                 # each attached wrong route, as typed
        verdict = grade_part(problem.parts[0], mistake.answer)
        assert verdict.diagnosis == mistake.message
        assert verdict.score == (0.75 if mistake.message in (UNSORTED, NEGATIVE) else 0), mistake


def test_a_slip_of_order_or_sign_keeps_its_credit():
    """Unsorted, a negative σ or one column's sign: UΣVᵀ = A still holds, so three quarters."""
    p = svd_part(SQUARE)
    U, S, V = factors(p)
    slips = {UNSORTED: ([row[::-1] for row in U], [[5, 0], [0, 10]], [row[::-1] for row in V]),
             NEGATIVE: (U, [[10, 0], [0, -5]], flip(V, 1)),
             flipped_column(0): (flip(U, 0), S, V)}
    for message, answer in slips.items():
        verdict = grade(p, *answer)
        assert verdict.score == 0.75 and verdict.diagnosis == message, verdict
    wrong_entry = grade(p, U, S, [[*V[0]], [V[1][0], V[1][1] + 1]])
    assert wrong_entry.score < 0.75


# --- diagnoses, by property (signs flipped, so no attached mistake matches exactly) --------------

def test_each_diagnosis_fires_on_its_mistake_whatever_the_signs():
    p = svd_part(SQUARE)
    U, S, V = factors(p)
    U, V = flip(flip(U, 0), 1), flip(flip(V, 0), 1)        # −U and −V: valid, but new signs
    cases = {SQUARED: (U, [[100, 0], [0, 25]], V),
             SWAPPED: (V, S, U),
             V_FOR_VT: (U, S, transpose(V)),
             UNSORTED: ([row[::-1] for row in U], [[5, 0], [0, 10]], [row[::-1] for row in V]),
             NEGATIVE: (U, [[10, 0], [0, -5]], flip(V, 1))}
    for message, answer in cases.items():
        verdict = grade(p, *answer)
        assert verdict.score < 1 and verdict.diagnosis == message, (message, verdict)


def test_swapped_factors_of_a_tall_matrix_are_diagnosed():
    p = svd_part(REPEATED)
    U, S, V = factors(p)
    for answer in (svd_text(V, S, U), f"U = {to_text(V)}; S = [9, 9]; V = {to_text([r[:2] for r in U])}"):
        verdict = grade_part(p, answer)
        assert verdict.score <= 0.25 and verdict.diagnosis == SWAPPED, answer
        assert "UΣVᵀ" in verdict.feedback


def test_rounded_decimals_are_diagnosed_and_a_tolerance_accepts_them():
    p = svd_part(REPEATED)
    text = "U = [[0.889, 0.111], [0.111, 0.889], [-0.444, 0.444]]; S = [9, 9]; V = [[1, 0], [0, 1]]"
    verdict = grade_part(p, text)
    assert verdict.score < 1 and verdict.diagnosis == ROUNDED
    tolerant = Part("a", Kind.SVD, p.answer, tolerance=Tolerance(abs=0.01))
    assert grade_part(tolerant, text).score == 1


def test_the_reference_and_a_correct_answer_have_no_diagnosis():
    p = svd_part(SQUARE)
    assert grade_part(p, p.answer).diagnosis == ""
    assert {m.message for m in p.mistakes} == {SQUARED, SWAPPED, V_FOR_VT, UNSORTED, NEGATIVE}


def test_no_anticipated_mistake_is_an_svd_after_all():
    """The wrong routes kept as mistakes are exactly those that are no SVD of A (a valid one
    must score 1, never be called a mistake), on sampled problems and on the special cases:
    σ ∈ {0, 1}, A symmetric, V symmetric, σ₁ = σ₂."""
    specials = [[[1, 0], [0, 1]], [[1, 0], [0, 0]], [[3, 4], [4, -3]], [[34, 12], [12, 41]], SQUARE, REPEATED,
                [[0, 0], [0, 1]], [[5, 0], [0, 5], [0, 0]]]
    problems = list(drafts("svd")) + [svd.build({"A": A, "ask": "svd"}) for A in specials]
    for draft in problems:
        [answer] = draft.finals
        A = draft.context["A"]
        for m in answer.mistakes:
            assert not is_svd(A, *read_svd(m.answer)), (A, m.message)
    kept = {m.message for d in problems[-len(specials):] for m in d.finals[0].mistakes}
    assert kept == {SQUARED, SWAPPED, V_FOR_VT, UNSORTED, NEGATIVE}   # each can fire


# --- reading ----------------------------------------------------------------------------------

@pytest.mark.parametrize("text,reason", [
    ("#?!", "name the three matrices"),
    ("U = [[1, 0], [0, 1]]; S = [10, 5]", "missing V"),
    ("U = [[1, 0], [0, 1]]; U = [[1, 0], [0, 1]]; S = [10, 5]; V = [[1, 0], [0, 1]]", "U is given twice"),
    ("so U = [[1, 0], [0, 1]]; S = [10, 5]; V = [[1, 0], [0, 1]]", "unexpected text before"),
    ("U = [1, 0]; S = [10, 5]; V = [[1, 0], [0, 1]]", "U must be a matrix"),
    ("U = [[1, 0], [0, 1]]; S = [10, 5]; V = [[1, 0], [0, x]]", "V: unexpected word 'x'"),
    ("U = [[1, 0], [0, 1]]; S = [10, 5]; V = __import__('os')", "V: unexpected"),
    ("U = [[1, 0], [0, 1]]; S = [10, 5]; W = [[1, 0], [0, 1]]", "'W' is not a name read here"),
    ("U = [[1, 0], [0, 1]]; S = [10, 5]; V = [[1, 0], [0, 1]]; X = [[1]]", "'X' is not a name read here"),
])
def test_unreadable_answers_say_why(text, reason):
    verdict = grade_part(svd_part(SQUARE), text)
    assert verdict.score == 0 and not verdict.readable
    assert verdict.feedback.startswith("Could not read your answer") and reason in verdict.feedback


# --- agreement with NumPy ---------------------------------------------------------------------

def test_singular_values_rank_and_condition_number_agree_with_numpy():
    for draft in drafts("values"):
        A = np.array(draft.context["A"], dtype=float)
        sigma, rank, cond = (p.answer for p in draft.finals)
        assert np.allclose(sigma, np.linalg.svd(A, compute_uv=False))
        assert rank == np.linalg.matrix_rank(A)
        expected = np.linalg.cond(A)
        assert (cond == "undefined") == (expected > 1e12)
        assert cond == "undefined" or np.isclose(float(Fraction(cond)), expected)


def test_exact_svd_and_pseudoinverse_agree_with_numpy():
    for draft in drafts("pinv"):
        A = draft.context["A"]
        pinv = [[float(Fraction(x)) for x in row] for row in draft.finals[0].answer]
        assert np.allclose(pinv, np.linalg.pinv(np.array(A, dtype=float)))
    for draft in drafts("svd"):
        U, S, V = factors(draft.finals[0])
        A = np.array(draft.context["A"], dtype=float)
        assert matmul(matmul(U, S), transpose(V)) == draft.context["A"]
        assert np.allclose([S[0][0], S[1][1]], np.linalg.svd(A, compute_uv=False))


def test_pseudoinverse_is_v_sigma_plus_ut_for_every_rank_and_shape():
    for A in (SQUARE, REPEATED, [[9, 12], [12, 16]], [[3, 4], [6, 8], [6, 8]], [[0, 5], [0, 0]],
              [["3/5", "4/5"], ["-4/5", "3/5"], [0, 0]], [["1/2", 0], [0, "1/3"]]):
        A = [[Fraction(x) for x in row] for row in A]
        U, sigma, V = exact_svd(A)
        inverted = [[V[i][k] / sigma[k] if sigma[k] else 0 for k in range(2)] for i in range(2)]
        expected = matmul(inverted, transpose(U)[:2])
        assert pseudoinverse(A) == expected
        assert all(type(x) is Fraction for row in pseudoinverse(A) for x in row)
        assert np.allclose(np.array(expected, dtype=float), np.linalg.pinv(np.array(A, dtype=float)))


def test_whole_matrices_are_kept_in_ints_and_others_in_fractions():
    assert svd._over([[10, -5], [0, 15]], 5) == [[2, -1], [0, 3]]
    assert all(type(x) is int for row in svd._over([[10, -5], [0, 15]], 5) for x in row)
    assert svd._over([[10, 4], [0, 15]], 5) == [[2, Fraction(4, 5)], [0, 3]]
    assert all(type(x) is Fraction for row in svd._over([[10, 4], [0, 15]], 5) for x in row)


# --- params -----------------------------------------------------------------------------------

@pytest.mark.parametrize("params,message", [
    ({"A": [[1, 2, 3], [4, 5, 6]]}, "2×3; this topic works with 2×2 and 3×2 matrices (for a wide A use Aᵀ"),
    ({"A": [[1, 2], [3, 4], [5, 6], [7, 8]]}, "4×2"),
    ({"A": [[0, 0], [0, 0]]}, "A is zero"),
    ({"A": [[1, 1], [0, 1]]}, "singular values of A are irrational"),
    ({"A": [[2, 0], [0, 1], [0, 1]]}, "singular values of A are irrational"),
    ({"A": [["3/2", "1/2"], ["1/2", "3/2"]], "ask": "svd"}, "its singular vectors are not"),
    ({"A": [[6, 8], [-4, 3]], "ask": "eigen"}, "param 'ask' must be one of values, svd, pinv"),
    ({"A": [[6, 8], [-4, 3]], "B": [[1]]}, "unknown param 'B'"),
])
def test_invalid_params_get_one_line_messages(params, message):
    assert message in params_error("svd", params)


def test_rational_values_with_irrational_vectors_still_work_for_values():
    draft = svd.build({"A": [["3/2", "1/2"], ["1/2", "3/2"]]})
    assert [p.answer for p in draft.finals] == [[2, 1], 2, 2]


def test_user_params_rebuild_the_same_problem_at_every_level():
    for ask in ("values", "svd", "pinv"):
        for level in ("example", "fill-in", "free-response"):
            problem = generate("svd", level, params={"A": SQUARE, "ask": ask})
            assert generate("svd", level, params=problem.params) == problem
            assert problem.parts or level == "example"


def test_an_svd_right_but_for_rounding_says_so():
    problem = generate("svd", "free-response", params={"A": [[6, 8], [6, 8], [-3, -4]], "ask": "svd"})
    rounded = ("U = [[2/3, 0.70710678, -0.23570226], [2/3, -0.70710678, -0.23570226], [-1/3, 0, -0.94280904]]; "
               "S = [[15, 0], [0, 0], [0, 0]]; V = [[3/5, -4/5], [4/5, 3/5]]")
    verdict = grade_part(problem.parts[0], rounded)
    assert not verdict.correct and verdict.diagnosis == ROUNDED
    assert verdict.feedback == "Not an exact SVD of A: it holds only approximately."     # no digit count it may not have
    far = rounded.replace("0.70710678", "0.7")
    assert grade_part(problem.parts[0], far).feedback.startswith("Not a valid SVD")


def test_the_hint_names_the_matrices_its_example_types():
    lead, example = Kind.SVD.describe().split(", e.g. ")
    assert re.findall(r"(\w) =", example) == ["U", "S", "V"]
    assert all(re.search(rf"\b{name}\b", lead) for name in ("U", "S", "V"))
    assert grade_part(svd_part([[0, 2], [3, 0]]), example).score == 1      # the example reads, and is an SVD


# --- the worked steps -------------------------------------------------------------------------

def test_the_worked_roots_and_v1_follow_from_the_lines_shown():
    """(s ± √D)/2 are σ₁², σ₂²; v₁ is the shown direction over its length and solves the row
    equation of AᵀA − σ₁²I that the example writes out; a diagonal AᵀA has its diagonal entries
    for eigenvalues and the columns of I for V."""
    for ask in ("values", "svd"):
        for draft in drafts(ask):
            worked = draft.worked()
            s, (e1, e2), G = worked["trace"], worked["eig"], worked["G"]
            assert worked["squared"] == s * s - 4 * worked["det"] == worked["root"] ** 2
            assert [(s + worked["root"]) / 2, (s - worked["root"]) / 2] == [e1, e2]
            assert worked["diagonal"] == (G[0][1] == 0)
            if worked["diagonal"]:
                assert sorted([G[0][0], G[1][1]], reverse=True) == [e1, e2]
                assert ask == "values" or sorted(map(abs, sum(worked["v"], []))) == [0, 0, 1, 1]
            elif ask == "svd" and e1 != e2:
                d, v1 = worked["direction"], worked["v"][0]
                a, b = worked["shifted"][worked["row"] - 1]
                assert a * d[0] + b * d[1] == 0 and any((a, b))
                assert [x * (worked["recip"] or 1) for x in d] == v1


def test_a_rank_one_tall_example_says_how_u2_and_u3_were_found():
    prompt = generate("svd", "example", params={"A": [[6, 8], [6, 8], [-3, -4]], "ask": "svd"}).prompt
    flowing = " ".join(prompt.split())
    assert "subtract its component along u₁" in flowing and "u₁ × u₂, or its negative u₂ × u₁" in flowing
    assert "u₁·u₂ = (2/3)·(2/3) + (2/3)·(-1/3) + (-1/3)·(2/3) = 0" in flowing
    assert "u₃ = u₂ × u₁ =" in prompt          # this U's third column is u₂ × u₁ = −u₁ × u₂


def test_an_example_solves_its_quadratic_and_its_first_eigenvector_in_lines_that_add_up():
    """The first seed whose svd example has a non-diagonal AᵀA of nonzero determinant: the
    discriminant, the roots, the row equation of AᵀA − σ₁²I and v₁'s direction, as printed, agree
    with each other and with A."""
    def chosen(seed):
        problem = generate("svd", "example", seed=seed)
        G = gram([[Fraction(x) for x in row] for row in problem.params["A"]])
        return problem.params["ask"] == "svd" and G[0][1] and G[0][0] * G[1][1] != G[0][1] ** 2
    problem = generate("svd", "example", seed=next(filter(chosen, range(100))))
    G = gram([[Fraction(x) for x in row] for row in problem.params["A"]])
    text = " ".join(problem.prompt.split())
    trace, det, disc, root = map(int, re.search(r"D = (\d+)² - 4·(\d+) = (\d+) , √D = (\d+)", text).groups())
    assert (trace, det) == (G[0][0] + G[1][1], G[0][0] * G[1][1] - G[0][1] ** 2)
    assert disc == trace ** 2 - 4 * det == root ** 2
    roots = re.search(rf"σ₁² = \({trace} \+ {root}\)/2 = (\d+) , σ₂² = \({trace} - {root}\)/2 = (\d+)", text)
    e1, e2 = map(int, roots.groups())
    assert [e1, e2] == [(trace + root) // 2, (trace - root) // 2]
    row, a, b = re.search(r"row (\d) says (-?\d*)x ([+-] \d*)y = 0", text).groups()
    a, b = int(a + "1" if a in ("", "-") else a), int(b.replace(" ", "") + ("1" if b[-1] in "+-" else ""))
    assert [a, b] == [G[int(row) - 1][0] - (e1 if row == "1" else 0), G[int(row) - 1][1] - (e1 if row == "2" else 0)]
    x, y, length = map(int, re.search(r"v₁ points along \((-?\d+), (-?\d+)\), whose length is √\(\S+ \+ \S+\) = (\d+)",
                                      text).groups())
    assert a * x + b * y == 0 and x * x + y * y == length ** 2


def test_a_singular_matrix_has_an_infinite_condition_number_answered_undefined():
    solution = " ".join(generate("svd", "example", params={"A": [[8, 0], [-6, 0]]}).prompt.split())
    assert "The condition number of a singular matrix is infinite (NumPy's cond reports inf)" in solution
    final = generate("svd", "free-response", params={"A": [[8, 0], [-6, 0]]}).parts[-1]
    assert final.answer == "undefined"


# --- a fill-in gives none of its blanks away ----------------------------------------------------

# A number as the text format writes it: 15, -3, 2/3 (not the 2 of "/2", nor a digit of "2×2")
NUMBER = re.compile(r"(?<![\d/])-?\d+(?:/\d+)?")


def numbers_on(page: str) -> set:
    """The sizes of the numbers a page prints, a shape such as 3×2 left out."""
    return {abs(Fraction(x)) for x in NUMBER.findall(re.sub(r"\d×\d", "", page))}


def given(problem) -> set:
    """The sizes of what a fill-in page gives to work from: A's entries; for ask=svd also AᵀA
    (shown, not asked) and V with the direction and length it is found from (the page works
    v₁ and v₂ out so that u₁ = Av₁/σ₁ can be asked); for ask=pinv the U, Σ and V of the statement."""
    A = [[Fraction(x) for x in row] for row in problem.params["A"]]
    data = [A]
    if problem.params["ask"] == "svd":
        V = read_svd(problem.parts[-1].answer)[2]
        length = max(Fraction(x).denominator for x in (V[0][0], V[1][0]))
        data += [gram(A), V, [[length, 1 / Fraction(length)]], [[x * length for x in (V[0][0], V[1][0])]]]
    elif problem.params["ask"] == "pinv":
        draft = svd.build(problem.params)
        data += [draft.context[name] for name in ("U", "S", "V")]
    return {abs(Fraction(x)) for M in data for row in M for x in row}


def asked(part) -> set:
    """The sizes of the numbers a blank's answer is made of, as the page would write them: the
    entries of a vector or matrix, U and Σ of an SVD (V the page works out; see `given`). A word
    such as "undefined" is left out: the page names it as an option whatever the answer."""
    if part.kind is Kind.SVD:
        U, S, _ = read_svd(part.answer)
        values = [x for M in (U, S) for row in M for x in row]
    elif isinstance(part.answer, str) and not NUMBER.fullmatch(part.answer):
        values = []
    else:
        value = part.answer if isinstance(part.answer, list) else [part.answer]
        values = [x for row in value for x in (row if isinstance(row, list) else [row])]
    return {abs(Fraction(x)) for x in values}


def test_no_fill_in_page_shows_a_number_its_blanks_ask_for():
    """Over 300 seeds, no number that a blank asks for (σᵢ², σᵢ, u₁, U, the condition number, AᵀA
    when it is a blank, Σ⁺, A⁺) is printed anywhere on the fill-in page, before or after its blank,
    unless the page gives it as data to work from. 0, 1 and 2 are left out: shapes, lengths of 1
    and ranks print them everywhere. The solution prints every one of them, as the same parser
    reads them, so the check reads the numbers as the page writes them."""
    checked = 0
    for seed in range(300):
        problem = generate("svd", "fill-in", seed=seed)
        hidden = {x for p in problem.parts for x in asked(p) if x not in (0, 1, 2)} - given(problem)
        assert hidden <= numbers_on(problem.solution), (seed, hidden - numbers_on(problem.solution))
        shown = hidden & numbers_on(problem.prompt)
        assert not shown, (seed, problem.params, sorted(shown))
        checked += len(hidden)
    assert checked > 1000


# --- the pool -----------------------------------------------------------------------------------

def pool(count=300):
    """(ask, A, σ) of the first `count` seeds."""
    for seed in range(count):
        params = svd.sample_params(Draws(seed), "free-response")
        A = [[Fraction(x) for x in row] for row in params["A"]]
        yield params["ask"], A, singular_values(A)


def test_the_pool_is_mostly_full_rank_varied_and_without_zero_rows_in_2x2():
    """Over 300 seeds: at most a fifth of the A are rank 1; a 2×2 A asked for its singular values
    or its SVD rarely has a zero row (its rank-1 ones have a zero column, or no zero at all); the
    singular values come in at least 55 pairs; and at least 65% of the AᵀA worked out are not
    diagonal (a diagonal one gives its eigenvalues away)."""
    drawn = list(pool())
    rank_one = sum(1 for _, _, sigma in drawn if not sigma[1])
    squares = [A for ask, A, _ in drawn if ask != "pinv" and len(A) == 2]
    zero_rows = sum(1 for A in squares if not all(map(any, A)))
    worked = [gram(A) for ask, A, _ in drawn if ask != "pinv"]
    assert rank_one <= 0.2 * len(drawn), rank_one
    assert len(squares) >= 60 and zero_rows <= 0.03 * len(squares), (zero_rows, len(squares))
    assert len({tuple(sigma) for _, _, sigma in drawn}) >= 55
    assert sum(1 for G in worked if G[0][1]) >= 0.65 * len(worked)


def test_a_diagonal_ata_has_its_eigenvalues_read_off_not_solved_for():
    """The worked solution reads the eigenvalues off a diagonal AᵀA (and V off I), and solves
    t² − (trace)t + det = 0 only when AᵀA is not diagonal."""
    seen = {True: 0, False: 0}
    for seed in range(150):
        problem = generate("svd", "example", seed=seed)
        if problem.params["ask"] == "pinv":
            continue
        G = gram([[Fraction(x) for x in row] for row in problem.params["A"]])
        text = " ".join(problem.prompt.split())
        diagonal = G[0][1] == 0
        read_off = "AᵀA is diagonal, so its eigenvalues are its diagonal entries" in text
        solved = "By the quadratic formula" in text or "Factor out t" in text
        assert read_off == diagonal != solved, (seed, problem.params)
        if diagonal and problem.params["ask"] == "svd" and G[0][0] != G[1][1]:
            assert "the columns of I are its eigenvectors" in text and "For σ₁² =" not in text
        seen[diagonal] += 1
    assert min(seen.values()) >= 15, seen
