"""Partial derivatives: of one point's squared error, of the MSE of a few points, and of
polynomials in several variables. Answers are expressions, graded by equivalence."""
from __future__ import annotations

from fractions import Fraction

from drills.errors import DrillsError
from drills.notation import Sym, raised, subscript
from drills.topics import Draft, part
from drills.topics import params as read
from drills.topics.draw import pick
from grader.expression import Expr
from grader.reference import polynomial as poly
from grader.spec import Kind

ORDER = ("w", "b", "x", "y", "z")


def sample_params(rng, level: str) -> dict:
    family = pick(rng, ("error", "error-point", "mse", "polynomial", "polynomial"))
    if family == "error":
        return {"f": "(y - (w*x + b))^2", "wrt": pick(rng, ("w", "b"))}
    if family == "error-point":
        x, y = pick(rng, (-3, -2, 2, 3, 4)), rng.integers(-6, 10)
        return {"f": f"({y} - ({_times_w(x)} + b))^2", "wrt": pick(rng, ("w", "w", "b"))}
    if family == "mse":
        m = pick(rng, (2, 3))
        xs = sorted(rng.choice((-2, -1, 1, 2, 3, 4), size=m))
        terms = " + ".join(f"({rng.integers(-4, 9)} - ({_times_w(x)} + b))^2" for x in xs)
        return {"f": f"1/{m}*({terms})", "wrt": pick(rng, ("w", "b"))}
    f = sample_polynomial(rng, pick(rng, (("x", "y"), ("x", "y"), ("x", "y", "z"))))
    return {"f": poly.to_text(f, ORDER), "wrt": pick(rng, sorted(poly.names(f)))}


def _times_w(x: int) -> str:
    return "w" if x == 1 else "-w" if x == -1 else f"{x}*w"


def sample_polynomial(rng, names: tuple[str, ...]) -> dict:
    """Three terms of total degree at most 5 with small integer coefficients."""
    f: dict = {}
    while len(f) < 3:
        powers = rng.integers(0, 4, size=len(names))
        if 0 < sum(powers) <= 5:
            monomial = tuple((n, k) for n, k in zip(names, powers) if k)
            f[monomial] = f.get(monomial, 0) + pick(rng, (-5, -4, -3, -2, -1, 1, 2, 3, 4, 5))
            f = {m: c for m, c in f.items() if c}
    return f


def build(params: dict) -> Draft:
    read.only(params, {"f", "wrt"}, {"f", "wrt"})
    f, f_poly = read.polynomial(params["f"], "f", "a polynomial", '"3*x^2*y - y"')
    wrt = params["wrt"]
    names = tuple(sorted(f_poly and poly.names(f_poly), key=variable_order))
    if wrt not in names:
        raise DrillsError(f"param 'wrt' must name a variable of f ({', '.join(names) or 'f has none'})")
    context = {"f": Sym(f.display()), "wrt": wrt, "names": names, "d": Sym(f"∂f/∂{wrt}"),
               "result": _show(poly.diff(f_poly, wrt), names)}
    route = _squares(f)
    if route:
        return _chain_route(params, context, route, f_poly, wrt, names)
    return _term_route(params, context, f_poly, wrt, names)


def _squares(f: Expr) -> tuple[Fraction, list[Expr]] | None:
    """f = c·(u₁² + u₂² + …): the squared-error shapes, worked with the chain rule."""
    c, body = Fraction(1), f
    if f.op == "mul":
        constants = [a for a in f.args if not a.names()]
        rest = [a for a in f.args if a.names()]
        if len(rest) != 1:
            return None
        body = rest[0]
        for a in constants:
            c *= Fraction(a.evaluate({}))
    terms = body.args if body.op == "add" else (body,)
    if all(t.op == "pow" and t.args[1] == Expr("num", (Fraction(2),)) and t.args[0].names() for t in terms):
        return c, [t.args[0] for t in terms]
    return None


def _chain_route(params, context, route, f_poly, wrt, names) -> Draft:
    c, inners = route
    u = [poly.from_expr(inner) for inner in inners]
    du = [poly.diff(p, wrt) for p in u]
    m = len(inners)
    products = [poly.times(p, d) for p, d in zip(u, du)]     # multiplied out, then collected
    expanded = " + ".join(f"({poly.to_text(p, names, '')})" for p in products)
    context.update(variant="chain", c=c, count=m, u=[Sym(i.display()) for i in inners],
                   du=[_show(d, names) for d in du], alike=m > 1 and all(d == du[0] for d in du),
                   inner_names=Sym(" = ".join(f"∂u_{i}/∂{wrt}" for i in range(1, m + 1))),
                   chain=Sym(_chain_text(c, inners, du, names)), chain_rule=Sym(_chain_rule(c, m, wrt)),
                   expanded=Sym(f"{_coefficient(c)}·[{expanded}]"),
                   collected=Sym(f"{_coefficient(c)}·({poly.to_text(_sum(products), names, '')})"))
    # Each inner derivative once: when they are all alike (∂uᵢ/∂b = −1), one blank asks it for every i
    alike = context["alike"]
    blanks = [part(f"inner{i}", Kind.EXPRESSION, poly.to_text(du[i], names),
                   f"∂uᵢ/∂{wrt}, the same for every i" if alike else f"∂u{_sub(i, m)}/∂{wrt}",
                   f"Differentiate the inside, {'each uᵢ' if alike else inners[i].display()}, with respect to {wrt}.",
                   [(poly.to_text(poly.diff(u[i], _other(wrt, names)), names) if len(names) > 1 else None,
                     f"That is the derivative with respect to another variable; this one is ∂/∂{wrt}.")],
                   variables=names) for i in range(1 if alike else m)]
    no_inner = _sum(poly.scale(p, 2 * c) for p in u)
    no_two = _sum(poly.times(poly.scale(p, c), d) for p, d in zip(u, du))
    derivative = poly.diff(f_poly, wrt)
    mistakes = [_wrong_variable(f_poly, wrt, names),
                (poly.to_text(no_inner, names), _inner_message(du, wrt, names)),
                (poly.to_text(no_two, names), "The factor 2 from the power rule (d/du u² = 2u) is missing.")]
    if c != 1:
        mistakes.append((poly.to_text(poly.scale(derivative, 1 / c), names),
                         f"The constant factor {c} in front of the sum is missing."))
    mistakes.append(_itself(f_poly, wrt))
    finals = [part("derivative", Kind.EXPRESSION, poly.to_text(derivative, names), f"∂f/∂{wrt}",
                   "Chain rule: the derivative of u² is 2u times the derivative of u.",
                   _texts(mistakes, names), variables=names)]
    return Draft(params, context, blanks + finals, finals)


def _term_route(params, context, f_poly, wrt, names) -> Draft:
    terms = [{m: f_poly[m]} for m in poly.ordered(f_poly, names)]
    with_var = [t for t in terms if _has(t, wrt)]
    context.update(variant="terms",
                   terms=[Sym(f"∂/∂{wrt} ({poly.to_text(t, names, '')})") for t in with_var],
                   term_derivatives=[_show(poly.diff(t, wrt), names) for t in with_var],
                   constants=[_show(t, names) for t in terms if not _has(t, wrt)])
    asked = with_var if len(with_var) > 1 else []     # a lone term's derivative is ∂f: asked once, as ∂f
    blanks = [part(f"term{i}", Kind.EXPRESSION, poly.to_text(poly.diff(t, wrt), names),
                   f"∂/∂{wrt} of {raised(poly.to_text(t, names, ''))}",
                   f"Power rule in {wrt}; the other variables are constants.",
                   [(poly.to_text(_not_lowered(t, wrt), names), _NOT_LOWERED.format(v=wrt))], variables=names)
              for i, t in enumerate(asked)]
    finals = [partial_part("derivative", f_poly, wrt, names)]
    return Draft(params, context, blanks + finals, finals)


def partial_part(slot: str, f_poly: dict, wrt: str, names: tuple[str, ...]):
    """∂f/∂wrt of a polynomial as an expression part, with the usual slips as mistakes."""
    constants = [{m: c} for m, c in f_poly.items() if not _has({m: c}, wrt)]
    derivative = poly.diff(f_poly, wrt)
    others = len(names) > 1
    mistakes = [_wrong_variable(f_poly, wrt, names),
                (_not_lowered(f_poly, wrt), _NOT_LOWERED.format(v=wrt)),
                (_sum(poly.diff(f_poly, n) for n in names) if others else None,
                 f"You differentiated every variable; hold all but {wrt} constant."),
                (poly.plus(derivative, _sum(constants)) if constants else None,
                 f"Terms without {wrt} are constants here: their derivative is 0."),
                _itself(f_poly, wrt)]
    return part(slot, Kind.EXPRESSION, poly.to_text(derivative, names), f"∂f/∂{wrt}",
                f"Differentiate term by term in {wrt}, treating the other variables as numbers.",
                _texts(mistakes, names), variables=names)


def _wrong_variable(f_poly, wrt, names):
    other = next((n for n in names if n != wrt), None)
    return (poly.diff(f_poly, other) if other else None,
            f"That is ∂f/∂{other}: differentiate with respect to {wrt}.")


def _itself(f_poly, wrt):
    return f_poly, f"That is f itself: differentiate it with respect to {wrt}."


def _has(p: dict, name: str) -> bool:
    return any(v == name for m in p for v, _ in m)


_NOT_LOWERED = "Lower the power by one: the derivative of {v}^k is k·{v}^(k−1)."


def _not_lowered(p, wrt):
    return {m: c * dict(m).get(wrt, 0) for m, c in p.items() if dict(m).get(wrt, 0)}


def _inner_message(du, wrt, names) -> str:
    if all(d == poly.constant(-1) for d in du):
        return f"The inner derivative ∂u/∂{wrt} = −1 is missing, and it flips the sign."
    shown = poly.to_text(du[0], names, "")
    return f"The inner derivative (∂u/∂{wrt} = {shown}) is missing: chain rule."


def _coefficient(c: Fraction) -> str:
    """The chain rule's 2 times the constant in front of the sum, as the worked lines write it."""
    return "2" if c == 1 else f"2·{c}" if c.denominator == 1 else f"2·({c})"


def _chain_rule(c, m: int, wrt: str) -> str:
    """The chain rule in the names u and ∂u/∂wrt, as the fill-in writes it (the values are its blanks)."""
    if m == 1:
        return f"{_coefficient(c)}u·∂u/∂{wrt}"
    terms = " + ".join(f"u_{i}·∂u_{i}/∂{wrt}" for i in range(1, m + 1))
    return f"{_coefficient(c)}·[{terms}]"


def _chain_text(c, inners, du, names) -> str:
    coef = _coefficient(c)
    pieces = [f"({inner.display()})({poly.to_text(d, names, '')})" for inner, d in zip(inners, du)]
    return f"{coef}·[{' + '.join(pieces)}]" if len(pieces) > 1 else f"{coef}{pieces[0]}"


def _texts(mistakes, names):
    return [(poly.to_text(v, names) if isinstance(v, dict) else v, msg) for v, msg in mistakes]


def _sum(polys) -> dict:
    out: dict = {}
    for p in polys:
        out = poly.plus(out, p)
    return out


def _show(p, names) -> Sym:
    return Sym(poly.to_text(p, names, ""))


def _other(wrt: str, names) -> str:
    return next(n for n in names if n != wrt)


def _sub(i: int, m: int) -> str:
    """u's index in a label, as the problem prints it (u₁), when there are several u."""
    return subscript(str(i + 1)) if m > 1 else ""


def variable_order(name: str):
    """A sort key: w, b, x, y, z first, in that order, then the rest alphabetically."""
    return (ORDER.index(name) if name in ORDER else len(ORDER), name)
