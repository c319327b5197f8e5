"""NumPy's `default_rng(seed).random()` stream, in pure Python.

The same floats, bit for bit, as NumPy's PCG64 seeded through its SeedSequence (a test compares
them over thousands of seeds), for a process that makes one problem and need not import NumPy
(drills.topics.draw.uniforms says when).

NumPy's sources hold the definitions: SeedSequence in numpy/random/bit_generator.pyx, PCG64 (a
128-bit LCG with the XSL-RR output) in numpy/random/src/pcg64, and a double from a 64-bit
output as its top 53 bits.
"""
from __future__ import annotations

from collections.abc import Iterator

M32, M53, M64, M128 = (1 << 32) - 1, (1 << 53) - 1, (1 << 64) - 1, (1 << 128) - 1
MULTIPLIER = 0x2360ED051FC65DA44385DF649FCCF645           # PCG's default 128-bit multiplier
ULP = 2.0 ** -53


def seed_state(seed: int) -> tuple[int, int]:
    """(state, increment) of the PCG64 that `default_rng(seed)` makes, before its first draw."""
    words = [seed & M32]                             # the seed's 32-bit words, lowest first
    while seed := seed >> 32:
        words.append(seed & M32)
    hashed = 0x43B0D7E5

    def hashmix(value: int) -> int:
        nonlocal hashed
        value = (value ^ hashed) * (hashed := hashed * 0x931E8875 & M32) & M32
        return value ^ value >> 16

    def mix(x: int, y: int) -> int:
        value = 0xCA01F9DD * x - 0x4973F715 * y & M32
        return value ^ value >> 16

    pool = [hashmix(words[i] if i < len(words) else 0) for i in range(4)]
    for source in range(4):
        for target in range(4):
            if source != target:
                pool[target] = mix(pool[target], hashmix(pool[source]))
    for word in words[4:]:
        for target in range(4):
            pool[target] = mix(pool[target], hashmix(word))
    state, hashed = [], 0x8B51F9DD                   # generate_state(4, np.uint64)
    for i in range(8):
        value = (pool[i % 4] ^ hashed) * (hashed := hashed * 0x58F38DED & M32) & M32
        state.append(value ^ value >> 16)
    high, low, inc_high, inc_low = (state[i] | state[i + 1] << 32 for i in range(0, 8, 2))
    increment = ((inc_high << 64 | inc_low) << 1 | 1) & M128
    # PCG's seeding: from 0, a step; the seed added; a step
    return ((increment + (high << 64 | low)) * MULTIPLIER + increment) & M128, increment


def uniforms(seed: int) -> Iterator[float]:
    """The floats in [0, 1) that `numpy.random.default_rng(seed).random()` returns, in order."""
    state, increment = seed_state(seed)
    while True:
        state = (state * MULTIPLIER + increment) & M128
        folded = (state ^ state >> 64) & M64
        # rotated right by the state's top 6 bits, then its top 53 bits
        yield ((folded << 64 | folded) >> (11 + (state >> 122)) & M53) * ULP
