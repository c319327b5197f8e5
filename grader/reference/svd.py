"""The exact SVD of an m×2 matrix with rational singular values and vectors: A alone in,
U, σ and V out, on Fractions. Problems are built backwards so that these exist."""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from math import gcd, isqrt
from operator import mul

from grader.reference.rational import as_integers, matmul, transpose
from grader.values import to_json, to_text


class IrrationalSVD(ValueError):
    """The singular values (or vectors) of A are not rational: not a by-hand problem."""


def gram(A):
    return matmul(transpose(A), A)


def singular_values(A, G=None) -> list:
    """σ₁ ≥ σ₂ of an m×2 matrix, exactly, from G = AᵀA (worked out here unless given);
    IrrationalSVD when they are irrational."""
    G = gram(A) if G is None else G
    return _singular_values(G, *_eigenvalues(G))


def _singular_values(G, eig: list[int], d: int) -> list:
    """σᵢ = √(eigᵢ/d), from the eigenvalues as _eigenvalues gives them."""
    sigma = [_root(e, d) for e in eig]
    if sigma[0] is None or sigma[1] is None:    # `None in sigma` would call Fraction.__eq__
        eig = [Fraction(e, d) for e in eig]
        raise IrrationalSVD(f"the singular values of A are irrational: the eigenvalues of AᵀA = {to_text(G)} "
                          f"are {to_json(eig[0])} and {to_json(eig[1])}, not both perfect squares")
    return sigma


def _root(n: int, d: int) -> Fraction | None:
    """√(n/d) when it is rational, else None: rational_sqrt(Fraction(n, d)), in ints."""
    if n < 0:
        return None
    g = gcd(n, d)
    n, d = n // g, d // g
    p, q = isqrt(n), isqrt(d)
    if p * p != n or q * q != d:
        return None
    return Fraction(p) if q == 1 else Fraction(p, q)


def _eigenvalues(G) -> tuple[list[int], int]:
    """The eigenvalues of the symmetric 2×2 G, largest first, as whole numbers over one
    denominator; IrrationalSVD when they are irrational.

    With G = [[a, b], [b, c]]/g in whole numbers they are (a + c ± r)/2g, r = √((a − c)² + 4b²):
    worked out in ints, many times faster than in Fractions.
    """
    ((a, b), (_, c)), g = as_integers(G)
    return _whole_eigenvalues(G, a, b, c, g)


def _whole_eigenvalues(G, a: int, b: int, c: int, g: int) -> tuple[list[int], int]:
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
    ((a, b), (_, c)), g = as_integers(G)
    eig, d = _whole_eigenvalues(G, a, b, c, g)
    sigma = _singular_values(G, eig, d)
    V, W, length = _right_vectors(a, b, c, eig[0])
    # uᵢ = Avᵢ/σᵢ with A = N/d and vᵢ = wᵢ/length: N·wᵢ over d·length·σᵢ, in whole numbers
    N, d = as_integers(A)
    whole = [([sum(map(mul, row, w)) for row in N], s.denominator, d * length * s.numerator)
             for w, s in zip(W, sigma) if s]
    us = [[Fraction(x * p, q) for x in n] for n, p, q in whole]
    if len(us) == 2 == len(A) - 1:          # u₃ = u₁ × u₂, also worked out in whole numbers
        (n, p, q), (o, r, t) = whole
        us.append([Fraction(x * p * r, q * t) for x in _cross(n, o)])
    return transpose(_complete(us, len(A))), sigma, V


def pseudoinverse(A):
    """A⁺ of a nonzero m×2 matrix, exactly: (AᵀA)⁻¹Aᵀ, or Aᵀ/σ₁² = Aᵀ/trace(AᵀA) for rank 1.

    The same as VΣ⁺Uᵀ from exact_svd, without the singular vectors: with A = N/d in whole numbers
    and H = NᵀN, that is d·adj(H)Nᵀ/det H, or d·Nᵀ/trace H.
    """
    N, d = as_integers(A)
    cols = list(zip(*N))
    (a, b), (_, c) = [[sum(map(mul, x, y)) for y in cols] for x in cols]
    det = a * c - b * b
    if det:
        rows = [[c * x - b * y for x, y in zip(*cols)], [a * y - b * x for x, y in zip(*cols)]]
    else:
        rows, det = cols, a + c
    return [[Fraction(d * x, det) for x in row] for row in rows]


def _cross(u, v):
    (a, b, c), (d, e, f) = u, v
    return [b * f - c * e, c * d - a * f, a * e - b * d]


def _right_vectors(a: int, b: int, c: int, e1: int):
    """V, the unit eigenvectors of G = AᵀA = [[a, b], [b, c]]/g as columns (largest eigenvalue
    e1/2g first); and those columns as whole numbers over one length."""
    if b == 0:
        V = [[1, 0], [0, 1]] if a >= c else [[0, 1], [1, 0]]
        return V, V, 1                      # symmetric: its columns are its rows
    x, y = 2 * b, e1 - 2 * a               # (G − λ₁I)v = 0 gives v ∝ (b, λ₁ − a), here times 2g
    length = isqrt(x * x + y * y)
    if length * length != x * x + y * y:
        raise IrrationalSVD(f"the singular values of A are rational but its singular vectors are not "
                          f"(v₁ ∝ {to_text(_coprime([x, y]))}); \"ask\": \"values\" still works")
    if x < 0:
        x, y = -x, -y
    X, Y = Fraction(x, length), Fraction(y, length)
    return [[X, Fraction(-y, length)], [Y, X]], [[x, y], [-y, x]], length


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
        return us + [_cross(*us)]
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
