"""Latent priors (`data.priors`): the mixture prior's clusters, quantiles and stateless sampling."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan_latent.data import priors
from keras_gan_latent.errors import UserError


def _sample(name, latent_dim, n, seed=(3, 4)):
    return priors.latent_prior(name, latent_dim).sample(n, seed=tf.constant(seed, tf.int32)).numpy()


def test_mixture_centres_share_values_per_coordinate_and_are_apart():
    centres = priors.mixture_centres(10)
    assert centres.shape == (priors.MIXTURE_COMPONENTS, 10)
    # Every coordinate takes the same ten values, in its own order.
    np.testing.assert_allclose(np.sort(centres, axis=0), np.sort(centres[:, :1], axis=0).repeat(10, axis=1))
    assert len({tuple(np.argsort(centres[:, d])) for d in range(10)}) > 1
    distances = np.linalg.norm(centres[:, None] - centres[None], axis=-1)[np.triu_indices(10, 1)]
    assert distances.min() > 10 * priors.MIXTURE_SCALE  # clusters far apart at k = 10
    np.testing.assert_array_equal(priors.mixture_centres(10), centres)  # fixed


def test_mixture_samples_form_ten_equal_clusters_around_the_centres():
    z = _sample("mixture", 10, 20_000)
    centres = priors.mixture_centres(10)
    distance = np.linalg.norm(z[:, None] - centres[None], axis=-1)
    nearest = distance.argmin(axis=1)
    # Each sample is within a few component widths of its centre: ||eps|| ~ 0.2 sqrt(10) = 0.63.
    assert np.quantile(distance.min(axis=1), 0.999) < 6 * priors.MIXTURE_SCALE * np.sqrt(10) / 2
    shares = np.bincount(nearest, minlength=10) / len(z)
    np.testing.assert_allclose(shares, 0.1, atol=0.01)


def test_mixture_quantile_matches_the_samples_marginals():
    z = _sample("mixture", 3, 100_000)
    levels = np.linspace(0.02, 0.98, 25)
    expected = priors.prior_quantile("mixture", levels)
    for d in range(3):
        np.testing.assert_allclose(np.quantile(z[:, d], levels), expected, atol=0.03)
    assert np.all(np.diff(expected) > 0)


def test_mixture_sampling_is_stateless():
    np.testing.assert_array_equal(_sample("mixture", 4, 50), _sample("mixture", 4, 50))
    assert not np.array_equal(_sample("mixture", 4, 50), _sample("mixture", 4, 50, seed=(3, 5)))


@pytest.mark.parametrize("name, latent_dim, message", [("gaussian", 2, "valid priors: normal, uniform, mixture"),
                                                       ("mixture", 0, "latent dim must be an integer >= 1")])
def test_bad_prior_is_one_line(name, latent_dim, message):
    with pytest.raises(UserError, match=message):
        priors.latent_prior(name, latent_dim)


def test_truncated_normal_latents_have_variance_psi_squared():
    z = _sample("normal", 8, 40_000)
    for psi in (1.0, 0.5, 0.1):
        truncated = priors.truncate_latents("normal", z, psi)
        assert truncated.dtype == np.float32 and truncated.shape == z.shape
        np.testing.assert_allclose(truncated.std(axis=0), psi, rtol=0.03)
        np.testing.assert_allclose(truncated.mean(axis=0), 0.0, atol=0.02 * psi)
    np.testing.assert_array_equal(priors.truncate_latents("normal", z, 1.0), z)


def test_truncated_uniform_latents_fill_the_central_cube():
    z = _sample("uniform", 3, 20_000)
    truncated = priors.truncate_latents("uniform", z, 0.4)
    assert truncated.min() >= 0.3 - 1e-6 and truncated.max() <= 0.7 + 1e-6
    # Still uniform there, on [0.3, 0.7]: each coordinate's quartiles at 0.4, 0.5, 0.6.
    np.testing.assert_allclose(np.quantile(truncated, [0.25, 0.5, 0.75], axis=0), np.array([[0.4], [0.5], [0.6]]).repeat(3, 1), atol=0.01)


@pytest.mark.parametrize("name, psi, message", [("normal", 0.0, r"psi must be in \(0, 1\]"),
                                                ("normal", 1.5, r"psi must be in \(0, 1\]"),
                                                ("mixture", 0.5, "one centre \\(normal, uniform\\)")])
def test_bad_truncation_is_one_line(name, psi, message):
    with pytest.raises(UserError, match=message):
        priors.truncate_latents(name, np.zeros([4, 2], np.float32), psi)


def test_coded_prior_is_a_uniform_one_hot_code_then_the_continuous_part():
    prior = priors.coded_prior(priors.latent_prior("normal", 3), 10)
    assert prior.event_shape == [13]
    z = prior.sample(20_000, seed=tf.constant([5, 6], tf.int32)).numpy()
    code, rest = z[:, :10], z[:, 10:]
    assert set(np.unique(code)) == {0.0, 1.0} and np.all(code.sum(axis=1) == 1)
    shares = code.mean(axis=0)  # each 0.1; binomial sd 0.002
    assert np.all(np.abs(shares - 0.1) < 0.01), shares
    assert np.all(np.abs(rest.mean(axis=0)) < 0.05) and np.all(np.abs(rest.std(axis=0) - 1) < 0.05)
    again = prior.sample(20_000, seed=tf.constant([5, 6], tf.int32)).numpy()
    np.testing.assert_array_equal(z, again)  # stateless: same seed, same draw
    chosen = priors.coded_latents(tf.constant(rest[:4]), tf.constant([0, 9, 3, 3]), 10).numpy()
    np.testing.assert_array_equal(chosen[:, 10:], rest[:4])
    assert list(chosen[:, :10].argmax(axis=1)) == [0, 9, 3, 3]


@pytest.mark.parametrize("num_codes", [1, 0, -2, 2.5, True])
def test_coded_prior_refuses_fewer_than_two_codes(num_codes):
    with pytest.raises(UserError, match="latent code must have at least 2 values"):
        priors.coded_prior(priors.latent_prior("normal", 2), num_codes)
