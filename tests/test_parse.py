"""Safe reading of numbers, vectors, matrices and shapes: what people type, and helpful errors."""
import re
import time
from fractions import Fraction as F

import pytest
from hypothesis import given, strategies as st

from grader.compare import grade_part
from grader.parse import AnswerError, read, read_array, read_choice, read_number, read_shape
from grader.spec import NO_VALUE, Kind, Part
from grader.values import to_text


@pytest.mark.parametrize("text,value", [
    ("7", F(7)), ("-3", F(-3)), ("−3", F(-3)), ("3/4", F(3, 4)), ("-3/4", F(-3, 4)),
    ("3 / 4", F(3, 4)), ("0.25", F(1, 4)), (".5", F(1, 2)), ("1e-3", F(1, 1000)),
    ("2.5E2", F(250)), ("0.1", F(1, 10)), ("  12 ", F(12)),
    ("‑3/4", F(-3, 4)), ("‐3/4", F(-3, 4)), ("－3/4", F(-3, 4)), ("﹣3/4", F(-3, 4)),
    ("- 3/4", F(-3, 4)), ("+ 3", F(3)), ("\u30003\u202f", F(3)), ("1÷2", F(1, 2)), ("𝟑/𝟒", F(3, 4)),
])
def test_numbers_are_read_exactly(text, value):
    assert read(text, Kind.NUMBER) == value


@pytest.mark.parametrize("text", ["[1, 2]", "(1, 2)", "1 2", "1, 2", "[1 2]", "[\"1\", \"2\"]", "［1, 2］", "（1，2）",
                                  "[1,\u202f2]", "[1,\u20092]", "1\u30002", "[1, + 2]", "1 4 / 2", "+ 1 2"])
def test_vector_forms(text):
    assert read(text, Kind.VECTOR) == [1, 2]


@pytest.mark.parametrize("text,kind,value", [("½", Kind.NUMBER, F(1, 2)), ("-¾", Kind.NUMBER, F(-3, 4)),
                                            ("1⁄3", Kind.NUMBER, F(1, 3)), ("[⅔, -½]", Kind.VECTOR, [F(2, 3), F(-1, 2)]),
                                            ("½ -¾", Kind.VECTOR, [F(1, 2), F(-3, 4)]), ("[1, ½]", Kind.VECTOR, [1, F(1, 2)])])
def test_a_fraction_typed_as_one_character(text, kind, value):
    assert read(text, kind) == value


@pytest.mark.parametrize("text,kind", [("1½", Kind.NUMBER), ("[2¾, 1]", Kind.VECTOR), ("2½x", Kind.EXPRESSION),
                                       ("[1 ½, 2]", Kind.VECTOR)])          # one number, or two?
def test_a_mixed_number_is_unreadable_not_read_as_11_over_2(text, kind):
    with pytest.raises(AnswerError, match="give it as one fraction, [35]/2|11/4"):
        read(text, kind)


@pytest.mark.parametrize("text", ["(1, 2)ᵀ", "[1 2]^T", "[1, 2]^{T}", "[1, 2].T", "[1 2]'", "x = (1, 2)ᵀ"])
def test_a_vector_written_as_a_transposed_row_is_the_vector(text):
    assert read(text, Kind.VECTOR) == [1, 2]


@pytest.mark.parametrize("text", ["[[1, 2], [3, 4]]ᵀ", "[1 2; 3 4]'", "[[1, 2], [3, 4]]^T"])
def test_a_matrix_with_a_transpose_mark_is_unreadable_not_read_untransposed(text):
    with pytest.raises(AnswerError, match="transpose mark .* after the matrix is not read"):
        read(text, Kind.MATRIX)
    assert read("'[[1, 2], [3, 4]]'", Kind.MATRIX) == [[1, 2], [3, 4]]     # quotes are no mark


@pytest.mark.parametrize("text", ["[[1,2],[3,4]]", "1 2; 3 4", "[1 2; 3 4]", "1 2\n3 4",
                                  "((1, 2), (3, 4))", "[[1, 2],\n [3, 4]]", "1, 2; 3, 4",
                                  "[[1, 2]; [3, 4]]", "[1 2\n 3 4]", "[\n1 2\n3 4\n]", "(1, 2\n3, 4)",
                                  "[[1, 2]\n[3, 4]]"])
def test_matrix_forms(text):
    assert read(text, Kind.MATRIX) == [[1, 2], [3, 4]]


def test_inside_brackets_a_newline_after_a_comma_is_only_layout():
    assert read("[1, 2,\n 3, 4]", Kind.VECTOR) == [1, 2, 3, 4]
    assert read("[[1, 2],\n [3, 4],\n [5, 6]]", Kind.MATRIX) == [[1, 2], [3, 4], [5, 6]]


@pytest.mark.parametrize("text", ["-1/2 [[2, 2], [4, 3]]", "1/(-2) * [[2, 2], [4, 3]]", "(-1/2)·[2 2; 4 3]",
                                  "-0.5[[2, 2], [4, 3]]", "- 1/2 [[2, 2],\n [4, 3]]"])
def test_one_scalar_in_front_multiplies_the_matrix(text):
    assert read(text, Kind.MATRIX) == [[-1, -1], [-2, F(-3, 2)]]


def test_json_of_an_exact_matrix_reads_back():
    assert read('[["1/2", 3], [-1, "-5/4"]]', Kind.MATRIX) == [[F(1, 2), 3], [-1, F(-5, 4)]]


@pytest.mark.parametrize("text", ["undefined", "None", "no inverse", "Singular.", "DNE", "does not exist",
                                  "Doesn't exist.", "doesn’t exist", "non-invertible", "Noninvertible",
                                  "not possible", "impossible"])
def test_words_for_no_value(text):
    assert read(text, Kind.MATRIX) == NO_VALUE
    assert read(text, Kind.SHAPE) == NO_VALUE


@pytest.mark.parametrize("text,shape", [("2x3", (2, 3)), ("2 × 3", (2, 3)), ("(2, 3)", (2, 3)),
                                        ("2 by 3", (2, 3)), ("4X1", (4, 1)), ("2-by-3", (2, 3)),
                                        ("[2, 3]", (2, 3)), ("2x3 matrix.", (2, 3))])
def test_shapes(text, shape):
    assert read_shape(text) == shape


@pytest.mark.parametrize("text,kind,value", [
    ("x = [3, -2]", Kind.VECTOR, [F(3), F(-2)]), ("A⁻¹ = [[1, 2], [3, 4]]", Kind.MATRIX, [[F(1), F(2)], [F(3), F(4)]]),
    ("det A = -5", Kind.NUMBER, F(-5)), ("|a| = 13", Kind.NUMBER, F(13)), ("cos α = 1/2", Kind.NUMBER, F(1, 2)),
    ("AB = undefined", Kind.MATRIX, NO_VALUE), ("shape = 2x3", Kind.SHAPE, (2, 3)),
    ("MSE(θ) = 89/4", Kind.NUMBER, F(89, 4)), ("det(X_bᵀX_b) = 20", Kind.NUMBER, F(20)),
    ("f'(x₁) = -1", Kind.NUMBER, F(-1)), ("f’(x₁) = -1", Kind.NUMBER, F(-1)), ("f′(x₁) = -1", Kind.NUMBER, F(-1)),
    ("∂f/∂x = 5", Kind.NUMBER, F(5)), ("∇f = [4, 4]", Kind.VECTOR, [F(4), F(4)]),
    ("∇MSE(θ) = [1, 27/2]", Kind.VECTOR, [F(1), F(27, 2)]), ("ŷ = X_b·θ = [-2, -2]", Kind.VECTOR, [F(-2), F(-2)]),
    ("θ^(1) = [1, 2]", Kind.VECTOR, [F(1), F(2)]), ("(AB)ᵀ = [[1, 2], [3, 4]]", Kind.MATRIX, [[F(1), F(2)], [F(3), F(4)]]),
    ("rank(A) = 2", Kind.NUMBER, F(2)), ("cos(θ) = 1/2", Kind.NUMBER, F(1, 2)),
])
def test_a_name_written_before_the_answer_is_read_past(text, kind, value):
    assert read(text, kind) == value


def test_a_name_alone_or_a_comparison_is_not_an_answer():
    for text in ("x =", "x == 3", "= "):
        with pytest.raises(AnswerError):
            read(text, Kind.NUMBER)
    for text in ("x = 3 = 3", "x = 2 = 3", "1e3 = 3", "[1] = 3", "(1) = 3"):    # never read past a value
        with pytest.raises(AnswerError, match="unexpected '='.*alone or after its name"):
            read(text, Kind.NUMBER)


@pytest.mark.parametrize("text,kind", [
    ("x₁ = 3, x₂ = -2", Kind.NUMBER), ("θ₀ = 3 and θ₁ = -2", Kind.NUMBER), ("a = 3 and b = -2", Kind.NUMBER),
    ("2x = 10", Kind.NUMBER), ("0.5x = 3", Kind.NUMBER), ("x = -2; y = 3", Kind.NUMBER),
])
def test_a_value_before_an_equals_sign_is_not_read_past(text, kind):
    with pytest.raises(AnswerError, match="before '=' holds a number"):
        read(text, kind)


def test_values_named_one_by_one_for_a_vector_are_shown_as_a_vector():
    with pytest.raises(AnswerError, match=re.escape("type the vector as [3, -2]")):
        read("x = 3, y = -2", Kind.VECTOR)


@pytest.mark.parametrize("text", ["x_1 = 3", "x₁ = 3", "x1 = 3", "θ^(1) = 3", "f(2) = 3", "row 1 of Aᵀ = 3",
                                  "c₁₃, entry (1, 3) of AB = 3", "updates in all 3 epochs = 3"])
def test_a_label_with_numbers_in_it_is_still_a_name(text):
    assert read(text, Kind.NUMBER) == F(3)


@pytest.mark.parametrize("text,message", [
    ("", "empty"),
    ("abc", "unexpected word 'abc' at column 1"),
    ("[1, 2", "'[' at column 1 is never closed"),
    ("[1, 2)", "'[' at column 1 is closed by ')' at column 6"),
    ("1 2]", "']' at column 4 closes nothing"),
    ("1 2; 3", "row 2 has 1 entry but row 1 has 2"),
    ("[1 2 3\n4]", "row 2 has 1 entry but row 1 has 3"),
    ("3/0", "division by zero"),
    ("1/(0) [1, 2]", "division by zero in '1/(0)'"),
    ("-1/2 [[1, 2], [3", "'[' at column 15 is never closed"),
    ("1e999999", "too large"),
    ("1e-999999", "'1e-999999' is too small a number to read"),
    ("1e" + "9" * 5000, "too large"),
    ("[[1; -2], [3; 4]]", "';' starts a new row, so inside [[…]] it nests too deep"),
    ("diag(15, 0)", "diag(…) is not read: write the matrix out"),
    ("\\frac{1}{2}", "LaTeX is not read: type plain text, e.g. 1/2"), ("60^\\circ", "LaTeX is not read"),
    ("1.81×10^3", "a power of ten is typed with e, e.g. 1.81e3"),
    ("9" * 200, "too large"),
    ("0." + "3" * 60, "has too many digits to read (at most 60)"),
    ("0.(3)", "0.(3) is a repeating decimal: give it as a fraction"),
    ("[1, 0.1(6)]", "0.1(6) is a repeating decimal"),
    ("[" * 900 + "1" + "]" * 900, "too many brackets"),
    ("[1] " * 500, "too many entries"),
    ("1 - 2", "unexpected '-' at column 3"),
    ("[1, 2] - 3", "unexpected '-' at column 8"),
    ("1,,2", "missing entry before ','"),
    ("[[[1]]]", "too deeply nested"),
    ("[]", "empty list"),
    ("\x00", "invisible character U+0000 at column 1"),
    ("1 2\u200b", "invisible character U+200B at column 4"),
    ("__import__('os')", "unexpected"),
])
def test_unreadable_text_says_why(text, message):
    with pytest.raises(AnswerError, match=re.escape(message)):
        read_array(text)


def test_huge_input_is_refused_quickly():
    start = time.perf_counter()
    for text in ("1 " * 100_000, "[" * 5000 + "1" + "]" * 5000, "1" * 1_000_000):
        with pytest.raises(AnswerError):
            read_array(text)
    assert time.perf_counter() - start < 5   # generous: a guard against hangs, not a benchmark


@pytest.mark.parametrize("text,kind,column", [
    ("x = [1, 2, ?]", Kind.VECTOR, 12), ("  [1, 2, ?]", Kind.VECTOR, 10), ("A = [[1, 2]], [3", Kind.MATRIX, 15),
    ("−½[1, 2, ?]", Kind.VECTOR, 10), ("ŷ = X_b·θ = [1, 2, ?]", Kind.VECTOR, 20), ("120° ?", Kind.NUMBER, 6),
])
def test_a_column_in_a_message_counts_what_was_typed(text, kind, column):
    with pytest.raises(AnswerError, match=f"at column {column}\\b"):
        read(text, kind)


def _best_time(part: Part, text: str) -> float:
    best = float("inf")
    for _ in range(7):       # the fastest of several, in CPU time: others on the machine don't count
        start = time.process_time()
        grade_part(part, text)
        best = min(best, time.process_time() - start)
    return best


SVD = "U = [[1, 0], [0, 1]]; S = [[2, 0], [0, 1]]; V = [[1, 0], [0, 1]]"


@pytest.mark.parametrize("kind,answer,make", [
    (Kind.VECTOR, [5, 1], lambda n: "5" + " " * n + "1"),
    (Kind.VECTOR, [5, 1], lambda n: "5" + "\n" * n + "1"),
    (Kind.NUMBER, 5, lambda n: "5" + " " * n + "x"),
    (Kind.NUMBER, 5, lambda n: "5" + " \t\n" * (n // 3) + "degrees x"),
    (Kind.NUMBER, 5, lambda n: "1" * n + " ½"),
    (Kind.MATRIX, [[1]], lambda n: "(" + " " * n + "5"),
    (Kind.MATRIX, [[1]], lambda n: "5/(" + " " * n + "x"),
    (Kind.MATRIX, [[1]], lambda n: "-" + " " * n + "x"),
    (Kind.SHAPE, "2x3", lambda n: "2x3" + " " * n + "y"),
    (Kind.SVD, SVD, lambda n: "U = 5" + " " * n + "1; S = [2, 1]; V = [[1, 0], [0, 1]]"),
    (Kind.EXPRESSION, "2*x", lambda n: "f = " + "x " * (n // 20) + "= x"),
])
def test_every_answer_is_read_in_linear_time(kind, answer, make):
    """Ten times the text takes about ten times as long (a backtracking regex took a thousand
    times as long: hours for 9,000 spaces between two numbers). Sizes grow while it holds."""
    part = Part("a", kind, answer)
    times = []
    for n in (90, 900, 9000):
        times.append(_best_time(part, make(n)))
        assert len(times) == 1 or times[-1] < 40 * times[-2], f"{n} characters: {times}"


def test_a_single_number_for_a_vector_is_refused_with_the_expected_form():
    with pytest.raises(AnswerError, match="expected a vector"):
        read("5", Kind.VECTOR)


def test_number_parts_accept_a_one_entry_list():
    assert read("[5]", Kind.NUMBER) == 5 and read("(1/2)", Kind.NUMBER) == F(1, 2)
    with pytest.raises(AnswerError, match="single number"):
        read("[5, 6]", Kind.NUMBER)


@pytest.mark.parametrize("text,kind,value", [("1/2.", Kind.NUMBER, F(1, 2)), ("1810.", Kind.NUMBER, F(1810)),
                                            ("[[1, -2], [3, 4]].", Kind.MATRIX, [[1, -2], [3, 4]]),
                                            ("x = [1, 2]. ", Kind.VECTOR, [1, 2]), ("(1, 2)ᵀ.", Kind.VECTOR, [1, 2])])
def test_a_sentence_period_after_the_answer_is_read_past(text, kind, value):
    assert read(text, kind) == value
    with pytest.raises(AnswerError):
        read("[1, 2]..", Kind.VECTOR)                   # one period, not any number of them


@pytest.mark.parametrize("text", ["0.5 (1/2)", "22.25 (89/4)", "-3/2 (-1.5)", "2 [3]", "(1/2)(0.5)"])
def test_a_number_given_twice_is_refused_not_multiplied(text):
    with pytest.raises(AnswerError, match="a number before a bracket: give just one number"):
        read(text, Kind.NUMBER)
    assert read("2 [3, 1]", Kind.VECTOR) == [6, 2]                      # a factor in front of a vector


fractions = st.fractions(max_denominator=50).filter(lambda x: abs(x) < 10**6)


@given(st.lists(st.lists(fractions, min_size=3, max_size=3), min_size=1, max_size=4))
def test_what_we_show_reads_back_as_the_same_value(matrix):
    assert read_array(to_text(matrix)) == matrix


@given(fractions)
def test_read_number_round_trips(x):
    assert read_number(str(x)) == x


def test_a_number_with_many_slashes_is_refused_not_read_as_nested_fractions():
    for text in ("1/2/2", "1/" * 3000 + "1"):           # no RecursionError either
        with pytest.raises(AnswerError, match="two '/'"):
            read_number(text)


@pytest.mark.parametrize("text,word", [("diverges", "diverges"), ("d", "diverges"), ("Osc.", "oscillates"),
                                       ("diverging", "diverges"), ("divergence", "diverges"),
                                       ("oscillating", "oscillates"), ("convergent", "converges")])
def test_a_choice_by_its_start_or_another_form_of_the_word(text, word):
    assert read_choice(text, ("converges", "oscillates", "diverges")) == word


@pytest.mark.parametrize("text", ["x", "", "co", "verges"])
def test_a_choice_that_names_none_or_two_is_unreadable(text):
    with pytest.raises(AnswerError, match="expected one of"):
        read_choice(text, ("converges", "convex", "diverges"))


@pytest.mark.parametrize("text,named", [
    ("converges, oscillates or diverges", "converges, oscillates and diverges"),
    ("converges or diverges", "converges and diverges"), ("Converges/oscillates", "converges and oscillates"),
    ("converging, not diverging", "converges and diverges"), ("diverges or c", "diverges and converges"),
])
def test_a_choice_naming_several_is_unreadable_not_read_by_its_first_word(text, named):
    with pytest.raises(AnswerError, match=f"it names {named}; expected just one of"):
        read_choice(text, ("converges", "oscillates", "diverges"))
    assert read_choice("converges (convergent)", ("converges", "oscillates", "diverges")) == "converges"


def test_an_angle_may_carry_its_degree_sign():
    assert read("120°", Kind.NUMBER) == 120 and read("-22.5 °", Kind.NUMBER) == F(-45, 2)
    assert read("180 degrees", Kind.NUMBER) == 180 and read("45 Deg.", Kind.NUMBER) == 45
    assert read("60º", Kind.NUMBER) == 60 and read("60˚", Kind.NUMBER) == 60        # U+00BA, U+02DA


@pytest.mark.parametrize("text", ["inf", "Infinity", "∞"])
def test_infinity_is_pointed_to_undefined(text):
    with pytest.raises(AnswerError, match="type 'undefined'"):
        read(text, Kind.NUMBER)


def test_a_decimal_comma_is_pointed_to_the_point():
    with pytest.raises(AnswerError, match=re.escape("(a decimal takes a point: 35.6)")):
        read("35,6", Kind.NUMBER)
    with pytest.raises(AnswerError, match=re.escape("1.810; a whole number takes no comma: 1810)")):
        read("1,810", Kind.NUMBER)
