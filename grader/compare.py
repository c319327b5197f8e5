"""Grade one part: read the text, compare with the reference, say what is wrong and why."""
from __future__ import annotations

import json
from numbers import Number

from grader.diagnose import diagnose, in_radians, rounded
from grader.parse import AnswerError, read, read_choice, without_radians
from grader.spec import NO_VALUE, Kind, Part, PartVerdict
from grader.values import close, conform, dims, entries, from_json, same

MAX_LISTED = 4


def grade_part(part: Part, text: str | None) -> PartVerdict:
    """Score 0..1 with feedback; unreadable text is reported as such, never as merely wrong.
    A number or a list (a part's JSON answer, passed straight back) is taken as its text."""
    text = as_text(text, part.key)
    if text is None or not text.strip():
        return PartVerdict(part.key, 0.0, "No answer given.")
    if part.kind is Kind.CHOICE:
        return _grade_choice(part, text)
    if part.kind is Kind.EXPRESSION:
        from grader.expression.grading import grade_expression
        return grade_expression(part, text)
    if part.kind is Kind.SVD:
        from grader.properties import grade_svd
        return grade_svd(part, text)
    if part.kind is Kind.CODE:
        from grader.code import grade_code_part
        return grade_code_part(part, text)
    expected = from_json(part.answer, part.kind)
    if part.kind is Kind.NUMBER and part.tolerance and (number := without_radians(text)) is not None:
        return _grade_radians(part, number, expected)
    try:
        given = _read(text, part.kind, expected)
    except AnswerError as err:
        return PartVerdict.unreadable(part, err)
    score, feedback = _score(given, expected, part)
    if score >= 1:
        return PartVerdict(part.key, score, feedback)
    diagnosis = _diagnosis(given, expected, part)
    if not diagnosis and part.tolerance is None and "." in text and (slip := rounded(given, expected)):
        return PartVerdict(part.key, score, feedback, slip, ask_again=True)     # decimals for fractions
    # Every diagnosis is a wrong route, and what it shares with the answer (AB's diagonal with
    # BA's) it shares by chance: it earns nothing. A slip in one entry keeps the others' credit.
    return PartVerdict(part.key, 0.0 if diagnosis else score, feedback, diagnosis)


def as_text(answer, key: str = "") -> str | None:
    """An answer as the text a learner would type: a number as str() writes it, a list as its
    JSON; anything else but text (or None) is a TypeError."""
    if answer is None or isinstance(answer, str):
        return answer
    if isinstance(answer, Number) and not isinstance(answer, bool):
        return str(answer)
    if isinstance(answer, (list, tuple)):
        return json.dumps(answer, default=str)          # Fraction(3, 4) as "3/4"
    part = f" to part '{key}'" if key else ""
    raise TypeError(f"the answer{part} is a {type(answer).__name__}: give it as text, e.g. '[1, -2]'")


def _grade_radians(part: Part, text: str, expected) -> PartVerdict:
    """An angle typed with its unit in radians (1.047 rad): never right, as the part asks for
    degrees, and pointed out as radians where it is the right angle."""
    try:
        given = read(text, Kind.NUMBER)
    except AnswerError as err:
        return PartVerdict.unreadable(part, err)
    right = given != NO_VALUE and in_radians(given, expected, part.tolerance)
    return PartVerdict(part.key, 0.0, "Not correct: the angle is asked in degrees.", right or "")


def _read(text: str, kind: Kind, expected):
    """The answer as a value of `kind`; a vector of one entry (the residuals of a one-sample
    batch) may also be typed as the number."""
    try:
        return read(text, kind)
    except AnswerError as err:
        if kind is not Kind.VECTOR or dims(expected) != (1,):
            raise
        try:
            return [read(text, Kind.NUMBER)]
        except AnswerError:
            raise err from None


def _grade_choice(part: Part, text: str) -> PartVerdict:
    try:
        given = read_choice(text, part.choices)
    except AnswerError as err:
        return PartVerdict.unreadable(part, err)
    if given == part.answer:
        return PartVerdict(part.key, 1.0, "Correct.")
    diagnosis = next((m.message for m in part.mistakes if m.answer == given), "")
    return PartVerdict(part.key, 0.0, "Not correct.", diagnosis)


def _score(given, expected, part: Part) -> tuple[float, str]:
    if expected == NO_VALUE or given == NO_VALUE:
        return (1.0, "Correct.") if given == expected else (0.0, "Not correct.")
    if part.kind is Kind.SHAPE:
        return (1.0, "Correct.") if given == expected else (0.0, "Not the right shape.")
    fitted = conform(given, expected)
    if fitted is None:
        return 0.0, f"Expected {_describe_dims(dims(expected))}; your answer is {_describe_dims(dims(given))}."
    marks = [(index, close(g, e, part.tolerance))
             for (index, g), (_, e) in zip(entries(fitted), entries(expected))]
    wrong = [index for index, ok in marks if not ok]
    if not wrong:
        exact = same(fitted, expected)
        return 1.0, "Correct." if exact else f"Correct (within {part.tolerance.describe()})."
    score = 1 - len(wrong) / len(marks)
    if dims(expected) == ():
        return 0.0, _near_miss(fitted, expected, part) or "Not correct."
    if len(wrong) == len(marks):
        return 0.0, "Every entry is wrong."
    return score, f"{_list_entries(wrong)} {'is' if len(wrong) == 1 else 'are'} wrong."


def _near_miss(given, expected, part: Part) -> str:
    tol = part.tolerance
    if tol and abs(given - expected) <= 3 * (tol.abs + tol.rel * abs(expected)):
        return f"Close, but outside the tolerance ({tol.describe()})."
    return ""


def _diagnosis(given, expected, part: Part) -> str:
    if radians := in_radians(given, expected, part.tolerance):    # a tighter match than a listed mistake's
        return radians
    for mistake in part.mistakes:
        if same(given, from_json(mistake.answer, part.kind), part.tolerance):
            return mistake.message
    return diagnose(given, expected)


def _describe_dims(d: tuple) -> str:
    if d == ():
        return "a single number"
    if len(d) == 1:
        return f"a vector of {d[0]} entr{'y' if d[0] == 1 else 'ies'}"
    return f"a {d[0]}×{d[1]} matrix"


def _list_entries(indices: list[tuple[int, ...]]) -> str:
    names = [f"({', '.join(map(str, i))})" if len(i) > 1 else f"{i[0]}" for i in indices]
    noun = "Entries" if len(names) > 1 else "Entry"
    if len(names) > MAX_LISTED:
        return f"{noun} {', '.join(names[:MAX_LISTED])} and {len(names) - MAX_LISTED} more"
    return f"{noun} {' and '.join(names) if len(names) <= 2 else ', '.join(names[:-1]) + ' and ' + names[-1]}"
