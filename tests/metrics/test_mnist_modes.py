"""The classifier score's decomposition (`metrics.mnist_modes.score_decomposition`): numpy only."""

import math

import numpy as np
import pytest

from keras_gan_latent.metrics.mnist_modes import classifier_score, mode_report, score_decomposition


def test_the_score_is_the_exponential_of_marginal_minus_mean_entropy():
    probs = np.random.default_rng(0).dirichlet(np.full(10, 0.3), size=500)
    parts = score_decomposition(probs)
    assert math.exp(parts["marginal_entropy"] - parts["mean_entropy"]) == pytest.approx(
        classifier_score(probs), rel=1e-9)
    assert 0.0 < parts["mean_entropy"] < parts["marginal_entropy"] <= math.log(10) + 1e-12


def test_confident_balanced_digits_have_no_ambiguity():
    probs = np.eye(10)[np.arange(1000) % 10]
    parts = score_decomposition(probs)
    assert parts["mean_entropy"] == 0.0
    assert parts["marginal_entropy"] == pytest.approx(math.log(10), rel=1e-12)
    assert parts["class_mean_entropy"] == [0.0] * 10


def test_per_class_figures_name_the_confusion_and_skip_empty_classes():
    # Class 4's samples hesitate with 9 (0.6 / 0.4), class 7's with 1 (0.9 / 0.1); no sample is a 0.
    fours = np.zeros((30, 10))
    fours[:, 4], fours[:, 9] = 0.6, 0.4
    sevens = np.zeros((20, 10))
    sevens[:, 7], sevens[:, 1] = 0.9, 0.1
    parts = score_decomposition(np.concatenate([fours, sevens]))
    entropy = lambda p: -(p * math.log(p) + (1 - p) * math.log(1 - p))  # noqa: E731
    assert parts["class_runner_up"][4] == 9 and parts["class_runner_up"][7] == 1
    assert parts["class_mean_entropy"][4] == pytest.approx(entropy(0.6), rel=1e-9)
    assert parts["class_mean_entropy"][7] == pytest.approx(entropy(0.9), rel=1e-9)
    assert parts["class_mean_entropy"][0] is None and parts["class_runner_up"][0] is None
    assert parts["mean_entropy"] == pytest.approx((30 * entropy(0.6) + 20 * entropy(0.9)) / 50, rel=1e-9)


def test_mode_report_carries_the_decomposition():
    probs = np.random.default_rng(1).dirichlet(np.ones(10), size=100)
    report = mode_report(probs)
    for key, value in score_decomposition(probs).items():
        assert report[key] == value
