"""The exact SVD of an m×2 matrix with rational singular values and vectors: A alone in,
U, σ and V out, on Fractions. Problems are built backwards so that these exist."""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from math import gcd, isqrt
from operator import mul

from grader.reference.rational import as_integers, matmul, rational_sqrt, transpose
from grader.values import to_json, to_text


class IrrationalSVD(ValueError):
    """The singular values (or vectors) of A are not rational: not a by-hand problem."""


def gram(A):
    return matmul(transpose(A), A)


def singular_values(A, G=None) -> list:
    """σ₁ ≥ σ₂ of an m×2 matrix, exactly, from G = AᵀA (worked out here unless given);
    IrrationalSVD when they are irrational."""
    G = gram(A) if G is None else G
    (e1, e2), d = _eigenvalues(G)
    eig = [Fraction(e1, d), Fraction(e2, d)]
    sigma = [rational_sqrt(t) for t in eig]
    if None in sigma:
        raise IrrationalSVD(f"the singular values of A are irrational: the eigenvalues of AᵀA = {to_text(G)} "
                          f"are {to_json(eig[0])} and {to_json(eig[1])}, not both perfect squares")
    return sigma


def _eigenvalues(G) -> tuple[list[int], int]:
    """The eigenvalues of the symmetric 2×2 G, largest first, as whole numbers over one
    denominator; IrrationalSVD when they are irrational.

    With G = [[a, b], [b, c]]/g in whole numbers they are (a + c ± r)/2g, r = √((a − c)² + 4b²):
    worked out in ints, many times faster than in Fractions.
    """
    ((a, b), (_, c)), g = as_integers(G)
    square = (a - c) ** 2 + 4 * b * b
    r = isqrt(square)
    if r * r != square:
        raise IrrationalSVD(f"the singular values of A are irrational: AᵀA = {to_text(G)} has eigenvalues "
                          f"{to_json(Fraction(a + c, 2 * g))} ± √({to_json(Fraction(square, 4 * g * g))}); "
                          "pick A with AᵀA's eigenvalues perfect squares")
    return [a + c + r, a + c - r], 2 * g


def exact_svd(A, G=None):
    """U (m×m), σ (largest first) and V (2×2) with A = UΣVᵀ, exactly, from G = AᵀA as
    singular_values takes it; IrrationalSVD if irrational."""
    G = gram(A) if G is None else G
    sigma = singular_values(A, G)
    V, W, length = _right_vectors(G)
    # uᵢ = Avᵢ/σᵢ with A = N/d and vᵢ = wᵢ/length: N·wᵢ over d·length·σᵢ, in whole numbers
    N, d = as_integers(A)
    us = [[Fraction(sum(map(mul, row, w)) * s.denominator, d * length * s.numerator) for row in N]
          for w, s in zip(W, sigma) if s]
    return transpose(_complete(us, len(A))), sigma, V


def _right_vectors(G):
    """V, the unit eigenvectors of G = AᵀA as columns (largest eigenvalue first); and those
    columns as whole numbers over one length."""
    ((a, b), (_, c)), _ = as_integers(G)
    if b == 0:
        V = [[1, 0], [0, 1]] if a >= c else [[0, 1], [1, 0]]
        return V, V, 1                      # symmetric: its columns are its rows
    (e1, _), _ = _eigenvalues(G)
    x, y = 2 * b, e1 - 2 * a               # (G − λ₁I)v = 0 gives v ∝ (b, λ₁ − a), here times 2g
    length = isqrt(x * x + y * y)
    if length * length != x * x + y * y:
        raise IrrationalSVD(f"the singular values of A are rational but its singular vectors are not "
                          f"(v₁ ∝ {to_text(_coprime([x, y]))}); \"ask\": \"values\" still works")
    if x < 0:
        x, y = -x, -y
    X, Y = Fraction(x, length), Fraction(y, length)
    return [[X, -Y], [Y, X]], [[x, y], [-y, x]], length


def _coprime(v: list[int]) -> list[int]:
    """The direction of a whole-number vector in coprime whole numbers: [3, 3] -> [1, 1]."""
    g = gcd(*v)
    return [x // g for x in v]


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

    Of the six reflections, the one with the smallest denominators is kept. They are compared in
    whole numbers, u = N/d: H = I − 2wwᵀ/(wᵀw) with w = N − s·d·e_k has entries (δᵢⱼ·wᵀw − 2wᵢwⱼ)/wᵀw.
    """
    (N,), d = as_integers([list(u)])
    best = None
    for k in range(3):
        for sign in (1, -1):
            w = [x - (sign * d if i == k else 0) for i, x in enumerate(N)]
            ww = sum(x * x for x in w)
            rest = [[((i == j) * ww - 2 * w[i] * w[j], ww) if ww else (int(i == j), 1) for i in range(3)]
                    for j in range(3) if j != k]
            size = max(q // gcd(p, q) for col in rest for p, q in col)
            if best is None or size < best[0]:
                best = (size, rest, ww)
    _, rest, ww = best
    return tuple(tuple(Fraction(p, q) if ww else p for p, q in col) for col in rest)
