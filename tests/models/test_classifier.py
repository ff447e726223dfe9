"""Tests of the MNIST classifier, the MNIST mode report and the Parzen protocol.

The classifier comes from the normal cache (``load_or_train_classifier``): the
first session on a machine trains it (about 2-4 minutes on 2 cores), later
ones load it in seconds. Its accuracy is checked twice: what the cached JSON
says, and recomputed here on the real test set.
"""

import json
import math

import numpy as np
import pytest
from scipy.special import logsumexp

from keras_gan_latent.cli import train_classifier as cli
from keras_gan_latent.data.mnist import load_mnist
from keras_gan_latent.errors import UserError
from keras_gan_latent.metrics import mnist_modes
from keras_gan_latent.models.classifier import (
    accuracy,
    as_unit_images,
    classify,
    load_or_train_classifier,
)
from keras_gan_latent.viz.digits import class_histogram_image, image_grid

MIN_ACCURACY = 0.99


# ------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def mnist():
    return load_mnist()


@pytest.fixture(scope="session")
def cached(mnist):
    """(model, info) from the normal cache, trained once if it is not there yet."""
    return load_or_train_classifier(verbose=0)


@pytest.fixture(scope="session")
def test_outputs(cached, mnist):
    """(probs, features) of the 10,000 real test digits."""
    return classify(cached.model, mnist[2])


@pytest.fixture(scope="session")
def train_features(cached, mnist):
    """Features of 10,000 real training digits (the first ones)."""
    return classify(cached.model, mnist[0][:10_000])[1]


# ----------------------------------------------------------------- classifier


def test_cached_accuracy_is_at_least_99_percent(cached):
    model_path, info_path = cached.info["model_path"], cached.info["info_path"]
    assert model_path.endswith(".keras") and "classifier" in model_path
    with open(info_path) as f:
        on_disk = json.load(f)
    assert on_disk["test_accuracy"] >= MIN_ACCURACY
    assert on_disk["num_test"] == 10_000
    assert len(on_disk["data_sha256"]) == 64


def test_recomputed_accuracy_matches_the_cache(cached, mnist, test_outputs):
    probs, _ = test_outputs
    measured = float(np.mean(np.argmax(probs, axis=1) == mnist[3]))
    assert measured >= MIN_ACCURACY
    with open(cached.info["info_path"]) as f:
        assert measured == pytest.approx(json.load(f)["test_accuracy"], abs=1e-3)


def test_outputs_are_probabilities_and_features(test_outputs):
    probs, features = test_outputs
    assert probs.shape == (10_000, 10) and probs.dtype == np.float32
    assert features.shape[0] == 10_000 and features.ndim == 2 and features.shape[1] >= 10
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, atol=1e-5)


def test_tanh_and_uint8_inputs_give_the_same_predictions(cached, mnist):
    x = mnist[2][:1000]
    tanh = x.astype(np.float32) / 127.5 - 1.0
    unit = x.astype(np.float32) / 255.0
    p_uint8, f_uint8 = classify(cached.model, x)
    p_tanh, f_tanh = classify(cached.model, tanh[..., None], batch_size=300)
    p_unit, _ = classify(cached.model, unit, float_range=(0.0, 1.0))
    np.testing.assert_array_equal(p_uint8.argmax(1), p_tanh.argmax(1))
    np.testing.assert_array_equal(p_uint8.argmax(1), p_unit.argmax(1))
    np.testing.assert_allclose(p_tanh, p_uint8, atol=1e-5)
    np.testing.assert_allclose(f_tanh, f_uint8, rtol=1e-4, atol=1e-4)


def test_accuracy_helper(cached, mnist):
    assert accuracy(cached.model, mnist[2][:500], mnist[3][:500]) >= 0.97


def test_a_second_call_reuses_the_cache(cached):
    again = load_or_train_classifier(verbose=0)
    assert again.info["from_cache"]
    assert again.info["model_path"] == cached.info["model_path"]


@pytest.mark.parametrize("images, fragment", [
    (np.zeros((5, 28, 27), np.uint8), "shape (5, 28, 27)"),
    (np.zeros((28, 28), np.uint8), "shape (28, 28)"),
    (np.zeros((5, 28, 28, 3), np.uint8), "shape (5, 28, 28, 3)"),
    (np.zeros((0, 28, 28), np.uint8), "no images"),
    (np.zeros((5, 28, 28), np.int64), "dtype int64"),
    (np.full((5, 28, 28), 255.0, np.float32), "range from 255 to 255"),
    (np.full((5, 28, 28), np.nan, np.float32), "range from nan"),
])
def test_bad_images_raise_a_one_line_user_error(cached, images, fragment):
    with pytest.raises(UserError) as info:
        classify(cached.model, images)
    message = str(info.value)
    assert fragment in message and "\n" not in message


def test_rescaling_of_tanh_outputs():
    x = np.zeros((1, 28, 28), np.float32)
    x[0, 0, :4] = [-1.0, 0.0, 1.0, 1.0005]
    unit = as_unit_images(x)
    assert unit.min() == 0.0 and unit.max() == 1.0  # rounding overshoot is clipped
    np.testing.assert_allclose(unit[0, 0, :4], [0.0, 0.5, 1.0, 1.0])
    np.testing.assert_allclose(as_unit_images(np.full((1, 28, 28), 51, np.uint8)), 0.2)


# ---------------------------------------------------------------- mode report


def test_mode_report_calibration_on_the_real_test_set(test_outputs, train_features):
    probs, features = test_outputs
    report = mnist_modes.mode_report(probs, features, features)
    json.dumps(report)  # JSON-safe
    print(f"\nreal test set: {report['classes_covered_1pct']} classes, "
          f"KL {report['kl_to_uniform']:.4f}, score {report['classifier_score']:.3f}, "
          f"confidence {report['mean_confidence']:.4f}")
    assert report["num_samples"] == 10_000 and sum(report["class_counts"]) == 10_000
    assert report["classes_covered_1pct"] == 10
    assert report["classes_with_any_sample"] == 10
    assert report["kl_to_uniform"] < 0.01
    assert report["classifier_score"] > 9.5
    assert report["mean_confidence"] > 0.95
    assert report["frechet_distance"] == pytest.approx(0.0, abs=1e-6)

    train_vs_test = mnist_modes.frechet_distance(train_features, features)
    scale = np.trace(np.cov(features, rowvar=False))
    print(f"Frechet train vs test: {train_vs_test:.3f} (feature variance {scale:.1f})")
    assert 0.0 < train_vs_test < 0.02 * scale


def test_mode_report_of_a_single_class():
    probs = np.full((500, 10), 0.001, np.float32)
    probs[:, 3] = 0.991
    report = mnist_modes.mode_report(probs)
    assert report["classes_covered_1pct"] == 1 and report["classes_with_any_sample"] == 1
    assert report["class_counts"][3] == 500
    assert report["kl_to_uniform"] == pytest.approx(math.log(10))
    assert report["classifier_score"] == pytest.approx(1.0)
    assert report["frechet_distance"] is None


def test_mode_report_of_real_ones_only(cached, mnist):
    ones = mnist[2][mnist[3] == 1]
    probs, _ = classify(cached.model, ones)
    report = mnist_modes.mode_report(probs)
    assert report["classes_covered_1pct"] == 1
    assert report["kl_to_uniform"] == pytest.approx(math.log(10), abs=0.05)


def test_classifier_score_of_balanced_one_hot_is_ten():
    probs = np.eye(10)[np.arange(1000) % 10]
    assert mnist_modes.classifier_score(probs) == pytest.approx(10.0)
    assert mnist_modes.mode_report(probs)["kl_to_uniform"] == pytest.approx(0.0)


def test_frechet_distance_matches_the_diagonal_closed_form():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((400, 3)) * [1.0, 2.0, 0.0] + [0.0, 1.0, 5.0]
    b = rng.standard_normal((300, 3)) * [3.0, 0.5, 0.0]
    # Decorrelate within each set so the sample covariances are diagonal.
    a[:, :2] = _whiten(a[:, :2]) * [1.0, 2.0] + [0.0, 1.0]
    b[:, :2] = _whiten(b[:, :2]) * [3.0, 0.5]
    expected = 1.0 + 25.0 + (1.0 - 3.0) ** 2 + (2.0 - 0.5) ** 2  # column 3 is a dead unit
    assert mnist_modes.frechet_distance(a, b) == pytest.approx(expected, rel=1e-7)


def _whiten(x):
    x = x - x.mean(axis=0)
    vals, vecs = np.linalg.eigh(np.cov(x, rowvar=False))
    return x @ vecs / np.sqrt(vals)


def test_mode_report_rejects_logits():
    with pytest.raises(ValueError, match="rows summing to 1"):
        mnist_modes.mode_report(np.random.default_rng(0).standard_normal((5, 10)))
    with pytest.raises(ValueError, match="10 columns"):
        mnist_modes.mode_report(np.full((5, 5), 0.2))


# --------------------------------------------------------------------- Parzen


def _brute_force_parzen(samples, test, sigma):
    sq = ((test[:, None, :].astype(np.float64) - samples[None, :, :]) ** 2).sum(-1)
    d = samples.shape[1]
    return (logsumexp(-sq / (2 * sigma**2), axis=1) - math.log(len(samples))
            - 0.5 * d * math.log(2 * math.pi * sigma**2))


def test_parzen_matches_brute_force_on_a_tiny_case():
    rng = np.random.default_rng(1)
    samples, test = rng.random((7, 5)), rng.random((4, 5))
    for sigma in (0.05, 0.3, 2.0):
        got = mnist_modes.parzen_log_likelihood(samples, test, sigma, batch_size=3)
        np.testing.assert_allclose(got, _brute_force_parzen(samples, test, sigma),
                                   rtol=1e-5, atol=1e-3)
    several = mnist_modes.parzen_log_likelihoods(samples, test, [0.05, 0.3], batch_size=2)
    # Other blocks, other float32 matrix products: the distances differ by a few
    # 1e-7 of |x|^2, the log-likelihoods by about 1e-6 (numpy's default rtol of
    # 1e-7 missed by 1.08e-7 on a fresh machine).
    np.testing.assert_allclose(several[1], mnist_modes.parzen_log_likelihood(samples, test, 0.3),
                               rtol=1e-5, atol=1e-5)


def test_parzen_protocol_picks_the_best_validation_sigma():
    rng = np.random.default_rng(2)
    samples = rng.integers(0, 256, (20, 28, 28), dtype=np.uint8)
    valid = rng.integers(0, 256, (9, 28, 28), dtype=np.uint8)
    test = rng.integers(0, 256, (6, 28, 28), dtype=np.uint8)
    sigmas = np.logspace(-1, 0.5, 6)
    result = mnist_modes.parzen_protocol(samples.astype(np.float32) / 127.5 - 1, valid, test,
                                         sigmas=sigmas, batch_size=4)
    flat = [x.reshape(len(x), -1) / 255.0 for x in (samples, valid, test)]
    valid_means = [_brute_force_parzen(flat[0], flat[1], s).mean() for s in sigmas]
    best = sigmas[int(np.argmax(valid_means))]
    test_ll = _brute_force_parzen(flat[0], flat[2], best)
    assert result["sigma"] == pytest.approx(best)
    assert result["mean"] == pytest.approx(test_ll.mean(), abs=1e-2)
    assert result["stderr"] == pytest.approx(test_ll.std(ddof=1) / math.sqrt(6), rel=1e-3)
    assert "Theis" in result["caveat"] and result["valid_subset"] is False
    json.dumps(result)


def test_parzen_rejects_bad_arguments():
    x = np.zeros((3, 4))
    with pytest.raises(ValueError, match="positive"):
        mnist_modes.parzen_log_likelihood(x, x, 0.0)
    with pytest.raises(ValueError, match="dimension"):
        mnist_modes.parzen_log_likelihood(x, np.zeros((3, 5)), 0.1)


# ---------------------------------------------------------------- plots, CLI


def test_image_grid_and_histogram_are_rgb_uint8(mnist):
    grid = image_grid(mnist[2][:7], rows=2, cols=4, padding=2)
    assert grid.shape == (2 * 30 + 2, 4 * 30 + 2, 3) and grid.dtype == np.uint8
    assert grid[-30:, -30:].max() == 0  # the 8th cell is empty
    same = image_grid(mnist[2][:7].astype(np.float32) / 127.5 - 1.0, rows=2, cols=4)
    np.testing.assert_array_equal(grid, same)
    chart = class_histogram_image([100] * 9 + [0], title="t")
    assert chart.ndim == 3 and chart.shape[2] == 3 and chart.dtype == np.uint8


def test_cli_reports_the_cached_classifier(cached, capsys):
    assert cli.main([]) == 0
    out = capsys.readouterr().out
    assert "test accuracy: 99." in out and "(cached)" in out
    assert cached.info["model_path"] in out


def test_cli_bad_data_path_is_one_line(tmp_path, capsys):
    status = cli.run(cli.main, cli.PROG, ["--data", str(tmp_path / "missing.npz")])
    err = capsys.readouterr().err
    assert status == 2 and err.count("\n") == 1 and "no such file" in err


# ------------------------------------------------------------ first-use notice


def _small_mnist(mnist, path):
    x_train, y_train, x_test, y_test = mnist
    np.savez(path, x_train=x_train[:300], y_train=y_train[:300], x_test=x_test[:100], y_test=y_test[:100])
    return str(path)


def test_first_use_notice_says_once_how_long_and_where_until_cached(mnist, tmp_path):
    from keras_gan_latent.models.classifier import first_use_notice

    data = _small_mnist(mnist, tmp_path / "small.npz")
    notice = first_use_notice(data, cache=tmp_path / "cache")
    assert notice.startswith("first use of the MNIST classifier") and "3 epochs, about 2 minutes" in notice
    assert notice.endswith(f"cached in {tmp_path / 'cache'}")
    load_or_train_classifier(cache=tmp_path / "cache", data_path=data, verbose=0)
    assert first_use_notice(data, cache=tmp_path / "cache") is None


@pytest.mark.slow
def test_first_dcgan_run_announces_the_classifier_before_training_it(mnist, tmp_path, capsys, monkeypatch):
    from keras_gan_latent.cli import train as train_cli
    from keras_gan_latent.cli.common import run

    monkeypatch.setenv("KERAS_GAN_LATENT_CACHE", str(tmp_path / "cache"))  # no classifier cached there
    data = _small_mnist(mnist, tmp_path / "small.npz")
    args = ["--model", "dcgan", "--data", data, "--steps", "2", "--mode-report-samples", "50", "--batch-size", "16",
            "--logdir", str(tmp_path / "logs"), "--quiet"]
    assert run(train_cli.main, "train.py", args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("first use of the MNIST classifier") and "--mode-report-samples 0" in lines[0]
    training = next(i for i, line in enumerate(lines) if line.startswith("training the MNIST classifier"))
    assert 0 < training < next(i for i, line in enumerate(lines) if line.startswith("run: "))
    assert run(train_cli.main, "train.py", args) == 0  # cached now: no notice
    assert not any("first use" in line for line in capsys.readouterr().out.splitlines())
