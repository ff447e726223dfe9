"""The convolutional networks of a digit translator: shapes, outputs in range, the noise channels, what each sees."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan_latent.models import DIGIT_ARCH_NAMES, digit_translator


def test_the_translator_maps_digits_with_noise_channels_to_tanh_digits():
    translator = digit_translator.resnet_translator(3, name="G")
    out = translator(tf.random.normal([2, 28, 28, 3], seed=0)).numpy()
    assert out.shape == (2, 28, 28, 1) and np.all(np.abs(out) <= 1)
    assert translator.name == "G" and translator.inputs[0].shape[-1] == 3


def test_the_critic_judges_patches_and_the_encoder_returns_the_noise_shape():
    assert digit_translator.patch_critic()(tf.zeros([2, 28, 28, 1])).shape == (2, 7, 7, 1)
    assert digit_translator.digit_encoder(2, 5)(tf.zeros([3, 28, 28, 2])).shape == (3, 5)


def test_the_dense_translator_maps_digits_with_noise_channels_to_tanh_digits():
    translator = digit_translator.dense_translator(3, 2, name="F")
    out = translator(tf.random.normal([2, 28, 28, 3], seed=0)).numpy()
    assert out.shape == (2, 28, 28, 2) and np.all(np.abs(out) <= 1)
    assert translator.name == "F" and translator.get_layer("bottleneck").units == digit_translator.BOTTLENECK


def test_the_image_critic_gives_one_logit_per_digit():
    critic = digit_translator.image_critic(name="D_Y")
    assert critic(tf.zeros([3, 28, 28, 1])).shape == (3, 1) and critic.name == "D_Y"


def _corner_gradient(network, channels=1):
    """|d out[0, 0] / d x[27, 27]|: how much the top-left output reads the opposite corner of the input."""
    x = tf.random.normal([1, 28, 28, channels], seed=1)
    with tf.GradientTape() as tape:
        tape.watch(x)
        out = network(x)
        corner = out[0, 0, 0, 0] if len(out.shape) == 4 else out[0, 0]
    return float(tf.abs(tape.gradient(corner, x)[0, 27, 27, 0]))


def test_the_dense_networks_read_the_opposite_corner_of_the_digit():
    # A 90-degree turn sends the corner (27, 27) to (0, 27): a translator that turns digits reads across the image.
    assert _corner_gradient(digit_translator.dense_translator(1)) > 0
    assert _corner_gradient(digit_translator.image_critic()) > 0


def test_the_affine_warp_starts_as_the_identity_and_can_turn_digits_a_quarter():
    warp = digit_translator.AffineWarp()
    x = np.random.default_rng(0).uniform(-1, 1, (2, 28, 28, 3)).astype(np.float32)
    assert np.abs(warp(x).numpy() - x).max() < 1e-4
    warp.stored.assign(np.array([0, -1, 0, 1, 0, 0], np.float32) / warp.gain)  # out (x, y) reads in (-y, x)
    assert np.abs(warp(x).numpy() - np.rot90(x, 1, axes=(1, 2))).max() < 1e-4  # mnist_rot's counter-clockwise turn
    warp.stored.assign(np.array([1, 0, 14 / 27, 0, 1, 0], np.float32) / warp.gain)  # 7 pixels to the left
    shifted = warp(x).numpy()
    assert np.all(shifted[:, :, -5:] == -1.0) and np.abs(shifted[:, :, 0] - x[:, :, 7]).max() < 1e-4


def test_the_affine_warp_is_learned_through_its_gain_and_both_layers_clone():
    warp = digit_translator.AffineWarp(gain=5.0)
    x = tf.random.normal([2, 28, 28, 1], seed=2)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(warp(x) * tf.random.normal([2, 28, 28, 1], seed=3))
    gradient = tape.gradient(loss, warp.stored).numpy()
    assert gradient.shape == (6,) and np.all(np.isfinite(gradient)) and np.abs(gradient).max() > 0
    assert np.allclose(warp.matrix().numpy(), [[1, 0, 0], [0, 1, 0]])
    translator = digit_translator.affine_translator(2, name="G")
    copy = keras.models.clone_model(translator)  # the export's copy outside a distribution strategy
    assert copy.get_layer("warp").gain == digit_translator.WARP_GAIN and copy.count_params() == translator.count_params()
    turning = digit_translator.dihedral_translator(1)
    assert keras.models.clone_model(turning).get_layer("turn").gain == digit_translator.WARP_GAIN


def test_the_symmetries_start_as_an_even_blend_and_each_logit_picks_one_symmetry():
    layer = digit_translator.Symmetries()
    x = np.random.default_rng(0).uniform(-1, 1, (2, 28, 28, 2)).astype(np.float32)
    # Quarter turns counter-clockwise (1: mnist_rot's), then the same of the mirror image.
    symmetries = [np.rot90(image, k, axes=(1, 2)) for image in (x, x[:, :, ::-1]) for k in range(4)]
    assert np.abs(layer(x).numpy() - np.mean(symmetries, axis=0)).max() < 1e-4
    for i, expected in enumerate(symmetries):
        logits = np.full(8, -50.0, np.float32)
        logits[i] = 0.0
        layer.stored.assign(logits / layer.gain)
        assert np.abs(layer(x).numpy() - expected).max() < 1e-4, i


@pytest.mark.parametrize("arch", DIGIT_ARCH_NAMES)
def test_every_declared_arch_has_its_networks(arch):
    translator, critic = digit_translator.ARCHS[arch]
    assert translator(2, name="G")(tf.zeros([1, 28, 28, 2])).shape == (1, 28, 28, 1)
    assert critic(name="D_X")(tf.zeros([1, 28, 28, 1])).shape[0] == 1
    assert tuple(digit_translator.ARCHS) == DIGIT_ARCH_NAMES
