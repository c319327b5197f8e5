"""What can be told from a solution's text alone, without running it: does it parse, does it define
the function, and does it call what the exercise asks the learner to do without."""
from __future__ import annotations

import ast
from dataclasses import dataclass

from grader.code.exercise import Exercise

# Libraries that would do the exercise for the learner, or read the answers: never in any exercise.
BANNED_MODULES = {
    "sklearn": "scikit-learn does the exercise for you", "scipy": "SciPy does the exercise for you",
    "torch": "write it in NumPy", "tensorflow": "write it in NumPy", "jax": "write it in NumPy",
    "cupy": "write it in NumPy", "sympy": "write it in NumPy", "statsmodels": "write it in NumPy",
    "grader": "that is the grader's own answer", "drills": "that is the grader's own answer",
}


class NotReadable(ValueError):
    """The text is no Python, or defines no function of the exercise's name."""


@dataclass(frozen=True)
class Finding:
    line: int
    what: str            # "np.linalg.lstsq", "import scipy", "@"
    why: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.what} — {self.why}"


def parse(source: str, exercise: Exercise, filename: str = "<solution>") -> ast.Module:
    """The module's syntax tree; NotReadable when it does not parse or lacks the function."""
    try:
        tree = ast.parse(source, filename)
    except SyntaxError as err:
        where = f"line {err.lineno}: " if err.lineno else ""
        text = f" ({err.text.strip()})" if err.text and err.text.strip() else ""
        raise NotReadable(f"it is not valid Python: {where}{err.msg}{text}") from None
    except (ValueError, MemoryError, RecursionError) as err:   # NUL bytes, absurd nesting
        raise NotReadable(f"it is not valid Python: {err}") from None
    if not _defines(tree, exercise.name):
        defined = sorted(n.name for n in tree.body if isinstance(n, ast.FunctionDef))
        also = f" (it defines {', '.join(defined)})" if defined else ""
        raise NotReadable(f"it defines no function named {exercise.name}{also}; "
                          f"write def {exercise.signature}: at the top level")
    return tree


def _defines(tree: ast.Module, name: str) -> bool:
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            return True
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return True
    return False


def arity_problem(tree: ast.Module, exercise: Exercise) -> str:
    """Why the learner's def cannot be called with the exercise's arguments, or ''."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == exercise.name:
            a = node.args
            positional = len(a.posonlyargs) + len(a.args)
            required = positional - len(a.defaults)
            n = len(exercise.args)
            if (positional < n and a.vararg is None) or required > n:
                theirs = ", ".join(x.arg for x in a.posonlyargs + a.args)
                return (f"{exercise.name} is called as {exercise.signature}, but yours takes "
                        f"({theirs})")
    return ""


def forbidden_calls(tree: ast.Module, exercise: Exercise) -> list[Finding]:
    """Every use of a name the exercise forbids, and every import of a banned library."""
    names = {name: rule.why for rule in exercise.forbidden for name in rule.names}
    found: list[Finding] = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.Attribute) and node.attr in names:
            found.append(Finding(line, _dotted(node), names[node.attr]))
        elif isinstance(node, (ast.BinOp, ast.AugAssign)) and isinstance(node.op, ast.MatMult) and "@" in names:
            found.append(Finding(line, "the @ operator", names["@"]))
        elif isinstance(node, ast.Import):
            for alias in node.names:
                found += _banned(line, alias.name, f"import {alias.name}")
        elif isinstance(node, ast.ImportFrom):
            found += _banned(line, node.module or "", f"from {node.module} import …")
            for alias in node.names:
                if alias.name in names:
                    found.append(Finding(line, f"from {node.module} import {alias.name}", names[alias.name]))
        elif isinstance(node, ast.Call) and _called(node) in ("getattr", "__import__", "import_module"):
            for arg in node.args[:2]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    if arg.value in names:
                        found.append(Finding(line, f"{_called(node)}(…, {arg.value!r})", names[arg.value]))
                    found += _banned(line, arg.value, f"{_called(node)}({arg.value!r})")
    return sorted(set(found), key=lambda f: (f.line, f.what))


def _banned(line: int, module: str, what: str) -> list[Finding]:
    top = module.split(".")[0]
    return [Finding(line, what, BANNED_MODULES[top])] if top in BANNED_MODULES else []


def _called(node: ast.Call) -> str:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
    else:
        parts.append("…")
    return ".".join(reversed(parts))
