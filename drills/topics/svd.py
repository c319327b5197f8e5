"""Singular values, rank, condition number, the SVD A = UΣVᵀ and the pseudoinverse A⁺ (2×2, 3×2).

Sampled problems are built backwards, A = UΣVᵀ from rational orthogonal factors (Pythagorean
pairs such as (3, 4)/5, triples such as (1, 2, 2)/3, signed permutations) and whole σ; those
that ask for the singular values alone may be any whole 2×2 with whole σ (a scaled rotation plus
a scaled reflection), or a triple's columns times one. Every answer then comes from the exact
solver at the end, which sees only A.
"""
from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from math import gcd, isqrt, lcm

from drills.errors import DrillsError
from drills.notation import Dot, Shape, Sym
from drills.topics import Draft, part
from drills.topics import params as read
from drills.topics.draw import pick
from drills.topics.vectors import cross
from grader.properties import NEGATIVE, SQUARED, SWAPPED, UNSORTED, V_FOR_VT, svd_text
from grader.reference import polynomial as poly
from grader.reference.rational import as_integers, matmul, matvec, rational_sqrt, transpose
from grader.reference.svd import IrrationalSVD, exact_svd, gram, pseudoinverse, singular_values
from grader.spec import Kind
from grader.values import to_json

ASKS = ("values", "svd", "pinv")
PAIRS = {5: (3, 4), 13: (5, 12), 17: (8, 15)}
TRIPLES = {3: ((1, 2, 2), (2, 1, -2), (2, -2, 1)), 7: ((2, 3, 6), (3, -6, 2), (6, 2, -3)),
           9: ((1, 4, 8), (4, 7, -4), (8, -4, 1)), 11: ((2, 6, 9), (6, 7, -6), (9, -6, 2))}
MAX_SIGMA = 17      # σ² is asked for (an eigenvalue of AᵀA) and stays below 300
RANK_ONE = 0.1      # the rate of σ₂ = 0 where a family can have it
UNDEFINED = "undefined"


def sample_params(rng, level: str) -> dict:
    return sample(rng, level).params


def sample(rng, level: str) -> Draft:
    """A fresh problem, built from the A drawn: params drawn by us need no reading."""
    ask = pick(rng, ("values", "values", "svd", "svd", "pinv"))
    # the singular values alone need no rational singular vectors: any 2×2 with rational σ will do
    shape = pick(rng, ("square", "square", "stacked", "factors")) if ask == "values" else "factors"
    if shape == "factors":
        (U, cu), sigma, (V, cv) = _pinv_factors(rng) if ask == "pinv" else _integer_factors(rng)
        # A = UΣVᵀ, Σ m×2: entry (r, c) is Σⱼ U[r][j]·σⱼ·V[c][j], over the denominators cu·cv
        N, d = [[u[0] * sigma[0] * v[0] + u[1] * sigma[1] * v[1] for v in V] for u in U], cu * cv
        A = _over(N, d)
    else:
        A = _square(rng, MAX_SIGMA, RANK_ONE) if shape == "square" else _stacked(rng)
    return _draft({"A": to_json(A), "ask": ask}, A, ask)


def _over(N, d: int):
    """The matrix N/d: ints when d divides every entry (arithmetic on ints is many times faster
    than on Fractions, and they read and print alike), else Fractions."""
    if d == 1:
        return N
    if any(x % d for row in N for x in row):
        return [[Fraction(x, d) for x in row] for row in N]
    return [[x // d for x in row] for row in N]


# Every 2×2 matrix is C + D, C = [[p, -q], [q, p]] a rotation times c = |(p, q)| and
# D = [[r, s], [s, -r]] a reflection times d = |(r, s)|; its singular values are c + d and |c - d|.
# So a whole A with whole σ₁ ≥ σ₂ comes from whole vectors (P, Q) = 2(p, q) and (R, S) = 2(r, s)
# of lengths σ₁ ± σ₂ (in either order), with P, R of one parity and Q, S of one parity.

def _square(rng, top: int, rank_one: float) -> list[list[int]]:
    """A 2×2 with whole σ₁ ≤ `top` and σ₂, AᵀA not diagonal ((P, Q) not along (R, S)) and no
    zero row; rank 1 at the rate given. Drawn until the vectors fit, each try afresh: some pairs
    of lengths have no vectors that do."""
    while True:
        s1 = rng.integers(2, top + 1)
        s2 = 0 if rng.random() < rank_one else rng.integers(1, s1)
        c, d = (s1 + s2, s1 - s2) if rng.random() < 0.5 else (s1 - s2, s1 + s2)   # det A > 0, or < 0
        (P, Q), (R, S) = pick(rng, _whole_vectors(c)), pick(rng, _whole_vectors(d))
        A = [[(P + R) // 2, (S - Q) // 2], [(Q + S) // 2, (P - R) // 2]]
        if (P - R) % 2 == (Q - S) % 2 == 0 and P * S != Q * R and all(map(any, A)):
            return A


@lru_cache(maxsize=None)
def _whole_vectors(length: int) -> tuple:
    """The whole-number vectors of a length: (5, 0), (3, 4), (-4, 3), …"""
    found = []
    for x in range(-length, length + 1):
        y = isqrt(length * length - x * x)
        if x * x + y * y == length * length:
            found += [(x, y), (x, -y)] if y else [(x, 0)]
    return tuple(found)


def _stacked(rng) -> list[list[int]]:
    """A 3×2 T·B, T two columns of a (1, 2, 2)-style triple (perpendicular, of length 3) and B a
    2×2 as above: AᵀA = 9BᵀB is not diagonal, and σ(A) = 3σ(B)."""
    T, _ = _triple(rng, 3)
    B = _square(rng, MAX_SIGMA // 3, 0)
    return read.plain_matmul([row[:2] for row in T], B)


# The orthogonal factors are drawn as (N, c), the matrix N/c with N whole numbers.

def _integer_factors(rng):
    """Factors whose product is an integer A: one factor has denominator c, σ are multiples of c;
    or both are (3, 4)/5 rotations and σ₁ + σ₂ = 25, the only whole 2×2 with σ₁ ≤ 17, rational
    singular vectors and neither AᵀA nor AAᵀ diagonal."""
    family = pick(rng, ("mixed", "mixed", "mixed", "rows", "cols", "tall", "tall", "tall-rows", "rank-one"))
    if family == "mixed":
        return _mixed(rng)
    if family == "rank-one":           # (1, 2, 2)-style column times a (3, 4) row, σ = 15
        return _triple(rng, 3), [15, 0], _pair(rng, 5)
    if family == "tall":
        c = pick(rng, (3, 3, 3, 7, 9, 11))
        return _triple(rng, c), _sigmas(rng, c, MAX_SIGMA), _signed_permutation(rng, 2)
    if family == "tall-rows":          # a zero row: U is a signed permutation
        return _signed_permutation(rng, 3), _sigmas(rng, 5, MAX_SIGMA, rank_one=0), _pair(rng, 5)
    pythagorean, signed = _pair(rng, 5), _signed_permutation(rng, 2)
    if family == "rows":               # rank 1 would leave a zero row
        return signed, _sigmas(rng, 5, MAX_SIGMA, rank_one=0), pythagorean
    return pythagorean, _sigmas(rng, 5, MAX_SIGMA, rank_one=0.3), signed     # rank 1: a zero column


def _mixed(rng):
    """U and V (3, 4)/5 rotations and σ₁ + σ₂ = 25: A = σ₁u₁v₁ᵀ + σ₂u₂v₂ᵀ is whole for one of
    v₂ and -v₂ (the other would need 25 to divide σ₁ - σ₂)."""
    s1 = pick(rng, (13, 14, 15, 16, 17))
    sigma, (U, _), (V, _) = [s1, 25 - s1], _pair(rng, 5), _pair(rng, 5)
    if any((u[0] * sigma[0] * v[0] + u[1] * sigma[1] * v[1]) % 25 for u in U for v in V):
        V = [[x, -y] for x, y in V]
    return (U, 5), sigma, (V, 5)


def _pinv_factors(rng):
    """Factors whose A⁺ = VΣ⁺Uᵀ has denominators c·σ of 12 at most (A itself may have some)."""
    family = pick(rng, ("tall", "tall", "square", "permutation"))
    if family == "tall":
        return _triple(rng, 3), _sigmas(rng, 1, 4), _signed_permutation(rng, 2)
    if family == "permutation":
        return _signed_permutation(rng, pick(rng, (2, 3))), _sigmas(rng, 1, 6), _signed_permutation(rng, 2)
    factors = [_pair(rng, 5), _signed_permutation(rng, 2)]
    U, V = factors if rng.random() < 0.5 else factors[::-1]
    return U, _sigmas(rng, 1, 2), V


def _sigmas(rng, step: int, top: int, rank_one: float = RANK_ONE) -> list[int]:
    """σ₁ ≥ σ₂, multiples of `step` up to `top`; σ₂ is 0 at the rate `rank_one`, equal to σ₁ a twentieth of the time."""
    options = list(range(step, top + 1, step))
    s1 = pick(rng, options[1:] or options)
    smaller, u = [s for s in options if s < s1], rng.random()
    s2 = 0 if u < rank_one else s1 if (u < rank_one + 0.05 or not smaller) else pick(rng, smaller)
    return [s1, s2]


def _pair(rng, c: int):
    a, b = PAIRS[c] if rng.random() < 0.5 else PAIRS[c][::-1]
    P, _ = _signed_permutation(rng, 2)
    return read.plain_matmul(P, [[a, -b], [b, a]]), c


def _triple(rng, c: int):
    """P·T·Q, T a triple's matrix and P, Q signed permutations: row i is ±T's row p[i], with its
    entry k moved to column q[k] and signed by Q."""
    (p, s), (q, t), T = _order_and_signs(rng, 3), _order_and_signs(rng, 3), TRIPLES[c]
    rows = [[0] * 3 for _ in range(3)]
    for row, i, si in zip(rows, p, s):
        for j, tk, x in zip(q, t, T[i]):
            row[j] = si * tk * x
    return rows, c


def _signed_permutation(rng, n: int):
    order, signs = _order_and_signs(rng, n)
    rows = [[0] * n for _ in range(n)]
    for row, j, s in zip(rows, order, signs):
        row[j] = s
    return rows, 1


def _order_and_signs(rng, n: int):
    """The signed permutation matrix with ±1 at (i, order[i]), as (order, those signs)."""
    order, bits = rng.permutation(n), rng.integers(2, size=n)
    return order, [1 - 2 * b for b in bits]


def _sigma_matrix(sigma, rows: int, cols: int = 2):
    return [[sigma[i] if i == j else 0 for j in range(cols)] for i in range(rows)]


def build(params: dict) -> Draft:
    read.only(params, {"A", "ask"}, {"A"})
    A = _over(*as_integers(read.matrix(params, "A")))
    ask = read.choice(params, "ask", ASKS, "values")
    m, n = len(A), len(A[0])
    if n != 2 or m not in (2, 3):
        wide = " (for a wide A use Aᵀ: it has the same singular values)" if m == 2 else ""
        raise DrillsError(f"A is {m}×{n}; this topic works with 2×2 and 3×2 matrices{wide}")
    if not any(x for row in A for x in row):
        raise DrillsError("A is zero: it has no nonzero singular value to find")
    return _draft({"A": params["A"], "ask": ask}, A, ask)


def _draft(params, A, ask: str) -> Draft:
    """The problem on A (ints when whole), whose every answer comes from the exact solver."""
    G = read.plain_matmul(transpose(A), A) if all(type(x) is int for row in A for x in row) else gram(A)   # ints if A's are
    try:
        if ask == "values":
            return _values(params, A, G)
        U, sigma, V = exact_svd(A, G)
    except IrrationalSVD as err:
        raise DrillsError(str(err)) from None
    return _decomposition(params, A, G, U, sigma, V) if ask == "svd" else _pinv(params, A, U, sigma, V)


def _values(params, A, G) -> Draft:
    sigma, m = singular_values(A, G), len(A)
    worked = lambda: {**_eigen_context(A, G, sigma), "singular": sigma[1] == 0, "rank": _rank(sigma),
                      "cond": sigma[0] / sigma[1] if sigma[1] else UNDEFINED}
    gram_part = lambda: part("gram", Kind.MATRIX, G, "AᵀA", "Aᵀ first: entry (i, j) is column i of A times column j.",
                             [(matmul(A, transpose(A)), "That is AAᵀ; the singular values come from AᵀA, Aᵀ first."),
                              (matmul(A, A) if m == 2 else None, "That is A·A; multiply A by its transpose, AᵀA.")])
    finals = [_sigma_part(A, sigma), _rank_part(sigma, m), _cond_part(sigma)]
    return Draft(params, {"variant": "values", "A": A, "rows": m},
                 lambda: [gram_part(), _eig_part(G, sigma), *finals], finals, worked)


def _decomposition(params, A, G, U, sigma, V) -> Draft:
    m, S = len(A), _sigma_matrix(sigma, len(A))
    us = transpose(U)
    worked = lambda: {**_eigen_context(A, G, sigma), **_vector_context(G, sigma, transpose(V), us),
                      "U": U, "S": S, "V": V, "v": transpose(V), "u": us,
                      "rank": _rank(sigma), "completed": m > _rank(sigma), "repeated": sigma[0] == sigma[1]}
    u1 = lambda: part("u1", Kind.VECTOR, us[0], "u₁ = Av₁/σ₁", "Multiply A by v₁, then divide by σ₁.",
                      [(matvec(A, transpose(V)[0]), "Divide Av₁ by σ₁ to make u₁ a unit vector.")])
    def routes():
        # Each wrong route with when it is an SVD of A after all (is_svd would say so), to be
        # dropped: with A = UΣVᵀ, U and V orthogonal and σ₁ > 0, that is exactly when
        return [((U, _sigma_matrix([s * s for s in sigma], m), V), SQUARED, set(sigma) <= {0, 1}),  # Σ² = Σ
                ((V, S, U), SWAPPED, A == transpose(A)),                           # VΣUᵀ = Aᵀ
                ((U, S, transpose(V)), V_FOR_VT, V[0][1] == V[1][0]),              # V = Vᵀ
                ((_swap12(U), _sigma_matrix(sigma[::-1], m), _swap12(V)), UNSORTED, sigma[0] == sigma[1]),
                ((_negate1(U), _sigma_matrix([-sigma[0], sigma[1]], m), V), NEGATIVE, False)]  # −σ₁ < 0
    answer = part("svd", Kind.SVD, svd_text(U, S, V), "U, Σ and V with A = UΣVᵀ",
                  "σᵢ² are the eigenvalues of AᵀA, vᵢ its unit eigenvectors, uᵢ = Avᵢ/σᵢ.",
                  lambda: [(None if valid else svd_text(*t), message) for t, message, valid in routes()])
    return Draft(params, {"variant": "svd", "A": A, "rows": m},
                 lambda: [_eig_part(G, sigma), _sigma_part(A, sigma), u1(), answer], [answer], worked)


def _pinv(params, A, U, sigma, V) -> Draft:
    m, S, Ut = len(A), _sigma_matrix(sigma, len(A)), transpose(U)
    inverted = [1 / s if s else 0 for s in sigma]
    inverted_squared = lambda: [1 / s**2 if s else 0 for s in sigma]
    plus = lambda: transpose(_sigma_matrix(inverted, m))
    P = pseudoinverse(A)
    context = {"variant": "pinv", "A": A, "U": U, "S": S, "V": V, "rows": m}
    worked = lambda: {"Ut": Ut, "plus": plus(), "pinv": P, "full_rank": sigma[1] != 0, "dims_plus": Shape(2, m),
                      "check": matmul(P, A)}
    plus_part = lambda: part("plus", Kind.MATRIX, plus(), "Σ⁺", "Transpose the shape of Σ and invert each nonzero σᵢ.",
                             [(transpose(S), "Σ⁺ inverts each nonzero singular value: 1/σᵢ."),
                              (_sigma_matrix(inverted, m) if m == 3 else None, f"Σ⁺ is 2×{m}, the transposed shape of Σ."),
                              (transpose(_sigma_matrix(inverted_squared(), m)), "Σ⁺ holds 1/σᵢ, not 1/σᵢ².")])
    answer = part("pinv", Kind.MATRIX, P, "A⁺", "A⁺ = VΣ⁺Uᵀ: V first, Uᵀ last.",
                  lambda: [(transpose(A), "That is Aᵀ = VΣᵀUᵀ: Σ⁺ inverts the nonzero singular values."),
                           (transpose(P), "U and V are swapped: A⁺ = VΣ⁺Uᵀ, not UΣ⁺ᵀVᵀ."),
                           (_v_diag_ut(V, inverted_squared(), Ut), "Σ⁺ holds 1/σᵢ, not 1/σᵢ²."),
                           (UNDEFINED, "Every matrix has a pseudoinverse, even one with no inverse.")])
    return Draft(params, context, lambda: [plus_part(), answer], [answer], worked)


def _v_diag_ut(V, d, Ut):
    """V·D·Uᵀ for D 2×m with diagonal d: row j of Uᵀ past the second meets a zero column of D."""
    return matmul([[x * dj for x, dj in zip(row, d)] for row in V], Ut[:2])


def _eigen_context(A, G, sigma) -> dict:
    """The characteristic equation t² − (trace)t + det = 0 of AᵀA and its roots σᵢ², worked:
    by the quadratic formula (D the discriminant, √D = σ₁² − σ₂²), or by factoring out t when det = 0;
    a diagonal AᵀA needs neither."""
    eig = [s * s for s in sigma]
    trace, det = eig[0] + eig[1], eig[0] * eig[1]
    s, p = _term(trace), _term(det)
    return {"A": A, "G": G, "rows": len(A), "eig": eig, "sigma": sigma, "trace": trace, "det": det,
            "diagonal": not G[0][1],
            "factored": Sym(f"t(t - {s}) = 0"), "roots": [Sym(f"t = ({s} {sign} √D)/2") for sign in "+-"],
            "discriminant": Sym(f"D = {s}^2 - 4·{p}"), "squared": (eig[0] - eig[1]) ** 2,
            "root": eig[0] - eig[1], "halves": [Sym(f"({s} {sign} {_term(eig[0] - eig[1])})/2") for sign in "+-"]}


def _vector_context(G, sigma, v, u) -> dict:
    """v₁ read off one row (a, b) of AᵀA − σ₁²I: ax + by = 0, so v₁ ∝ (b, −a), written in coprime
    whole numbers with v₁'s sign (a diagonal AᵀA needs none of it); and, for a rank-1 3×2 A, how
    u₂ and u₃ relate to u₁."""
    context: dict = {}
    if len(u) == 3 and not sigma[1]:
        context.update(u12=Dot(tuple(zip(u[0], u[1]))),
                       u3_cross=Sym("u_3 = u_1 × u_2" if cross(u[0], u[1]) == list(u[2]) else "u_3 = u_2 × u_1"))
    if sigma[0] == sigma[1] or not G[0][1]:    # AᵀA diagonal: V's columns are I's
        return context
    e = sigma[0] ** 2
    shifted = [[G[0][0] - e, G[0][1]], [G[1][0], G[1][1] - e]]
    row = 0 if any(shifted[0]) else 1
    a, b = shifted[row]
    whole = lcm(Fraction(a).denominator, Fraction(b).denominator)
    direction = [int(b * whole), int(-a * whole)]
    g = gcd(*direction) if direction[0] * v[0][0] + direction[1] * v[0][1] > 0 else -gcd(*direction)
    direction = [x // g for x in direction]
    length = rational_sqrt(sum(x * x for x in direction))
    equation = poly.plus(poly.scale(poly.variable("x"), a), poly.scale(poly.variable("y"), b))
    return context | {"shift": Sym(f"A^TA - {_term(e)}I"), "shifted": shifted, "row": row + 1,
                      "row_equation": Sym(poly.to_text(equation, ("x", "y"), "") + " = 0"),
                      "direction": direction, "direction_text": ", ".join(map(str, direction)),
                      "direction_length": Sym("√(" + " + ".join(f"{_term(x)}^2" for x in direction)
                                              + f") = {length}"),
                      "recip": 1 / length if length != 1 else None}


def _term(x) -> str:
    """A number as a term of a formula: a negative number or a fraction in parentheses."""
    x = Fraction(x)
    return str(x) if x >= 0 and x.denominator == 1 else f"({x})"


def _eig_part(G, sigma):
    eig = [s * s for s in sigma]
    return part("eig", Kind.VECTOR, eig, "the eigenvalues of AᵀA, largest first",
                "Solve t² − (trace)t + det = 0 for the 2×2 matrix AᵀA.",
                [(eig[::-1], "List the eigenvalues largest first."),
                 ([G[0][0], G[1][1]] if G[0][1] else None,
                  "AᵀA is not diagonal, so its eigenvalues are not its diagonal entries.")])


def _sigma_part(A, sigma):
    mistakes = lambda: [([s * s for s in sigma], "Those are σᵢ², the eigenvalues of AᵀA: take their square roots."),
                        (sigma[::-1], "List the singular values largest first."),
                        ([sigma[0]] if not sigma[1] else None,
                         "A has two singular values (one per column); the second is 0."),
                        (_eigenvalues(A), ("Those are the eigenvalues of A; the singular values are "
                                           "the square roots of the eigenvalues of AᵀA."))]
    return part("sigma", Kind.VECTOR, sigma, "the singular values σ₁, σ₂, largest first",
                "σᵢ = √(eigenvalue i of AᵀA).", mistakes)


def _rank_part(sigma, m: int):
    r = _rank(sigma)
    return part("rank", Kind.NUMBER, r, "rank A", "Count the nonzero singular values.",
                [(2 if r < 2 else None, "A zero singular value does not count: the rank counts the nonzero ones."),
                 (m if m > 2 else None, f"A {m}×2 matrix has rank at most 2: count the nonzero singular values.")])


def _cond_part(sigma):
    s1, s2 = sigma
    if not s2:
        return part("cond", Kind.NUMBER, UNDEFINED, "the condition number σ₁/σ₂ (or 'undefined')",
                    "σ₁/σ₂ needs σ₂ ≠ 0.",
                    [(0, "σ₂/σ₁ = 0; with σ₂ = 0 the condition number σ₁/σ₂ is infinite: answer 'undefined'.")])
    return part("cond", Kind.NUMBER, s1 / s2, "the condition number σ₁/σ₂ (or 'undefined')",
                "Largest singular value over the smallest.",
                lambda: [(s2 / s1, "That is σ₂/σ₁: the condition number is the largest over the smallest, at least 1."),
                         ((s1 / s2) ** 2, "That is (σ₁/σ₂)², the condition number of AᵀA: use σ, not σ²."),
                         (UNDEFINED, "σ₂ ≠ 0, so σ₁/σ₂ is defined.")])


def _rank(sigma) -> int:
    return sum(1 for s in sigma if s)


def _eigenvalues(A):
    """The eigenvalues of a 2×2 A, largest first, when they are rational; else None."""
    if len(A) != 2:
        return None
    half, det = Fraction(A[0][0] + A[1][1], 2), A[0][0] * A[1][1] - A[0][1] * A[1][0]
    root = rational_sqrt(half * half - det)
    return None if root is None else [half + root, half - root]


def _swap12(M):
    return [[row[1], row[0], *row[2:]] for row in M]


def _negate1(M):
    return [[-row[0], *row[1:]] for row in M]

