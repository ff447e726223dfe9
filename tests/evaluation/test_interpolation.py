"""Latent paths, inversion through a loaded export, and the interpolate.py CLI."""

import json
import os
import subprocess

import numpy as np
import pytest

from conftest import checkout_env, script
from keras_gan_latent.data import priors
from keras_gan_latent.evaluation import interpolation
from keras_gan_latent.cli import interpolate as interpolate_cli
from keras_gan_latent.cli.common import run
from keras_gan_latent.errors import UserError

K = 8
OUTPUTS = ("linear.png", "spherical.png", "inversion.png", "path_7_to_1.png", "inversion.json")


# ------------------------------------------------------------------ fixtures


def _export_dcgan(path, prior, latent_dim=K):
    """A light DCGAN export with untrained weights, made non-degenerate.

    At initialisation the generator's images are almost constant (pixel std
    about 0.01 over z), so every latent reconstructs every image about equally
    well and inversion would be trivially "solved". Scaling the last layer's
    kernel 60x spreads the images over [-1, 1] (pixel std about 0.4 over z,
    measured), so latents become distinguishable without training.
    """
    import keras

    from keras_gan_latent.models import dcgan
    from keras_gan_latent.training import export
    from keras_gan_latent.experiments.config import TrainConfig

    keras.utils.set_random_seed(1)
    generator = dcgan.dcgan_generator(latent_dim, "light")
    layer = generator.get_layer("image")
    kernel, bias = layer.get_weights()
    layer.set_weights([kernel * 60.0, bias])
    config = TrainConfig(model="dcgan", latent_dim=latent_dim, prior=prior).resolved()
    export.export_generator(generator, priors.latent_prior(prior, latent_dim), path, config.to_dict())
    return generator


@pytest.fixture(scope="module")
def normal_export(tmp_path_factory):
    from keras_gan_latent.training.export import load_export

    path = str(tmp_path_factory.mktemp("dcgan") / "generator")
    generator = _export_dcgan(path, "normal")
    sampler, _ = load_export(path)
    return path, sampler, generator


@pytest.fixture(scope="module")
def uniform_export(tmp_path_factory):
    from keras_gan_latent.training.export import load_export

    path = str(tmp_path_factory.mktemp("dcgan_uniform") / "generator")
    _export_dcgan(path, "uniform")
    sampler, _ = load_export(path)
    return path, sampler


@pytest.fixture(scope="module")
def cgan_export(tmp_path_factory):
    """An untrained class-conditional light DCGAN export, its image layer scaled as in `_export_dcgan`."""
    from conftest import conditional_gan
    from keras_gan_latent.training.export import export_generator, load_export

    model = conditional_gan(K)
    layer = model.generator.get_layer("image")
    kernel, bias = layer.get_weights()
    layer.set_weights([kernel * 60.0, bias])
    path = str(tmp_path_factory.mktemp("cgan") / "generator")
    endpoints, tracked = model.export_endpoints(model.generator)
    config = {"model": "cgan", "target": "mnist", "latent_dim": K, "prior": "normal"}
    export_generator(model.generator, model.latent_prior, path, config, endpoints=endpoints, tracked=tracked)
    return path, load_export(path)[0]


@pytest.fixture(scope="module")
def toy_export(tmp_path_factory):
    from keras_gan_latent.models import mlp
    from keras_gan_latent.training import export

    path = str(tmp_path_factory.mktemp("toy") / "generator")
    export.export_generator(mlp.mlp_generator(2, 2, width=16), priors.latent_prior("normal", 2), path,
                            {"model": "mlp", "target": "eight_gaussians", "latent_dim": 2, "prior": "normal"})
    return path


@pytest.fixture(scope="module")
def mnist_subset(tmp_path_factory):
    """Real MNIST digits, cut down so the CLI loads them in milliseconds."""
    from keras_gan_latent.data.mnist import load_mnist

    x_train, y_train, x_test, y_test = load_mnist()
    path = tmp_path_factory.mktemp("data") / "mnist_small.npz"
    np.savez(path, x_train=x_train[:100], y_train=y_train[:100], x_test=x_test[:200], y_test=y_test[:200])
    return str(path), x_test[:200], y_test[:200]


# --------------------------------------------------------------------- paths


def test_linear_path_has_exact_ends_and_even_steps():
    rng = np.random.default_rng(0)
    z0, z1 = rng.normal(size=K), rng.normal(size=K)
    path = interpolation.linear_path(z0, z1, 7)
    assert path.shape == (7, K)
    np.testing.assert_array_equal(path[0], z0)
    np.testing.assert_allclose(path[-1], z1, rtol=0, atol=1e-12)
    steps = np.diff(path, axis=0)
    np.testing.assert_allclose(steps, np.broadcast_to((z1 - z0) / 6, steps.shape), atol=1e-12)


def test_spherical_path_keeps_equal_norms_and_turns_at_a_constant_rate():
    rng = np.random.default_rng(1)
    z0, z1 = rng.normal(size=K), rng.normal(size=K)
    z1 *= np.linalg.norm(z0) / np.linalg.norm(z1)
    path = interpolation.spherical_path(z0, z1, 9)
    np.testing.assert_array_equal(path[0], z0)
    np.testing.assert_array_equal(path[-1], z1)
    np.testing.assert_allclose(np.linalg.norm(path, axis=1), np.linalg.norm(z0), rtol=1e-12)
    unit = path / np.linalg.norm(path, axis=1, keepdims=True)
    step_angles = np.arccos(np.clip(np.sum(unit[1:] * unit[:-1], axis=1), -1, 1))
    total = np.arccos(z0 @ z1 / (np.linalg.norm(z0) * np.linalg.norm(z1)))
    np.testing.assert_allclose(step_angles, total / 8, rtol=1e-9)


def test_slerp_stays_in_the_gaussian_shell_where_linear_midpoints_do_not():
    # The docstring's claim, in numbers: k = 100, the shell is at sqrt(k) = 10.
    rng = np.random.default_rng(2)
    z0, z1 = rng.normal(size=(500, 100)), rng.normal(size=(500, 100))
    linear_mid = np.linalg.norm(interpolation.linear_path(z0, z1, 3)[:, 1], axis=1)
    slerp_mid = np.linalg.norm(interpolation.spherical_path(z0, z1, 3)[:, 1], axis=1)
    sample_norm = np.linalg.norm(rng.normal(size=(500, 100)), axis=1)
    assert abs(linear_mid.mean() - np.sqrt(50)) < 0.2  # sqrt(k / 2)
    assert abs(slerp_mid.mean() - sample_norm.mean()) < 0.15
    # Nearly every linear midpoint is shorter than 99 % of the prior's own samples;
    # slerp midpoints are about as short as prior samples are.
    shell_floor = np.percentile(sample_norm, 1)
    assert np.mean(linear_mid < shell_floor) > 0.9
    assert np.mean(slerp_mid < shell_floor) < 0.05


def test_slerp_falls_back_to_the_line_for_parallel_antiparallel_and_zero_ends():
    z = np.random.default_rng(3).normal(size=K)
    for z0, z1 in ((z, 2.5 * z), (z, -z), (np.zeros(K), z), (z, z)):
        path = interpolation.spherical_path(z0, z1, 5)
        assert np.all(np.isfinite(path))
        np.testing.assert_allclose(path, interpolation.linear_path(z0, z1, 5), atol=1e-12)


def test_batched_paths_match_one_by_one():
    rng = np.random.default_rng(4)
    z0, z1 = rng.normal(size=(3, K)), rng.normal(size=(3, K))
    for fn in (interpolation.linear_path, interpolation.spherical_path):
        batched = fn(z0, z1, 6)
        assert batched.shape == (3, 6, K)
        for i in range(3):
            np.testing.assert_allclose(batched[i], fn(z0[i], z1[i], 6), atol=1e-12)


def test_uniform_prior_slerps_in_gaussian_coordinates_and_stays_in_the_cube():
    from scipy.special import ndtr

    rng = np.random.default_rng(5)
    u0, u1 = rng.uniform(size=(4, K)), rng.uniform(size=(4, K))
    u0[0, 0], u1[1, 3] = 0.0, 1.0  # U[0, 1) can draw 0: Phi^-1 would be infinite
    path = interpolation.latent_path(u0, u1, 7, "uniform", "spherical")
    assert path.dtype == np.float32 and np.all((path >= 0) & (path <= 1))
    np.testing.assert_array_equal(path[:, 0], u0.astype(np.float32))
    np.testing.assert_array_equal(path[:, -1], u1.astype(np.float32))
    g0, g1 = priors.prior_quantile("normal", u0[2]), priors.prior_quantile("normal", u1[2])
    np.testing.assert_allclose(path[2, 3], ndtr(interpolation.spherical_path(g0, g1, 7)[3]), atol=1e-6)
    # The straight line is not what slerp gives: the two methods really differ.
    assert np.abs(path - interpolation.latent_path(u0, u1, 7, "uniform", "linear")).max() > 0.05


@pytest.mark.parametrize("call, message", [
    (lambda: interpolation.linear_path(np.zeros(3), np.ones(3), 1), "number of points >= 2"),
    (lambda: interpolation.spherical_path(np.zeros(3), np.ones(4), 5), "shaped"),
    (lambda: interpolation.spherical_path(np.zeros(3), np.full(3, np.nan), 5), "NaN"),
    (lambda: interpolation.latent_path(np.zeros(3), np.ones(3), 5, "laplace"), "valid priors: normal, uniform"),
    (lambda: interpolation.latent_path(np.zeros(3), np.ones(3), 5, "normal", "geodesic"), "valid methods: linear, spherical"),
    (lambda: interpolation.latent_path(np.zeros(3), np.full(3, 2.0), 5, "uniform"), r"in \[0, 1\]"),
])
def test_bad_path_arguments_are_user_errors(call, message):
    with pytest.raises(UserError, match=message):
        call()


# ----------------------------------------------------------------- inversion


def test_gradients_flow_through_the_loaded_generate_signature(normal_export):
    import tensorflow as tf

    _, sampler, generator = normal_export
    z = tf.Variable(np.random.default_rng(6).normal(size=(5, K)).astype(np.float32))
    with tf.GradientTape(persistent=True) as tape:
        loaded = tf.reduce_sum(tf.square(sampler.generate(z)["x"] - 0.3))
        in_memory = tf.reduce_sum(tf.square(generator(z, training=False) - 0.3))
    grad, expected = tape.gradient(loaded, z), tape.gradient(in_memory, z).numpy()
    assert grad is not None and float(tf.norm(grad)) > 0
    # float32 sums over 784 pixels a latent, in the export's graph and in eager
    # Keras (kernels and fusions may differ): close relative to the largest entry.
    np.testing.assert_allclose(grad.numpy(), expected, rtol=1e-4, atol=1e-4 * np.abs(expected).max())


def test_inversion_recovers_the_latents_of_generated_images(normal_export):
    _, sampler, _ = normal_export
    z_true = np.random.default_rng(7).normal(size=(6, K)).astype(np.float32)
    targets = interpolation.generate_images(sampler.generate, z_true)
    result = interpolation.invert(sampler.generate, targets, K, "normal", restarts=4, steps=200, seed=0)
    print("inversion MSE", result.mse, "random-z MSE", result.random_mse, "max |z - z_true|", np.abs(result.z - z_true).max())
    # Seen: MSE 3e-9 to 4e-6 against 0.24-0.46 for the random starts; |z - z_true| <= 0.012.
    assert result.z.shape == (6, K) and result.images.shape == (6, 28, 28, 1)
    assert np.all(result.random_mse > 0.1)
    assert np.all(result.mse < 1e-3)
    np.testing.assert_allclose(result.z, z_true, atol=0.05)
    # The returned images and errors describe the returned latents exactly.
    np.testing.assert_allclose(result.images, interpolation.generate_images(sampler.generate, result.z), atol=1e-6)
    np.testing.assert_allclose(result.mse, np.mean((result.images - targets) ** 2, axis=(1, 2, 3)), atol=1e-6)


def test_conditional_inversion_recovers_latents_at_each_images_class(cgan_export):
    _, sampler = cgan_export
    z_true = np.random.default_rng(9).normal(size=(6, K)).astype(np.float32)
    labels = np.array([0, 3, 7, 9, 2, 5])
    targets = interpolation.generate_images(sampler.generate, z_true, labels=labels)
    # The same latent at another class is another image: the label reaches G.
    other = interpolation.generate_images(sampler.generate, z_true, labels=(labels + 1) % 10)
    assert np.mean((other - targets) ** 2) > 1e-3
    result = interpolation.invert(sampler.generate, targets, K, "normal", restarts=4, steps=200, seed=0, labels=labels)
    assert np.all(result.mse < 1e-3) and np.all(result.random_mse > 0.1)
    np.testing.assert_allclose(result.z, z_true, atol=0.05)
    np.testing.assert_allclose(result.images, interpolation.generate_images(sampler.generate, result.z, labels=labels), atol=1e-6)
    with pytest.raises(UserError, match=r"labels must be one class per image, shape \(6,\)"):
        interpolation.invert(sampler.generate, targets, K, "normal", steps=1, labels=labels[:3])


def test_inversion_is_repeatable_and_restarts_help(normal_export):
    _, sampler, _ = normal_export
    z_true = np.random.default_rng(8).normal(size=(6, K)).astype(np.float32)
    targets = interpolation.generate_images(sampler.generate, z_true)
    one = interpolation.invert(sampler.generate, targets, K, "normal", restarts=1, steps=30, seed=3)
    again = interpolation.invert(sampler.generate, targets, K, "normal", restarts=1, steps=30, seed=3)
    many = interpolation.invert(sampler.generate, targets, K, "normal", restarts=6, steps=30, seed=3)
    np.testing.assert_array_equal(one.z, again.z)
    print("30 steps: 1 restart", one.mse.mean(), "6 restarts", many.mse.mean())
    assert many.mse.mean() < one.mse.mean()


def test_uniform_inversion_keeps_latents_in_the_unit_cube(uniform_export):
    _, sampler = uniform_export
    rng = np.random.default_rng(9)
    inside = rng.uniform(0.1, 0.9, size=(3, K))
    outside = inside.copy()
    outside[:, 0] = 2.5  # images no latent of the prior's support makes exactly
    targets = interpolation.generate_images(sampler.generate, np.concatenate([inside, outside]))
    result = interpolation.invert(sampler.generate, targets, K, "uniform", restarts=4, steps=200, seed=0)
    assert np.all((result.z >= 0) & (result.z <= 1))
    np.testing.assert_allclose(result.z[3:, 0], 1.0)  # pushed onto the cube's face
    assert np.all(result.mse[:3] < 1e-3) and np.all(result.mse[3:] > result.mse[:3])


def test_interpolate_between_images_walks_from_one_inverted_image_to_the_other(normal_export):
    _, sampler, _ = normal_export
    z_true = np.random.default_rng(10).normal(size=(2, K)).astype(np.float32)
    a, b = interpolation.generate_images(sampler.generate, z_true)
    path = interpolation.interpolate_between_images(sampler.generate, a, b, K, "normal", frames=6,
                                                    method="spherical", restarts=4, steps=200)
    assert path.z.shape == (6, K) and path.images.shape == (6, 28, 28, 1)
    np.testing.assert_array_equal(path.z[[0, -1]], path.inversion.z)
    np.testing.assert_allclose(path.images[0], a, atol=0.05)
    np.testing.assert_allclose(path.images[-1], b, atol=0.05)
    # In between it is neither end: the path really moves through latent space.
    middle = path.images[3]
    assert np.mean((middle - a) ** 2) > 0.01 and np.mean((middle - b) ** 2) > 0.01


def test_inverting_with_a_non_image_generator_or_bad_settings_is_a_user_error(normal_export, toy_export):
    from keras_gan_latent.training.export import load_export

    _, sampler, _ = normal_export
    digits = np.zeros((2, 28, 28), np.uint8)
    toy, _ = load_export(toy_export)
    with pytest.raises(UserError, match=r"outputs of shape \(2,\)"):
        interpolation.invert(toy.generate, digits, 2, "normal", steps=1)
    with pytest.raises(UserError, match="restarts must be an integer >= 1"):
        interpolation.invert(sampler.generate, digits, K, "normal", restarts=0)
    with pytest.raises(UserError, match="learning rate must be a positive number"):
        interpolation.invert(sampler.generate, digits, K, "normal", learning_rate=0.0)
    with pytest.raises(UserError, match="valid priors"):
        interpolation.invert(sampler.generate, digits, K, "cauchy")
    with pytest.raises(UserError, match="expected"):
        interpolation.invert(sampler.generate, np.zeros((2, 32, 32), np.uint8), K, "normal")


# ----------------------------------------------------------------------- CLI


def test_cli_writes_the_four_figures_and_the_report(normal_export, mnist_subset, tmp_path, capsys):
    path, _, _ = normal_export
    data, x_test, y_test = mnist_subset
    out = tmp_path / "out"
    argv = [path, "--out", str(out), "--data", data, "--pairs", "3", "--frames", "5",
            "--restarts", "2", "--inversion-steps", "20"]
    assert run(interpolate_cli.main, interpolate_cli.PROG, argv) == 0
    assert sorted(os.listdir(out)) == sorted(OUTPUTS)
    from matplotlib.image import imread

    cell = 28 + 2
    assert imread(out / "linear.png").shape[:2] == (3 * cell + 2, 5 * cell + 2)
    assert imread(out / "spherical.png").shape[:2] == (3 * cell + 2, 5 * cell + 2)
    assert imread(out / "inversion.png").shape[:2] == (2 * cell + 2, 10 * cell + 2)
    path_png = imread(out / "path_7_to_1.png")
    assert path_png.shape[:2] == (2 * cell + 2, 7 * cell + 2)
    # The path's first cell is the real first test 7, pixel for pixel.
    seven = x_test[np.flatnonzero(y_test == 7)[0]]
    np.testing.assert_allclose(path_png[2:30, 2:30, 0], seven / 255.0, atol=1 / 255 + 1e-6)
    with open(out / "inversion.json") as f:
        report = json.load(f)
    assert report["test_indices"] == [int(np.flatnonzero(y_test == d)[0]) for d in range(10)]
    assert len(report["mse"]) == 10 and all(0 <= m <= 4 for m in report["mse"])
    assert report["latent_dim"] == K and report["prior"] == "normal" and report["path"]["file"] == "path_7_to_1.png"
    printed = capsys.readouterr().out
    assert f"mean reconstruction MSE {report['mean_mse']:.4f}" in printed
    assert all(f"wrote {out / name}" in printed for name in OUTPUTS)


def test_cli_names_the_path_after_the_digits_and_reads_uniform_exports(uniform_export, mnist_subset, tmp_path):
    path, _ = uniform_export
    out = tmp_path / "out"
    argv = [path, "--out", str(out), "--data", mnist_subset[0], "--digits", "3, 8", "--pairs", "1",
            "--frames", "2", "--restarts", "1", "--inversion-steps", "2"]
    assert run(interpolate_cli.main, interpolate_cli.PROG, argv) == 0
    assert "path_3_to_8.png" in os.listdir(out)
    with open(out / "inversion.json") as f:
        report = json.load(f)
    assert report["prior"] == "uniform" and report["prior_sample_norm"] is None


def test_cli_draws_a_conditional_exports_styles_across_classes(cgan_export, mnist_subset, tmp_path, capsys):
    path, sampler = cgan_export
    data, x_test, y_test = mnist_subset
    out = tmp_path / "out"
    argv = [path, "--out", str(out), "--data", data, "--pairs", "3", "--frames", "4",
            "--restarts", "2", "--inversion-steps", "20"]
    assert run(interpolate_cli.main, interpolate_cli.PROG, argv) == 0
    names = ("linear.png", "spherical.png", "inversion.png", "styles.png", "inversion.json")
    assert sorted(os.listdir(out)) == sorted(names)
    from matplotlib.image import imread

    cell = 28 + 2
    styles = imread(out / "styles.png")
    assert styles.shape[:2] == (10 * cell + 2, 11 * cell + 2)
    with open(out / "inversion.json") as f:
        report = json.load(f)
    assert report["conditional"] is True and report["path"]["file"] == "styles.png"
    # Row 3: the real first test 3, then its inverted latent drawn as a 0, 1, ..., 9.
    three = x_test[np.flatnonzero(y_test == 3)[0]]
    row = 2 + 3 * cell
    np.testing.assert_allclose(styles[row:row + 28, 2:30, 0], three / 255.0, atol=1 / 255 + 1e-6)
    drawn = [styles[row:row + 28, 2 + c * cell:30 + c * cell, 0] for c in range(1, 11)]
    assert min(np.abs(a - b).mean() for a, b in zip(drawn, drawn[1:])) > 0.01  # the class changes the image
    printed = capsys.readouterr().out
    assert all(f"wrote {out / name}" in printed for name in names)
    # --digits names the unconditional path figure: refused for a conditional export, --out untouched.
    refused = tmp_path / "refused"
    assert _exit_status([path, "--out", str(refused), "--data", data, "--digits", "3,8"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--digits applies to unconditional exports only" in err
    assert not refused.exists()


@pytest.mark.parametrize("extra, message", [
    (["--digits", "7"], "--digits must be two digits 0-9 separated by a comma"),
    (["--digits", "7,1,2"], "--digits must be two digits 0-9 separated by a comma"),
    (["--digits", "10,1"], "--digits must be two digits 0-9 separated by a comma"),
    (["--digits", "a,1"], "--digits must be two digits 0-9 separated by a comma"),
    (["--digits=-1,1"], "--digits must be two digits 0-9 separated by a comma"),
    (["--digits", "4,4"], "--digits must name two different digits"),
    (["--frames", "1"], "--frames must be an integer >= 2, got 1"),
    (["--pairs", "0"], "--pairs must be an integer >= 1"),
    (["--restarts", "0"], "--restarts must be an integer >= 1"),
    (["--inversion-steps", "0"], "--inversion-steps must be an integer >= 1"),
    (["--frames", "two"], "argument --frames: invalid int value"),
])
def test_cli_refuses_bad_options_in_one_line(normal_export, tmp_path, capsys, extra, message):
    out = tmp_path / "out"
    assert _exit_status([normal_export[0], "--out", str(out), *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and err.startswith("interpolate.py: error: ")
    assert not out.exists()


def _exit_status(argv):
    """The CLI's exit status: `run`'s return value, or argparse's SystemExit code."""
    try:
        return run(interpolate_cli.main, interpolate_cli.PROG, argv)
    except SystemExit as exc:
        return exc.code


def test_cli_refuses_missing_non_export_and_toy_exports_and_bad_out(normal_export, toy_export, mnist_subset, tmp_path, capsys):
    data = mnist_subset[0]
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    empty = tmp_path / "empty"
    empty.mkdir()
    cases = [
        ([str(tmp_path / "missing"), "--out", str(tmp_path / "o1")], "does not exist", tmp_path / "o1"),
        ([str(empty), "--out", str(tmp_path / "o2")], "is not a SavedModel folder", tmp_path / "o2"),
        ([toy_export, "--out", str(tmp_path / "o3"), "--data", data], "not 28x28 digits; pass an export of train.py --model dcgan", tmp_path / "o3"),
        ([normal_export[0], "--out", str(not_a_folder / "sub")], "--out", not_a_folder / "sub"),
        ([normal_export[0], "--out", str(tmp_path / "o5"), "--data", str(tmp_path / "nope.npz")], "no such file", tmp_path / "o5"),
    ]
    for argv, message, out in cases:
        assert _exit_status(argv) == 2, argv
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and message in err, err
        assert not os.path.exists(out)


def test_script_exits_2_with_one_line_before_importing_tensorflow(tmp_path):
    result = subprocess.run(script("interpolate") + [str(tmp_path / "x"), "--out", str(tmp_path / "out"), "--frames", "1"],
                            env=checkout_env(), capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert result.stderr == "interpolate.py: error: --frames must be an integer >= 2, got 1\n"
    assert not (tmp_path / "out").exists()


def test_interpolation_refuses_an_export_with_a_latent_code():
    from keras_gan_latent.errors import UserError

    # Refused from the run config alone, before the export's graph is probed.
    with pytest.raises(UserError, match="has a discrete latent part .*; interpolation and inversion need a continuous latent"):
        interpolate_cli.check_image_export(None, {"latent_dim": 4, "latent_code": 10, "prior": "normal"}, "export", None)
