"""Determinant and inverse: det A, A⁻¹ of a 2×2 or 3×3 matrix (or none), and solving A·x = b."""
from __future__ import annotations

from fractions import Fraction
from math import lcm
from operator import mul

from drills.errors import DrillsError
from drills.notation import Dot, subscript
from drills.topics import Draft, part
from drills.topics import params as read
from drills.topics.draw import int_vector, ints, layout_seed, pick, spread
from grader.reference.rational import matvec, minor, scale, transpose, whole_cofactors, whole_det
from grader.spec import NO_VALUE, Kind

ASKS = ("det", "inverse", "solve")
# Determinants that keep A⁻¹ hand-computable: halves, thirds and quarters at worst.
NICE_DETS = {2: (-4, -3, -2, -1, 1, 2, 3, 4), 3: (-2, -1, 1, 2)}
MAX_INVERSE_ENTRY = 6
SINGULAR_SHARE = 0.15


# A class's worksheet variants share a problem's first two draws: det, solve or inverse, then 2×2 or 3×3
FORM_DRAWS = 2


def sample(rng, level: str) -> Draft:
    """A fresh problem: params drawn here are whole numbers of the right shapes, so they go to
    the draft as they are, without build's reading."""
    params = sample_params(rng, level)
    # the draft gets its own lists: a caller may change the problem's params
    b = params.get("b")
    return _draft(params, [list(row) for row in params["A"]], params["ask"], b and list(b))


def sample_params(rng, level: str) -> dict:
    u, n = rng.random(), pick(rng, (2, 3))   # det 25%, solve 25%, inverse 50% (some singular)
    if u < 0.25:
        return {"A": ints(rng, 2, 2, -6, 6) if n == 2 else ints(rng, 3, 3, -3, 3), "ask": "det"}
    if u >= 0.5:
        singular = u < 0.5 + 0.5 * SINGULAR_SHARE   # the lowest SINGULAR_SHARE of the inverse half
        return {"A": _singular(rng, n) if singular else _invertible(rng, n), "ask": "inverse"}
    A = _invertible(rng, n)
    x = int_vector(rng, n, -3, 3)
    return {"A": A, "ask": "solve", "b": [sum(map(mul, row, x)) for row in A]}


def _invertible(rng, n: int) -> list[list[int]]:
    """A small integer matrix, few zeros, a nice determinant and small inverse entries (rejection)."""
    while True:
        A = ints(rng, 2, 2, -5, 5, nonzero=True) if n == 2 else ints(rng, 3, 3, -2, 3)
        if sum(row.count(0) for row in A) > 2:
            continue
        d = whole_det(A)                # A⁻¹ = Cᵀ/det A: screened in ints, det A first
        if d in NICE_DETS[n] and max(abs(v) for row in whole_cofactors(A) for v in row) <= MAX_INVERSE_ENTRY * abs(d):
            return A


def _singular(rng, n: int) -> list[list[int]]:
    """Dependent rows, shuffled: a multiple of another row (2×2), or row 1 ± row 2 (3×3)."""
    first = int_vector(rng, n, -3, 3, nonzero=True)
    if n == 2:
        k = pick(rng, (-2, -1, 2, 3))
        rows = [first, [k * v for v in first]]
    else:
        second, sign = int_vector(rng, n, -3, 3), pick(rng, (1, -1))
        rows = [first, second, [a + sign * b for a, b in zip(first, second)]]
    return [rows[i] for i in rng.permutation(n)]


def build(params: dict) -> Draft:
    read.only(params, {"A", "ask", "b"}, {"A"})
    A = read.matrix(params, "A")
    ask = read.choice(params, "ask", ASKS, "solve" if "b" in params else "inverse")
    n = len(A)
    if len(A[0]) != n:
        raise DrillsError(f"A is {n}×{len(A[0])}; {'det A' if ask == 'det' else 'A⁻¹'} needs a square matrix")
    if n not in (2, 3):
        raise DrillsError(f"A is {n}×{n}; this topic works with 2×2 and 3×3 matrices")
    normal = {"A": params["A"], "ask": ask}
    if ask != "solve":
        if "b" in params:
            raise DrillsError("param 'b' is used only with \"ask\": \"solve\"")
        return _draft(normal, A, ask)
    if "b" not in params:
        raise DrillsError("\"ask\": \"solve\" needs a vector 'b'")
    b = read.vector(params, "b")
    if len(b) != n:
        raise DrillsError(f"A is {n}×{n}, so 'b' needs {n} entries; it has {len(b)}")
    return _draft({**normal, "b": params["b"]}, A, ask, b)


def _draft(params, A, ask, b=None) -> Draft:
    d, C, inv = _exact(A, ask != "det")
    if ask != "solve":
        return _det(params, A, d, C) if ask == "det" else _inverse(params, A, d, C, inv)
    if d == 0:
        raise DrillsError("A is singular (det A = 0): A·x = b has no unique solution")
    return _solve(params, A, b, d, C, inv)


def _det(params, A, d, C) -> Draft:
    context = {"variant": "det", "n": len(A), "A": A, "det": d}
    if len(A) == 2:
        (a, b), (c, e) = A
        worked = lambda: dict(ad=a * e, bc=b * c, dots=[Dot(((a, e),)), Dot(((b, c),))], expansion=_dot2(A))
        terms = lambda: [part("ad", Kind.NUMBER, a * e, "a₁₁·a₂₂, the product of the main diagonal",
                              "Multiply the top-left entry by the bottom-right one.",
                              [(a + e, "Multiply a₁₁ and a₂₂; do not add them.")]),
                         part("bc", Kind.NUMBER, b * c, "a₁₂·a₂₁, the product of the other diagonal",
                              "Multiply the top-right entry by the bottom-left one.",
                              [(b + c, "Multiply a₁₂ and a₂₁; do not add them.")])]
    else:
        minors = _checkerboard(C)[0]
        worked = lambda: dict(steps=[minor_step(A, 0, j, "M", minors[j]) for j in range(3)],
                              expansion=Dot(tuple(zip(A[0], minors)), (1, -1, 1)))
        terms = lambda: [part(f"M1{j + 1}", Kind.NUMBER, minors[j], f"M{subscript(f'1{j + 1}')}, the minor of entry (1, {j + 1})",
                              f"Delete row 1 and column {j + 1} of A, then take the 2×2 determinant that is left.",
                              [(_det_plus(minor(A, 0, j)),
                                "A 2×2 determinant subtracts the product of the other diagonal; it does not add it."),
                               (-minors[j] if j == 1 else None,
                                "That is the cofactor C₁₂ = −M₁₂; the minor itself carries no sign.")])
                         for j in range(3)]
    result = det_part(A, d)
    return Draft(params, context, lambda: [*terms(), result], [result], worked)


def _inverse(params, A, d, C, inv) -> Draft:
    result = _inverse_part(A, d, C, inv, "A⁻¹ (or 'none')")
    return Draft(params, {"variant": "inverse", "A": A},
                 lambda: [det_part(A, d), *_adjugate_parts(params, A, C), result], [result],
                 lambda: _inverse_context(A, d, C, inv))


def _adjugate_parts(params, A, C) -> list:
    """The blanks between det A and A⁻¹: adj A (2×2), or two cofactors past row 1 (3×3)."""
    if len(A) == 2:
        (a, b), (c, e) = A
        return [part("adj", Kind.MATRIX, transpose(C), "adj A",
                     "Swap a₁₁ and a₂₂, and change the signs of a₁₂ and a₂₁.",
                     [([[a, -b], [-c, e]], "Swap a₁₁ and a₂₂ as well as changing the signs of a₁₂ and a₂₁."),
                      ([[e, b], [c, a]], "Change the signs of a₁₂ and a₂₁ as well as swapping a₁₁ and a₂₂."),
                      (C, "That is the cofactor matrix C; adj A is its transpose Cᵀ.")])]
    spots = [(i, j) for i in (1, 2) for j in range(3)]   # row 1 shows in the det step
    return [part(f"C{i + 1}{j + 1}", Kind.NUMBER, C[i][j], f"C{subscript(f'{i + 1}{j + 1}')}, the cofactor of entry ({i + 1}, {j + 1})",
                 f"Delete row {i + 1} and column {j + 1}, take the 2×2 determinant, and give it the "
                 f"checkerboard sign ({'+' if (i + j) % 2 == 0 else '−'} here).",
                 [(-C[i][j] if (i + j) % 2 else None,
                   f"That is the minor M{subscript(f'{i + 1}{j + 1}')}; the cofactor is −M{subscript(f'{i + 1}{j + 1}')} because i + j is odd."),
                  (C[j][i], f"That is C{subscript(f'{j + 1}{i + 1}')}: delete row {i + 1} and column {j + 1}, "
                            f"not row {j + 1} and column {i + 1}.")])
            for i, j in (spots[k] for k in spread(len(spots), 2, layout_seed(params)))]


def _solve(params, A, b, d, C, inv) -> Draft:
    x = matvec(inv, b)
    worked = lambda: {**_inverse_context(A, d, C, inv), "x": x, "check_b": list(b),    # A·x = b exactly
                      "rows": [Dot(tuple(zip(row, b))) for row in inv]}
    answer = part("x", Kind.VECTOR, x, "x", "Multiply b on the left by A⁻¹: x = A⁻¹b.",
                  lambda: [(matvec(A, b), "That is A·b; solving A·x = b needs A⁻¹·b."),
                           ([d * v for v in x], f"That is adj(A)·b: divide by det A = {d} as well."),   # adj A·b = det A·x
                           (matvec(transpose(inv), b), "That is (A⁻¹)ᵀ·b: use A⁻¹ itself, not its transpose.")])
    return Draft(params, {"variant": "solve", "A": A, "b": b},
                 lambda: [det_part(A, d), _inverse_part(A, d, C, inv, "A⁻¹"), answer], [answer], worked)


def _inverse_context(A, d, C, inv) -> dict:
    """What the det → cofactors → adj A → A⁻¹ steps show, shared by inverse and solve."""
    n, adj = len(A), transpose(C)
    context = {"n": n, "A": A, "det": d, "adj": adj, "singular": inv is None,
               "inverse": NO_VALUE if inv is None else inv, "recip": None if inv is None else 1 / d,
               "check": None if inv is None else [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]}
    if n == 2:
        context["expansion"] = _dot2(A)
    else:
        steps = [minor_step(A, i, j, "C", C[i][j]) for i in range(3) for j in range(3)]
        context.update(row1=steps[:3], others=steps[3:], C=C, expansion=Dot(tuple(zip(A[0], C[0]))))
    return context


def det_part(A, d, name: str = "det A", entry: str = "a"):
    """The determinant of a 2×2 or 3×3 matrix, with the classic slips as mistakes; `entry` is
    the letter of the matrix's entries (a₁₂ for A)."""
    e11, e12, e13, e21, e22 = (entry + subscript(ij) for ij in ("11", "12", "13", "21", "22"))
    if len(A) == 2:
        (a, b), (c, e) = A
        rule = f"{name} = {e11}{e22} − {e12}{e21}"
        hint = f"For a 2×2 matrix, {rule}."
        wrong = [(a * e + b * c, f"Subtract the products: {rule}, not {e11}{e22} + {e12}{e21}."),
                 (b * c - a * e, f"The sign is reversed: {rule}, main diagonal first.")]
    else:
        hint = f"Expand along row 1: {e11}M₁₁ − {e12}M₁₂ + {e13}M₁₃, each M₁ⱼ a 2×2 determinant."
        m12 = A[1][0] * A[2][2] - A[1][2] * A[2][0]
        wrong = [(d + 2 * A[0][1] * m12,      # a₁₁M₁₁ + a₁₂M₁₂ + a₁₃M₁₃ = det A + 2a₁₂M₁₂
                  "The signs along row 1 alternate + − +: the middle term is subtracted."),
                 (A[0][0] * A[1][1] * A[2][2],
                  f"The product of the diagonal is {name} only for a triangular matrix; expand along row 1.")]
    return part("det", Kind.NUMBER, d, name, hint, wrong)


def _inverse_part(A, d, C, inv, label: str):
    hint = "A⁻¹ = (1/det A)·adj A, which exists only when det A ≠ 0."
    if inv is None:
        return part("inverse", Kind.MATRIX, NO_VALUE, label, hint,
                    [(transpose(C), "det A = 0, so A has no inverse: adj A cannot be divided by det A.")])

    def wrong():
        routes = [(transpose(C), f"That is adj A: divide it by det A = {d}."),
                  (transpose(inv), "That is C/det A: transpose the cofactor matrix first, adj A = Cᵀ."),
                  (_checkerboard(inv),        # Mᵀ/det A, the minors where the cofactors belong
                   "The checkerboard signs are missing: the cofactor Cᵢⱼ is −Mᵢⱼ when i + j is odd."),
                  (NO_VALUE, f"det A = {d} ≠ 0, so A is invertible.")]
        if len(A) == 2:
            (a, b), (c, e) = A
            routes.insert(3, (scale(1 / d, [[a, -b], [-c, e]]),
                              "Swap a₁₁ and a₂₂ in adj A: adj A = [[a₂₂, −a₁₂], [−a₂₁, a₁₁]]."))
        return routes
    return part("inverse", Kind.MATRIX, inv, label, hint, wrong)


def _exact(A, with_inverse: bool = True):
    """det A, the cofactor matrix C and A⁻¹ = Cᵀ/det A (None if singular or not asked for) as
    Fractions (C in ints when A is whole), computed once in ints: A = N/D."""
    D = lcm(*(x.denominator for row in A for x in row))
    N = [[x.numerator * (D // x.denominator) for x in row] for row in A]
    C, n = whole_cofactors(N), len(A)
    d = sum(a * c for a, c in zip(N[0], C[0]))
    inv = [[Fraction(c * D, d) for c in col] for col in zip(*C)] if d and with_inverse else None
    if D != 1:
        C = [[Fraction(c, D ** (n - 1)) for c in row] for row in C]
    return Fraction(d, D ** n), C, inv


def _checkerboard(M):
    """M with the signs of its entries at odd i + j flipped (minors ↔ cofactors)."""
    return [[-x if (i + j) % 2 else x for j, x in enumerate(row)] for i, row in enumerate(M)]


def minor_step(A, i: int, j: int, letter: str, value) -> dict:
    """One minor (M) or cofactor (C) line of a 3×3 A, for the template's two_by_two: its 2×2
    matrix, expansion, sign and value."""
    sign = -1 if letter == "C" and (i + j) % 2 else 1
    M = minor(A, i, j)
    return {"key": f"{letter}{i + 1}{j + 1}", "lhs": f"{letter}_{i + 1}{j + 1} = {'-' if sign < 0 else ''}det",
            "minor": M, "dot": _dot2(M), "sign": sign, "value": value}


def _dot2(M) -> Dot:
    return Dot(((M[0][0], M[1][1]), (M[0][1], M[1][0])), (1, -1))


def _det_plus(M):
    return M[0][0] * M[1][1] + M[0][1] * M[1][0]
