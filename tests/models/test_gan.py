"""The GAN model: a short run on the ring measurably moves samples toward the target."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan_latent.training.config import TrainConfig
from keras_gan_latent.models.gan import discriminator_loss, generator_loss
from keras_gan_latent.experiments import build_setup
from keras_gan_latent.training.loop import plan_segments


def _mean_log_prob(setup):
    samples = setup.view.fixed_samples(setup.model)
    return float(setup.view.target.log_prob(samples).numpy().mean())


def _compile(model, config, steps_per_execution=50):
    import keras

    model.compile(
        keras.optimizers.Adam(config.lr_d, beta_1=config.beta1_d),
        keras.optimizers.Adam(config.lr_g, beta_1=config.beta1_g),
        steps_per_execution=steps_per_execution,
    )


def test_short_run_raises_mean_target_log_likelihood():
    setup = build_setup(TrainConfig(target="eight_gaussians", latent_dim=2, seed=1, num_fixed_latents=2000))
    before = _mean_log_prob(setup)
    _compile(setup.model, setup.config)
    setup.model.fit(setup.make_dataset(0).take(400), steps_per_epoch=400, verbose=0, shuffle=False)
    after = _mean_log_prob(setup)
    assert int(setup.model.global_step.numpy()) == 400
    # The untrained generator puts its mass near the origin, where the ring's
    # density is ~e^-45; 400 steps bring samples onto the ring.
    assert after > before + 20, (before, after)
    assert after > -6.0


@pytest.mark.parametrize("loss", ["minimax", "non_saturating"])
def test_d_steps_and_losses_count_generator_steps(loss):
    setup = build_setup(TrainConfig(target="spiral", latent_dim=3, d_steps=3, loss=loss, batch_size=64, num_fixed_latents=100))
    d_before = [w.numpy().copy() for w in setup.model.discriminator.trainable_weights]
    _compile(setup.model, setup.config, steps_per_execution=5)
    history = setup.model.fit(setup.make_dataset(0).take(10), steps_per_epoch=10, verbose=0, shuffle=False)
    assert int(setup.model.global_step.numpy()) == 10  # generator steps, not D steps
    assert int(setup.model.d_optimizer.iterations.numpy()) == 30  # k = 3 D steps each
    assert int(setup.model.g_optimizer.iterations.numpy()) == 10
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    assert any(not np.allclose(a, w.numpy()) for a, w in zip(d_before, setup.model.discriminator.trainable_weights))


def test_losses_at_the_games_optimum():
    # D(x) = 1/2 everywhere (logit 0): -V = log 4, the GAN paper's Theorem 1.
    # float32 means of 10 terms: each partial sum may round (up to ~6e-7 in all).
    zeros = tf.zeros([10, 1])
    assert float(discriminator_loss(zeros, zeros)) == pytest.approx(np.log(4.0), rel=1e-5)
    assert float(generator_loss(zeros, "non_saturating")) == pytest.approx(np.log(2.0), rel=1e-5)
    assert float(generator_loss(zeros, "minimax")) == pytest.approx(-np.log(2.0), rel=1e-5)
    # A confident, correct D has a loss near 0.
    assert float(discriminator_loss(tf.fill([4, 1], 20.0), tf.fill([4, 1], -20.0))) < 1e-8


def test_default_prior_follows_the_article():
    assert build_setup(TrainConfig(target="gaussian", latent_dim=1, num_fixed_latents=10)).model.latent_prior.event_shape == [1]
    config = TrainConfig(target="gaussian", latent_dim=2, num_fixed_latents=500)
    setup = build_setup(config)
    assert setup.config.prior == "uniform" and config.prior is None  # resolved into a new config
    z = setup.model.fixed_latents.numpy()
    assert z.min() >= 0.0 and z.max() < 1.0
    assert build_setup(TrainConfig(target="eight_gaussians", latent_dim=2, num_fixed_latents=500)).config.prior == "normal"


def test_plan_segments_keeps_frames_on_execution_boundaries():
    assert plan_segments(30000, 100) == [(30000, 100)]
    assert plan_segments(30000, 100, animate_steps=600, animate_every=1) == [(600, 1), (29400, 100)]
    assert plan_segments(30000, 100, animate_steps=30000, animate_every=50) == [(30000, 50)]
    assert plan_segments(300, 100, animate_steps=600, animate_every=1) == [(300, 1)]
