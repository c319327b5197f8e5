"""Gradients: the MSE gradient (2/m)·X_bᵀ(X_b·θ − y) of a linear model, and ∇f of a polynomial
in x and y at a point (partial derivatives as expressions, then their values)."""
from __future__ import annotations

from fractions import Fraction

from drills.errors import DrillsError
from drills.notation import Dot, Sym
from drills.topics import Draft, part
from drills.topics import params as read
from drills.topics.data import features, parameters, targets
from drills.topics.draw import int_vector, pick
from drills.topics.partial_derivatives import ORDER, partial_part, sample_polynomial, variable_order
from grader.reference import polynomial as poly
from grader.reference.rational import transpose
from grader.spec import Kind

MAX_FEATURES = 2


def sample_params(rng, level: str) -> dict:
    if rng.random() < 0.5:
        f = sample_polynomial(rng, ("x", "y"))
        while len(poly.names(f)) < 2:
            f = sample_polynomial(rng, ("x", "y"))
        return {"f": poly.to_text(f, ORDER), "at": int_vector(rng, 2, -2, 2)}
    m = pick(rng, (3, 3, 4))         # m ≥ 3: with m = 2 the factor 2/m is 1, and leaving it out goes unseen
    while True:
        xs = sorted(rng.choice((-2, -1, 0, 1, 2, 3, 4), size=m))
        y, theta = int_vector(rng, m, -4, 8), int_vector(rng, 2, -3, 3)
        errors = [theta[0] + theta[1] * x - t for x, t in zip(xs, y)]
        if sum(errors) or sum(x * e for x, e in zip(xs, errors)):       # a gradient that is not 0
            return {"X": [[x] for x in xs], "y": y, "theta": theta}


def build(params: dict) -> Draft:
    if isinstance(params, dict) and "f" in params:
        return _function(params)
    read.only(params, {"X", "y", "theta"}, {"X", "y", "theta"})
    X, raw = features(params, MAX_FEATURES)
    y, theta = targets(params, len(X)), parameters(params, len(X[0]))
    return _mse({**params, "X": raw}, [read.plain(row) for row in X], read.plain(y), read.plain(theta))


def _mse(params, X, y, theta) -> Draft:
    """The gradient on X, y and θ with whole numbers as ints (read.plain)."""
    m = len(X)
    Xb = [[1, *row] for row in X]
    predictions = read.plain_matvec(Xb, theta)
    residuals = [p - t for p, t in zip(predictions, y)]
    XbT = transpose(Xb)
    back = read.plain_matvec(XbT, residuals)
    gradient = [Fraction(2 * v, m) for v in back]
    context = {"variant": "mse", "Xb": Xb, "y": y, "theta": theta, "count": m, "predictions": predictions,
               "residuals": residuals, "back": back, "gradient": gradient, "factor": Fraction(2, m)}
    # one sum per entry: a row of X_b times θ, a column of X_b times the errors (with them, or
    # as r₁, r₂, … where the errors are a blank above)
    worked = lambda: {"rows": [Dot(tuple(zip(row, theta))) for row in Xb],
                      "columns": [Dot(tuple(zip(col, residuals))) for col in XbT],
                      "weighted": [Sym(_weighted(col)) for col in XbT]}
    hint = "∇MSE(θ) = (2/m)·X_bᵀ(X_b·θ − y); the column of 1s is already in X_b."
    blanks = [part("predictions", Kind.VECTOR, predictions, "the predictions X_b·θ",
                   "Row i of X_b (with its leading 1) times θ.",
                   [([sum(r[j] * theta[j + 1] for j in range(len(r))) for r in X],
                     "The intercept θ₀ is missing: each row of X_b starts with a 1.")]),
              part("residuals", Kind.VECTOR, residuals, "the errors X_b·θ − y",
                   "Prediction minus target, entry by entry.",
                   [([-r for r in residuals], "That is y − X_b·θ; the gradient here uses X_b·θ − y.")]),
              part("back", Kind.VECTOR, back, "X_bᵀ(X_b·θ − y)", "Column j of X_b times the errors.", []),
              ]
    finals = [part("gradient", Kind.VECTOR, gradient, "∇MSE(θ)", hint, [
        (back, f"That is X_bᵀ(X_b·θ − y): the factor 2/m = {Fraction(2, m)} is missing."),
        ([Fraction(v, m) for v in back],
         "The factor 2 (from the square) is missing: the gradient is (2/m)·X_bᵀ(X_b·θ − y)."),
        ([-g for g in gradient], "The residual's sign is flipped (y − X_b·θ instead of X_b·θ − y): that points uphill."),
        ([2 * v for v in back], f"You summed instead of averaging: divide by m = {m}.")])]
    return Draft(params, context, blanks + finals, finals, worked)


def _weighted(column) -> str:
    """Column j of X_b times the errors, written with r₁, r₂, …: 1·r₁ + (-2)·r₂."""
    factors = (f"({c})" if c < 0 or "/" in str(c) else str(c) for c in column)
    return " + ".join(f"{c}*r_{i}" for i, c in enumerate(factors, 1))


def _function(params) -> Draft:
    read.only(params, {"f", "at"}, {"f", "at"})
    f_poly, names = _read_polynomial(params)
    point = read.vector(params, "at")
    if len(point) != len(names):
        raise DrillsError(f"param 'at' needs {len(names)} numbers, one for each of {', '.join(names)}")
    at = dict(zip(names, point))
    partials = [poly.diff(f_poly, n) for n in names]
    value = [poly.evaluate(d, at) for d in partials]
    swapped_point = dict(zip(names, point[::-1]))
    context = {"variant": "function", "f": Sym(poly.to_text(f_poly, names, "")), "names": names,
               "point": point, "partials": [Sym(poly.to_text(d, names, "")) for d in partials],
               "at_point": [Sym(_substituted(d, names, at)) for d in partials], "value": value,
               "labels_d": [Sym(f"∂f/∂{n}") for n in names]}
    partial_parts = [partial_part(f"d_{n}", f_poly, n, names) for n in names]
    values = [part(f"v_{n}", Kind.NUMBER, v, f"∂f/∂{n} at the point", "Put the point's numbers in.",
                   [(poly.evaluate(poly.diff(f_poly, n), swapped_point), "You swapped the point's coordinates.")])
              for n, v in zip(names, value)]
    mistakes = [(value[::-1], "The entries are swapped: ∇f lists ∂f/∂x first, then ∂f/∂y."),
                ([poly.evaluate(d, swapped_point) for d in partials],
                 "You evaluated at the point with its coordinates swapped."),
                ([poly.evaluate(poly.diff(d, n), at) for d, n in zip(partials, names)],
                 "Those are second derivatives: evaluate the first partial derivatives.")]
    gradient = part("gradient", Kind.VECTOR, value, f"∇f at ({', '.join(str(v) for v in point)})",
                    "Evaluate each partial derivative at the point.", mistakes)
    return Draft(params, context, partial_parts + values, partial_parts + [gradient])


def _read_polynomial(params) -> tuple[dict, tuple[str, ...]]:
    _, f_poly = read.polynomial(params["f"], "f", "a polynomial", '"x^2*y - 3*y"')
    names = tuple(sorted(poly.names(f_poly), key=variable_order))
    if not 1 <= len(names) <= 3:
        raise DrillsError("param 'f' must use one to three variables")
    return f_poly, names


def _substituted(p: dict, names, at) -> str:
    """The partial derivative with the point's numbers written in, before adding up."""
    terms = []
    for m in poly.ordered(p, names):
        c = p[m]
        factors = [str(abs(c))] if abs(c) != 1 or not m else []
        factors += [f"({at[v]})" + (f"^{e}" if e > 1 else "") for v, e in m]
        terms.append(("- " if c < 0 else "+ ") + "·".join(factors))
    text = " ".join(terms) or "0"
    return text[2:] if text.startswith("+ ") else "-" + text[2:]
