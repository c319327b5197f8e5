"""Write it yourself: matrix product, transpose, XᵀX, Gauss–Jordan inverse, pseudoinverse by SVD."""
from __future__ import annotations

import numpy as np

from grader.code.exercise import Case, Exercise, Forbidden, Route, draw_seed, halves, seeded, small
from grader.reference import linalg, regression

# --- matmul -----------------------------------------------------------------------------------

def _matmul_cases(rng) -> list[Case]:
    s = [draw_seed(rng) for _ in range(2)]
    return [
        small("2×3 times 3×2", A=halves(rng, (2, 3)), B=halves(rng, (3, 2))),
        small("row times column", A=halves(rng, (1, 4)), B=halves(rng, (4, 1))),
        small("column times row", A=halves(rng, (3, 1)), B=halves(rng, (1, 2))),
        small("square", A=halves(rng, (3, 3)), B=halves(rng, (3, 3))),
        small("zeros", A=np.zeros((2, 3)), B=halves(rng, (3, 4))),
        small("float32", A=halves(rng, (3, 4)).astype(np.float32), B=halves(rng, (4, 2)).astype(np.float32)),
        seeded("not contiguous", s[0], """
            A = rng.standard_normal((4, 10))[:, ::2]     # every other column: a strided view
            B = rng.standard_normal((3, 5)).T            # a transposed view, column-major
        """),
        seeded("large", s[1], """
            A = rng.standard_normal((50, 40))
            B = rng.standard_normal((40, 45))
        """, timed=True),
    ]


MATMUL = Exercise(
    name="matmul", args=("A", "B"),
    title="The matrix product A·B, written out.",
    doc="""
A  (m, n) array
B  (n, p) array

Returns C = A·B, a new (m, p) array in A's dtype:
    C[i, j] = Σₖ A[i, k]·B[k, j]
Write the sums yourself, with loops or with broadcasting and
.sum(axis=...): not @, np.dot, np.matmul or np.einsum. Leave A and B
unchanged.
""",
    example="A = np.array([[1.0, 2.0], [3.0, 4.0]])\nB = np.array([[0.0, 1.0], [1.0, 0.0]])",
    model='''def matmul(A, B):
    if A.shape[1] != B.shape[0]:
        raise ValueError(
            f"A's columns must match B's rows: {A.shape}, {B.shape}")
    # C[i, j] = Σₖ A[i, k]·B[k, j] for every i, j at once:
    # broadcast to (m, n, p), then sum over k (axis 1)
    return (A[:, :, None] * B[None, :, :]).sum(axis=1)
''',
    cases=_matmul_cases,
    reference=linalg.matmul,
    mistakes=(
        Route(lambda A, B: B @ A, "That is B·A: the order matters, C[i, j] = Σₖ A[i, k]·B[k, j]."),
        Route(lambda A, B: A * B, "That is the entrywise product A∗B: a matrix product sums over k, "
                                  "C[i, j] = Σₖ A[i, k]·B[k, j]."),
        Route(lambda A, B: (A @ B).T, "Your result is (A·B)ᵀ: you filled C[j, i] where C[i, j] belongs."),
        Route(lambda A, B: A @ B.T, "That is A·Bᵀ: you took B's rows where its columns belong."),
        Route(lambda A, B: A[:, -1:] @ B[-1:, :], "Only the last k was counted: add up A[i, k]·B[k, j] over "
                                                  "every k (C[i, j] += …, starting from 0)."),
    ),
    forbidden=(Forbidden(("@", "dot", "matmul", "einsum", "tensordot", "inner", "vdot", "multi_dot"),
                         "the exercise is to compute the products and sums yourself"),),
    errors=(("broadcast", "A * B multiplies entry by entry (and needs matching shapes): a matrix product "
                          "sums A[i, k]·B[k, j] over k."),
            ("index", "Check the loop ranges: i runs over A's rows, j over B's columns, k over A's columns "
                      "(= B's rows)."),),
    keep_dtype=True,
    hint="Start from a zero (m, p) array in A's dtype and add A[i, k]*B[k, j] into C[i, j].",
)

# --- transpose --------------------------------------------------------------------------------


def _transpose_cases(rng) -> list[Case]:
    s = [draw_seed(rng) for _ in range(2)]
    return [
        small("2×3", A=halves(rng, (2, 3))),
        small("one row", A=halves(rng, (1, 4))),
        small("one column", A=halves(rng, (3, 1))),
        small("square", A=halves(rng, (3, 3))),
        small("float32", A=halves(rng, (2, 4)).astype(np.float32)),
        seeded("not contiguous", s[0], "A = rng.standard_normal((5, 8))[:, ::2]     # a strided view"),
        seeded("large", s[1], "A = rng.standard_normal((300, 200))", timed=True),
    ]


TRANSPOSE = Exercise(
    name="transpose", args=("A",),
    title="The transpose Aᵀ, written out.",
    doc="""
A  (m, n) array

Returns Aᵀ, a new (n, m) array in A's dtype: Aᵀ[j, i] = A[i, j].
Move the entries yourself: not A.T, np.transpose, swapaxes, moveaxis
or einsum. Leave A unchanged.
""",
    example="A = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])",
    model='''def transpose(A):
    m, n = A.shape
    out = np.empty((n, m), dtype=A.dtype)
    for i in range(m):
        out[:, i] = A[i, :]          # row i of A becomes column i of Aᵀ
    return out
''',
    cases=_transpose_cases,
    reference=linalg.transpose,
    mistakes=(
        Route(lambda A: A.copy(), "You returned A unchanged: Aᵀ[j, i] = A[i, j]."),
        Route(lambda A: A.reshape(A.shape[::-1]), "reshape keeps the entries in reading order, it only "
                                                  "regroups them: a transpose moves A[i, j] to [j, i]."),
    ),
    forbidden=(Forbidden(("T", "mT", "transpose", "swapaxes", "moveaxis", "rollaxis", "permute_dims",
                          "matrix_transpose", "einsum"),
                         "the exercise is to move each A[i, j] to [j, i] yourself"),),
    keep_dtype=True,
    hint="Make an empty (n, m) array and copy row i of A into column i.",
)

# --- gram -------------------------------------------------------------------------------------


def _gram_cases(rng) -> list[Case]:
    s = [draw_seed(rng) for _ in range(2)]
    return [
        small("3×2", X=halves(rng, (3, 2))),
        small("one sample", X=halves(rng, (1, 3))),
        small("one feature", X=halves(rng, (4, 1))),
        small("zeros", X=np.zeros((3, 2))),
        small("float32", X=halves(rng, (4, 3)).astype(np.float32)),
        seeded("not contiguous", s[0], "X = rng.standard_normal((6, 8))[:, ::2]     # a strided view"),
        seeded("large", s[1], "X = rng.standard_normal((2000, 30))", timed=True),
    ]


GRAM = Exercise(
    name="gram", args=("X",),
    title="The Gram matrix XᵀX of X's columns.",
    doc="""
X  (m, d) array: m samples, d features

Returns XᵀX, a (d, d) symmetric array in X's dtype:
    (XᵀX)[i, j] = Σₖ X[k, i]·X[k, j]
the dot product of columns i and j. It is the matrix of the normal
equation. Leave X unchanged.
""",
    example="X = np.array([[1.0, 2.0], [1.0, 0.0], [1.0, -1.0]])",
    model='''def gram(X):
    return X.T @ X          # (d, m) @ (m, d) -> (d, d)
''',
    cases=_gram_cases,
    reference=linalg.gram,
    mistakes=(
        Route(lambda X: X @ X.T, "That is X·Xᵀ (m × m), the samples' dot products: the Gram matrix of the "
                                 "features is XᵀX (d × d)."),
        Route(lambda X: np.diag((X * X).sum(axis=0)),
              "Only the diagonal is filled: (XᵀX)[i, j] = Σₖ X[k, i]·X[k, j] for every pair of columns, "
              "not only i = j."),
    ),
    keep_dtype=True,
    hint="Xᵀ is (d, m) and X is (m, d): their product is (d, d).",
    faster="X.T @ X computes the dot product of every pair of columns at once",
)

# --- Gauss–Jordan inverse ---------------------------------------------------------------------


def _invertible(rng, n: int, dtype=np.float64) -> np.ndarray:
    """Halves with |det| at least 1/2 and a moderate condition number."""
    while True:
        A = halves(rng, (n, n))
        if abs(np.linalg.det(A)) >= 0.5 and np.linalg.cond(A) < 50:
            return A.astype(dtype)


def _zero_pivot(rng) -> np.ndarray:
    while True:
        A = _invertible(rng, 3)
        A[0, 0] = 0.0
        if abs(np.linalg.det(A)) >= 0.5 and np.linalg.cond(A) < 50:
            return A


def _inverse_cases(rng) -> list[Case]:
    s = [draw_seed(rng) for _ in range(2)]
    a, b, c = (float(v) for v in rng.choice([-2.0, -1.5, -1.0, 1.0, 1.5, 2.0, 2.5], size=3))
    tiny = np.array([[1e-20, a], [b, c]])     # 1e-14 still keeps a few digits
    return [
        small("2×2", A=_invertible(rng, 2)),
        small("3×3", A=_invertible(rng, 3)),
        small("1×1", A=np.array([[float(rng.choice([-4.0, -2.5, 2.0, 4.0]))]])),
        small("zero pivot", hint="A[0, 0] is 0 here: before dividing by a pivot, swap in the row at or below "
                                 "it with the largest |entry| in that column (partial pivoting).",
              A=_zero_pivot(rng)),
        small("tiny pivot", hint="A[0, 0] is tiny here (1e-20): dividing by it wipes out the other rows' "
                                 "digits. Swap in the row with the largest |entry| in the column first "
                                 "(partial pivoting).", A=tiny),
        small("float32", A=_invertible(rng, 3, np.float32)),
        seeded("not contiguous", s[0], """
            A = (rng.standard_normal((8, 8)) + 8 * np.eye(8))[::2, ::2]     # a strided view
        """),
        seeded("large", s[1], "A = rng.standard_normal((60, 60)) + 20 * np.eye(60)", timed=True),
    ]


def _no_pivoting(A):
    """Gauss–Jordan without row swaps: the wrong route of a zero or tiny pivot."""
    n = A.shape[0]
    M = np.hstack([A.astype(float), np.eye(n)])
    for j in range(n):
        M[j] = M[j] / M[j, j]
        for i in range(n):
            if i != j:
                M[i] = M[i] - M[i, j] * M[j]
    return M[:, n:]


def _view_swap(A):
    """Gauss–Jordan whose row swap `M[j], M[p] = M[p], M[j]` copies row p into both rows: NumPy's
    M[p] and M[j] are views, so the second assignment reads the row the first one overwrote."""
    n = A.shape[0]
    M = np.hstack([A.astype(float), np.eye(n)])
    for j in range(n):
        p = j + int(np.argmax(np.abs(M[j:, j])))
        M[j], M[p] = M[p], M[j]
        M[j] = M[j] / M[j, j]
        for i in range(n):
            if i != j:
                M[i] = M[i] - M[i, j] * M[j]
    return M[:, n:]


_VIEW_SWAP = ("Your row swap copied one row over the other: `M[j], M[p] = M[p], M[j]` assigns views of M, so "
              "both rows end up as row p. Swap with fancy indexing, M[[j, p]] = M[[p, j]] (or .copy() a row "
              "first).")

GAUSS_JORDAN = Exercise(
    name="gauss_jordan_inverse", args=("A",),
    title="A⁻¹ by Gauss–Jordan elimination.",
    doc="""
A  (n, n) invertible array

Returns A⁻¹, a new (n, n) float array. Row-reduce [A | I] (n × 2n):
for each column j, swap in the row at or below j with the largest
|entry| in column j (partial pivoting), divide that row by its pivot,
and subtract multiples of it from every other row so that column j
becomes (0, …, 1, …, 0).
When the left half is I, the right half is A⁻¹.
Not np.linalg.inv, solve, pinv or lstsq. Leave A unchanged.
""",
    example="A = np.array([[2.0, 1.0], [4.0, 3.0]])",
    model='''def gauss_jordan_inverse(A):
    n = A.shape[0]
    M = np.hstack([A.astype(float), np.eye(n)])   # [A | I], a copy
    for j in range(n):
        # the row at or below j with the largest |entry| in column j
        p = j + np.argmax(np.abs(M[j:, j]))
        if M[p, j] == 0:
            raise ValueError("A is singular")
        M[[j, p]] = M[[p, j]]                 # swap rows j and p
        M[j] = M[j] / M[j, j]                 # the pivot becomes 1
        others = np.arange(n) != j
        # zeros above and below the pivot
        M[others] -= np.outer(M[others, j], M[j])
    return M[:, n:]
''',
    cases=_inverse_cases,
    reference=linalg.inverse,
    mistakes=(
        Route(lambda A: np.linalg.inv(A).T, "Your result is (A⁻¹)ᵀ: rows and columns are swapped."),
        Route(lambda A: np.eye(A.shape[0]), "That is I, the left half of [A | I] once reduced: A⁻¹ is the "
                                            "right half, M[:, n:]."),
        Route(lambda A: A.astype(float), "You returned A itself: A⁻¹ is the right half of the reduced [A | I]."),
        Route(lambda A: 1 / A, "That is 1/A entry by entry: the inverse of a matrix is not the inverse of "
                               "its entries."),
        Route(_view_swap, _VIEW_SWAP),
        Route(_no_pivoting, "No row swaps: a zero or tiny pivot ruins the elimination. Swap in the row with "
                            "the largest |entry| in the column first (partial pivoting)."),
    ),
    forbidden=(Forbidden(("inv", "pinv", "solve", "lstsq", "tensorinv", "tensorsolve", "matrix_power", "I"),
                         "the exercise is Gauss–Jordan elimination itself"),),
    errors=(("division by zero", "A pivot was 0: swap in the row with the largest |entry| in the column "
                                 "before dividing (partial pivoting)."),
            ("singular", "Every case here is invertible: a pivot of 0 means a row swap was missed "
                         "(partial pivoting)."),),
    rtol=1e-8, rtol32=2e-3,
    hint="Build M = np.hstack([A.astype(float), np.eye(n)]) and reduce it column by column.",
    faster="keep the loop over columns j, and update every other row at once, M[others] -= "
           "np.outer(M[others, j], M[j])",
)

# --- pseudoinverse by SVD ---------------------------------------------------------------------


def _svd_parts(A):
    return np.linalg.svd(A, full_matrices=False)


def _svd_cases(rng) -> list[Case]:
    s = [draw_seed(rng) for _ in range(2)]
    u, v = halves(rng, 3, 1, 3), halves(rng, 3, -3, -1)
    return [
        small("3×2 (tall)", A=halves(rng, (3, 2))),
        small("2×3 (wide)", A=halves(rng, (2, 3))),
        small("square", A=_invertible(rng, 2)),
        small("rank 1", hint="This A has rank 1: two of its singular values are (numerically) zero. Invert "
                             "only σ > rcond·σ_max and put 0 for the others.", A=np.outer(u, v)),
        small("zeros", hint="A = 0 here: σ_max is 0, every σ is cut off and A⁺ is all zeros (no division by 0).",
              A=np.zeros((2, 3))),
        small("one column", A=halves(rng, (4, 1), 1, 4)),
        small("float32", A=halves(rng, (3, 2)).astype(np.float32)),
        seeded("not contiguous", s[0], "A = rng.standard_normal((6, 8))[::2, ::2]     # a strided view"),
        seeded("large", s[1], "A = rng.standard_normal((120, 80))", timed=True),
    ]


def _no_cutoff(A):
    U, s, Vt = _svd_parts(A)
    return (Vt.T / s) @ U.T


def _vt_as_v(A):
    U, s, Vt = _svd_parts(A)
    keep = s > max(A.shape) * np.finfo(A.dtype).eps * s[0]
    return (Vt * np.where(keep, 1 / np.where(keep, s, 1), 0)) @ U.T


def _sigma_not_inverted(A):
    U, s, Vt = _svd_parts(A)
    return (Vt.T * s) @ U.T


SVD_PINV = Exercise(
    name="svd_pinv", args=("A",),
    title="The pseudoinverse A⁺ from the SVD.",
    doc="""
A  (m, n) array

Returns A⁺, a new (n, m) float array, from the thin SVD A = U Σ Vᵀ
(U, s, Vt = np.linalg.svd(A, full_matrices=False)):
    A⁺ = V Σ⁺ Uᵀ
where Σ⁺ holds 1/σᵢ for every σᵢ > rcond·σ_max and 0 for the others,
with rcond = max(m, n)·eps (eps = np.finfo(A.dtype).eps).
np.linalg.svd is yours to use; np.linalg.pinv, inv, solve and lstsq
are not. Leave A unchanged.
""",
    example="A = np.array([[2.0, 0.0], [0.0, 1.0], [0.0, 0.0]])",
    model='''def svd_pinv(A):
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    eps = np.finfo(A.dtype).eps
    cutoff = max(A.shape) * eps * (s[0] if s.size else 0.0)
    s_plus = np.zeros_like(s)
    keep = s > cutoff                   # (numerically) zero σ stay 0
    s_plus[keep] = 1 / s[keep]
    return (Vt.T * s_plus) @ U.T        # V Σ⁺ Uᵀ: Σ⁺ scales V's columns
''',
    cases=_svd_cases,
    reference=regression.pinv,
    mistakes=(
        Route(_no_cutoff, "You divided by (numerically) zero singular values: 1/σ only for σ > rcond·σ_max, "
                          "0 for the others."),
        Route(lambda A: regression.pinv(A).T,
              "That is (A⁺)ᵀ = U Σ⁺ Vᵀ: A⁺ = V Σ⁺ Uᵀ. np.linalg.svd returns Vᵀ (Vt), so V is Vt.T."),
        Route(_vt_as_v, "np.linalg.svd returns Vᵀ, not V: A⁺ = V Σ⁺ Uᵀ with V = Vt.T."),
        Route(_sigma_not_inverted, "That is V Σ Uᵀ = Aᵀ: Σ⁺ holds 1/σ, not σ."),
    ),
    forbidden=(Forbidden(("pinv", "inv", "solve", "lstsq", "tensorinv"),
                         "the exercise is to build A⁺ from the SVD yourself"),),
    errors=(("division by zero", "A singular value was 0: 1/σ only for σ > rcond·σ_max, 0 for the others."),
            ("broadcast", "np.linalg.svd returns Vᵀ, not V: Σ⁺ scales the columns of V = Vt.T, "
                          "A⁺ = (Vt.T * s_plus) @ U.T."),),
    rtol=1e-8, rtol32=2e-3,
    hint="Scale the columns of V = Vt.T by 1/σ (0 where σ is cut off), then multiply by Uᵀ.",
    faster="scale the columns of V = Vt.T by Σ⁺ with broadcasting, (Vt.T * s_plus) @ U.T",
)

EXERCISES = (MATMUL, TRANSPOSE, GRAM, GAUSS_JORDAN, SVD_PINV)
