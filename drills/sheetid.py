"""Sheet IDs: a worksheet's topics, level, count, seed and generator version in 12 typeable
characters (Crockford base32 in groups of four, and a Luhn mod 32 check character that
catches any one mistyped character and most swapped neighbours).
"""
from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass, replace

from drills.catalog import CHANGED_IN, GENERATOR_VERSION, LEVELS, TOPICS, check_level, topic_info
from drills.errors import DrillsError

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_VALUE = {c: i for i, c in enumerate(ALPHABET)} | {"O": 0, "I": 1, "L": 1}
MAX_COUNT = 64
SEED_SPACE = 2**25          # random and per-student seeds stay below it: IDs stay 12 characters
# From version 3 a seed's remainder by FORM_SPACE picks its problems' forms (the kinds of
# question, and mostly their sizes), and a student's variant keeps the class sheet's remainder,
# so all ask alike: a form is a problem's first draws (as many as its topic's FORM_DRAWS, up to
# MAX_FORM_DRAWS; see drills.topics).
FORM_SPACE, MAX_FORM_DRAWS = 32, 3
PARALLEL_FORMS = 3          # the first generator version whose variants share their forms
OLDEST_READABLE = 2         # sheets of version 2 on are rebuilt, each by its own version's rules
RELEASES = {2: "drills 0.1", 3: "drills 0.1", 4: "drills 0.2"}     # the releases that made each version
_PAYLOAD_DIGITS = 11
SHEET_LEVELS = ("fill-in", "free-response")       # a worked example asks nothing to answer
# Bit layout, lowest first: version (6), level (2), count - 1 (6), topic mask (16), seed (rest).
# Only the version's place is fixed for ever; a later version may lay out the rest anew.
_VERSION_BITS, _LEVEL_BITS, _COUNT_BITS, _TOPIC_BITS = 6, 2, 6, 16


class SheetIdError(DrillsError):
    """A sheet ID that cannot be read, fails its check, or names problems this drills cannot make."""


@dataclass(frozen=True)
class SheetSpec:
    """Everything that decides a worksheet's problems; its `id` says all of it."""

    topics: tuple[str, ...]          # in catalog order: problems cycle through them
    level: str
    count: int
    seed: int
    version: int = GENERATOR_VERSION

    @property
    def id(self) -> str:
        return encode(self)

    def plan(self) -> list[tuple[str, int, tuple[float, ...] | None]]:
        """(topic, problem seed, form) for each problem, in order; the form (the problem's first
        draws, see problem.generate) comes from the seed's remainder by FORM_SPACE."""
        def form(i: int) -> tuple[float, ...] | None:
            if self.version < PARALLEL_FORMS:
                return None
            return tuple(derive_seed(f"form/{self.seed % FORM_SPACE}/{i}/{k}", 2**53) / 2**53
                         for k in range(MAX_FORM_DRAWS))
        return [(self.topics[i % len(self.topics)], derive_seed(f"sheet/{self.seed}/{i}", 2**31), form(i))
                for i in range(self.count)]

    def for_student(self, name: str) -> SheetSpec:
        """This sheet's variant for one student: the seed comes from the sheet seed and the name,
        and keeps the sheet seed's forms."""
        if self.version < PARALLEL_FORMS:
            return replace(self, seed=derive_seed(f"student/{self.seed}/{normal_name(name)}", 2**24))
        variant = derive_seed(f"student/{self.seed}/{name_key(name)}", SEED_SPACE // FORM_SPACE)
        return replace(self, seed=variant * FORM_SPACE + self.seed % FORM_SPACE)


def sheet_spec(topics, level: str, count: int, seed: int) -> SheetSpec:
    """A validated spec: known topics (deduplicated, catalog order), a level they have, 1..64 problems."""
    if not topics:
        raise DrillsError("a worksheet needs at least one --topic")
    chosen = {topic_info(t).name for t in topics}
    if level not in SHEET_LEVELS:
        raise DrillsError(f"a worksheet's level is {' or '.join(SHEET_LEVELS)}, not '{level}'")
    for t in chosen:
        check_level(t, level)
    if not 1 <= count <= MAX_COUNT:
        raise DrillsError(f"a worksheet has 1 to {MAX_COUNT} problems, not {count}")
    if not isinstance(seed, int) or seed < 0:
        raise DrillsError(f"seed must be a non-negative integer, got {seed!r}")
    return SheetSpec(tuple(t for t in TOPICS if t in chosen), level, count, seed)


def name_key(name: str) -> str:
    """A student's name as it seeds their variant: its letters and digits, without case or
    accents, so 'José O’Brien-Smith' on the roster and 'jose obrien smith' on the sheet agree."""
    return "".join(c for c in unicodedata.normalize("NFKD", name.casefold()) if c.isalnum())


def normal_name(name: str) -> str:
    """A student's name as version 2 seeded their variant: case, spacing and unicode form do not matter."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def derive_seed(text: str, space: int) -> int:
    """A seed in range(space) from text, the same on every machine (sha256, never hash())."""
    return int.from_bytes(hashlib.sha256(f"drills/{text}".encode()).digest()[:8], "big") % space


def encode(spec: SheetSpec) -> str:
    order = list(TOPICS)
    mask = sum(1 << order.index(t) for t in spec.topics)
    n = spec.seed
    for value, bits in ((mask, _TOPIC_BITS), (spec.count - 1, _COUNT_BITS),
                        (LEVELS.index(spec.level), _LEVEL_BITS), (spec.version, _VERSION_BITS)):
        n = n << bits | value
    digits = []
    while n or len(digits) < _PAYLOAD_DIGITS:
        n, d = divmod(n, 32)
        digits.append(d)
    digits.reverse()
    text = "".join(ALPHABET[d] for d in digits + [_check_digit(digits)])
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def decode(text: str) -> SheetSpec:
    """The spec of a sheet ID; SheetIdError says, in one line, why one cannot be used."""
    raw = "".join(str(text).split()).replace("-", "").upper()
    shown = str(text).strip()
    if not raw:
        raise SheetIdError("the sheet ID is empty")
    if bad := sorted({c for c in raw if c not in _VALUE}):
        raise SheetIdError(f"sheet ID '{shown}' has characters no sheet ID has: {''.join(bad)}")
    digits = [_VALUE[c] for c in raw]
    if len(digits) < _PAYLOAD_DIGITS + 1:
        raise SheetIdError(f"sheet ID '{shown}' is too short: sheet IDs have {_PAYLOAD_DIGITS + 1} characters or more")
    if _check_digit(digits[:-1]) != digits[-1]:
        raise SheetIdError(f"sheet ID '{shown}' fails its check character: a typo, or an edited ID")
    n = 0
    for d in digits[:-1]:
        n = n * 32 + d
    fields = []
    for bits in (_VERSION_BITS, _LEVEL_BITS, _COUNT_BITS, _TOPIC_BITS):
        fields.append(n & (1 << bits) - 1)
        n >>= bits
    version, level, count, mask = fields
    if version and not OLDEST_READABLE <= version <= GENERATOR_VERSION:
        raise SheetIdError(_version_message(shown, version))
    order = list(TOPICS)
    if not version or level >= len(LEVELS) or LEVELS[level] not in SHEET_LEVELS or not mask or mask >> len(order):
        raise SheetIdError(f"sheet ID '{shown}' is not one drills makes (unknown level or topics)")
    topics = tuple(t for i, t in enumerate(order) if mask >> i & 1)
    if changed := [t for t in topics if CHANGED_IN.get(t, 0) > version]:
        raise SheetIdError(_version_message(shown, version, changed))
    return SheetSpec(topics, LEVELS[level], count + 1, n, version)


def _version_message(shown: str, version: int, changed: list[str] = ()) -> str:
    if version > GENERATOR_VERSION:
        return (f"sheet {shown} was made by a newer drills (generator version {version}; this one makes "
                f"version {GENERATOR_VERSION}): upgrade drills to grade it")
    why = f"its {', '.join(changed)} problems are made differently now" if changed else "it cannot rebuild its problems"
    return (f"sheet {shown} was made by an older drills (generator version {version}; this one makes "
            f"version {GENERATOR_VERSION}), and {why}: grade it with the drills release that made it "
            f"({RELEASES.get(version, 'an older one')}), so it is never graded against different problems")


def _check_digit(digits: list[int]) -> int:
    """Luhn mod 32: the digit that makes the weighted sum of the whole ID divisible by 32."""
    total = 0
    for i, d in enumerate(reversed(digits)):
        if i % 2 == 0:
            d *= 2
            d = d // 32 + d % 32
        total += d
    return -total % 32
