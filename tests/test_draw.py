"""Draws: small draws in pure Python, read off the uniforms of NumPy's default_rng(seed) in order."""
import subprocess
import sys
from collections import Counter
from itertools import permutations, product

import numpy as np
import pytest

from drills.catalog import TOPICS
from drills.topics import normal_equation, pcg64
from drills.topics.draw import BLOCK, Draws, ints, pick


# every seed a problem or a sheet id can carry, and longer ones (several 32-bit words to hash)
SEEDS = [*range(1500), *range(2**31 - 500, 2**31), 2**32 - 1, 2**32, 2**63 + 11, 2**64 + 3, 10**30, 7**70]


def test_the_python_stream_is_numpys_default_rng_bit_for_bit():
    """Every problem drawn from NumPy's Generator stays the same when drawn in Python."""
    for seed in SEEDS:
        ours = pcg64.uniforms(seed)
        assert [next(ours) for _ in range(130)] == np.random.default_rng(seed).random(130).tolist(), seed


def test_draws_read_the_seeds_uniforms_in_order_after_the_form():
    draws = Draws(5, form=(0.25, 0.5))
    expected = [0.25, 0.5, *np.random.default_rng(5).random(3 * BLOCK).tolist()]
    assert [draws.random() for _ in range(3 * BLOCK + 2)] == expected


def test_a_process_draws_in_python_until_it_has_made_many_problems():
    """Every topic's first problem, at every level and with its solution, imports no NumPy (the
    start-up budget); a process that makes many (a class's worksheets) then draws from NumPy."""
    script = """
import sys
from drills import generate
from drills.catalog import TOPICS
from drills.topics import draw
for topic in TOPICS:
    for level in ("example", "fill-in", "free-response"):
        generate(topic, level, seed=7).solution
print("numpy" in sys.modules, draw._drawn_in_python)
for seed in range(draw.PYTHON_PROBLEMS):
    generate("matmul", seed=seed)
print("numpy" in sys.modules, draw._drawn_in_python == draw.PYTHON_PROBLEMS)
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    first, after = done.stdout.splitlines()
    assert first == f"False {3 * len(TOPICS)}" and after == "True True"


def test_the_same_seed_gives_the_same_draws():
    def run(seed):
        d = Draws(seed)
        return d.integers(-3, 4, size=(2, 3)), d.permutation(5), d.choice("abcdef", size=3), pick(d, "xyz")
    assert run(11) == run(11)
    assert run(11) != run(12)


def test_integers_cover_their_range_evenly_and_nothing_else():
    draws = Draws(0)
    counts = Counter(draws.integers(-2, 3, size=5000))
    assert set(counts) == {-2, -1, 0, 1, 2}
    assert all(abs(c - 1000) < 150 for c in counts.values()), counts
    assert set(draws.integers(4, size=200)) == {0, 1, 2, 3}
    assert set(v for row in ints(draws, 30, 4, -1, 1, nonzero=True) for v in row) == {-1, 1}


def test_shuffles_and_choices_are_permutations_and_distinct_picks():
    draws = Draws(3)
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
