"""Draws: small draws in pure Python, read off the seeded Generator's uniforms in order."""
from collections import Counter
from itertools import permutations, product

import numpy as np
import pytest

from drills.topics import normal_equation
from drills.topics.draw import BLOCK, Draws, ints, pick


def test_draws_read_the_generators_uniforms_in_order_across_blocks():
    draws = Draws(np.random.default_rng(5))
    assert [draws.random() for _ in range(3 * BLOCK + 7)] == np.random.default_rng(5).random(3 * BLOCK + 7).tolist()


def test_the_same_seed_gives_the_same_draws():
    def run(seed):
        d = Draws(np.random.default_rng(seed))
        return d.integers(-3, 4, size=(2, 3)), d.permutation(5), d.choice("abcdef", size=3), pick(d, "xyz")
    assert run(11) == run(11)
    assert run(11) != run(12)


def test_integers_cover_their_range_evenly_and_nothing_else():
    draws = Draws(np.random.default_rng(0))
    counts = Counter(draws.integers(-2, 3, size=5000))
    assert set(counts) == {-2, -1, 0, 1, 2}
    assert all(abs(c - 1000) < 150 for c in counts.values()), counts
    assert set(draws.integers(4, size=200)) == {0, 1, 2, 3}
    assert set(v for row in ints(draws, 30, 4, -1, 1, nonzero=True) for v in row) == {-1, 1}


def test_shuffles_and_choices_are_permutations_and_distinct_picks():
    draws = Draws(np.random.default_rng(3))
    orders = Counter(tuple(draws.permutation(3)) for _ in range(3000))
    assert set(orders) == set(permutations(range(3)))
    assert all(abs(c - 500) < 100 for c in orders.values()), orders
    for _ in range(100):
        picked = draws.choice(range(-3, 4), size=4)
        assert len(set(picked)) == 4 and set(picked) <= set(range(-3, 4))
    with pytest.raises(ValueError):
        draws.choice(3, size=4)


@pytest.mark.parametrize("m, low", [(3, -3), (4, 0), (5, 1)])
def test_one_feature_points_are_as_likely_as_screened_one_by_one_draws(m, low):
    """The table of x values gives each sorted x the weight of the ordered draws that make it."""
    points, cumulative = normal_equation._one_feature_points(m, low)
    weights = dict(zip(points, np.diff([0, *cumulative]).tolist()))
    expected = Counter()
    for xs in product(range(low, low + 7), repeat=m):          # every ordered draw, screened
        xs = tuple(sorted(xs))
        s1, s2 = sum(xs), sum(x * x for x in xs)
        if len(set(xs)) >= 3 and normal_equation._screen_inverse(((m, s1), (s1, s2))):
            expected[xs] += 1
    assert weights == dict(expected)
