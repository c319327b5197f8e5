"""The normal equation θ = (X_bᵀX_b)⁻¹X_bᵀy, step by step, for one or two features.

Problems are sampled backwards: small points, an integer θ and a little integer noise, kept
only when every step stays hand-sized (X_bᵀX_b, its determinant and inverse, X_bᵀy, θ).
"""
from __future__ import annotations

from fractions import Fraction

from drills.errors import DrillsError
from drills.notation import Dot, Sym
from drills.topics import Draft, part
from drills.topics import params as read
from drills.topics.draw import int_vector, ints, pick
from drills.topics.mse import add_bias, features, targets
from grader.reference.rational import (adjugate, cofactors, det, inverse, matmul, matvec, minor,
                                       scale, shape, solve, transpose)
from grader.spec import Kind
from grader.values import entries, from_json

MAX_FEATURES = 2
HAND_SIZED = (300, 12)         # |entry| and denominator of every asked value
MAX_ADJUGATE = 150             # adj(X_bᵀX_b) is worked out by hand too
MAX_INVERSE = 20
THETA_DENOMINATOR = 2          # sampled θ is integer or half-integer
NOISE_TRIES = 10


# --- sampling ----------------------------------------------------------------------------------

def sample_params(rng, level: str) -> dict:
    n = pick(rng, (1, 1, 2))
    m = pick(rng, (3, 4, 5, 6) if n == 1 else (4, 5, 6))
    while True:
        X = _points(rng, m, n)
        Xb = add_bias(X)
        G = _gram(Xb)
        inv = _inverse_by_hand(G)
        if inv is None:
            continue
        for _ in range(NOISE_TRIES):
            y = _targets(rng, Xb)
            if _fits_by_hand(inv, Xb, y) and all(_hand_sized(_values(p)) for p in build({"X": X, "y": y}).blanks):
                return {"X": X, "y": y}


def _points(rng, m: int, n: int) -> list[list[int]]:
    """m points: distinct x values for one feature, a small cloud around 0 for two."""
    if n == 1:
        low = pick(rng, (-3, -2, 0, 1))
        return [[int(x)] for x in sorted(rng.choice(range(low, low + 7), size=m, replace=False))]
    return ints(rng, m, 2, -2, 2)


def _targets(rng, Xb) -> list[int]:
    """y = X_b·θ + noise for an integer θ and noise in -2..2."""
    theta = int_vector(rng, len(Xb[0]), -4, 6)
    return [int(v) + e for v, e in zip(matvec(Xb, theta), int_vector(rng, len(Xb), -2, 2))]


def _inverse_by_hand(G):
    """G⁻¹ when det G, adj G and G⁻¹ are all small enough to work out by hand, else None."""
    d = det(G)
    if d == 0 or not _hand_sized([d]):
        return None
    adj = adjugate(G)
    inv = scale(1 / d, adj)
    if (all(abs(v) <= MAX_ADJUGATE for v in _flat(adj)) and all(abs(v) <= MAX_INVERSE for v in _flat(inv))
            and _hand_sized(_flat(inv))):
        return inv
    return None


def _fits_by_hand(inv, Xb, y) -> bool:
    """θ integer or half-integer, X_bᵀy hand-sized, and some residual left (not an exact fit)."""
    xty = matvec(transpose(Xb), y)
    theta = matvec(inv, xty)
    return (_hand_sized(xty) and _hand_sized(theta, THETA_DENOMINATOR)
            and any(p != t for p, t in zip(matvec(Xb, theta), y)))


def _hand_sized(values, denominator: int = HAND_SIZED[1]) -> bool:
    return all(abs(v) <= HAND_SIZED[0] and Fraction(v).denominator <= denominator for v in values)


def _values(p) -> list:
    return [v for _, v in entries(from_json(p.answer, p.kind))]


def _flat(M) -> list:
    return [v for row in M for v in row]


# --- building ----------------------------------------------------------------------------------

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
    if det(_gram(add_bias(X))) == 0:
        raise DrillsError("X_bᵀX_b is singular (det = 0): the columns of X_b are linearly dependent "
                          "(a duplicated or collinear feature), so θ is not unique")
    return _draft({"X": raw_X, "y": params["y"]}, X, y)


def _gram(Xb):
    return matmul(transpose(Xb), Xb)


def _draft(params, X, y) -> Draft:
    (m, n), Xb = shape(X), add_bias(X)
    XbT = transpose(Xb)
    G, xty = _gram(Xb), matvec(XbT, y)
    d, adj, inv = det(G), adjugate(G), inverse(G)
    theta = matvec(inv, xty)
    r = [p - t for p, t in zip(matvec(Xb, theta), y)]
    context = {"variant": "fit", "n": n, "count": m, "X": X, "y": y, "Xb": Xb, "XbT": XbT, "G": G,
               "xty": xty, "det": d, "adj": adj, "C": cofactors(G), "recip": 1 / d, "inverse": inv,
               "theta": theta, "r": r, "check": matvec(XbT, r), "model": _model(n),
               "gram_entries": [(i, j, Dot(tuple(zip(XbT[i], XbT[j]))))
                                for i in range(n + 1) for j in range(i, n + 1)],
               "xty_dots": [Dot(tuple(zip(col, y))) for col in XbT],
               "det_dot": (Dot(((G[0][0], G[1][1]), (G[0][1], G[1][0])), (1, -1)) if n == 1 else
                           Dot(tuple(zip(G[0], cofactors(G)[0]))))}
    answer = _theta_part(X, y, Xb, G, xty, adj, theta)
    blanks = [_gram_part(X, Xb, G), _xty_part(X, Xb, y, xty), _det_part(G, d),
              _inverse_part(X, G, d, adj, inv), answer]
    return Draft(params, context, blanks, [answer])


def _model(n: int) -> Sym:
    return Sym("ŷ = θ_0 + θ_1 x_1" + (" + θ_2 x_2" if n > 1 else ""))


def _gram_part(X, Xb, G):
    m, k = len(X), len(G)
    squared_sums = [[(sum(r[i] for r in Xb) ** 2 if i == j and i else G[i][j]) for j in range(k)]
                    for i in range(k)]
    bias_last = [row[1:] + row[:1] for row in G[1:] + G[:1]]
    return part("gram", Kind.MATRIX, G, "X_bᵀX_b",
                "Entry (i, j) is column i of X_b times column j of X_b.",
                [(_gram(X), f"That is XᵀX without the bias column: put a column of 1s in front of X first, "
                            f"so X_bᵀX_b is {k}×{k}."),
                 (matmul(Xb, transpose(Xb)), f"That is X_bX_bᵀ ({m}×{m}); the normal equation needs "
                                             f"X_bᵀX_b ({k}×{k}): the transpose goes first."),
                 (bias_last, f"The column of 1s goes first in X_b, so the top-left entry is m = {m}."),
                 (squared_sums, "A diagonal entry is Σxᵢ², the sum of the squares, not (Σxᵢ)², the square of the sum.")])


def _xty_part(X, Xb, y, xty):
    sum_y = sum(y, Fraction(0))
    sums_product = [sum_y] + [sum(row[j] for row in X) * sum_y for j in range(len(X[0]))]
    return part("xty", Kind.VECTOR, xty, "X_bᵀy",
                "Entry j is column j of X_b times y; the first one, from the column of 1s, is Σyᵢ.",
                [(matvec(transpose(X), y), "That is Xᵀy without the bias column: its first entry, Σyᵢ, "
                                           "comes from the column of 1s."),
                 (sums_product, "Σxᵢyᵢ multiplies each x by its own y before adding; (Σxᵢ)(Σyᵢ) is not the same."),
                 (xty[1:] + xty[:1], "The column of 1s comes first in X_b, so Σyᵢ is the first entry of X_bᵀy."),
                 (matvec(Xb, y) if len(Xb) == len(Xb[0]) else None,
                  "That is X_b·y; the normal equation needs X_bᵀy, each column of X_b times y.")])


def _det_part(G, d):
    if len(G) == 2:
        (a, b), (c, e) = G
        hint = "For a 2×2 matrix [[a, b], [c, d]], det = ad − bc."
        wrong = [(a * e + b * c, "Subtract the products: det = ad − bc, not ad + bc."),
                 (b * c - a * e, "The sign is reversed: det = ad − bc, main diagonal first.")]
    else:
        hint = "Expand along row 1: g₁₁C₁₁ + g₁₂C₁₂ + g₁₃C₁₃, with the cofactors Cᵢⱼ."
        wrong = [(sum(G[0][j] * det(minor(G, 0, j)) for j in range(3)),
                  "The signs along row 1 alternate + − +: the middle minor is subtracted."),
                 (G[0][0] * G[1][1] * G[2][2],
                  "The product of the diagonal is the determinant only for a triangular matrix; expand along row 1.")]
    return part("det", Kind.NUMBER, d, "det(X_bᵀX_b)", hint, wrong)


def _inverse_part(X, G, d, adj, inv):
    k = len(G)
    minors = [[det(minor(G, i, j)) for j in range(k)] for i in range(k)]
    no_bias = inverse(_gram(X))
    reciprocal = [[1 / v for v in row] for row in G] if all(v for row in G for v in row) else None
    return part("inverse", Kind.MATRIX, inv, "(X_bᵀX_b)⁻¹",
                "(X_bᵀX_b)⁻¹ = (1/det)·adj, the adjugate divided by the determinant.",
                [(adj, f"That is the adjugate: divide it by det = {d}."),
                 (scale(1 / d, transpose(minors)),
                  "The cofactor signs are missing: Cᵢⱼ = −Mᵢⱼ when i + j is odd (for a 2×2, negate the off-diagonal)."),
                 (scale(1 / d, [[G[0][0], -G[0][1]], [-G[1][0], G[1][1]]]) if k == 2 else None,
                  "Swap the two diagonal entries as well as negating the others: adj [[a, b], [c, d]] = [[d, −b], [−c, a]]."),
                 (reciprocal, "A matrix inverse is not the entry-by-entry reciprocal: use (1/det)·adj."),
                 (no_bias, "That is (XᵀX)⁻¹ without the bias column: X_b has a column of 1s in front.")])


def _theta_part(X, y, Xb, G, xty, adj, theta):
    no_bias = solve(_gram(X), matvec(transpose(X), y))
    return part("theta", Kind.VECTOR, theta, "θ = (X_bᵀX_b)⁻¹X_bᵀy",
                "Solve X_bᵀX_b·θ = X_bᵀy: multiply X_bᵀy by (X_bᵀX_b)⁻¹.",
                [(no_bias, "That fits a line through the origin: without the column of 1s there is no intercept θ₀."),
                 (theta[1:] + theta[:1], "θ₀, the intercept (the weight of the column of 1s), comes first: "
                                         "θ = (θ₀, θ₁, …)."),
                 (matvec(adj, xty), f"You used the adjugate: divide by det(X_bᵀX_b) = {det(G)} as well."),
                 (xty, "That is X_bᵀy; multiply it by (X_bᵀX_b)⁻¹ to get θ."),
                 (matvec(G, xty), "You multiplied by X_bᵀX_b instead of its inverse.")])
