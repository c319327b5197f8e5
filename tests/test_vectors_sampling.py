"""vectors' fast paths: exact roots stay ints for ints; test_sampled_drafts checks the sampled
drafts of its seeds, which ask every question."""
from fractions import Fraction

import pytest

from drills import generate
from drills.topics import vectors
from drills.topics.draw import Draws
from tests.test_sampled_drafts import SEEDS


def test_the_seeds_test_sampled_drafts_checks_ask_every_question():
    asks = {vectors.sample_params(Draws(seed), "free-response")["ask"] for seed in SEEDS}
    assert asks == set(vectors.ASKS)


def test_root_is_exact_and_keeps_ints():
    assert vectors._root(25) == 5 and type(vectors._root(25)) is int
    assert vectors._root(0) == 0 and vectors._root(24) is None
    assert vectors._root(Fraction(9, 4)) == Fraction(3, 2) and vectors._root(Fraction(1, 2)) is None


@pytest.mark.parametrize("ask,expected", [("magnitude", "5/2"), ("unit", ["3/5", "4/5"])])
def test_fractional_params_give_fractional_lengths(ask, expected):
    problem = generate("vectors", "free-response", params={"a": ["3/2", 2], "ask": ask})
    assert problem.parts[0].answer == expected
