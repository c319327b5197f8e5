"""Expression parts: correct forms score 1, each diagnosis names its mistake, unreadable
and undecidable answers say so."""
import pytest

from drills import generate
from grader import AnswerError, Kind, Mistake, Part, equivalent, grade_part
from grader.expression import Outcome, compare, read_expression

SQUARED_ERROR_DW = Part("a", Kind.EXPRESSION, "-2*x*(y - (w*x + b))", variables=("w", "b", "x", "y"),
                        mistakes=(Mistake("-2*(y - (w*x + b))", "The inner derivative x is missing."),))


@pytest.mark.parametrize("text", ["2x(wx + b - y)", "2*x^2*w + 2*b*x - 2*x*y", "−2x(y − wx − b)",
                                  "2·x·(w·x + b − y)", "-2x y + 2w x² + 2b x", "(2wx + 2b - 2y)x"])
def test_every_correct_form_scores_one(text):
    verdict = grade_part(SQUARED_ERROR_DW, text)
    assert verdict.score == 1 and verdict.feedback == "Correct.", (text, verdict)


@pytest.mark.parametrize("text,says", [
    ("2x(y - wx - b)", "sign is flipped"),
    ("x(wx + b - y)", "1/2 times"),
    ("-2(y - wx - b)", "inner derivative x is missing"),
    ("2x(wx + b - y) + 3", "your answer is 3 more"),
    ("2x(wx + b - y) - 3", "your answer is 3 less"),
])
def test_diagnoses(text, says):
    verdict = grade_part(SQUARED_ERROR_DW, text)
    assert verdict.score == 0 and verdict.readable and verdict.decided
    assert says in verdict.diagnosis, verdict


def test_an_unbraced_subscript_is_digits_or_one_letter_as_in_latex():
    part = Part("a", Kind.EXPRESSION, "-2*x_1*(y - (w_1*x_1 + w_2*x_2 + b))",
                variables=("w_1", "w_2", "x_1", "x_2", "b", "y"))
    assert grade_part(part, "2x_1(w_1x_1 + w_2x_2 + b - y)").score == 1
    theta = Part("a", Kind.EXPRESSION, "-2*x*(y - (theta_0 + theta_1*x))", variables=("theta_0", "theta_1", "x", "y"))
    assert grade_part(theta, "2x(theta_0 + theta_1x - y)").score == 1


def test_a_latex_power_in_braces_is_read():
    part = Part("a", Kind.EXPRESSION, "5*x**2 - 2*x*exp(-x)", variables=("x",))
    assert grade_part(part, "5x^{2} - 2x e^{-x}").score == 1
    assert not grade_part(part, "5x^{2 - 2x").readable                 # an unclosed brace is still refused


def test_no_diagnosis_is_invented():
    assert grade_part(SQUARED_ERROR_DW, "-2*(y - w*x - b)*w").diagnosis == ""


@pytest.mark.parametrize("text,rounded", [("2.666w + 2b - 5.333", True), ("2.67w+2b-5.33", True),
                                           ("2.7w + 2b - 5.3", True), ("3w + 2b - 5", False),
                                           ("2.65w + 2b - 5.33", False), ("2.67w + 2.01b - 5.33", False),
                                           ("2.67w + 2b - 5.34", False), ("2.6w + 2b - 5.4", False)])
def test_decimals_for_fractions_are_called_rounded(text, rounded):
    part = Part("d", Kind.EXPRESSION, "8/3*w + 2*b - 16/3")
    verdict = grade_part(part, text)      # rounded: practice asks again
    assert verdict.score == 0 and verdict.diagnosis.startswith("Close, but rounded") is rounded, verdict
    assert verdict.readable and verdict.ask_again is rounded


def test_an_answer_without_a_decimal_point_is_never_called_rounded():
    part = Part("a", Kind.EXPRESSION, "2*x - 6", variables=("x",))
    assert grade_part(part, "2*sqrt(x^2) - 6").diagnosis == ""          # right only where x > 0
    assert not grade_part(part, "2.001x - 6").ask_again                  # 2 is typed as it is: no rounding
    thirds = Part("a", Kind.EXPRESSION, "2/3*x - 6", variables=("x",))
    assert grade_part(thirds, "0.667x - 6").diagnosis.startswith("Close, but rounded")
    assert not grade_part(thirds, "0.667x - 6.1").ask_again               # -6 is no rounding of -6.1


def test_a_missing_factor_is_found_without_a_listed_mistake():
    part = Part("a", Kind.EXPRESSION, "6*(3*x + 1)^(1) * x", variables=("x",))
    assert grade_part(part, "6*(3*x + 1)").diagnosis == "A factor x is missing."    # nothing more is known


@pytest.mark.parametrize("label", ["∂f/∂x", "f'(x)", "df/dx"])
def test_a_missing_factor_is_a_power_rule_slip_or_a_dropped_constant_never_called_the_chain_rule(label):
    part = Part("a", Kind.EXPRESSION, "3*x^2*y", label=label, variables=("x", "y"))
    power, constant = grade_part(part, "3xy").diagnosis, grade_part(part, "3x^2").diagnosis
    assert power == "A factor x is missing: the derivative of x^k is k·x^(k−1)."       # x³ to 3x
    assert constant == "A factor y is missing: y is a constant here, and a constant factor stays."
    assert "chain rule" not in power + constant


def test_wrong_answer_shows_how_it_was_read():
    verdict = grade_part(SQUARED_ERROR_DW, "1/2x")
    assert "read as 1/2*x" in verdict.feedback
    long = grade_part(SQUARED_ERROR_DW, "+".join(["tan(xywb)"] * 99))       # 990 characters
    assert "read as tan(" in long.feedback and "…" in long.feedback and len(long.feedback) < 100


@pytest.mark.parametrize("text,message", [("foo(x)", "unknown function foo"), ("2x(wx + b", "column 3"),
                                          ("2,x", "use * between factors"), ("x == 2", "only the expression"),
                                          ("2x(wx + b - z)", "z is not in this problem; use b, w, x, y."),
                                          ("2X(WX + b - y)", "W, X are not in this problem")])
def test_unreadable_answers_are_not_wrong_answers(text, message):
    verdict = grade_part(SQUARED_ERROR_DW, text)
    assert not verdict.readable and verdict.score == 0 and message in verdict.feedback


def test_undecided_is_never_silently_wrong(monkeypatch):
    from grader.expression import equivalence
    monkeypatch.setattr(equivalence, "sample", lambda a, b: Outcome.UNDECIDED)
    monkeypatch.setattr("grader.expression.symbolic.confirm", lambda a, b, s: Outcome.UNDECIDED)
    verdict = grade_part(SQUARED_ERROR_DW, "2x(wx + b - y)")
    assert verdict.score == 0 and not verdict.decided and "Could not decide" in verdict.feedback


def test_sympy_settles_what_sampling_cannot():
    # Both sides are 1e-9 apart: floats cannot tell, exact SymPy can.
    assert compare("exp(x) + 1/1000000000", "exp(x)") is Outcome.DIFFERENT
    assert compare("exp(x) + 1/1000000000", "1/1000000000 + exp(x)") is Outcome.EQUAL


def test_the_sympy_deadline_holds_in_the_main_thread_only_as_its_docstring_says():
    import threading
    import time

    from grader.expression import symbolic
    with pytest.raises(symbolic._Late):
        with symbolic.deadline(0.05):
            time.sleep(2)
    finished = []

    def worker():
        with symbolic.deadline(0.01):
            time.sleep(0.1)
        finished.append(True)
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert finished == [True] and "no time limit" in symbolic.deadline.__doc__


def test_domains_and_absolute_values():
    assert equivalent("log(a*b)", "log(a) + log(b)")
    assert not equivalent("sqrt(x^2)", "x") and equivalent("sqrt(x^2)", "abs(x)")
    assert compare("sqrt(-x^2 - 1)", "x") is Outcome.DIFFERENT


def test_equivalent_raises_for_unreadable_text():
    with pytest.raises(AnswerError):
        equivalent("__import__('os')", "x")


def test_words_split_into_letters_unless_known():
    assert read_expression("wx").names() == {"w", "x"}
    assert read_expression("theta_0 + eta").names() == {"theta_0", "eta"}
    assert read_expression("θ₀").names() == {"theta_0"}
    assert read_expression("xy", variables=("xy",)).names() == {"xy"}
    assert str(read_expression("sin x cos x")) == "sin(x)*cos(x)"


def test_a_problems_whole_word_variables_join_the_known_names():
    from grader.expression.syntax import _KNOWN, _vocabulary
    known, longest = _vocabulary(frozenset({"rate", "w_1"}))
    assert "rate" in known and "w_1" not in known and _KNOWN < known    # w_1 is read as w with a subscript
    assert longest == max(map(len, _KNOWN))
    assert _vocabulary(frozenset({"learningrate"}))[1] == len("learningrate")


@pytest.mark.parametrize("text,diagnosis", [("10xy^2 + 5", "The term y^2 is missing."),
                                            ("10xy^2 + y^2 + 2y + 5", "The term 2y should not be there."),
                                            ("10xy^2 + 3y^2 + 5", "The coefficient of y^2 is wrong."),
                                            ("10xy^2 + 2y + 5", "Two terms are off: the term y^2 is missing, "
                                                                "and the term 2y should not be there."),
                                            ("10xy^2 + 2y^2 + 4", "Two terms are off: the coefficient of y^2 is "
                                                                  "wrong, and the constant term is wrong."),
                                            ("x + 2y + 5", "")])        # three terms apart: no guess
def test_a_polynomial_one_or_two_terms_apart_is_diagnosed(text, diagnosis):
    part = Part("a", Kind.EXPRESSION, "10*x*y^2 + y^2 + 5", variables=("x", "y"))
    verdict = grade_part(part, text)
    assert verdict.score == 0 and verdict.readable and verdict.diagnosis == diagnosis


def test_f_itself_for_its_derivative_is_diagnosed():
    problem = generate("partial-derivatives", "free-response", seed=3)
    part = problem.parts[-1]
    f = problem.params["f"]
    assert grade_part(part, f).diagnosis.startswith("That is f itself")
