"""The exact SVD of an m×2 matrix with rational singular values and vectors: A alone in,
U, σ and V out, on Fractions. Problems are built backwards so that these exist."""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from math import gcd, lcm

from grader.reference.rational import matmul, matvec, rational_sqrt, scale, transpose
from grader.values import to_json, to_text


class IrrationalSVD(ValueError):
    """The singular values (or vectors) of A are not rational: not a by-hand problem."""


def gram(A):
    return matmul(transpose(A), A)


def singular_values(A, G=None) -> list:
    """σ₁ ≥ σ₂ of an m×2 matrix, exactly, from G = AᵀA (worked out here unless given);
    IrrationalSVD when they are irrational."""
    G = gram(A) if G is None else G
    (a, b), (_, c) = G
    mean, spread = (a + c) / 2, ((a - c) / 2) ** 2 + b * b
    root = rational_sqrt(spread)
    if root is None:
        raise IrrationalSVD(f"the singular values of A are irrational: AᵀA = {to_text(G)} has eigenvalues "
                          f"{to_json(mean)} ± √({to_json(spread)}); pick A with AᵀA's eigenvalues perfect squares")
    eig = [mean + root, mean - root]
    sigma = [rational_sqrt(t) for t in eig]
    if None in sigma:
        raise IrrationalSVD(f"the singular values of A are irrational: the eigenvalues of AᵀA = {to_text(G)} "
                          f"are {to_json(eig[0])} and {to_json(eig[1])}, not both perfect squares")
    return sigma


def exact_svd(A, G=None):
    """U (m×m), σ (largest first) and V (2×2) with A = UΣVᵀ, exactly, from G = AᵀA as
    singular_values takes it; IrrationalSVD if irrational."""
    G = gram(A) if G is None else G
    sigma = singular_values(A, G)
    V = _right_vectors(G, sigma)
    us = [scale(1 / s, matvec(A, v)) for v, s in zip(transpose(V), sigma) if s]
    return transpose(_complete(us, len(A))), sigma, V


def _right_vectors(G, sigma):
    (a, b), (_, c) = G
    if b == 0:
        return [[1, 0], [0, 1]] if a >= c else [[0, 1], [1, 0]]
    x, y = b, sigma[0] ** 2 - a            # (AᵀA − σ₁²I)v = 0 gives v ∝ (b, σ₁² − a)
    length = rational_sqrt(x * x + y * y)
    if length is None:
        raise IrrationalSVD(f"the singular values of A are rational but its singular vectors are not "
                          f"(v₁ ∝ {to_text(_integers([x, y]))}); \"ask\": \"values\" still works")
    x, y = (x / length, y / length) if x > 0 else (-x / length, -y / length)
    return [[x, -y], [y, x]]


def _integers(v):
    """The direction of a rational vector in coprime integers: [3/2, 3/2] -> [1, 1]."""
    v = [x * lcm(*(Fraction(y).denominator for y in v)) for x in v]
    return [x / gcd(*(int(y) for y in v)) for x in v]


def _complete(us, m: int):
    """Orthonormal columns u₁, … extended to a basis of m vectors, exactly."""
    if len(us) == m:
        return us
    if m == 2:
        return [us[0], [-us[0][1], us[0][0]]]
    if len(us) == 2:
        (a, b, c), (d, e, f) = us
        return us + [[b * f - c * e, c * d - a * f, a * e - b * d]]
    return [us[0]] + [list(col) for col in _householder_completion(tuple(us[0]))]


@lru_cache(maxsize=1024)             # sampled problems meet the same few directions again and again
def _householder_completion(u: tuple) -> tuple:
    """Two unit vectors ⟂ u: a reflection maps ±e_k to u, its other columns complete the basis.

    Of the six reflections, the one with the smallest denominators is kept.
    """
    best = None
    for k in range(3):
        for sign in (1, -1):
            w = [x - (sign if i == k else 0) for i, x in enumerate(u)]
            ww = sum(x * x for x in w)
            H = [[(i == j) - (2 * w[i] * w[j] / ww if ww else 0) for j in range(3)] for i in range(3)]
            rest = [col for j, col in enumerate(transpose(H)) if j != k]
            size = max(x.denominator for col in rest for x in map(Fraction, col))
            if best is None or size < best[0]:
                best = (size, rest)
    return tuple(map(tuple, best[1]))
