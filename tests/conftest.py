import json
from fractions import Fraction

import pytest

from grader.spec import NO_VALUE_WORDS, Kind


def json_text(answer) -> str:
    """How a learner would type a part's JSON answer back: its JSON text, or the string itself."""
    return answer if isinstance(answer, str) else json.dumps(answer)


def params_error(topic: str, params, level: str = "free-response") -> str:
    """The message of the DrillsError that `params` give: one line, as the contract asks."""
    from drills import generate
    from drills.errors import DrillsError

    with pytest.raises(DrillsError) as err:
        generate(topic, level, params=params)
    message = str(err.value)
    assert message and "\n" not in message, message
    return message


def perturb_part(part) -> str:
    """The text of a plausible wrong answer to `part`."""
    if part.kind is Kind.CHOICE:
        return next(c for c in part.choices if c != part.answer)
    if part.kind is Kind.EXPRESSION:
        return f"{part.answer} + 1"
    if part.kind is Kind.CODE:                 # the model solution, with 1 added to what it returns
        name = part.code.exercise
        return f"{part.answer}\n\n_right = {name}\n\n\ndef {name}(*args):\n    return _right(*args) + 1\n"
    if part.kind is Kind.SVD:                  # σ₁ one larger: UΣVᵀ is no longer A
        from grader.properties import read_svd, svd_text
        U, S, V = read_svd(part.answer)
        S[0][0] += 1
        return svd_text(U, S, V)
    return json_text(perturb(part.answer, part.kind))


def perturb(answer, kind: Kind):
    """A plausible wrong answer: one entry off by one, another shape, or a value for 'none'."""
    if isinstance(answer, str) and answer.lower() in NO_VALUE_WORDS:
        return {Kind.SHAPE: "2x2", Kind.NUMBER: "1"}.get(kind, "[[1, 0], [0, 1]]")
    if kind is Kind.SHAPE:
        rows, cols = answer.split("x")
        return f"{int(rows) + 1}x{cols}"
    if isinstance(answer, list):
        return [perturb(answer[0], kind)] + answer[1:]
    return str(Fraction(answer) + 1) if isinstance(answer, str) else answer + 1


@pytest.fixture(autouse=True)
def drills_home(tmp_path, monkeypatch):
    """Every test keeps its progress store in its own folder, never in the user's."""
    monkeypatch.setenv("DRILLS_HOME", str(tmp_path / "home"))
    return tmp_path / "home"
