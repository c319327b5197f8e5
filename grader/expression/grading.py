"""Grade an expression part: read it, decide equivalence, and say what went wrong."""
from __future__ import annotations

import re
from fractions import Fraction
from functools import lru_cache, partial

from grader.diagnose import SIGN_FLIPPED, is_rounding
from grader.expression.equivalence import Outcome, compare, sample
from grader.expression.syntax import read_expression
from grader.expression.tree import Expr, Undefined, add, mul, neg, num, sym
from grader.parse import AnswerError, clip
from grader.reference import polynomial as poly
from grader.spec import Part, PartVerdict


def grade_expression(part: Part, text: str) -> PartVerdict:
    expected = _reference(part.answer, frozenset(part.variables))
    allowed = frozenset(part.variables) or expected.names()
    try:
        given = read_expression(text, allowed)
    except AnswerError as err:
        return PartVerdict.unreadable(part, err)
    if unknown := sorted(given.names() - allowed):      # X for x: a slip to point out, not a wrong answer
        return PartVerdict(part.key, 0.0, f"Could not read your answer: {', '.join(unknown)} "
                           f"{'is' if len(unknown) == 1 else 'are'} not in this problem; "
                           f"use {', '.join(sorted(allowed)) or 'numbers only'}.", readable=False)
    outcome = compare(given, expected)
    if outcome is Outcome.EQUAL:
        return PartVerdict(part.key, 1.0, "Correct.")
    if outcome is Outcome.UNDECIDED:
        return PartVerdict(part.key, 0.0, f"Could not decide whether {_shown(given)} equals the expected "
                           "answer; it may be right. Try writing it expanded, or ask your teacher.",
                           decided=False)
    diagnosis = diagnose(given, expected, part, allowed, decimals="." in text)
    return PartVerdict(part.key, 0.0, f"Not correct (read as {_shown(given)}).", diagnosis,
                       ask_again=diagnosis is ROUNDED)


def _shown(given: Expr) -> str:
    """How an answer was read, clipped: enough to see a misreading, never a page of it."""
    return clip(str(given), 60)


ROUNDED = "Close, but rounded: give exact coefficients, as fractions such as 8/3, not decimals."


@lru_cache(maxsize=1024)
def _reference(text: str, variables: frozenset[str]) -> Expr:
    """A part's answer or anticipated mistake, read once: every answer to the part meets it."""
    return read_expression(text, variables)


def diagnose(given: Expr, expected: Expr, part: Part, allowed: frozenset[str], decimals: bool = True) -> str:
    """The first explanation that holds: a listed mistake, or a generic one ('rounded' only for
    an answer typed with `decimals`: 2*sqrt(x^2) is near 2x only where x > 0, as sampled)."""
    for mistake in part.mistakes:
        if sample(given, _reference(mistake.answer, allowed)) is Outcome.EQUAL:
            return mistake.message
    missing = partial(missing_factor, wrt=differentiated(part.label))
    for detect in (sign_flipped, scaled, missing, shifted) + ((rounded,) if decimals else ()):
        if message := detect(given, expected):
            return message
    return terms_apart(given, expected, tuple(sorted(allowed)))


def sign_flipped(given: Expr, expected: Expr) -> str:
    if sample(given, neg(expected)) is Outcome.EQUAL:
        return SIGN_FLIPPED
    return ""


def scaled(given: Expr, expected: Expr) -> str:
    k = _ratio(given, expected)
    if k is None or k in (0, 1, -1) or sample(given, mul(num(k), expected)) is not Outcome.EQUAL:
        return ""
    hint = " (a missing factor 2?)" if k == Fraction(1, 2) else ""
    return f"Off by a constant factor: your answer is {k} times the right one{hint}."


def missing_factor(given: Expr, expected: Expr, wrt: str = "") -> str:
    """expected = c·v·given for a variable v. Differentiating in `wrt` (when the label says so),
    v = wrt is a power-rule slip (x³ to 3x) and another v a constant factor dropped; the chain
    rule's own slips are the topics' listed mistakes."""
    for name in sorted(expected.names()):
        k = _ratio(mul(given, sym(name)), expected)
        if k is not None and k != 0 and sample(mul(num(k), sym(name), given), expected) is Outcome.EQUAL:
            factor = name if k == 1 else f"-{name}" if k == -1 else f"{k}*{name}"
            if name == wrt:
                return f"A factor {factor} is missing: the derivative of {name}^k is k·{name}^(k−1)."
            if wrt in expected.names():
                return f"A factor {factor} is missing: {name} is a constant here, and a constant factor stays."
            return f"A factor {factor} is missing."
    return ""


# what a label says is differentiated: ∂f/∂w, ∂u₁/∂w, df/dx, f'(x)
_WRT = re.compile(r"(?:∂|\bd)[^/=]*/\s*[∂d]\s*([^\W\d_]\w*)|['’′]\s*\(\s*([^\W\d_]\w*)\s*\)")


def differentiated(label: str) -> str:
    """The variable a part's label differentiates in, or ''."""
    match = _WRT.search(label)
    return (match[1] or match[2]) if match else ""


def shifted(given: Expr, expected: Expr) -> str:
    c = _ratio(add(given, neg(expected)), num(1))
    if c is None or c == 0 or sample(given, add(expected, num(c))) is not Outcome.EQUAL:
        return ""
    return f"Off by a constant: your answer is {abs(c)} {'more' if c > 0 else 'less'} than the right one."


def terms_apart(given: Expr, expected: Expr, order: tuple[str, ...] = ()) -> str:
    """Polynomials apart in one or two terms: each left out, one too many, or its coefficient off
    (three or more apart say little the learner can act on)."""
    try:
        g, e = poly.from_expr(given), poly.from_expr(expected)
    except (poly.NotPolynomial, ArithmeticError, ValueError):     # too many terms, too large
        return ""
    apart = poly.ordered({m: 1 for m in g.keys() | e.keys() if g.get(m, 0) != e.get(m, 0)}, order)
    said = [_term_apart(m, g, e, order) for m in apart]
    if len(said) == 1:
        return said[0][0].upper() + said[0][1:] + "."
    return f"Two terms are off: {said[0]}, and {said[1]}." if len(said) == 2 else ""


def _term_apart(m, g: dict, e: dict, order: tuple[str, ...]) -> str:
    if m not in g:
        return f"the term {poly.to_text({m: e[m]}, order, '')} is missing"
    if m not in e:
        return f"the term {poly.to_text({m: g[m]}, order, '')} should not be there"
    return f"the coefficient of {poly.to_text({m: 1}, order, '')} is wrong" if m else "the constant term is wrong"


def rounded(given: Expr, expected: Expr) -> str:
    """Polynomials whose every wrong coefficient is the exact one rounded to the decimals it is
    typed with (2.666 or 2.67 for 8/3; never 2.01 for 2)."""
    try:
        g, e = poly.from_expr(given), poly.from_expr(expected)
    except (poly.NotPolynomial, ArithmeticError, ValueError):
        return ""
    apart = [m for m in g.keys() | e.keys() if g.get(m, 0) != e.get(m, 0)]
    return ROUNDED if apart and all(is_rounding(g.get(m, 0), e.get(m, 0)) for m in apart) else ""


def _ratio(a: Expr, b: Expr) -> Fraction | None:
    """a/b at one defined point, as a simple fraction, to be verified by sampling."""
    for x, y in _values(a, b, 11):
        if y != 0:
            ratio = x / y if isinstance(x, Fraction) and isinstance(y, Fraction) else float(x) / float(y)
            return ratio if isinstance(ratio, Fraction) else Fraction(ratio).limit_denominator(1000)
    return None


def _values(a: Expr, b: Expr, tries: int):
    """(a, b) at up to `tries` fixed points (thirds, one variable apart), where both are defined."""
    names = sorted(a.names() | b.names())
    for attempt in range(1, tries + 1):
        point = {n: Fraction(attempt + 2 * i, 3) for i, n in enumerate(names)}
        try:
            yield a.evaluate(point), b.evaluate(point)
        except (Undefined, ArithmeticError, ValueError):
            continue
