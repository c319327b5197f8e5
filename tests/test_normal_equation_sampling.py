"""The normal-equation sampler's shortcuts agree with the plain computations they replace."""
from itertools import product
from math import floor

import numpy as np
import pytest

from drills.topics import normal_equation as ne
from drills.topics.draw import Draws
from grader.reference.rational import transpose, whole_adjugate, whole_det


def _gram(columns):
    return tuple(tuple(sum(a * b for a, b in zip(u, v)) for v in columns) for u in columns)


@pytest.mark.parametrize("seed", range(5))
def test_symmetric_det_adjugate_is_det_and_adjugate(seed):
    rng = np.random.default_rng(seed)
    for _ in range(200):
        k = int(rng.integers(2, 4))
        columns = ((1,) * 5, *(tuple(int(v) for v in rng.integers(-3, 4, size=5)) for _ in range(k - 1)))
        G = _gram(columns)
        d, adj = ne._symmetric_det_adjugate(G)
        assert d == whole_det(G)
        assert [list(row) for row in adj] == whole_adjugate([list(row) for row in G])


def test_largest_is_the_largest_size_of_an_entry():
    assert ne._largest(((1, -7), (3, 2))) == 7
    assert ne._largest(((1, 7), (-3, 2))) == 7
    assert ne._largest(((0,),)) == 0


@pytest.mark.parametrize("m", [4, 5, 6])
def test_candidates_screen_as_the_plain_checks_do(m):
    """_candidate keeps a two-feature cloud exactly when X_bᵀX_b, its det, adjugate and inverse
    are hand-sized, and gives the step each entry of adj·X_bᵀ·noise must be a multiple of."""
    low, high = {4: (-2, 3), 5: (-1, 3), 6: (-1, 2)}[m]
    rng = np.random.default_rng(m)
    for _ in range(300):
        a, b = (tuple(int(v) for v in rng.integers(low, high, size=m)) for _ in range(2))
        columns = ((1,) * m, a, b)
        G = _gram(columns)
        d = whole_det([list(row) for row in G])
        adj = whole_adjugate([list(row) for row in G])
        flat = [v for row in adj for v in row]
        hand_sized = (0 < abs(d) <= 300 and all(abs(v) <= 300 for row in G for v in row)
                      and all(abs(v) <= ne.MAX_ADJUGATE and abs(v) <= ne.MAX_INVERSE * abs(d)
                              and abs(d) // np.gcd(v, d) <= 12 for v in flat))
        candidate = ne._candidate(columns, G)
        assert (candidate is not None) == hand_sized
        if candidate is None:
            continue
        _, rows, _, d, _, spread, step = candidate
        assert spread == tuple(tuple(sum(map(int.__mul__, r, p)) for p in rows) for r in adj)
        assert rows == tuple(zip(*columns)) and transpose([list(r) for r in rows]) == [list(c) for c in columns]
        for noise in product(range(-2, 3), repeat=m):
            if sum(noise) % 7:                      # a sample of them
                continue
            shifts = [sum(map(int.__mul__, r, noise)) for r in spread]
            assert all(v * ne.THETA_DENOMINATOR % d == 0 for v in shifts) == all(v % step == 0 for v in shifts)


def test_one_feature_candidates_are_screened():
    for low in (-3, -2, 0, 1):
        for m in (3, 4, 5, 6):
            points, _ = ne._one_feature_points(m, low)
            for xs in points[:40]:
                candidate = ne._one_feature_candidate(xs)
                assert candidate is not None
                columns, rows, G, *_ = candidate
                assert columns == ((1,) * m, xs) and G == _gram(columns)


def test_sampled_theta_and_noise_are_the_draws_of_rng_integers():
    """The sampler reads θ and the noise off the uniforms as Draws.integers does."""
    draft = ne.sample(Draws(11), "free-response")
    again = ne.sample(Draws(11), "free-response")
    assert draft.params == again.params
    u = Draws(5)
    v = Draws(5)
    assert [floor(u.random() * 11) - 4 for _ in range(50)] == v.integers(-4, 7, size=50)
    assert [floor(u.random() * 5) - 2 for _ in range(50)] == v.integers(-2, 3, size=50)
