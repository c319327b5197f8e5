"""Transpose: Aᵀ, the rule (AB)ᵀ = BᵀAᵀ, and why XᵀX is symmetric."""
from __future__ import annotations

from functools import cache

from drills.errors import DrillsError
from drills.notation import Dot, Shape
from drills.topics import Draft, part
from drills.topics import params as read
from drills.topics.draw import ints, layout_seed, pick, spread
from drills.topics.params import plain_matmul
from grader.reference.rational import shape, transpose
from grader.spec import Kind, Part

ASKS = ("transpose", "product", "gram")
NEEDS = {"transpose": {"A"}, "product": {"A", "B"}, "gram": {"X"}}
# Mostly non-square, so that transposing visibly changes the shape.
TRANSPOSE_SHAPES = ((2, 3), (3, 2), (2, 4), (4, 2), (3, 4), (4, 3), (3, 3))
# (rows of A, inner size, columns of B); the first four have r == c, so AᵀBᵀ exists and tempts.
PRODUCT_SHAPES = ((2, 3, 2), (3, 2, 3), (2, 2, 2), (3, 3, 3), (2, 3, 3), (3, 2, 2), (2, 2, 3), (3, 3, 2))


# A class's worksheet variants share a problem's first two draws: which question, then the sizes
FORM_DRAWS = 2


def sample_params(rng, level: str) -> dict:
    variant = pick(rng, ASKS)
    if variant == "transpose":
        r, c = pick(rng, TRANSPOSE_SHAPES)
        return {"A": ints(rng, r, c), "ask": "transpose"}
    if variant == "product":
        r, k, c = pick(rng, PRODUCT_SHAPES)
        low, high = (-2, 3) if r * k * c >= 27 else (-4, 5)
        return {"A": ints(rng, r, k, low, high), "B": ints(rng, k, c, low, high), "ask": "product"}
    m, n = pick(rng, (3, 4)), pick(rng, (2, 3))
    return {"X": ints(rng, m, n, -3, 4), "ask": "gram"}


def build(params: dict) -> Draft:
    read.only(params, {"A", "B", "X", "ask"}, set())
    default = "product" if "B" in params else "gram" if "X" in params else "transpose"
    ask = read.choice(params, "ask", ASKS, default)
    read.only(params, NEEDS[ask] | {"ask"}, NEEDS[ask])
    normal = {**{name: params[name] for name in sorted(NEEDS[ask])}, "ask": ask}
    if ask == "gram":
        return _gram(normal, read.plain_matrix(params, "X"))
    A = read.plain_matrix(params, "A")
    if ask == "transpose":
        return _transpose(normal, A)
    B = read.plain_matrix(params, "B")
    if len(A[0]) != len(B):
        raise DrillsError(f"A is {len(A)}×{len(A[0])} and B is {len(B)}×{len(B[0])}: "
                          "AB is undefined, so (AB)ᵀ is too")
    return _product(normal, A, B)


def _transpose(params, A) -> Draft:
    AT = transpose(A)
    r, c = shape(A)
    context = {"variant": "transpose", "A": A, "AT": AT, "dims": Shape(r, c), "shape": Shape(c, r),
               "rows": [[row] for row in AT]}

    def blanks():
        return [part("shape", Kind.SHAPE, (c, r), "the shape of Aᵀ",
                     "Aᵀ has one row for each column of A and one column for each row of A.",
                     [((r, c), "That is the shape of A: transposing swaps the numbers of rows and columns.")]),
                *(part(f"row{i}", Kind.VECTOR, AT[i], f"row {i + 1} of Aᵀ",
                       f"Read down column {i + 1} of A and write its entries as a row.",
                       [(A[i] if i < r else None,
                         f"That is row {i + 1} of A; row {i + 1} of Aᵀ is column {i + 1} of A.")])
                  for i in spread(c, 2, layout_seed(params)))]

    finals = [part("transpose", Kind.MATRIX, AT, "Aᵀ", "Row i of Aᵀ is column i of A.",
                   [(A, "That is A itself: transposing swaps rows and columns."),
                    ([row[::-1] for row in AT],
                     "That turns A a quarter turn; transposing flips A over its diagonal, "
                     "so entry (i, j) moves to (j, i).")])]
    return Draft(params, context, blanks, finals)


def _product(params, A, B) -> Draft:
    AT, BT = transpose(A), transpose(B)
    P = plain_matmul(BT, AT)
    AB = transpose(P)
    (r, k), c = shape(A), len(B[0])
    swapped = cache(lambda: plain_matmul(AT, BT) if r == c else None)     # AᵀBᵀ, for the mistakes
    worked = lambda: {"AT": AT, "BT": BT, "P": P, "AB": AB, "r": r, "c": c, "dims_AT": Shape(k, r),
                      "dims_BT": Shape(c, k), "shape": Shape(c, r),
                      "expansions": [[Dot(tuple(zip(BT[i], A[j]))) for j in range(r)] for i in range(c)],
                      "ab_expansions": [[Dot(tuple(zip(A[i], BT[j]))) for j in range(c)] for i in range(r)]}

    def blanks():
        entries = [(i, j) for i in range(c) for j in range(r)]
        return [part("shape", Kind.SHAPE, (c, r), "the shape of (AB)ᵀ",
                     "Find the shape of AB, then swap its rows and columns.",
                     [((r, c), "That is the shape of AB; its transpose swaps rows and columns."),
                      ((k, k), f"The inner size {k} cancels in a product; the outer sizes remain.")]),
                *(_product_entry(P, AB, swapped(), k, *entries[n]) for n in spread(len(entries), 2, layout_seed(params)))]

    finals = [part("product", Kind.MATRIX, P, "(AB)ᵀ",
                   "Transpose each factor and reverse the order: (AB)ᵀ = BᵀAᵀ.",
                   lambda: [(AB, "That is AB, not transposed: (AB)ᵀ swaps its rows and columns."),
                            (swapped(), "That is AᵀBᵀ: (AB)ᵀ = BᵀAᵀ, the order reverses."),
                            (plain_matmul(B, A) if r == c else None,
                             "That is BA: reverse the order and also transpose each factor, (AB)ᵀ = BᵀAᵀ.")])]
    return Draft(params, {"variant": "product", "A": A, "B": B}, blanks, finals, worked)


def _gram(params, X) -> Draft:
    XT = transpose(X)
    G, outer = plain_matmul(XT, X), cache(lambda: plain_matmul(X, XT))          # XXᵀ, for the mistakes
    m, n = shape(X)
    upper = [(i, j) for i in range(n) for j in range(i, n)]
    worked = lambda: {"XT": XT, "G": G, "dims": Shape(m, n), "dims_XT": Shape(n, m), "shape": Shape(n, n),
                      "entries": [(i, j, Dot(tuple(zip(XT[i], XT[j])))) for i, j in upper]}

    def blanks():
        seed = layout_seed(params)
        off = [(i, j) for i, j in upper if i != j]
        cells = [(seed % n, seed % n)] + ([off[seed % len(off)]] if off else [])
        return [part("shape", Kind.SHAPE, (n, n), "the shape of XᵀX",
                     "Xᵀ comes first: multiply the shape of Xᵀ by the shape of X.",
                     [((m, m), f"That is the shape of XXᵀ; XᵀX is ({n}×{m})·({m}×{n}), so {n}×{n}."),
                      ((m, n), f"That is the shape of X; XᵀX is square, {n}×{n}.")]),
                *(_gram_entry(G, outer(), i, j) for i, j in sorted(cells))]   # in the order the steps show them

    finals = [part("gram", Kind.MATRIX, G, "XᵀX",
                   "Entry (i, j) of XᵀX is column i of X times column j of X.",
                   lambda: [(outer(), f"That is XXᵀ ({m}×{m}); XᵀX puts Xᵀ first and is {n}×{n}."),
                            ([row[:n] for row in outer()[:n]] if n <= m else None,
                             "You multiplied rows of X; entry (i, j) of XᵀX is column i of X times column j of X.")])]
    return Draft(params, {"variant": "gram", "X": X}, blanks, finals, worked)


def _product_entry(P, AB, swapped, k: int, i: int, j: int) -> Part:
    """The blank for entry (i, j) of (AB)ᵀ; its mistakes read AB, or AᵀBᵀ, instead."""
    r, c = len(AB), len(AB[0])
    return part(f"p{i}{j}", Kind.NUMBER, P[i][j], f"entry ({i + 1}, {j + 1}) of (AB)ᵀ",
                f"Row {i + 1} of Bᵀ (column {i + 1} of B) times column {j + 1} of Aᵀ (row {j + 1} of A).",
                [(AB[i][j] if i < r and j < c else None,
                  f"That is entry ({i + 1}, {j + 1}) of AB; entry ({i + 1}, {j + 1}) of (AB)ᵀ "
                  f"is entry ({j + 1}, {i + 1}) of AB."),
                 (swapped[i][j] if swapped and max(i, j) < k else None,
                  "That is the entry of AᵀBᵀ: (AB)ᵀ = BᵀAᵀ, the order reverses.")])


def _gram_entry(G, outer, i: int, j: int) -> Part:
    """The blank for entry (i, j) of XᵀX; its mistake multiplies rows of X instead of columns."""
    a, b = i + 1, j + 1
    if i == j:
        hint = f"Column {a} of X times itself: square its entries, then add."
        wrong = f"That uses row {a} of X; entry ({a}, {a}) of XᵀX is column {a} of X times itself."
    else:
        hint = f"Column {a} of X times column {b} of X; entry ({b}, {a}) is the same number."
        wrong = f"That multiplies rows {a} and {b} of X; entry ({a}, {b}) of XᵀX multiplies columns {a} and {b}."
    return part(f"g{i}{j}", Kind.NUMBER, G[i][j], f"entry ({a}, {b}) of XᵀX", hint,
                [(outer[i][j] if j < len(outer) else None, wrong)])
