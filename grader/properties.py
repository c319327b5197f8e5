"""Grade a decomposition by its defining properties: any valid SVD A = UΣVᵀ scores 1.

A Kind.SVD part's answer is text such as "U = [[1, 0], [0, 1]]; S = [[2, 0], [0, 1]];
V = [[0, 1], [1, 0]]": the reference factors give A and its singular values, and the
learner's factors are checked for what makes an SVD, never compared entry by entry.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction
from itertools import pairwise

from grader.parse import MAX_CHARS, AnswerError, normalize, read_array, without_period
from grader.reference.rational import matmul, matvec, rational_sqrt, transpose
from grader.spec import Part, PartVerdict
from grader.values import to_text

SQUARED = "Σ holds σ², the eigenvalues of AᵀA: the singular values are their square roots."
SWAPPED = ("U and V are swapped: U holds the left singular vectors (eigenvectors of AAᵀ), "
           "V the right ones (eigenvectors of AᵀA).")
V_FOR_VT = "UΣV = A: you gave Vᵀ where V is asked for (type Vt = … to give Vᵀ)."
UNSORTED = "Sort the singular values largest first, and move the columns of U and V with them."
NEGATIVE = "Singular values are never negative: flip the sign of that column of U (or V) instead."
ROUNDED = "Close, but rounded: give exact values (fractions such as 2/3 are fine)."


def flipped_column(j: int) -> str:
    """u_j and v_j found each on its own, with signs that do not match."""
    i = "₁₂₃₄₅₆₇₈₉"[j]
    return f"u{i} must equal Av{i}/σ{i}: flip the sign of column {j + 1} of U (or of V)."


# U; S, Σ or Sigma; V; or Vᵀ as Vt, VT, V^T, V^{T}, Vᵀ, V⊤, Vᵗ, V_T, V' or Vh (NumPy's name).
# Longer names first.
_NAME = re.compile(r"(?<!\w)(sigma|σ|s|u|v\s*\^\s*(?:\{\s*[t⊤]\s*\}|[t⊤])|v\s*[ᵀᵗ⊤]|v_t|vh|vt|v'|v)\s*[=:]",
                   re.IGNORECASE)
_LABEL = re.compile(r"(?<![^\s;,])([^\s;,=:\[\]()]{1,12})\s*[=:]")     # any other name = …
_ROUNDING = 20          # decimals are snapped to fractions with denominators up to this


def svd_text(U, S, V) -> str:
    """The one line a learner types: 'U = [[…]]; S = [[…]]; V = [[…]]'."""
    return f"U = {to_text(U)}; S = {to_text(S)}; V = {to_text(V)}"


def read_svd(text: str) -> tuple[list, list, list]:
    """(U, Σ, V) from 'U = …; S = …; V = …' in any order; Σ may be a list of its diagonal.

    Raises AnswerError for anything that cannot be read safely.
    """
    text = normalize(text)
    if len(text) > 3 * MAX_CHARS:
        raise AnswerError(f"the answer is too long ({len(text)} characters)")
    text = without_period(text)
    names = list(_NAME.finditer(text))
    if not names:
        raise AnswerError("name the three matrices, e.g. U = [[1, 0], [0, 1]]; S = [[2, 0], [0, 1]]; "
                          "V = [[1, 0], [0, 1]]")
    if text[:names[0].start()].strip(" ;,\n"):
        raise AnswerError(f"unexpected text before '{names[0][1]}'")
    found: dict[str, object] = {}
    for name, end in zip(names, [n.start() for n in names[1:]] + [len(text)]):
        role = _role(name[1])
        key = "V" if role == "Vt" else role
        if key in found:
            raise AnswerError(f"{key} is given twice")
        segment = text[name.end():end]
        try:
            value = read_array(segment.strip().rstrip(";,").strip())
        except AnswerError as err:
            if label := _LABEL.search(segment):
                raise AnswerError(f"'{label[1]}' is not a name read here: expected U, S (for Σ) and V "
                                  "(or Vt for Vᵀ)") from None
            raise AnswerError(f"{role}: {err}") from None
        found[key] = transpose(_matrix(value, role)) if role == "Vt" else value
    if missing := [k for k in ("U", "S", "V") if k not in found]:
        raise AnswerError(f"missing {' and '.join(missing)}: give U, S (for Σ) and V")
    S = found["S"]
    return _matrix(found["U"], "U"), S if isinstance(S, list) else [S], _matrix(found["V"], "V")


def _role(name: str) -> str:
    name = re.sub(r"\s", "", name).lower()
    return {"u": "U", "v": "V", "s": "S", "σ": "S", "sigma": "S"}.get(name, "Vt")


def _matrix(value, role: str) -> list:
    if not (isinstance(value, list) and isinstance(value[0], list)):
        raise AnswerError(f"{role} must be a matrix, e.g. [[1, 0], [0, 1]]")
    return value


def grade_svd(part: Part, text: str) -> PartVerdict:
    """Score 1 for any valid SVD of the reference's A; a quarter per property that holds, unless
    the answer is a known wrong route (σ² in Σ, U and V swapped, Vᵀ for V, another attached
    mistake), which earns none. A slip (Σ unsorted, a negative σ, a column's sign) keeps them."""
    try:
        U, S, V = read_svd(text)
    except AnswerError as err:
        return PartVerdict.unreadable(part, err)
    try:
        U0, S0, V0 = read_svd(part.answer)
    except AnswerError:
        return PartVerdict(part.key, 0.0, "This part's reference answer cannot be read.", decided=False)
    A, sigma = matmul(matmul(U0, S0), transpose(V0)), _diagonal(S0)
    tol = Fraction(part.tolerance.abs) if part.tolerance else Fraction(0)
    S = fit_sigma(S, U, V, A)
    failed = [f for f in checks(A, sigma, U, S, V, tol) if f]
    if not failed:
        return PartVerdict(part.key, 1.0, "Correct: U and V are orthogonal, Σ is diagonal, "
                           "non-negative and sorted, and UΣVᵀ = A.")
    score = 1 - len(failed) / 4
    if not tol and not any(checks(A, sigma, U, S, V, _NEARLY)):     # decimals for irrational entries, say
        return PartVerdict(part.key, score, "Not an exact SVD of A: it holds only approximately.", ROUNDED,
                           ask_again=True)
    diagnosis = _known(part, A, U, S, V) or diagnose_svd(A, sigma, U, S, V)
    if diagnosis and not _is_slip(diagnosis):       # a wrong route: what it gets right, it gets by chance
        score = 0.0
    return PartVerdict(part.key, score, "Not a valid SVD of A. " + " ".join(failed), diagnosis,
                       ask_again=diagnosis is ROUNDED)


_NEARLY = Fraction(1, 10**6)          # how far an SVD typed in decimals of 6 or more digits stays off


def is_svd(A, U, S, V, tol=Fraction(0)) -> bool:
    """True when U, Σ, V (Σ possibly a list of its diagonal) are an SVD of A."""
    S = fit_sigma(S, U, V, A)
    sigma = sorted((abs(x) for x in _diagonal(S)), reverse=True) if _is_matrix(S) else []
    tests = _properties(A, sigma, U, S, V, tol)
    # cheap tests first, up to the first that fails: most wrong routes fail on Σ or on UΣVᵀ = A
    return not any(tests[name]() for name in ("sigma", "product", "U", "V"))


def checks(A, sigma, U, S, V, tol=Fraction(0)) -> list[str]:
    """One message per failed property ('' when it holds): U, V, Σ, and UΣVᵀ = A."""
    return [test() for test in _properties(A, sigma, U, S, V, tol).values()]


def _properties(A, sigma, U, S, V, tol) -> dict[str, Callable[[], str]]:
    """The four properties of an SVD, in the order checks reports them, each a test to run."""
    m, n = len(A), len(A[0])
    rank = sum(1 for x in sigma if x)
    # full (U m×m), thin (m×n for a tall A) or compact (U m×r, V n×r: the r nonzero σ only)
    u_shapes = tuple(dict.fromkeys([(m, m), (m, min(m, n)), (m, rank or m)]))
    v_shapes = tuple(dict.fromkeys([(n, n), (n, rank or n)]))
    rows = len(U[0]) if _dims(U) in u_shapes else m
    cols = len(V[0]) if _dims(V) in v_shapes else n
    return {"U": lambda: _singular_vectors(U, "U", "AAᵀ", matmul(A, transpose(A)), u_shapes, tol),
            "V": lambda: _singular_vectors(V, "V", "AᵀA", matmul(transpose(A), A), v_shapes, tol),
            "sigma": lambda: _check_sigma(S, (rows, cols), sigma, tol),
            "product": lambda: _check_product(A, U, S, V, tol)}


def fit_sigma(S, U, V, A):
    """Σ typed as a list of its diagonal, laid out to fit between U and Vᵀ."""
    if _is_matrix(S):
        return S
    rows = len(U[0]) if _is_matrix(U) and len(U) == len(A) else len(S)
    cols = len(V[0]) if _is_matrix(V) and len(V) == len(A[0]) else len(A[0])
    if len(S) != min(rows, cols):
        return [S]
    return [[S[i] if i == j else Fraction(0) for j in range(cols)] for i in range(rows)]


def _singular_vectors(M, name, gram_name, gram, shapes, tol) -> str:
    if _dims(M) not in shapes:
        wanted = " or ".join(f"{r}×{c}" for r, c in shapes)
        return f"{name} should be {wanted}; yours is {_shape_text(M)}."
    if problem := _orthonormal(M, tol):
        return f"{name} is not orthogonal: {problem}."
    for j, col in enumerate(transpose(M)):
        if not _eigenvector(gram, col, tol):
            return f"Column {j + 1} of {name} is not an eigenvector of {gram_name}."
    return ""


def _orthonormal(M, tol) -> str:
    G = matmul(transpose(M), M)
    for j, row in enumerate(G):
        if not _eq(row[j], 1, tol):
            root = rational_sqrt(row[j])
            return (f"column {j + 1} has length {root}, not 1" if root is not None
                    else f"column {j + 1} has squared length {row[j]}, not 1")
        for k in range(j + 1, len(G)):
            if not _eq(row[k], 0, tol):
                return f"columns {j + 1} and {k + 1} are not perpendicular (dot product {row[k]})"
    return ""


def _eigenvector(M, v, tol) -> bool:
    w = matvec(M, v)
    if not any(v):
        return False
    scale = sum(a * b for a, b in zip(v, w)) / sum(x * x for x in v)
    bound = tol * max(1, abs(scale))
    return all(_eq(a, scale * x, bound) for a, x in zip(w, v))


def _check_sigma(S, shape, sigma, tol) -> str:
    if _dims(S) != shape:
        return f"Σ should be {shape[0]}×{shape[1]}, to fit between U and Vᵀ; yours is {_shape_text(S)}."
    for i, row in enumerate(S):
        for j, x in enumerate(row):
            if i != j and not _eq(x, 0, tol):
                return f"Σ is not diagonal: entry ({i + 1}, {j + 1}) is {x}."
    d = _diagonal(S)
    if negative := [x for x in d if x < -tol]:
        return f"Σ has a negative entry, {negative[0]}."
    if any(a < b - tol for a, b in pairwise(d)):
        return "Σ is not sorted largest first."
    if not all(_eq(a, b, tol) for a, b in zip(d, sigma)):
        return "Σ's diagonal is not the singular values of A (the square roots of the eigenvalues of AᵀA)."
    return ""


def _check_product(A, U, S, V, tol) -> str:
    try:
        P = matmul(matmul(U, S), transpose(V))
    except (ValueError, IndexError):
        return f"UΣVᵀ cannot be formed from U {_shape_text(U)}, Σ {_shape_text(S)} and V {_shape_text(V)}."
    if _dims(P) != _dims(A):
        return f"UΣVᵀ is {_shape_text(P)}, but A is {_shape_text(A)}."
    for i, (row, a_row) in enumerate(zip(P, A)):
        for j, (p, a) in enumerate(zip(row, a_row)):
            if not _eq(p, a, tol):
                return f"UΣVᵀ ≠ A: its entry ({i + 1}, {j + 1}) is {p}, not {a}."
    return ""


def diagnose_svd(A, sigma, U, S, V) -> str:
    """Name the mistake that explains an invalid answer, or ''."""
    n = len(A[0])
    if any(is_svd(A, *t) for t in ((V, S, U), (V, transpose(S), U), ([r[:n] for r in V], S, U))):
        return SWAPPED
    if len(V) == len(V[0]) and is_svd(A, U, S, transpose(V)):
        return V_FOR_VT
    d = _diagonal(S) if _is_matrix(S) else []
    if sorted(map(abs, d)) == sorted(s * s for s in sigma) != sorted(sigma):
        return SQUARED
    if any(x < 0 for x in d) and sorted(map(abs, d), reverse=True) == sigma:
        return NEGATIVE
    if sorted(d, reverse=True) == sigma != d:
        return UNSORTED
    for j in range(min(len(U[0]), len(V[0]))):
        if is_svd(A, _flip(U, j), S, V):
            return flipped_column(j)
    snap = [[[Fraction(x).limit_denominator(_ROUNDING) for x in row] for row in M] for M in (U, S, V)]
    return ROUNDED if snap != [U, S, V] and is_svd(A, *snap) else ""


def _is_slip(diagnosis: str) -> bool:
    """A mistake that leaves an SVD but for order, sign or rounding: the credit it has stands."""
    return diagnosis in (UNSORTED, NEGATIVE, ROUNDED) or diagnosis in map(flipped_column, range(9))


def _known(part: Part, A, U, S, V) -> str:
    """The message of an attached mistake (a wrong route's answer) that the answer is exactly."""
    for mistake in part.mistakes:
        try:
            wrong = read_svd(mistake.answer)
        except AnswerError:
            continue
        if [U, S, V] == [wrong[0], fit_sigma(wrong[1], wrong[0], wrong[2], A), wrong[2]]:
            return mistake.message
    return ""


def _flip(M, j: int) -> list:
    return [[-x if k == j else x for k, x in enumerate(row)] for row in M]


def _diagonal(S) -> list:
    return [S[i][i] for i in range(min(len(S), len(S[0])))]


def _is_matrix(value) -> bool:
    return isinstance(value, list) and bool(value) and isinstance(value[0], list)


def _dims(M) -> tuple:
    return (len(M), len(M[0])) if _is_matrix(M) else (len(M),)


def _shape_text(M) -> str:
    d = _dims(M)
    return f"{d[0]}×{d[1]}" if len(d) == 2 else f"a list of {d[0]}"


def _eq(a, b, tol) -> bool:
    return abs(a - b) <= tol
