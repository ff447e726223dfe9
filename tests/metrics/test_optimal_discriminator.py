"""Tests of D*, the GAN value function and the discriminator gap."""

import math

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import expit
from scipy.stats import norm

from keras_gan_latent.metrics.optimal_discriminator import (
    OPTIMAL_VALUE,
    discriminator_accuracy,
    discriminator_gap,
    highest_density_region,
    optimal_discriminator,
    optimal_discriminator_report,
    value_function,
)

P_DATA = norm(0.0, 1.0)
P_G = norm(1.5, 1.0)


def test_optimal_discriminator_is_the_density_ratio():
    x = np.linspace(-3.0, 4.0, 15)
    d_star = optimal_discriminator(P_DATA.logpdf(x), P_G.logpdf(x))
    expected = P_DATA.pdf(x) / (P_DATA.pdf(x) + P_G.pdf(x))
    np.testing.assert_allclose(d_star, expected, rtol=1e-12)


def test_optimal_discriminator_is_stable_where_densities_underflow():
    # exp(-1000) is 0 in float64: the direct ratio would be 0/0.
    d_star = optimal_discriminator([-1000.0], [-1001.0])
    assert d_star[0] == pytest.approx(expit(1.0), rel=1e-12)


def test_optimal_discriminator_at_zero_densities():
    d_star = optimal_discriminator([-np.inf, 0.0, -np.inf, 0.0], [0.0, -np.inf, -np.inf, 0.0])
    assert d_star[0] == 0.0  # only the generator puts mass here
    assert d_star[1] == 1.0  # only the data does
    assert np.isnan(d_star[2])  # neither: undefined
    assert d_star[3] == 0.5


def test_value_at_one_half_is_minus_log_four():
    assert value_function(np.full(10, 0.5), np.full(7, 0.5)) == pytest.approx(OPTIMAL_VALUE)
    assert OPTIMAL_VALUE == pytest.approx(-math.log(4.0))


def test_value_at_d_star_is_minus_log_four_plus_twice_the_js_divergence():
    # V(D*, G) = -log 4 + 2 JS(p_data || p_g); JS by quadrature, V by Monte Carlo.
    def mixture_log_ratio_integrand(x, p, q):
        return p.pdf(x) * math.log(2.0 * p.pdf(x) / (p.pdf(x) + q.pdf(x)))

    js = 0.5 * quad(mixture_log_ratio_integrand, -12, 14, args=(P_DATA, P_G))[0]
    js += 0.5 * quad(mixture_log_ratio_integrand, -12, 14, args=(P_G, P_DATA))[0]

    rng = np.random.default_rng(0)
    real = P_DATA.rvs(20000, random_state=rng)
    fake = P_G.rvs(20000, random_state=rng)
    d_real = optimal_discriminator(P_DATA.logpdf(real), P_G.logpdf(real))
    d_fake = optimal_discriminator(P_DATA.logpdf(fake), P_G.logpdf(fake))
    value = value_function(d_real, d_fake)

    standard_error = math.sqrt(
        np.var(np.log(d_real)) / real.size + np.var(np.log1p(-d_fake)) / fake.size
    )
    assert abs(value - (OPTIMAL_VALUE + 2.0 * js)) < 4.0 * standard_error
    # D* beats the discriminator that cannot tell them apart.
    assert value > value_function(np.full(real.size, 0.5), np.full(fake.size, 0.5))


def test_value_function_from_logits_matches_probabilities_and_never_clips():
    logits_real = np.array([-2.0, 0.0, 3.0])
    logits_fake = np.array([-1.0, 0.5])
    assert value_function(logits_real, logits_fake, from_logits=True) == pytest.approx(
        value_function(expit(logits_real), expit(logits_fake)), rel=1e-9
    )
    # A confidently wrong discriminator: exact with logits, clipped with probabilities.
    assert value_function([-50.0], [50.0], from_logits=True) == pytest.approx(-100.0)
    assert value_function([0.0], [1.0]) == pytest.approx(2.0 * math.log(1e-7), rel=1e-6)


def test_value_function_rejects_logits_passed_as_probabilities():
    with pytest.raises(ValueError, match="from_logits"):
        value_function([2.0], [0.5])


def test_discriminator_gap_averages_over_the_mask_only():
    d = np.array([[0.5, 0.9], [0.2, 0.0]])
    d_star = np.array([[0.5, 0.5], [0.5, np.nan]])
    mask = np.array([[True, True], [True, False]])
    # |0| + |0.4| + |0.3| over 3 points; the NaN of D* is outside the mask.
    assert discriminator_gap(d, d_star, mask) == pytest.approx(0.7 / 3.0)


def test_discriminator_gap_rejects_bad_masks():
    d = np.zeros((2, 2))
    d_star = np.array([[0.5, np.nan], [0.5, 0.5]])
    with pytest.raises(ValueError, match="NaN"):
        discriminator_gap(d, d_star, np.ones((2, 2), dtype=bool))
    with pytest.raises(ValueError, match="no grid point"):
        discriminator_gap(d, d_star, np.zeros((2, 2), dtype=bool))
    with pytest.raises(ValueError, match="boolean"):
        discriminator_gap(d, d_star, np.ones((2, 2)))
    with pytest.raises(ValueError, match="shapes"):
        discriminator_gap(d, d_star, np.ones((4,), dtype=bool))


def test_highest_density_region_keeps_the_densest_cells_up_to_the_mass():
    density = np.array([0.1, 0.4, 0.3, 0.2])
    assert highest_density_region(density, mass=0.5).tolist() == [False, True, True, False]
    assert highest_density_region(density, mass=0.99).all()
    assert highest_density_region(density, mass=0.1).tolist() == [False, True, False, False]


def test_discriminator_accuracy_averages_the_two_hit_rates():
    assert discriminator_accuracy([1.0, 2.0, -1.0, 3.0], [-1.0, 0.5]) == pytest.approx(0.5 * (0.75 + 0.5))
    assert discriminator_accuracy(np.zeros((4, 1)), np.zeros((4, 1))) == 0.0  # logit 0 is neither side


def test_report_of_a_discriminator_at_the_optimum_of_a_converged_generator():
    # p_g = p_data on a 1-D grid: D* = 1/2; a D that outputs 1/2 (logit 0) has gap 0 and value -log 4.
    x = np.linspace(-4.0, 4.0, 41)
    log_p = P_DATA.logpdf(x)
    scores, d_star = optimal_discriminator_report(np.full((41,), 0.5), log_p, log_p, np.zeros(5), np.zeros(5))
    np.testing.assert_allclose(d_star, 0.5)
    assert scores["gap"] == pytest.approx(0.0, abs=1e-12)
    assert scores["value"] == pytest.approx(OPTIMAL_VALUE, rel=1e-9)
    assert scores["accuracy"] == 0.0
    # A D that outputs D* of another generator is off by |D* - 1/2| over the data region.
    d_other = optimal_discriminator(log_p, P_G.logpdf(x))
    scores, _ = optimal_discriminator_report(d_other.reshape(41, 1).ravel(), log_p, log_p, [2.0], [-2.0])
    region = highest_density_region(np.exp(log_p))
    assert scores["gap"] == pytest.approx(np.mean(np.abs(d_other - 0.5)[region]), rel=1e-9)
    assert scores["accuracy"] == 1.0
