"""The toy GAN's networks: the article's and PacGAN's (BatchNorm generator, maxout discriminator)."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan_latent.models import MLP_ARCH_NAMES, mlp


def _layers(model, kind):
    return [layer for layer in model.layers if isinstance(layer, kind)]


def test_every_arch_has_its_networks():
    assert tuple(mlp.NETWORKS) == MLP_ARCH_NAMES


def test_pacgan_generator_is_four_batchnormed_relu_layers_of_400():
    generator = mlp.pacgan_generator(2, 2)
    dense = _layers(generator, keras.layers.Dense)
    assert [layer.units for layer in dense] == [400, 400, 400, 400, 2]
    assert [layer.use_bias for layer in dense] == [False] * 4 + [True]  # BatchNorm's shift is the hidden layers' bias
    assert len(_layers(generator, keras.layers.BatchNormalization)) == 4
    assert len(_layers(generator, keras.layers.ReLU)) == 4
    assert generator(np.zeros((7, 2), np.float32)).shape == (7, 2)
    # Another latent dimension and sample dimension, as the other targets and codes need.
    assert mlp.pacgan_generator(27, 1)(np.zeros((3, 27), np.float32)).shape == (3, 1)


def test_pacgan_generator_normalises_by_the_batch_only_in_training_mode():
    keras.utils.set_random_seed(0)
    generator = mlp.pacgan_generator(2, 2)
    z = tf.random.stateless_normal([64, 2], seed=[3, 4])
    # Inference mode (samples, export): each sample on its own, whatever the batch holds.
    alone = generator(z[:8], training=False).numpy()
    np.testing.assert_allclose(generator(z, training=False).numpy()[:8], alone, rtol=1e-4, atol=1e-6)
    # Training mode: the batch's statistics, so the same 8 latents map elsewhere in another batch.
    in_batch = generator(z, training=True).numpy()[:8]
    assert np.abs(generator(z[:8], training=True).numpy() - in_batch).max() > 1e-3
    # A training call moves the moving statistics (momentum 0.95); an inference call does not.
    norm = _layers(generator, keras.layers.BatchNormalization)[0]
    before = norm.moving_mean.numpy().copy()
    generator(z, training=False)
    np.testing.assert_array_equal(norm.moving_mean.numpy(), before)
    generator(z, training=True)
    assert np.abs(norm.moving_mean.numpy() - before).max() > 1e-6


@pytest.mark.parametrize("pack", [1, 4])
def test_pacgan_discriminator_is_three_maxout_layers_reading_packs(pack):
    discriminator = mlp.pacgan_discriminator(2, pack=pack)
    dense = _layers(discriminator, keras.layers.Dense)
    assert [tuple(layer.kernel.shape) for layer in dense] == [(2 * pack, 1000), (200, 1000), (200, 1000), (200, 1)]
    assert [layer.pieces for layer in _layers(discriminator, mlp.Maxout)] == [5, 5, 5]
    assert not _layers(discriminator, keras.layers.BatchNormalization)  # the GAN may show it both halves at once
    assert discriminator(np.zeros((6, 2 * pack), np.float32)).shape == (6, 1)


def test_pacgan_weights_are_drawn_with_stddev_0_02_and_biases_zero():
    keras.utils.set_random_seed(1)
    discriminator = mlp.pacgan_discriminator(2)
    kernel = _layers(discriminator, keras.layers.Dense)[1].kernel.numpy()
    assert kernel.std() == pytest.approx(0.02, rel=0.05)  # 200,000 draws
    assert all(not np.any(layer.bias.numpy()) for layer in _layers(discriminator, keras.layers.Dense))


def test_maxout_takes_the_maximum_of_each_group_of_consecutive_pieces():
    x = np.array([[1.0, -2.0, 3.0, 0.5, 9.0, -1.0], [-4.0, -5.0, -6.0, 2.0, 1.5, 1.0]], np.float32)
    np.testing.assert_array_equal(mlp.Maxout(3)(x).numpy(), [[3.0, 9.0], [-4.0, 2.0]])
    np.testing.assert_array_equal(mlp.Maxout(2)(x).numpy(), [[1.0, 3.0, 9.0], [-4.0, 2.0, 1.5]])
    np.testing.assert_array_equal(mlp.Maxout(1)(x).numpy(), x)
    assert mlp.Maxout(3).compute_output_shape((None, 6)) == (None, 2)
    # The gradient flows to each group's largest piece only.
    x = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        total = tf.reduce_sum(mlp.Maxout(3)(x))
    np.testing.assert_array_equal(tape.gradient(total, x).numpy(), [[0, 0, 1, 0, 1, 0], [1, 0, 0, 1, 0, 0]])


def test_maxout_survives_a_keras_round_trip():
    layer = mlp.Maxout(5, name="m")
    again = keras.layers.deserialize(keras.layers.serialize(layer))
    assert isinstance(again, mlp.Maxout) and again.pieces == 5 and again.name == "m"
