"""The DCGAN networks: the seed generator's fast convolutions compute the published layers."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan_latent.models import dcgan


@pytest.mark.parametrize("filters, kernel_size, channels", [(64, 5, 128), (1, 5, 64), (8, 3, 4), (4, 7, 2)])
def test_upsampled_conv_equals_conv_after_upsampling(filters, kernel_size, channels):
    rng = np.random.default_rng(0)
    x = tf.constant(rng.normal(size=(3, 7, 9, channels)).astype("float32"))
    upsampled = keras.layers.UpSampling2D()(x)
    plain = keras.layers.Conv2D(filters, kernel_size, padding="same")
    fast = dcgan.UpsampledConv2D(filters, kernel_size, padding="same")
    plain.build(upsampled.shape)
    fast.build(upsampled.shape)
    kernel = rng.normal(size=plain.kernel.shape).astype("float32")
    bias = rng.normal(size=plain.bias.shape).astype("float32")
    plain.set_weights([kernel, bias])
    fast.set_weights([kernel, bias])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(upsampled)
        y_plain, y_fast = plain(upsampled), fast(upsampled)
        loss_plain, loss_fast = tf.reduce_sum(y_plain**2), tf.reduce_sum(y_fast**2)
    scale = float(tf.reduce_max(tf.abs(y_plain)))
    np.testing.assert_allclose(y_fast.numpy(), y_plain.numpy(), atol=1e-5 * scale)
    g_plain = tape.gradient(loss_plain, plain.kernel)
    g_fast = tape.gradient(loss_fast, fast.kernel)
    np.testing.assert_allclose(g_fast.numpy(), g_plain.numpy(), rtol=1e-4, atol=1e-4 * float(tf.reduce_max(tf.abs(g_plain))))


def test_seed_generator_has_the_published_layers_and_shapes():
    generator = dcgan.dcgan_generator(100, "seed")
    shapes = [(w.path, tuple(w.shape)) for w in generator.trainable_weights]
    assert shapes == [
        ("dense_0/kernel", (100, 1024)), ("dense_0/bias", (1024,)), ("bn_0/gamma", (1024,)), ("bn_0/beta", (1024,)),
        ("dense_1/kernel", (1024, 6272)), ("dense_1/bias", (6272,)), ("bn_1/gamma", (6272,)), ("bn_1/beta", (6272,)),
        ("conv_0/kernel", (5, 5, 128, 64)), ("conv_0/bias", (64,)), ("bn_2/gamma", (64,)), ("bn_2/beta", (64,)),
        ("image/kernel", (5, 5, 64, 1)), ("image/bias", (1,)),
    ]
    assert generator.output_shape == (None, 28, 28, 1)


def test_upsampled_conv_refuses_what_it_cannot_compute():
    with pytest.raises(ValueError, match="padding='same'"):
        dcgan.UpsampledConv2D(4, 5, padding="valid")
    with pytest.raises(ValueError, match="odd kernel sizes"):
        dcgan.UpsampledConv2D(4, 4, padding="same")
