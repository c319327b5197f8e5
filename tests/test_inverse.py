"""inverse's fast paths: whole cofactors stay ints (test_sampled_drafts checks its sampled drafts)."""
from fractions import Fraction

from drills.topics import inverse


def test_exact_keeps_whole_cofactors_in_ints():
    d, C, inv = inverse._exact([[2, 1], [1, 1]])
    assert (d, C, inv) == (1, [[1, -1], [-1, 2]], [[1, -1], [-1, 2]])
    assert all(type(c) is int for row in C for c in row) and type(d) is Fraction
    d, C, inv = inverse._exact([[Fraction(1, 2), 0], [0, 2]])
    assert (d, C, inv) == (1, [[2, 0], [0, Fraction(1, 2)]], [[2, 0], [0, Fraction(1, 2)]])
