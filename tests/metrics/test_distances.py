"""Tests of the Wasserstein, MMD, Kolmogorov-Smirnov and quantile-map distances."""

import itertools
import math

import numpy as np
import pytest
import scipy.stats
from scipy.spatial.distance import pdist
from scipy.stats import norm

from keras_gan_latent.metrics.distances import (
    ks_statistic,
    median_heuristic_bandwidth,
    mmd,
    quantile_map_distance,
    wasserstein_distance,
)


# Wasserstein -----------------------------------------------------------------


@pytest.mark.parametrize("order", [1, 2])
def test_exact_wasserstein_of_a_shifted_copy_is_the_shift_length(order):
    # For b a permutation of a + v, W_p = |v| exactly: W_1 >= |mean gap| = |v|
    # and for W_2 the cross term of any permutation sums to zero.
    rng = np.random.default_rng(0)
    a = rng.standard_normal((300, 2))
    shift = np.array([0.3, -0.4])
    b = rng.permutation(a + shift)
    result = wasserstein_distance(a, b, order=order)

    assert result["method"] == "exact_assignment"
    assert result["num_projections"] is None
    assert result["value"] == pytest.approx(0.5, rel=1e-9)


def test_exact_assignment_is_the_best_of_all_matchings():
    rng = np.random.default_rng(1)
    a, b = rng.standard_normal((6, 2)), rng.standard_normal((6, 2))
    brute_force = min(
        np.mean(np.linalg.norm(a - b[list(perm)], axis=1))
        for perm in itertools.permutations(range(6))
    )
    assert wasserstein_distance(a, b, order=1)["value"] == pytest.approx(brute_force)


def test_one_dimensional_w1_matches_scipy_for_unequal_sizes():
    rng = np.random.default_rng(2)
    a, b = rng.standard_normal(301), 0.5 + 2.0 * rng.standard_normal(157)
    result = wasserstein_distance(a, b, order=1)

    assert result["method"] == "exact_1d"
    assert result["value"] == pytest.approx(scipy.stats.wasserstein_distance(a, b), rel=1e-10)


def test_one_dimensional_w2_matches_quantile_integral_for_unequal_sizes():
    rng = np.random.default_rng(3)
    a, b = rng.standard_normal(7), rng.standard_normal(5)
    # Midpoint rule on a grid that never hits a jump of either quantile function.
    t = (np.arange(7 * 5 * 64) + 0.5) / (7 * 5 * 64)
    quantile_a = np.sort(a)[np.floor(t * 7).astype(int)]
    quantile_b = np.sort(b)[np.floor(t * 5).astype(int)]
    expected = math.sqrt(np.mean((quantile_a - quantile_b) ** 2))
    assert wasserstein_distance(a, b, order=2)["value"] == pytest.approx(expected, rel=1e-10)


@pytest.mark.parametrize("order, mean_power", [(1, 2.0 / math.pi), (2, 0.5)])
def test_sliced_wasserstein_of_a_2d_shift_matches_the_circle_average(order, mean_power):
    # Each direction theta sees a 1-D shift by theta.v, so SW_p^p = |v|^p E|cos|^p
    # with E|cos| = 2/pi and E cos^2 = 1/2 over the circle.
    rng = np.random.default_rng(4)
    a = rng.standard_normal((500, 2))
    shift = np.array([1.2, 0.5])  # length 1.3
    result = wasserstein_distance(a, rng.permutation(a + shift), order=order, method="sliced")

    assert result["method"] == "sliced"
    assert result["num_projections"] == 200
    assert result["value"] == pytest.approx(1.3 * mean_power ** (1.0 / order), rel=1e-3)


def test_sliced_wasserstein_in_3d_uses_random_directions():
    rng = np.random.default_rng(5)
    a = rng.standard_normal((400, 3))
    shift = np.array([0.0, 0.0, 2.0])
    result = wasserstein_distance(a, a + shift, order=2, method="sliced", seed=0)
    # SW_2 = |v| sqrt(E cos^2) = |v| / sqrt(3); with 200 random directions the
    # mean of cos^2 (sd 0.30) has standard error 0.021: allow 4 of them.
    mean_cos2 = result["value"] ** 2 / 4.0
    assert abs(mean_cos2 - 1.0 / 3.0) < 4.0 * math.sqrt(4.0 / 45.0 / 200)
    again = wasserstein_distance(a, a + shift, order=2, method="sliced", seed=0)
    assert again["value"] == result["value"]


def test_auto_method_falls_back_to_sliced_for_large_or_unequal_sets():
    rng = np.random.default_rng(6)
    a, b = rng.standard_normal((60, 2)), rng.standard_normal((60, 2))
    assert wasserstein_distance(a, b)["method"] == "exact_assignment"
    assert wasserstein_distance(a, b, max_exact_points=59)["method"] == "sliced"
    assert wasserstein_distance(a, b[:50])["method"] == "sliced"
    with pytest.raises(ValueError, match="same size"):
        wasserstein_distance(a, b[:50], method="exact")


# MMD -------------------------------------------------------------------------


def test_mmd_matches_the_unbiased_formula_written_as_loops():
    rng = np.random.default_rng(7)
    a, b = rng.standard_normal((5, 2)), rng.standard_normal((7, 2)) + 0.5
    h = 0.8

    def k(x, y):
        return math.exp(-np.sum((x - y) ** 2) / (2.0 * h * h))

    within_a = sum(k(a[i], a[j]) for i in range(5) for j in range(5) if i != j) / 20
    within_b = sum(k(b[i], b[j]) for i in range(7) for j in range(7) if i != j) / 42
    across = sum(k(x, y) for x in a for y in b) / 35
    assert mmd(a, b, bandwidth=h) == pytest.approx(within_a + within_b - 2 * across, rel=1e-12)


@pytest.mark.parametrize("shift", [0.0, 1.0])
def test_mmd_is_unbiased_for_gaussians(shift):
    # For N(mu_a, s^2 I) and N(mu_b, s^2 I) in d dimensions and kernel width h,
    # MMD^2 = 2 c (1 - exp(-|mu_a - mu_b|^2 / (2 (h^2 + 2 s^2)))),
    # c = (h^2 / (h^2 + 2 s^2))^(d/2). Test the mean of replicates with a t-test.
    dim, h, num_replicates = 2, 1.0, 8
    c = (h * h / (h * h + 2.0)) ** (dim / 2)
    expected = 2.0 * c * (1.0 - math.exp(-shift**2 / (2.0 * (h * h + 2.0))))
    rng = np.random.default_rng(8)
    estimates = [
        mmd(
            rng.standard_normal((500, dim)),
            rng.standard_normal((500, dim)) + [shift, 0.0],
            bandwidth=h,
        )
        for _ in range(num_replicates)
    ]
    standard_error = np.std(estimates, ddof=1) / math.sqrt(num_replicates)
    t_bound = scipy.stats.t.ppf(0.9995, df=num_replicates - 1)
    assert abs(np.mean(estimates) - expected) < t_bound * standard_error


def test_median_heuristic_is_the_median_pairwise_distance():
    rng = np.random.default_rng(9)
    a, b = rng.standard_normal((40, 2)), rng.standard_normal((30, 2))
    expected = np.median(pdist(np.concatenate([a, b])))
    assert median_heuristic_bandwidth(a, b) == expected
    # Above max_points it works on a subset: close to, not equal to, the full median.
    big_a, big_b = rng.standard_normal((1500, 2)), rng.standard_normal((1500, 2))
    full = np.median(pdist(np.concatenate([big_a, big_b])))
    assert median_heuristic_bandwidth(big_a, big_b) == pytest.approx(full, rel=0.05)


# Kolmogorov-Smirnov ----------------------------------------------------------


def dkw_bound(num_samples, alpha=1e-3):
    """Dvoretzky-Kiefer-Wolfowitz: P(sup |F_n - F| > eps) <= 2 exp(-2 n eps^2) = alpha."""
    return math.sqrt(math.log(2.0 / alpha) / (2.0 * num_samples))


def test_ks_statistic_is_small_for_samples_of_the_cdf_and_sized_for_a_shift():
    rng = np.random.default_rng(10)
    n = 2000
    same = ks_statistic(rng.standard_normal(n), norm.cdf)
    assert same["statistic"] < dkw_bound(n)
    assert same["pvalue"] > 1e-3

    shift = 0.5
    shifted = ks_statistic((rng.standard_normal(n) + shift)[:, None], norm.cdf)
    population = 2.0 * norm.cdf(shift / 2.0) - 1.0  # sup |Phi(x) - Phi(x - shift)|
    assert abs(shifted["statistic"] - population) < dkw_bound(n)
    assert shifted["pvalue"] < 1e-6


def test_ks_statistic_rejects_two_dimensional_samples():
    with pytest.raises(ValueError, match="1-D"):
        ks_statistic(np.zeros((10, 2)), norm.cdf)


# Quantile map ----------------------------------------------------------------


def test_quantile_map_distance_recognises_both_orientations():
    u = np.random.default_rng(11).uniform(size=1000)
    increasing = quantile_map_distance(u, norm.ppf(u), norm.ppf)
    assert increasing["orientation"] == "Q(u)"
    assert increasing["distance"] == pytest.approx(0.0, abs=1e-12)
    assert increasing["distance_q_one_minus_u"] > 0.5

    reflected = quantile_map_distance(u, norm.ppf(1.0 - u), norm.ppf)
    assert reflected["orientation"] == "Q(1-u)"
    assert reflected["distance"] == pytest.approx(0.0, abs=1e-12)


def test_quantile_map_distance_is_the_mean_absolute_gap_and_skips_infinite_quantiles():
    u = np.concatenate([[0.0, 1.0], np.random.default_rng(12).uniform(size=998)])
    # A generator is finite everywhere; its values at u = 0, 1 must not matter.
    g_of_u = np.nan_to_num(norm.ppf(u) + 0.3)
    result = quantile_map_distance(u, g_of_u, norm.ppf)

    assert result["num_points_used"] == 998  # Q(0) and Q(1) are infinite
    assert result["orientation"] == "Q(u)"
    assert result["distance"] == pytest.approx(0.3, rel=1e-9)
