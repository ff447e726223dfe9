"""The VAE experiment: trained, watched, exported and scored like the GAN, and its bad input."""

import glob
import json
import math
import os

import numpy as np
import pytest
import tensorflow as tf

from conftest import read_event_scalars
from keras_gan_latent import experiments
from keras_gan_latent.cli import evaluate as evaluate_cli
from keras_gan_latent.cli import sweep as sweep_cli
from keras_gan_latent.cli import sample as sample_cli
from keras_gan_latent.cli import train as train_cli
from keras_gan_latent.cli.common import run
from keras_gan_latent.errors import UserError
from keras_gan_latent.experiments.config import TrainConfig

TINY = dict(model="vae", target="eight_gaussians", latent_dim=2, steps=200, kl_warmup=50, g_width=32, g_depth=2,
            num_fixed_latents=500, scalar_every=50, image_every=100, steps_per_execution=50, checkpoint_every=100)


@pytest.fixture(scope="module")
def vae_run(tmp_path_factory):
    run_dir = tmp_path_factory.mktemp("vae") / "run"
    result = experiments.train(TrainConfig(run_dir=str(run_dir), **TINY), verbose=0)
    return result


def test_export_samples_encodes_and_bounds_with_plain_tensorflow(vae_run):
    sampler = tf.saved_model.load(vae_run.export_dir)
    out = sampler.sample(num_samples=tf.constant(300), seed=tf.constant(4, tf.int64))
    assert out["z"].shape == (300, 2) and out["x"].shape == (300, 2) and out["x_mean"].shape == (300, 2)
    # The Gaussian decoder's samples carry its noise; generate(z) is the mean.
    np.testing.assert_allclose(sampler.generate(z=out["z"])["x"].numpy(), out["x_mean"].numpy(), rtol=1e-5, atol=1e-6)
    assert not np.allclose(out["x"].numpy(), out["x_mean"].numpy())
    again = sampler.sample(num_samples=tf.constant(300), seed=tf.constant(4, tf.int64))
    np.testing.assert_array_equal(out["x"].numpy(), again["x"].numpy())
    posterior = sampler.encode(x=out["x"])
    assert posterior["mean"].shape == (300, 2) and posterior["log_var"].shape == (300, 2)
    bounds = sampler.likelihood_bounds(x=out["x"], seed=tf.constant(0, tf.int64))
    elbo, iwae = bounds["elbo"].numpy(), bounds["iwae"].numpy()
    assert elbo.shape == iwae.shape == (300,) and np.all(np.isfinite(iwae))
    # The importance-weighted bound is the tighter one in expectation; the
    # ELBO is a one-sample estimate, so compare within its standard error.
    gap = elbo.astype(np.float64) - iwae
    assert gap.mean() <= 3 * gap.std(ddof=1) / np.sqrt(len(gap)) + 1e-3


def test_report_has_the_toy_metrics_the_bounds_and_the_units_in_use(vae_run):
    experiment = experiments.get_experiment("vae")
    report, samples = experiment.scorer.evaluate(vae_run.export_dir, "eight_gaussians", num_samples=1000)
    assert samples.shape == (1000, 2) and report["modes"]["num_modes"] == 8
    likelihood, usage = report["likelihood"], report["latent_usage"]
    # E log p_model <= E log p_data: the gap is at least KL(p_data || p_model) >= 0.
    assert likelihood["gap_to_entropy"] > -3 * likelihood["standard_error"]
    assert len(usage["kl_per_unit"]) == 2 and 0 <= usage["active_units"] <= 2
    row = experiment.scorer.summary_row(report)
    assert set(experiment.scorer.eval_metrics) <= set(row) and row["iwae"] == likelihood["iwae"]
    json.dumps(report, allow_nan=False)
    text = experiment.scorer.report_text(report)
    assert "IWAE bound" in text and "active latent units" in text


def test_tensorboard_shows_the_vae_trackers_and_each_units_kl(vae_run):
    assert len(read_event_scalars(vae_run.run_dir, "train/elbo")) >= 3
    assert read_event_scalars(vae_run.run_dir, "latent/active_units")
    tags = set()
    for path in glob.glob(os.path.join(vae_run.run_dir, "events.out.tfevents.*")):
        for record in tf.data.TFRecordDataset(path):
            tags.update(v.tag for v in tf.compat.v1.Event.FromString(record.numpy()).summary.value)
    assert {"latent/kl_per_unit", "samples/frame", "convergence/js"} <= tags
    assert not any(tag.startswith("discriminator/") for tag in tags)
    assert any(tag.startswith("encoder/") for tag in tags) and any(tag.startswith("decoder/") for tag in tags)


def test_evaluate_cli_scores_a_vae_export(vae_run, capsys):
    assert run(evaluate_cli.main, "evaluate.py", [vae_run.export_dir, "--target", "eight_gaussians", "-n", "500",
                                                 "--resamples", "10"]) == 0
    out = capsys.readouterr().out
    assert "JS divergence" in out and "IWAE bound (K=128)" in out


@pytest.mark.slow
def test_a_resumed_vae_run_continues_exactly(tmp_path):
    straight = experiments.prepare(TrainConfig(run_dir=str(tmp_path / "straight"), **TINY))
    experiments.train(straight.config, verbose=0, setup=straight)
    experiments.train(TrainConfig(run_dir=str(tmp_path / "resumed"), **{**TINY, "steps": 100}), verbose=0)
    resumed = experiments.prepare(TrainConfig(run_dir=str(tmp_path / "resumed"), resume=True, **TINY))
    experiments.train(resumed.config, verbose=0, setup=resumed)
    for a, b in zip(straight.model.encoder.weights + straight.model.decoder.weights,
                    resumed.model.encoder.weights + resumed.model.decoder.weights):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.slow
def test_a_convolutional_vae_on_mnist_exports_digits(tmp_path):
    config = TrainConfig(model="vae", target="mnist", latent_dim=4, steps=20, mode_report_samples=0,
                         scalar_every=10, image_every=10, steps_per_execution=10, run_dir=str(tmp_path / "run"))
    result = experiments.train(config, verbose=0)
    sampler = tf.saved_model.load(result.export_dir)
    x = sampler.sample(num_samples=tf.constant(16), seed=tf.constant(0, tf.int64))["x"].numpy()
    assert x.shape == (16, 28, 28, 1) and x.min() >= -1.0 and x.max() <= 1.0
    bounds = sampler.likelihood_bounds(x=tf.constant(x), seed=tf.constant(0, tf.int64))
    assert np.all(np.isfinite(bounds["iwae"].numpy()))
    assert experiments.get_experiment("vae").run_name(result_config(result)) == "vae_mnist_z4_beta1_s0"
    # The Bernoulli decoder's samples are its mean images, generate(z): truncation maps the pulled latents.
    from keras_gan_latent.training.export import load_export, sample_export

    loaded, _ = load_export(result.export_dir)
    z = loaded.sample(num_samples=tf.constant(16), seed=tf.constant(0, tf.int64))["z"].numpy()
    np.testing.assert_allclose(sample_export(loaded, 16, seed=0, truncation=0.5),
                               loaded.generate(z=tf.constant(0.5 * z))["x"].numpy(), rtol=1e-5, atol=1e-5)


def test_truncation_of_a_gaussian_decoder_vae_is_refused_in_one_line(vae_run, tmp_path, capsys):
    out = tmp_path / "out.npy"
    status = run(sample_cli.main, "sample.py", [vae_run.export_dir, "--truncation", "0.5", "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert status == 2 and len(err.splitlines()) == 1 and "this VAE's samples add its decoder's noise" in err, err
    assert not out.exists()


def result_config(result):
    with open(os.path.join(result.run_dir, "config.json")) as f:
        return TrainConfig.from_dict(json.load(f))


@pytest.mark.parametrize("args, message", [
    (["--model", "vae", "--beta", "0"], "beta must be a positive number, got 0"),
    (["--model", "vae", "--beta", "nan"], "beta must be a finite positive number"),
    (["--beta", "2"], "--beta applies to --model vae only, not --model mlp"),
    (["--model", "vae", "--d-steps", "2"], "--d-steps applies to --model mlp or dcgan or cgan or selfcond only, not --model vae"),
    (["--model", "vae", "--lr-d", "1e-3"], "--lr-d applies to --model mlp or dcgan or cgan or selfcond or cyclegan only"),
    (["--model", "vae", "--target", "mnist", "--batch-size", "70000"], "batch size must be at most 60000 on MNIST"),
    (["--model", "vae", "--target", "moon"], "unknown target 'moon'"),
])
def test_bad_vae_settings_are_one_line_and_write_nothing(args, message, tmp_path, capsys):
    status = run(train_cli.main, "train.py", args + ["--logdir", str(tmp_path / "logs")])
    err = capsys.readouterr().err.strip()
    assert status == 2 and len(err.splitlines()) == 1 and message in err, err
    assert not (tmp_path / "logs").exists()


def test_a_vae_sweep_on_mnist_is_refused(tmp_path, capsys):
    status = run(sweep_cli.main, "sweep.py", ["--model", "vae", "--targets", "mnist", "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip()
    assert status == 2 and "a VAE sweep runs on the toy targets only" in err, err
    assert not (tmp_path / "out").exists()


def test_vae_defaults_follow_the_data():
    toy = TrainConfig(model="vae", target="spiral").resolved()
    digits = TrainConfig(model="vae", target="mnist").resolved()
    assert (toy.batch_size, toy.lr, toy.prior, toy.jit_compile) == (512, 1e-3, "normal", True)
    assert (digits.batch_size, digits.jit_compile) == (64, False)
    assert math.isclose(TrainConfig(model="vae", beta=4.0).resolved().beta, 4.0)
    with pytest.raises(UserError, match="beta must be a positive number"):
        TrainConfig(model="vae", beta=-1.0).resolved()
