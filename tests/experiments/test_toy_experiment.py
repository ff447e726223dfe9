"""The toy experiment's two sets of networks (`--arch article|pacgan`), trained end to end."""

import json
import os

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan_latent import experiments
from keras_gan_latent.cli import train as train_cli
from keras_gan_latent.cli.common import run
from keras_gan_latent.experiments.config import TrainConfig

SHORT = dict(target="grid25", latent_dim=2, steps=40, scalar_every=10, image_every=20, num_fixed_latents=200)


@pytest.mark.slow
def test_pacgan_networks_train_pack_and_export_for_plain_tensorflow(tmp_path):
    config = TrainConfig(arch="pacgan", pack=2, logdir=str(tmp_path), **SHORT).resolved()
    setup = experiments.prepare(config)
    generator, discriminator = setup.model.generator, setup.model.discriminator
    assert discriminator.inputs[0].shape[-1] == 4  # packs of 2 two-dimensional samples
    norms = [layer for layer in generator.layers if isinstance(layer, keras.layers.BatchNormalization)]
    assert len(norms) == 4
    d_before = discriminator.layers[1].kernel.numpy().copy()
    result = experiments.train(config, verbose=0, setup=setup)
    assert result.steps == 40 and int(setup.model.global_step.numpy()) == 40
    assert result.run_dir.endswith("grid25_pacgan_z2_normal_s0_pack2")
    assert np.abs(discriminator.layers[1].kernel.numpy() - d_before).max() > 0  # D learned
    # The train step calls G in training mode: its BatchNorm statistics moved off their start (0, 1).
    assert all(np.abs(norm.moving_mean.numpy()).max() > 1e-4 for norm in norms)

    loaded = tf.saved_model.load(result.export_dir)
    drawn = loaded.sample(num_samples=tf.constant(500), seed=tf.constant(3, tf.int64))
    assert drawn["x"].shape == (500, 2) and np.all(np.isfinite(drawn["x"].numpy()))
    again = loaded.sample(num_samples=tf.constant(500), seed=tf.constant(3, tf.int64))
    np.testing.assert_array_equal(again["x"].numpy(), drawn["x"].numpy())
    # The export runs G in inference mode: a sample does not depend on the others in its batch.
    np.testing.assert_allclose(
        loaded.generate(drawn["z"][:5])["x"].numpy(), drawn["x"].numpy()[:5], rtol=1e-4, atol=1e-5
    )
    recorded = json.loads(loaded.config().numpy().decode())
    assert (recorded["arch"], recorded["batch_size"], recorded["g_width"], recorded["d_depth"]) == ("pacgan", 400, 400, 3)


def _export_outputs(logdir, extra):
    args = ["--target", "grid25", "--steps", "30", "--batch-size", "64", "--g-width", "32", "--d-width", "32",
            "--scalar-every", "10", "--image-every", "30", "--seed", "4", "--quiet", "--logdir", str(logdir)]
    assert run(train_cli.main, "train.py", args + extra) == 0
    loaded = tf.saved_model.load(os.path.join(str(logdir), "grid25_z2_normal_s4", "generator"))
    return loaded.sample(num_samples=tf.constant(300), seed=tf.constant(9, tf.int64))["x"].numpy()


@pytest.mark.slow
def test_arch_article_is_the_run_without_arch_bit_for_bit(tmp_path):
    without = _export_outputs(tmp_path / "without", [])
    article = _export_outputs(tmp_path / "article", ["--arch", "article"])
    np.testing.assert_array_equal(article, without)


@pytest.mark.parametrize("args, message", [
    (["--arch", "seed", "--model", "mlp"], "unknown arch 'seed' for --model mlp; valid archs: article, pacgan"),
    (["--arch", "pacgan", "--model", "dcgan"], "unknown arch 'pacgan' for --model dcgan; valid archs: light, seed, tutorial"),
    (["--arch", "pacgan", "--model", "vae"], "--arch applies to --model mlp or dcgan or cgan or selfcond only, not --model vae"),
    (["--arch", "pacgan", "--pack", "4", "--batch-size", "100"], "batch size must divide by 2 x --pack = 8"),
])
def test_wrong_arch_is_refused_in_one_line_before_training(tmp_path, capsys, args, message):
    status = run(train_cli.main, "train.py", args + ["--logdir", str(tmp_path), "--steps", "10"])
    err = capsys.readouterr().err.strip()
    assert status == 2 and len(err.splitlines()) == 1 and message in err, err
    assert not os.listdir(tmp_path)  # nothing written
