"""The code level after a learner's review: a self-test does not count against a solution, the
speed verdict does not depend on the machine's load, the pivot cases catch Gauss–Jordan without
pivoting, and the diagnoses and reproductions fit the mistakes they explain."""
import textwrap

import numpy as np
import pytest

from grader.code import Limits, grade_source

QUICK = Limits(seconds=5, memory_mb=1024)


def src(*bodies: str) -> str:
    return "import numpy as np\n\n\n" + "\n".join(textwrap.dedent(b).strip() for b in bodies) + "\n"


def grade(name: str, source: str, seed: int = 11, timing: bool = False, **kw):
    return grade_source(name, seed, source, limits=QUICK, timing=timing, **kw)


GAUSS_JORDAN = """
    def gauss_jordan_inverse(A):
        n = A.shape[0]
        M = np.hstack([A.astype(float), np.eye(n)])
        for j in range(n):
            p = j + np.argmax(np.abs(M[j:, j]))
            M[[j, p]] = M[[p, j]]
            M[j] = M[j] / M[j, j]
            for i in range(n):
                if i != j:
                    M[i] = M[i] - M[i, j] * M[j]
        return M[:, n:]
"""

# --- 1.1: only what the function can reach is checked for forbidden calls -------------------------

SELF_TESTS = {
    "__main__ block": (GAUSS_JORDAN, """
        if __name__ == "__main__":
            A = np.array([[2.0, 1.0], [4.0, 3.0]])
            assert np.allclose(gauss_jordan_inverse(A), np.linalg.inv(A))"""),
    "module-level assert": (GAUSS_JORDAN, """
        assert np.allclose(gauss_jordan_inverse(np.eye(2)), np.linalg.inv(np.eye(2)))"""),
    "unused _test helper": (GAUSS_JORDAN, """
        def _test():
            from scipy.linalg import inv
            A = np.random.rand(3, 3)
            assert np.allclose(gauss_jordan_inverse(A), inv(A))"""),
}


@pytest.mark.parametrize("what", sorted(SELF_TESTS))
def test_a_self_test_using_the_forbidden_call_does_not_count(what):
    report = grade("gauss_jordan_inverse", src(*SELF_TESTS[what]))
    assert report.correct and report.score == 1 and not report.forbidden, report.text()
    assert any("self-test" in a for a in report.advice), report.advice


CHEATS = {
    "in a helper it calls": """
        def _helper(A):
            return np.linalg.inv(A)
        def gauss_jordan_inverse(A):
            return _helper(A)""",
    "through a lambda and a helper": """
        def _inner(A):
            return np.linalg.solve(A, np.eye(len(A)))
        _outer = lambda A: _inner(A)
        def gauss_jordan_inverse(A):
            return _outer(A)""",
    "imported under another name": """
        from numpy.linalg import inv as i
        def gauss_jordan_inverse(A):
            return i(A)""",
    "through a module alias": """
        la = np.linalg
        def gauss_jordan_inverse(A):
            return la.inv(A)""",
    "as a default argument": """
        def gauss_jordan_inverse(A, f=np.linalg.inv):
            return f(A)""",
    "bound by a module-level for": """
        for inv in (np.linalg.inv,):
            pass
        def gauss_jordan_inverse(A):
            return inv(A)""",
    "put on numpy by setattr": """
        setattr(np, "my_inverse", np.linalg.inv)
        def gauss_jordan_inverse(A):
            return np.my_inverse(A)""",
    "bound by a walrus in an assert": """
        assert (inv := np.linalg.inv)
        def gauss_jordan_inverse(A):
            return inv(A)""",
}


@pytest.mark.parametrize("what", sorted(CHEATS))
def test_a_forbidden_call_the_function_reaches_is_still_caught(what):
    report = grade("gauss_jordan_inverse", src(CHEATS[what]))
    assert report.score == 0 and not report.correct and report.forbidden, report.text()


# --- 1.2: the speed verdict counts CPU time, not the wall clock -----------------------------------

def _gd_step_that(*extra: str) -> str:
    """A right gd_step that runs the lines `extra` first on the large case."""
    lines = ["import time", "def gd_step(X, y, theta, eta):", "    if len(X) > 1000:"]
    lines += [" " * 8 + line for line in extra]
    lines.append("    return theta - eta * 2 / len(y) * X.T @ (X @ theta - y)")
    return src("\n".join(lines))


def test_time_spent_waiting_is_not_counted_as_slow(monkeypatch):
    from grader.code import report as rp

    monkeypatch.setattr(rp, "ABSURD_SECONDS", 0.5)        # a loaded machine stretches the wall clock
    report = grade("gd_step", _gd_step_that("time.sleep(1.0)"), timing=True)
    assert report.correct, report.text()


def test_cpu_seconds_where_numpy_takes_milliseconds_fail_the_large_case(monkeypatch):
    from grader.code import report as rp

    monkeypatch.setattr(rp, "ABSURD_SECONDS", 0.5)
    report = grade("gd_step", _gd_step_that("end = time.thread_time() + 1.0",
                                                "while time.thread_time() < end:", "    pass"), timing=True)
    assert not report.correct and report.failed == "large", report.text()
    assert "far too slow" in report.first_failure.problem and "CPU" in report.first_failure.problem


# --- 1.3: the tiny pivot catches elimination without partial pivoting, whatever the seed ----------

SWAP_IF_ZERO = """
    def gauss_jordan_inverse(A):
        n = A.shape[0]
        M = np.hstack([A.astype(float), np.eye(n)])
        for j in range(n):
            if M[j, j] == 0:                       # swaps only for an exact 0
                p = j + np.argmax(np.abs(M[j:, j]))
                M[[j, p]] = M[[p, j]]
            M[j] = M[j] / M[j, j]
            for i in range(n):
                if i != j:
                    M[i] = M[i] - M[i, j] * M[j]
        return M[:, n:]
"""


def test_swapping_only_for_an_exact_zero_pivot_fails_the_tiny_pivot():
    report = grade("gauss_jordan_inverse", src(SWAP_IF_ZERO), seed=5)
    assert not report.correct and report.failed == "tiny pivot", report.text()
    assert "pivoting" in report.diagnosis


def test_the_tiny_pivot_case_tells_no_pivoting_from_pivoting_for_every_seed():
    from grader.code import exercise
    from grader.code.exercises.linalg import _no_pivoting
    from grader.code.report import close

    ex = exercise("gauss_jordan_inverse")
    for seed in range(40):
        case = next(c for c in ex.make_cases(seed) if c.name == "tiny pivot")
        (A,) = case.inputs(ex.args)
        want = ex.reference(A)
        scale = max(np.abs(A).max(), np.abs(want).max())
        with np.errstate(all="ignore"):
            assert not close(_no_pivoting(A), want, ex.rtol, scale), (seed, A)


# --- 1.4, 3.4: a helper module beside the file is found, and no __pycache__ is left there ---------

@pytest.mark.parametrize("where", ["its folder", "the folder above", "an absolute path"])
def test_a_helper_module_beside_the_file_is_found_from_a_relative_path(tmp_path, monkeypatch, where):
    folder = tmp_path / "work"
    folder.mkdir()
    (folder / "mylib.py").write_text("import numpy as np\n\ndef add_bias(X):\n    return np.c_[np.ones(len(X)), X]\n")
    source = src("""
        from mylib import add_bias
        def normal_equation(X, y):
            Xb = add_bias(X)
            return np.linalg.solve(Xb.T @ Xb, Xb.T @ y)""")
    (folder / "ne.py").write_text(source)
    monkeypatch.chdir(folder if where == "its folder" else tmp_path)
    filename = {"its folder": "ne.py", "the folder above": "work/ne.py"}.get(where, str(folder / "ne.py"))
    report = grade("normal_equation", source, filename=filename)
    assert report.correct, report.text()
    assert sorted(p.name for p in folder.iterdir()) == ["mylib.py", "ne.py"]      # no __pycache__


# --- 2.1: the reproduction shows the shapes and runs even when they do not broadcast -------------

def test_the_reproduction_of_a_shape_mistake_prints_the_shapes_and_does_not_crash(capsys):
    body = """
        def mse_gradient(X, y, theta):
            y = y.reshape(-1, 1)
            return 2 / len(y) * X.T @ (X @ theta - y)"""
    report = grade("mse_gradient", src(body), seed=6)
    assert report.failed and "shape" in report.first_failure.problem
    scope: dict = {}
    exec(src(body), scope)
    exec(report.reproduction.replace("# paste your mse_gradient here, or import it from your file", ""), scope)
    shapes, same = capsys.readouterr().out.splitlines()
    assert shapes.startswith(str(np.shape(scope["got"]))) and same == "False"


# --- 2.2: "off by a factor" only where it says something ------------------------------------------

def test_a_wrong_number_is_not_called_off_by_a_factor():
    report = grade("cosine_similarity", src("""
        def cosine_similarity(a, b):
            return 1 - float(a @ b / (np.sqrt(a @ a) * np.sqrt(b @ b)))"""), seed=4)
    assert not report.correct and "factor" not in report.diagnosis, report.diagnosis


def test_a_telling_factor_of_a_number_is_named():
    report = grade("mse", src("""
        def mse(X, y, theta):
            r = np.c_[np.ones(len(X)), X] @ theta - y
            return float(r @ r / (len(y) - 1))"""), seed=4)
    assert "Off by a factor" in report.diagnosis, report.text()


# --- 1.5: transpose by einsum is a shortcut, as A.T is ---------------------------------------------

@pytest.mark.parametrize("body", ['np.einsum("ij->ji", A).copy()', "np.linalg.matrix_transpose(A).copy()"])
def test_transpose_by_einsum_is_forbidden(body):
    report = grade("transpose", src(f"def transpose(A):\n    return {body}"))
    assert report.score == 0 and report.forbidden, report.text()


# --- 2.4: y or θ as a column is diagnosed in the gradient exercises --------------------------------

STEPS = {
    "mse_gradient": ("X, y, theta", "return 2 / len(y) * X.T @ (X @ theta - y)"),
    "gd_step": ("X, y, theta, eta", "return theta - eta * 2 / len(y) * X.T @ (X @ theta - y)"),
    "batch_gd": ("X, y, theta, eta, epochs", """
        for _ in range(epochs):
            theta = theta - eta * 2 / len(y) * X.T @ (X @ theta - y)
        return theta"""),
    "sgd_epoch": ("X, y, theta, eta, order", """
        for i in order:
            theta = theta - eta * 2 * X[i] * (X[i] @ theta - y[i])
        return theta"""),
    "minibatch_epoch": ("X, y, theta, eta, batch_size, order", """
        for k in range(0, len(order), batch_size):
            b = order[k:k + batch_size]
            theta = theta - eta * 2 / len(b) * X[b].T @ (X[b] @ theta - y[b])
        return theta"""),
}
COLUMNS = [(name, which) for name in STEPS for which in ("y", "theta")
           if (name, which) != ("sgd_epoch", "y")]        # y[i] of a column y is (1,): still right


@pytest.mark.parametrize("name,which", COLUMNS, ids=[f"{n}-{w}" for n, w in COLUMNS])
def test_y_or_theta_made_a_column_is_diagnosed(name, which):
    args, body = STEPS[name]
    lines = [f"def {name}({args}):", f"    {which} = {which}.reshape(-1, 1)"]
    lines += ["    " + line for line in textwrap.dedent(body).strip().splitlines()]
    report = grade(name, src("\n".join(lines)))
    assert not report.correct and "became a" in report.diagnosis and "column" in report.diagnosis, report.text()


# --- 1.6: a Python list where the docstring promises an array is not correct -----------------------

def test_returning_a_list_of_the_right_values_fails_with_the_reason():
    report = grade("unit_vector", src("""
        def unit_vector(v):
            length = np.sqrt(np.sum(v * v))
            return [x / length for x in v]"""), seed=4)
    assert not report.correct, report.text()
    assert "Python list" in report.first_failure.problem and "np.ndarray" in report.diagnosis


# --- 3.1, 3.2, 3.3, 2.3: diagnoses that fit ----------------------------------------------------------

def test_with_no_mistake_recognised_the_exercise_hint_is_given():
    from grader.code import exercise

    report = grade("matmul", src("""
        def matmul(A, B):
            C = np.zeros((A.shape[0], B.shape[1]), dtype=A.dtype)
            for i in range(A.shape[0]):
                for j in range(B.shape[1]):
                    for k in range(len(A)):            # A's rows, not its columns
                        C[i, j] += A[i, k] * B[k, j]
            return C"""), seed=3)
    assert not report.correct and report.diagnosis == exercise("matmul").hint, report.text()


def test_exiting_gets_no_exercise_hint_as_if_it_were_a_mistake():
    report = grade("gd_step", src("import sys\ndef gd_step(X, y, theta, eta):\n    sys.exit(1)"))
    assert "sys.exit()" in report.first_failure.problem and report.diagnosis == "", report.diagnosis


def test_multiplying_x_by_the_residuals_entrywise_is_named_in_the_broadcast_error():
    report = grade("gd_step", src("""
        def gd_step(X, y, theta, eta):
            return theta - eta * 2 / len(y) * X * (X @ theta - y)"""))
    assert "could not be broadcast" in report.first_failure.problem and "X.T @ r" in report.diagnosis


def test_returning_v_itself_is_named():
    report = grade("unit_vector", src("def unit_vector(v):\n    return v.copy()"), seed=4)
    assert "returned v itself" in report.diagnosis, report.diagnosis


def test_an_all_zero_result_points_at_integer_division():
    report = grade("mse_gradient", src("""
        def mse_gradient(X, y, theta):
            return 2 // len(y) * X.T @ (X @ theta - y)"""), seed=6)
    assert "all zeros" in report.diagnosis and "2 // m" in report.diagnosis, report.text()


def test_the_dtype_advice_names_the_argument_and_the_likely_cause():
    report = grade("unit_vector", src("""
        def unit_vector(v):
            v = np.array(v, dtype=float)
            return v / np.sqrt(np.sum(v * v))"""), seed=4)
    assert report.failed == "float32" and "dtype=v.dtype" in report.diagnosis, report.diagnosis
    assert "X.dtype" not in report.diagnosis and "np.array(..., dtype=float)" in report.diagnosis


def test_a_warning_is_shown_as_printed_or_warned():
    report = grade("mse", src("""
        def mse(X, y, theta):
            r = np.c_[np.ones(len(X)), X] @ theta - y
            return float(r @ r / np.float64(len(y) - 1))"""), seed=4)
    assert "RuntimeWarning" in report.output and "Your code printed or warned" in report.text()


def test_the_numpy_view_row_swap_gets_its_own_diagnosis():
    report = grade("gauss_jordan_inverse", src(GAUSS_JORDAN.replace("M[[j, p]] = M[[p, j]]",
                                                                    "M[j], M[p] = M[p], M[j]")), seed=5)
    assert not report.correct and "M[[j, p]] = M[[p, j]]" in report.diagnosis, report.text()
    assert "No row swaps" not in report.diagnosis
