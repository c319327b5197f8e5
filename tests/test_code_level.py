"""The `code` level's grader: for every exercise the model solution scores 1 and typical wrong
solutions are caught with the right diagnosis; forbidden shortcuts are reported; and code that
hangs, crashes, prints, raises or allocates too much gets a clear message, never a stuck grader."""
import textwrap
import time

import numpy as np
import pytest

from grader.code import Limits, exercise, exercise_names, grade_source

SEED = 11
QUICK = Limits(seconds=5, memory_mb=1024)


def src(body: str) -> str:
    return "import numpy as np\n\n\n" + textwrap.dedent(body).strip() + "\n"


def grade(name: str, source: str, seed: int = SEED, limits: Limits = QUICK, timing: bool = False):
    return grade_source(name, seed, source, limits=limits, timing=timing)


# exercise -> [(what the learner did, their solution, text the diagnosis must contain)]
WRONG = {
    "matmul": [
        ("B·A", "def matmul(A, B):\n    return (B[:, :, None] * A[None, :, :]).sum(axis=1)", "B·A"),
        ("entrywise", "def matmul(A, B):\n    return A * B", "entry by entry"),
        ("forgot +=", """
            def matmul(A, B):
                C = np.zeros((A.shape[0], B.shape[1]), dtype=A.dtype)
                for i in range(A.shape[0]):
                    for j in range(B.shape[1]):
                        for k in range(A.shape[1]):
                            C[i, j] = A[i, k] * B[k, j]
                return C""", "Only the last k"),
        ("float64 out", """
            def matmul(A, B):
                C = np.zeros((A.shape[0], B.shape[1]))
                for k in range(A.shape[1]):
                    C += np.outer(A[:, k], B[k, :])
                return C""", "Keep the input's dtype"),
    ],
    "transpose": [
        ("reshape", "def transpose(A):\n    return A.reshape(A.shape[1], A.shape[0]).copy()", "reshape keeps"),
        ("returned A", "def transpose(A):\n    return A.copy()", "returned A unchanged"),
        ("float64 out", """
            def transpose(A):
                out = np.empty((A.shape[1], A.shape[0]))
                for i in range(A.shape[0]):
                    out[:, i] = A[i]
                return out""", "Keep the input's dtype"),
    ],
    "gram": [
        ("X·Xᵀ", "def gram(X):\n    return X @ X.T", "X·Xᵀ"),
        ("divided by m", "def gram(X):\n    return X.T @ X / len(X)", "Off by a factor"),
    ],
    "gauss_jordan_inverse": [
        ("no pivoting", """
            def gauss_jordan_inverse(A):
                n = len(A)
                M = np.hstack([A.astype(float), np.eye(n)])
                for j in range(n):
                    M[j] = M[j] / M[j, j]
                    for i in range(n):
                        if i != j:
                            M[i] = M[i] - M[i, j] * M[j]
                return M[:, n:]""", "pivoting"),
        ("transposed", """
            def gauss_jordan_inverse(A):
                n = len(A)
                M = np.hstack([A.astype(float), np.eye(n)])
                for j in range(n):
                    p = j + np.argmax(np.abs(M[j:, j]))
                    M[[j, p]] = M[[p, j]]
                    M[j] = M[j] / M[j, j]
                    for i in range(n):
                        if i != j:
                            M[i] = M[i] - M[i, j] * M[j]
                return M[:, n:].T""", "(A⁻¹)ᵀ"),
        ("left half", """
            def gauss_jordan_inverse(A):
                n = len(A)
                M = np.hstack([A.astype(float), np.eye(n)])
                for j in range(n):
                    p = j + np.argmax(np.abs(M[j:, j]))
                    M[[j, p]] = M[[p, j]]
                    M[j] = M[j] / M[j, j]
                    for i in range(n):
                        if i != j:
                            M[i] = M[i] - M[i, j] * M[j]
                return M[:, :n]""", "right half"),
        ("reduces A in place", """
            def gauss_jordan_inverse(A):
                n = len(A)
                inv = np.eye(n)
                for j in range(n):
                    p = j + np.argmax(np.abs(A[j:, j]))
                    A[[j, p]] = A[[p, j]]
                    inv[[j, p]] = inv[[p, j]]
                    pivot = A[j, j]
                    A[j] = A[j] / pivot
                    inv[j] = inv[j] / pivot
                    for i in range(n):
                        if i != j:
                            f = A[i, j]
                            A[i] = A[i] - f * A[j]
                            inv[i] = inv[i] - f * inv[j]
                return inv""", "changed its input `A` in place"),
    ],
    "svd_pinv": [
        ("no cutoff", """
            def svd_pinv(A):
                U, s, Vt = np.linalg.svd(A, full_matrices=False)
                return (Vt.T / s) @ U.T""", "σ > rcond·σ_max"),
        ("U Σ⁺ Vᵀ", """
            def svd_pinv(A):
                U, s, Vt = np.linalg.svd(A, full_matrices=False)
                keep = s > max(A.shape) * np.finfo(A.dtype).eps * s[0]
                s_plus = np.where(keep, 1 / np.where(keep, s, 1), 0)
                return (U * s_plus) @ Vt""", "(A⁺)ᵀ"),
        ("Vt as V", """
            def svd_pinv(A):
                U, s, Vt = np.linalg.svd(A, full_matrices=False)
                keep = s > max(A.shape) * np.finfo(A.dtype).eps * s[0]
                s_plus = np.where(keep, 1 / np.where(keep, s, 1), 0)
                return (Vt * s_plus) @ U.T""", "returns Vᵀ, not V"),
        ("Σ not inverted", """
            def svd_pinv(A):
                U, s, Vt = np.linalg.svd(A, full_matrices=False)
                return (Vt.T * s) @ U.T""", "Σ⁺ holds 1/σ"),
    ],
    "unit_vector": [
        ("‖v‖²", "def unit_vector(v):\n    return v / (v @ v)", "‖v‖²"),
        ("L1", "def unit_vector(v):\n    return v / np.abs(v).sum()", "L1"),
        ("the length", "def unit_vector(v):\n    return np.sqrt(v @ v)", "That is the length"),
        ("in place", "def unit_vector(v):\n    v /= np.sqrt(v @ v)\n    return v", "changed its input `v` in place"),
    ],
    "cosine_similarity": [
        ("dot only", "def cosine_similarity(a, b):\n    return float(a @ b)", "dot product"),
        ("angle", """
            def cosine_similarity(a, b):
                return float(np.arccos(a @ b / np.sqrt((a @ a) * (b @ b))))""", "angle"),
        ("(1, 1) array", """
            def cosine_similarity(a, b):
                return a.reshape(1, -1) @ b.reshape(-1, 1) / np.sqrt((a @ a) * (b @ b))""", "float(...)"),
    ],
    "mse": [
        ("no bias column", "def mse(X, y, theta):\n    return float(np.mean((X @ theta - y) ** 2))",
         "column of ones"),
        ("dropped θ₀", "def mse(X, y, theta):\n    return float(np.mean((X @ theta[1:] - y) ** 2))",
         "intercept θ₀"),
        ("ones last", """
            def mse(X, y, theta):
                X_b = np.c_[X, np.ones(len(X))]
                return float(np.mean((X_b @ theta - y) ** 2))""", "ones go first"),
        ("sum", """
            def mse(X, y, theta):
                return float(np.sum((np.c_[np.ones(len(X)), X] @ theta - y) ** 2))""", "divide by m"),
        ("half", """
            def mse(X, y, theta):
                return float(np.mean((np.c_[np.ones(len(X)), X] @ theta - y) ** 2) / 2)""", "1/(2m)"),
        ("y as a column", """
            def mse(X, y, theta):
                r = np.c_[np.ones(len(X)), X] @ theta - y.reshape(-1, 1)
                return float(np.mean(r ** 2))""", "m × m"),
    ],
    "mse_gradient": [
        ("no 2/m", "def mse_gradient(X, y, theta):\n    return X.T @ (X @ theta - y)", "2/m"),
        ("no 2", "def mse_gradient(X, y, theta):\n    return X.T @ (X @ theta - y) / len(y)", "Missing the 2"),
        ("y − Xθ", "def mse_gradient(X, y, theta):\n    return 2 / len(y) * X.T @ (y - X @ theta)", "sign"),
        ("column", """
            def mse_gradient(X, y, theta):
                return 2 / len(y) * X.T @ (X @ theta.reshape(-1, 1) - y.reshape(-1, 1))""", "(2, 1) column"),
        ("X not Xᵀ", "def mse_gradient(X, y, theta):\n    return 2 / len(y) * X @ (X @ theta - y)", "X.T"),
    ],
    "normal_equation": [
        ("no bias", "def normal_equation(X, y):\n    return np.linalg.inv(X.T @ X) @ X.T @ y", "column of ones"),
        ("ones last", """
            def normal_equation(X, y):
                X_b = np.c_[X, np.ones(len(X))]
                return np.linalg.inv(X_b.T @ X_b) @ X_b.T @ y""", "intercept came out last"),
        ("Xᵀy only", """
            def normal_equation(X, y):
                X_b = np.c_[np.ones(len(X)), X]
                return X_b.T @ y""", "X_bᵀy alone"),
    ],
    "gd_step": [
        ("θ + η∇", "def gd_step(X, y, theta, eta):\n    return theta + eta * 2 / len(y) * X.T @ (X @ theta - y)",
         "added the gradient"),
        ("no 2/m", "def gd_step(X, y, theta, eta):\n    return theta - eta * X.T @ (X @ theta - y)", "2/m"),
        ("returned ∇", "def gd_step(X, y, theta, eta):\n    return 2 / len(y) * X.T @ (X @ theta - y)",
         "That is the gradient"),
        ("θ -= …", """
            def gd_step(X, y, theta, eta):
                theta -= eta * 2 / len(y) * X.T @ (X @ theta - y)
                return theta""", "changed its input `theta` in place"),
        ("float64 out", """
            def gd_step(X, y, theta, eta):
                g = np.zeros(len(theta))
                g[:] = 2 / len(y) * X.T @ (X @ theta - y)
                return theta - eta * g""", "Keep the input's dtype"),
    ],
    "batch_gd": [
        ("epochs − 1", """
            def batch_gd(X, y, theta, eta, epochs):
                for _ in range(epochs - 1):
                    theta = theta - eta * 2 / len(y) * X.T @ (X @ theta - y)
                return theta""", "One step short"),
        ("gradient at the start", """
            def batch_gd(X, y, theta, eta, epochs):
                g = 2 / len(y) * X.T @ (X @ theta - y)
                for _ in range(epochs):
                    theta = theta - eta * g
                return theta""", "starting θ"),
        ("θ -= …", """
            def batch_gd(X, y, theta, eta, epochs):
                for _ in range(epochs):
                    theta -= eta * 2 / len(y) * X.T @ (X @ theta - y)
                return theta""", "in place"),
    ],
    "sgd_epoch": [
        ("index order", """
            def sgd_epoch(X, y, theta, eta, order):
                for i in range(len(y)):
                    theta = theta - eta * 2 * X[i] * (X[i] @ theta - y[i])
                return theta""", "follow `order`"),
        ("full batch", """
            def sgd_epoch(X, y, theta, eta, order):
                return theta - eta * 2 / len(y) * X.T @ (X @ theta - y)""", "full-batch step"),
        ("no 2", """
            def sgd_epoch(X, y, theta, eta, order):
                for i in order:
                    theta = theta - eta * X[i] * (X[i] @ theta - y[i])
                return theta""", "Missing the 2"),
        ("θ -= …", """
            def sgd_epoch(X, y, theta, eta, order):
                for i in order:
                    theta -= eta * 2 * X[i] * (X[i] @ theta - y[i])
                return theta""", "in place"),
    ],
    "minibatch_epoch": [
        ("2/batch_size", """
            def minibatch_epoch(X, y, theta, eta, batch_size, order):
                for k in range(0, len(order), batch_size):
                    b = order[k:k + batch_size]
                    theta = theta - eta * 2 / batch_size * X[b].T @ (X[b] @ theta - y[b])
                return theta""", "len(batch), not batch_size"),
        ("dropped the short batch", """
            def minibatch_epoch(X, y, theta, eta, batch_size, order):
                for k in range(0, len(order) - batch_size + 1, batch_size):
                    b = order[k:k + batch_size]
                    theta = theta - eta * 2 / len(b) * X[b].T @ (X[b] @ theta - y[b])
                return theta""", "shorter batch was skipped"),
        ("index order", """
            def minibatch_epoch(X, y, theta, eta, batch_size, order):
                for k in range(0, len(order), batch_size):
                    b = np.arange(len(order))[k:k + batch_size]
                    theta = theta - eta * 2 / len(b) * X[b].T @ (X[b] @ theta - y[b])
                return theta""", "index order"),
        ("divided by m", """
            def minibatch_epoch(X, y, theta, eta, batch_size, order):
                for k in range(0, len(order), batch_size):
                    b = order[k:k + batch_size]
                    theta = theta - eta * 2 / len(y) * X[b].T @ (X[b] @ theta - y[b])
                return theta""", "divided by m"),
    ],
}

FORBIDDEN = {
    "matmul": ("def matmul(A, B):\n    return A @ B", "the @ operator"),
    "transpose": ("def transpose(A):\n    return A.T.copy()", "A.T"),
    "gauss_jordan_inverse": ("def gauss_jordan_inverse(A):\n    return np.linalg.inv(A)", "np.linalg.inv"),
    "svd_pinv": ("def svd_pinv(A):\n    return np.linalg.pinv(A)", "np.linalg.pinv"),
    "unit_vector": ("def unit_vector(v):\n    return v / np.linalg.norm(v)", "np.linalg.norm"),
    "normal_equation": ("""
        def normal_equation(X, y):
            return np.linalg.lstsq(np.c_[np.ones(len(X)), X], y, rcond=None)[0]""", "np.linalg.lstsq"),
    "mse": ("""
        from grader.reference import mse as reference_mse
        def mse(X, y, theta):
            return reference_mse(np.c_[np.ones(len(X)), X], y, theta)""", "grader's own answer"),
    "gd_step": ("""
        import torch
        def gd_step(X, y, theta, eta):
            return torch.as_tensor(theta).numpy()""", "write it in NumPy"),
}


def test_every_exercise_has_wrong_solutions_here():
    assert set(WRONG) == set(exercise_names())


@pytest.mark.parametrize("name", exercise_names())
def test_the_model_solution_scores_1(name):
    report = grade(name, exercise(name).solution, timing=True)
    assert report.correct and report.score == 1, report.text()
    assert report.diagnosis == "" and not report.forbidden and not report.reproduction
    assert len(report.cases) >= 7 and any("float32" in c.name for c in report.cases)
    assert any("contiguous" in c.name for c in report.cases)


CASES = [(name, what, body, said) for name, wrong in WRONG.items() for what, body, said in wrong]


@pytest.mark.parametrize("name,what,body,said", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_a_wrong_solution_is_caught_with_its_diagnosis(name, what, body, said):
    report = grade(name, src(body))
    assert report.readable and not report.correct and report.score < 1, report.text()
    assert said in report.diagnosis, (what, report.diagnosis, report.text())
    assert report.reproduction and report.failed


@pytest.mark.parametrize("name", sorted(FORBIDDEN))
def test_a_forbidden_shortcut_is_reported_and_not_counted(name):
    body, said = FORBIDDEN[name]
    report = grade(name, src(body))
    assert not report.correct and report.score == 0
    assert report.forbidden and said in report.forbidden[0], report.forbidden
    assert "forbidden" in report.summary and "do without" in report.diagnosis


def test_the_same_seed_gives_the_same_cases_and_another_seed_others():
    ex = exercise("gd_step")
    assert [c.code for c in ex.make_cases(3)] == [c.code for c in ex.make_cases(3)]
    assert [c.code for c in ex.make_cases(3)] != [c.code for c in ex.make_cases(4)]


def test_the_reproduction_reproduces_the_failing_case():
    body = WRONG["gd_step"][0][1]
    report = grade("gd_step", src(body))
    scope: dict = {}
    exec(src(body), scope)
    code = report.reproduction.replace("# paste your gd_step here, or import it from your file", "")
    exec(code, scope)
    first = exercise("gd_step").make_cases(SEED)[0]
    expected = exercise("gd_step").reference(*first.inputs(exercise("gd_step").args))
    assert np.array_equal(scope["expected"], expected)
    assert np.array_equal(scope["got"], scope["received"])
    assert not np.allclose(scope["got"], scope["expected"])


def test_a_large_failing_result_is_summarised_in_the_reproduction():
    report = grade("transpose", src("""
        def transpose(A):
            out = np.empty((A.shape[1], A.shape[0]), dtype=A.dtype)
            for i in range(A.shape[0]):
                out[:, i] = A[i]
            if A.size > 100:
                out[3, 7] += 1
            return out"""))
    assert report.failed == "large"
    assert "largest difference at [3, 7]" in report.reproduction
    assert "rng = np.random.default_rng(" in report.reproduction


def test_python_loops_far_slower_than_numpy_get_advice_not_a_failure():
    report = grade("gd_step", src("""
        def gd_step(X, y, theta, eta):
            m, d = X.shape
            gradient = np.zeros(d, dtype=X.dtype)
            for i in range(m):
                r = X[i] @ theta - y[i]
                for j in range(d):
                    gradient[j] += 2 / m * r * X[i, j]
            return theta - eta * gradient"""), timing=True)
    assert report.correct, report.text()
    assert any("vectorised NumPy" in a and "X.T @ r" in a for a in report.advice), report.advice


def test_loops_where_the_exercise_allows_them_get_no_speed_advice():
    report = grade("matmul", src("""
        def matmul(A, B):
            C = np.zeros((A.shape[0], B.shape[1]), dtype=A.dtype)
            for i in range(A.shape[0]):
                for j in range(B.shape[1]):
                    for k in range(A.shape[1]):
                        C[i, j] += A[i, k] * B[k, j]
            return C"""), timing=True)
    assert report.correct and not report.advice, report.advice


# --- code that misbehaves -----------------------------------------------------------------------

SHORT = Limits(seconds=1.0, memory_mb=384)
MISBEHAVING = {
    "endless loop": ("def gd_step(X, y, theta, eta):\n    while True:\n        pass", "took longer than 1 s"),
    "sleeps": ("import time\ndef gd_step(X, y, theta, eta):\n    time.sleep(60)", "took longer than 1 s"),
    "aborts": ("import os\ndef gd_step(X, y, theta, eta):\n    os.abort()", "SIGABRT), at line 6"),
    "segfault": ("import ctypes\ndef gd_step(X, y, theta, eta):\n    return ctypes.string_at(0)",
                 "segmentation fault"),
    "os._exit": ("import os\ndef gd_step(X, y, theta, eta):\n    os._exit(3)",
                 "exit status 3) without returning: os._exit() at line 6: os._exit(3)"),
    "os._exit while loading": ("import os\nos._exit(3)\ndef gd_step(X, y, theta, eta):\n    return theta",
                               "ended the process while it was loading (exit code 3, line 5: os._exit(3))"),
    "aborts while loading": ("import os\nos.abort()\ndef gd_step(X, y, theta, eta):\n    return theta",
                             "loading your file aborted the process (SIGABRT), at line 5"),
    "sys.exit": ("import sys\ndef gd_step(X, y, theta, eta):\n    sys.exit(1)", "sys.exit()"),
    "huge array": ("def gd_step(X, y, theta, eta):\n    big = np.ones((40000, 40000))\n    return theta",
                   "more than the 384 MB of memory"),
    "growing list": ("def gd_step(X, y, theta, eta):\n    keep = []\n    while True:\n"
                     "        keep.append(np.empty(10**7))", "more than the 384 MB of memory"),
    "raises": ("def gd_step(X, y, theta, eta):\n    raise RuntimeError('oops')", "raised RuntimeError: oops at line 5"),
    "fails to load": ("print(undefined_name)\ndef gd_step(X, y, theta, eta):\n    return theta",
                      "raised NameError while loading"),
    "returns None": ("def gd_step(X, y, theta, eta):\n    theta - eta", "returned None"),
    "not written": (exercise("gd_step").starter(), "NotImplementedError"),
}


@pytest.mark.parametrize("what", sorted(MISBEHAVING))
def test_misbehaving_code_gets_a_clear_message_and_the_grader_returns(what):
    body, said = MISBEHAVING[what]
    start = time.monotonic()
    report = grade("gd_step", src(body), limits=SHORT)
    assert time.monotonic() - start < 15
    assert report.score == 0 and report.failed
    first = report.first_failure
    assert said in first.problem + " " + first.diagnosis, (first.problem, first.diagnosis)


def test_printing_a_lot_is_captured_and_truncated():
    report = grade("gd_step", src("""
        def gd_step(X, y, theta, eta):
            for i in range(20000):
                print("step", i)
            return theta - eta * 2 / len(y) * X.T @ (X @ theta - y)"""))
    assert report.correct
    assert report.output.startswith("step 0\nstep 1\n") and report.output_total > 100_000
    assert len(report.output) <= QUICK.output_chars
    assert "Your code printed" in report.text() and "step 19999" not in report.text()


@pytest.mark.parametrize("body,said", [
    ("def gd_step(X, y, theta, eta)\n    return theta", "not valid Python: line 4"),
    ("def step(X, y, theta, eta):\n    return theta", "no function named gd_step (it defines step)"),
    ("#?!", "no function named gd_step"),
])
def test_unreadable_text_is_not_run(body, said):
    report = grade("gd_step", src(body))
    assert not report.readable and report.score == 0 and said in report.unreadable
    assert report.text().startswith("Could not grade this")


def test_a_wrong_signature_is_named():
    report = grade("gd_step", src("def gd_step(X, y, theta):\n    return theta"))
    assert "yours takes (X, y, theta)" in report.diagnosis


def test_the_report_as_json_has_the_failure_and_its_reproduction():
    report = grade("mse_gradient", src(WRONG["mse_gradient"][0][1]))
    d = report.to_dict()
    assert d["correct"] is False and 0 <= d["score"] < 1
    assert d["failure"]["case"] == report.failed and "import numpy as np" in d["failure"]["reproduction"]
    assert d["diagnosis"] == report.diagnosis and d["cases"][0].keys() >= {"name", "passed", "problem"}
