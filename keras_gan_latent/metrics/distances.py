"""Sample-based distances: Wasserstein, MMD, Kolmogorov-Smirnov, quantile maps.

Unlike the divergences in `divergence`, these need no density: they compare
two sample sets (or one sample set and a CDF / quantile function), and stay
finite for generators whose samples lie on a curve.
"""

import numpy as np
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist, pdist
from scipy.stats import kstest

from keras_gan_latent.metrics.divergence import _as_points

MAX_EXACT_POINTS = 2500
"""Largest equal-size set for which `wasserstein_distance` solves the exact
assignment problem by default. The solver is O(n^3): about 0.1 s at 1,000
points and 1-2.5 s at 2,500 on a 2-core CPU."""


def _paired_points(a, b):
    first = _as_points(a, "a")
    second = _as_points(b, "b")
    if first.shape[1] != second.shape[1]:
        raise ValueError(f"a has dimension {first.shape[1]}, b {second.shape[1]}")
    return first, second


def _wasserstein_1d_power(x_sorted, y_sorted, order):
    """W_p^p between 1-D empirical measures, column by column.

    Args:
        x_sorted: `(n, L)` array, each column sorted ascending.
        y_sorted: `(m, L)` array, each column sorted ascending.
        order: p >= 1.

    Returns:
        `(L,)` array: the integral over t in (0, 1) of |F^-1(t) - G^-1(t)|^p.
    """
    n, m = x_sorted.shape[0], y_sorted.shape[0]
    if n == m:
        return np.mean(np.abs(x_sorted - y_sorted) ** order, axis=0)
    # Both quantile functions are constant between consecutive points of
    # {i/n} U {j/m}; evaluate them at each piece's midpoint, weight by its length.
    # Equal fractions i/n = j/m round to the same double, so union1d merges them.
    right_ends = np.union1d(np.arange(1, n + 1) / n, np.arange(1, m + 1) / m)
    widths = np.diff(right_ends, prepend=0.0)
    midpoints = right_ends - 0.5 * widths
    x_index = np.minimum((midpoints * n).astype(np.int64), n - 1)
    y_index = np.minimum((midpoints * m).astype(np.int64), m - 1)
    gaps = np.abs(x_sorted[x_index] - y_sorted[y_index]) ** order
    return widths @ gaps


def _slicing_directions(dim, num_projections, seed):
    """Unit directions: evenly spaced half-circle angles in 2-D, random otherwise.

    In 2-D, even spacing over [0, pi) is a deterministic quadrature of the
    average over the circle (a direction and its opposite give the same
    1-D distance), far more accurate than the same number of random draws.
    """
    if dim == 2:
        angles = np.pi * np.arange(num_projections) / num_projections
        return np.stack([np.cos(angles), np.sin(angles)], axis=1)
    directions = np.random.default_rng(seed).standard_normal((num_projections, dim))
    return directions / np.linalg.norm(directions, axis=1, keepdims=True)


def wasserstein_distance(
    a,
    b,
    order=1,
    method="auto",
    max_exact_points=MAX_EXACT_POINTS,
    num_projections=200,
    seed=0,
):
    """Wasserstein-p distance between two empirical distributions (Euclidean cost).

    Methods:
      * `"exact_1d"` (always used in 1-D): exact, via sorted samples /
        quantile functions; any sizes.
      * `"exact_assignment"`: exact W_p for two equal-size sets, by the
        optimal one-to-one matching (`scipy.optimize.linear_sum_assignment`)
        on costs |a_i - b_j|^p. O(n^3) time, O(n^2) memory.
      * `"sliced"`: sliced Wasserstein, (mean over unit directions theta of
        W_p(theta.a, theta.b)^p)^(1/p). It is a different, smaller number
        (for a shift v in d dimensions, W = |v| but SW_2 = |v| / sqrt(d)):
        never compare it with an exact value.
    `method="auto"` uses the exact assignment for equal sizes up to
    `max_exact_points`, the sliced distance otherwise. Pass the method
    explicitly to keep values comparable across runs of different sizes.

    Args:
        a: `(n, d)` samples.
        b: `(m, d)` samples.
        order: p >= 1; 1 is the earth mover's distance, 2 the quadratic one.
        method: `"auto"`, `"exact"` or `"sliced"`.
        max_exact_points: Size limit of the automatic exact method.
        num_projections: Directions of the sliced distance.
        seed: Seed of the random directions (used for d > 2 only).

    Returns:
        A JSON-safe dict: `value` (float), `order` (float), `method` (the
        method used, as above) and `num_projections` (int, or None if exact).
    """
    first, second = _paired_points(a, b)
    order = float(order)  # a plain float keeps the result JSON-safe
    if not order >= 1:
        raise ValueError(f"order must be >= 1; got {order}")
    if method not in ("auto", "exact", "sliced"):
        raise ValueError(f"method must be 'auto', 'exact' or 'sliced'; got {method!r}")
    equal_sizes = first.shape[0] == second.shape[0]
    dim = first.shape[1]

    def result(power_mean, used_method, projections=None):
        return {
            "value": float(power_mean ** (1.0 / order)),
            "order": order,
            "method": used_method,
            "num_projections": projections,
        }

    if dim == 1:
        power = _wasserstein_1d_power(np.sort(first, axis=0), np.sort(second, axis=0), order)
        return result(power[0], "exact_1d")
    if method == "exact" and not equal_sizes:
        raise ValueError("the exact assignment needs two sets of the same size")
    if method == "exact" or (
        method == "auto" and equal_sizes and first.shape[0] <= max_exact_points
    ):
        if order == 2:
            cost = cdist(first, second, "sqeuclidean")
        else:
            cost = cdist(first, second) ** order
        rows, cols = linear_sum_assignment(cost)
        return result(cost[rows, cols].mean(), "exact_assignment")
    directions = _slicing_directions(dim, int(num_projections), seed)
    power = _wasserstein_1d_power(
        np.sort(first @ directions.T, axis=0),
        np.sort(second @ directions.T, axis=0),
        order,
    )
    return result(power.mean(), "sliced", int(num_projections))


def median_heuristic_bandwidth(a, b, max_points=1000, seed=0):
    """Median pairwise Euclidean distance of the pooled samples.

    Above `max_points` pooled points the median is taken over a random subset
    of that many (500k pairs, a few ms); the median of all pairs would cost
    O(n^2) memory and time for a number that barely moves.

    Args:
        a: `(n, d)` samples.
        b: `(m, d)` samples.
        max_points: Pooled points used at most.
        seed: Seed of the subset.

    Returns:
        The bandwidth, a positive float.
    """
    pooled = np.concatenate(_paired_points(a, b))
    if pooled.shape[0] > max_points:
        subset = np.random.default_rng(seed).choice(pooled.shape[0], max_points, replace=False)
        pooled = pooled[subset]
    bandwidth = float(np.median(pdist(pooled)))
    if not bandwidth > 0.0:
        raise ValueError("the median pairwise distance is 0: most samples coincide")
    return bandwidth


def _kernel_sum(x, y, gamma, block_rows=1024):
    """Sum of exp(-gamma |x_i - y_j|^2) over all pairs, in row blocks (bounded memory)."""
    total = 0.0
    for start in range(0, x.shape[0], block_rows):
        total += np.exp(-gamma * cdist(x[start : start + block_rows], y, "sqeuclidean")).sum()
    return total


def mmd(a, b, bandwidth=None):
    """Unbiased squared maximum mean discrepancy with a Gaussian kernel.

    k(x, y) = exp(-|x - y|^2 / (2 h^2)), and

        MMD^2_u = sum_{i != j} k(a_i, a_j) / (n (n - 1))
                + sum_{i != j} k(b_i, b_j) / (m (m - 1))
                - 2 sum_{i, j} k(a_i, b_j) / (n m),

    whose mean is exactly the population MMD^2 (so it can be negative).

    Args:
        a: `(n, d)` samples, n >= 2.
        b: `(m, d)` samples, m >= 2.
        bandwidth: h. Default: `median_heuristic_bandwidth(a, b)`, which
            depends on the generated samples; fix h (e.g. from the data
            alone) when comparing generators with each other.

    Returns:
        MMD^2_u as a float.
    """
    first, second = _paired_points(a, b)
    n, m = first.shape[0], second.shape[0]
    if n < 2 or m < 2:
        raise ValueError("mmd needs at least 2 samples in each set")
    if bandwidth is None:
        bandwidth = median_heuristic_bandwidth(first, second)
    if not bandwidth > 0:
        raise ValueError(f"bandwidth must be positive; got {bandwidth}")
    gamma = 0.5 / bandwidth**2
    # The diagonal terms k(x, x) = 1 are left out of the within-set sums.
    within_a = (_kernel_sum(first, first, gamma) - n) / (n * (n - 1))
    within_b = (_kernel_sum(second, second, gamma) - m) / (m * (m - 1))
    across = _kernel_sum(first, second, gamma) / (n * m)
    return float(within_a + within_b - 2.0 * across)


def ks_statistic(samples_1d, cdf):
    """One-sample Kolmogorov-Smirnov test of 1-D samples against a CDF.

    Args:
        samples_1d: `(n,)` or `(n, 1)` samples.
        cdf: Vectorised callable, the target's cumulative distribution function.

    Returns:
        A dict: `statistic` (sup |F_n - F|, float) and `pvalue` (float).
    """
    points = _as_points(samples_1d, "samples_1d")
    if points.shape[1] != 1:
        raise ValueError(f"ks_statistic needs 1-D samples; got dimension {points.shape[1]}")
    result = kstest(points[:, 0], cdf)
    return {"statistic": float(result.statistic), "pvalue": float(result.pvalue)}


def quantile_map_distance(u, g_of_u, quantile_fn):
    """How far a learned 1-D map G(u) is from the target's quantile function.

    Pushing U(0, 1) through the quantile function Q gives the target, and so
    does pushing it through u -> Q(1 - u): a GAN may learn either. The
    distance is mean |G(u) - Q(u)| or mean |G(u) - Q(1 - u)|, whichever is
    smaller. The mean absolute (not squared) gap keeps the unbounded tails of
    Q from dominating; for a monotone G it equals W1 between G's output and
    the target. Points where Q(u) or Q(1 - u) is infinite (u = 0 or 1 for an
    unbounded target) are left out of both.

    Args:
        u: `(n,)` latent values in [0, 1].
        g_of_u: `(n,)` or `(n, 1)` generator outputs at `u`.
        quantile_fn: Vectorised inverse CDF of the target.

    Returns:
        A dict: `distance` (float, the smaller one), `orientation`
        (`"Q(u)"` or `"Q(1-u)"`), `distance_q_u`, `distance_q_one_minus_u`
        (both floats) and `num_points_used` (int).
    """
    latent = np.asarray(u, dtype=np.float64).reshape(-1)
    outputs = _as_points(g_of_u, "g_of_u")
    if outputs.shape != (latent.shape[0], 1):
        raise ValueError(f"g_of_u must hold one value per u; got shape {outputs.shape}")
    if not np.all((latent >= 0.0) & (latent <= 1.0)):
        raise ValueError("u must lie in [0, 1]")
    with np.errstate(divide="ignore", invalid="ignore"):
        q_u = np.asarray(quantile_fn(latent), dtype=np.float64).reshape(-1)
        q_reflected = np.asarray(quantile_fn(1.0 - latent), dtype=np.float64).reshape(-1)
    usable = np.isfinite(q_u) & np.isfinite(q_reflected)
    if not np.any(usable):
        raise ValueError("the quantile function is infinite at every u")
    g = outputs[usable, 0]
    distance_q_u = float(np.mean(np.abs(g - q_u[usable])))
    distance_reflected = float(np.mean(np.abs(g - q_reflected[usable])))
    reflected = distance_reflected < distance_q_u
    return {
        "distance": min(distance_q_u, distance_reflected),
        "orientation": "Q(1-u)" if reflected else "Q(u)",
        "distance_q_u": distance_q_u,
        "distance_q_one_minus_u": distance_reflected,
        "num_points_used": int(np.count_nonzero(usable)),
    }
