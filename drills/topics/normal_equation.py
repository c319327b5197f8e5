"""The normal equation θ = (X_bᵀX_b)⁻¹X_bᵀy, step by step, for one or two features.

Problems are sampled backwards: small points, an integer θ and a little integer noise, kept
only when every step stays hand-sized (X_bᵀX_b, its determinant and inverse, X_bᵀy, θ).
"""
from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from math import gcd

from drills.errors import DrillsError
from drills.notation import Dot, Sym
from drills.topics import Draft, part
from drills.topics import params as read
from drills.topics.data import add_bias, features, targets
from drills.topics.draw import ints, pick
from drills.topics.inverse import det_part
from grader.reference.rational import (
    cofactors,
    det,
    inverse,
    matmul,
    matvec,
    minor,
    scale,
    shape,
    solve,
    transpose,
    whole_adjugate,
    whole_det,
)
from grader.spec import Kind
from grader.values import entries, from_json

MAX_FEATURES = 2
HAND_SIZED = (300, 12)         # |entry| and denominator of every asked value
MAX_ADJUGATE = 150             # adj(X_bᵀX_b) is worked out by hand too
MAX_INVERSE = 20
THETA_DENOMINATOR = 2          # sampled θ is integer or half-integer
NOISE_TRIES = 10


# --- sampling ----------------------------------------------------------------------------------
# Candidates are screened on det and adj of X_bᵀX_b and on θ, exactly and cheaply in whole
# numbers (det·θ = adj·X_bᵀy); the one kept is then built and checked in full.

def sample_params(rng, level: str) -> dict:
    return sample(rng, level).params


def sample(rng, level: str) -> Draft:
    """A fresh problem, and the Draft built to check it (handed on, so it is not built twice)."""
    n = pick(rng, (1, 1, 2))
    m = pick(rng, (3, 4, 5, 6) if n == 1 else (4, 5, 6))
    while True:
        X = _points(rng, m, n)
        if n == 1 and len({row[0] for row in X}) < 3:
            continue
        Xb = [[1, *row] for row in X]
        screened = _screen_inverse(_gram_of(Xb))
        if screened is None:
            continue
        for _ in range(NOISE_TRIES):
            theta = [int(t) for t in rng.integers(-4, 7, size=n + 1)]
            noise = rng.integers(-2, 3, size=m)
            y = [_dot(row, theta) + int(e) for row, e in zip(Xb, noise)]
            if _screen_fit(*screened, Xb, y):
                draft = build({"X": X, "y": y})
                if _by_hand(draft):
                    return draft


def _points(rng, m: int, n: int) -> list[list[int]]:
    """m points: sorted x values from a window of 7 for one feature, a small cloud around 0 for two
    (narrower for more points, so that X_bᵀX_b stays small)."""
    if n == 1:
        low = pick(rng, (-3, -2, 0, 1))
        return [[int(x)] for x in sorted(rng.integers(low, low + 7, size=m))]
    low, high = {4: (-2, 2), 5: (-1, 2), 6: (-1, 1)}[m]
    return ints(rng, m, 2, low, high)


def _gram_of(Xb) -> tuple[tuple[int, ...], ...]:
    """X_bᵀX_b of whole numbers, as a tuple (a key for _screen_inverse)."""
    columns = list(zip(*Xb))
    return tuple(tuple(_dot(a, b) for b in columns) for a in columns)


@lru_cache(maxsize=8192)             # draws repeat: of some 24 a problem, one G in eight is new
def _screen_inverse(G: tuple[tuple[int, ...], ...]) -> tuple[int, tuple[tuple[int, ...], ...]] | None:
    """(det G, adj G) of a whole-number G when they and G⁻¹ = adj/det are small enough to work
    out by hand, else None."""
    d = whole_det(G)
    if not 0 < abs(d) <= HAND_SIZED[0]:
        return None
    adj = whole_adjugate(G)
    if any(abs(v) > MAX_ADJUGATE or abs(v) > MAX_INVERSE * abs(d) or _denominator(v, d) > HAND_SIZED[1]
           for v in _flat(adj)):
        return None
    return d, tuple(map(tuple, adj))


def _screen_fit(d: int, adj, Xb, y) -> bool:
    """θ = adj·X_bᵀy/det is integer or half-integer, X_bᵀy small, and some residual is left."""
    xty = [_dot(column, y) for column in zip(*Xb)]
    scaled = [_dot(row, xty) for row in adj]                            # det·θ
    return (max(map(abs, xty)) <= HAND_SIZED[0]
            and all(_denominator(v, d) <= THETA_DENOMINATOR for v in scaled)
            and any(_dot(row, scaled) != d * v for row, v in zip(Xb, y)))     # X_bθ ≠ y


def _dot(a, b) -> int:
    return sum(x * y for x, y in zip(a, b))


def _denominator(numerator: int, denominator: int) -> int:
    """The denominator of numerator/denominator in lowest terms."""
    return abs(denominator) // gcd(numerator, denominator)


def _by_hand(draft: Draft) -> bool:
    """The exact check: every asked value, adj and the inverse hand-sized, θ nice, r ≠ 0."""
    c = draft.context
    return (all(_hand_sized(_values(p)) for p in draft.blanks)
            and _hand_sized(c["theta"], THETA_DENOMINATOR) and any(c["r"])
            and all(abs(v) <= MAX_ADJUGATE for v in _flat(c["adj"]))
            and all(abs(v) <= MAX_INVERSE for v in _flat(c["inverse"])))


def _hand_sized(values, denominator: int = HAND_SIZED[1]) -> bool:
    return all(abs(v) <= HAND_SIZED[0] and Fraction(v).denominator <= denominator for v in values)


def _values(p) -> list:
    return [v for _, v in entries(from_json(p.answer, p.kind))]


def _flat(M) -> list:
    return [v for row in M for v in row]


# --- building ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Steps:
    """The values of the worked solution, plus XᵀX and Xᵀy without the bias column."""

    X: list
    y: list
    Xb: list
    G: list              # X_bᵀX_b
    xty: list            # X_bᵀy
    det: Fraction
    adj: list
    inverse: list
    theta: list
    plain_G: list        # XᵀX (no bias column)
    plain_xty: list      # Xᵀy

    @classmethod
    def of(cls, X, y, Xb, G) -> Steps:
        C, d = cofactors(G), det(G)
        adj, xty = transpose(C), matvec(transpose(Xb), y)
        inv = scale(1 / d, adj)
        return cls(X, y, Xb, G, xty, d, adj, inv, matvec(inv, xty), _gram(X), matvec(transpose(X), y))


def build(params: dict) -> Draft:
    read.only(params, {"X", "y"}, {"X", "y"})
    X, raw_X = features(params, MAX_FEATURES)
    (m, n), y = shape(X), targets(params, len(X))
    if m < n + 1:
        raise DrillsError(f"θ has {n + 1} entries, so it needs at least {n + 1} points; X has {m} row{'s' * (m > 1)}")
    for j in range(n):
        column = {row[j] for row in X}
        if len(column) == 1:
            value = column.pop()
            hint = ": give X without the bias column, it is added for you" if value == 1 else ""
            raise DrillsError(f"feature {j + 1} is {value} in every row, a copy of the bias column, "
                              f"so X_bᵀX_b is singular{hint}")
    Xb = add_bias(X)
    G = _gram(Xb)
    if det(G) == 0:
        raise DrillsError("X_bᵀX_b is singular (det = 0): the columns of X_b are linearly dependent "
                          "(a duplicated or collinear feature), so θ is not unique")
    return _draft({"X": raw_X, "y": params["y"]}, Steps.of(X, y, Xb, G))


def _gram(A):
    return matmul(transpose(A), A)


def _draft(params, s: Steps) -> Draft:
    (m, n), XbT, G = shape(s.X), transpose(s.Xb), s.G
    r = [p - t for p, t in zip(matvec(s.Xb, s.theta), s.y)]
    context = {"variant": "fit", "n": n, "count": m, "X": s.X, "y": s.y, "Xb": s.Xb, "XbT": XbT,
               "G": G, "xty": s.xty, "det": s.det, "adj": s.adj, "C": s.adj, "recip": 1 / s.det,
               "inverse": s.inverse, "theta": s.theta, "r": r, "check": matvec(XbT, r),
               "model": Sym("ŷ = θ_0 + θ_1 x_1" + (" + θ_2 x_2" if n > 1 else "")),
               "gram_entries": [(i, j, Dot(tuple(zip(XbT[i], XbT[j]))))
                                for i in range(n + 1) for j in range(i, n + 1)],
               "xty_dots": [Dot(tuple(zip(col, s.y))) for col in XbT],
               "det_dot": (Dot(((G[0][0], G[1][1]), (G[0][1], G[1][0])), (1, -1)) if n == 1 else
                           Dot(tuple(zip(G[0], s.adj[0]))))}   # adj = C: G is symmetric
    answer = _theta_part(s)
    blanks = [_gram_part(s), _xty_part(s), _det_part(s), _inverse_part(s), answer]
    return Draft(params, context, blanks, [answer])


def _gram_part(s: Steps):
    m, k, G = len(s.X), len(s.G), s.G
    squared_sums = [[(sum(row[i] for row in s.Xb) ** 2 if i == j and i else G[i][j]) for j in range(k)]
                    for i in range(k)]
    bias_last = [row[1:] + row[:1] for row in G[1:] + G[:1]]
    return part("gram", Kind.MATRIX, G, "X_bᵀX_b",
                "Entry (i, j) is column i of X_b times column j of X_b.",
                [(s.plain_G, f"That is XᵀX without the bias column: put a column of 1s in front of X first, "
                             f"so X_bᵀX_b is {k}×{k}."),
                 (matmul(s.Xb, transpose(s.Xb)), f"That is X_bX_bᵀ ({m}×{m}); the normal equation needs "
                                                 f"X_bᵀX_b ({k}×{k}): the transpose goes first."),
                 (bias_last, f"The column of 1s goes first in X_b, so the top-left entry is m = {m}."),
                 (squared_sums, "A diagonal entry is Σxᵢ², the sum of the squares, not (Σxᵢ)², the square of the sum.")])


def _xty_part(s: Steps):
    sum_y = sum(s.y, Fraction(0))
    sums_product = [sum_y] + [sum(row[j] for row in s.X) * sum_y for j in range(len(s.X[0]))]
    return part("xty", Kind.VECTOR, s.xty, "X_bᵀy",
                "Entry j is column j of X_b times y; the first one, from the column of 1s, is Σyᵢ.",
                [(s.plain_xty, "That is Xᵀy without the bias column: its first entry, Σyᵢ, comes from the column of 1s."),
                 (sums_product, "Σxᵢyᵢ multiplies each x by its own y before adding; (Σxᵢ)(Σyᵢ) is not the same."),
                 (s.xty[1:] + s.xty[:1], "The column of 1s comes first in X_b, so Σyᵢ is the first entry of X_bᵀy."),
                 (matvec(s.Xb, s.y) if len(s.Xb) == len(s.G) else None,
                  "That is X_b·y; the normal equation needs X_bᵀy, each column of X_b times y.")])


def _det_part(s: Steps):
    return det_part(s.G, s.det, "det(X_bᵀX_b)")


def _inverse_part(s: Steps):
    G, k, d = s.G, len(s.G), s.det
    minors = [[det(minor(G, i, j)) for j in range(k)] for i in range(k)]
    reciprocal = [[1 / v for v in row] for row in G] if all(_flat(G)) else None
    return part("inverse", Kind.MATRIX, s.inverse, "(X_bᵀX_b)⁻¹",
                "(X_bᵀX_b)⁻¹ = (1/det)·adj, the adjugate divided by the determinant.",
                [(s.adj, f"That is the adjugate: divide it by det = {d}."),
                 (scale(1 / d, transpose(minors)),
                  "The cofactor signs are missing: Cᵢⱼ = −Mᵢⱼ when i + j is odd (for a 2×2, negate the off-diagonal)."),
                 (scale(1 / d, [[G[0][0], -G[0][1]], [-G[1][0], G[1][1]]]) if k == 2 else None,
                  "Swap the two diagonal entries as well as negating the others: adj [[a, b], [c, d]] = [[d, −b], [−c, a]]."),
                 (reciprocal, "A matrix inverse is not the entry-by-entry reciprocal: use (1/det)·adj."),
                 (inverse(s.plain_G), "That is (XᵀX)⁻¹ without the bias column: X_b has a column of 1s in front.")])


def _theta_part(s: Steps):
    return part("theta", Kind.VECTOR, s.theta, "θ = (X_bᵀX_b)⁻¹X_bᵀy",
                "Solve X_bᵀX_b·θ = X_bᵀy: multiply X_bᵀy by (X_bᵀX_b)⁻¹.",
                [(solve(s.plain_G, s.plain_xty),
                  "That fits a line through the origin: without the column of 1s there is no intercept θ₀."),
                 (s.theta[1:] + s.theta[:1],
                  "θ₀, the intercept (the weight of the column of 1s), comes first: θ = (θ₀, θ₁, …)."),
                 (matvec(s.adj, s.xty), f"You used the adjugate: divide by det(X_bᵀX_b) = {s.det} as well."),
                 (s.xty, "That is X_bᵀy; multiply it by (X_bᵀX_b)⁻¹ to get θ."),
                 (matvec(s.G, s.xty), "You multiplied by X_bᵀX_b instead of its inverse.")])
