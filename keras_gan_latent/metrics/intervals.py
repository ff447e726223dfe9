"""Confidence intervals of a mean over a few repeated runs (seeds)."""

import math

import numpy as np
import scipy.stats


def student_t_interval(values, confidence=0.95):
    """The mean of `values` and the half-width of its Student-t confidence interval.

    The interval is mean +- t_{(1+confidence)/2, n-1} * s / sqrt(n), with s the
    sample standard deviation: with 3 seeds at 95 %, mean +- 4.30 s / sqrt(3).

    Args:
        values: A non-empty sequence of finite numbers (one per seed).
        confidence: Coverage of the interval, in (0, 1).

    Returns:
        `(mean, half_width)`; `half_width` is None for a single value (no
        interval can be given).

    Examples:
        >>> student_t_interval([1.0, 2.0, 3.0])  # (2.0, 2.48...)
    """
    values = np.asarray(values, np.float64)
    if values.ndim != 1 or values.size == 0 or not np.all(np.isfinite(values)):
        raise ValueError(f"values must be a non-empty 1-D sequence of finite numbers, got {values!r}")
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be in (0, 1), got {confidence}")
    mean = float(values.mean())
    if values.size == 1:
        return mean, None
    quantile = scipy.stats.t.ppf(0.5 + confidence / 2, df=values.size - 1)
    return mean, float(quantile * values.std(ddof=1) / math.sqrt(values.size))
