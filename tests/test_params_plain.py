"""params.plain_matrix / plain_vector / plain_matmul: the numbers of matrix()/vector(), whole ones as ints."""
from fractions import Fraction

import pytest

from drills.errors import DrillsError
from drills.topics import params as read
from grader.reference.rational import matmul


def test_plain_matrix_reads_what_matrix_reads_with_whole_numbers_as_ints():
    given = {"A": [[1, 2.0, "3/4"], [-5, 0.5, "6"]]}
    plain = read.plain_matrix(given, "A")
    assert plain == read.matrix(given, "A")
    assert [[type(v) for v in row] for row in plain] == [[int, int, Fraction], [int, Fraction, int]]


def test_plain_vector_reads_what_vector_reads_with_whole_numbers_as_ints():
    given = {"b": [3, "1/2", 4.0]}
    assert read.plain_vector(given, "b") == read.vector(given, "b")
    assert [type(v) for v in read.plain_vector(given, "b")] == [int, Fraction, int]


@pytest.mark.parametrize("bad", [[[1, 2], [3]], [[True, 1]], [[10**7, 1]], [1, 2], [[[1]]], "x"])
def test_plain_matrix_refuses_what_matrix_refuses(bad):
    with pytest.raises(DrillsError):
        read.matrix({"A": bad}, "A")
    with pytest.raises(DrillsError):
        read.plain_matrix({"A": bad}, "A")


def test_plain_matmul_is_matmul_in_the_numbers_given():
    A, B = [[1, -2, 3], [0, 4, Fraction(1, 2)]], [[2, 1], [Fraction(-1, 3), 0], [5, 7]]
    assert read.plain_matmul(A, B) == matmul(A, B)
    whole = read.plain_matmul([[1, 2], [3, 4]], [[5, 6], [7, 8]])
    assert whole == [[19, 22], [43, 50]] and all(type(v) is int for row in whole for v in row)
