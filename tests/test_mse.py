"""mse's fast paths: predictions without X_b (test_sampled_drafts checks its sampled drafts)."""
from fractions import Fraction

import pytest

from drills.topics import mse
from grader.reference.rational import matvec


@pytest.mark.parametrize("X, theta", [([[1, 2], [3, -4]], [5, 6, 7]), ([[Fraction(1, 2)], [0]], [Fraction(-3, 4), 2])])
def test_predictions_are_x_b_times_theta(X, theta):
    assert mse._predictions(X, theta) == matvec([[1, *row] for row in X], theta)
