import dataclasses
import inspect

import pytest

from drills import generate
from drills.problem import Problem


def test_a_problem_takes_its_fields_in_their_order():
    params = list(inspect.signature(Problem).parameters.values())
    assert [(p.name, p.default) for p in params] == [(f.name, inspect.Parameter.empty)
                                                     for f in dataclasses.fields(Problem)]
    problem = generate("matmul", seed=3)
    again = Problem(**{f.name: getattr(problem, f.name) for f in dataclasses.fields(Problem)})
    assert again == problem and again.solution == problem.solution
    assert Problem.from_dict(problem.to_dict()).to_dict() == problem.to_dict()
    with pytest.raises(dataclasses.FrozenInstanceError):
        problem.prompt = "changed"
