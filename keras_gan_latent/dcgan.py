"""DCGAN generator and discriminator networks for 28x28 MNIST digits.

Two sizes:
  * `seed`: the seed study's published networks (REFERENCE.md), for faithful
    comparisons: G Dense(1024)-BN-ReLU -> Dense(7*7*128)-BN-ReLU ->
    UpSampling -> Conv(64, 5)-BN-ReLU -> UpSampling -> Conv(1, 5, tanh);
    D Conv(64, 5, s2, same) -> Conv(128, 5, s2, valid) -> Dense(256) ->
    Dropout(0.5) -> Dense(1), LeakyReLU(0.2) throughout.
  * `light` (default): a smaller DCGAN with strided transposed convolutions
    that learns all ten digit classes on a 2-core CPU in minutes.
Discriminators return logits; G outputs tanh images in [-1, 1]. The output
layers are float32 even under a mixed_float16 policy.
"""

import keras

from keras_gan_latent.config import ARCH_DEFAULTS
from keras_gan_latent.errors import UserError

ARCH_NAMES = tuple(sorted(ARCH_DEFAULTS))


def _check_arch(arch):
    if arch not in ARCH_NAMES:
        raise UserError(f"unknown arch {arch!r}; valid archs: {', '.join(ARCH_NAMES)}")


def dcgan_generator(latent_dim, arch="light", name="generator"):
    """Builds G: R^latent_dim -> (28, 28, 1) images in [-1, 1].

    Args:
        latent_dim: Latent dimension k.
        arch: `"light"` or `"seed"`.
        name: Model name.

    Returns:
        A built functional `keras.Model`.
    """
    _check_arch(arch)
    layers = keras.layers
    z = keras.Input(shape=(latent_dim,), name="z")
    if arch == "seed":
        h = layers.Dense(1024, name="dense_0")(z)
        h = layers.ReLU()(layers.BatchNormalization(name="bn_0")(h))
        h = layers.Dense(7 * 7 * 128, name="dense_1")(h)
        h = layers.ReLU()(layers.BatchNormalization(name="bn_1")(h))
        h = layers.Reshape((7, 7, 128))(h)
        h = layers.UpSampling2D()(h)
        h = layers.Conv2D(64, 5, padding="same", name="conv_0")(h)
        h = layers.ReLU()(layers.BatchNormalization(name="bn_2")(h))
        h = layers.UpSampling2D()(h)
        x = layers.Conv2D(1, 5, padding="same", activation="tanh", name="image", dtype="float32")(h)
    else:
        h = layers.Dense(7 * 7 * 64, use_bias=False, name="dense_0")(z)
        h = layers.ReLU()(layers.BatchNormalization(name="bn_0")(h))
        h = layers.Reshape((7, 7, 64))(h)
        h = layers.Conv2DTranspose(32, 4, strides=2, padding="same", use_bias=False, name="deconv_0")(h)
        h = layers.ReLU()(layers.BatchNormalization(name="bn_1")(h))
        x = layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh", name="image", dtype="float32")(h)
    return keras.Model(z, x, name=name)


def dcgan_discriminator(arch="light", name="discriminator"):
    """Builds D: (28, 28, 1) images -> logit.

    Args:
        arch: `"light"` or `"seed"`.
        name: Model name.

    Returns:
        A built functional `keras.Model` returning logits of shape (n, 1).
    """
    _check_arch(arch)
    layers = keras.layers
    x = keras.Input(shape=(28, 28, 1), name="x")
    if arch == "seed":
        h = layers.LeakyReLU(0.2)(layers.Conv2D(64, 5, strides=2, padding="same", name="conv_0")(x))
        h = layers.LeakyReLU(0.2)(layers.Conv2D(128, 5, strides=2, padding="valid", name="conv_1")(h))
        h = layers.Flatten()(h)
        h = layers.LeakyReLU(0.2)(layers.Dense(256, name="dense_0")(h))
        h = layers.Dropout(0.5)(h)
    else:
        h = layers.LeakyReLU(0.2)(layers.Conv2D(32, 4, strides=2, padding="same", name="conv_0")(x))
        h = layers.LeakyReLU(0.2)(layers.Conv2D(64, 4, strides=2, padding="same", name="conv_1")(h))
        h = layers.Flatten()(h)
    logit = layers.Dense(1, name="logit", dtype="float32")(h)
    return keras.Model(x, logit, name=name)
