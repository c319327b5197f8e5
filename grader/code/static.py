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
    """Every use of a name the exercise forbids, and every import of a banned library, in what the
    exercise's function can reach: its own definition and the module-level names it uses, transitively."""
    reached, _ = _split(tree, exercise.name)
    return _findings(reached, exercise)


def unreached_calls(tree: ast.Module, exercise: Exercise) -> list[Finding]:
    """The same uses outside what the function can reach (a self-test, an unused helper): not graded."""
    _, rest = _split(tree, exercise.name)
    return _findings(rest, exercise)


def _findings(nodes: list[ast.AST], exercise: Exercise) -> list[Finding]:
    names = {name: rule.why for rule in exercise.forbidden for name in rule.names}
    found: list[Finding] = []
    for node in (n for top in nodes for n in ast.walk(top)):
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


def _split(tree: ast.Module, name: str) -> tuple[list[ast.stmt], list[ast.stmt]]:
    """The module's statements the function `name` can reach, and the others. Self-tests are not
    reached: what runs under `if __name__ == "__main__":`, and asserts. A def, a class or an import
    is reached once reached code names what it binds, starting from `name`. Every other statement
    runs when the file is imported for grading, so it is reached."""
    statements = list(_module_level(tree.body))
    waiting = [s for s in statements if isinstance(s, _NAMED)]
    reached = [s for s in statements if not isinstance(s, _NAMED) and not _self_test(s)]
    wanted = {name}.union(*(_uses(s) for s in reached))
    while more := [s for s in waiting if _bound(s) & wanted]:
        waiting = [s for s in waiting if not _bound(s) & wanted]
        reached += more
        wanted = wanted.union(*(_uses(s) for s in more))
    return reached, waiting + [s for s in statements if _self_test(s)]


_NAMED = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Import, ast.ImportFrom)


def _self_test(s: ast.stmt) -> bool:
    """A `__main__` block, or an assert that binds nothing (no `:=`)."""
    if isinstance(s, ast.If):
        return _is_main_test(s.test)
    return isinstance(s, ast.Assert) and not any(isinstance(n, ast.NamedExpr) for n in ast.walk(s))


def _uses(node: ast.AST) -> set[str]:
    """The global names a statement reads; a function's own parameters and locals are not."""
    if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
        return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}
    args = node.args
    outside = [*args.defaults, *(d for d in args.kw_defaults if d is not None),
               *getattr(node, "decorator_list", [])]
    inside = [node.body] if isinstance(node, ast.Lambda) else node.body
    names = {n for stmt in inside for n in _uses(stmt)}     # nested defs: their free names
    local = {a.arg for a in (*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg) if a}
    for stmt in inside:
        for n in ast.walk(stmt):
            if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store):
                local.add(n.id)
            elif isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                local.add(n.name)
            elif isinstance(n, (ast.Import, ast.ImportFrom)):
                local |= _bound(n)
    declared = {g for n in ast.walk(node) if isinstance(n, (ast.Global, ast.Nonlocal)) for g in n.names}
    return (names - local) | declared | {n for e in outside for n in _uses(e)}


def _module_level(body: list[ast.stmt]):
    """Module-level simple statements and definitions, looking inside if/for/while/with/try blocks
    (`try: from numpy.linalg import inv …` binds a module name too), except a `__main__` block."""
    for s in body:
        if isinstance(s, ast.If) and _is_main_test(s.test):
            yield s                                  # reached by no name: never graded
        elif isinstance(s, (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try)) \
                or type(s).__name__ == "TryStar":
            header = [e for e in (getattr(s, "test", None), getattr(s, "iter", None)) if e is not None]
            header += [i.context_expr for i in getattr(s, "items", [])]
            yield from (ast.Expr(e, lineno=s.lineno, col_offset=0) for e in header)
            for field in ("body", "orelse", "finalbody"):
                yield from _module_level(getattr(s, field, []))
            for handler in getattr(s, "handlers", []):
                yield from _module_level(handler.body)
        else:
            yield s


def _is_main_test(test: ast.expr) -> bool:
    names = {n.id for n in ast.walk(test) if isinstance(n, ast.Name)}
    texts = {n.value for n in ast.walk(test) if isinstance(n, ast.Constant)}
    return names == {"__name__"} and "__main__" in texts


def _bound(s: ast.stmt) -> set[str]:
    """The module-level names a statement binds or changes."""
    if isinstance(s, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {s.name}
    if isinstance(s, ast.Import):
        return {(a.asname or a.name).split(".")[0] for a in s.names}
    if isinstance(s, ast.ImportFrom):
        return {a.asname or a.name for a in s.names}
    targets = s.targets if isinstance(s, (ast.Assign, ast.Delete)) \
        else [s.target] if isinstance(s, (ast.AugAssign, ast.AnnAssign)) else []
    return {_root(t) for target in targets for t in _flat(target)} - {""}


def _flat(target: ast.expr):
    if isinstance(target, (ast.Tuple, ast.List)):
        for t in target.elts:
            yield from _flat(t)
    else:
        yield target.value if isinstance(target, ast.Starred) else target


def _root(node: ast.expr) -> str:
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else ""


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
