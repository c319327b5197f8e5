"""Numeric linear algebra on NumPy or CuPy arrays: the truth the `code` exercises are graded against.

One body for both (xp = namespace(...)); float32 and float64 keep their dtype. The exact,
hand-sized counterparts are in rational.py.
"""
from __future__ import annotations

from grader.reference.backend import namespace


def matmul(A, B):
    """A·B; raises ValueError when A's columns and B's rows differ."""
    xp = namespace(A, B)
    if A.shape[-1] != B.shape[0]:
        raise ValueError(f"A has {A.shape[-1]} columns but B has {B.shape[0]} rows")
    return xp.matmul(A, B)


def transpose(A):
    """Aᵀ as a new array (not a view)."""
    xp = namespace(A)
    return xp.ascontiguousarray(A.T)


def gram(X):
    """XᵀX, the d × d Gram matrix of X's columns."""
    return X.T @ X


def inverse(A):
    """A⁻¹ by the library's LU solver; raises LinAlgError when A is singular."""
    xp = namespace(A)
    return xp.linalg.inv(A)


def norm(v) -> float:
    """‖v‖ = √(Σ vᵢ²)."""
    xp = namespace(v)
    return float(xp.linalg.norm(v))


def unit(v):
    """v/‖v‖, in v's dtype; raises ValueError for the zero vector."""
    if v.dtype.kind != "f":
        v = v.astype(namespace(v).float64)
    length = norm(v)
    if length == 0:
        raise ValueError("the zero vector has no direction")
    return v / v.dtype.type(length)


def cosine(a, b) -> float:
    """cos ∠(a, b) = a·b / (‖a‖‖b‖)."""
    xp = namespace(a, b)
    return float(xp.dot(a, b)) / (norm(a) * norm(b))
