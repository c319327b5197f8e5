"""Gradient descent: steps x ← x − η·f'(x) on a polynomial, whether a learning rate makes it
converge, oscillate or diverge on a parabola, and one batch step of linear regression (MSE)."""
from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable
from fractions import Fraction
from functools import lru_cache

from drills.errors import DrillsError
from drills.notation import Dot, subscript
from drills.topics import Draft, part
from drills.topics import params as read
from drills.topics.data import features, learning_rate, parameters, targets
from drills.topics.draw import int_vector, pick
from grader.reference import polynomial as poly
from grader.reference.rational import transpose
from grader.spec import Kind
from grader.values import to_text

ASKS = ("steps", "step-size")
VERDICTS = ("converges", "oscillates", "diverges")
MAX_STEPS, MAX_DEGREE, MAX_FEATURES = 5, 4, 3
TOO_BIG = 10**9          # iterates past this are no longer hand work
ETAS = ("1/10", "1/8", "1/6", "1/5", "1/4", "1/3", "1/2")
REGRESSION_ETAS = ETAS[:5]        # with m = 3 or 4 instances, η·2/m keeps a small denominator
COUNTS = {"square": (2, 3), "vertex": (1, 2, 3), "general": (1, 2), "cubic": (1, 2), "quartic": (1, 2)}
# The cubics and quartics, with their coefficients (constant first) for a quick look at a draw:
# each has a minimum, and its derivative has whole or half coefficients. Many of them, as only a
# few starts and learning rates keep two steps on one hand-sized
_T, _Q, _H = Fraction(1, 3), Fraction(1, 4), Fraction(1, 2)
CUBICS = {"x^3/3 - x": (0, -1, 0, _T), "x^3/3 - 4x": (0, -4, 0, _T), "x^3/3 - 9x": (0, -9, 0, _T),
          "x^3 - 3x": (0, -3, 0, 1), "x^3/3 - x^2": (0, 0, -1, _T), "x^3/3 + x^2": (0, 0, 1, _T),
          "x^3/3 - x^2 - 3x": (0, -3, -1, _T), "x^3/3 + x^2 - 8x": (0, -8, 1, _T),
          "x^3/3 - 2x^2 + 3x": (0, 3, -2, _T), "x^3/3 + 2x^2 + 3x": (0, 3, 2, _T)}
QUARTICS = {"x^4/4": (0, 0, 0, 0, _Q), "x^4/4 - 2x^2": (0, 0, -2, 0, _Q), "x^4/4 - x^2/2": (0, 0, -_H, 0, _Q),
            "x^4/4 + x^2/2": (0, 0, _H, 0, _Q), "x^4/4 + x^2": (0, 0, 1, 0, _Q), "x^4/4 - x^3/3": (0, 0, 0, -_T, _Q),
            "x^4/4 + x^3/3": (0, 0, 0, _T, _Q), "x^4/4 - 2x": (0, -2, 0, 0, _Q), "x^4/4 - 4x": (0, -4, 0, 0, _Q),
            "x^4/4 + 4x": (0, 4, 0, 0, _Q), "x^4/4 + x^2/2 - 2x": (0, -2, _H, 0, _Q)}
_CUBIC_TEXTS, _QUARTIC_TEXTS = tuple(CUBICS), tuple(QUARTICS)
# The factor r = 1 − 2aη on x − c, by what it makes gradient descent do.
RATIOS = {verdict: tuple(map(Fraction, ratios)) for verdict, ratios in {
    "converges": ("1/2", "1/3", "2/3", "3/4", "1/4"), "oscillates": ("-1/2", "-1/3", "-2/3", "-1", "-1/4"),
    "diverges": ("-2", "-3/2", "-3", "-5/2")}.items()}
# a in a(x − c)² + d, for steps on a vertex form and for the step size on a parabola: whole
# ones as ints, whose arithmetic is many times faster than Fraction's
VERTEX_A, PARABOLA_A = (1, 2, 3, Fraction(1, 2)), (1, 2, 3, 4, Fraction(1, 2))
SQUARE_A = (1, 2, Fraction(1, 2))         # ax²: x² itself, and two more, so that x² is not every eighth f


# --- sampling ----------------------------------------------------------------------------------

# A class's worksheet variants share a problem's first three draws: steps, step size or a
# regression, then the kind of function, then how many steps
FORM_DRAWS = 3


def sample_params(rng, level: str) -> dict:
    return sample(rng, level).params


def sample(rng, level: str) -> Draft:
    """A fresh problem: params redrawn until every answer is hand-sized and each step goes
    downhill, screened in ints; only the params kept are built into a Draft."""
    variant = pick(rng, ("steps", "steps", "step-size", "regression"))
    if variant == "steps":
        family = pick(rng, ("square", "vertex", "vertex", "general", "cubic", "quartic"))
        count = pick(rng, COUNTS[family])

        def draw():
            text, x0, coefficients = _function(rng, family)
            eta = pick(rng, ETAS)
            if not _promising_steps(coefficients, x0, eta, count):
                return None, coefficients, False
            return {"f": text(), "x0": x0, "eta": eta, "steps": count}, coefficients, True
    elif variant == "step-size":
        verdict = pick(rng, VERDICTS)
        draw = lambda: _parabola_params(rng, verdict)
    else:
        m = pick(rng, (3, 4))         # m ≥ 3: with m = 2 the factor 2/m is 1, and leaving it out goes unseen
        draw = lambda: (params := _regression_params(rng, m), None, _promising_regression(params))
    while True:      # redraw until every answer is hand-sized and each step goes downhill near a minimum
        # promising: that check, worked out in ints before any Draft is built; a drawn f with its
        # coefficients needs no parsing: its text reads back as them, and as _shown says (tested)
        params, coefficients, promising = draw()
        if promising:
            return _drawn_regression(params) if coefficients is None else _drawn_function(params, coefficients)


def _polynomial(coefficients: tuple) -> poly.Poly:
    """The polynomial in x with these coefficients (constant first), as read_function gives it."""
    return dict(_polynomial_terms(coefficients)[0])


@lru_cache(maxsize=1024)             # some 700 functions can be drawn
def _polynomial_terms(coefficients: tuple) -> tuple[tuple, tuple]:
    """The terms of _polynomial(coefficients) and of its derivative."""
    f = tuple(((("x", e),) if e else (), Fraction(c)) for e, c in reversed(list(enumerate(coefficients))) if c)
    return f, tuple(poly.diff(dict(f), "x").items())


@lru_cache(maxsize=8192)             # the same few (f, x₀, η) come back again and again
def _promising_steps(coefficients: tuple, x0: int, eta: str, count: int) -> bool:
    """Steps on f (its coefficients, constant first): the slopes and iterates are hand-sized, and
    each step goes downhill where f'' > 0. Worked out in ints, as (numerator, denominator) pairs."""
    f, df, d2f = _calculus(coefficients)
    p, q = _ETA_RATIOS[eta]
    xs = [(x0, 1)]
    for _ in range(count):
        n, d = xs[-1]
        s, t = _ratio(df, n, d)
        n, d = n * q * t - p * s * d, d * q * t            # x − η·f'(x)
        if not (_nice_ratio(n, d) and _nice_ratio(s, t)):  # most draws stop here
            return False
        g = math.gcd(n, d)
        xs.append((n // g, d // g))
    return all(_ratio(d2f, n, d)[0] > 0 for n, d in xs) and not _rises([_ratio(f, n, d) for n, d in xs])


_ETA_RATIOS = {eta: Fraction(eta).as_integer_ratio() for eta in ETAS}


@lru_cache(maxsize=1024)
def _calculus(coefficients: tuple) -> tuple[tuple, tuple, tuple]:
    """f, f' and f'' for f's coefficients (constant first), as _ratio reads them (the power rule on
    the terms: a coefficient need not be in lowest terms)."""
    f = tuple((e, c.numerator, c.denominator) for e, c in enumerate(coefficients) if c)
    df = tuple((e - 1, e * n, d) for e, n, d in f if e)
    return f, df, tuple((e - 1, e * n, d) for e, n, d in df if e)


def _promising_regression(params: dict) -> bool:
    """A batch step on the drawn (whole-number) data: the residuals, the gradient and θ after it
    are hand-sized."""
    Xb, theta, m = [[1, *row] for row in params["X"]], params["theta"], len(params["X"])
    r = [p - t for p, t in zip(read.plain_matvec(Xb, theta), params["y"])]
    grad = [2 * v for v in read.plain_matvec(transpose(Xb), r)]      # m·∇MSE, so ∇MSE = grad/m; and η = p/q
    p, q = _ETA_RATIOS[params["eta"]]
    return (all(_nice(v) for v in r) and all(_nice_ratio(g, m) for g in grad)
            and all(_nice_ratio(t * m * q - g * p, m * q) for t, g in zip(theta, grad)))


def _function(rng, family: str) -> tuple[Callable[[], str], int, tuple]:
    """f's text (as a function: most draws are dropped before it is read), x₀ for a family, and
    the coefficients of f, constant first."""
    if family == "square":
        a = pick(rng, SQUARE_A)
        return (lambda: _vertex(a, 0, 0)), rng.integers(-6, 7), (0, 0, a)
    if family == "cubic":
        f = pick(rng, _CUBIC_TEXTS)
        return (lambda: f), rng.integers(0, 6), CUBICS[f]
    if family == "quartic":
        f = pick(rng, _QUARTIC_TEXTS)
        return (lambda: f), rng.integers(-4, 5), QUARTICS[f]
    c, d = rng.integers(-4, 5), rng.integers(-3, 4)
    if family == "vertex":
        a = pick(rng, VERTEX_A)
        return (lambda: _vertex(a, c, d)), c + rng.integers(-5, 6), (a * c * c + d, -2 * a * c, a)
    a = pick(rng, (1, 2, 3))
    coefficients = (d, 2 * c + 1, a)
    return (lambda: _polynomial_text(coefficients)), rng.integers(-5, 6), coefficients


def _parabola_params(rng, verdict: str) -> tuple[dict, tuple, bool]:
    """Step-size params on a parabola a(x − c)² + d, its coefficients (constant first), and
    whether every iterate is hand-sized (r, picked so, always is)."""
    a, c, d = pick(rng, PARABOLA_A), rng.integers(-3, 4), rng.integers(-3, 4)
    f = _vertex(a, c, d) if rng.random() < 0.5 else _expanded(a, c, d)
    offset, r, count = pick(rng, (-4, -3, -2, -1, 1, 2, 3, 4)), pick(rng, RATIOS[verdict]), pick(rng, (1, 2))
    (p, q), (an, ad) = r.as_integer_ratio(), a.as_integer_ratio()
    params = {"f": f, "x0": c + offset, "eta": str(Fraction((q - p) * ad, 2 * q * an)),     # (1 − r)/(2a)
              "steps": count, "ask": "step-size"}
    # x_k − c = r^k·(x₀ − c)
    hand_sized = all(_nice_ratio(p**k * offset + c * q**k, q**k) for k in range(1, count + 1))
    return params, (a * c * c + d, -2 * a * c, a), hand_sized


def _shown(f: str) -> str:
    """A drawn f as reading it displays it: the same text, but for half a square written out,
    (1/2)x^2, which displays as 1/2*x^2."""
    return "1/2*x^2" + f[len("(1/2)x^2"):] if f.startswith("(1/2)x^2") else f


def _expanded(a: Fraction, c: int, d: int) -> str:
    """a(x − c)² + d multiplied out, as people write it."""
    return _polynomial_text((a * c * c + d, -2 * a * c, a))


def _polynomial_text(coefficients: tuple) -> str:
    """The polynomial in x with these coefficients (constant first) as _text writes it, from
    the caches of both: a drawn f's text, without building it by poly's arithmetic."""
    return _terms_text(_polynomial_terms(coefficients)[0])


def _regression_params(rng, m: int) -> dict:
    xs = sorted(x - 2 for x in rng.choice(8, size=m))     # m distinct x from -2 to 5
    # the errors are the residuals, never 0 (a residual of 0 is not asked for)
    theta, errors = int_vector(rng, 2, -3, 3), int_vector(rng, m, -4, 4, nonzero=True)
    return {"X": [[x] for x in xs], "y": [theta[0] + theta[1] * x - e for x, e in zip(xs, errors)],
            "theta": theta, "eta": pick(rng, REGRESSION_ETAS)}


def _nice(value) -> bool:
    """Not 0, at most 200 in size, a denominator of at most 12."""
    return _nice_ratio(value.numerator, value.denominator)


def _nice_ratio(n: int, d: int) -> bool:
    """_nice(n/d) for ints n and d > 0, without making the Fraction."""
    return n != 0 and abs(n) <= 200 * d and d // math.gcd(n, d) <= 12


def _vertex(a: Fraction, c: int, d: int) -> str:
    """a(x − c)² + d as people write it."""
    inner = "x" if c == 0 else f"(x {'-' if c > 0 else '+'} {abs(c)})"
    body = f"{inner}^2" if a == 1 else f"{inner}^2/{a.denominator}" if a.numerator == 1 else f"{a}{inner}^2"
    return body + (f" {'+' if d > 0 else '-'} {abs(d)}" if d else "")


# --- reading params ----------------------------------------------------------------------------

def build(params: dict) -> Draft:
    if not isinstance(params, dict) or ("f" in params) == ("X" in params):
        raise DrillsError("params need either 'f' (a polynomial in x, with 'x0', 'eta', 'steps') "
                          "or 'X', 'y', 'theta', 'eta' (a step of linear regression)")
    if "X" in params:
        return _regression(params)
    read.only(params, {"f", "x0", "eta", "steps", "ask"}, {"f", "x0", "eta"})
    return _function_draft(params, *read_function(params["f"]))


def _function_draft(params: dict, f: poly.Poly, shown: str) -> Draft:
    """Steps on f, or the step size on it; its other params are read here."""
    x0, eta = read.number(params["x0"], "x0"), learning_rate(params)
    ask = read.choice(params, "ask", ASKS, "steps")
    count = read.whole(params.get("steps", 1 if ask == "steps" else 2), "steps", 1, MAX_STEPS)
    normal = {"f": params["f"], "x0": params["x0"], "eta": params["eta"], "steps": count}
    if ask == "step-size":
        return _step_size({**normal, "ask": ask}, f, poly.diff(f, "x"), shown, x0, eta, count)
    return _steps(normal, f, poly.diff(f, "x"), shown, x0, eta, count)


def _drawn_function(params: dict, coefficients: tuple) -> Draft:
    """Steps or the step size on a drawn f, from its coefficients: params drawn by us need no reading."""
    (f, df), shown = map(dict, _polynomial_terms(coefficients)), _shown(params["f"])
    x0, eta, count = Fraction(params["x0"]), _eta(params["eta"]), params["steps"]
    if params.get("ask") == "step-size":
        return _step_size(params, f, df, shown, x0, eta, count)
    return _steps(params, f, df, shown, x0, eta, count)


@lru_cache(maxsize=128)              # the drawn η's: ETAS, and some 70 on parabolas
def _eta(text: str) -> Fraction:
    return Fraction(text)


_A_FUNCTION, _EXAMPLE = "a polynomial in x", '"x^2 - 4x + 1"'


def read_function(text) -> tuple[poly.Poly, str]:
    """f as an exact polynomial in x of degree 1 to MAX_DEGREE, and as people write it."""
    terms, shown = _read_function(read.formula(text, "f", _A_FUNCTION, _EXAMPLE))
    return dict(terms), shown


@lru_cache(maxsize=1024)             # sampling draws some 700 functions in all
def _read_function(text: str) -> tuple[tuple, str]:
    """read_function's parsing, remembered: sampling reads the same few functions again and again."""
    expr, f = read.polynomial(re.sub(r"^\s*f\s*\(\s*x\s*\)\s*=", "", text), "f", _A_FUNCTION, _EXAMPLE, ("x",))
    if others := sorted(poly.names(f) - {"x"}):
        raise DrillsError(f"param 'f' must be a function of x alone; it also uses {', '.join(others)}")
    if not 1 <= _degree(f) <= MAX_DEGREE:
        raise DrillsError(f"param 'f' has degree {_degree(f)}; use a polynomial in x of degree 1 to {MAX_DEGREE}")
    return tuple(f.items()), expr.display()


def _degree(f) -> int:
    return max((e for m in f for _, e in m), default=0)


# --- steps on a function -----------------------------------------------------------------------

def _steps(params, f, df, shown, x0, eta, count) -> Draft:
    xs = _descend(df, x0, eta, count)
    context = {"variant": "steps", "f": shown, "x0": x0, "eta": eta, "count": count}
    worked = lambda: {"df": _text(df), "terms": len(f), "iterates": _iterates(df, xs, eta), "climbs": _climbs(f, xs),
                      "chain": " > ".join(f"f(x_{k})" for k in range(count + 1))}
    blanks = lambda: [p for k in range(count)
                      for p in (_slope_part(k, xs, f, df, _text(df)), _step_part(k, xs, f, df, eta))]
    finals = [part(f"x{k}", Kind.NUMBER, xs[k], f"x{subscript(k)}, the point after step {k}",
                   "Each step: x ← x − η·f'(x), with f'(x) evaluated at the current point.",
                   lambda k=k: [*((_walk(x0, k, move)[k], message) for move, message in _moves(f, df, eta, x0)),
                                *_miscounted(xs, k)])
              for k in range(1, count + 1)]
    return Draft(params, context, blanks, finals, worked)


def _climbs(f, xs) -> list[str]:
    """The steps k after which f is not lower than before."""
    return _rises([_ratio_at(f, x) for x in xs])


def _rises(heights: list[tuple[int, int]]) -> list[str]:
    """The k where heights[k] is not below heights[k − 1], each (n, d) with d > 0: compared crosswise."""
    return [str(k) for k in range(1, len(heights))
            if heights[k][0] * heights[k - 1][1] >= heights[k - 1][0] * heights[k][1]]


def _moves(f, df, eta, x0) -> list:
    """Wrong steps x ↦ x', each with what to tell the learner who took it."""
    slope, slope0 = lambda x: _at(df, x), _at(df, x0)
    return [(lambda x: x + eta * slope(x), "You added η·f'(x); gradient descent subtracts it, stepping downhill."),
            (lambda x: x - slope(x), "You subtracted f'(x) itself; scale the slope by the learning rate η first."),
            (lambda x: x - eta * _at(f, x), "You stepped with f(x), the height; the step uses the slope f'(x)."),
            (lambda x: x - eta * slope0, "You re-used f'(x₀); evaluate the slope again at each new point.")]


def _walk(x0, count, move) -> list:
    """x₀ … x_count, each x ↦ move(x); None once past hand-sized numbers."""
    xs = [x0]
    for _ in range(count):
        xs.append(None if xs[-1] is None or _too_big(xs[-1]) else move(xs[-1]))
    return xs


def _descend(df, x0, eta, count) -> list[Fraction]:
    terms, p, q = _terms(df), eta.numerator, eta.denominator

    def step(x):
        """x − η·f'(x), worked out in ints: one Fraction made, not three."""
        s, t = _ratio(terms, x.numerator, x.denominator)
        return Fraction(x.numerator * q * t - p * s * x.denominator, x.denominator * q * t)

    xs = _walk(x0, count, step)
    if any(x is None or _too_big(x) for x in xs):
        raise DrillsError("the iterates grow too large to work by hand; "
                          "use a smaller eta, an x0 nearer the minimum or fewer steps")
    return xs


def _too_big(x: Fraction) -> bool:
    return max(abs(x.numerator), x.denominator) > TOO_BIG


def _iterates(df, xs, eta) -> list[dict]:
    terms = _terms(df)
    slopes = [Fraction(*_ratio(terms, x.numerator, x.denominator)) for x in xs]
    return [{"k": k, "n": k + 1, "x": xs[k], "g": slopes[k], "move": Dot(((eta, slopes[k]),)), "next": xs[k + 1]}
            for k in range(len(xs) - 1)]


def _slope_part(k, xs, f, df, df_text):
    i = subscript(k)
    return part(f"g{k}", Kind.NUMBER, _at(df, xs[k]), f"f'(x{i}), the slope at x{i}",
                f"Put x{i} into f'(x) = {df_text}.",
                [(_at(f, xs[k]), f"That is f(x{i}), the height; the step needs the slope f'(x{i})."),
                 (_at(df, xs[0]) if k else None, f"That is f'(x₀) again; evaluate f' at the current point x{i}."),
                 (_at(_no_power(f), xs[k]), POWER_RULE)])


def _step_part(k, xs, f, df, eta):
    i, j = subscript(k), subscript(k + 1)
    return part(f"x{k + 1}", Kind.NUMBER, xs[k + 1], f"x{j}, the point after step {k + 1}",
                f"x{j} = x{i} − η·f'(x{i}): subtract η times the slope at x{i}.",
                [*((move(xs[k]), message) for move, message in _moves(f, df, eta, xs[0])),
                 *_miscounted(xs, k + 1)])


def _miscounted(xs, k: int) -> list:
    """x_k's neighbours, each with what to tell the learner who gave it for x_k."""
    here = f"x{subscript(k)} is {k} step{'s' if k > 1 else ''} from x₀"
    return [(xs[k - 1], "That is x₀, the starting point: x₁ is one step from it." if k == 1 else
                        f"That is x{subscript(k - 1)}, one step too few: {here}."),
            (xs[k + 1] if k + 1 < len(xs) else None, f"That is x{subscript(k + 1)}, one step too many: {here}.")]


POWER_RULE = "Power rule: the derivative of xⁿ is n·xⁿ⁻¹; the exponent comes down as a factor."


def _no_power(f) -> poly.Poly:
    """The derivative without the exponent as a factor: the power-rule slip."""
    return {((("x", m[0][1] - 1),) if m[0][1] > 1 else ()): c for m, c in f.items() if m}


def _at(p, x) -> Fraction:
    return Fraction(*_ratio_at(p, x))


def _ratio_at(p, x) -> tuple[int, int]:
    """p(x) as (n, d), d > 0, not in lowest terms: summed in ints, where poly.evaluate makes a
    Fraction at every step."""
    return _ratio(_terms(p), x.numerator, x.denominator)


def _terms(p) -> tuple[tuple[int, int, int], ...]:
    """p's terms as (exponent, numerator, denominator) in ints."""
    return tuple((m[0][1] if m else 0, c.numerator, c.denominator) for m, c in p.items())


def _ratio(terms, n: int, d: int) -> tuple[int, int]:
    """The polynomial with these _terms at x = n/d (d > 0), as (numerator, denominator)."""
    num, den = 0, 1
    for e, cn, cd in terms:
        term_den = cd * d ** e
        num, den = num * term_den + cn * n ** e * den, den * term_den
    return num, den


def _text(p) -> str:
    return _terms_text(tuple(p.items()))


@lru_cache(maxsize=2048)             # the same few derivatives come back again and again
def _terms_text(terms: tuple) -> str:
    return poly.to_text(dict(terms), ("x",), "")


# --- the step size on a parabola ---------------------------------------------------------------

def _step_size(params, f, df, shown, x0, eta, count) -> Draft:
    a, b, constant = (f.get(m, Fraction(0)) for m in ((("x", 2),), (("x", 1),), ()))
    if _degree(f) != 2 or a <= 0:
        raise DrillsError("\"ask\": \"step-size\" needs a parabola a(x - c)^2 + d with a > 0 as 'f', "
                          "e.g. \"2(x - 3)^2 + 1\"")
    c, r = -b / (2 * a), 1 - 2 * a * eta
    if x0 == c:
        raise DrillsError(f"x0 = {to_text(c)} is already the minimum of f; start somewhere else")
    xs = _descend(df, x0, eta, count)
    verdict = "converges" if r >= 0 else "oscillates" if r >= -1 else "diverges"
    context = {"variant": "step-size", "f": shown, "eta": eta, "r": r, "x0": x0, "count": count, "verdict": verdict}
    worked = lambda: {"df": _text(df), "terms": len(f), "factored": _factored(2 * a, c), "a": a, "c": c,
                      "shrink": Dot(((2 * a, eta),)), "iterates": _iterates(df, xs, eta), "half": 1 / (2 * a),
                      "limit": 1 / a, "gaps": [(Dot(((r, p - c),)), x - c) for p, x in itertools.pairwise(xs)]}
    ratio = part("r", Kind.NUMBER, r, "r, the factor that multiplies x − c at every step",
                 "One step maps x − c to (1 − 2aη)(x − c), with a the coefficient of x².",
                 lambda: [(1 - a * eta, "The derivative of a(x − c)² is 2a(x − c), so r = 1 − 2aη, not 1 − aη."),
                          (1 + 2 * a * eta, "A step subtracts η·f'(x), so r = 1 − 2aη, not 1 + 2aη."),
                          (2 * a * eta, "2aη is the share of x − c that a step removes; r = 1 − 2aη is what remains."),
                          (1 - 2 * eta, f"f'(x) = 2a(x − c) with a = {to_text(a)}: r = 1 − 2aη.")])
    choice = part("verdict", Kind.CHOICE, verdict, "converges, oscillates or diverges?",
                  "r = 1 − 2aη: its sign says whether x crosses the minimum, |r| whether it closes in.",
                  lambda: _verdict_mistakes(verdict, r), choices=VERDICTS)
    blanks = lambda: [_derivative_part(f, df, _text(df), constant), ratio,
                      *(_step_part(k, xs, f, df, eta) for k in range(count)), choice]
    return Draft(params, context, blanks, [ratio, choice], worked)


def _derivative_part(f, df, df_text: str, constant):
    return part("fprime", Kind.EXPRESSION, df_text, "f'(x)", "Differentiate term by term: xⁿ gives n·xⁿ⁻¹.",
                [(_text(_no_power(f)), POWER_RULE),
                 (_text(poly.plus(df, poly.constant(constant))) if constant else None,
                  "The constant term of f has derivative 0; it drops out of f'(x).")],
                variables=("x",))


def _verdict_mistakes(verdict: str, r: Fraction) -> list[tuple[str, str]]:
    r_is, size = f"r = {to_text(r)}", to_text(abs(r))
    if verdict == "converges":
        return [("oscillates", (f"{r_is} is not negative: x never crosses the minimum, it closes in from one "
                                "side, so it converges.")),
                ("diverges", f"|r| = {size} < 1: the distance to the minimum shrinks every step, so it converges.")]
    if verdict == "oscillates":
        settles = "." if r == -1 else (". It does settle, but converges here means closing in from one side, "
                                       "never overshooting.")
        return [("converges", (f"{r_is} is negative: x − c changes sign every step, so x jumps across the "
                               "minimum: it oscillates" + settles)),
                ("diverges", "r = −1: x bounces between the same two points forever without getting further "
                             "away, which counts as oscillating." if r == -1 else
                             f"|r| = {size} < 1: the distance to the minimum shrinks while x jumps across it, "
                             "so it oscillates.")]
    return [("oscillates", (f"|1 − 2aη| = {size} > 1: each step overshoots by more than it corrects, so it "
                            "diverges.")),
            ("converges", f"|r| = {size} > 1: every step lands further from the minimum, so it diverges.")]


def _factored(k: Fraction, c: Fraction) -> str:
    """k(x − c), the derivative written around the minimum; '' when it adds nothing."""
    if c == 0 or k == 1:
        return ""
    return f"{k if k.denominator == 1 else f'({k})'}(x {'-' if c > 0 else '+'} {abs(c)})"


# --- one batch step of linear regression -------------------------------------------------------

def _regression(params) -> Draft:
    read.only(params, {"X", "y", "theta", "eta"}, {"X", "y", "theta", "eta"})
    X, raw = features(params, MAX_FEATURES)
    y, theta = targets(params, len(X)), parameters(params, len(X[0]))
    normal = {"X": raw, "y": params["y"], "theta": params["theta"], "eta": params["eta"]}
    return _batch_step(normal, [read.plain(row) for row in X], read.plain(y), read.plain(theta), learning_rate(params))


def _drawn_regression(params) -> Draft:
    """A batch step on drawn params, whole numbers already: nothing to read."""
    # the draft gets its own lists: a caller may change the problem's params
    X, y, theta = [list(row) for row in params["X"]], list(params["y"]), list(params["theta"])
    return _batch_step(params, X, y, theta, Fraction(*_ETA_RATIOS[params["eta"]]))


def _batch_step(params, X, y, theta, eta) -> Draft:
    m, Xb = len(X), [[1, *row] for row in X]
    XbT = transpose(Xb)
    weigh = lambda yhat: read.plain_matvec(XbT, [p - t for p, t in zip(yhat, y)])    # X_bᵀ(ŷ − y)
    yhat = read.plain_matvec(Xb, theta)
    r, Xtr = [p - t for p, t in zip(yhat, y)], weigh(yhat)
    grad = [Fraction(2 * v, m) for v in Xtr]
    no_bias = lambda: read.plain_matvec(X, theta[1:])                   # ŷ without θ₀
    grad_nb = lambda: [Fraction(2 * v, m) for v in weigh(no_bias())]
    step = lambda g: [t - eta * v for t, v in zip(theta, g)]
    new_theta = step(grad)
    context = {"variant": "regression", "count": m, "X": X, "y": y, "theta": theta, "eta": eta, "Xb": Xb,
               "XbT": XbT, "yhat": yhat, "r": r, "Xtr": Xtr, "scale": Fraction(2, m), "grad": grad,
               "new": new_theta}
    factor = f"2/m = {to_text(Fraction(2, m))}"
    no_bias_says = "The intercept θ₀ is missing from the predictions: X_b has a column of 1s, so every ŷᵢ adds θ₀."
    residuals = lambda: part("r", Kind.VECTOR, r, "r = ŷ − y, the residuals",
                             "Prediction minus target, instance by instance.",
                             [([-v for v in r], "That is y − ŷ; the gradient uses ŷ − y, prediction minus target."),
                              ([p - t for p, t in zip(no_bias(), y)], no_bias_says)])
    gradient = part("grad", Kind.VECTOR, grad, "∇MSE(θ), the gradient",
                    "(2/m)·X_bᵀ(X_b·θ − y): each column of X_b times the residuals, then times 2/m.",
                    lambda: [(Xtr, f"That is X_bᵀ(X_b·θ − y) without the factor {factor}."),
                             ([Fraction(v, m) for v in Xtr], (f"That is (1/m)·X_bᵀ(X_b·θ − y): the square brings "
                                                              f"down a 2, so the factor is {factor}.")),
                             ([-v for v in grad], ("The sign is reversed: with y − ŷ instead of ŷ − y the gradient "
                                                   "points uphill.")),
                             (grad_nb(), no_bias_says)])
    new = part("theta", Kind.VECTOR, new_theta, "θ after one step", "θ − η·∇MSE(θ): step against the gradient.",
               lambda: [(step([-v for v in grad]), ("You moved along +∇MSE(θ) (added η·∇, or used y − ŷ): a "
                                                    "descent step subtracts η·∇MSE(θ).")),
                        (step([v / eta for v in grad]), ("You subtracted the whole gradient; scale it by the "
                                                         "learning rate η first.")),
                        (step(Xtr), f"Your gradient lacks the factor {factor}: ∇MSE(θ) = (2/m)·X_bᵀ(X_b·θ − y)."),
                        (step([Fraction(v, m) for v in Xtr]), f"Your gradient has 1/m where the MSE gives {factor}."),
                        (step(grad_nb()), no_bias_says)])
    return Draft(params, context, lambda: [residuals(), gradient, new], [gradient, new])
