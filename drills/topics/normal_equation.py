"""The normal equation θ = (X_bᵀX_b)⁻¹X_bᵀy, step by step, for one or two features.

Problems are sampled backwards: small points, an integer θ and a little integer noise, kept
only when every step stays hand-sized (X_bᵀX_b, its determinant and inverse, X_bᵀy, θ).
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property, lru_cache
from itertools import combinations_with_replacement, repeat
from math import factorial, floor, gcd, prod
from operator import mul

from drills.errors import DrillsError
from drills.notation import Dot, Sym
from drills.topics import HAND_SIZED, Draft, part
from drills.topics import params as read
from drills.topics.data import features, targets
from drills.topics.draw import pick
from drills.topics.inverse import det_part, minor_step
from grader.reference.rational import (
    adjugate,
    det,
    inverse,
    matvec,
    scale,
    shape,
    transpose,
    whole_adjugate,
    whole_det,
)
from grader.spec import Kind

MAX_FEATURES = 2
MAX_ADJUGATE = 150             # adj(X_bᵀX_b) is worked out by hand too
MAX_INVERSE = 20
THETA_DENOMINATOR = 2          # sampled θ is integer or half-integer
NOISE_TRIES = 10


# --- sampling ----------------------------------------------------------------------------------
# Candidates are screened exactly in whole numbers (det·θ = adj·X_bᵀy) on every value the problem
# asks, so the one kept is built once.

# A class's worksheet variants share a problem's first two draws: one feature or two, then the rows
FORM_DRAWS = 2


def sample_params(rng, level: str) -> dict:
    return sample(rng, level).params


def sample(rng, level: str) -> Draft:
    """A fresh problem, built from the whole numbers its screening worked out: params drawn
    by us need no reading."""
    n = pick(rng, (1, 1, 2))
    m = pick(rng, (3, 4, 5, 6) if n == 1 else (4, 5, 6))
    random = rng.random
    while True:
        candidate = _one_feature(rng, m) if n == 1 else _two_features(rng, m)
        if candidate is None:
            continue
        columns, rows, G, d, adj, spread, step = candidate
        # y = X_bθ + noise makes det·(fitted θ) = det·θ + adj·X_bᵀ·noise: the noise alone
        # decides whether the fitted θ is a half-integer, which most draws fail
        for _ in range(NOISE_TRIES):
            # θ = rng.integers(-4, 7, size=n + 1), then noise = rng.integers(-2, 3, size=m), read
            # off the uniforms as Draws does (low + ⌊u·span⌋); θ only once the noise passes
            uniforms = [random() for _ in range(n + 1)]
            noise = [floor(random() * 5) - 2 for _ in range(m)]
            for row in spread:
                if sum(map(mul, row, noise)) % step:
                    break
            else:
                theta = [floor(u * 11) - 4 for u in uniforms]
                y = [_dot(row, theta) + e for row, e in zip(rows, noise)]
                fit = _screen_fit(d, adj, columns, rows, y)
                if fit is not None:
                    X = [list(row[1:]) for row in rows]
                    xty, scaled = fit
                    steps = Steps.of(X, y, [[1, *row] for row in X], [list(row) for row in G], d,
                                     [list(row) for row in adj], xty, scaled)
                    return _draft({"X": [list(row) for row in X], "y": list(y)}, steps)   # the problem's own copy


def _one_feature(rng, m: int):
    """A screened candidate (see _candidate) from m sorted x values from a window of 7, at least 3
    of them distinct, with a hand-sized X_bᵀX_b: as likely as when drawn one by one and screened,
    without the draws that fail."""
    low = pick(rng, (-3, -2, 0, 1))
    points, cumulative = _one_feature_points(m, low)
    return _one_feature_candidate(points[bisect_right(cumulative, rng.random() * cumulative[-1])])


@lru_cache(maxsize=16)               # one table per (m, low): 4 × 4
def _one_feature_points(m: int, low: int) -> tuple[list[tuple[int, ...]], list[int]]:
    """The sorted x in [low, low + 7) that _one_feature may give (at most 924), and their
    cumulative weights: the number of orders in which m draws give each."""
    points, cumulative, total = [], [], 0
    for xs in combinations_with_replacement(range(low, low + 7), m):
        s1, s2 = sum(xs), sum(x * x for x in xs)
        if len(set(xs)) >= 3 and _screen_inverse(((m, s1), (s1, s2))) is not None:
            total += factorial(m) // prod(factorial(xs.count(x)) for x in set(xs))
            points.append(xs)
            cumulative.append(total)
    return points, cumulative


@lru_cache(maxsize=8192)             # every point of the tables above fits (6,720 at most)
def _one_feature_candidate(xs: tuple[int, ...]):
    """The screened candidate (see _candidate) of a point of the tables above."""
    s1, s2 = sum(xs), _dot(xs, xs)
    return _candidate(((1,) * len(xs), xs), ((len(xs), s1), (s1, s2)))


def _two_features(rng, m: int):
    """A screened candidate (see _candidate), or None, from a small cloud of m points around 0
    (narrower for more points, so that X_bᵀX_b stays small)."""
    low, high = {4: (-2, 3), 5: (-1, 3), 6: (-1, 2)}[m]
    drawn = rng.integers(low, high, size=2 * m)         # rng.integers(low, high, size=(m, 2)), flat
    a, b = drawn[0::2], drawn[1::2]
    sum_a, sum_b, ab = sum(a), sum(b), _dot(a, b)
    return _candidate(((1,) * m, a, b), ((m, sum_a, sum_b), (sum_a, _dot(a, a), ab), (sum_b, ab, _dot(b, b))))


def _candidate(columns, G):
    """(columns, rows, G, det G, adj G, adj·X_bᵀ, step) for the columns of X_b when G = X_bᵀX_b
    passes _screen_inverse, else None. step is the smallest number that det·θ may change by for θ
    to stay a multiple of 1/THETA_DENOMINATOR: the noise that is kept moves each entry of
    (adj·X_bᵀ)·noise = det·(fitted θ − θ) by a multiple of it."""
    screened = _screen_inverse(G)
    if screened is None:
        return None
    rows, (d, adj) = tuple(zip(*columns)), screened
    spread = tuple([tuple([_dot(a, point) for point in rows]) for a in adj])         # adj·X_bᵀ
    return columns, rows, G, d, adj, spread, abs(d) // gcd(d, THETA_DENOMINATOR)


@lru_cache(maxsize=8192)             # two-feature draws repeat, and the one-feature tables ask again
def _screen_inverse(G: tuple[tuple[int, ...], ...]) -> tuple[int, tuple[tuple[int, ...], ...]] | None:
    """(det G, adj G) of a whole-number G = X_bᵀX_b when G, det G, adj G and G⁻¹ = adj/det are
    small enough to work out by hand, else None."""
    d, adj = _symmetric_det_adjugate(G)
    if not 0 < abs(d) <= HAND_SIZED[0] or _largest(G) > HAND_SIZED[0]:
        return None
    # the denominator of v/d in lowest terms is |d|/gcd(v, d): the largest is over the least gcd
    if (_largest(adj) > min(MAX_ADJUGATE, MAX_INVERSE * abs(d))
            or abs(d) > HAND_SIZED[1] * min(map(gcd, _flat(adj), repeat(d)))):
        return None
    return d, adj


def _symmetric_det_adjugate(G) -> tuple[int, tuple[tuple[int, ...], ...]]:
    """(det G, adj G) of a symmetric 2×2 or 3×3 G of ints: adj G is symmetric too, so six
    cofactors make a 3×3 one."""
    if len(G) == 2:
        (a, b), (_, c) = G
        return a * c - b * b, ((c, -b), (-b, a))
    (a, b, c), (_, e, f), (_, _, i) = G
    c11, c12, c13, c22, c23, c33 = e * i - f * f, c * f - b * i, b * f - c * e, a * i - c * c, b * c - a * f, a * e - b * b
    return a * c11 + b * c12 + c * c13, ((c11, c12, c13), (c12, c22, c23), (c13, c23, c33))


def _screen_fit(d: int, adj, columns, rows, y):
    """(X_bᵀy, det·θ) when θ = adj·X_bᵀy/det is small and integer or half-integer, X_bᵀy small,
    and some residual left; else None."""
    xty = [_dot(column, y) for column in columns]
    scaled = [_dot(row, xty) for row in adj]                            # det·θ
    if (all(v * THETA_DENOMINATOR % d == 0 and abs(v) <= HAND_SIZED[0] * abs(d) for v in scaled)
            and max(map(abs, xty)) <= HAND_SIZED[0]
            and any(_dot(row, scaled) != d * v for row, v in zip(rows, y))):    # X_bθ ≠ y
        return xty, scaled
    return None


def _dot(a, b) -> int:
    return sum(map(mul, a, b))


def _largest(M) -> int:
    """The largest size of an entry of a matrix."""
    return max(max(map(max, M)), -min(map(min, M)))


def _flat(M) -> list:
    return [v for row in M for v in row]


# --- building ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Steps:
    """The values of the worked solution, plus XᵀX and Xᵀy without the bias column.

    They are plain numbers (see params.plain), so whole-number data, the usual case, is worked
    out in int arithmetic; θ and the inverse are Fractions over det, with scaled = det·θ.
    """

    X: list
    y: list
    Xb: list
    G: list              # X_bᵀX_b
    xty: list            # X_bᵀy
    det: int | Fraction
    adj: list
    scaled: list         # adj·X_bᵀy = det·θ
    theta: list
    plain_G: list        # XᵀX (no bias column)
    plain_xty: list      # Xᵀy

    @classmethod
    def of(cls, X, y, Xb, G, d, adj=None, xty=None, scaled=None) -> Steps:
        """The steps for X_b and G = X_bᵀX_b with det G = d; adj G, X_bᵀy and det·θ too when
        the sampler has worked them out already."""
        adj = adj if adj is not None else whole_adjugate(G) if _whole(G) else adjugate(G)
        xty = xty if xty is not None else read.plain_matvec(transpose(Xb), y)
        scaled = scaled if scaled is not None else read.plain_matvec(adj, xty)
        plain_G = [row[1:] for row in G[1:]]                   # XᵀX, Xᵀy: drop the bias row
        return cls(X, y, Xb, G, xty, d, adj, scaled, _over(scaled, d), plain_G, xty[1:])

    @cached_property
    def inverse(self) -> list:
        return _over(self.adj, self.det)

    @cached_property
    def plain_inverse(self) -> list:
        """(XᵀX)⁻¹, which exists as X_bᵀX_b is invertible: for the mistakes only."""
        return inverse(self.plain_G)


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
    X, y = [read.plain(row) for row in X], read.plain(y)
    Xb = [[1, *row] for row in X]
    G = _gram(Xb)
    d = whole_det(G) if _whole(G) else det(G)
    if d == 0:
        raise DrillsError("X_bᵀX_b is singular (det = 0): the columns of X_b are linearly dependent "
                          "(a duplicated or collinear feature), so θ is not unique")
    return _draft({"X": raw_X, "y": params["y"]}, Steps.of(X, y, Xb, G, d))


def _gram(A):
    """AᵀA in plain numbers."""
    columns = transpose(A)
    return [read.plain_matvec(columns, column) for column in columns]


def _whole(M) -> bool:
    return all(type(v) is int for row in M for v in row)


def _over(values, d):
    """values/d as Fractions, entry by entry (a vector or a matrix)."""
    return [_over(v, d) if isinstance(v, list) else Fraction(v, d) for v in values]


MODELS = {1: Sym("ŷ = θ_0 + θ_1 x_1"), 2: Sym("ŷ = θ_0 + θ_1 x_1 + θ_2 x_2")}    # by the number of features


def _draft(params, s: Steps) -> Draft:
    n = len(s.G) - 1
    context = {"variant": "fit", "n": n, "count": len(s.X), "X": s.X, "y": s.y, "model": MODELS[n]}
    answer = _theta_part(s)
    return Draft(params, context, lambda: [_gram_part(s), _xty_part(s), _det_part(s), _inverse_part(s), answer],
                 [answer], lambda: _worked(s))


def _worked(s: Steps) -> dict:
    """The values of the worked steps, with a dot product for each sum the learner works out."""
    n, XbT, G = len(s.G) - 1, transpose(s.Xb), s.G
    scaled_r = [p - s.det * t for p, t in zip(read.plain_matvec(s.Xb, s.scaled), s.y)]     # det·r
    return {"Xb": s.Xb, "XbT": XbT, "G": G, "xty": s.xty, "det": s.det, "adj": s.adj, "C": s.adj,
            "recip": Fraction(1, s.det), "inverse": s.inverse, "theta": s.theta, "r": _over(scaled_r, s.det),
            "check": _over(read.plain_matvec(XbT, scaled_r), s.det),
            "gram_entries": [(i, j, Dot(tuple(zip(XbT[i], XbT[j])))) for i in range(n + 1) for j in range(i, n + 1)],
            "xty_dots": [Dot(tuple(zip(col, s.y))) for col in XbT],
            "scaled": s.scaled, "scaled_dots": [Dot(tuple(zip(row, s.xty))) for row in s.adj],
            "cofactors": ([minor_step(G, i, j, "C", s.adj[i][j]) for i in range(3) for j in range(i, 3)]
                          if n == 2 else []),
            "det_dot": (Dot(((G[0][0], G[1][1]), (G[0][1], G[1][0])), (1, -1)) if n == 1 else
                        Dot(tuple(zip(G[0], s.adj[0]))))}   # adj = C: G is symmetric


def _gram_part(s: Steps):
    m, k, G, XbT = len(s.X), len(s.G), s.G, transpose(s.Xb)
    squared_sums = [[(G[0][i] ** 2 if i == j and i else G[i][j]) for j in range(k)]   # G[0][i] = Σxᵢ
                    for i in range(k)]
    bias_last = [row[1:] + row[:1] for row in G[1:] + G[:1]]
    return part("gram", Kind.MATRIX, G, "X_bᵀX_b",
                "Entry (i, j) is column i of X_b times column j of X_b.",
                [(s.plain_G, f"That is XᵀX without the bias column: put a column of 1s in front of X first, "
                             f"so X_bᵀX_b is {k}×{k}."),
                 (_gram(XbT), f"That is X_bX_bᵀ ({m}×{m}); the normal equation needs "
                              f"X_bᵀX_b ({k}×{k}): the transpose goes first."),
                 (bias_last, f"The column of 1s goes first in X_b, so the top-left entry is m = {m}."),
                 (squared_sums, "A diagonal entry is Σxᵢ², the sum of the squares, not (Σxᵢ)², the square of the sum.")])


def _xty_part(s: Steps):
    sum_y = s.xty[0]
    sums_product = [sum_y] + [sum_x * sum_y for sum_x in s.G[0][1:]]                  # G[0][j] = Σxⱼ
    return part("xty", Kind.VECTOR, s.xty, "X_bᵀy",
                "Entry j is column j of X_b times y; the first one, from the column of 1s, is Σyᵢ.",
                [(s.plain_xty, "That is Xᵀy without the bias column: its first entry, Σyᵢ, comes from the column of 1s."),
                 (sums_product, "Σxᵢyᵢ multiplies each x by its own y before adding; (Σxᵢ)(Σyᵢ) is not the same."),
                 (s.xty[1:] + s.xty[:1], "The column of 1s comes first in X_b, so Σyᵢ is the first entry of X_bᵀy."),
                 (read.plain_matvec(s.Xb, s.y) if len(s.Xb) == len(s.G) else None,
                  "That is X_b·y; the normal equation needs X_bᵀy, each column of X_b times y.")])


def _det_part(s: Steps):
    return det_part(s.G, s.det, "det(X_bᵀX_b)", "g")


def _inverse_part(s: Steps):
    G, k, d = s.G, len(s.G), s.det
    unsigned = [[v if (i + j) % 2 == 0 else -v for j, v in enumerate(row)]   # Mⱼᵢ/det: adj/det without
                for i, row in enumerate(s.inverse)]                         # the cofactor signs
    reciprocal = [[1 / Fraction(v) for v in row] for row in G] if all(_flat(G)) else None
    return part("inverse", Kind.MATRIX, s.inverse, "(X_bᵀX_b)⁻¹",
                "(X_bᵀX_b)⁻¹ = (1/det)·adj, the adjugate divided by the determinant.",
                [(s.adj, f"That is the adjugate: divide it by det = {d}."),
                 (unsigned,
                  "The cofactor signs are missing: Cᵢⱼ = −Mᵢⱼ when i + j is odd (for a 2×2, negate the off-diagonal)."),
                 (scale(Fraction(1, d), [[G[0][0], -G[0][1]], [-G[1][0], G[1][1]]]) if k == 2 else None,
                  "Swap the two diagonal entries as well as negating the others: adj G = [[g₂₂, −g₁₂], [−g₂₁, g₁₁]]."),
                 (reciprocal, "A matrix inverse is not the entry-by-entry reciprocal: use (1/det)·adj."),
                 (s.plain_inverse, "That is (XᵀX)⁻¹ without the bias column: X_b has a column of 1s in front.")])


def _theta_part(s: Steps):
    return part("theta", Kind.VECTOR, s.theta, "θ = (X_bᵀX_b)⁻¹X_bᵀy",
                "Solve X_bᵀX_b·θ = X_bᵀy: multiply X_bᵀy by (X_bᵀX_b)⁻¹.",
                lambda: [(matvec(s.plain_inverse, s.plain_xty),
                          "That fits a line through the origin: without the column of 1s there is no intercept θ₀."),
                         (s.theta[1:] + s.theta[:1],
                          "θ₀, the intercept (the weight of the column of 1s), comes first: θ = (θ₀, θ₁, …)."),
                         (s.scaled, f"You used the adjugate: divide by det(X_bᵀX_b) = {s.det} as well."),
                         (s.xty, "That is X_bᵀy; multiply it by (X_bᵀX_b)⁻¹ to get θ."),
                         (read.plain_matvec(s.G, s.xty), "You multiplied by X_bᵀX_b instead of its inverse.")])
