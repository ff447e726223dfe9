"""Intrinsic dimension of a point cloud from nearest-neighbour distances.

Two estimators that only need a sample (no density, no target):

two_nn: TwoNN (Facco, d'Errico, Rodriguez & Laio 2017, Sci. Rep. 7:12140).
    For each point, mu = r2 / r1, the ratio of its 2nd and 1st
    nearest-neighbour distances. If the density is roughly constant over the
    scale of the two neighbours, mu is Pareto distributed,
    P(mu > m) = m^(-d), i.e. log(mu) ~ Exponential(rate d), whatever the
    density. Only the two nearest neighbours are used, so the estimate
    describes the data at its smallest scale.
levina_bickel: the maximum-likelihood estimator of Levina & Bickel (NeurIPS
    2004) with the k nearest neighbours of each point, averaged over points
    as MacKay & Ghahramani (2005) proposed: the inverses of the per-point
    estimates are averaged, not the estimates.

Both are invariant to rotations, translations and a common scaling of the
data (up to floating-point round-off), and both see duplicated points as
one (see `two_nn`). `intrinsic_dimension` is the front door: it subsamples
reproducibly and returns a JSON-safe dict.
"""

import numpy as np
from scipy.spatial import cKDTree

from keras_gan_latent.checks import is_integer

METHODS = ("two_nn", "levina_bickel")


def _distinct_points(points, min_points):
    """Validates `points` and returns its distinct rows as float64 `(m, D)`.

    Rows that repeat exactly are kept once (order is not preserved, which no
    estimator here depends on).
    """
    array = np.asarray(points, dtype=np.float64)
    if array.ndim != 2 or array.shape[0] == 0 or array.shape[1] == 0:
        raise ValueError(
            f"points must be a 2-D array of shape (n, D) with n, D > 0; got shape {array.shape}"
        )
    if not np.all(np.isfinite(array)):
        raise ValueError("points contains NaN or infinite values")
    distinct = np.unique(array, axis=0)
    if distinct.shape[0] < min_points:
        raise ValueError(
            f"need at least {min_points} distinct points; got {distinct.shape[0]} "
            f"distinct out of {array.shape[0]}"
        )
    return distinct


# Above this many coordinates a k-d tree degrades to a slow brute force;
# blocked matrix products find the neighbours exactly and much faster.
KD_TREE_MAX_DIM = 16
_BLOCK_ROWS = 1024


def _neighbour_distances(points, k):
    """Distances from each point to its k nearest other points, `(m, k)`, ascending."""
    if points.shape[1] > KD_TREE_MAX_DIM:
        return _brute_force_neighbour_distances(points, k)
    # Rank 1 is the point itself (distance 0): rows are distinct, so no other
    # point is at distance 0 and the query's own row is always rank 1.
    distances, _ = cKDTree(points).query(points, k=k + 1, workers=-1)
    return distances[:, 1:]


def _brute_force_neighbour_distances(points, k):
    """`_neighbour_distances` by blocks of squared distances ||a||^2 + ||b||^2 - 2 a.b."""
    norms = np.einsum("ij,ij->i", points, points)
    result = np.empty((points.shape[0], k))
    for start in range(0, points.shape[0], _BLOCK_ROWS):
        block = points[start : start + _BLOCK_ROWS]
        squared = norms[start : start + len(block), None] + norms[None, :] - 2.0 * block @ points.T
        squared[np.arange(len(block)), np.arange(start, start + len(block))] = np.inf  # not its own neighbour
        nearest = np.partition(squared, k - 1, axis=1)[:, :k]
        result[start : start + len(block)] = np.sqrt(np.maximum(np.sort(nearest, axis=1), 0.0))
    return result


def _two_nn(distinct, discard_fraction):
    distances = _neighbour_distances(distinct, 2)
    log_mu = np.sort(np.log(distances[:, 1] / distances[:, 0]))
    num_points = log_mu.size
    num_kept = num_points - int(np.floor(discard_fraction * num_points))
    if num_kept < 2:
        raise ValueError(
            f"discard_fraction={discard_fraction} keeps {num_kept} of {num_points} "
            "distinct points; need at least 2"
        )
    # Type-II censored exponential sample: the largest N - K values are only
    # known to be >= the K-th smallest one.
    total = log_mu[:num_kept].sum() + (num_points - num_kept) * log_mu[num_kept - 1]
    if not total > 0.0:
        raise ValueError(
            "the 2nd neighbour is as close as the 1st for (nearly) every point, "
            "e.g. a regular lattice; TwoNN is undefined"
        )
    return float((num_kept - 1) / total)


def two_nn(points, discard_fraction=0.1):
    """TwoNN intrinsic-dimension estimate (Facco et al. 2017).

    For each distinct point, mu = r2 / r1 (2nd over 1st nearest-neighbour
    distance, by `scipy.spatial.cKDTree`). Under the TwoNN model log(mu) is
    exponential with rate d. The largest `discard_fraction` of the mu values
    (the points whose neighbourhood least fits a locally uniform density) are
    treated as censored: only the fact that they exceed the largest kept
    value is used. d is then the maximum-likelihood estimate of the censored
    exponential sample, with the (K - 1) numerator that makes 1/d unbiased:

        d = (K - 1) / (sum_{i <= K} log mu_(i) + (N - K) log mu_(K)),

    where mu_(1) <= ... <= mu_(N) are the sorted ratios of the N distinct
    points and K = N - floor(discard_fraction * N) is the number kept. With
    `discard_fraction=0` this is (N - 1) / sum(log mu). (Dropping the largest
    ratios and applying N / sum(log mu) to the rest would overestimate d by
    about a third at 10 %; the paper's alternative, a least-squares line
    through the origin of -log(1 - F(mu)) against log(mu), is not used.)

    Duplicates: rows that occur more than once are counted once, so no point
    has r1 == 0 and no ratio is infinite; exact duplicates are a property of
    storage (e.g. quantised pixels), not of the manifold.

    Args:
        points: `(n, D)` array-like of finite numbers, one point per row.
        discard_fraction: Share of the largest ratios to censor, in [0, 1).

    Returns:
        The estimate as a Python float (> 0).

    Raises:
        ValueError: `points` not 2-D, empty, non-finite or with fewer than 3
            distinct rows; `discard_fraction` outside [0, 1) or keeping fewer
            than 2 points; every point with r2 == r1 (e.g. a regular grid).

    Examples:
        >>> rng = np.random.default_rng(0)
        >>> plane = rng.uniform(size=(2000, 2)) @ rng.standard_normal((2, 10))
        >>> d = two_nn(plane)  # close to 2
    """
    discard_fraction = float(discard_fraction)
    if not 0.0 <= discard_fraction < 1.0:
        raise ValueError(f"discard_fraction must be in [0, 1); got {discard_fraction}")
    return _two_nn(_distinct_points(points, 3), discard_fraction)


def _levina_bickel(distinct, k):
    distances = _neighbour_distances(distinct, k)
    # 1 / m_k(x) = mean over j < k of log(T_k(x) / T_j(x)).
    inverse_estimates = np.log(distances[:, -1:] / distances[:, :-1]).mean(axis=1)
    mean_inverse = inverse_estimates.mean()
    if not mean_inverse > 0.0:
        raise ValueError(
            f"the {k} nearest neighbours of every point are equidistant, "
            "e.g. a regular lattice; the Levina-Bickel estimate is undefined"
        )
    return float(1.0 / mean_inverse)


def _check_k(k):
    if not is_integer(k) or k < 2:
        raise ValueError(f"k must be an integer >= 2; got {k!r}")
    return int(k)


def levina_bickel(points, k=10):
    """Levina-Bickel maximum-likelihood intrinsic dimension with k neighbours.

    For each distinct point x with neighbour distances T_1(x) <= ... <= T_k(x),
    Levina & Bickel (2004) estimate

        m_k(x) = [ 1/(k - 1) * sum_{j=1}^{k-1} log(T_k(x) / T_j(x)) ]^(-1).

    The per-point estimates are combined as MacKay & Ghahramani suggested:
    the inverses 1/m_k(x) are averaged over points and the result is
    inverted, m_k = [ mean_x 1/m_k(x) ]^(-1). (Averaging m_k(x) itself, as in
    the original paper, is biased upwards because 1/m_k(x) is the quantity
    with an unbiased per-point estimate.) One k is used; the paper's average
    over k1..k2 is not.

    Duplicates are counted once, as in `two_nn`. The estimate describes the
    data at the scale of the k-th neighbour, so it is more sensitive than
    TwoNN to curvature, boundaries and density changes at that scale.

    Args:
        points: `(n, D)` array-like of finite numbers, one point per row.
        k: Number of nearest neighbours, an integer >= 2.

    Returns:
        The estimate as a Python float (> 0).

    Raises:
        ValueError: `points` not 2-D, empty or non-finite; fewer than
            max(3, k + 1) distinct rows; `k` not an integer >= 2; the k
            nearest neighbours of every point equidistant.

    Examples:
        >>> rng = np.random.default_rng(0)
        >>> sphere = rng.standard_normal((3000, 3))
        >>> sphere /= np.linalg.norm(sphere, axis=1, keepdims=True)
        >>> d = levina_bickel(sphere, k=10)  # close to 2
    """
    k = _check_k(k)
    return _levina_bickel(_distinct_points(points, max(3, k + 1)), k)


def intrinsic_dimension(
    points, method="two_nn", max_points=10000, seed=0, *, discard_fraction=0.1, k=10
):
    """Intrinsic dimension of a point cloud, as a JSON-safe report.

    If there are more than `max_points` rows, `max_points` of them are drawn
    without replacement by `numpy.random.default_rng(seed)`, so the same
    input, `max_points` and `seed` give the same subsample and estimate.
    Duplicated rows of the subsample are then counted once (see `two_nn`).

    Args:
        points: `(n, D)` array-like of finite numbers, one point per row.
        method: `"two_nn"` (see `two_nn`) or `"levina_bickel"` (see
            `levina_bickel`).
        max_points: Largest number of rows used, an integer >= 3.
        seed: Seed of the subsampling (an int); unused if n <= max_points.
        discard_fraction: `two_nn`'s censored share; ignored by the other method.
        k: `levina_bickel`'s number of neighbours; ignored by the other method.

    Returns:
        A dict: `method` (str); `estimate` (float); `num_points` (int): rows
        used after subsampling; `num_distinct_points` (int): distinct rows
        among them, the N of the estimator; `num_input_points` (int);
        `max_points` (int) and `seed` (int); and the method's setting,
        `discard_fraction` (float) for two_nn or `k` (int) for levina_bickel.

    Raises:
        ValueError: an unknown method, `max_points` < 3, or any error of the
            chosen estimator.

    Examples:
        >>> report = intrinsic_dimension(np.random.default_rng(0).normal(size=(5000, 2)))
        >>> sorted(report)[:3]
        ['discard_fraction', 'estimate', 'max_points']
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; valid methods: {', '.join(METHODS)}")
    if not is_integer(max_points) or max_points < 3:
        raise ValueError(f"max_points must be an integer >= 3; got {max_points!r}")
    max_points, seed = int(max_points), int(seed)
    array = np.asarray(points, dtype=np.float64)
    num_input = int(array.shape[0]) if array.ndim == 2 else 0
    if array.ndim == 2 and num_input > max_points:
        chosen = np.random.default_rng(seed).choice(num_input, max_points, replace=False)
        array = array[np.sort(chosen)]

    report = {"method": method}
    if method == "two_nn":
        discard_fraction = float(discard_fraction)
        if not 0.0 <= discard_fraction < 1.0:
            raise ValueError(f"discard_fraction must be in [0, 1); got {discard_fraction}")
        distinct = _distinct_points(array, 3)
        report["estimate"] = _two_nn(distinct, discard_fraction)
        settings = {"discard_fraction": discard_fraction}
    else:
        k = _check_k(k)
        distinct = _distinct_points(array, max(3, k + 1))
        report["estimate"] = _levina_bickel(distinct, k)
        settings = {"k": k}
    report.update(
        num_points=int(array.shape[0]),
        num_distinct_points=int(distinct.shape[0]),
        num_input_points=num_input,
        max_points=max_points,
        seed=seed,
        **settings,
    )
    return report
