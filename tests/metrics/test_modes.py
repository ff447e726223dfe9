"""Tests of the VEEGAN/PacGAN mode-coverage protocol."""

import json
import math

import numpy as np
import pytest
from scipy.special import erf
from scipy.stats import chi2

from keras_gan_latent.metrics.modes import mode_coverage, reverse_kl_to_uniform

NUM_SAMPLES = 2500  # the protocol's sample size
RING_SCALE = 0.2
RING_ANGLES = 2.0 * np.pi * np.arange(8) / 8.0
RING_CENTRES = 2.0 * np.stack([np.cos(RING_ANGLES), np.sin(RING_ANGLES)], axis=1)


def sample_modes(rng, centres, scale, num_samples, modes=None):
    """Samples an equal-weight isotropic Gaussian mixture over `modes` (default all)."""
    modes = np.arange(len(centres)) if modes is None else np.asarray(modes)
    chosen = rng.choice(modes, num_samples)
    return centres[chosen] + scale * rng.standard_normal((num_samples, centres.shape[1]))


def test_samples_of_the_ring_cover_all_modes_with_the_expected_quality():
    samples = sample_modes(np.random.default_rng(0), RING_CENTRES, RING_SCALE, NUM_SAMPLES)
    result = mode_coverage(samples, RING_CENTRES, RING_SCALE)

    assert result["modes_covered"] == 8
    assert result["num_modes"] == 8
    # 3 sigma in 2-D holds 1 - exp(-4.5) of an isotropic Gaussian; allow
    # 4 binomial standard errors of sampling noise.
    expected_hq = 1.0 - math.exp(-4.5)
    standard_error = math.sqrt(expected_hq * (1.0 - expected_hq) / NUM_SAMPLES)
    assert abs(result["high_quality_fraction"] - expected_hq) < 4.0 * standard_error
    num_hq = sum(result["mode_histogram"])
    assert num_hq == round(result["high_quality_fraction"] * NUM_SAMPLES)
    # 2 N KL(empirical || uniform) is the G-test statistic, ~ chi2(K - 1)
    # for a truly uniform mode choice.
    assert 2.0 * num_hq * result["reverse_kl_to_uniform"] < chi2.ppf(0.999, df=7)


def test_samples_of_a_single_mode_cover_one_mode_with_kl_log_k():
    samples = sample_modes(
        np.random.default_rng(1), RING_CENTRES, RING_SCALE, NUM_SAMPLES, modes=[3]
    )
    result = mode_coverage(samples, RING_CENTRES, RING_SCALE)

    assert result["modes_covered"] == 1
    assert result["mode_histogram"][3] == sum(result["mode_histogram"]) > 0
    assert result["reverse_kl_to_uniform"] == pytest.approx(math.log(8.0), rel=1e-12)


def test_samples_between_modes_are_not_high_quality():
    # Halfway between neighbouring modes: 0.78 from each centre, 3.9 sigma.
    between = 2.0 * np.stack(
        [np.cos(RING_ANGLES + np.pi / 8), np.sin(RING_ANGLES + np.pi / 8)], axis=1
    )
    samples = np.repeat(between, 10, axis=0)
    result = mode_coverage(samples, RING_CENTRES, RING_SCALE)

    assert result["modes_covered"] == 0
    assert result["high_quality_fraction"] == 0.0
    assert result["reverse_kl_to_uniform"] is None
    json.dumps(result, allow_nan=False)


def test_high_quality_radius_is_num_sigmas_times_the_mode_scale():
    centres = np.array([[0.0, 0.0], [10.0, 0.0]])
    scales = np.array([1.0, 0.5])  # one scale per mode
    samples = np.array(
        [
            [2.9, 0.0],  # 2.9 sigma from mode 0: HQ
            [0.0, -3.1],  # 3.1 sigma from mode 0: not HQ
            [10.0, 1.4],  # 2.8 sigma of mode 1's 0.5: HQ
            [8.4, 0.0],  # 3.2 sigma of mode 1: not HQ
        ]
    )
    result = mode_coverage(samples, centres, scales)
    assert result["mode_histogram"] == [1, 1]
    assert result["high_quality_fraction"] == 0.5

    wider = mode_coverage(samples, centres, scales, num_sigmas=3.5)
    assert wider["mode_histogram"] == [2, 2]


def test_one_dimensional_mixture_uses_the_one_dimensional_three_sigma_mass():
    centres = np.array([[-4.0], [0.0], [4.0]])
    samples = sample_modes(np.random.default_rng(2), centres, 0.3, 20000)[:, 0]
    result = mode_coverage(samples, centres, 0.3)

    expected_hq = erf(3.0 / math.sqrt(2.0))  # 99.73 %
    standard_error = math.sqrt(expected_hq * (1.0 - expected_hq) / samples.size)
    assert result["modes_covered"] == 3
    assert abs(result["high_quality_fraction"] - expected_hq) < 4.0 * standard_error


def test_duplicate_mode_centres_are_rejected():
    # The pitfall from the protocol: linspace with its endpoint repeats angle 0.
    angles = np.linspace(0.0, 2.0 * np.pi, 8)
    centres = 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    centres[-1] = centres[0]  # exactly, as cos/sin(2 pi) is only close
    with pytest.raises(ValueError, match="duplicate"):
        mode_coverage(np.zeros((4, 2)), centres, RING_SCALE)


@pytest.mark.parametrize("bad_scale", [0.0, -0.2, np.nan])
def test_non_positive_scale_is_rejected(bad_scale):
    with pytest.raises(ValueError, match="mode_scale"):
        mode_coverage(np.zeros((4, 2)), RING_CENTRES, bad_scale)


def test_reverse_kl_conventions():
    assert reverse_kl_to_uniform([7, 7, 7, 7]) == pytest.approx(0.0, abs=1e-15)
    # Two equally filled modes out of eight: log(8 / 2), empty modes add 0.
    assert reverse_kl_to_uniform([5, 0, 5, 0, 0, 0, 0, 0]) == pytest.approx(math.log(4.0))
    assert reverse_kl_to_uniform([0, 0, 0]) is None
    with pytest.raises(ValueError):
        reverse_kl_to_uniform([1, -1])
