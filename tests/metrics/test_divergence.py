"""Tests of the k-NN divergence estimators against closed forms.

Targets are sampled with numpy and their log densities come from scipy, so
every expected value here is exact (closed-form Gaussian KL, mixture JS by
symmetry) or a Monte Carlo integral with exact densities.
"""

import functools
import json
import math

import numpy as np
import pytest
import scipy.stats
from scipy.special import digamma, logsumexp
from scipy.stats import multivariate_normal

from keras_gan_latent.metrics.divergence import (
    bootstrap_ci,
    divergence_report,
    js_divergence,
    kl_divergence,
    kl_from_density,
    kl_to_density,
    knn_log_density,
    knn_log_density_bias,
    outside_support_fraction,
)

NUM_SAMPLES = 2500  # the protocol's sample size
CONFIDENCE = 0.99  # for the few single-run CI checks below
LOG_2 = math.log(2.0)


# Targets ---------------------------------------------------------------------


def gaussian_pair(dim, separation, generator_variance, data_variance):
    """Isotropic generator and data Gaussians, means `separation` apart on axis 0."""
    data_mean = np.zeros(dim)
    data_mean[0] = separation
    generator = multivariate_normal(np.zeros(dim), generator_variance * np.eye(dim))
    data = multivariate_normal(data_mean, data_variance * np.eye(dim))
    return generator, data


def log_prob_of(distribution):
    return lambda x: np.atleast_1d(distribution.logpdf(x))


def sample(distribution, num_samples, rng):
    return distribution.rvs(num_samples, random_state=rng).reshape(num_samples, -1)


def gaussian_kl(p, q):
    """Closed-form KL(p || q) between two scipy multivariate normals."""
    q_precision = np.linalg.inv(q.cov)
    mean_gap = q.mean - p.mean
    return 0.5 * (
        np.trace(q_precision @ p.cov)
        + mean_gap @ q_precision @ mean_gap
        - p.mean.size
        + np.linalg.slogdet(q.cov)[1]
        - np.linalg.slogdet(p.cov)[1]
    )


def monte_carlo_js(p, q, rng, num_samples=100_000):
    """JS(p, q) with exact densities: its Monte Carlo error is ~0.001 nats."""
    x, y = sample(p, num_samples, rng), sample(q, num_samples, rng)
    p_side = LOG_2 - np.logaddexp(0.0, q.logpdf(x) - p.logpdf(x))
    q_side = LOG_2 - np.logaddexp(0.0, p.logpdf(y) - q.logpdf(y))
    return 0.5 * p_side.mean() + 0.5 * q_side.mean()


RING_SCALE = 0.2
RING_ANGLES = 2.0 * np.pi * np.arange(8) / 8.0
RING_CENTRES = 2.0 * np.stack([np.cos(RING_ANGLES), np.sin(RING_ANGLES)], axis=1)


def sample_ring(rng, num_samples, modes=range(8)):
    chosen = rng.choice(np.asarray(list(modes)), num_samples)
    return RING_CENTRES[chosen] + RING_SCALE * rng.standard_normal((num_samples, 2))


def ring_log_prob(points):
    squared = ((points[:, None, :] - RING_CENTRES[None]) ** 2).sum(-1)
    return (
        logsumexp(-0.5 * squared / RING_SCALE**2, axis=1)
        - math.log(8.0)
        - math.log(2.0 * math.pi * RING_SCALE**2)
    )


def unit_square_log_prob(points):
    inside = np.all((points >= 0.0) & (points <= 1.0), axis=1)
    return np.where(inside, 0.0, -np.inf)


def assert_in_ci(entry, value):
    low, high = entry["ci"]
    assert low <= value <= high, f"{value:.4f} outside CI [{low:.4f}, {high:.4f}]"


# (separation, generator variance, data variance)
GAUSSIAN_CASES = {
    "target_itself": (0.0, 1.0, 1.0),
    "shifted": (1.0, 1.0, 1.0),
    "narrower_generator": (1.0, 1.0, 1.5),
    "wider_generator": (1.0, 1.5, 1.0),
}


# k-NN density ----------------------------------------------------------------


@pytest.mark.parametrize("dim", [1, 2])
@pytest.mark.parametrize("k", [1, 4])
def test_knn_log_density_is_unbiased_in_the_log(dim, k):
    # The textbook k / (n V r^d) would be off by log k - psi(k): 0.58 nats at
    # k = 1 and 0.13 at k = 4, far outside the 4 standard errors allowed here.
    rng = np.random.default_rng(dim * 10 + k)
    target = multivariate_normal(np.zeros(dim), np.eye(dim))
    samples = sample(target, 4000, rng)
    queries = sample(target, 4000, rng)
    for estimate, points in [
        (knn_log_density(samples, samples, k), samples),  # leave-one-out
        (knn_log_density(samples, queries, k), queries),  # held-out points
    ]:
        errors = estimate - log_prob_of(target)(points)
        standard_error = errors.std() / math.sqrt(errors.size)
        assert abs(errors.mean()) < 4.0 * standard_error
        # ...and that tolerance is tight enough to catch the textbook offset.
        assert abs(math.log(k) - digamma(k)) > 4.0 * standard_error


def test_knn_log_density_leaves_the_query_out_only_for_the_samples_themselves():
    samples = np.random.default_rng(0).standard_normal((50, 2))
    left_out = knn_log_density(samples, samples, 1)
    assert np.all(np.isfinite(left_out))
    # A copy is a different set of points: each query sits on a sample (an atom).
    assert np.all(knn_log_density(samples, samples.copy(), 1) == np.inf)
    np.testing.assert_array_equal(
        knn_log_density(samples, samples.copy(), 1, leave_one_out=True), left_out
    )
    knn_log_density(samples, samples, 49)  # 49 other samples
    with pytest.raises(ValueError, match="k must be"):
        knn_log_density(samples, samples, 50)


# Two-sample KL (Wang-Kulkarni-Verdu) ------------------------------------------


@pytest.mark.parametrize("dim", [1, 2])
@pytest.mark.parametrize(
    "separation, p_variance, q_variance", [(0.0, 1.0, 1.0), (1.0, 1.0, 1.0), (1.0, 1.0, 1.5)]
)
def test_wkv_kl_matches_closed_form_where_p_lies_within_q(dim, separation, p_variance, q_variance):
    # Documented accuracy: within 0.05 nats in 1-2 dimensions at 2,500
    # samples when P lies within Q's bulk. Allow that plus 4 standard errors
    # of the mean of the replicates.
    p, q = gaussian_pair(dim, separation, p_variance, q_variance)
    rng = np.random.default_rng(dim)
    estimates = [
        kl_divergence(sample(p, NUM_SAMPLES, rng), sample(q, NUM_SAMPLES, rng))
        for _ in range(4)
    ]
    error = abs(np.mean(estimates) - gaussian_kl(p, q))
    assert error < 0.05 + 4.0 * np.std(estimates, ddof=1) / 2.0


def test_wkv_kl_corrects_for_unequal_sample_sizes():
    # With four times as many Q samples, Q's neighbours are 4^(1/d) times
    # closer; without the log(m / (n - 1)) term KL(P || P) would read -log 4.
    p = multivariate_normal(np.zeros(5), np.eye(5))
    rng = np.random.default_rng(3)
    estimate = kl_divergence(sample(p, 2000, rng), sample(p, 8000, rng))
    assert abs(estimate) < 0.1 * math.log(4.0)


# Density-based KL and JS, through the report --------------------------------
#
# Unbiasedness is tested on independent replicates (a t-test of their mean),
# not with one report's bootstrap CI: that CI resamples per-point terms with
# the k-NN density held fixed and runs 10-20 % narrow (see divergence_report),
# so across dozens of cases single-run CI checks would fail by chance.

NUM_REPLICATES = 10


@functools.lru_cache(maxsize=None)
def replicate_estimates(dim, separation, generator_variance, data_variance):
    """Report estimates on NUM_REPLICATES independent sample pairs, and the truths."""
    generator, data = gaussian_pair(dim, separation, generator_variance, data_variance)
    rng = np.random.default_rng([dim, int(10 * separation), int(10 * generator_variance)])
    estimates = {"kl_g_data": [], "kl_data_g": [], "js": []}
    for _ in range(NUM_REPLICATES):
        report = divergence_report(
            sample(generator, NUM_SAMPLES, rng),
            sample(data, NUM_SAMPLES, rng),
            log_prob_of(data),
            num_resamples=10,  # the estimates do not depend on the bootstrap
        )
        for name, values in estimates.items():
            values.append(report[name]["estimate"])
    truths = {
        "kl_g_data": gaussian_kl(generator, data),
        "kl_data_g": gaussian_kl(data, generator),
        "js": monte_carlo_js(data, generator, rng),
    }
    return {name: np.array(values) for name, values in estimates.items()}, truths


def replicate_test_bound(values):
    """Half-width of a two-sided 99.9 % t-interval for the mean of `values`."""
    t_quantile = scipy.stats.t.ppf(0.9995, df=values.size - 1)
    return t_quantile * values.std(ddof=1) / math.sqrt(values.size)


def assert_unbiased(dim, case, name):
    estimates, truths = replicate_estimates(dim, *GAUSSIAN_CASES[case])
    error = estimates[name].mean() - truths[name]
    bound = replicate_test_bound(estimates[name])
    assert abs(error) < bound, f"{name}: mean error {error:+.4f}, bound {bound:.4f}"


@pytest.mark.parametrize("dim", [1, 2, 5])
@pytest.mark.parametrize("case", sorted(GAUSSIAN_CASES))
def test_report_kl_g_data_is_unbiased_for_gaussian_pairs(dim, case):
    # With the bias correction this holds in any dimension for isotropic
    # Gaussians: the k-NN bias is invariant under shifts and isotropic scaling.
    assert_unbiased(dim, case, "kl_g_data")


@pytest.mark.parametrize("dim", [1, 2])
@pytest.mark.parametrize("case", ["target_itself", "wider_generator"])
def test_report_kl_data_g_is_unbiased_where_generator_covers_data(dim, case):
    assert_unbiased(dim, case, "kl_data_g")


@pytest.mark.parametrize("dim", [1, 2])
@pytest.mark.parametrize("case", sorted(GAUSSIAN_CASES))
def test_report_js_is_unbiased_for_gaussian_pairs(dim, case):
    assert_unbiased(dim, case, "js")


def test_report_kl_data_g_is_biased_low_where_data_sit_in_generator_tails():
    # The documented limitation: data twice as wide as the generator sit in
    # its tails, where its k-NN density is overestimated.
    estimates, truths = replicate_estimates(2, 0.0, 1.0, 4.0)
    values = estimates["kl_data_g"]
    assert values.mean() + replicate_test_bound(values) < truths["kl_data_g"]


def test_ring_target_samples_read_zero_within_the_ci():
    rng = np.random.default_rng(11)
    report = divergence_report(
        sample_ring(rng, NUM_SAMPLES),
        sample_ring(rng, NUM_SAMPLES),
        ring_log_prob,
        confidence=CONFIDENCE,
    )
    for name in ("kl_g_data", "kl_data_g", "js"):
        assert_in_ci(report[name], 0.0)
    assert report["outside_support_fraction"] == 0.0


def test_ring_with_two_modes_dropped_matches_its_closed_forms():
    # p_g is p_data restricted to 6 of the 8 well-separated modes:
    # KL(p_g || p_data) = log(8/6); on shared modes 2p/(p+q) = 6/7 and
    # 2q/(p+q) = 8/7, on the dropped ones 2p/(p+0) = 2.
    rng = np.random.default_rng(12)
    report = divergence_report(
        sample_ring(rng, NUM_SAMPLES, modes=range(6)),
        sample_ring(rng, NUM_SAMPLES),
        ring_log_prob,
        confidence=CONFIDENCE,
    )
    js = 0.5 * (0.25 * LOG_2 + 0.75 * math.log(6.0 / 7.0)) + 0.5 * math.log(8.0 / 7.0)
    assert_in_ci(report["kl_g_data"], math.log(8.0 / 6.0))
    assert_in_ci(report["js"], js)


def test_js_of_far_apart_distributions_approaches_but_never_exceeds_log_2():
    generator, data = gaussian_pair(2, 40.0, 1.0, 1.0)
    rng = np.random.default_rng(13)
    estimate = js_divergence(
        sample(data, NUM_SAMPLES, rng), log_prob_of(data), sample(generator, NUM_SAMPLES, rng)
    )
    assert LOG_2 - 0.01 < estimate <= LOG_2


# Report mechanics --------------------------------------------------------------


def test_report_estimates_are_the_public_estimators_plus_the_bias_correction():
    generator, data = gaussian_pair(2, 1.0, 1.0, 1.0)
    rng = np.random.default_rng(14)
    g_samples, data_samples = sample(generator, 500, rng), sample(data, 500, rng)
    log_prob = log_prob_of(data)
    to_data = kl_to_density(g_samples, log_prob)
    from_data = kl_from_density(data_samples, log_prob, g_samples)
    bias = knn_log_density_bias(data_samples, log_prob)

    plain = divergence_report(g_samples, data_samples, log_prob, bias_correction=False)
    assert plain["kl_g_data"]["estimate"] == pytest.approx(to_data, rel=1e-12)
    assert plain["kl_data_g"]["estimate"] == pytest.approx(from_data, rel=1e-12)
    assert plain["js"]["estimate"] == pytest.approx(
        js_divergence(data_samples, log_prob, g_samples), rel=1e-12
    )
    assert plain["knn_log_density_bias"]["estimate"] == pytest.approx(bias, rel=1e-12)

    corrected = divergence_report(g_samples, data_samples, log_prob)
    assert corrected["kl_g_data"]["estimate"] == pytest.approx(to_data - bias, rel=1e-12)
    assert corrected["kl_data_g"]["estimate"] == pytest.approx(from_data + bias, rel=1e-12)


def test_generated_samples_outside_the_support_make_kl_infinite_and_are_counted():
    rng = np.random.default_rng(15)
    inside = rng.uniform(size=(450, 2))
    outside = rng.uniform(size=(50, 2)) + [1.5, 0.0]
    g_samples = np.concatenate([inside, outside])
    data_samples = rng.uniform(size=(500, 2))

    assert kl_to_density(g_samples, unit_square_log_prob) == float("inf")
    assert outside_support_fraction(g_samples, unit_square_log_prob) == 0.1
    report = divergence_report(g_samples, data_samples, unit_square_log_prob)
    assert report["outside_support_fraction"] == 0.1
    assert report["kl_g_data"]["estimate"] is None
    assert report["kl_g_data"]["ci"] is None
    assert "10.00%" in report["kl_g_data"]["reason"]
    assert report["kl_data_g"]["estimate"] is not None
    assert 0.0 < report["js"]["estimate"] <= LOG_2
    json.dumps(report, allow_nan=False)  # raises on inf or NaN


def test_repeated_generated_samples_are_reported_not_averaged():
    rng = np.random.default_rng(16)
    g_samples = np.concatenate([rng.standard_normal((400, 2)), np.zeros((5, 2))])
    target = multivariate_normal(np.zeros(2), np.eye(2))
    report = divergence_report(g_samples, sample(target, 400, rng), log_prob_of(target))
    assert report["kl_g_data"]["estimate"] is None
    assert "repeated" in report["kl_g_data"]["reason"]
    json.dumps(report, allow_nan=False)


def test_invalid_inputs_are_rejected():
    target = multivariate_normal(np.zeros(2), np.eye(2))
    points = np.random.default_rng(17).standard_normal((20, 2))
    with pytest.raises(ValueError, match="dimension"):
        divergence_report(points, points[:, :1], log_prob_of(target))
    with pytest.raises(ValueError, match="not samples of that density"):
        kl_from_density(points + 5.0, unit_square_log_prob, points)
    with pytest.raises(ValueError, match="returned 1 values"):
        kl_to_density(points, lambda x: np.zeros(1))
    with pytest.raises(ValueError, match="NaN"):
        kl_to_density(np.full((5, 2), np.nan), log_prob_of(target))


# Bootstrap ---------------------------------------------------------------------


def test_bootstrap_ci_covers_the_mean_at_about_the_nominal_rate():
    rng = np.random.default_rng(18)
    num_datasets = 200
    covered = 0
    for seed in range(num_datasets):
        values = rng.exponential(size=60)  # skewed, true mean 1
        estimate, low, high = bootstrap_ci(np.mean, values, num_resamples=300, seed=seed)
        assert estimate == values.mean() and low <= estimate <= high
        covered += low <= 1.0 <= high
    # Nominal 95 %; the percentile bootstrap runs a little low for a skewed
    # mean at n = 60. 4 binomial standard errors either side.
    assert abs(covered / num_datasets - 0.95) < 4.0 * math.sqrt(0.95 * 0.05 / num_datasets) + 0.02


def test_bootstrap_ci_resamples_each_array_on_its_own_and_is_seeded():
    rng = np.random.default_rng(19)
    a, b = rng.standard_normal(400), rng.standard_normal(100)

    def difference(x, y):
        return np.mean(x) - np.mean(y)

    first = bootstrap_ci(difference, a, b, seed=3)
    assert first == bootstrap_ci(difference, a, b, seed=3)
    # Width of a 95 % interval of a difference of means: 3.92 sqrt(1/400 + 1/100).
    width = first[2] - first[1]
    assert width == pytest.approx(3.92 * math.sqrt(1 / 400 + 1 / 100), rel=0.2)
    with pytest.raises(ValueError, match="confidence"):
        bootstrap_ci(np.mean, a, confidence=1.0)
