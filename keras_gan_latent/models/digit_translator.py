"""Convolutional translators, critics and noise encoders for 28x28 digits (`--model cyclegan` on MNIST domains).

The CycleGAN paper's networks scaled down to 28x28 and a 2-core CPU:

  * translator (G, F): its ResNet generator, c5s1-16, d32, d64, R64 x 3, u32,
    u16, c5s1-1 tanh (paper: c7s1-64, d128, d256, R256 x 9, u128, u64,
    c7s1-3), instance normalisation and ReLU after every convolution but the
    last. Two stride-2 steps bring a 28x28 digit to 7x7, where the residual
    blocks see the whole digit: a 90-degree rotation moves pixels across it.
  * critic (D_X, D_Y): a PatchGAN, C32 (no normalisation), C64, then a 3x3
    convolution to one logit per patch, LeakyReLU(0.2): a (7, 7, 1) map of
    logits, each judging an 18x18 patch (paper: C64-C128-C256-C512, 70x70
    patches of 256x256 images).
  * encoder (E_x, E_y, Augmented CycleGAN): x and y stacked as two channels,
    C16 and C32 (4x4, stride 2, LeakyReLU(0.2)), then a linear Dense(k).

Images are in [-1, 1]; the noise z of an augmented translator enters as k
constant channels beside the pixels (`models.cyclegan.concat_noise`).
"""

import keras

from keras_gan_latent.data.mnist import IMAGE_SHAPE

FILTERS = 16  # the translator's first convolution; it doubles at each stride-2 step
RESIDUAL_BLOCKS = 3
CRITIC_FILTERS = 32
ENCODER_FILTERS = 16
LEAK = 0.2  # the paper's LeakyReLU slope in the critic


def _instance_norm(channels, name):
    """Instance normalisation: one group per channel."""
    return keras.layers.GroupNormalization(groups=channels, name=name)


def _conv_norm_relu(h, filters, kernel, strides, name, transpose=False):
    conv = keras.layers.Conv2DTranspose if transpose else keras.layers.Conv2D
    h = conv(filters, kernel, strides=strides, padding="same", use_bias=False, name=name)(h)
    return keras.layers.ReLU()(_instance_norm(filters, f"{name}_in")(h))


def resnet_translator(in_channels, out_channels=1, name="translator"):
    """A translator `(n, 28, 28, in_channels)` -> `(n, 28, 28, out_channels)` tanh digits (see the module).

    Args:
        in_channels: The image's channels plus the translator noise k.
        out_channels: The output image's channels.
        name: Model name.

    Returns:
        A built functional `keras.Model`.
    """
    inputs = keras.Input((*IMAGE_SHAPE, in_channels), name="x")
    h = _conv_norm_relu(inputs, FILTERS, 5, 1, "c5s1")
    h = _conv_norm_relu(h, 2 * FILTERS, 3, 2, "d0")
    h = _conv_norm_relu(h, 4 * FILTERS, 3, 2, "d1")
    for i in range(RESIDUAL_BLOCKS):
        r = _conv_norm_relu(h, 4 * FILTERS, 3, 1, f"r{i}_a")
        r = keras.layers.Conv2D(4 * FILTERS, 3, padding="same", use_bias=False, name=f"r{i}_b")(r)
        h = keras.layers.Add()([h, _instance_norm(4 * FILTERS, f"r{i}_b_in")(r)])
    h = _conv_norm_relu(h, 2 * FILTERS, 3, 2, "u0", transpose=True)
    h = _conv_norm_relu(h, FILTERS, 3, 2, "u1", transpose=True)
    image = keras.layers.Conv2D(out_channels, 5, padding="same", activation="tanh", name="image", dtype="float32")(h)
    return keras.Model(inputs, image, name=name)


def patch_critic(channels=1, name="critic"):
    """A PatchGAN critic `(n, 28, 28, channels)` -> `(n, 7, 7, 1)` logits, one per 18x18 patch."""
    inputs = keras.Input((*IMAGE_SHAPE, channels), name="x")
    h = keras.layers.Conv2D(CRITIC_FILTERS, 4, strides=2, padding="same", name="c0")(inputs)
    h = keras.layers.LeakyReLU(LEAK)(h)
    h = keras.layers.Conv2D(2 * CRITIC_FILTERS, 4, strides=2, padding="same", use_bias=False, name="c1")(h)
    h = keras.layers.LeakyReLU(LEAK)(_instance_norm(2 * CRITIC_FILTERS, "c1_in")(h))
    logits = keras.layers.Conv2D(1, 3, padding="same", name="logit", dtype="float32")(h)
    return keras.Model(inputs, logits, name=name)


def digit_encoder(channels, noise_dim, name="encoder"):
    """An encoder `(n, 28, 28, channels)` (x and y stacked) -> `(n, noise_dim)` of the noise that made y."""
    inputs = keras.Input((*IMAGE_SHAPE, channels), name="xy")
    h = inputs
    for i, filters in enumerate((ENCODER_FILTERS, 2 * ENCODER_FILTERS)):
        h = keras.layers.LeakyReLU(LEAK)(keras.layers.Conv2D(filters, 4, strides=2, padding="same", name=f"c{i}")(h))
    z = keras.layers.Dense(noise_dim, name="z", dtype="float32")(keras.layers.Flatten()(h))
    return keras.Model(inputs, z, name=name)
