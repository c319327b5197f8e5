"""inverse's fast paths: a sampled draft equals the one build makes from its params."""
from fractions import Fraction

import numpy as np
import pytest

from drills.topics import inverse
from drills.topics.draw import Draws


def _view(draft):
    return (draft.params, draft.context, draft.worked() if draft.worked else None,
            [(p.key, p.answer, list(p.mistakes)) for p in draft.finals + draft.fill_in()])


@pytest.mark.parametrize("seed", range(60))
def test_sampled_draft_is_the_built_one(seed):
    sampled = inverse.sample(Draws(np.random.default_rng(seed)), "free-response")
    built = inverse.build(inverse.sample_params(Draws(np.random.default_rng(seed)), "free-response"))
    assert _view(sampled) == _view(built)


def test_exact_keeps_whole_cofactors_in_ints():
    d, C, inv = inverse._exact([[2, 1], [1, 1]])
    assert (d, C, inv) == (1, [[1, -1], [-1, 2]], [[1, -1], [-1, 2]])
    assert all(type(c) is int for row in C for c in row) and type(d) is Fraction
    d, C, inv = inverse._exact([[Fraction(1, 2), 0], [0, 2]])
    assert (d, C, inv) == (1, [[2, 0], [0, Fraction(1, 2)]], [[2, 0], [0, Fraction(1, 2)]])
