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
from functools import cached_property
from math import floor, gcd, lcm
from operator import mul
from typing import NamedTuple

from drills.errors import DrillsError
from drills.notation import Dot
from drills.terminal import counted
from drills.topics import Draft, part
from drills.topics import params as read
from drills.topics.data import add_bias, features, learning_rate, parameters, targets
from drills.topics.draw import pick
from grader.spec import Kind
from grader.values import to_json

ASKS = ("sgd", "minibatch", "updates")
NEEDS = {"sgd": {"X", "y", "theta", "eta", "order"}, "minibatch": {"X", "y", "theta", "eta", "batches"},
         "updates": {"m", "batch_size", "epochs"}}
ETAS = tuple(Fraction(1, n) for n in (2, 4, 5, 6, 8, 10, 12, 20))      # 1/n: the sampler works with n
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
    """Small integer data and an η for which every update stays a small-denominator fraction,
    drawn update by update: each update draws only its own samples, again when they fail."""
    random, shapes = rng.random, _BATCH_SHAPES if batched else _SGD_SHAPES
    m, sizes = shapes[floor(random() * len(shapes))]
    while True:
        perm = rng.permutation(m)
        if _natural_order(perm, sizes, batched):
            continue
        etas = _ETA_DRAWS[m]
        eta = etas[floor(random() * len(etas))]
        theta = [floor(random() * 7) - 3, floor(random() * 7) - 3]
        groups = _split(perm, sizes)
        data = _draw_updates(random, perm, groups, theta, eta)
        if data:
            xs, y, right = data
            # params are the problem's own copies: the draft keeps what it was built from
            key = {"batches": [list(g) for g in groups]} if batched else {"order": perm}
            params = {"X": [[x] for x in xs], "y": list(y), "theta": list(theta), "eta": to_json(eta), **key,
                      "steps": len(groups), "ask": "minibatch" if batched else "sgd"}
            return _steps_draft(params, [[x] for x in xs], y, theta, eta, groups, batched,
                                ([[1, x] for x in xs], y, 1, (theta, 1)), right)


# (m, the updates' batch sizes): SGD visits at most 3 samples; a mini-batch problem's first batch
# is mostly 3, so that its factor 2/b is not 1 (the last, smaller batch has b = 1)
_SGD_SHAPES = ((2, (1, 1)), (2, (1, 1)), (3, (1, 1, 1)), (4, (1, 1, 1)))
_BATCH_SHAPES = ((4, (3, 1)), (4, (3, 1)), (4, (3, 1)), (3, (2, 1)))
_NATURAL = [list(range(n)) for n in range(5)]       # 0, 1, …, n − 1: no order drawn


def _pool(eta: Fraction) -> tuple[int, ...]:
    """The x's no update overshoots with: 2η(1 + x²) ≤ 1, in whole numbers."""
    return tuple(x for x in range(-3, 4) if 2 * (1 + x * x) * eta.numerator <= eta.denominator)


_POOLS = {eta.denominator: _pool(eta) for eta in ETAS}       # by n, for η = 1/n
# η for m samples, whose pool holds m distinct x's; 1/12 and 1/20 three times as often as the
# others, about the shares the screen of whole problems (generator version 3) let through
_ETA_DRAWS = {m: tuple(eta for eta in ETAS for _ in range(3 if eta.denominator in (12, 20) else 1)
                       if len(_POOLS[eta.denominator]) >= m) for m in (2, 3, 4)}
TRIES = 12                                          # draws for one update before starting over


def _natural_order(perm: list[int], sizes, batched: bool) -> bool:
    """Whether the updates take the samples as the natural order would (0, 1, 2, …)."""
    if batched:             # the same samples in the first batch make the same batches
        return sorted(perm[:sizes[0]]) == _NATURAL[sizes[0]]
    return perm[:len(sizes)] == _NATURAL[len(sizes)]


def _split(perm: list[int], sizes) -> list[list[int]]:
    out, start = [], 0
    for b in sizes:
        out.append(perm[start:start + b])
        start += b
    return out


def _draw_updates(random, perm: list[int], groups, theta, eta):
    """The samples' x and y, drawn update by update (distinct x's from η's pool, y in −6..6) so
    that each update is hand-sized, and the updates (Scaled, as descend makes them); None when
    an update finds no such samples."""
    m = len(perm)
    n = eta.denominator
    free, xs, y, updates = list(_POOLS[n]), [0] * m, [0] * m, []
    state, prev = (theta[0], theta[1], 1), None     # θ as (numerators, common denominator)
    for k, group in enumerate(groups):
        last = k == len(groups) - 1
        drawn = _draw_update(random, state, len(group), free, n, last, prev if last else None)
        if drawn is None:
            return None
        picked, ys, (r, g, new) = drawn
        for i, x, yi in zip(group, picked, ys):
            xs[i], y[i] = x, yi
            free.remove(x)
        d = state[2]
        updates.append(Scaled(tuple(group), (r, d), (g, len(group) * d), ([new[0], new[1]], new[2])))
        state, prev = new, picked[0] if len(group) == 1 else None
    for i in perm[sum(map(len, groups)):]:          # samples no update visits
        xs[i], y[i] = free.pop(floor(random() * len(free))), floor(random() * 13) - 6
    return xs, y, updates


def _draw_update(random, state, b: int, free: list[int], n: int, last: bool, prev: int | None):
    """b samples' x's (from `free`) and y's, and θ after their update; None when TRIES draws
    all fail. Every update after the first takes one sample: unless `last`, θ after this one
    must leave that sample some _clean x. The last sample's x is never orthogonal to the one
    before, (1, x)·(1, prev) = 0: their updates would commute, and the order not matter."""
    choices = free if prev is None else [x for x in free if 1 + x * prev]
    for t in range(TRIES):
        if t == 1 and state[2] > 1:
            # the first draw took any x, as some steps cancel to small denominators all the same;
            # the others take the x's that surely keep them small
            choices = _clean_xs(state, choices, n)
        if len(choices) < b:
            return None
        picked = _distinct(random, choices, b)
        ys = _thirds(random, state, picked) if b == 3 else [floor(random() * 13) - 6 for _ in picked]
        update = _update(state, picked, ys, n)
        if update and (last or _clean_xs(update[2], [x for x in free if x not in picked], n, first=True)):
            return picked, ys, update
    return None


def _thirds(random, state, xs: list[int]) -> list[int]:
    """y's for a first batch of 3 (θ in whole numbers) that make both sums of X_Bᵀr multiples
    of 3, so that (2/3)·X_Bᵀr leaves θ small denominators: y₁ drawn, y₂ and y₃ drawn from the
    residues mod 3 that solve r₁ + r₂ + r₃ ≡ 0 and x₁r₁ + x₂r₂ + x₃r₃ ≡ 0 (xs reordered in
    place so that x₂ ≢ x₃ where two of them differ)."""
    if (xs[1] - xs[2]) % 3 == 0:
        xs[0], xs[1] = xs[1], xs[0]
    t0, t1, _ = state
    y0 = floor(random() * 13) - 6
    r0 = t0 + t1 * xs[0] - y0
    a, b = -r0, -xs[0] * r0                         # r₂ + r₃ ≡ a and x₂r₂ + x₃r₃ ≡ b
    if (xs[2] - xs[1]) % 3:
        r3 = (b - xs[1] * a) * (xs[2] - xs[1])      # 1/v ≡ v (mod 3) for v ≢ 0
    else:                   # -3, 0 and 3: x₂r₂ + x₃r₃ ≡ 0 holds anyway
        r3 = floor(random() * 3)
    return [y0, _with_residue(random, t0 + t1 * xs[1] - (a - r3)), _with_residue(random, t0 + t1 * xs[2] - r3)]


def _with_residue(random, v: int) -> int:
    """A y in −6..6 with y ≡ v (mod 3), uniformly."""
    rho = v % 3
    return rho - 6 + 3 * floor(random() * (5 if rho == 0 else 4))


def _distinct(random, values, k: int) -> list:
    """k distinct values drawn from `values`, in draw order."""
    if k == 1:
        return [values[floor(random() * len(values))]]
    pool = list(values)
    for i in range(k):
        j = i + floor(random() * (len(pool) - i))
        pool[i], pool[j] = pool[j], pool[i]
    return pool[:k]


def _clean(state, x: int, n: int) -> bool:
    """Whether one sample x, with η = 1/n, leaves θ = (t0, t1)/d with denominators of at most
    MAX_DENOMINATOR whatever its y: θⱼ − 2xⱼr/n, with r's denominator fixed by θ and x."""
    return bool(_clean_xs(state, [x], n))


def _clean_xs(state, xs: list[int], n: int, first: bool = False) -> list[int]:
    """The x's of `xs` that are _clean, in their order; only the first one with `first`."""
    t0, t1, d = state
    d0, d1, out = d // gcd(d, t0), d // gcd(d, t1), []
    for x in xs:
        ne = n * (d // gcd(d, t0 + t1 * x))
        if lcm(d0, ne // gcd(ne, 2)) <= MAX_DENOMINATOR and lcm(d1, ne // gcd(ne, 2 * x)) <= MAX_DENOMINATOR:
            out.append(x)
            if first:
                break
    return out


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
    """Every value of the update a small fraction, and some gradient to learn from."""
    return any(u.gradient[0]) and all(_fit(*value) for value in (u.theta, u.gradient, u.residuals))


def _fit(numerators, d: int) -> bool:
    """Every n/d (d > 0) a small fraction."""
    for n in numerators:
        if abs(n) > MAX_ENTRY * d or d // gcd(n, d) > MAX_DENOMINATOR:
            return False
    return True


def _step(state, xs, ys, eta):
    """θ after one update on the samples (xs, ys), η one of ETAS, as (numerators and common
    denominator), when the update is _hand_sized; else None."""
    update = _update(state, xs, ys, eta.denominator)
    return update and update[2]


def _update(state, xs, ys, n: int):
    """One update with η = 1/n on the samples (xs, ys), one feature and whole-number data, when
    it is _hand_sized: the residuals (over d) and the gradient (over b·d) as lists of numerators,
    and θ after it as (numerators and common denominator); else None. descend's arithmetic
    without its generality."""
    t0, t1, d = state                                      # θ = (t0, t1)/d
    b = len(xs)
    r = [t0 + t1 * x - y * d for x, y in zip(xs, ys)]      # over d
    g = [2 * sum(r), 2 * sum(map(mul, r, xs))]             # over b·d
    n0, n1, dn = t0 * n * b - g[0], t1 * n * b - g[1], d * n * b                        # θ − η∇
    k = gcd(dn, n0, n1)
    theta = n0 // k, n1 // k, dn // k
    if (g[0] or g[1]) and _fit(theta[:2], theta[2]) and _fit(g, b * d) and _fit(r, d):
        return r, g, theta
    return None


def _in_integers(rows, y, theta) -> tuple:
    """descend's data: s·rows and s·y in integers, the least such s, and θ as (numerators, denominator)."""
    s = lcm(*(v.denominator for v in [*y, *(v for row in rows for v in row)]))
    dt = lcm(*(v.denominator for v in theta))
    return [_scaled(row, s) for row in rows], _scaled(y, s), s, (_scaled(theta, dt), dt)


def descend(data, eta, groups, route: str = ""):
    """The updates (Scaled) on `groups` of sample indices, one at a time, from _in_integers' data,
    on the right route or a named wrong one: plus (θ + η∇), no2 (no factor 2), nob (no 1/b),
    none (neither), batch (every sample), stale (every gradient at the starting θ)."""
    X, Y, s, theta = data
    start, (step, per) = theta, eta.as_integer_ratio()
    step = -step if route == "plus" else step
    for group in groups:
        at, da = start if route == "stale" else theta
        used = range(len(X)) if route == "batch" else group
        r = [sum(map(mul, X[i], at)) - Y[i] * da for i in used]                    # over s·da
        top = 1 if route in ("no2", "none") else 2
        bottom = 1 if route in ("nob", "none") else len(used)
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


def _json(value: tuple[list[int], int]) -> list:
    """to_json(_exact(value)) without making the Fractions: an answer's entries as 3 or "3/4"."""
    numerators, d = value
    out = []
    for n in numerators:
        k = gcd(n, d)
        out.append(n // k if k == d else f"{n // k}/{d // k}")
    return out


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


def _steps_draft(params, X, y, theta, eta, groups, batched: bool, data=None, right=None) -> Draft:
    """The draft of the updates on `groups`; `data`, descend's, and the `right` updates when the
    caller has them at hand."""
    data = data or _in_integers(add_bias(X), y, theta)
    right = right or list(descend(data, eta, groups))
    context = {"variant": "minibatch" if batched else "sgd", "X": X, "y": y, "theta0": theta, "eta": eta,
               "features": len(X[0]), "given": _groups_text(groups), "count": len(groups)}
    parts = _UpdateParts(right, _WrongRoutes(data, eta, groups, batched), batched)
    thetas = [parts.theta(k) for k in range(1, len(right) + 1)]
    blanks = lambda: [p for k, t in enumerate(thetas, start=1) for p in (parts.residual(k), parts.gradient(k), t)]
    return Draft(params, context, blanks, thetas,
                 lambda: {"steps": _steps_context(right, add_bias(X), y, theta, batched)})


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
        # "nob" and "none" only for batches: with one sample per update, 2/b = 2 is the right
        # factor anyway, and leaving it out is "no2"
        wrong = {route: list(descend(data, eta, groups, route))
                 for route in ("plus", "no2", "batch", "stale") + (("nob", "none") if self.batched else ())}
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
                  "none": "Scale X_Bᵀr by 2/b: ∇ = (2/b)·X_Bᵀr, twice the mean over the batch.",
                  "nob": "Divide by the batch size b: ∇ = (2/b)·X_Bᵀr.",
                  "batch": f"That is the gradient over the whole training set; use only {one}.",
                  "stale": "That gradient is taken at the starting θ; take it at the current θ."},
            "t": {"plus": "You added η∇; gradient descent steps against the gradient: θ − η∇ "
                          "(check the residual sign too: prediction minus target).",
                  "natural": f"You took the samples in their natural order ({natural}); this epoch visits "
                             f"them as {given}.",
                  "no2": "The gradient carries a factor 2" + (" (2/b)." if batched else ": ∇ = 2r·xᵢ."),
                  "none": "You left out the factor 2/b: the gradient is (2/b)·X_Bᵀr, not X_Bᵀr.",
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
        return part(f"r{k}", kind, value(_json(self.right[k - 1].residuals)),
                    f"the residual{'s' if self.batched else ''} r in update {k}",
                    "Prediction minus target, with θ as the previous update left it.",
                    lambda: self.wrong.routes(k, "r", lambda w: value(_exact(w.residuals))))

    def gradient(self, k: int):
        return part(f"g{k}", Kind.VECTOR, _json(self.right[k - 1].gradient), f"∇, the gradient in update {k}",
                    "(2/b)·X_Bᵀr for the batch B." if self.batched else "2·r·xᵢ, the leading 1 of xᵢ included.",
                    lambda: self.wrong.routes(k, "g", lambda w: _exact(w.gradient)))

    def theta(self, k: int):
        return part(f"t{k}", Kind.VECTOR, _json(self.right[k - 1].theta), f"θ after update {k}", "θ − η∇.",
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


def _updates(params: dict) -> Draft:
    m, b, epochs = (_count(params, n) for n in ("m", "batch_size", "epochs"))
    if b > m:
        raise DrillsError(f"batch_size {b} is larger than the training set (m = {m})")
    per_epoch, floor = -(-m // b), m // b
    total = epochs * per_epoch
    method = "stochastic" if b == 1 else "batch" if b == m else "mini-batch"
    per_part = part("per_epoch", Kind.NUMBER, per_epoch, "updates in one epoch",
                    "One update per batch; a last, smaller batch counts too.",
                    lambda: [(floor, f"m/b = {m}/{b} rounded down leaves out the last {counted(m % b, 'sample')}: "
                                     "their smaller batch is an update too, so round up."),
                             (m if b > 1 else None, "That counts samples; each update uses a whole batch of b."),
                             (Fraction(m, b), "Updates come in whole numbers: round m/b up."),
                             (1 if b < m else None, "One update per epoch is batch gradient descent; here each "
                                                    "batch of b samples gets its own update.")])
    total_part = part("total", Kind.NUMBER, total, f"updates in all {counted(epochs, 'epoch')}",
                      "Every epoch has the same number of updates.",
                      lambda: [(epochs * floor, "Round m/b up in each epoch: the last, smaller batch is an update too."),
                               (epochs * m if b > 1 else None, "That counts samples; each update uses a whole batch."),
                               (-(-epochs * m // b), "Batches do not run across epochs: each epoch ends with its own "
                                                     "smaller batch, so it is epochs × ⌈m/b⌉."),
                               (per_epoch, f"That is one epoch; multiply by the {counted(epochs, 'epoch')}.")])
    context = {"variant": "updates", "size": m, "b": b, "epochs": epochs, "method": method,
               "per_epoch": per_epoch, "total": total}
    parts = [per_part, total_part]
    return Draft({"m": m, "batch_size": b, "epochs": epochs, "ask": "updates"}, context, parts, parts,
                 lambda: {"ratio": Fraction(m, b), "full": floor, "left": m % b})


def _count(params: dict, name: str) -> int:
    return read.whole(params[name], name, 1, 10**9, "a positive whole number, at most 1,000,000,000")
