"""mse's fast paths: a sampled draft equals the one build makes from its params."""
from fractions import Fraction

import numpy as np
import pytest

from drills.topics import mse
from drills.topics.draw import Draws
from grader.reference.rational import matvec


@pytest.mark.parametrize("X, theta", [([[1, 2], [3, -4]], [5, 6, 7]), ([[Fraction(1, 2)], [0]], [Fraction(-3, 4), 2])])
def test_predictions_are_x_b_times_theta(X, theta):
    assert mse._predictions(X, theta) == matvec([[1, *row] for row in X], theta)


@pytest.mark.parametrize("seed", range(40))
def test_sampled_draft_is_the_built_one(seed):
    sampled = mse.sample(Draws(np.random.default_rng(seed)), "free-response")
    built = mse.build(mse.sample_params(Draws(np.random.default_rng(seed)), "free-response"))
    assert sampled.params == built.params and sampled.context == built.context
    assert sampled.worked() == built.worked()
    assert [(p.key, p.answer, list(p.mistakes)) for p in sampled.finals + sampled.fill_in()] == \
           [(p.key, p.answer, list(p.mistakes)) for p in built.finals + built.fill_in()]
