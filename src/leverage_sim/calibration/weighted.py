"""Quantiles of a weighted sample (a posterior's particles or rows with their weights)."""

from __future__ import annotations

import numpy as np


def weighted_quantiles(x: np.ndarray, w: np.ndarray, qs: list[float]) -> np.ndarray:
    """Quantiles ``qs`` (0-1) of values ``x`` with weights ``w`` (inverse of the weighted CDF,
    interpolated at the midpoints of each value's weight)."""
    order = np.argsort(x, kind="stable")
    x, w = np.asarray(x, float)[order], np.asarray(w, float)[order]
    cdf = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(qs, cdf, x)
