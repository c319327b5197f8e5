"""Small composable draws from a seeded source; every draw goes through `rng`.

`Draws` is that source: the uniforms of NumPy's `default_rng(seed)`, each small draw read off
them in pure Python (a NumPy call costs microseconds, and samplers that screen many candidates
make hundreds of small draws per problem).
"""
from __future__ import annotations

import json
import sys
import zlib
from collections.abc import Iterator
from itertools import chain, repeat
from math import floor

from drills.topics import pcg64

BLOCK = 64                         # uniforms fetched from NumPy at a time
PYTHON_PROBLEMS = 256              # a process's problems drawn in pure Python, at most
_drawn_in_python = 0


def uniforms(seed: int) -> Iterator[float]:
    """The uniforms of `numpy.random.default_rng(seed)`, in order: from pure Python
    (drills.topics.pcg64) for a process's first PYTHON_PROBLEMS problems unless NumPy is loaded,
    and from NumPy, in blocks, after.

    `drills generate` and a practice session are spared NumPy's import (80 ms here, most of their
    start-up); a process that makes many problems (a class's worksheets) pays it once and then
    draws at NumPy's speed: a uniform costs 0.9 µs in Python, 0.03 µs from NumPy.
    """
    global _drawn_in_python
    if _drawn_in_python < PYTHON_PROBLEMS and "numpy" not in sys.modules:
        _drawn_in_python += 1
        return pcg64.uniforms(seed)
    import numpy as np

    rng = np.random.default_rng(seed)
    return chain.from_iterable(rng.random(BLOCK).tolist() for _ in repeat(None))


class Draws:
    """The part of numpy.random.Generator's interface the topics use, on plain Python values.

    Every draw is read off uniforms u in [0, 1) (an int below n is ⌊u·n⌋), so the same seed
    gives the same draws on every machine. math.floor takes it: for u·n ≥ 0 it is int(u·n), at
    a third of the cost of calling int.
    """

    __slots__ = ("random",)

    def __init__(self, seed: int, form: tuple[float, ...] | None = None):
        # random(), a uniform float in [0, 1), is the stream's own __next__, with no Python
        # method between: samplers that screen candidates make hundreds of draws a problem.
        # `form`, when given, holds the first uniforms: every topic picks its kind of question
        # (and mostly its size) with them
        stream = uniforms(seed)
        self.random = (stream if form is None else chain(form, stream)).__next__

    def integers(self, low: int, high: int | None = None, size=None):
        """An int in [low, high) ([0, low) without high); with `size` (n or (rows, cols)) a list
        of them, or a list of rows."""
        if high is None:
            low, high = 0, low
        span, random = high - low, self.random
        if size is None:
            return low + floor(random() * span)
        if isinstance(size, tuple):
            rows, cols = size
            return [[low + floor(random() * span) for _ in range(cols)] for _ in range(rows)]
        return [low + floor(random() * span) for _ in range(size)]

    def shuffle(self, items: list) -> None:
        """Shuffle a list in place (Fisher–Yates)."""
        random = self.random
        for i in range(len(items) - 1, 0, -1):
            j = floor(random() * (i + 1))
            items[i], items[j] = items[j], items[i]

    def permutation(self, n: int) -> list[int]:
        order = list(range(n))
        self.shuffle(order)
        return order

    def choice(self, options, size: int) -> list:
        """`size` distinct picks from `options` (a sequence, or n for range(n)), in draw order:
        numpy's choice(..., replace=False)."""
        pool = list(range(options)) if isinstance(options, int) else list(options)
        n, random = len(pool), self.random
        if size > n:
            raise ValueError(f"cannot choose {size} distinct values out of {n}")
        for i in range(size):
            j = i + floor(random() * (n - i))
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:size]


def pick(rng, options):
    """One of `options`, uniformly."""
    return options[floor(rng.random() * len(options))]


def ints(rng, rows: int, cols: int, low: int = -4, high: int = 5, nonzero: bool = False) -> list[list[int]]:
    """A rows×cols matrix of integers in [low, high] (without 0 when `nonzero`), row by row."""
    return [int_vector(rng, cols, low, high, nonzero) for _ in range(rows)]


def int_vector(rng, n: int, low: int = -4, high: int = 5, nonzero: bool = False) -> list[int]:
    random = rng.random
    if not nonzero:
        span = high + 1 - low
        return [low + floor(random() * span) for _ in range(n)]
    values = [v for v in range(low, high + 1) if v]
    k = len(values)
    return [values[floor(random() * k)] for _ in range(n)]


def layout_seed(params: dict) -> int:
    """A number fixed by the params alone, for layout choices such as which steps to blank."""
    return zlib.crc32(json.dumps(params, sort_keys=True).encode())


def spread(count: int, k: int, salt: int) -> list[int]:
    """k distinct indices out of range(count), evenly spaced and rotated by `salt`."""
    k = min(k, count)
    return sorted({(salt + i * count // k) % count for i in range(k)})
