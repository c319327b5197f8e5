"""Rational functions mod a prime: the same value as exact Fractions, None for anything else,
and the equivalence check deciding rational pairs on that path alone."""
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from grader.expression import Outcome, compare, read_expression
from grader.expression.equivalence import sample
from grader.expression.modular import P, residue
from grader.expression.tree import Expr, Undefined, add, inv, mul, neg, num, power, sym

NAMES = ("x", "y")

leaves = st.one_of(st.builds(num, st.fractions(min_value=-20, max_value=20, max_denominator=12)),
                   st.sampled_from(NAMES).map(sym))
trees = st.recursive(leaves, lambda inner: st.one_of(
    st.lists(inner, min_size=2, max_size=3).map(lambda terms: add(*terms)),
    st.lists(inner, min_size=2, max_size=3).map(lambda factors: mul(*factors)),
    inner.map(neg), inner.map(inv),
    st.builds(lambda base, n: power(base, num(n)), inner, st.integers(-3, 4))), max_leaves=12)
points = st.fixed_dictionaries({n: st.fractions(min_value=-9, max_value=9, max_denominator=9) for n in NAMES})


def exact(tree: Expr, point: dict):
    try:
        return residue(tree.evaluate(point))
    except Undefined:
        return None


def modular(tree: Expr, point: dict):
    try:
        return tree.modular({n: residue(v) for n, v in point.items()})
    except Undefined:
        return None


@settings(max_examples=300, deadline=None)
@given(trees, points)
def test_a_rational_function_mod_p_is_its_exact_value_mod_p(tree, point):
    value = exact(tree, point)
    if value is not None and isinstance(tree.evaluate(point), Fraction):
        assert modular(tree, point) == value
    elif value is None:
        assert modular(tree, point) is None       # 1/0 is undefined on both paths


@pytest.mark.parametrize("text", ["sqrt(x)", "exp(x)", "x^y", "x^(1/2)", "pi*x", "abs(x)", "e", "log(x) + 1"])
def test_what_is_not_a_rational_function_has_no_modular_form(text):
    assert read_expression(text).modular is None


@pytest.mark.parametrize("text", ["x", "2x^2 - 3/4", "1/(x - y)", "(x + 1)^-2", "-(x*y)/3"])
def test_a_rational_function_has_one(text):
    assert read_expression(text).modular is not None


def test_residues_respect_the_field():
    assert residue(Fraction(1, 2)) * 2 % P == 1
    assert residue(Fraction(-3)) == P - 3


def test_a_vanishing_denominator_is_undefined():
    with pytest.raises(Undefined):
        read_expression("1/(x - x)").modular({"x": residue(Fraction(5))})


@pytest.mark.parametrize("a, b, outcome", [
    ("(x + y)^12", "sum of the binomial expansion", Outcome.EQUAL),
    ("x^2 + 10^-30", "x^2", Outcome.DIFFERENT),
    ("(x^2 - 1)/(x - 1)", "x + 1", Outcome.EQUAL),
    ("2x(wx + b - y)", "2*x^2*w + 2*b*x - 2*x*y", Outcome.EQUAL),
    ("2x(wx + b - y)", "2*x^2*w + 2*b*x + 2*x*y", Outcome.DIFFERENT),
])
def test_rational_pairs_are_decided_mod_p_with_one_exact_check(monkeypatch, a, b, outcome):
    if b == "sum of the binomial expansion":
        from math import comb
        b = " + ".join(f"{comb(12, k)}*x^{k}*y^{12 - k}" for k in range(13))
    a, b = read_expression(a), read_expression(b)
    assert a.modular and b.modular                # compiled (constant exponents read) up front
    evaluate, exact = Expr.evaluate, []

    def counted(self, env):
        if self is a or self is b:
            exact.append(self)
        return evaluate(self, env)
    monkeypatch.setattr(Expr, "evaluate", counted)
    assert compare(a, b) is outcome
    assert len(exact) == (2 if outcome is Outcome.EQUAL else 0)   # the first agreement, confirmed


@pytest.mark.parametrize("a, b, outcome", [
    (f"x + {P}", "x", Outcome.DIFFERENT),                             # P reads as 0 mod P
    (f"2x + {P // 2} + {P // 2 + 1}", "2x", Outcome.DIFFERENT),       # so does a sum that makes it
    (f"{P}*x/{P}", "x", Outcome.EQUAL),                               # and 1/P has no residue
    (f"x/{3 * P}", "x", Outcome.DIFFERENT),
    ("x*(2^61 - 1)/(2^61 - 1)", "x", Outcome.EQUAL),                  # nor has 1/(2^61 − 1)
    ("0/(2^61 - 1) + 7", "7", Outcome.EQUAL),
    ("(x + 1)/(2^61 - 1)", "x/(2^61 - 1) + 1/(2^61 - 1)", Outcome.EQUAL),
    ("(x + 1)/(2^61 - 1)", "x/(2^61 - 1) + 2/(2^61 - 1)", Outcome.DIFFERENT),
])
def test_multiples_of_p_do_not_fool_sampling(a, b, outcome):
    assert sample(read_expression(a), read_expression(b)) is outcome     # no SymPy to fall back on


@pytest.mark.parametrize("text", ["x/(1 - 1)", "2x + 1/(3 - 3)", "(x + 1)*(2 - 2)^-1*3"])
def test_a_constant_without_a_value_leaves_every_point_undefined(text):
    tree = read_expression(text)
    for x in (Fraction(1), Fraction(-2, 3)):
        with pytest.raises(Undefined):
            tree.modular({"x": residue(x)})


def test_numbers_in_a_sum_or_product_are_reduced_once():
    tree = read_expression("-(2/3)*x*y/5 + 7/4 - 1/2")
    point = {"x": Fraction(3, 7), "y": Fraction(-5, 2)}
    assert tree.modular({n: residue(v) for n, v in point.items()}) == residue(tree.evaluate(point))
