"""Determinism, a full disk during training, and the mixed-precision path."""

import errno
import subprocess

import keras
import numpy as np
import pytest
import tensorflow as tf

from conftest import checkout_env, script
from keras_gan_latent import experiments
from keras_gan_latent.training import checkpoints, distribute
from keras_gan_latent.experiments.config import TrainConfig
from keras_gan_latent.errors import RunWriteError, UserError

pytestmark = pytest.mark.slow  # real training runs: `pytest -m "not slow"` skips them

SMALL = dict(steps=30, batch_size=64, g_width=32, d_width=32, g_depth=2, d_depth=2, num_fixed_latents=200,
             scalar_every=10, image_every=10, steps_per_execution=10, checkpoint_every=10)


def _train(run_dir, **overrides):
    config = TrainConfig(run_dir=str(run_dir), **{**SMALL, **overrides})
    setup = experiments.prepare(config)
    result = experiments.train(config, verbose=0, setup=setup)
    weights = [w.numpy() for w in setup.model.generator.weights + setup.model.discriminator.weights]
    return result, weights


def test_same_seed_same_losses_and_weights_different_seed_differs(tmp_path):
    quiet = dict(image_every=30, checkpoint_every=30)  # the weights are the point: fewer frames and checkpoints
    first, w1 = _train(tmp_path / "a", seed=7, **quiet)
    again, w2 = _train(tmp_path / "b", seed=7, **quiet)
    other, w3 = _train(tmp_path / "c", seed=8, **quiet)
    assert first.final_metrics == again.final_metrics
    for a, b in zip(w1, w2):
        np.testing.assert_array_equal(a, b)
    assert first.final_metrics["d_loss"] != other.final_metrics["d_loss"]
    assert any(not np.array_equal(a, c) for a, c in zip(w1, w3))


def test_deterministic_flag_gives_bit_identical_exports_across_processes(tmp_path):
    """--deterministic turns on op determinism (process-wide), so each run is its own process.

    The two processes run side by side: neither sees the other's files, and
    sharing the machine must not change a bit either.
    """
    procs = {
        name: subprocess.Popen(
            script("train") + ["--deterministic", "--quiet", "--run-dir", str(tmp_path / name), "--steps", "30",
                               "--image-every", "30", "--batch-size", "64", "--g-width", "32", "--d-width", "32",
                               "--seed", "2"],
            env=checkout_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
        )
        for name in ("a", "b")
    }
    outputs = []
    try:
        for name, proc in procs.items():
            _, err = proc.communicate(timeout=600)
            assert proc.returncode == 0, err[-2000:]
            sampler = tf.saved_model.load(str(tmp_path / name / "generator"))
            outputs.append(sampler.sample(num_samples=tf.constant(500), seed=tf.constant(1, tf.int64))["x"].numpy())
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    np.testing.assert_array_equal(outputs[0], outputs[1])


def test_full_disk_while_checkpointing_keeps_the_last_good_checkpoint(tmp_path, monkeypatch):
    saves = []
    real_save = tf.train.CheckpointManager.save

    def save_until_the_disk_fills(self, *args, **kwargs):
        saves.append(kwargs.get("checkpoint_number"))
        if len(saves) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(tf.train.CheckpointManager, "save", save_until_the_disk_fills)
    with pytest.raises(RunWriteError) as excinfo:
        _train(tmp_path / "run", seed=1)
    message = str(excinfo.value)
    assert "\n" not in message
    assert "could not write the checkpoint of step 20" in message and "no space left on the device" in message
    assert "--resume" in message
    assert not (tmp_path / "run" / "generator").exists()  # nothing exported from a broken run
    monkeypatch.undo()
    config = TrainConfig(run_dir=str(tmp_path / "run"), resume=True, seed=1, **SMALL)  # the run's own settings
    setup = experiments.prepare(config)
    setup.model.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    manager = checkpoints.checkpoint_manager(setup.model, config.run_dir)
    assert checkpoints.restore_latest(manager) == 10  # the last good one


def test_write_errors_that_are_not_io_pass_through():
    with pytest.raises(tf.errors.InvalidArgumentError):
        with checkpoints.explain_write_errors("x", "y"):
            raise tf.errors.InvalidArgumentError(None, None, "a bug, not a disk")


def test_mixed_precision_path_trains_with_loss_scaling(tmp_path, monkeypatch):
    """The GPU path, run on the CPU by lifting the refusal (float16 is only slow here)."""
    monkeypatch.setattr(distribute, "check_mixed_precision", lambda: None)
    config = TrainConfig(run_dir=str(tmp_path / "run"), mixed_precision=True, jit_compile=False, seed=1,
                         **{**SMALL, "steps": 20})
    setup = experiments.prepare(config)
    result = experiments.train(config, verbose=0, setup=setup)
    generator = setup.model.generator
    assert generator.get_layer("dense_0").dtype_policy.name == "mixed_float16"
    assert generator.get_layer("sample").dtype_policy.name == "float32"
    assert setup.model.discriminator.get_layer("logit").dtype_policy.name == "float32"
    assert isinstance(setup.model.d_optimizer, keras.optimizers.LossScaleOptimizer)
    assert all(np.isfinite(v) for v in result.final_metrics.values())
    assert keras.config.dtype_policy().name == "float32"  # the policy does not leak out of the run
    sampler = tf.saved_model.load(setup.config.export_dir)
    x = sampler.sample(num_samples=tf.constant(10), seed=tf.constant(0, tf.int64))["x"]
    assert x.dtype == tf.float32 and np.all(np.isfinite(x.numpy()))


def test_bfloat16_computes_the_dcgan_in_bfloat16_with_float32_variables_outputs_and_export(tmp_path):
    config = TrainConfig(model="dcgan", latent_dim=4, batch_size=16, steps=6, bfloat16=True, seed=1,
                         mode_report_samples=0, run_dir=str(tmp_path / "run"), image_every=3, scalar_every=3)
    setup = experiments.prepare(config)
    result = experiments.train(config, verbose=0, setup=setup)
    generator, discriminator = setup.model.generator, setup.model.discriminator
    computing = [layer for layer in generator.layers + discriminator.layers if layer.weights]
    assert "mixed_bfloat16" in {layer.dtype_policy.name for layer in computing}
    assert generator.get_layer("image").dtype_policy.name == "float32"
    assert discriminator.get_layer("logit").dtype_policy.name == "float32"
    assert all(w.dtype == "float32" for w in generator.weights + discriminator.weights)  # variables stay float32
    assert not isinstance(setup.model.d_optimizer, keras.optimizers.LossScaleOptimizer)  # bfloat16 needs no scaling
    assert all(np.isfinite(v) for v in result.final_metrics.values())
    assert keras.config.dtype_policy().name == "float32"  # the policy does not leak out of the run
    sampler = tf.saved_model.load(setup.config.export_dir)
    x = sampler.sample(num_samples=tf.constant(10), seed=tf.constant(0, tf.int64))["x"]
    assert x.dtype == tf.float32 and np.all(np.isfinite(x.numpy()))


def test_two_compute_precisions_at_once_are_refused_in_one_line():
    with pytest.raises(UserError, match="--mixed-precision .* and --bfloat16 are two compute precisions"):
        TrainConfig(mixed_precision=True, bfloat16=True).resolved()
