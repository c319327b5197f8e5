"""Exact linear algebra: the whole-number fast paths give what the textbook sums give."""
from fractions import Fraction

import pytest
from hypothesis import given, strategies as st

from grader.reference.rational import cofactors, det, matmul, matvec, whole_adjugate, whole_det

whole = st.integers(-50, 50)
exact = st.one_of(whole, st.fractions(min_value=-20, max_value=20, max_denominator=12))
# ints only, Fractions only or a mix: each takes its own route through _integral
entries = st.sampled_from([whole, exact, st.fractions(min_value=-20, max_value=20, max_denominator=12)])


def textbook_product(A, B):
    return [[sum((Fraction(a) * Fraction(b) for a, b in zip(row, col)), Fraction(0)) for col in zip(*B)]
            for row in A]


def textbook_det(A):
    if len(A) == 1:
        return Fraction(A[0][0])
    return sum(((-1) ** j * Fraction(A[0][j]) * textbook_det([r[:j] + r[j + 1:] for r in A[1:]])
                for j in range(len(A))), Fraction(0))


@st.composite
def products(draw):
    kind = draw(entries)
    r, k, c = (draw(st.integers(1, 4)) for _ in range(3))
    def matrix(rows, cols):
        return [[draw(kind) for _ in range(cols)] for _ in range(rows)]
    return matrix(r, k), matrix(k, c)


@given(products())
def test_matmul_and_matvec_equal_the_textbook_sums(pair):
    A, B = pair
    product = matmul(A, B)
    assert product == textbook_product(A, B)
    assert all(type(v) is Fraction for row in product for v in row)
    x = [row[0] for row in B]
    assert matvec(A, x) == [row[0] for row in textbook_product(A, [[v] for v in x])]


@given(st.integers(1, 4).flatmap(lambda n: st.lists(st.lists(exact, min_size=n, max_size=n),
                                                   min_size=n, max_size=n)))
def test_det_and_cofactors_equal_laplace_in_fractions(A):
    assert det(A) == textbook_det(A)
    C = cofactors(A)
    n, d = len(A), textbook_det(A)
    assert textbook_product(A, [list(col) for col in zip(*C)]) == [[d * (i == j) for j in range(n)] for i in range(n)]


@given(st.integers(1, 5).flatmap(lambda n: st.lists(st.lists(whole, min_size=n, max_size=n),
                                                   min_size=n, max_size=n)))
def test_whole_det_and_adjugate_satisfy_a_adj_a_equals_det_i(A):
    d, n = whole_det(A), len(A)
    assert d == textbook_det(A) and type(d) is int
    assert textbook_product(A, whole_adjugate(A)) == [[d * (i == j) for j in range(n)] for i in range(n)]


def test_mismatched_shapes_are_value_errors():
    with pytest.raises(ValueError, match="columns"):
        matmul([[1, 2]], [[1, 2]])
    with pytest.raises(ValueError, match="columns"):
        matvec([[1, 2]], [1, 2, 3])
