"""The slow, sure path: SymPy, imported only here, under a deadline."""
from __future__ import annotations

import signal
import threading
from contextlib import contextmanager

from grader.expression.equivalence import Outcome
from grader.expression.tree import Expr


class _Late(Exception):
    pass


def confirm(a: Expr, b: Expr, seconds: float) -> Outcome:
    """EQUAL when SymPy simplifies a − b to 0, DIFFERENT when to a non-zero number, else UNDECIDED."""
    import sympy                               # once per process; not charged to the check

    try:
        with deadline(seconds):
            difference = to_sympy(a, sympy) - to_sympy(b, sympy)
            for simplify in (sympy.expand, sympy.cancel, sympy.simplify):
                difference = simplify(difference)
                if difference == 0:
                    return Outcome.EQUAL
            if difference.is_number and difference.is_zero is False:
                return Outcome.DIFFERENT
    except (_Late, RecursionError, MemoryError):
        pass
    except Exception:                         # SymPy gives up in its own ways: still undecided
        pass
    return Outcome.UNDECIDED


@contextmanager
def deadline(seconds: float):
    """Interrupt the block after `seconds`, by SIGALRM. Only the main thread takes signals: in
    another thread (or without setitimer) the block runs to its end, with no time limit."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def late(signum, frame):
        raise _Late

    previous = signal.signal(signal.SIGALRM, late)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def to_sympy(node: Expr, sympy):
    """The same expression in SymPy, every variable real."""
    op, args = node.op, node.args
    if op == "num":
        return sympy.Rational(args[0].numerator, args[0].denominator)
    if op == "sym":
        return sympy.Symbol(args[0], real=True)
    if op == "const":
        return {"e": sympy.E, "pi": sympy.pi}[args[0]]
    if op == "fn":
        name = {"abs": "Abs"}.get(args[0], args[0])
        return getattr(sympy, name)(to_sympy(args[1], sympy))
    children = [to_sympy(c, sympy) for c in args]
    if op == "add":
        return sympy.Add(*children)
    if op == "mul":
        return sympy.Mul(*children)
    if op == "neg":
        return -children[0]
    if op == "inv":
        return 1 / children[0]
    return sympy.Pow(*children)
