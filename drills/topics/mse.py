"""Mean squared error of a linear model (Hands-On ML ch. 4): ŷ = X_b·θ, residuals ŷ − y, MSE.

X comes without the bias column and θ₀ is the intercept; the column of 1s is added here.
"""
from __future__ import annotations

from fractions import Fraction
from operator import mul

from drills.errors import DrillsError
from drills.notation import Dot, subscript
from drills.topics import HAND_SIZED, Draft, part
from drills.topics import params as read
from drills.topics.data import features, parameters, targets
from drills.topics.draw import int_vector, ints, layout_seed, pick, spread
from grader.spec import Kind

MAX_FEATURES = 3
# Story -> the number of features it describes (None: any).
STORIES = {"plain": None, "houses": 1, "study": 1, "houses-age": 2}
MAX_PREDICTION = HAND_SIZED[0]
TOP_SCORE = 100      # "study": exam scores and their predictions lie in 0..100 points


# --- sampling ----------------------------------------------------------------------------------

def sample(rng, level: str) -> Draft:
    """A fresh problem: params drawn here are whole numbers of the right shapes, so they go to
    the draft as they are, without build's reading."""
    params = sample_params(rng, level)
    # the draft gets its own lists: a caller may change the problem's params
    return _draft(params, [list(row) for row in params["X"]], list(params["y"]), list(params["theta"]),
                  params.get("story", "plain"))


def sample_params(rng, level: str) -> dict:
    story = pick(rng, ("plain", "plain", "houses", "study", "houses-age"))
    while True:
        X, theta, errors = _story_data(rng, story)
        yhat = _predictions(X, theta)
        residuals = int_vector(rng, len(X), *errors)
        y = [p - r for p, r in zip(yhat, residuals)]
        if (any(residuals) and max(map(abs, yhat)) <= MAX_PREDICTION
                and len(set(map(tuple, X))) == len(X)      # a repeated row would give a blank away
                and (story != "study" or 0 <= min(y + yhat) and max(y + yhat) <= TOP_SCORE)):
            break
    params = {"X": X, "y": y, "theta": theta}
    return params if story == "plain" else {**params, "story": story}


def _story_data(rng, story: str):
    """(X, θ, residual range) in the units of the story; residuals are drawn by the caller."""
    m = pick(rng, (3, 4, 5)) if story != "study" else pick(rng, (3, 4, 5, 6))
    if story == "houses":    # size in hundreds of sq ft, price in $1000s
        sizes = sorted(s + 8 for s in rng.choice(13, size=m))    # m distinct sizes from 8 to 20
        return [[s] for s in sizes], [pick(rng, (20, 30, 40, 50)), pick(rng, (8, 10, 12))], (-10, 10)
    if story == "study":     # hours studied, exam points
        hours = sorted(rng.choice(10, size=m))
        return [[h] for h in hours], [pick(rng, (40, 45, 50, 55)), pick(rng, (2, 3, 4, 5))], (-6, 6)
    if story == "houses-age":  # size in hundreds of sq ft and age in years
        X = [[rng.integers(8, 17), rng.integers(0, 31)] for _ in range(m)]
        return X, [pick(rng, (40, 50, 60)), pick(rng, (8, 10, 12)), pick(rng, (-1, -2, -3))], (-8, 8)
    n = pick(rng, (1, 1, 2))
    return ints(rng, m, n, -3, 5), int_vector(rng, n + 1, -4, 5), (-4, 4)


# --- building ----------------------------------------------------------------------------------

def build(params: dict) -> Draft:
    read.only(params, {"X", "y", "theta", "story"}, {"X", "y", "theta"})
    X, raw_X = features(params, MAX_FEATURES)
    y, theta = targets(params, len(X)), parameters(params, len(X[0]))
    n = len(X[0])
    story = read.choice(params, "story", tuple(STORIES), "plain")
    if STORIES[story] not in (None, n):
        raise DrillsError(f"story '{story}' has {STORIES[story]} feature(s) but X has {n}")
    normal = {"X": raw_X, "y": params["y"], "theta": params["theta"]}
    X, y, theta = [read.plain(row) for row in X], read.plain(y), read.plain(theta)
    return _draft(normal | ({"story": story} if "story" in params else {}), X, y, theta, story)


def _draft(params, X, y, theta, story) -> Draft:
    m, n = len(X), len(X[0])
    yhat = _predictions(X, theta)
    r = [p - t for p, t in zip(yhat, y)]
    squares = [v * v for v in r]
    sse = sum(squares)
    mse = Fraction(sse, m)
    context = {"variant": "mse", "story": story, "count": m, "n": n, "X": X, "y": y, "theta": theta}

    def worked():
        Xb = [[1, *row] for row in X]
        return {"Xb": Xb, "yhat": yhat, "r": r, "squares": squares, "sse": sse, "mse": mse,
                "recip": Fraction(1, m), "rows": [Dot(tuple(zip(row, theta))) for row in Xb],
                "rtr": Dot(tuple((v, v) for v in r))}

    answer = _mse_part(r, sse, mse, m, X, theta, y)

    def blanks():
        routes = _wrong_routes(X, theta)
        return [*(_prediction(i, yhat[i], [w[i] for w in routes]) for i in spread(m, 2, layout_seed(params))),
                _residuals(yhat, y, r, routes), _squares(yhat, y, r, squares), answer]

    def yhat_mistakes():
        no_bias, bias_last = _wrong_routes(X, theta)
        return [(no_bias, _NO_BIAS), (bias_last, _BIAS_LAST)]

    finals = [part("yhat", Kind.VECTOR, yhat, "ŷ = X_b·θ, the predictions",
                   "Row i of X_b (a 1, then the features of instance i) times θ.", yhat_mistakes),
              answer]
    return Draft(params, context, blanks, finals, worked)


def _predictions(X, theta) -> list:
    """ŷ = X_b·θ, without building X_b: θ₀ plus each row of X times θ₁, θ₂, …"""
    theta0, weights = theta[0], theta[1:]
    return [theta0 + sum(map(mul, row, weights)) for row in X]


_NO_BIAS = "The intercept θ₀ is missing: X_b has a column of 1s, so every prediction adds θ₀."
_BIAS_LAST = "θ₀ is the intercept: it multiplies the 1 in front of each row, and θ₁ multiplies x₁."


def _wrong_routes(X, theta) -> tuple[list, list]:
    """Predictions without the bias column, and with it placed last (θ₀ on x₁, …)."""
    no_bias = [sum(x * t for x, t in zip(row, theta[1:])) for row in X]
    bias_last = [sum(x * t for x, t in zip([*row, 1], theta)) for row in X]
    return no_bias, bias_last


def _prediction(i: int, value, wrong: list) -> object:
    k = subscript(i + 1)
    return part(f"yhat{i}", Kind.NUMBER, value, f"ŷ{k}, the prediction for instance {i + 1}",
                f"Row {i + 1} of X_b times θ: θ₀·1 plus each θⱼ times its feature.",
                [(wrong[0], _NO_BIAS), (wrong[1], _BIAS_LAST)])


def _residuals(yhat, y, r, routes):
    return part("r", Kind.VECTOR, r, "r = ŷ − y, the residuals",
                "Prediction minus target, instance by instance.",
                [([t - p for p, t in zip(yhat, y)],
                  "That is y − ŷ; here a residual is ŷ − y, prediction minus target (as in the gradient "
                  "X_bᵀ(X_b·θ − y)). The squares do not care, but the gradient does."),
                 ([p - t for p, t in zip(routes[0], y)], _NO_BIAS)])


def _squares(yhat, y, r, squares):
    return part("squares", Kind.VECTOR, squares, "the squared errors r₁², …, rₘ²",
                "Square each residual: rᵢ·rᵢ, always ≥ 0.",
                [(r, "Those are the residuals themselves: square each one."),
                 ([abs(v) for v in r], "Those are absolute errors |rᵢ|; the MSE squares each residual."),
                 ([2 * v for v in r], "Squaring is rᵢ·rᵢ, not 2·rᵢ."),
                 ([p * p - t * t for p, t in zip(yhat, y)],
                  "That is ŷᵢ² − yᵢ²; square the difference instead: (ŷᵢ − yᵢ)².")])


def _mse_part(r, sse, mse, m, X, theta, y):
    def mistakes():
        no_bias = _wrong_routes(X, theta)[0]
        return [(sse, f"That is the sum of the squared errors; the MSE is their mean: divide by m = {m}."),
                (Fraction(sse, m - 1) if m > 1 else None,
                 f"You divided by m − 1 = {m - 1}; the MSE divides by m = {m}, the number of instances."),
                (Fraction(sse, 2 * m), f"You divided by 2m = {2 * m}; some texts halve the cost to tidy the "
                                       f"gradient, but the MSE divides by m = {m}."),
                (Fraction(sum(r), m), "That is the mean residual: square each residual before averaging."),
                (Fraction(sum(abs(v) for v in r), m),
                 "That is the mean absolute error (MAE): square each residual instead of taking |rᵢ|."),
                (Fraction(sum(r) ** 2, m), "You squared the sum; square each residual, then add."),
                (Fraction(sum((p - t) ** 2 for p, t in zip(no_bias, y)), m), _NO_BIAS)]
    return part("mse", Kind.NUMBER, mse, "MSE(θ)",
                f"Add the squared errors and divide by m = {m}, the number of instances.", mistakes)
