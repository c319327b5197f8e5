"""Matrix multiplication: A·B, A·x, and whether A·B is defined and what shape it has."""
from __future__ import annotations

from functools import cache

from drills.errors import DrillsError
from drills.notation import Dot, Shape, subscript
from drills.topics import Draft, part
from drills.topics import params as read
from drills.topics.draw import int_vector, ints, layout_seed, pick, spread
from drills.topics.params import plain_matmul, plain_matvec
from grader.reference.rational import hadamard, shape, transpose
from grader.spec import Kind

ASKS = ("product", "shape")
# (rows of A, inner size, columns of B): square and non-square, 2×2 up to 4×4.
PRODUCT_SHAPES = ((2, 2, 2), (2, 3, 2), (3, 2, 3), (2, 2, 3), (3, 2, 2), (2, 3, 3),
                  (3, 3, 3), (3, 3, 2), (2, 4, 3), (4, 2, 4), (4, 4, 4))


# A class's worksheet variants share a problem's first two draws: AB, Ax or the shape, then the sizes
FORM_DRAWS = 2


def sample_params(rng, level: str) -> dict:
    variant = pick(rng, ("product", "product", "matvec", "shape"))
    if variant == "shape":
        r, k, c = rng.integers(1, 5, size=3)
        k2 = k if rng.random() < 0.5 else pick(rng, [v for v in range(1, 5) if v != k])
        r, c = max(r, 3 - k), max(c, 3 - k2)   # no 1×1 "matrices"
        return {"A": ints(rng, r, k), "B": ints(rng, k2, c), "ask": "shape"}
    if variant == "matvec":
        r, k = pick(rng, ((2, 2), (2, 3), (3, 2), (3, 3), (4, 3)))
        return {"A": ints(rng, r, k), "B": int_vector(rng, k)}
    r, k, c = pick(rng, PRODUCT_SHAPES)
    low, high = (-2, 3) if r * k * c >= 27 else (-4, 5)
    return {"A": ints(rng, r, k, low, high), "B": ints(rng, k, c, low, high)}


def build(params: dict) -> Draft:
    read.only(params, {"A", "B", "ask"}, {"A", "B"})
    A = read.plain_matrix(params, "A")
    given = params["B"]
    is_vector = isinstance(given, list) and bool(given) and not isinstance(given[0], list)
    B = read.plain_vector(params, "B") if is_vector else read.plain_matrix(params, "B")
    defined = len(A[0]) == len(B)
    ask = read.choice(params, "ask", ASKS, "product" if defined else "shape")
    if ask == "product" and not defined:
        raise DrillsError(f"A is {_dims(A)} and B is {_dims(B)}: A·B is undefined, "
                          "so only \"ask\": \"shape\" makes sense")
    normal = {"A": params["A"], "B": params["B"], "ask": ask}
    if ask == "shape":
        return _shape(normal, A, B, defined)
    if is_vector:
        return _matvec(normal, A, B)
    return _product(normal, A, B)


def _product(params, A, B) -> Draft:
    C = plain_matmul(A, B)
    (r, k), c = shape(A), len(B[0])
    BA = cache(lambda: plain_matmul(B, A) if c == r else None)        # for the mistakes: when grading asks
    worked = lambda: {"C": C, "r": r, "k": k, "c": c, "shape": Shape(r, c),
                      "expansions": [[Dot(tuple(zip(A[i], [B[t][j] for t in range(k)]))) for j in range(c)]
                                     for i in range(r)]}

    def blanks():
        entries = [(i, j) for i in range(r) for j in range(c)]
        blanked = [entries[n] for n in spread(len(entries), min(r, 3), layout_seed(params))]
        return [part("shape", Kind.SHAPE, (r, c), "the shape of AB",
                     "A·B has the rows of A and the columns of B.",
                     [((c, r), "That is the shape of BA (or of (AB)ᵀ): AB keeps the rows of A and the columns of B."),
                      ((k, k), "The inner sizes cancel; the outer ones remain: (r×k)·(k×c) is r×c.")]),
                *(part(f"c{i}{j}", Kind.NUMBER, C[i][j], f"c{subscript(f'{i + 1}{j + 1}')}, entry ({i + 1}, {j + 1}) of AB",
                       f"Row {i + 1} of A times column {j + 1} of B: multiply pairwise, then add.",
                       [(C[j][i] if j < r and i < c else None,
                         f"That is entry ({j + 1}, {i + 1}); entry ({i + 1}, {j + 1}) uses row {i + 1} of A and column {j + 1} of B."),
                        (BA()[i][j] if BA() and max(i, j) < k else None, "That is the entry of BA: the order of the factors matters."),
                        (sum(A[i][t] + B[t][j] for t in range(k)), "Multiply the pairs, then add the products.")])
                  for i, j in blanked)]

    finals = [part("product", Kind.MATRIX, C, "AB",
                   "Entry (i, j) of AB is row i of A times column j of B.",
                   lambda: [(BA(), "That is BA: matrix products do not commute, so the order matters."),
                            (hadamard(A, B) if shape(A) == shape(B) else None,
                             "That is the entry-by-entry product; AB multiplies rows of A with columns of B."),
                            (transpose(C), "That is (AB)ᵀ: rows and columns of the result are swapped.")])]
    return Draft(params, {"variant": "product", "A": A, "B": B}, blanks, finals, worked)


def _matvec(params, A, x) -> Draft:
    y = plain_matvec(A, x)
    r, k = shape(A)
    worked = lambda: {"y": y, "r": r, "k": k, "expansions": [Dot(tuple(zip(A[i], x))) for i in range(r)]}
    mistakes = lambda: [(plain_matvec(transpose(A), x) if r == k else None,
                         "You used the columns of A; entry i of Ax is row i of A times x."),
                        ([sum(row) * v for row, v in zip(A, x)] if r == k else None,
                         "Each entry is a sum of products: row i of A times x, entry by entry.")]
    blanks = lambda: [part(f"y{i}", Kind.NUMBER, y[i], f"entry {i + 1} of Ax",
                           f"Row {i + 1} of A times x: multiply pairwise, then add.",
                           [(sum(A[t][i] * x[t] for t in range(r)) if r == k else None,
                             f"That uses column {i + 1} of A; entry {i + 1} uses row {i + 1}.")])
                      for i in range(r)]
    finals = [part("product", Kind.VECTOR, y, "Ax", "Entry i of Ax is row i of A times x.", mistakes)]
    return Draft(params, {"variant": "matvec", "A": A, "x": x}, blanks, finals, worked)


def _shape(params, A, B, defined: bool) -> Draft:
    (r, k), (k2, c) = shape(A), ((len(B), 1) if not isinstance(B[0], list) else shape(B))
    context = {"variant": "shape", "A": A, "B": B, "defined": defined,
               "dims_A": Shape(r, k), "dims_B": Shape(k2, c), "result": Shape(r, c), "k": k, "k2": k2}
    if defined:
        answer = (r, c)
        said_undefined = ("undefined", f"A has {k} columns and B has {k2} rows: they match, so AB is defined.")
    else:
        answer = "undefined"
        said_undefined = ((r, c), f"A has {k} columns but B has {k2} rows: they must be equal for AB to exist.")
    result = part("result", Kind.SHAPE, answer, "the shape of AB (or 'undefined')",
                  "AB exists only when A's columns match B's rows; it then has A's rows and B's columns.",
                  [said_undefined,
                   ((c, r), "That is the shape of BA: AB keeps the rows of A and the columns of B."),
                   ((k, k2), "The inner sizes must match and then cancel; the outer ones remain.")])
    blanks = [part("cols_A", Kind.NUMBER, k, "the number of columns of A", "Count the entries in one row of A.",
                   [(r, "That is the number of rows of A.")]),
              part("rows_B", Kind.NUMBER, k2, "the number of rows of B", "Count the entries in one column of B.",
                   [(c, "That is the number of columns of B.")]),
              result]
    return Draft(params, context, blanks, [result])


def _dims(M) -> str:
    return f"{len(M)}×{len(M[0])}" if isinstance(M[0], list) else f"a vector of {len(M)}"
