"""A short DCGAN run on real MNIST: summaries, export with BatchNorm, resume, bad input."""

import os
import subprocess

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import checkout_env, read_event_steps, script
from keras_gan_latent import experiments
from keras_gan_latent.training import checkpoints
from keras_gan_latent.experiments.config import TrainConfig

pytestmark = pytest.mark.slow  # real training runs: `pytest -m "not slow"` skips them

LATENT_DIM = 4


def _config(run_dir, steps=20, **overrides):
    settings = dict(
        model="dcgan",
        latent_dim=LATENT_DIM,
        steps=steps,
        batch_size=16,
        seed=3,
        run_dir=str(run_dir),
        scalar_every=5,
        image_every=10,
        checkpoint_every=10,
        steps_per_execution=5,
        mode_report_samples=100,
    )
    settings.update(overrides)
    return TrainConfig(**settings)


@pytest.fixture(scope="module")
def short_run(tmp_path_factory):
    """20 steps of the light DCGAN with every summary switched on, and its setup."""
    run_dir = tmp_path_factory.mktemp("dcgan") / "run"
    config = _config(run_dir, animate=True, animate_every=5)
    setup = experiments.prepare(config)
    result = experiments.train(config, verbose=0, setup=setup)
    return setup.config, setup, result


def test_short_run_writes_grids_mode_report_and_histograms(short_run):
    config, _, result = short_run
    assert result.steps == 20
    steps = read_event_steps(config.run_dir)
    assert steps["train/d_loss"] == [5, 10, 15, 20]
    assert steps["samples/grid"] == [0, 10, 20]
    assert steps["samples/real_grid"] == [0]  # once
    for tag in ("modes/classes_covered", "modes/kl_uniform", "modes/classifier_score", "modes/class_histogram"):
        assert steps[tag] == [0, 10, 20], tag
    assert steps["generator/bn_0/moving_mean"] == [0, 10, 20]
    assert steps["discriminator/conv_0/kernel"] == [0, 10, 20]
    assert os.path.isfile(os.path.join(config.run_dir, "final_frame.png"))
    from PIL import Image

    with Image.open(result.animation_path) as gif:  # the fixed-noise grids at steps 0, 5, ..., 20
        assert gif.n_frames == 5


def test_export_generates_in_inference_mode_with_moving_statistics(short_run):
    config, setup, _ = short_run
    sampler = tf.saved_model.load(config.export_dir)
    z = tf.random.stateless_normal([64, LATENT_DIM], seed=[4, 2])
    exported = sampler.generate(z)["x"].numpy()
    assert exported.shape == (64, 28, 28, 1)
    generator = setup.model.generator
    np.testing.assert_allclose(exported, generator(z, training=False).numpy(), atol=1e-5)
    # Batch statistics would make each image depend on the rest of the batch.
    assert not np.allclose(exported, generator(z, training=True).numpy(), atol=1e-3)
    np.testing.assert_allclose(sampler.generate(z[:1])["x"].numpy(), exported[:1], atol=1e-5)
    moving_mean = next(w for w in generator.weights if w.path == "bn_0/moving_mean")
    assert np.abs(moving_mean.numpy()).max() > 0  # the statistics were updated by training


def test_resumed_dcgan_run_sees_the_same_digits_and_ends_with_the_same_weights(tmp_path):
    """The real-data stream is indexed by step, so a resume needs no iterator state."""
    straight = _config(tmp_path / "straight", mode_report_samples=0)
    experiments.train(straight, verbose=0)
    experiments.train(_config(tmp_path / "resumed", steps=10, mode_report_samples=0), verbose=0)
    resumed = _config(tmp_path / "resumed", resume=True, mode_report_samples=0)
    setup = experiments.prepare(resumed)
    experiments.train(resumed, verbose=0, setup=setup)

    # The uninterrupted run's final checkpoint, read into a fresh model.
    fresh = experiments.prepare(_config(tmp_path / "fresh", mode_report_samples=0))
    fresh.model.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    assert checkpoints.restore_latest(checkpoints.checkpoint_manager(fresh.model, straight.run_dir)) == 20
    for a, b in zip(setup.model.generator.weights + setup.model.discriminator.weights,
                    fresh.model.generator.weights + fresh.model.discriminator.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=a.path)


@pytest.mark.parametrize("args, fragment", [
    (["--model", "gan"], "unknown model 'gan'; valid models: mlp, dcgan"),
    (["--model", "dcgan", "--arch", "huge"], "unknown arch 'huge' for --model dcgan; valid archs: light, seed, tutorial"),
    (["--model", "dcgan", "--latent-dim", "0"], "latent dim must be an integer >= 1"),
    (["--model", "dcgan", "--data", "/nonexistent/mnist.npz"], "/nonexistent/mnist.npz"),
    (["--strategy", "ring"], "unknown strategy 'ring'; valid strategies: none, mirrored, multiworker"),
    (["--mixed-precision"], "--mixed-precision needs a GPU"),
    (["--strategy", "multiworker"], "TF_CONFIG"),
])
def test_bad_training_input_is_one_line_and_writes_nothing(tmp_path, args, fragment):
    env = checkout_env({k: v for k, v in os.environ.items() if k != "TF_CONFIG"})
    done = subprocess.run(
        script("train") + ["--logdir", str(tmp_path / "logs"), "--steps", "5", *args],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.startswith("train.py: error:")]
    assert len(lines) == 1 and fragment in lines[0], done.stderr[-2000:]
    assert "Traceback" not in done.stderr
    assert not (tmp_path / "logs").exists()


def test_resume_with_every_quality_option_ends_where_the_uninterrupted_run_does(tmp_path):
    """The weight average and D's power-iteration vectors are part of the resumable state."""
    options = dict(mode_report_samples=0, ema=0.9, spectral_norm=True, r1=1.0, loss="hinge")
    straight = _config(tmp_path / "straight", **options)
    experiments.train(straight, verbose=0)
    experiments.train(_config(tmp_path / "resumed", steps=10, **options), verbose=0)
    resumed = _config(tmp_path / "resumed", resume=True, **options)
    setup = experiments.prepare(resumed)
    experiments.train(resumed, verbose=0, setup=setup)

    fresh = experiments.prepare(_config(tmp_path / "fresh", **options))
    fresh.model.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    assert checkpoints.restore_latest(checkpoints.checkpoint_manager(fresh.model, straight.run_dir)) == 20
    networks = ("generator", "discriminator", "generator_average")
    ours = [w for role in networks for w in setup.model.networks[role].weights]
    theirs = [w for role in networks for w in fresh.model.networks[role].weights]
    assert any(w.path.endswith("vector_u") for w in ours) and len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        np.testing.assert_array_equal(a.numpy(), b.numpy(), err_msg=a.path)
    assert read_event_steps(resumed.run_dir)["train/r1"] == [5, 10, 15, 20]


@pytest.mark.parametrize("model", ["dcgan", "cgan"])
def test_packed_image_gans_build_and_train_a_few_steps(model):
    config = TrainConfig(model=model, latent_dim=LATENT_DIM, pack=2, batch_size=16, seed=1, mode_report_samples=0)
    setup = experiments.build_setup(config)
    gan = setup.model
    assert gan.discriminator.inputs[0].shape[1:] == (28, 28, 2)  # two digits as two channels
    if model == "cgan":
        assert gan.discriminator.inputs[1].shape[1:] == (2,)  # and their two labels
    gan.compile(**setup.make_optimizers(), steps_per_execution=2)
    history = gan.fit(setup.make_dataset(0).take(4), steps_per_epoch=4, verbose=0, shuffle=False).history
    assert int(gan.global_step.numpy()) == 4
    assert all(np.isfinite(v[-1]) for v in history.values())


def test_coded_dcgan_trains_and_draws_one_row_of_digits_per_code():
    from keras_gan_latent.viz import digits, views

    config = TrainConfig(model="dcgan", latent_dim=LATENT_DIM, latent_code=3, batch_size=16, seed=1,
                         mode_report_samples=0)
    setup = experiments.build_setup(config)
    gan = setup.model
    assert gan.generator.inputs[0].shape[-1] == LATENT_DIM + 3 and gan.latent_code.head is not None
    gan.compile(**setup.make_optimizers(), steps_per_execution=2)
    history = gan.fit(setup.make_dataset(0).take(4), steps_per_epoch=4, verbose=0, shuffle=False).history
    assert np.isfinite(history["info_loss"][-1])
    assert isinstance(setup.view, views.CodeGridView)
    rows = setup.view.grid_samples(gan)
    assert rows.shape == (3 * 10, 28, 28, 1)
    # Row c is code c on the same ten continuous latents: the code changes the digits.
    assert not np.allclose(rows[:10], rows[10:20])
    _, images, _ = setup.view.summaries(gan, 4)
    assert images["samples/grid"].shape == digits.image_grid(rows, 3, 10).shape
