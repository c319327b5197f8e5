"""Expressions: a safe parser, exact or 50-digit evaluation, and an equivalence check that
samples first and asks SymPy only when sampling cannot settle it."""
from grader.expression.equivalence import Outcome, compare
from grader.expression.syntax import read_expression
from grader.expression.tree import Expr

__all__ = ["Expr", "Outcome", "compare", "read_expression"]
