"""Targets: exact, normalised densities; the ring's 8 distinct modes; the spiral's density."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan_latent import data
from keras_gan_latent.data import targets
from keras_gan_latent.errors import UserError


def _integrate_2d(target, low, high, n):
    axis = np.linspace(low, high, n, dtype=np.float64)
    step = axis[1] - axis[0]
    xx, yy = np.meshgrid(axis, axis)
    points = np.stack([xx.ravel(), yy.ravel()], 1).astype(np.float32)
    density = np.exp(target.log_prob(points).numpy().astype(np.float64))
    return density.sum() * step * step


@pytest.mark.parametrize(
    "name, low, high, n, tolerance",
    [
        ("gaussian", -7, 7, 701, 1e-3),
        ("eight_gaussians", -4, 4, 801, 1e-3),
        # sigma 0.05 needs a fine grid: 0.005 spacing is a tenth of sigma.
        ("grid25", -5, 5, 2001, 1e-3),
        # The spiral's density is 1/(0.6*pi*r), integrable but singular at the origin.
        ("spiral", -1.1, 1.1, 2201, 1e-2),
    ],
)
def test_log_prob_integrates_to_one(name, low, high, n, tolerance):
    assert _integrate_2d(targets.get_target(name), low, high, n) == pytest.approx(1.0, abs=tolerance)


def test_normal1d_integrates_to_one_and_has_quantile():
    target = targets.get_target("normal1d")
    x = np.linspace(-8, 8, 4001, dtype=np.float32)[:, None]
    total = np.exp(target.log_prob(x).numpy()).sum() * (x[1, 0] - x[0, 0])
    assert total == pytest.approx(1.0, abs=1e-4)
    assert target.quantile(tf.constant(0.975)).numpy() == pytest.approx(1.959964, abs=1e-4)


def test_ring_has_eight_distinct_modes_on_radius_two():
    target = targets.get_target("eight_gaussians")
    centres = target.mode_centres
    assert centres.shape == (8, 2)
    np.testing.assert_allclose(np.linalg.norm(centres, axis=1), 2.0, atol=1e-6)
    distances = np.linalg.norm(centres[:, None] - centres[None], axis=-1)
    np.fill_diagonal(distances, np.inf)
    # Neighbours on a radius-2 ring 45 degrees apart are 2*2*sin(pi/8) = 1.53 apart.
    assert distances.min() == pytest.approx(4 * np.sin(np.pi / 8), abs=1e-5)
    samples = target.sample(8000, seed=tf.constant([1, 2])).numpy()
    nearest = np.argmin(np.linalg.norm(samples[:, None] - centres[None], axis=-1), axis=1)
    counts = np.bincount(nearest, minlength=8)
    assert counts.min() > 800  # every mode gets about 1000 of 8000


def test_grid_modes_and_scale():
    target = targets.get_target("grid25")
    assert target.mode_centres.shape == (25, 2)
    assert sorted(set(target.mode_centres[:, 0].tolist())) == [-4, -2, 0, 2, 4]
    assert target.mode_scale == 0.05


def test_spiral_density_matches_histogram_of_its_samples():
    target = targets.get_target("spiral")
    samples = target.sample(400_000, seed=tf.constant([3, 4])).numpy()
    assert np.isfinite(target.log_prob(samples).numpy()).all()  # samples lie on the support
    edges = np.linspace(-1.0, 1.0, 21)
    counts, _, _ = np.histogram2d(samples[:, 0], samples[:, 1], bins=[edges, edges])
    empirical = counts / counts.sum()
    # Exact probability of each bin by integrating log_prob on a fine sub-grid.
    fine = 20
    centres = (np.arange(20 * fine) + 0.5) / (20 * fine) * 2.0 - 1.0
    xx, yy = np.meshgrid(centres, centres, indexing="ij")
    points = np.stack([xx.ravel(), yy.ravel()], 1).astype(np.float32)
    density = np.exp(target.log_prob(points).numpy()).reshape(20 * fine, 20 * fine)
    exact = density.reshape(20, fine, 20, fine).sum(axis=(1, 3)) * (2.0 / (20 * fine)) ** 2
    total_variation = 0.5 * np.abs(empirical - exact / exact.sum()).sum()
    assert total_variation < 0.02
    # And the density is not a blob: most bins of the square are empty.
    assert (exact < 1e-4).mean() > 0.3


def test_spiral_log_prob_is_minus_infinity_off_the_support():
    target = targets.get_target("spiral")
    off = np.array([[0.0, 0.5], [1.5, 1.5], [0.12, 0.0]], np.float32)
    assert np.all(np.isneginf(target.log_prob(off).numpy()))


def test_unknown_target_lists_valid_names():
    with pytest.raises(UserError, match="valid targets: .*eight_gaussians.*spiral"):
        targets.get_target("nine_gaussians")


def test_builtin_target_names_and_priors_are_known_without_tensorflow():
    """`data.BUILTIN_TARGETS` is what the registry holds of the built-ins: names and the article's priors."""
    for name, prior in data.BUILTIN_TARGETS.items():
        assert targets.default_prior(name) == prior == targets.get_target(name).default_prior
    assert set(data.BUILTIN_TARGETS) <= set(targets.target_names())
    assert data.known_target_names() == targets.target_names()  # the registry, once it is imported
    with pytest.raises(UserError, match="unknown target 'nope'; valid targets: eight_gaussians, gaussian"):
        data.target_default_prior("nope")


def test_builtin_target_dims_are_known_without_tensorflow():
    """`data.BUILTIN_TARGET_DIMS` (2 where absent) is each built-in target's dimension in the registry."""
    for name in data.BUILTIN_TARGETS:
        assert data.BUILTIN_TARGET_DIMS.get(name, 2) == targets.get_target(name).dim, name
        assert data.known_target_dim(name) == targets.get_target(name).dim
