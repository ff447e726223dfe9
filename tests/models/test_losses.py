"""The adversarial losses: their formulas, the registry, and a registered loss reaching the GAN's step."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan_latent.errors import UserError
from keras_gan_latent.models import losses
from keras_gan_latent.models.losses import discriminator_loss, generator_loss


def test_losses_at_the_games_optimum():
    # D(x) = 1/2 everywhere (logit 0): -V = log 4, the GAN paper's Theorem 1.
    # float32 means of 10 terms: each partial sum may round (up to ~6e-7 in all).
    zeros = tf.zeros([10, 1])
    assert float(discriminator_loss(zeros, zeros)) == pytest.approx(np.log(4.0), rel=1e-5)
    assert float(generator_loss(zeros, "non_saturating")) == pytest.approx(np.log(2.0), rel=1e-5)
    assert float(generator_loss(zeros, "minimax")) == pytest.approx(-np.log(2.0), rel=1e-5)
    # A confident, correct D has a loss near 0.
    assert float(discriminator_loss(tf.fill([4, 1], 20.0), tf.fill([4, 1], -20.0))) < 1e-8


def test_hinge_losses_equal_their_formulas():
    rng = np.random.default_rng(3)
    real, fake = rng.normal(0.5, 1.5, (32, 1)).astype(np.float32), rng.normal(-0.5, 1.5, (32, 1)).astype(np.float32)
    d_expected = np.maximum(0.0, 1.0 - real).mean() + np.maximum(0.0, 1.0 + fake).mean()
    assert float(discriminator_loss(tf.constant(real), tf.constant(fake), "hinge")) == pytest.approx(d_expected, rel=1e-5)
    assert float(generator_loss(tf.constant(fake), "hinge")) == pytest.approx(-fake.mean(), rel=1e-5, abs=1e-6)
    # The other losses keep the GAN paper's D loss.
    softplus = lambda t: np.logaddexp(0.0, t)  # noqa: E731
    for loss in ("non_saturating", "minimax"):
        ours = float(discriminator_loss(tf.constant(real), tf.constant(fake), loss))
        assert ours == pytest.approx(softplus(-real).mean() + softplus(fake).mean(), rel=1e-5)


def test_label_smoothing_moves_ds_real_target_to_one_minus_s():
    rng = np.random.default_rng(4)
    real, fake = rng.normal(1.0, 2.0, (64, 1)).astype(np.float32), rng.normal(-1.0, 2.0, (64, 1)).astype(np.float32)
    softplus = lambda t: np.logaddexp(0.0, t)  # noqa: E731
    for s in (0.0, 0.1, 0.3):
        expected = ((1 - s) * softplus(-real) + s * softplus(real)).mean() + softplus(fake).mean()
        for loss in ("non_saturating", "minimax"):  # D's loss is the same cross-entropy for both
            ours = float(discriminator_loss(tf.constant(real), tf.constant(fake), loss, s))
            assert ours == pytest.approx(expected, rel=1e-5)
    # The real term is smallest where D's probability is 1 - s, not at certainty.
    logits = tf.Variable(tf.zeros([8, 1]))
    for _ in range(400):
        with tf.GradientTape() as tape:
            loss = discriminator_loss(logits, tf.fill([8, 1], -30.0), "non_saturating", 0.1)
        logits.assign_sub(2.0 * tape.gradient(loss, logits) * 8)
    np.testing.assert_allclose(tf.sigmoid(logits).numpy(), 0.9, atol=1e-3)


def test_the_registry_names_the_built_in_losses_and_refuses_others():
    assert losses.LOSS_NAMES == ("non_saturating", "minimax", "hinge") == losses.loss_names()
    assert isinstance(losses.get_loss("hinge"), losses.HingeLoss)
    with pytest.raises(UserError, match="unknown loss 'wasserstein'; valid losses: non_saturating, minimax, hinge"):
        losses.get_loss("wasserstein")
    with pytest.raises(ValueError, match="already registered"):
        losses.register("hinge", losses.HingeLoss())
    # The settings module checks --loss against the same names, without TensorFlow.
    from keras_gan_latent.models import LOSS_NAMES

    assert LOSS_NAMES is losses.LOSS_NAMES


def test_label_smoothing_goes_with_the_losses_that_declare_it():
    assert losses.smoothing_loss_error(0.0, "hinge") is None
    assert losses.smoothing_loss_error(0.1, "minimax") is None
    assert losses.smoothing_loss_error(0.1, "hinge") == (
        "label smoothing applies to the cross-entropy losses (non_saturating, minimax), not to hinge"
    )
    with pytest.raises(UserError, match="not to hinge"):
        losses.get_loss("hinge").discriminator(tf.zeros([2, 1]), tf.zeros([2, 1]), 0.1)


class _LeastSquares:
    """LSGAN (Mao et al. 2017): a loss the package does not ship, registered by a test."""

    label_smoothing = False

    def discriminator(self, real_logits, fake_logits, label_smoothing=0.0):
        return 0.5 * tf.reduce_mean(tf.square(real_logits - 1.0)) + 0.5 * tf.reduce_mean(tf.square(fake_logits))

    def generator(self, fake_logits):
        return 0.5 * tf.reduce_mean(tf.square(fake_logits - 1.0))


def test_a_registered_loss_trains_a_gan_with_no_other_change(monkeypatch):
    from test_gan import _fit_sgd, _toy_gan

    monkeypatch.setattr(losses, "_REGISTRY", dict(losses._REGISTRY))  # the registration ends with the test
    least_squares = losses.register("least_squares", _LeastSquares())
    model = _toy_gan(loss="least_squares")
    assert model.adversarial_loss is least_squares and model.loss_name == "least_squares"
    for weight in model.discriminator.trainable_weights:  # D scores everything 0
        weight.assign(tf.zeros_like(weight))
    history = _fit_sgd(model, 1)
    # The first step's D loss is the registered formula at D = 0: 0.5 (0 - 1)^2 + 0.5 * 0^2.
    assert history.history["d_loss"][-1] == pytest.approx(0.5, rel=1e-6)
    assert np.isfinite(history.history["g_loss"][-1])
    with pytest.raises(UserError, match="unknown loss"):
        _toy_gan(loss="wasserstein")
