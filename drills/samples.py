"""Small datasets that ship as code: made from NumPy's frozen legacy RandomState, so they are
the same on every machine and every NumPy version."""
from __future__ import annotations

import numpy as np

SAMPLES = ("textbook", "houses")


def sample(name: str) -> tuple[list[str], np.ndarray]:
    """(column names, rows) of a sample dataset."""
    if name == "textbook":      # Hands-On ML ch. 4: y = 4 + 3x + noise, np.random.seed(42)
        rs = np.random.RandomState(42)
        x = 2 * rs.rand(100, 1)
        y = 4 + 3 * x + rs.randn(100, 1)
        return ["x", "y"], np.hstack([x, y])
    if name == "houses":        # price = 50,000 + 120·sqft + 8,000·bedrooms − 900·age + noise
        rs = np.random.RandomState(7)
        sqft = rs.randint(600, 3500, 60).astype(float)
        bedrooms = np.clip(np.round(sqft / 700 + rs.randn(60) * 0.6), 1, 6)
        age = rs.randint(0, 80, 60).astype(float)
        price = 50_000 + 120 * sqft + 8_000 * bedrooms - 900 * age + rs.randn(60) * 15_000
        return ["sqft", "bedrooms", "age", "price"], np.column_stack([sqft, bedrooms, age, np.round(price)])
    raise KeyError(name)
