"""`--model cyclegan` end to end: settings and their refusals, a short real run from the CLI, its export and report."""

import json
import os

import numpy as np
import pytest
import tensorflow as tf

from conftest import read_event_image_sizes, read_event_scalars
from keras_gan_latent.cli import evaluate as evaluate_cli
from keras_gan_latent.cli import sample as sample_cli
from keras_gan_latent.cli import sweep as sweep_cli
from keras_gan_latent.cli import train as train_cli
from keras_gan_latent.cli.common import run
from keras_gan_latent.errors import UserError
from keras_gan_latent.experiments import get_experiment
from keras_gan_latent.experiments.config import TrainConfig


def test_cyclegan_defaults_are_the_cyclegan_papers():
    config = TrainConfig(model="cyclegan").resolved()
    assert (config.source, config.target, config.translator_noise) == ("gaussian", "eight_gaussians", 0)
    assert (config.batch_size, config.lr_g, config.lr_d, config.beta1_g, config.beta1_d) == (256, 2e-4, 2e-4, 0.5, 0.5)
    assert (config.cycle_weight, config.identity_weight, config.jit_compile) == (10.0, 5.0, True)
    assert TrainConfig(model="cyclegan", cycle_weight=4.0).resolved().identity_weight == 2.0
    assert TrainConfig(model="cyclegan", identity_weight=0.0).resolved().identity_weight == 0.0
    named = TrainConfig(model="cyclegan", source="spiral", translator_noise=3, seed=2).resolved()
    assert named.default_run_name() == "cyclegan_spiral_to_eight_gaussians_k3_s2"
    weighed = TrainConfig(model="cyclegan", cycle_weight=1.0, identity_weight=0.0).resolved()
    assert weighed.default_run_name() == "cyclegan_gaussian_to_eight_gaussians_k0_cw1_id0_s0"
    assert TrainConfig(model="cyclegan", cycle_weight=4.0).resolved().default_run_name().endswith("_k0_cw4_s0")
    assert get_experiment("cyclegan").run_summary(named) == "spiral -> eight_gaussians, translator noise k 3"


@pytest.mark.parametrize("settings, message", [
    (dict(source="spiral", target="spiral"), "--source and --target are both 'spiral'; a translator needs two domains"),
    (dict(translator_noise=-1), "translator noise must be an integer >= 0, got -1"),
    (dict(translator_noise=257), "translator noise must be at most 256"),
    (dict(cycle_weight=-1.0), "cycle weight must be a number >= 0, got -1.0"),
    (dict(source="grid"), "unknown source 'grid' for --model cyclegan; valid sources: eight_gaussians, gaussian, grid25, spiral, mnist, mnist_rot"),
    (dict(source="mnist"), "--source mnist and --target eight_gaussians are of different kinds: digit domains (mnist, mnist_rot) translate"),
    (dict(target="mnist_rot"), "--source gaussian and --target mnist_rot are of different kinds"),
    (dict(source="mnist", target="mnist"), "--source and --target are both 'mnist'; a translator needs two domains (e.g. --target mnist_rot;"),
    (dict(source="mnist", target="mnist_rot", g_width=64), "--g-width applies to --model cyclegan between toy targets only"),
    (dict(data="digits.npz"), "--data applies to --model cyclegan between digit domains (mnist, mnist_rot) only"),
    (dict(digit_arch="dense"), "--digit-arch applies to --model cyclegan between digit domains (mnist, mnist_rot) only"),
    (dict(source="mnist", target="mnist_rot", digit_arch="unet"), "unknown digit-arch 'unet'; valid digit-archs: resnet, dense, dense_image, affine, dihedral"),
    (dict(target="normal1d"), "unknown target 'normal1d' for --model cyclegan; valid targets: eight_gaussians"),
    (dict(latent_dim=3), "--latent-dim applies to --model mlp or dcgan or vae or cgan or selfcond only, not --model cyclegan"),
    (dict(prior="uniform"), "--prior applies to --model mlp or dcgan or vae or cgan or selfcond only, not --model cyclegan"),
    (dict(loss="hinge"), "--loss applies to --model mlp or dcgan or cgan or selfcond only, not --model cyclegan"),
])
def test_bad_cyclegan_settings_are_refused_in_one_line(settings, message):
    with pytest.raises(UserError) as excinfo:
        TrainConfig(model="cyclegan", **settings).resolved()
    assert str(excinfo.value).startswith(message) and "\n" not in str(excinfo.value)


@pytest.mark.parametrize("settings, flag", [
    (dict(translator_noise=2), "--translator-noise"), (dict(source="spiral"), "--source"),
    (dict(cycle_weight=1.0), "--cycle-weight"), (dict(identity_weight=1.0), "--identity-weight"),
    (dict(digit_arch="dense"), "--digit-arch"),
])
def test_translator_settings_are_refused_for_other_models(settings, flag):
    with pytest.raises(UserError, match=f"^{flag} applies to --model cyclegan only, not --model mlp$"):
        TrainConfig(**settings).resolved()


@pytest.mark.parametrize("args, message", [
    (["--source", "eight_gaussians"], "--source and --target are both 'eight_gaussians'"),
    (["--translator-noise", "-1"], "translator noise must be an integer >= 0, got -1"),
    (["--source", "grid"], "unknown source 'grid' for --model cyclegan"),
])
def test_bad_cyclegan_input_from_the_cli_is_one_line_and_writes_nothing(args, message, tmp_path, capsys):
    status = run(train_cli.main, "train.py", ["--model", "cyclegan", *args, "--logdir", str(tmp_path / "logs")])
    err = capsys.readouterr().err.strip()
    assert status == 2 and len(err.splitlines()) == 1 and message in err, err
    assert not (tmp_path / "logs").exists()


def test_a_cyclegan_sweep_is_refused_with_what_to_run_instead(tmp_path, capsys):
    status = run(sweep_cli.main, "sweep.py", ["--model", "cyclegan", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert status == 2 and "--model cyclegan has no latent-dimension sweep" in err, err
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    """A real 100-step Augmented CycleGAN run (k = 2) from train.py, small networks (its outputs, not its fit, are read)."""
    run_dir = tmp_path_factory.mktemp("cyclegan") / "run"
    status = run(train_cli.main, "train.py", [
        "--model", "cyclegan", "--source", "gaussian", "--target", "eight_gaussians", "--translator-noise", "2",
        "--steps", "100", "--g-width", "64", "--d-width", "64", "--batch-size", "128", "--scalar-every", "50",
        "--image-every", "50", "--run-dir", str(run_dir), "--quiet",
    ])
    assert status == 0
    return str(run_dir)


@pytest.mark.slow
def test_a_short_cli_run_exports_a_translator_plain_tensorflow_loads(cli_run):
    config = json.load(open(os.path.join(cli_run, "config.json")))
    assert (config["model"], config["translator_noise"], config["source"]) == ("cyclegan", 2, "gaussian")
    loaded = tf.saved_model.load(os.path.join(cli_run, "generator"))
    x = tf.random.normal([100, 2], seed=1)
    y = loaded.translate(x=x, seed=tf.constant(0, tf.int64))["y"]
    assert y.shape == (100, 2) and np.all(np.isfinite(y.numpy()))
    assert loaded.translate_back(y=y, seed=tf.constant(0, tf.int64))["x"].shape == (100, 2)
    with pytest.raises((TypeError, ValueError)):
        loaded.translate(x=tf.zeros([4, 28, 28, 1]), seed=tf.constant(0, tf.int64))
    # TensorBoard: the arrows over both densities, the round trips, G(X)'s convergence against the target.
    assert read_event_image_sizes(cli_run)["translation/arrows"][0] > 500  # three panels side by side
    for tag in ("cycle/x", "cycle/y", "convergence/js", "back/js", "train/cycle_x", "train/latent_cycle"):
        assert [s for s, _ in read_event_scalars(cli_run, tag)][-1] == 100, tag
    assert os.path.isfile(os.path.join(cli_run, "final_frame.png"))


@pytest.mark.slow
def test_evaluate_and_sample_work_on_a_translator_export(cli_run, tmp_path, capsys):
    export = os.path.join(cli_run, "generator")
    assert run(evaluate_cli.main, "evaluate.py", [export, "--target", "eight_gaussians", "-n", "500",
                                                  "--resamples", "10", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    found = report["translation"]
    assert found["source"] == "gaussian" and found["translator_noise"] == 2
    assert found["cycle_x"] >= 0 and found["cycle_y"] >= 0 and found["cycle_x_fresh_noise"] >= 0
    assert len(found["transport"]["counts"]) == 1 and len(found["transport"]["counts"][0]) == 9  # one source row, 8 + off
    assert sum(found["transport"]["counts"][0]) == 500
    assert [p["scale"] for p in found["steganography"]["noisy"]] == pytest.approx([0.002, 0.006, 0.02, 0.06, 0.2])
    assert run(evaluate_cli.main, "evaluate.py", [export, "--target", "eight_gaussians", "-n", "500",
                                                  "--resamples", "10"]) == 0
    text = capsys.readouterr().out
    assert "cycle error" in text and "steganography probe" in text and "with fresh noise for F" in text
    out = tmp_path / "y.npy"
    assert run(sample_cli.main, "sample.py", [export, "-n", "64", "--out", str(out), "--plot", str(tmp_path / "y.png")]) == 0
    assert np.load(out).shape == (64, 2) and os.path.isfile(tmp_path / "y.png")


@pytest.mark.slow
def test_the_python_api_trains_a_cyclegan_and_its_export_loads(tmp_path):
    import keras_gan_latent as kgl

    config = kgl.TrainConfig(model="cyclegan", source="spiral", target="gaussian", translator_noise=1, steps=100,
                             g_width=32, d_width=32, batch_size=64, scalar_every=50, image_every=100,
                             run_dir=str(tmp_path / "run"))
    result = kgl.train(config, verbose=0)
    assert result.steps == 100 and set(result.final_metrics) >= {"cycle_x", "cycle_y", "latent_cycle"}
    sampler, exported = kgl.load_export(result.export_dir)
    assert (exported["source"], exported["target"]) == ("spiral", "gaussian")
    assert kgl.sample_export(sampler, 80, seed=1).shape == (80, 2)


# ------------------------------------------------------------------ digit domains


def test_digit_domains_take_the_digit_defaults():
    config = TrainConfig(model="cyclegan", source="mnist", target="mnist_rot", translator_noise=1).resolved()
    assert (config.batch_size, config.jit_compile, config.cycle_weight, config.identity_weight) == (32, False, 10.0, 5.0)
    assert config.default_run_name() == "cyclegan_mnist_to_mnist_rot_k1_s0"
    assert config.digit_arch == "resnet" and TrainConfig(model="cyclegan").resolved().digit_arch is None
    dense = TrainConfig(model="cyclegan", source="mnist_rot", target="mnist", digit_arch="dense_image").resolved()
    assert dense.default_run_name() == "cyclegan_mnist_rot_to_mnist_dense_image_k0_s0"


def test_a_npy_of_translated_digits_is_refused_in_one_line(tmp_path, capsys):
    path = tmp_path / "digits.npy"
    np.save(path, np.zeros((60, 28, 28, 1), np.float32))
    status = run(evaluate_cli.main, "evaluate.py", [str(path), "--target", "mnist_rot"])
    err = capsys.readouterr().err.strip()
    assert status == 2 and len(err.splitlines()) == 1 and "scored from its export folder" in err, err


@pytest.fixture(scope="module")
def digit_run(tmp_path_factory, mnist):
    """A real 10-step Augmented CycleGAN run (k = 1) mnist -> mnist_rot from train.py on a small --data subset of MNIST,
    with the dense translators and whole-image critics (`--digit-arch dense_image`; the default ResNet translators
    and PatchGAN critics train in `tests/models/test_cyclegan.py`)."""
    folder = tmp_path_factory.mktemp("cyclegan_digits")
    x_train, y_train, x_test, y_test = mnist
    data = folder / "small.npz"
    np.savez(data, x_train=x_train[:2000], y_train=y_train[:2000], x_test=x_test[:500], y_test=y_test[:500])
    run_dir = folder / "run"
    status = run(train_cli.main, "train.py", [
        "--model", "cyclegan", "--source", "mnist", "--target", "mnist_rot", "--translator-noise", "1", "--data",
        str(data), "--steps", "10", "--digit-arch", "dense_image",
        "--batch-size", "16", "--scalar-every", "5", "--image-every", "10", "--run-dir", str(run_dir), "--quiet",
    ])
    assert status == 0
    return str(run_dir)


@pytest.mark.slow
def test_a_short_digit_run_translates_images_exports_and_is_scored_against_the_truth(digit_run, tmp_path, capsys):
    loaded = tf.saved_model.load(os.path.join(digit_run, "generator"))
    seed = tf.constant(0, tf.int64)
    y = loaded.translate(x=tf.zeros([3, 28, 28, 1]), seed=seed)["y"]
    assert y.shape == (3, 28, 28, 1) and np.all(np.abs(y.numpy()) <= 1)
    assert loaded.translate_back(y=y, seed=seed)["x"].shape == (3, 28, 28, 1)
    with pytest.raises((TypeError, ValueError)):
        loaded.translate(x=tf.zeros([3, 2]), seed=seed)
    # TensorBoard: x, G(x), F(G(x)) and the truth side by side; the errors against the truth.
    assert read_event_image_sizes(digit_run)["translation/digits"][0] > 100
    for tag in ("translation/error_g", "translation/error_f", "cycle/x", "train/cycle_x", "train/latent_cycle"):
        assert [s for s, _ in read_event_scalars(digit_run, tag)][-1] == 10, tag
    export = os.path.join(digit_run, "generator")
    assert run(evaluate_cli.main, "evaluate.py", [export, "-n", "200", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    found = report["translation"]
    assert report["target"] == "mnist_rot" and found["num_samples"] == 200 and found["translator_noise"] == 1
    assert json.loads(loaded.config().numpy())["digit_arch"] == "dense_image"
    assert 0 < found["error_g"] < 1 and 0 < found["error_f"] < 1 and 0 <= found["agreement_g"] <= 1
    assert found["reference_agreement_g"] > 0.9  # the classifier reads the true translations brought back upright
    assert run(evaluate_cli.main, "evaluate.py", [export, "-n", "200"]) == 0
    assert "G(x) against the true translation" in capsys.readouterr().out
    out = tmp_path / "g.npy"
    assert run(sample_cli.main, "sample.py", [export, "-n", "12", "--out", str(out), "--plot", str(tmp_path / "g.png")]) == 0
    assert np.load(out).shape == (12, 28, 28, 1) and os.path.isfile(tmp_path / "g.png")

