"""The scores a run's summaries write while it trains: convergence, fidelity, active latent units."""

import numpy as np
import pytest

from keras_gan_latent.data.targets import get_target
from keras_gan_latent.metrics.summary_scores import ACTIVE_UNIT_KL, active_units, convergence_scores, support_fidelity


def test_convergence_of_target_samples_is_near_zero_js_and_every_mode_covered():
    ring = get_target("eight_gaussians")
    real = ring.sample(2500, seed=[1, 2]).numpy()
    samples = ring.sample(2500, seed=[3, 4]).numpy()
    scores = convergence_scores(real, ring.log_prob_numpy, samples, ring.mode_centres, ring.mode_scale)
    assert set(scores) == {"js", "modes_covered", "high_quality"}
    assert abs(scores["js"]) < 0.03 and scores["modes_covered"] == 8.0 and scores["high_quality"] > 0.95
    # All samples on one mode: one mode covered, a large JS.
    collapsed = np.repeat(ring.mode_centres[:1], 2500, axis=0) + 0.01 * np.random.default_rng(0).normal(size=(2500, 2))
    scores = convergence_scores(real, ring.log_prob_numpy, collapsed, ring.mode_centres, ring.mode_scale)
    assert scores["modes_covered"] == 1.0 and scores["js"] > 0.3


def test_convergence_of_a_target_without_modes_is_js_only():
    gaussian = get_target("gaussian")
    real, samples = gaussian.sample(500, seed=[1, 2]).numpy(), gaussian.sample(500, seed=[3, 4]).numpy()
    assert set(convergence_scores(real, gaussian.log_prob_numpy, samples)) == {"js"}


def test_support_fidelity_averages_the_support_and_counts_what_is_outside():
    log_prob = np.array([-1.0, -3.0, -np.inf, -np.inf])
    assert support_fidelity(log_prob, bounded_support=True) == {"mean_log_prob": -2.0, "outside_support": 0.5}
    assert support_fidelity(log_prob) == {"mean_log_prob": -2.0}
    assert support_fidelity(np.full(3, -np.inf), bounded_support=True) == {"outside_support": 1.0}


def test_active_units_count_the_units_above_the_threshold():
    kl = np.array([0.0, ACTIVE_UNIT_KL / 2, 2 * ACTIVE_UNIT_KL, 1.5])
    assert active_units(kl) == 2.0
    assert active_units(kl, threshold=1.0) == 1.0
    assert active_units(np.zeros(4)) == pytest.approx(0.0)
