"""Divergences between a generator and a target, estimated from samples.

The toy targets have exact densities, so the only unknown is the generator's
density p_g. It is estimated with k-nearest-neighbour (k-NN) distances, which
need no bandwidth and adapt to the very uneven densities of mode-collapsed or
curve-shaped generators. Everything here is numpy/scipy only.

Conventions shared by all functions:

* Samples are arrays of shape `(n, d)`; a 1-D array of shape `(n,)` is read
  as `n` points in one dimension.
* `log_prob` callables receive a float64 `(n, d)` array and return `n` natural
  log densities (anything `np.asarray` accepts, so a TensorFlow tensor works),
  `-inf` where the density is zero.
* Divergences are in nats.
* The estimators assume continuous distributions: repeated points have k-NN
  distance 0, which makes a k-NN density infinite. That is why the bootstrap
  in `divergence_report` resamples per-point terms rather than raw samples.

Which direction can be trusted: p_g_hat evaluated at the generated samples
themselves (KL(p_g || p_data), the JS) is accurate. p_g_hat evaluated at data
samples that p_g barely covers (its tails, a dropped mode) is far too high,
because the k-NN ball reaches into p_g's bulk; KL(p_data || p_g) is then
biased low, badly so for mode dropping. See `kl_from_density`.
"""

import math

import numpy as np
from scipy.spatial import cKDTree
from scipy.special import digamma, expit, gammaln, polygamma

DEFAULT_K = 2
"""Default neighbour rank, chosen on the 8-Gaussian ring and Gaussian pairs at
2,500 samples. The log of a k-NN density carries noise of variance
trigamma(k): 1.64 at k = 1, 0.64 at k = 2, which makes k = 1 noisy (and its
JS correction rough). Larger k smooths over bigger balls, which biases
KL(p_data || p_g) and the JS of narrow generators further down."""

LOG_2 = math.log(2.0)


def _as_points(samples, name):
    """Returns `samples` as a finite float64 `(n, d)` array, or raises ValueError."""
    points = np.asarray(samples, dtype=np.float64)
    if points.ndim == 1:
        points = points[:, None]
    if points.ndim != 2 or points.shape[0] == 0 or points.shape[1] == 0:
        raise ValueError(
            f"{name} must have shape (n,) or (n, d) with n, d > 0; got {points.shape}"
        )
    if not np.all(np.isfinite(points)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return points


def _evaluate_log_prob(log_prob, points, name):
    """Calls `log_prob` on `points` and checks it returned one value per point."""
    values = np.asarray(log_prob(points), dtype=np.float64).reshape(-1)
    if values.shape[0] != points.shape[0]:
        raise ValueError(
            f"log_prob returned {values.shape[0]} values for {points.shape[0]} {name}"
        )
    if np.any(np.isnan(values)) or np.any(values == np.inf):
        raise ValueError(f"log_prob returned NaN or +inf on {name}")
    return values


def _log_unit_ball_volume(dim):
    return 0.5 * dim * math.log(math.pi) - gammaln(0.5 * dim + 1.0)


def knn_log_density(samples, points, k=DEFAULT_K, *, leave_one_out=None):
    """k-NN estimate of log p at `points`, where p is the law of `samples`.

    With r the distance from a query point to its k-th nearest sample, V_d the
    volume of the unit d-ball and M the number of samples other than the query
    point, the probability mass of the ball of radius r follows Beta(k, M-k+1),
    whose log has mean psi(k) - psi(M+1). Hence

        log p_hat = psi(k) - psi(M + 1) - log V_d - d log r,

    which is unbiased for log p as M grows, for any fixed k. The textbook
    estimate k / (M V_d r^d) is biased in the log by log k - psi(k)
    (0.58 nats at k = 1), which would pass straight into a KL estimate.

    Args:
        samples: `(n, d)` samples of the distribution whose density is wanted.
        points: `(m, d)` points at which to evaluate it.
        k: Neighbour rank, 1 <= k <= M.
        leave_one_out: If true, `points` are the samples themselves and each
            one's own zero distance is skipped (M = n - 1). The default
            `None` means "true exactly when `points is samples`"; pass it
            explicitly for a copy of the samples.

    Returns:
        float64 array of shape `(m,)`. It is `+inf` where k samples coincide
        with the query point (k-NN distance 0): the density has an atom there.
    """
    if leave_one_out is None:
        leave_one_out = points is samples
    reference = _as_points(samples, "samples")
    queries = reference if leave_one_out else _as_points(points, "points")
    if leave_one_out and queries.shape != reference.shape:
        raise ValueError("leave_one_out needs points to be the samples themselves")
    if queries.shape[1] != reference.shape[1]:
        raise ValueError(
            f"points have dimension {queries.shape[1]}, samples {reference.shape[1]}"
        )
    num_others = reference.shape[0] - 1 if leave_one_out else reference.shape[0]
    k = int(k)
    if not 1 <= k <= num_others:
        raise ValueError(f"k must be in [1, {num_others}] here; got {k}")
    dim = reference.shape[1]
    # Asking for rank k+1 when leaving one out skips the query's own zero
    # distance: removing the smallest entry of a sorted list shifts ranks by one.
    rank = k + 1 if leave_one_out else k
    distances, _ = cKDTree(reference).query(queries, k=[rank], workers=-1)
    with np.errstate(divide="ignore"):
        log_radius = np.log(distances[:, 0])
    return (
        digamma(k)
        - digamma(num_others + 1)
        - _log_unit_ball_volume(dim)
        - dim * log_radius
    )


def kl_divergence(p_samples, q_samples, k=DEFAULT_K):
    """KL(P || Q) from samples of both, by Wang, Kulkarni & Verdu (2009).

    With n samples x_i of P and m samples of Q, rho_i the distance from x_i to
    its k-th nearest other sample of P and nu_i to its k-th nearest sample of Q,

        D_hat = d * mean_i log(nu_i / rho_i) + log(m / (n - 1)).

    The last term corrects for the two sets having different sizes (and x_i
    not counting itself); it is what makes D_hat consistent for fixed k.

    It needs no density. Accuracy at 2,500 samples per set, k = 2: within
    0.05 nats in 1 and 2 dimensions while P lies within Q's bulk; like
    `kl_from_density` biased low where P reaches into Q's tails (-0.17 nats
    for 2-D unit Gaussians two standard deviations apart, truth 2.0); in
    5 dimensions off by up to +0.09 even within the bulk.

    Args:
        p_samples: `(n, d)` samples of P, n >= k + 1.
        q_samples: `(m, d)` samples of Q, m >= k.
        k: Neighbour rank used in both sets.

    Returns:
        The estimate in nats, as a float (can be slightly negative).
    """
    p_points = _as_points(p_samples, "p_samples")
    q_points = _as_points(q_samples, "q_samples")
    n, dim = p_points.shape
    m = q_points.shape[0]
    if q_points.shape[1] != dim:
        raise ValueError(f"p_samples have dimension {dim}, q_samples {q_points.shape[1]}")
    k = int(k)
    if not 1 <= k <= min(n - 1, m):
        raise ValueError(f"k must be in [1, {min(n - 1, m)}] here; got {k}")
    rho, _ = cKDTree(p_points).query(p_points, k=[k + 1], workers=-1)
    nu, _ = cKDTree(q_points).query(p_points, k=[k], workers=-1)
    with np.errstate(divide="ignore"):
        log_ratio = np.log(nu[:, 0]) - np.log(rho[:, 0])
    return float(dim * np.mean(log_ratio) + math.log(m / (n - 1)))


# The per-point terms below are shared by the public estimators (which return
# their means) and by divergence_report (which bootstraps those means).


def _kl_to_density_terms(log_pg_at_g, log_pdata_at_g):
    """log p_g_hat - log p_data at generated samples; +inf where p_data is 0."""
    return log_pg_at_g - log_pdata_at_g


def _kl_from_density_terms(log_pdata_at_data, log_pg_at_data):
    """log p_data - log p_g_hat at data samples."""
    return log_pdata_at_data - log_pg_at_data


def _self_bias_terms(log_pdata_hat_at_data, log_pdata_at_data):
    """log p_data_hat - log p_data at data samples (leave-one-out estimate)."""
    return log_pdata_hat_at_data - log_pdata_at_data


def _js_terms(log_pdata_at_data, log_pg_at_data, log_pdata_at_g, log_pg_at_g, k):
    """Per-point terms of KL(P_data || M) and KL(P_g || M), M the mixture.

    log(2p / (p + q)) = log 2 - softplus(log q - log p) avoids inf - inf: it is
    exactly log 2 at a generated point where p_data is 0. Each term is a
    concave function of log q_hat, whose noise has variance trigamma(k)
    (the log of a Gamma(k) ball mass), so the plain plug-in is biased low:
    by about 0.17 nats at k = 1, 0.07 at k = 2, 0.03 at k = 5 when
    p_g = p_data (on the ring at 2,500 samples). The second-order
    (delta-method) correction 1/2 trigamma(k) s (1 - s), with s the sigmoid
    of the softplus argument, removes most of it; since softplus(z) >=
    s(1 - s) and trigamma(k)/2 < 1, the terms stay <= log 2.
    """
    noise_variance = float(polygamma(1, k))
    terms = []
    with np.errstate(invalid="ignore"):
        for log_ratio in (
            log_pg_at_data - log_pdata_at_data,  # log q_hat - log p at data
            log_pdata_at_g - log_pg_at_g,  # log p - log q_hat at generated
        ):
            curvature = expit(log_ratio) * expit(-log_ratio)
            terms.append(
                LOG_2 - np.logaddexp(0.0, log_ratio) + 0.5 * noise_variance * curvature
            )
    return terms[0], terms[1]


def _check_data_in_support(log_pdata_at_data):
    if np.any(log_pdata_at_data == -np.inf):
        raise ValueError(
            "log_prob is -inf at some data samples: they are not samples of that density"
        )


def outside_support_fraction(samples, log_prob):
    """Share of `samples` where `log_prob` is -inf (zero target density).

    Args:
        samples: `(n, d)` generated samples.
        log_prob: Exact log density of the target.

    Returns:
        A float in [0, 1].
    """
    points = _as_points(samples, "samples")
    return float(np.mean(_evaluate_log_prob(log_prob, points, "samples") == -np.inf))


def kl_to_density(samples, log_prob, k=DEFAULT_K):
    """KL(p_g || p_data) = E_pg[log p_g - log p_data] from generated samples.

    p_g is the leave-one-out k-NN estimate at each generated sample, p_data is
    exact. If the target density is zero at any generated sample the divergence
    is infinite, and that is what is returned; `outside_support_fraction`
    (or `divergence_report`) says how many samples are outside.

    Accuracy at 2,500 samples, k = 2: the estimate exceeds the truth by the
    k-NN bias `knn_log_density_bias` (about +0.03 nats on the ring, +0.06 for
    a 5-D Gaussian); `divergence_report` subtracts it, after which Gaussian
    pairs in 1, 2 and 5 dimensions come out within about 0.02 nats.

    A generator whose samples lie on a curve (1-D latent, 2-D target) has no
    density: the true value is infinite and the estimate grows with n.

    Args:
        samples: `(n, d)` samples of the generator.
        log_prob: Exact log density of the target.
        k: Neighbour rank.

    Returns:
        The estimate in nats, or `float('inf')`.
    """
    points = _as_points(samples, "samples")
    log_pdata = _evaluate_log_prob(log_prob, points, "samples")
    if np.any(log_pdata == -np.inf):
        return float("inf")
    log_pg = knn_log_density(points, points, k)
    return float(np.mean(_kl_to_density_terms(log_pg, log_pdata)))


def kl_from_density(data_samples, log_prob_data, g_samples, k=DEFAULT_K):
    """KL(p_data || p_g) = E_pdata[log p_data - log p_g] from both sample sets.

    p_g is the k-NN estimate built from the generated samples and evaluated at
    the data samples; p_data is exact. A dropped mode leaves data samples far
    from every generated one, so p_g_hat is small there and the term is large.

    But not large enough: in p_g's tails the k-NN ball reaches into p_g's
    bulk and p_g_hat is far too high, so the estimate is biased low wherever
    p_data puts mass that p_g barely covers, and converges slowly in n. At
    2,500 samples, k = 2, in 1 and 2 dimensions: accurate (within about
    0.02 nats) when p_g is at least as wide as p_data; 1.84 instead of 2.0
    for unit Gaussians two standard deviations apart; 0.93 instead of 1.61
    when the data are twice as wide as the generator; 1.5 instead of 7.0 for
    the ring with two modes dropped. Read it as a lower bound and rank mode
    dropping with `js_divergence` and `modes.mode_coverage` instead.

    Args:
        data_samples: `(n, d)` samples of the target.
        log_prob_data: Exact log density of the target (finite on the data).
        g_samples: `(m, d)` samples of the generator, m >= k.
        k: Neighbour rank.

    Returns:
        The estimate in nats.
    """
    data = _as_points(data_samples, "data_samples")
    generated = _as_points(g_samples, "g_samples")
    log_pdata = _evaluate_log_prob(log_prob_data, data, "data samples")
    _check_data_in_support(log_pdata)
    log_pg = knn_log_density(generated, data, k, leave_one_out=False)
    return float(np.mean(_kl_from_density_terms(log_pdata, log_pg)))


def js_divergence(data_samples, log_prob_data, g_samples, k=DEFAULT_K):
    """Jensen-Shannon divergence between p_data and p_g, in nats (<= log 2).

    JS = 1/2 KL(P_data || M) + 1/2 KL(P_g || M) with M = (P_data + P_g)/2,
    i.e. the mean of two expectations, each estimated by a sample average:

        1/2 mean_{x ~ data} log(2 p(x) / (p(x) + q_hat(x)))
      + 1/2 mean_{y ~ gen}  log(2 q_hat(y) / (p(y) + q_hat(y)))

    with p the exact target density and q_hat the k-NN density of the
    generated samples (leave-one-out at the generated samples). The terms are
    concave in log q_hat, whose noise would bias the plain plug-in low (by
    0.07 nats at k = 2 for p_g = p_data); a delta-method correction removes
    this (see `_js_terms`). Every term stays at most log 2, so the estimate
    does too; it is finite when generated samples fall outside the target's
    support (those terms are log 2) and can be slightly negative near 0.

    Accuracy at 2,500 samples, k = 2: within 0.005 nats of the exact JS for
    Gaussian pairs in 1 and 2 dimensions and on the ring with dropped,
    widened or narrowed modes (0.008 low for the narrowed one); up to 0.02
    low in 5 dimensions.

    Args:
        data_samples: `(n, d)` samples of the target.
        log_prob_data: Exact log density of the target.
        g_samples: `(m, d)` samples of the generator, m >= k + 1.
        k: Neighbour rank.

    Returns:
        The estimate in nats.
    """
    data = _as_points(data_samples, "data_samples")
    generated = _as_points(g_samples, "g_samples")
    log_pdata_at_data = _evaluate_log_prob(log_prob_data, data, "data samples")
    _check_data_in_support(log_pdata_at_data)
    log_pdata_at_g = _evaluate_log_prob(log_prob_data, generated, "generated samples")
    data_terms, g_terms = _js_terms(
        log_pdata_at_data,
        knn_log_density(generated, data, k, leave_one_out=False),
        log_pdata_at_g,
        knn_log_density(generated, generated, k),
        k,
    )
    return float(0.5 * np.mean(data_terms) + 0.5 * np.mean(g_terms))


def knn_log_density_bias(samples, log_prob, k=DEFAULT_K):
    """Mean error of the leave-one-out k-NN log density at samples of `log_prob`.

    The k-NN estimate is unbiased in the log only as n grows; at a few
    thousand samples it still smooths each mode over its k-NN balls, which
    raises the estimate in the tails. For the 8-Gaussian ring at 2,500
    samples and k = 2 this mean error is about +0.03 nats (about 300 samples
    per mode). It enters `kl_to_density` with a plus sign and
    `kl_from_density` with a minus sign, which is what `divergence_report`
    corrects for by measuring it here, on target samples of the same size.

    Args:
        samples: `(n, d)` samples of the density `log_prob`.
        log_prob: That density's exact log.
        k: Neighbour rank.

    Returns:
        mean(log p_hat - log p) over the samples, in nats.
    """
    points = _as_points(samples, "samples")
    log_p = _evaluate_log_prob(log_prob, points, "samples")
    _check_data_in_support(log_p)
    return float(np.mean(_self_bias_terms(knn_log_density(points, points, k), log_p)))


def bootstrap_ci(fn, *sample_arrays, num_resamples=200, confidence=0.95, seed=0):
    """Percentile-bootstrap confidence interval of a statistic.

    Each array is resampled independently (rows, with replacement) and `fn`
    is applied to every resample. `fn` must be meaningful on samples with
    repeated rows: a mean of per-point terms is, a k-NN estimator on raw
    samples is not (repeats sit at distance 0 and give infinite densities).

    Args:
        fn: Maps the arrays (same order) to a float.
        *sample_arrays: One or more arrays, resampled along axis 0.
        num_resamples: Number of bootstrap resamples.
        confidence: Coverage of the interval, in (0, 1).
        seed: Seed of the numpy generator that draws the resamples.

    Returns:
        `(estimate, low, high)`: `fn` on the original arrays and the
        `(1 - confidence)/2` and `(1 + confidence)/2` quantiles of `fn` over
        the resamples.
    """
    if not sample_arrays:
        raise ValueError("bootstrap_ci needs at least one sample array")
    if not 0.0 < confidence < 1.0:
        raise ValueError(f"confidence must be in (0, 1); got {confidence}")
    if int(num_resamples) < 1:
        raise ValueError(f"num_resamples must be positive; got {num_resamples}")
    arrays = [np.asarray(a) for a in sample_arrays]
    if any(a.ndim == 0 or a.shape[0] == 0 for a in arrays):
        raise ValueError("every sample array needs at least one row")
    rng = np.random.default_rng(seed)
    estimate = float(fn(*arrays))
    statistics = np.empty(int(num_resamples))
    for i in range(int(num_resamples)):
        resampled = [a[rng.integers(0, a.shape[0], size=a.shape[0])] for a in arrays]
        statistics[i] = fn(*resampled)
    tail = 0.5 * (1.0 - confidence)
    low, high = np.quantile(statistics, [tail, 1.0 - tail])
    return estimate, float(low), float(high)


def _difference_of_means(first, second):
    return np.mean(first) - np.mean(second)


def _mean_of_two(first, second):
    return 0.5 * np.mean(first) + 0.5 * np.mean(second)


_ATOM_REASON = (
    "some k-NN distances are 0 (repeated generated samples): p_g has atoms, "
    "where the k-NN density estimate is infinite"
)


def _report_entry(fn, arrays, ci_settings, infinite_reason=None):
    """One JSON-safe report entry: estimate and CI, or None and the reason why not."""
    if infinite_reason is None and not all(np.all(np.isfinite(a)) for a in arrays):
        infinite_reason = _ATOM_REASON
    if infinite_reason is not None:
        return {"estimate": None, "ci": None, "reason": infinite_reason}
    estimate, low, high = bootstrap_ci(fn, *arrays, **ci_settings)
    return {"estimate": estimate, "ci": [low, high], "reason": None}


def divergence_report(
    g_samples,
    data_samples,
    log_prob,
    k=DEFAULT_K,
    bias_correction=True,
    num_resamples=200,
    confidence=0.95,
    seed=0,
):
    """KL both ways and JS between generator and target, with bootstrap CIs.

    The k-NN densities are computed once. The bootstrap then resamples the
    per-point terms of each estimator (its evaluation points) with the
    density estimate held fixed, because resampling raw samples would create
    repeated points, at which k-NN densities are infinite. Holding it fixed
    ignores part of the variance (neighbouring points share neighbours), so
    the intervals run 10-20 % narrow: in 100 repeated experiments on the
    ring at 2,500 samples, the 95 % intervals covered the truth 91-94 times.

    With `bias_correction`, the k-NN estimator's own bias is measured on the
    data samples (`knn_log_density_bias`) and removed from both KLs:

        kl_g_data = kl_to_density(g) - bias
        kl_data_g = kl_from_density(data, g) + bias

    Both are then exactly unbiased in expectation when p_g = p_data and the
    two sample sets have the same size, and also when p_g is a shifted and
    isotropically rescaled p_data (Euclidean k-NN distances scale along, so
    the bias is the same). Use equal sizes: the bias depends on n. Without
    the correction a perfect generator of the ring at 2,500 samples reads
    about +0.03 nats, about two standard errors. The JS estimate has its own correction
    (see `js_divergence`) and no density bias to remove.

    JSON safety: every number in the result is a finite float or int. An
    infinite or undefined divergence is `None` in both `estimate` and `ci`,
    with a readable `reason`; `json.dumps(report, allow_nan=False)` works.

    Args:
        g_samples: `(m, d)` generated samples.
        data_samples: `(n, d)` target samples, ideally n = m.
        log_prob: Exact log density of the target (`-inf` off its support).
        k: Neighbour rank of the k-NN density estimates.
        bias_correction: Whether to remove the measured k-NN bias.
        num_resamples: Bootstrap resamples per entry.
        confidence: Coverage of the intervals, in (0, 1).
        seed: Seed of the bootstrap.

    Returns:
        A dict with
        `kl_g_data` (KL(p_g || p_data)), `kl_data_g` (KL(p_data || p_g)),
        `js` (Jensen-Shannon, nats, <= log 2) and `knn_log_density_bias`
        (the measured bias, whether or not it was removed), each
        `{"estimate": float | None, "ci": [low, high] | None,
        "reason": str | None}`;
        `outside_support_fraction` (share of generated samples where the
        target density is 0; if positive, `kl_g_data` is None: infinite);
        and the settings `k`, `bias_correction`, `num_generated`, `num_data`,
        `dim`, `confidence`, `num_resamples`, `seed`, `ci_method`.
    """
    generated = _as_points(g_samples, "g_samples")
    data = _as_points(data_samples, "data_samples")
    if generated.shape[1] != data.shape[1]:
        raise ValueError(
            f"g_samples have dimension {generated.shape[1]}, data {data.shape[1]}"
        )
    log_pdata_at_data = _evaluate_log_prob(log_prob, data, "data samples")
    _check_data_in_support(log_pdata_at_data)
    log_pdata_at_g = _evaluate_log_prob(log_prob, generated, "generated samples")
    log_pg_at_g = knn_log_density(generated, generated, k)
    log_pg_at_data = knn_log_density(generated, data, k, leave_one_out=False)
    bias_terms = _self_bias_terms(knn_log_density(data, data, k), log_pdata_at_data)

    to_terms = _kl_to_density_terms(log_pg_at_g, log_pdata_at_g)
    from_terms = _kl_from_density_terms(log_pdata_at_data, log_pg_at_data)
    if bias_correction:
        # The bias is measured at the same data points as the kl_data_g terms,
        # so the two are added point by point (a paired correction); for
        # kl_g_data it is an independent sample, resampled on its own.
        to_fn, to_arrays = _difference_of_means, [to_terms, bias_terms]
        from_arrays = [from_terms + bias_terms]
    else:
        to_fn, to_arrays = np.mean, [to_terms]
        from_arrays = [from_terms]

    outside = float(np.mean(log_pdata_at_g == -np.inf))
    outside_reason = None
    if outside > 0.0:
        outside_reason = (
            f"{outside:.2%} of generated samples are where the target density is 0, "
            "so KL(p_g || p_data) is infinite"
        )
    ci_settings = dict(num_resamples=num_resamples, confidence=confidence, seed=seed)
    js_arrays = list(
        _js_terms(log_pdata_at_data, log_pg_at_data, log_pdata_at_g, log_pg_at_g, k)
    )
    return {
        "kl_g_data": _report_entry(to_fn, to_arrays, ci_settings, outside_reason),
        "kl_data_g": _report_entry(np.mean, from_arrays, ci_settings),
        "js": _report_entry(_mean_of_two, js_arrays, ci_settings),
        "knn_log_density_bias": _report_entry(np.mean, [bias_terms], ci_settings),
        "outside_support_fraction": outside,
        "k": int(k),
        "bias_correction": bool(bias_correction),
        "num_generated": int(generated.shape[0]),
        "num_data": int(data.shape[0]),
        "dim": int(generated.shape[1]),
        "confidence": float(confidence),
        "num_resamples": int(num_resamples),
        "seed": int(seed),
        "ci_method": "percentile bootstrap of per-point terms, k-NN densities held fixed",
    }
