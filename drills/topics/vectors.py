"""Vectors: magnitude, unit vector, dot product, cos α and the angle α, distance, cross product.

Params: {"a": [...], "b": [...], "ask": one of ASKS}; "b" only for the two-vector asks.
The lengths a problem asks must be exact (rational), so samples are built backwards from
Pythagorean vectors and from small pairs at known angles; an angle whose |a||b| is a surd (45°,
30°) is worked through cos²α = (a·b)²/(|a|²|b|²), which is exact.
"""
from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from fractions import Fraction
from functools import lru_cache
from operator import mul

from drills.errors import DrillsError
from drills.notation import Dot, Sym
from drills.topics import HAND_SIZED, Draft, part
from drills.topics import params as read
from drills.topics.draw import int_vector, pick
from grader.reference.rational import rational_sqrt, scale
from grader.spec import Kind, Tolerance

ASKS = ("magnitude", "unit", "dot", "cos", "angle", "distance", "cross")
ONE_VECTOR = ("magnitude", "unit")
# Integer vectors with whole-number lengths: (3, 4) -> 5, (1, 2, 2) -> 3, ...
PYTHAGOREAN = {2: ((3, 4), (5, 12), (6, 8), (8, 15)),
               3: ((1, 2, 2), (2, 3, 6), (1, 4, 8), (4, 4, 7), (2, 6, 9), (2, 10, 11))}
# cos² α -> α for the acute angles whose cosine is exact (cos α ≥ 0); an obtuse α is 180° minus one
ACUTE = {Fraction(1): 0, Fraction(3, 4): 30, Fraction(1, 2): 45, Fraction(1, 4): 60, Fraction(0): 90}
ACUTE_COS = {0: "1", 30: "√3/2", 45: "√2/2", 60: "1/2", 90: "0"}     # how the steps write cos of each
# Small vector pairs at an acute special angle (both with two or more non-zero components, found
# by search); a sampler turns and scales them. At 30° and 45° cos α is a surd, so |a||b| is one too.
ACUTE_PAIRS = {30: (((2, 1, 1), (1, 1, 0)), ((5, 4, 3), (1, 1, 2))),
               45: (((3, 1), (2, -1)), ((3, 1), (1, 2)), ((2, 2, 1), (1, 0, 1)), ((4, 1, 1), (2, 2, -1))),
               60: (((1, 1, 0), (1, 0, 1)), ((2, 1, 1), (1, 2, -1)), ((3, 2, 1), (2, -1, 3)),
                    ((4, 1, 1), (1, 0, -1)), ((4, 1, 1), (1, 4, 1)), ((4, 3, 1), (3, -1, 4)))}
# 2-vectors with cos α = 4/5 or 3/5: in the plane no other cos α but 0 and ±1 has a denominator ≤ 12
PLANE_COS_PAIRS = (((4, 3), (1, 0)), ((3, 1), (3, -1)), ((2, 1), (1, 2)),
                   ((4, 3), (0, 1)), ((3, 1), (1, 3)), ((2, 1), (2, -1)))
TRIVIAL = 0.12       # the share of parallel or perpendicular pairs among the cos α and α problems
ANGLE_TOLERANCE = Tolerance(abs=0.5)   # degrees
_SUB = "₁₂₃"


# A class's worksheet variants share a problem's first two draws: which quantity, then the dimension
FORM_DRAWS = 2


def sample_params(rng, level: str) -> dict:
    ask, n = pick(rng, ASKS), pick(rng, (2, 3))
    if ask in ONE_VECTOR:   # a/|a| has denominator |a|: at most 12
        return {"a": pythagorean(rng, n, 17 if ask == "magnitude" else 12), "ask": ask}
    if ask == "dot":
        n = pick(rng, (n, n + 1))
        return {"a": int_vector(rng, n, -6, 6), "b": int_vector(rng, n, -6, 6), "ask": ask}
    if ask == "cross":
        a, b = int_vector(rng, 3, -4, 5), int_vector(rng, 3, -4, 5)
        while not any(cross(a, b)):
            if not any(a):            # a zero a is parallel to every b: a new b alone never ends it
                a = int_vector(rng, 3, -4, 5)
            b = int_vector(rng, 3, -4, 5)
        return {"a": a, "b": b, "ask": ask}
    if ask == "distance":
        return {**_distance_pair(rng, n), "ask": ask}
    if ask == "cos":
        pair = _plain_pair(rng, pick(rng, (0, 90, 180))) if rng.random() < TRIVIAL else _cos_pair(rng, n)
        return {**pair, "ask": ask}
    trivial = rng.random() < TRIVIAL
    return {**_angle_pair(rng, pick(rng, (0, 90, 180) if trivial else (30, 45, 60, 120, 135, 150))), "ask": ask}


def pythagorean(rng, n: int, longest: int = 17) -> list[int]:
    """A whole-length vector: a Pythagorean base (length ≤ longest), permuted, signed, maybe doubled."""
    base = pick(rng, _bases(n, longest))
    k = pick(rng, (1, 1, 2)) if max(base) <= 6 else 1
    return [k * base[i] * pick(rng, (1, -1)) for i in rng.permutation(n)]


@lru_cache
def _bases(n: int, longest: int) -> tuple:
    return tuple(v for v in PYTHAGOREAN[n] if math.isqrt(sum(x * x for x in v)) <= longest)


def _cos_pair(rng, n: int) -> dict:
    """Two vectors, neither parallel nor perpendicular, whose cos α has a denominator of at most
    12: 3-vectors of whole length, or a plane pair at cos α = ±4/5 or ±3/5."""
    if n == 2:
        return _turned(rng, *pick(rng, PLANE_COS_PAIRS), obtuse=pick(rng, (False, True)))
    while True:
        a, b = pythagorean(rng, n), pythagorean(rng, n)
        norms = math.isqrt(_sum_products(a, a)) * math.isqrt(_sum_products(b, b))   # both whole
        ab = _sum_products(a, b)
        if norms // math.gcd(ab, norms) <= 12 and 0 < abs(ab) < norms:    # the denominator of cos α
            return {"a": a, "b": b}


def _angle_pair(rng, degrees: int) -> dict:
    """Small integer vectors at a special angle: a pair of ACUTE_PAIRS turned, or a parallel or
    perpendicular one."""
    if degrees in (0, 90, 180):
        return _plain_pair(rng, degrees)
    return _turned(rng, *pick(rng, ACUTE_PAIRS[min(degrees, 180 - degrees)]), obtuse=degrees > 90)


def _turned(rng, a, b, obtuse: bool) -> dict:
    """a and b under one signed permutation of the axes (their angle stays), in either order,
    b negated for the obtuse angle, and one of them maybe doubled while the numbers the steps
    ask stay hand-sized."""
    signs = [pick(rng, (1, -1)) for _ in a]
    order = rng.permutation(len(a))
    first, second = (a, b) if pick(rng, (0, 1)) else (b, a)
    a = [s * first[i] for s, i in zip(signs, order)]
    b = [s * second[i] for s, i in zip(signs, order)]
    if obtuse:
        b = [-x for x in b]
    k, which = pick(rng, (1, 1, 2)), pick(rng, (0, 1))
    if k > 1:
        scaled = ([k * x for x in a], b) if which == 0 else (a, [k * x for x in b])
        product = _sum_products(scaled[0], scaled[0]) * _sum_products(scaled[1], scaled[1])
        if math.isqrt(product) ** 2 == product or product <= HAND_SIZED[0]:   # |a||b|, or |a|²|b|² asked
            a, b = scaled
    return {"a": a, "b": b}


def _plain_pair(rng, degrees: int) -> dict:
    """Small integer vectors that are parallel (0°), opposite (180°) or perpendicular (90°), with
    |a||b| whole; perpendicular pairs are screened in whole numbers."""
    if degrees in (0, 180):
        base = int_vector(rng, pick(rng, (2, 3)), -3, 3)
        while sum(v != 0 for v in base) < 2:
            base = int_vector(rng, len(base), -3, 3)
        j, k = pick(rng, ((1, 2), (2, 1), (1, 3), (2, 3), (3, 1)))
        return {"a": [j * v for v in base], "b": [(k if degrees == 0 else -k) * v for v in base]}
    n = pick(rng, (2, 3))
    while True:
        a, b = int_vector(rng, n, -3, 3), int_vector(rng, n, -3, 3)
        if (_sum_products(a, b) == 0 and n - a.count(0) >= 2 and n - b.count(0) >= 2
                and math.isqrt(squared := _sum_products(a, a) * _sum_products(b, b)) ** 2 == squared):
            return {"a": a, "b": b}


def _distance_pair(rng, n: int) -> dict:
    """a = b + d with |d| whole; up to 40 tries for a whole |a| too (so |a| − |b| can tempt)."""
    fallback = None
    for tries in itertools.count():
        b, d = pythagorean(rng, n), pythagorean(rng, n)
        a = [x + y for x, y in zip(b, d)]
        if any(a) and max(map(abs, a)) <= 12:
            fallback = fallback or {"a": a, "b": b}
            if math.isqrt(square := _sum_products(a, a)) ** 2 == square:
                return {"a": a, "b": b}
            if tries >= 40:
                return fallback


def _sum_products(a, b):
    return sum(map(mul, a, b))     # an int for ints: whole numbers stay out of Fraction


def cross(a, b) -> list:
    return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]]


def sample(rng, level: str) -> Draft:
    """sample_params's problem, built from its ints as they are (build reads them through Fractions)."""
    params = sample_params(rng, level)
    # the draft gets its own lists: a caller may change the problem's params
    b = params.get("b")
    return BUILDERS[params["ask"]](params, list(params["a"]), b and list(b))


def build(params: dict) -> Draft:
    read.only(params, {"a", "b", "ask"}, {"a"})
    ask = read.choice(params, "ask", ASKS, "dot" if "b" in params else "magnitude")
    a = read.plain(read.vector(params, "a"))
    if ask in ONE_VECTOR:
        if "b" in params:
            raise DrillsError(f"param 'b' is not used with \"ask\": \"{ask}\"")
        return BUILDERS[ask]({"a": params["a"], "ask": ask}, a, None)
    if "b" not in params:
        raise DrillsError(f"\"ask\": \"{ask}\" needs a second vector 'b'")
    b = read.plain(read.vector(params, "b"))
    if ask == "cross" and (len(a), len(b)) != (3, 3):
        raise DrillsError(f"the cross product a×b needs two 3-vectors; a has {len(a)} entries "
                          f"and b has {len(b)}")
    if len(a) != len(b):
        raise DrillsError(f"a has {len(a)} entries and b has {len(b)}; they must have the same length")
    if ask in ("cos", "angle") and not (any(a) and any(b)):
        raise DrillsError(f"{'b' if any(a) else 'a'} is the zero vector: it has no direction, "
                          "so the angle is undefined")
    return BUILDERS[ask]({"a": params["a"], "b": params["b"], "ask": ask}, a, b)


def _root(value):
    """The exact square root of an int or a Fraction, in its kind, or None when it is irrational."""
    if type(value) is int:
        root = math.isqrt(value)
        return root if root * root == value else None
    return rational_sqrt(value)


def _exact(value, what: str):
    """The exact square root of `value`, or a one-line error saying it is irrational."""
    length = _root(value)
    if length is None:
        raise DrillsError(f"{what} = {value} is not a perfect square, so its square root is "
                          "irrational; this drill needs exact lengths, e.g. a = [3, 4] or [1, 2, 2]")
    return length


def _length_steps(v, name: str, extra=lambda: ()) -> tuple[Callable[[], dict], Callable[[], list], object]:
    """|v|² as a sum of squares, then |v|: the worked values and the blank 'square' (both put
    off) and the part 'length'."""
    square = _sum_products(v, v)
    length = _exact(square, f"|{name}|²")
    total = sum(v)
    blank = lambda: [part("square", Kind.NUMBER, square, f"|{name}|², the sum of the squared components",
                          "Square each component (multiply it by itself), then add.",
                          [(total, "Square each component before adding them."),
                           (total ** 2, "That squares the sum; square each component, then add."),
                           (2 * total, "A square is a component times itself, not times 2.")])]
    answer = part("length", Kind.NUMBER, length, f"|{name}|, the length of {name}",
                  f"|{name}| is the square root of |{name}|².",
                  lambda: [(square, f"That is |{name}|² = {square}: take its square root to get |{name}|."),
                           *extra(),
                           (total, "You added the components; square each, add, then take the square root."),
                           (sum(abs(x) for x in v), "That adds the sizes of the components; the length "
                                                    "squares them, adds, then takes the square root.")])
    worked = lambda: {"square": square, "length": length, "squares": Dot(tuple(zip(v, v)))}
    return worked, blank, answer


def _magnitude(params, a, b) -> Draft:
    worked, square, length = _length_steps(a, "a")
    return Draft(params, {"variant": "magnitude", "a": a}, lambda: [*square(), length], [length], worked)


def _unit(params, a, b) -> Draft:
    if not any(a):
        raise DrillsError("a is the zero vector: it has no direction, so it has no unit vector")
    worked, square_part, length_part = _length_steps(a, "a")
    square = _sum_products(a, a)
    length = _root(square)                  # exact: _length_steps checked it
    unit = scale(Fraction(1, length), a)
    answer = part("unit", Kind.VECTOR, unit, "u = a/|a|, the unit vector",
                  "Divide every component of a by the length |a|.",
                  lambda: [(scale(Fraction(1, square), a),
                            f"You divided by |a|² = {square}; divide by |a| = {length}."),
                           (a, "That is a itself: divide it by |a| so that its length becomes 1."),
                           (scale(length, a), f"You multiplied by |a| = {length}; divide by it."),
                           (scale(Fraction(1, sum(abs(x) for x in a)), a),
                            "You divided by |a₁| + |a₂| + …; divide by the length |a|.")])
    return Draft(params, {"variant": "unit", "a": a}, lambda: [*square_part(), length_part, answer], [answer],
                 lambda: {**worked(), "unit": unit, "recip": Fraction(1, length)})


def _dot_part(a, b, d):
    """The part a·b = d."""
    return part("dot", Kind.NUMBER, d, "a·b, the dot product",
                "Multiply matching components, then add the products: one number.",
                [(sum(a) * sum(b), "That multiplies the sums; multiply matching components first, "
                                   "then add the products."),
                 (sum(a) + sum(b), "Multiply matching components, then add the products; do not "
                                   "add all the components.")])


def _dot(params, a, b) -> Draft:
    d = _sum_products(a, b)
    answer = _dot_part(a, b, d)
    products = [x * y for x, y in zip(a, b)]
    blank = lambda: part("products", Kind.VECTOR, products, "the products aᵢbᵢ, as a vector",
                         "Multiply component i of a by component i of b.",
                         [([x + y for x, y in zip(a, b)], "Multiply matching components; do not add them.")])
    worked = lambda: {"dot": d, "expansion": Dot(tuple(zip(a, b))), "products": products,
                      "kind": "acute" if d > 0 else "obtuse" if d < 0 else "right", "has_kind": any(a) and any(b)}
    return Draft(params, {"variant": "dot", "a": a, "b": b}, lambda: [blank(), answer], [answer], worked)


def _squares(a, b) -> tuple:
    """a·b, |a|² and |b|²."""
    return _sum_products(a, b), _sum_products(a, a), _sum_products(b, b)


def _shared_steps(a, b, d, sa, sb) -> dict:
    """The worked values of a·b, |a|² and |b|², which cos α and cos²α both show."""
    return {"dot": d, "expansion": Dot(tuple(zip(a, b))), "sq_a": sa, "sq_b": sb,
            "squares_a": Dot(tuple(zip(a, a))), "squares_b": Dot(tuple(zip(b, b))), "sq_product": sa * sb}


def _cos_steps(a, b, d, sa, sb, norms) -> tuple[Fraction, Callable[[], dict], Callable[[], list], object]:
    """a·b, |a||b| = norms (the square root of |a|²|b|², exact) and cos α = a·b/(|a||b|): cos α,
    the worked values and the blanks before cos α (both put off) and the part cos α."""
    cos = Fraction(d, norms)
    lengths = lambda: (_root(sa), _root(sb))
    blanks = lambda: [_dot_part(a, b, d),
                      part("norms", Kind.NUMBER, norms, "|a||b|, the product of the lengths",
                           "Multiply the lengths; |a||b| is the square root of |a|²·|b|².",
                           [(sa * sb, "That is |a|²·|b|²: take its square root."),
                            (_sum(*lengths()), "Multiply the lengths; do not add them.")])]
    answer = part("cos", Kind.NUMBER, cos, "the cosine of the angle between a and b", "cos α = a·b / (|a||b|).",
                  lambda: [(d, "You forgot to divide by the lengths: cos α = a·b / (|a||b|)."),
                           (Fraction(d, sa * sb), "You divided by |a|²|b|²; divide by the lengths |a||b|."),
                           (Fraction(norms, d) if d else None, "That is upside down: cos α = a·b / (|a||b|).")])

    def worked() -> dict:
        la, lb = lengths()
        return {**_shared_steps(a, b, d, sa, sb), "len_a": la, "len_b": lb,
                "separate": la is not None and lb is not None, "norms": norms, "cos": cos, "exact": True}
    return cos, worked, blanks, answer


def _sum(x, y):
    """x + y, or None when either is missing."""
    return None if x is None or y is None else x + y


def _cos(params, a, b) -> Draft:
    d, sa, sb = _squares(a, b)
    cos, worked, blanks, answer = _cos_steps(a, b, d, sa, sb, _exact(sa * sb, "|a|²·|b|²"))
    return Draft(params, {"variant": "cos", "a": a, "b": b}, lambda: [*blanks(), answer], [answer], worked)


def _angle(params, a, b) -> Draft:
    """α from cos α when |a||b| is exact, else from cos²α = (a·b)²/(|a|²|b|²) and the sign of a·b
    (at 45° and 30°, cos α = √2/2 and √3/2 are surds; their squares are not)."""
    d, sa, sb = _squares(a, b)
    norms = _root(sa * sb)
    if norms is not None:
        cos, steps, blanks, cos_part = _cos_steps(a, b, d, sa, sb, norms)
        cos_sq, sign = cos * cos, _sign(cos)
        cos_text = lambda: str(cos)
        asked = lambda: [*blanks(), cos_part]
    else:
        cos_sq, sign = Fraction(d * d, sa * sb), _sign(d)
        steps, asked = _cos_squared_steps(a, b, d, sa, sb, cos_sq)
        cos_text = lambda: (("-" if sign < 0 else "")
                            + (ACUTE_COS[ACUTE[cos_sq]] if cos_sq in ACUTE else f"√({cos_sq})"))
    alpha = _degrees(cos_sq, sign)
    special = cos_sq in ACUTE

    def mistakes() -> list:
        text = cos_text()
        surd = "√" in text
        wrong = [(_degrees(cos_sq, -sign), f"That is the angle for cos α = {_negated(text)}; here cos α = "
                                           f"{text} is {'negative' if sign < 0 else 'positive'}."),
                 (Fraction(str(round(sign * math.sqrt(cos_sq), 3))) if surd else sign * rational_sqrt(cos_sq),
                  f"That is cos α; α is the angle whose cosine is {text}."),
                 (90 - alpha, "That is the inverse sine; the angle comes from the inverse cosine.")]
        if surd:
            wrong.insert(1, (_degrees(cos_sq * cos_sq, sign), f"That is the angle whose cosine is cos²α = "
                                                               f"{cos_sq}; cos α is its square root, {text}."))
        kept: list = []
        for value, message in wrong:     # keep only mistakes the tolerance cannot confuse
            if all(abs(value - v) > 2 * ANGLE_TOLERANCE.abs for v in [alpha] + [k for k, _ in kept]):
                kept.append((value, message))
        return [(_decimal(v), message) for v, message in kept]
    answer = part("angle", Kind.NUMBER, _decimal(alpha), "the angle between a and b, in degrees",
                  "α is the angle from 0 to 180 degrees whose cosine is cos α.", mistakes, tolerance=ANGLE_TOLERANCE)

    def worked() -> dict:
        acute = int(min(alpha, 180 - alpha)) if special else None
        return {**steps(), "alpha": _decimal(alpha), "sign": sign, "acute": acute,
                "acute_cos": Sym(ACUTE_COS[acute]) if special else None, "cos_shown": Sym(cos_text()),
                "cos_root": Sym(("-" if sign < 0 else "") + f"√({cos_sq})"), "obtuse": special and alpha > 90}
    return Draft(params, {"variant": "angle", "a": a, "b": b, "special": special}, lambda: [*asked(), answer],
                 [answer], worked)


def _cos_squared_steps(a, b, d, sa, sb, cos_sq) -> tuple[Callable[[], dict], Callable[[], list]]:
    """a·b, |a|²|b|² and cos²α = (a·b)²/(|a|²|b|²), all exact when |a||b| is not: the worked
    values and the blanks (both put off)."""
    product = sa * sb
    blanks = lambda: [_dot_part(a, b, d),
                      part("norms_sq", Kind.NUMBER, product, "|a|²|b|², the product of the squared lengths",
                           "Multiply |a|² by |b|².", [(sa + sb, "Multiply |a|² and |b|²; do not add them.")]),
                      part("cos_sq", Kind.NUMBER, cos_sq, "cos²α, the square of the cosine",
                           "cos²α = (a·b)² / (|a|²|b|²).",
                           [(Fraction(d, product), "Square a·b too: cos²α = (a·b)² / (|a|²|b|²)."),
                            (d * d, "You forgot to divide by |a|²|b|²: cos²α = (a·b)² / (|a|²|b|²)."),
                            (Fraction(product, d * d) if d else None, "That is upside down: "
                                                                       "cos²α = (a·b)² / (|a|²|b|²).")])]
    worked = lambda: {**_shared_steps(a, b, d, sa, sb), "cos_sq": cos_sq, "exact": False,
                      "ratio": Sym(f"{d if d >= 0 else f'({d})'}^2/{product}")}
    return worked, blanks


def _sign(x) -> int:
    return (x > 0) - (x < 0)


def _negated(text: str) -> str:
    return text[1:] if text.startswith("-") else f"-{text}"


def _degrees(cos_sq: Fraction, sign: int) -> Fraction:
    """arccos in degrees of the cosine with this square and sign: exact at the special angles,
    else to one decimal."""
    if cos_sq in ACUTE:
        return Fraction(ACUTE[cos_sq] if sign >= 0 else 180 - ACUTE[cos_sq])
    root = rational_sqrt(cos_sq)
    cos = sign * (float(root) if root is not None else math.sqrt(cos_sq))
    return Fraction(str(round(math.degrees(math.acos(cos)), 1)))


def _decimal(x: Fraction):
    """A whole number as it is, else one decimal as text ("44.4"): how degrees are written."""
    return int(x) if x.denominator == 1 else f"{float(x):.1f}"


def _distance(params, a, b) -> Draft:
    diff, total = [x - y for x, y in zip(a, b)], [x + y for x, y in zip(a, b)]
    extra = lambda: [(_difference(_root(_sum_products(a, a)), _root(_sum_products(b, b))),
                      "That is |a| − |b|, the difference of the lengths; the distance is the length of the "
                      "difference, |a − b|."),
                     (_root(_sum_products(total, total)), "That is |a + b|: the distance subtracts the vectors.")]
    worked, square, length = _length_steps(diff, "a − b", extra)
    blank = lambda: part("diff", Kind.VECTOR, diff, "a − b", "Subtract the components of b from those of a.",
                         [(total, "Subtract b from a; do not add them."),
                          ([-x for x in diff], "That is b − a; this step uses a − b (the distance "
                                               "comes out the same).")])
    return Draft(params, {"variant": "distance", "a": a, "b": b}, lambda: [blank(), *square(), length], [length],
                 lambda: {**worked(), "diff": diff})


def _difference(x, y):
    """x − y, or None when either is missing."""
    return None if x is None or y is None else x - y


def _cross(params, a, b) -> Draft:
    c = cross(a, b)
    pairs = ((1, 2), (2, 0), (0, 1))   # component i uses the other two, in cyclic order
    blanks = lambda: [part(f"c{i + 1}", Kind.NUMBER, c[i], f"component {i + 1} of a×b",
                           f"a{_SUB[j]}b{_SUB[k]} − a{_SUB[k]}b{_SUB[j]}.",
                           [(-c[i], f"That is component {i + 1} of b×a; the first product of a×b is "
                                    f"a{_SUB[j]}b{_SUB[k]}, a first."),
                            (a[j] * b[k] + a[k] * b[j], "The two products are subtracted, not added.")])
                      for i, (j, k) in enumerate(pairs)]
    final = part("cross", Kind.VECTOR, c, "a×b", "Each component of a×b uses the other two components "
                 "of a and b: (a₂b₃ − a₃b₂, a₃b₁ − a₁b₃, a₁b₂ − a₂b₁).",
                 lambda: [(cross(b, a), "That is b×a = −(a×b): the order of the factors matters."),
                          ([c[0], -c[1], c[2]], "The middle component has the wrong sign: it is a₃b₁ − a₁b₃."),
                          ([x * y for x, y in zip(a, b)], "That multiplies matching components; each "
                                                          "component of a×b pairs the other two.")])
    worked = lambda: {"cross": c, "steps": [Dot(((a[j], b[k]), (a[k], b[j])), (1, -1)) for j, k in pairs]}
    return Draft(params, {"variant": "cross", "a": a, "b": b}, blanks, [final], worked)


BUILDERS = {"magnitude": _magnitude, "unit": _unit, "dot": _dot, "cos": _cos, "angle": _angle,
            "distance": _distance, "cross": _cross}
