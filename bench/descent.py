"""Batch gradient descent against its anchors: one read of X and one XᵀX, measured in the same run.

    python -m bench.descent [--n 1000000] [--d 100] [--epochs 1000] [--device cpu|gpu]

Slow routes are timed over a few epochs and reported per epoch; the 1000-epoch totals are
per-epoch time × epochs for them, measured whole for the Gram route. With --device gpu the
arrays live on the GPU (CuPy) and the read of X also gives the memory bandwidth reached.
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from grader.reference.backend import gpu_available, namespace, to_device
from grader.reference.descent import batch_gd


def best_of(fn, repeat: int = 3, sync=lambda: None) -> float:
    """The shortest of `repeat` runs of fn, each waited for (sync: the GPU's queue drained)."""
    times = []
    for _ in range(repeat):
        sync()
        start = time.perf_counter()
        fn()
        sync()
        times.append(time.perf_counter() - start)
    return min(times)


def textbook_epochs(X, y, eta, epochs):
    """The loop from the notes: 2/m * X.T @ (X @ theta - y), scaled copy of X and all."""
    m = len(X)
    theta = namespace(X).zeros(X.shape[1], dtype=X.dtype)
    for _ in range(epochs):
        gradients = 2 / m * X.T @ (X @ theta - y)
        theta = theta - eta * gradients
    return theta


def bench(n: int, d: int, epochs: int, dtype, device: str = "cpu") -> None:
    rng = np.random.default_rng(0)
    X = rng.standard_normal((n, d)).astype(dtype)
    y = (X @ rng.standard_normal(d) + rng.standard_normal(n)).astype(dtype)
    X, y = to_device(X, device), to_device(y, device)
    xp = namespace(X)
    sync = xp.cuda.get_current_stream().synchronize if device == "gpu" else (lambda: None)
    timed = lambda fn, repeat=3: best_of(fn, repeat, sync)
    v = xp.ones(d, dtype=dtype)
    read = timed(lambda: X @ v)
    gram = timed(lambda: X.T @ X, repeat=2)
    few = 5
    textbook = timed(lambda: textbook_epochs(X, y, 0.01, few), repeat=1) / few
    direct = timed(lambda: batch_gd(X, y, eta=0.01, epochs=few, route="direct"), repeat=1) / few
    gram_total = timed(lambda: batch_gd(X, y, eta=0.01, epochs=epochs, route="gram"), repeat=1)
    name = np.dtype(dtype).name
    print(f"\n{name} on {device}: n={n:,} d={d} ({X.nbytes / 2**20:.0f} MiB), {epochs} epochs")
    print(f"  anchors: one read of X (X @ v) {read * 1e3:8.2f} ms ({X.nbytes / read / 1e9:.0f} GB/s)"
          f"   one XᵀX {gram * 1e3:8.2f} ms")
    print(f"  {'route':<12}{'per epoch / read of X':>24}{f'{epochs} epochs / XᵀX':>22}{'vs textbook':>14}")
    for label, per_epoch, total in (("textbook", textbook, textbook * epochs),
                                    ("direct", direct, direct * epochs),
                                    ("gram", gram_total / epochs, gram_total)):
        print(f"  {label:<12}{per_epoch / read:>24.2f}{total / gram:>22.2f}{textbook * epochs / total:>13.1f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--d", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=1000)
    parser.add_argument("--device", choices=("cpu", "gpu"), default="cpu")
    args = parser.parse_args()
    if args.device == "gpu" and not gpu_available():
        parser.error("--device gpu needs CuPy and a CUDA device")
    for dtype in (np.float64, np.float32):
        bench(args.n, args.d, args.epochs, dtype, args.device)


if __name__ == "__main__":
    main()
