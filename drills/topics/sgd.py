"""Stochastic and mini-batch gradient descent on linear regression (MSE), one update at a time.

Params: {"X": m×d without the bias column (a flat list is one feature), "y", "theta" (d + 1
entries, theta[0] the intercept), "eta", and either "order" (SGD: a permutation of 0..m−1) or
"batches" (mini-batch: a partition of 0..m−1), "steps" (updates to take, within one epoch)};
or {"m", "batch_size", "epochs", "ask": "updates"} to count updates.
With xᵢ the row i of X after a leading 1, one sample's gradient is 2·xᵢ(xᵢᵀθ − yᵢ) and a
batch B of b samples, rows X_B and targets y_B, has (2/b)·X_Bᵀ(X_Bθ − y_B), as in Hands-On ML ch. 4.
"""
from __future__ import annotations

from fractions import Fraction
from functools import cached_property, lru_cache
from math import floor, gcd, lcm
from operator import mul
from typing import NamedTuple

from drills.errors import DrillsError
from drills.notation import Dot
from drills.topics import Draft, part
from drills.topics import params as read
from drills.topics.data import add_bias, features, learning_rate, parameters, targets
from drills.topics.draw import pick
from grader.spec import Kind
from grader.values import to_json

ASKS = ("sgd", "minibatch", "updates")
NEEDS = {"sgd": {"X", "y", "theta", "eta", "order"}, "minibatch": {"X", "y", "theta", "eta", "batches"},
         "updates": {"m", "batch_size", "epochs"}}
ETAS = tuple(Fraction(1, n) for n in (2, 4, 5, 6, 8, 10, 12, 20))
MAX_ENTRY, MAX_DENOMINATOR = 60, 12


class Scaled(NamedTuple):
    """An update in integers (Fractions are slow): the samples it used, and their residuals,
    the gradient and θ after it each as (numerators, common denominator); _exact() reads one
    as Fractions, where it is shown or asked."""

    group: tuple[int, ...]
    residuals: tuple[list[int], int]
    gradient: tuple[list[int], int]
    theta: tuple[list[int], int]


def sample_params(rng, level: str) -> dict:
    return sample(rng, level).params


def sample(rng, level: str) -> Draft:
    """A fresh problem, built from the whole numbers drawn: params drawn by us need no reading."""
    u = rng.random()
    if u < 0.2:
        return _updates(_sample_updates(rng))
    return _sample_descent(rng, batched=u < 0.55)


def _sample_descent(rng, batched: bool) -> Draft:
    """Small integer data and an η for which every update stays a small-denominator fraction."""
    # pick's and int_vector's draws written out: a problem screens some 18 candidates, and the
    # calls were 7% of the topic's time
    random, sizes = rng.random, (3, 4) if batched else (2, 3, 4)
    while True:
        m = sizes[floor(random() * len(sizes))]
        perm = rng.permutation(m)
        b = (2 + floor(random() * 2) if m == 4 else 2) if batched else 1
        visited = m if batched else min(m, 3)
        if perm[:visited] == _NATURAL[visited]:     # the natural order: the cheap test first
            continue
        groups = [perm[s:s + b] for s in range(0, visited, b)]
        xs = rng.choice(_XS, size=m)
        y = [floor(random() * 13) - 6 for _ in range(m)]
        theta = [floor(random() * 7) - 3, floor(random() * 7) - 3]
        etas = _etas(max(map(abs, xs)))
        eta = etas[floor(random() * len(etas))]
        if _screened(xs, y, theta, eta, groups):
            # params are the problem's own copies: the draft keeps what it was built from
            key = {"batches": [list(g) for g in groups]} if batched else {"order": perm}
            params = {"X": [[x] for x in xs], "y": list(y), "theta": list(theta), "eta": to_json(eta), **key,
                      "steps": len(groups), "ask": "minibatch" if batched else "sgd"}
            return _steps_draft(params, [[x] for x in xs], y, theta, eta, groups, batched)


_NATURAL = [list(range(n)) for n in range(5)]       # 0, 1, …, n − 1: no order drawn
_XS = range(-3, 4)


@lru_cache
def _etas(max_x: int) -> tuple[Fraction, ...]:
    """η small enough that no update overshoots its own sample: 2η(1 + xᵢ²) ≤ 1, in whole numbers."""
    reach = 2 * (1 + max_x * max_x)
    return tuple(e for e in ETAS if reach * e.numerator <= e.denominator) or ETAS[-1:]


def _sample_updates(rng) -> dict:
    method = pick(rng, ("stochastic", "mini-batch", "mini-batch", "mini-batch", "batch"))
    if method == "stochastic":
        m = pick(rng, (20, 25, 30, 40, 50, 60, 75, 100))
        return {"m": m, "batch_size": 1, "epochs": rng.integers(2, 300 // m + 1), "ask": "updates"}
    if method == "batch":
        m = pick(rng, (100, 500, 1000, 2500, 5000))
        return {"m": m, "batch_size": m, "epochs": pick(rng, (10, 20, 50, 100, 200)), "ask": "updates"}
    b = pick(rng, (8, 10, 16, 20, 25, 32, 50, 64, 100, 128))
    q, r = rng.integers(2, 31), pick(rng, (0, rng.integers(1, b), rng.integers(1, b)))
    per_epoch = q + (r > 0)
    return {"m": q * b + r, "batch_size": b, "epochs": rng.integers(2, min(10, 300 // per_epoch) + 1),
            "ask": "updates"}


def _hand_sized(u: Scaled) -> bool:
    """Every value of the update a small fraction, and some residual left to learn from."""
    return any(u.residuals[0]) and all(_fits(n, d) for numerators, d in (u.theta, u.gradient, u.residuals)
                                       for n in numerators)


def _fits(n: int, d: int) -> bool:
    """n/d (d > 0) is a small fraction."""
    return abs(n) <= MAX_ENTRY * d and d // gcd(n, d) <= MAX_DENOMINATOR


def _screened(xs, y, theta, eta, groups) -> bool:
    """Whether every update on `groups` is _hand_sized, for one feature and whole-number data:
    descend's arithmetic without its generality, stopping at the first update that fails (the
    sampler asks it of some 12 candidates a problem)."""
    step, per = eta.as_integer_ratio()
    t0, t1, d = theta[0], theta[1], 1                      # θ = (t0, t1)/d
    for group in groups:
        b = len(group)
        r = [t0 + t1 * xs[i] - y[i] * d for i in group]    # over d
        g0, g1 = 2 * sum(r), 2 * sum([ri * xs[i] for ri, i in zip(r, group)])    # over b·d
        n0, n1, dn = t0 * per * b - step * g0, t1 * per * b - step * g1, d * per * b    # θ − η∇
        k = gcd(dn, n0, n1)
        n0, n1, dn = n0 // k, n1 // k, dn // k
        # θ after the update is what fails most often, so it is tested first
        if not (_fits(n0, dn) and _fits(n1, dn) and any(r) and _fits(g0, b * d) and _fits(g1, b * d)
                and all(_fits(ri, d) for ri in r)):
            return False
        t0, t1, d = n0, n1, dn
    return True


def _in_integers(rows, y, theta) -> tuple:
    """descend's data: s·rows and s·y in integers, the least such s, and θ as (numerators, denominator)."""
    s = lcm(*(v.denominator for v in [*y, *(v for row in rows for v in row)]))
    dt = lcm(*(v.denominator for v in theta))
    return [_scaled(row, s) for row in rows], _scaled(y, s), s, (_scaled(theta, dt), dt)


def descend(data, eta, groups, route: str = ""):
    """The updates (Scaled) on `groups` of sample indices, one at a time, from _in_integers' data,
    on the right route or a named wrong one: plus (θ + η∇), no2 (no factor 2), nob (no 1/b),
    batch (every sample), stale (every gradient at the starting θ)."""
    X, Y, s, theta = data
    start, (step, per) = theta, eta.as_integer_ratio()
    step = -step if route == "plus" else step
    for group in groups:
        at, da = start if route == "stale" else theta
        used = range(len(X)) if route == "batch" else group
        r = [sum(map(mul, X[i], at)) - Y[i] * da for i in used]                    # over s·da
        top, bottom = (1, len(used)) if route == "no2" else (2, 1) if route == "nob" else (2, len(used))
        g = [top * sum(map(mul, r, column)) for column in zip(*(X[i] for i in used))]  # over dg
        t, dt = theta
        dg = bottom * s * s * da
        t = [n * per * dg - step * gj * dt for n, gj in zip(t, g)]                  # θ − η∇ over d
        d = dt * per * dg
        k = gcd(d, *t)
        theta = [n // k for n in t], d // k
        yield Scaled(tuple(group), (r, s * da), (g, dg), theta)


def _exact(value: tuple[list[int], int]) -> list[Fraction]:
    numerators, d = value
    return [Fraction(n, d) for n in numerators]


def _negated(value: tuple[list[int], int]) -> tuple[list[int], int]:
    numerators, d = value
    return [-n for n in numerators], d


def _scaled(values, d: int) -> list[int]:
    """The numerators of `values` (ints or Fractions) over a denominator d that all of theirs divide."""
    return [v.numerator * (d // v.denominator) for v in values]


def _natural(groups) -> list[list[int]]:
    """The same group sizes, filled with the samples in their natural order 0, 1, 2, …"""
    out, start = [], 0
    for g in groups:
        out.append(list(range(start, start + len(g))))
        start += len(g)
    return out


def build(params: dict) -> Draft:
    read.only(params, set().union(*NEEDS.values()) | {"ask", "steps"}, set())
    default = ("minibatch" if "batches" in params else "sgd" if "order" in params
               else "updates" if "m" in params else "sgd")
    ask = read.choice(params, "ask", ASKS, default)
    read.only(params, NEEDS[ask] | {"ask"} | ({"steps"} if ask != "updates" else set()), NEEDS[ask])
    if ask == "updates":
        return _updates(params)
    return _descent(params, ask)


def _descent(params: dict, ask: str) -> Draft:
    X, _ = features(params, read.MAX_SIZE)
    m, d = len(X), len(X[0])
    y, theta, eta = targets(params, m), parameters(params, d), learning_rate(params)
    key = "order" if ask == "sgd" else "batches"
    groups = _order(params["order"], m) if ask == "sgd" else _batches(params["batches"], m)
    steps = read.whole(params.get("steps", len(groups)), "steps", 1, len(groups),
                       f"a whole number from 1 to {len(groups)} (the updates in one epoch)")
    normal = {n: params[n] for n in ("X", "y", "theta", "eta", key)} | {"steps": steps, "ask": ask}
    return _steps_draft(normal, X, y, theta, eta, groups[:steps], ask == "minibatch")


def _indices(value, name: str) -> list[int]:
    if not isinstance(value, list) or not all(isinstance(i, int) and not isinstance(i, bool) for i in value):
        raise DrillsError(f"param '{name}' must be a list of sample indices (whole numbers from 0)")
    return value


def _order(value, m: int) -> list[list[int]]:
    order = _indices(value, "order")
    if sorted(order) != list(range(m)):
        raise DrillsError(f"param 'order' must be a permutation of 0..{m - 1}, each sample once; got {order}")
    return [[i] for i in order]


def _batches(value, m: int) -> list[list[int]]:
    if not isinstance(value, list) or not value or not all(isinstance(b, list) and b for b in value):
        raise DrillsError("param 'batches' must be a list of non-empty lists of sample indices, "
                          "e.g. [[2, 0], [1, 3]]")
    flat = [i for b in value for i in _indices(b, "batches")]
    if sorted(flat) != list(range(m)):
        raise DrillsError(f"param 'batches' must split the samples 0..{m - 1} into groups, each index "
                          f"exactly once; got {value}")
    return value


def _steps_draft(params, X, y, theta, eta, groups, batched: bool) -> Draft:
    rows = add_bias(X)
    data = _in_integers(rows, y, theta)
    right = list(descend(data, eta, groups))
    context = {"variant": "minibatch" if batched else "sgd", "X": X, "y": y, "theta0": theta, "eta": eta,
               "model": _model(len(X[0])), "features": len(X[0]), "given": _groups_text(groups),
               "count": len(groups)}
    parts = _UpdateParts(right, _WrongRoutes(data, eta, groups, batched), batched)
    thetas = [parts.theta(k) for k in range(1, len(right) + 1)]
    blanks = lambda: [p for k, t in enumerate(thetas, start=1) for p in (parts.residual(k), parts.gradient(k), t)]
    return Draft(params, context, blanks, thetas, lambda: {"steps": _steps_context(right, rows, y, theta, batched)})


def _steps_context(right: list[Scaled], rows, y, theta, batched: bool) -> list[dict]:
    steps, before = [], [Fraction(v) for v in theta]
    for k, u in enumerate(right, start=1):
        steps.append(_step_context(k, u, rows, y, before, batched))
        before = steps[-1]["theta"]
    return steps


class _WrongRoutes:
    """The updates on each anticipated wrong route, with what to tell the learner, worked out
    when grading first asks for them."""

    def __init__(self, data, eta, groups, batched: bool):
        # groups copied: they may be the caller's params, which could change before grading
        self.data, self.eta, self.groups, self.batched = data, eta, tuple(map(tuple, groups)), batched

    @cached_property
    def updates(self) -> dict[str, list[Scaled]]:
        data, eta, groups = self.data, self.eta, self.groups
        # "nob" only for batches: with one sample per update, 2/b = 2 is the right factor anyway
        wrong = {route: list(descend(data, eta, groups, route))
                 for route in ("plus", "no2", "batch", "stale") + (("nob",) if self.batched else ())}
        # y − ŷ flips r and ∇, so θ + η∇ follows: the plus route's updates with r and ∇ negated
        wrong["residual"] = [u._replace(residuals=_negated(u.residuals), gradient=_negated(u.gradient))
                             for u in wrong["plus"]]
        wrong["natural"] = list(descend(data, eta, _natural(groups)))
        return wrong

    @cached_property
    def messages(self) -> dict[str, dict[str, str]]:
        batched = self.batched
        one = "this batch" if batched else "this update's sample"
        given, natural = _groups_text(self.groups), _groups_text(_natural(self.groups))
        return {
            "r": {"residual": "The residual is prediction minus target, xᵢᵀθ − yᵢ, not yᵢ − xᵢᵀθ.",
                  "stale": "That uses the starting θ; each update starts from the θ the previous one left."},
            "g": {"residual": "The residual is prediction minus target; the other way round, the gradient points backwards.",
                  "no2": "The square brings down a factor 2: " + ("∇ = (2/b)·X_Bᵀr." if batched else "∇ = 2r·xᵢ."),
                  "nob": "Divide by the batch size b: ∇ = (2/b)·X_Bᵀr.",
                  "batch": f"That is the gradient over the whole training set; use only {one}.",
                  "stale": "That gradient is taken at the starting θ; take it at the current θ."},
            "t": {"plus": "You added η∇; gradient descent steps against the gradient: θ − η∇ "
                          "(check the residual sign too: prediction minus target).",
                  "natural": f"You took the samples in their natural order ({natural}); this epoch visits "
                             f"them as {given}.",
                  "no2": "The gradient carries a factor 2" + (" (2/b)." if batched else ": ∇ = 2r·xᵢ."),
                  "nob": "Divide the gradient by the batch size b: (2/b)·X_Bᵀr.",
                  "batch": "That is batch gradient descent, with every sample in each update; use only "
                           + ("the batch." if batched else "one sample per update."),
                  "stale": "Each gradient must be taken at the current θ, not at the starting one."}}

    def routes(self, k: int, kind: str, value) -> list:
        """(value on the route, message) for update k's residual (r), gradient (g) or θ (t)."""
        return [(value(self.updates[route][k - 1]), text) for route, text in self.messages[kind].items()
                if route in self.updates]


class _UpdateParts:
    """The residual(s), gradient and θ of each update (k from 1), with its wrong routes' values."""

    def __init__(self, right: list[Scaled], wrong: _WrongRoutes, batched: bool):
        self.right, self.wrong, self.batched = right, wrong, batched

    def residual(self, k: int):
        kind, value = (Kind.VECTOR, list) if self.batched else (Kind.NUMBER, lambda r: r[0])
        return part(f"r{k}", kind, value(_exact(self.right[k - 1].residuals)),
                    f"the residual{'s' if self.batched else ''} r in update {k}",
                    "Prediction minus target, with θ as the previous update left it.",
                    lambda: self.wrong.routes(k, "r", lambda w: value(_exact(w.residuals))))

    def gradient(self, k: int):
        return part(f"g{k}", Kind.VECTOR, _exact(self.right[k - 1].gradient), f"∇, the gradient in update {k}",
                    "(2/b)·X_Bᵀr for the batch B." if self.batched else "2·r·xᵢ, the leading 1 of xᵢ included.",
                    lambda: self.wrong.routes(k, "g", lambda w: _exact(w.gradient)))

    def theta(self, k: int):
        return part(f"t{k}", Kind.VECTOR, _exact(self.right[k - 1].theta), f"θ after update {k}", "θ − η∇.",
                    lambda: self.wrong.routes(k, "t", lambda w: _exact(w.theta)))


def _step_context(k: int, u: Scaled, rows, y, before, batched: bool) -> dict:
    """What the template shows for update k: the samples, θ before, and every value."""
    X_B, r = [rows[i] for i in u.group], _exact(u.residuals)
    step = {"k": k, "first": k == 1, "samples": _samples_text(u.group), "before": before,
            "r": r, "g": _exact(u.gradient), "theta": _exact(u.theta), "rk": f"r{k}", "gk": f"g{k}", "tk": f"t{k}"}
    if batched:
        # the batch B's rows and targets, X_B and y_B: named X_k, y_k they read as entries of X and y
        b, XT_B = len(u.group), [list(c) for c in zip(*X_B)]
        return {**step, "X_B": X_B, "y_B": [y[i] for i in u.group], "b": b, "name": "X_B", "y_name": "y_B",
                "scaled": [XT_B] if b == 2 else [Fraction(2, b), XT_B]}      # (2/b)·X_Bᵀ, a factor 1 left out
    i = u.group[0]
    return {**step, "x": X_B[0], "yi": y[i], "r": r[0], "two_r": 2 * r[0],
            "dot": Dot(tuple(zip(X_B[0], before))), "op": "-" if y[i] >= 0 else "+", "abs_y": abs(y[i]),
            "name": f"x_{i + 1}", "y_name": f"y_{i + 1}"}


def _groups_text(groups) -> str:
    """Samples numbered from 1, as a learner reads them: "3, 1, 2" or "(3, 1), then (4, 2)"."""
    if all(len(g) == 1 for g in groups):
        return ", ".join(str(g[0] + 1) for g in groups)
    return ", then ".join("(" + ", ".join(str(i + 1) for i in g) + ")" for g in groups)


def _samples_text(group) -> str:
    names = [str(i + 1) for i in group]
    return f"sample {names[0]}" if len(names) == 1 else f"samples {', '.join(names[:-1])} and {names[-1]}"


def _model(d: int) -> str:
    """The prediction; with several features xᵀθ, as θ₁x₁ + θ₂x₂ would clash with xᵢ, sample i's row."""
    return "θ_0 + θ_1 x" if d == 1 else "x^Tθ"


def _updates(params: dict) -> Draft:
    m, b, epochs = (_count(params, n) for n in ("m", "batch_size", "epochs"))
    if b > m:
        raise DrillsError(f"batch_size {b} is larger than the training set (m = {m})")
    per_epoch, floor = -(-m // b), m // b
    total = epochs * per_epoch
    method = "stochastic" if b == 1 else "batch" if b == m else "mini-batch"
    per_part = part("per_epoch", Kind.NUMBER, per_epoch, "updates in one epoch",
                    "One update per batch; a last, smaller batch counts too.",
                    [(floor, f"m/b = {m}/{b} rounded down leaves out the last {m % b} samples: "
                             "their smaller batch is an update too, so round up."),
                     (m if b > 1 else None, "That counts samples; each update uses a whole batch of b."),
                     (Fraction(m, b), "Updates come in whole numbers: round m/b up."),
                     (1 if b < m else None, "One update per epoch is batch gradient descent; here each "
                                            "batch of b samples gets its own update.")])
    total_part = part("total", Kind.NUMBER, total, f"updates in all {epochs} epochs",
                      "Every epoch has the same number of updates.",
                      [(epochs * floor, "Round m/b up in each epoch: the last, smaller batch is an update too."),
                       (epochs * m if b > 1 else None, "That counts samples; each update uses a whole batch."),
                       (-(-epochs * m // b), "Batches do not run across epochs: each epoch ends with its own "
                                             "smaller batch, so it is epochs × ⌈m/b⌉."),
                       (per_epoch, f"That is one epoch; multiply by the {epochs} epochs.")])
    context = {"variant": "updates", "size": m, "b": b, "epochs": epochs, "method": method,
               "ratio": Fraction(m, b), "full": floor, "left": m % b, "per_epoch": per_epoch, "total": total}
    parts = [per_part, total_part]
    return Draft({"m": m, "batch_size": b, "epochs": epochs, "ask": "updates"}, context, parts, parts)


def _count(params: dict, name: str) -> int:
    return read.whole(params[name], name, 1, 10**9, "a positive whole number, at most 1,000,000,000")
