"""One solver body for NumPy and CuPy: the array module comes from the arrays themselves.

In the manner of cupy.get_array_module: CuPy is imported only when an argument is a CuPy
array or when a GPU is asked for, never for NumPy input.
"""
from __future__ import annotations

from types import ModuleType

import numpy as np


def _is_cupy(array) -> bool:
    return type(array).__module__.split(".")[0] == "cupy"


def namespace(*arrays) -> ModuleType:
    """cupy when any argument lives on a GPU, else numpy."""
    if any(_is_cupy(a) for a in arrays):
        import cupy

        return cupy
    return np


def gpu_available() -> bool:
    """True when CuPy imports and sees at least one CUDA device."""
    try:
        import cupy

        return cupy.cuda.runtime.getDeviceCount() > 0
    except Exception:   # no cupy, no driver, no device: all mean "no GPU"
        return False


def to_device(array, device: str):
    """The array on 'cpu' (NumPy) or 'gpu' (CuPy)."""
    if device == "gpu":
        import cupy

        return cupy.asarray(array)
    return to_numpy(array)


def to_numpy(array) -> np.ndarray:
    return array.get() if _is_cupy(array) else np.asarray(array)


def device_of(array) -> str:
    return "gpu" if _is_cupy(array) else "cpu"
