"""The sgd sampler's shortcuts agree with the general route: the updates it keeps while it
screens are descend's, and _clean_xs filters as _clean's formula does one x at a time."""
from math import gcd, lcm

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from drills import generate
from drills.topics import sgd


@pytest.mark.parametrize("level", ["fill-in", "free-response"])
def test_a_sampled_problem_is_the_one_its_params_build(level):
    """Sampled drafts take their right updates from the screening, built ones from descend."""
    for seed in range(120):
        sampled = generate("sgd", level, seed=seed)
        rebuilt = generate("sgd", level, params=sampled.params)
        assert rebuilt.to_dict() == {**sampled.to_dict(), "seed": None}


def _clean_one(state, x: int, n: int) -> bool:
    """_clean's formula, for one x."""
    t0, t1, d = state
    ne = n * (d // gcd(d, t0 + t1 * x))
    return (lcm(d // gcd(d, t0), ne // gcd(ne, 2)) <= sgd.MAX_DENOMINATOR
            and lcm(d // gcd(d, t1), ne // gcd(ne, 2 * x)) <= sgd.MAX_DENOMINATOR)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 12), st.integers(-40, 40), st.integers(-40, 40),
       st.lists(st.integers(-3, 3), unique=True), st.sampled_from(sgd.ETAS))
def test_clean_xs_keeps_the_clean_xs_in_their_order(d, t0, t1, xs, eta):
    n = eta.denominator
    assert sgd._clean_xs((t0, t1, d), xs, n) == [x for x in xs if _clean_one((t0, t1, d), x, n)]
    assert sgd._clean_xs((t0, t1, d), xs, n, first=True) == [x for x in xs if _clean_one((t0, t1, d), x, n)][:1]
    assert all(sgd._clean((t0, t1, d), x, n) == _clean_one((t0, t1, d), x, n) for x in xs)
