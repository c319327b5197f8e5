"""Small composable draws from a seeded numpy Generator; every draw goes through `rng`."""
from __future__ import annotations

import json
import zlib


def pick(rng, options):
    """One of `options`, uniformly."""
    return options[int(rng.integers(len(options)))]


def ints(rng, rows: int, cols: int, low: int = -4, high: int = 5, nonzero: bool = False) -> list[list[int]]:
    """A rows×cols matrix of integers in [low, high] (without 0 when `nonzero`)."""
    values = [v for v in range(low, high + 1) if v or not nonzero]
    picks = rng.integers(len(values), size=(rows, cols)).tolist()
    return [[values[i] for i in row] for row in picks]


def int_vector(rng, n: int, low: int = -4, high: int = 5, nonzero: bool = False) -> list[int]:
    return ints(rng, 1, n, low, high, nonzero)[0]


def layout_seed(params: dict) -> int:
    """A number fixed by the params alone, for layout choices such as which steps to blank."""
    return zlib.crc32(json.dumps(params, sort_keys=True).encode())


def spread(count: int, k: int, salt: int) -> list[int]:
    """k distinct indices out of range(count), evenly spaced and rotated by `salt`."""
    k = min(k, count)
    return sorted({(salt + i * count // k) % count for i in range(k)})
