"""The decision rule on hand-made seed values: each verdict, the Welch interval, the edge cases, "how much noise"."""

import math

import numpy as np
import pytest
import scipy.stats

from keras_gan_latent.sweep import decision
from keras_gan_latent.sweep.decision import AS_GOOD_AS, BETTER, UNDETERMINED, WORSE, compare, enough_latent_dim


def test_welch_interval_matches_the_formula():
    a, b = [0.20, 0.25, 0.22], [0.30, 0.41, 0.35, 0.38]
    difference, low, high = decision.welch_interval(a, b)
    va, vb = np.var(a, ddof=1) / 3, np.var(b, ddof=1) / 4
    dof = (va + vb) ** 2 / (va**2 / 2 + vb**2 / 3)
    half = scipy.stats.t.ppf(0.975, dof) * math.sqrt(va + vb)
    assert difference == pytest.approx(np.mean(a) - np.mean(b), abs=1e-12)
    assert (low, high) == (pytest.approx(difference - half, abs=1e-9), pytest.approx(difference + half, abs=1e-9))


def test_equal_variances_and_sizes_give_the_pooled_interval():
    a, b = [1.0, 2.0, 3.0], [2.0, 3.0, 4.0]
    _, low, high = decision.welch_interval(a, b)
    pooled_half = scipy.stats.t.ppf(0.975, 4) * math.sqrt(1.0 / 3 + 1.0 / 3)
    assert (low, high) == (pytest.approx(-1 - pooled_half, abs=1e-9), pytest.approx(-1 + pooled_half, abs=1e-9))


@pytest.mark.parametrize(
    "a, b, better, verdict",
    [
        ([0.20, 0.21, 0.22], [0.50, 0.51, 0.52], "lower", BETTER),  # far lower: better
        ([0.50, 0.51, 0.52], [0.20, 0.21, 0.22], "lower", WORSE),
        ([0.50, 0.51, 0.52], [0.20, 0.21, 0.22], "higher", BETTER),  # direction flips the verdict
        ([0.200, 0.201, 0.202], [0.201, 0.202, 0.203], "lower", AS_GOOD_AS),  # tight and close: equivalent
        ([0.10, 0.30, 0.20], [0.15, 0.35, 0.25], "lower", UNDETERMINED),  # straddles 0, wider than the margin
        ([0.20, 0.22, 0.24], [0.25, 0.27, 0.29], "lower", BETTER),  # excludes 0, reaches past the margin
    ],
)
def test_each_verdict(a, b, better, verdict):
    assert compare(a, b, better, margin=0.02).verdict == verdict


def test_a_significant_difference_inside_the_margin_is_as_good_as():
    result = compare([0.2000, 0.2001, 0.2002], [0.2050, 0.2051, 0.2052], "lower", margin=0.02)
    assert result.high < 0  # the interval excludes zero ...
    assert result.verdict == AS_GOOD_AS  # ... but the difference is below what the estimator resolves


def test_identical_groups_are_as_good_as_each_other():
    values = [0.21, 0.25, 0.23]
    result = compare(values, list(values), "lower", margin=0.1)
    assert result.difference == pytest.approx(0.0, abs=1e-15)
    assert result.low == pytest.approx(-result.high, abs=1e-12)
    assert result.verdict == AS_GOOD_AS


def test_identical_noisy_groups_wider_than_the_margin_are_undetermined():
    values = [0.1, 0.3, 0.5]
    assert compare(values, list(values), "lower", margin=0.02).verdict == UNDETERMINED


def test_zero_variance_in_both_groups_is_a_point_interval():
    equal = compare([8, 8, 8], [8, 8, 8], "higher", margin=0.5)
    assert (equal.difference, equal.low, equal.high, equal.verdict) == (0.0, 0.0, 0.0, AS_GOOD_AS)
    fewer = compare([6, 6, 6], [8, 8, 8], "higher", margin=0.5)
    assert (fewer.low, fewer.high, fewer.verdict) == (-2.0, -2.0, WORSE)


def test_zero_variance_in_one_group_uses_the_other_groups_degrees_of_freedom():
    difference, low, high = decision.welch_interval([10, 10, 10], [7, 7, 8])
    half = scipy.stats.t.ppf(0.975, 2) * np.std([7, 7, 8], ddof=1) / math.sqrt(3)
    assert (low, high) == (pytest.approx(difference - half, abs=1e-9), pytest.approx(difference + half, abs=1e-9))


@pytest.mark.parametrize("a, b", [([0.2], [0.5, 0.6, 0.55]), ([0.2, 0.3], [0.5]), ([], [0.5, 0.6])])
def test_fewer_than_two_values_is_undetermined_without_an_interval(a, b):
    result = compare(a, b, "lower", margin=0.02)
    assert result.verdict == UNDETERMINED
    assert (result.low, result.high) == (None, None)
    assert (result.n_a, result.n_b) == (len(a), len(b))


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="better"):
        compare([1, 2], [1, 2], "smaller", margin=0.1)
    with pytest.raises(ValueError, match="margin"):
        compare([1, 2], [1, 2], "lower", margin=0)
    with pytest.raises(ValueError, match="finite"):
        compare([1, float("nan")], [1, 2], "lower", margin=0.1)


def test_how_much_noise_decided():
    groups = {
        1: [0.60, 0.61, 0.62],  # worse
        2: [0.300, 0.301, 0.302],  # as good as the best
        3: [0.300, 0.301, 0.302],
        10: [0.299, 0.300, 0.301],  # best mean
    }
    answer = enough_latent_dim(groups, "lower", margin=0.02)
    assert (answer.best, answer.answer, answer.text()) == (10, 2, "2")
    assert answer.comparisons[1].verdict == WORSE


def test_how_much_noise_undetermined_between():
    groups = {
        1: [0.60, 0.61, 0.62],  # worse
        2: [0.20, 0.35, 0.30],  # undetermined against the best
        3: [0.200, 0.201, 0.202],  # as good as the best
        10: [0.199, 0.200, 0.201],  # best
    }
    answer = enough_latent_dim(groups, "lower", margin=0.02)
    assert answer.answer is None
    assert (answer.low, answer.high, answer.text()) == (2, 3, "undetermined between 2 and 3")


def test_how_much_noise_higher_is_better_and_the_best_alone():
    groups = {1: [3, 4, 4], 2: [7, 7, 8], 10: [10, 10, 10]}
    answer = enough_latent_dim(groups, "higher", margin=0.5)
    assert (answer.best, answer.text()) == (10, "10")


def test_how_much_noise_ties_take_the_smaller_latent_dim_as_best():
    answer = enough_latent_dim({50: [10, 10, 10], 10: [10, 10, 10], 2: [7, 7, 8]}, "higher", margin=0.5)
    assert (answer.best, answer.answer) == (10, 10)
