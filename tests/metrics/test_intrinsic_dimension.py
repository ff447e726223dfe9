"""Tests of the TwoNN and Levina-Bickel intrinsic-dimension estimators."""

import json

import numpy as np
import pytest
from scipy.stats import special_ortho_group

from keras_gan_latent import metrics
from keras_gan_latent.metrics.intrinsic_dimension import (
    intrinsic_dimension,
    levina_bickel,
    two_nn,
)

AMBIENT_DIM = 10
ESTIMATORS = {"two_nn": two_nn, "levina_bickel": levina_bickel}

# Tolerances. Over 200 seeds the relative spread (standard deviation) of
# TwoNN is about 2 % at 5,000 points and of Levina-Bickel (k = 10) under 1 %,
# so 10 % is 5 standard deviations or more. A 5-D cube has so much boundary
# that both estimators come out 4-7 % low on average (points near a face
# see fewer neighbours on one side); its bound is 15 %.
TOLERANCE = 0.10
CUBE_5D_TOLERANCE = 0.15


def flat_cube(rng, num_points, dim, ambient_dim=AMBIENT_DIM):
    """Uniform points of [0, 1]^dim, rotated at random into ambient_dim dimensions."""
    rotation = special_ortho_group.rvs(ambient_dim, random_state=rng)
    return rng.uniform(size=(num_points, dim)) @ rotation[:dim]


def sphere(rng, num_points, dim):
    """Uniform points of the unit sphere S^dim in R^(dim + 1)."""
    points = rng.standard_normal((num_points, dim + 1))
    return points / np.linalg.norm(points, axis=1, keepdims=True)


@pytest.mark.parametrize("method", sorted(ESTIMATORS))
@pytest.mark.parametrize(
    "dim, num_points, tolerance",
    [(1, 5000, TOLERANCE), (2, 5000, TOLERANCE), (5, 10000, CUBE_5D_TOLERANCE)],
)
def test_a_rotated_flat_cube_gives_its_dimension(method, dim, num_points, tolerance):
    points = flat_cube(np.random.default_rng(10 + dim), num_points, dim)
    estimate = ESTIMATORS[method](points)
    assert abs(estimate - dim) < tolerance * dim


@pytest.mark.parametrize("method", sorted(ESTIMATORS))
@pytest.mark.parametrize("dim", [1, 2, 4])
def test_a_sphere_gives_its_dimension_not_the_ambient_one(method, dim):
    points = sphere(np.random.default_rng(20 + dim), 5000, dim)
    estimate = ESTIMATORS[method](points)
    assert abs(estimate - dim) < TOLERANCE * dim


@pytest.mark.parametrize("method", sorted(ESTIMATORS))
def test_a_two_dimensional_gaussian_gives_two(method):
    # The density varies, but only slowly at the scale of the neighbours.
    points = np.random.default_rng(3).standard_normal((5000, 2))
    assert abs(ESTIMATORS[method](points) - 2.0) < TOLERANCE * 2.0


def test_discarding_censors_the_largest_ratios_rather_than_dropping_them():
    # log(mu) is exponential with rate d; censoring the top 10 % keeps the
    # estimate near d, whereas N / sum(log mu) over the kept 90 % alone would
    # give 1.34 d. Both settings must agree with each other and with d.
    points = flat_cube(np.random.default_rng(4), 5000, 2)
    censored = two_nn(points, discard_fraction=0.1)
    plain = two_nn(points, discard_fraction=0.0)
    assert abs(censored - 2.0) < TOLERANCE * 2.0
    assert abs(plain - 2.0) < TOLERANCE * 2.0
    assert two_nn(points, discard_fraction=0.5) < 1.15 * 2.0


@pytest.mark.parametrize("method", sorted(ESTIMATORS))
def test_estimates_are_invariant_to_rotation_scaling_and_translation(method):
    rng = np.random.default_rng(5)
    points = flat_cube(rng, 2000, 3)
    rotation = special_ortho_group.rvs(AMBIENT_DIM, random_state=rng)
    moved = 7.5 * points @ rotation + rng.uniform(-3.0, 3.0, size=AMBIENT_DIM)
    estimator = ESTIMATORS[method]
    assert estimator(moved) == pytest.approx(estimator(points), rel=1e-6)
    # A much smaller scale, with the rows in another order.
    assert estimator(1e-3 * points[::-1]) == pytest.approx(estimator(points), rel=1e-6)


@pytest.mark.parametrize("method", sorted(ESTIMATORS))
def test_duplicated_points_count_once(method):
    points = sphere(np.random.default_rng(6), 1000, 2)
    with_copies = np.concatenate([points, points[:300], points[:10]])
    estimator = ESTIMATORS[method]
    assert np.isfinite(estimator(with_copies))
    assert estimator(with_copies) == pytest.approx(estimator(points), rel=1e-9)


def test_levina_bickel_uses_the_given_number_of_neighbours():
    # k reaches the estimator (the estimates differ), and on a sphere both a
    # small and a large neighbourhood stay near the dimension.
    points = sphere(np.random.default_rng(7), 5000, 2)
    small, large = levina_bickel(points, k=5), levina_bickel(points, k=40)
    assert small != large
    for estimate in (small, large):
        assert abs(estimate - 2.0) < TOLERANCE * 2.0


@pytest.mark.parametrize(
    "points, match",
    [
        (np.zeros(10), "2-D"),
        (np.zeros((4, 3, 2)), "2-D"),
        (np.zeros((0, 3)), "2-D"),
        (np.array([[0.0, 0.0], [1.0, np.nan], [2.0, 0.0], [0.0, 3.0]]), "NaN or infinite"),
        (np.array([[0.0, 0.0], [1.0, np.inf], [2.0, 0.0], [0.0, 3.0]]), "NaN or infinite"),
        (np.array([[0.0, 0.0], [1.0, 1.0]]), r"at least \d+ distinct"),
        (np.repeat(np.array([[0.0, 0.0], [1.0, 1.0]]), 50, axis=0), r"at least \d+ distinct"),
    ],
)
@pytest.mark.parametrize("method", sorted(ESTIMATORS))
def test_bad_points_are_rejected(method, points, match):
    with pytest.raises(ValueError, match=match):
        ESTIMATORS[method](points)
    with pytest.raises(ValueError, match=match):
        intrinsic_dimension(points, method=method)


def test_bad_settings_are_rejected():
    points = sphere(np.random.default_rng(8), 100, 2)
    for fraction in (-0.1, 1.0, np.nan):
        with pytest.raises(ValueError, match="discard_fraction"):
            two_nn(points, discard_fraction=fraction)
    with pytest.raises(ValueError, match="keeps 1 of 3"):
        two_nn(points[:3], discard_fraction=0.9)
    for k in (1, 2.5, True):
        with pytest.raises(ValueError, match="k must be"):
            levina_bickel(points, k=k)
    with pytest.raises(ValueError, match="at least 11 distinct"):
        levina_bickel(points[:10], k=10)
    with pytest.raises(ValueError, match="unknown method 'pca'"):
        intrinsic_dimension(points, method="pca")
    with pytest.raises(ValueError, match="max_points"):
        intrinsic_dimension(points, max_points=2)


@pytest.mark.parametrize("method", sorted(ESTIMATORS))
def test_a_regular_lattice_is_rejected_not_infinite(method):
    # On the integer lattice every point, corners included, has at least 3
    # neighbours at distance exactly 1, so log(r2 / r1) = log(T_3 / T_j) = 0.
    axis = np.arange(12.0)
    lattice = np.stack(np.meshgrid(axis, axis, axis, indexing="ij"), -1).reshape(-1, 3)
    with pytest.raises(ValueError, match="lattice"):
        ESTIMATORS[method](lattice, **({"k": 3} if method == "levina_bickel" else {}))


def test_front_door_subsamples_reproducibly_and_reports_json_safe_settings():
    points = flat_cube(np.random.default_rng(9), 3000, 2)
    report = intrinsic_dimension(points, max_points=1000, seed=4)
    json.dumps(report, allow_nan=False)
    assert report == intrinsic_dimension(points, max_points=1000, seed=4)
    assert report["method"] == "two_nn"
    assert report["num_points"] == report["num_distinct_points"] == 1000
    assert report["num_input_points"] == 3000
    assert (report["max_points"], report["seed"], report["discard_fraction"]) == (1000, 4, 0.1)
    assert "k" not in report
    other_seed = intrinsic_dimension(points, max_points=1000, seed=5)
    assert other_seed["estimate"] != report["estimate"]

    chosen = np.sort(np.random.default_rng(4).choice(3000, 1000, replace=False))
    assert report["estimate"] == pytest.approx(two_nn(points[chosen]), rel=1e-12)


def test_front_door_uses_every_point_below_max_points_and_passes_k():
    points = sphere(np.random.default_rng(11), 800, 2)
    points = np.concatenate([points, points[:50]])
    report = intrinsic_dimension(points, method="levina_bickel", k=6, seed=123)
    json.dumps(report, allow_nan=False)
    assert report["estimate"] == pytest.approx(levina_bickel(points, k=6), rel=1e-12)
    assert (report["num_points"], report["num_distinct_points"]) == (850, 800)
    assert (report["k"], report["seed"]) == (6, 123)
    assert "discard_fraction" not in report


def test_the_estimators_are_exported_by_the_metrics_package():
    assert metrics.two_nn is two_nn
    assert metrics.levina_bickel is levina_bickel
    assert metrics.intrinsic_dimension is intrinsic_dimension
