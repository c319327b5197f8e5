"""The grader: exact and tolerant comparison, partial credit, shapes, and generic diagnoses."""
import pickle
from dataclasses import replace

import pytest

from drills.topics import part
from grader import Kind, Mistake, Part, Tolerance, grade, grade_part

M = Part("a", Kind.MATRIX, [[1, "1/2"], [3, 4]])


def test_equal_forms_of_the_right_answer_score_1():
    for text in ("[[1, 1/2], [3, 4]]", "1 0.5; 3 4", "[[1, 2/4], [3, 4]]", '[[1, "1/2"], [3, 4]]'):
        assert grade_part(M, text).score == 1, text


def test_partial_credit_names_the_wrong_entries():
    v = grade_part(M, "[[1, 1/2], [3, 5]]")
    assert v.score == 0.75 and "Entry (2, 2) is wrong" in v.feedback


def test_a_matrix_typed_a_row_a_line_inside_one_bracket_is_a_matrix():
    part = Part("a", Kind.MATRIX, [[-20, -20, 4], [0, -5, -13]])
    assert grade_part(part, "[-20 -20 4\n0 -5 -13]").score == 1
    assert not grade_part(part, "[-20 -20 4\n0 -5]").readable


def test_the_inverse_as_one_over_det_times_the_adjugate_is_read():
    inverse = Part("a", Kind.MATRIX, [["-3/2", -1], [-2, -1]])
    assert grade_part(inverse, "-1/2 [[3, 2], [4, 2]]").score == 1
    assert grade_part(inverse, "1/(-2) * [[3, 2], [4, 2]]").score == 1
    assert grade_part(inverse, "1/2 [[3, 2], [4, 2]]").diagnosis.startswith("The sign is flipped")


def test_wrong_shape_names_both_shapes():
    v = grade_part(M, "[[1, 2, 3], [4, 5, 6]]")
    assert v.score == 0 and "2×2" in v.feedback and "2×3" in v.feedback


def test_transposed_and_sign_and_factor_diagnoses():
    assert "transpose" in grade_part(M, "[[1, 3], [1/2, 4]]").diagnosis
    assert "sign" in grade_part(M, "[[-1, -1/2], [-3, -4]]").diagnosis
    assert "2 times" in grade_part(M, "[[2, 1], [6, 8]]").diagnosis
    assert grade_part(M, "[[1, 1/2], [3, 4]]").diagnosis == ""


def test_a_lone_number_is_off_by_a_factor_only_for_a_lost_or_doubled_2():
    slope = Part("a", Kind.NUMBER, -12)
    assert "1/2 times" in grade_part(slope, "-6").diagnosis and "2 times" in grade_part(slope, "-24").diagnosis
    assert grade_part(Part("m", Kind.NUMBER, "89/4"), "89/2").diagnosis.startswith("Off by a factor")
    assert grade_part(slope, "-36").diagnosis == ""                          # 3 times: by chance
    rank, cos, det = Part("r", Kind.NUMBER, 2), Part("c", Kind.NUMBER, 1), Part("d", Kind.NUMBER, 1)
    assert grade_part(rank, "1").diagnosis == "" and grade_part(cos, "2").diagnosis == ""
    assert grade_part(det, "3").diagnosis == ""
    assert grade_part(Part("t", Kind.NUMBER, 60, tolerance=Tolerance(abs=0.5)), "300").diagnosis == ""


def test_an_angle_given_in_radians_is_named_before_a_looser_listed_mistake():
    angle = Part("t", Kind.NUMBER, "44.4", tolerance=Tolerance(abs=0.5),
                 mistakes=(Mistake("0.7145", "That is cos θ."),))          # cos 44.4° is near 0.775 rad
    for text in ("0.7749", "0.775", "0.78"):
        assert grade_part(angle, text).diagnosis == "That is in radians; give the angle in degrees.", text
    assert grade_part(angle, "0.7").diagnosis == "That is cos θ."
    sixty = Part("t", Kind.NUMBER, 60, tolerance=Tolerance(abs=0.5))
    assert grade_part(sixty, "1.0472").diagnosis.startswith("That is in radians")
    assert grade_part(Part("n", Kind.NUMBER, 60), "1.0472").diagnosis == ""        # exact: not an angle
    unread = grade_part(angle, "pi/3")
    assert not unread.readable and "give an angle in degrees (60 for π/3)" in unread.feedback


def test_topic_mistakes_take_precedence_over_generic_ones():
    part = Part("a", Kind.MATRIX, [[1, 2], [3, 4]],
                mistakes=(Mistake([[1, 3], [2, 4]], "You swapped the factors."),))
    assert grade_part(part, "[[1, 3], [2, 4]]").diagnosis == "You swapped the factors."


def test_a_wrong_route_earns_nothing_for_the_entries_it_shares_by_chance():
    swapped = Part("a", Kind.MATRIX, [[1, 2], [3, 4]], mistakes=(Mistake([[1, 3], [2, 4]], "That is BA."),))
    v = grade_part(swapped, "[[1, 3], [2, 4]]")             # the diagonal is right, by chance
    assert v.score == 0 and v.diagnosis == "That is BA." and v.readable
    plain = Part("a", Kind.MATRIX, [[1, 2], [3, 4]])
    assert grade_part(plain, "[[1, 3], [2, 4]]").score == 0              # the transpose, found generically
    assert grade_part(Part("v", Kind.VECTOR, [0, 2, -3]), "[0, -2, 3]").score == 0    # the negative
    assert grade_part(plain, "[[1, 2], [3, 5]]").score == 0.75          # a slip keeps what is right
    one = Part("g", Kind.VECTOR, [3, 0])               # one entry that is not 0: a wrong value there is a slip
    assert [grade_part(one, t).score for t in ("[4, 0]", "[-3, 0]", "[6, 0]")] == [0.5, 0.5, 0]   # 6: a lost 2


@pytest.mark.parametrize("kind,answer,text,score", [(Kind.NUMBER, "1/3", "0.333", 0),
                                                    (Kind.VECTOR, [1, "1/3"], "[1, 0.333]", 0.5),
                                                    (Kind.MATRIX, [[1, "-8/3"]], "[[1, -2.67]]", 0.5)])
def test_a_rounded_decimal_for_an_exact_fraction_is_a_slip_that_practice_asks_again(kind, answer, text, score):
    part = Part("a", kind, answer)
    v = grade_part(part, text)
    assert v.score == score and v.readable and v.ask_again and "rounded" in v.diagnosis   # sheets: a slip
    assert grade_part(part, text.replace("0.333", "1/3").replace("-2.67", "-8/3")).score == 1
    assert not grade_part(part, text.replace("0.333", "0.5").replace("-2.67", "-2.5")).ask_again   # not close
    angle = Part("t", Kind.NUMBER, "1411/20", tolerance=Tolerance(abs=0.5))      # 70.55°, to ±0.5
    assert not grade_part(angle, "70.0").ask_again and grade_part(angle, "70.3").score == 1   # its own rule
    assert not grade_part(part, text.replace(".", "")).ask_again                  # no decimal: not rounded


@pytest.mark.parametrize("answer,text,rounded", [
    ("2/3", "0.67", True), ("2/3", "0.666", True), ("2/3", "0.7", True), ("1/8", "0.13", True),
    ("2/3", "0.65", False), ("2/3", "0.676", False),              # not 2/3 to 2 or 3 places
    ("178/5", "35.3", False), ("178/5", "35.9", False),           # 35.6 can be typed exactly
    ("7", "7.01", False), ("13/2", "6.45", False), ("1/8", "0.12", True), ("1/8", "0.1", True),
    ("-8/3", "-2.67", True), ("-8/3", "-2.66", True), ("-8/3", "2.67", False),
    ("1/3", "0.4", False), ("1/3", "0.34", False), ("1/3", "0.33", True), ("1/3", "0.333", True),
    ("61/100", "0.7", False), ("61/100", "0.6", True), ("-61/100", "-0.7", False),   # rounded the wrong way
])
def test_rounded_means_the_exact_value_to_the_places_typed(answer, text, rounded):
    verdict = grade_part(Part("a", Kind.NUMBER, answer), text)
    assert verdict.ask_again is rounded and ("rounded" in verdict.diagnosis) is rounded, verdict
    vector = grade_part(Part("a", Kind.VECTOR, [answer, "13/2"]), f"[{text}, 6.45]")
    assert not vector.ask_again                                   # 6.45 is no rounding of 6.5


def test_tolerance_is_stated_when_it_matters():
    part = Part("a", Kind.NUMBER, 3.14159, tolerance=Tolerance(rel=0.01))
    assert grade_part(part, "3.14").score == 1
    assert "within 1% relative" in grade_part(part, "3.14").feedback
    assert "outside the tolerance" in grade_part(part, "3.2").feedback
    assert grade_part(part, "3.2").score == 0
    angle = Part("t", Kind.NUMBER, 0, tolerance=Tolerance(abs=0.5))
    assert "Close" not in grade_part(angle, "2.094").feedback           # four times the tolerance away


def test_vector_typed_as_a_column_and_back():
    col = Part("a", Kind.MATRIX, [[1], [2]])
    vec = Part("b", Kind.VECTOR, [1, 2])
    assert grade_part(col, "[1, 2]").score == 1
    assert grade_part(vec, "[[1], [2]]").score == 1


def test_no_value_answers():
    none = Part("a", Kind.MATRIX, "none")
    for text in ("no inverse", "doesn’t exist", "non-invertible"):
        assert grade_part(none, text).score == 1, text
    claimed = grade_part(Part("n", Kind.NUMBER, 5), "doesn't exist")    # a claim, graded as one
    assert claimed.score == 0 and claimed.readable
    assert grade_part(none, "[[1, 0], [0, 1]]").score == 0
    shape = Part("b", Kind.SHAPE, "undefined")
    assert grade_part(shape, "undefined").score == 1
    assert grade_part(Part("c", Kind.SHAPE, "2x3"), "2 × 3").score == 1


def test_unreadable_is_not_merely_wrong():
    v = grade_part(M, "[[1, 2], [3")
    assert v.score == 0 and not v.readable and "never closed" in v.feedback
    assert "Expected a matrix" in v.feedback


def test_blank_and_missing_answers_score_0():
    problem = {"parts": [M.to_dict(), Part("b", Kind.NUMBER, 5).to_dict()]}
    verdict = grade(problem, {"b": "5"})
    assert verdict.score == 0.5 and not verdict.correct
    assert verdict.parts[0].feedback == "No answer given."


def test_verdict_json_shape():
    d = grade({"parts": [M.to_dict()]}, {"a": "1 1/2; 3 4"}).to_dict()
    assert d["score"] == 1 and d["correct"] is True
    assert set(d["parts"][0]) >= {"key", "correct", "score", "feedback", "diagnosis"}


def test_part_round_trips_through_json():
    part = Part("a", Kind.NUMBER, "3/4", label="x", hint="h", tolerance=Tolerance(0.01, 0.001),
                mistakes=(Mistake(1, "m"),))
    assert Part.from_dict(part.to_dict()) == part


def test_a_part_under_another_key_is_replace_with_that_key():
    part = Part("slot", Kind.NUMBER, "3/4", label="x", hint="h", tolerance=Tolerance(0.01),
                mistakes=(Mistake(1, "m"),), choices=("yes",), variables=("x",))
    keyed = part.keyed("b")
    assert keyed == replace(part, key="b") and part.key == "slot"
    assert type(keyed) is Part and grade_part(keyed, "0.75").score == 1


def test_a_parts_mistakes_are_worked_out_once_when_first_read_and_pickle_as_a_tuple():
    calls = []

    def routes():
        calls.append(1)
        return [(3, "three"), (2, "the answer itself: dropped"), (3, "three again: dropped"), (None, "no route")]
    p = part("a", Kind.NUMBER, 2, "x", mistakes=routes)
    assert calls == []
    assert [m.message for m in p.mistakes] == ["three"] and calls == [1]
    assert grade_part(p, "3").diagnosis == "three" and calls == [1]
    clone = pickle.loads(pickle.dumps(p))
    assert clone == p and clone.mistakes == (Mistake(3, "three"),) and isinstance(clone.mistakes, tuple)


def test_a_vector_of_one_entry_may_be_typed_as_its_number():
    one = Part("a", Kind.VECTOR, [-3], mistakes=(Mistake([3], "The residual is prediction minus target."),))
    assert grade_part(one, "-3").score == 1 and grade_part(one, "[-3]").score == 1
    assert grade_part(one, "3").diagnosis == "The residual is prediction minus target."
    wrong = grade_part(one, "[1, 2]")
    assert wrong.score == 0 and "a vector of 1 entry;" in wrong.feedback
    three = grade_part(Part("a", Kind.VECTOR, [1, 2, 3]), "5")
    assert not three.readable and "expected a vector" in three.feedback


def test_a_float_value_is_stored_as_its_shortest_decimal_and_read_back_the_same():
    from fractions import Fraction

    from grader.values import from_json, to_json
    import numpy as np
    assert to_json(0.1) == "1/10" and from_json(to_json([0.1, 2.5]), Kind.VECTOR) == [Fraction(1, 10), Fraction(5, 2)]
    assert to_json(np.float64(0.5)) == "1/2" and from_json(np.float64(0.1), Kind.NUMBER) == Fraction(1, 10)
    assert grade_part(part("x", Kind.NUMBER, 0.1, "x"), "0.1").score == 1


def test_an_unreadable_answer_is_told_the_expected_form_once():
    said_twice = grade_part(Part("s", Kind.SHAPE, [2, 3]), "1").feedback
    assert said_twice.count("2x3") == 1 and "Expected" not in said_twice
    word = grade_part(Part("n", Kind.NUMBER, 2), "abc").feedback
    assert "unexpected word 'abc'" in word and word.endswith("Expected a number, e.g. 7, -3/4 or 0.25.")


def test_a_number_or_list_through_the_python_api_is_read_as_its_text():
    from fractions import Fraction as F

    import grader
    from drills import generate

    problem = generate("mse", "free-response", seed=0)
    vector, number = problem.parts
    assert grader.grade(problem, {"a": vector.answer, "b": number.answer}).score == 1   # JSON answers, as they are
    assert grade_part(number, 22.25).score == 1 and grade_part(vector, (50, 54, 82, F(86))).score == 1
    assert grader.equivalent("2*x", "2x") and not grader.equivalent("x", 5)
    for answer in ({}, True, object()):
        with pytest.raises(TypeError, match="give it as text"):
            grade_part(number, answer)


def test_an_angle_typed_in_radians_with_its_unit_is_pointed_out_never_right():
    angle = Part("t", Kind.NUMBER, 60, tolerance=Tolerance(abs=0.5))
    for text in ("1.047 rad", "1.047 radians."):
        verdict = grade_part(angle, text)
        assert verdict.readable and verdict.score == 0 and "radians" in verdict.diagnosis
    wrong = grade_part(angle, "60 rad")                 # 60 radians is not 60°
    assert wrong.score == 0 and wrong.readable and "asked in degrees" in wrong.feedback


def test_every_answer_typed_after_its_own_label_scores_1():
    """'MSE(θ) = 89/4', 'C₂₁ = -1', 'ŷ = X_b·θ = [-2, -2]': a part's label (or its name, before
    the label's first comma) written before the answer is read past."""
    from drills import generate
    from drills.catalog import TOPICS
    from grader.values import typed

    for topic in TOPICS:
        for level in ("fill-in", "free-response"):
            problem = generate(topic, level, seed=2)
            for asked in problem.parts:
                if asked.kind in (Kind.NUMBER, Kind.VECTOR, Kind.MATRIX, Kind.EXPRESSION) and asked.label:
                    answer = asked.answer if asked.kind is Kind.EXPRESSION else typed(asked.answer, asked.kind)
                    for label in {asked.label, asked.label.split(", ")[0]}:
                        verdict = grade_part(asked, f"{label} = {answer}")
                        assert verdict.score == 1, (topic, level, label, verdict.feedback)


def test_a_part_takes_its_fields_in_their_order_with_their_defaults():
    import dataclasses
    import inspect

    params = list(inspect.signature(Part).parameters.values())
    assert [(p.name, p.default) for p in params] == [
        (f.name, inspect.Parameter.empty if f.default is dataclasses.MISSING else f.default)
        for f in dataclasses.fields(Part)]
    part = Part("a", Kind.NUMBER, 3, "x", tolerance=Tolerance(0.1))
    assert (part.key, part.answer, part.label, part.tolerance, part.mistakes) == ("a", 3, "x", Tolerance(0.1), ())
    with pytest.raises(dataclasses.FrozenInstanceError):
        part.key = "b"
