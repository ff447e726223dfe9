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

For a global change of the image (the 90-degree turn of `mnist_rot` moves
every pixel across the digit, the paper's stated failure case: geometry)
`dense_translator` and `image_critic` see the whole digit:

  * dense translator: d32, d64 (4x4, stride 2, instance norm, ReLU) to 7x7,
    flattened into a Dense(256) bottleneck and a Dense back to 7x7x64 (ReLU),
    then u32, u16 and c5s1-1 tanh as the ResNet's. The dense layers map every
    position to every other, so a permutation of the pixels (a rotation) is
    one linear map away.
  * image critic: the PatchGAN's C32, C64, then flattened into one logit per
    digit, a DCGAN-style discriminator that judges the whole 28x28 image.

A third translator keeps the ResNet and puts one learned global warp in
front of it:

  * affine translator: an affine map of the image plane (six numbers, the
    same for every digit, starting at the identity) resamples the input
    bilinearly (`AffineWarp`), then the ResNet translator works on the warped
    digit. A rotation is a path of small steps from the identity, so the
    adversarial gradient can turn the digit gradually; the ResNet is left
    the local change (thickening).

The fourth is told the family of the change, not which member:

  * dihedral translator: the ResNet behind a learned choice among the
    square's eight symmetries (the four quarter turns, each with and
    without a mirror image), a softmax mixture that starts uniform
    (`Symmetries`); the cycle loss drives the mixture to one symmetry (a
    blend loses the digit), the adversarial loss decides which.

`ARCHS` holds the pairs a run can choose (`--digit-arch`).

Images are in [-1, 1]; the noise z of an augmented translator enters as k
constant channels beside the pixels (`models.cyclegan.concat_noise`).
"""

import keras
import tensorflow as tf

from keras_gan_latent.data.mnist import IMAGE_SHAPE
from keras_gan_latent.models import DIGIT_ARCH_NAMES

FILTERS = 16  # the translator's first convolution; it doubles at each stride-2 step
RESIDUAL_BLOCKS = 3
CRITIC_FILTERS = 32
ENCODER_FILTERS = 16
LEAK = 0.2  # the paper's LeakyReLU slope in the critic
BOTTLENECK = 256  # the dense translator's code between its encoder and decoder
# The affine warp's parameters are stored divided by this gain, so Adam (whose steps are about its learning
# rate, 2e-4, in each stored number) moves the map's entries this many times faster: a quarter turn changes
# entries by 1, some 250 steps at gain 20 rather than 5,000.
WARP_GAIN = 20.0
BACKGROUND = -1.0  # the pixel value outside the image a warp brings in (black, images in [-1, 1])


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
    return _translator(_resnet, in_channels, out_channels, name)


def affine_translator(in_channels, out_channels=1, name="translator"):
    """The ResNet translator behind a learned global affine warp of its input, all channels warped alike
    (`AffineWarp`; see the module). Args and Returns as `resnet_translator`'s."""
    return _translator(lambda h, channels: _resnet(AffineWarp(name="warp")(h), channels), in_channels, out_channels, name)


def dihedral_translator(in_channels, out_channels=1, name="translator"):
    """The ResNet translator behind a learned mixture of the square's eight symmetries of its input
    (`Symmetries`; see the module). Args and Returns as `resnet_translator`'s."""
    return _translator(lambda h, channels: _resnet(Symmetries(name="turn")(h), channels), in_channels, out_channels, name)


def _translator(layers, in_channels, out_channels, name):
    """The `keras.Model` of `layers(inputs, out_channels)` on `(n, 28, 28, in_channels)` inputs."""
    inputs = keras.Input((*IMAGE_SHAPE, in_channels), name="x")
    return keras.Model(inputs, layers(inputs, out_channels), name=name)


def _resnet(inputs, out_channels):
    """The ResNet translator's layers from `inputs` (n, 28, 28, c) to its tanh image."""
    h = _conv_norm_relu(inputs, FILTERS, 5, 1, "c5s1")
    h = _conv_norm_relu(h, 2 * FILTERS, 3, 2, "d0")
    h = _conv_norm_relu(h, 4 * FILTERS, 3, 2, "d1")
    for i in range(RESIDUAL_BLOCKS):
        r = _conv_norm_relu(h, 4 * FILTERS, 3, 1, f"r{i}_a")
        r = keras.layers.Conv2D(4 * FILTERS, 3, padding="same", use_bias=False, name=f"r{i}_b")(r)
        h = keras.layers.Add()([h, _instance_norm(4 * FILTERS, f"r{i}_b_in")(r)])
    return _decode(h, out_channels)


class AffineWarp(keras.layers.Layer):
    """Images `(n, h, w, c)` resampled under one learned affine map of the plane, the same for every image.

    Output pixel p (coordinates in [-1, 1], x across, y down) takes the
    input's bilinear interpolation at A @ (p, 1), A a 2x3 matrix that starts
    as the identity; points outside the input read `BACKGROUND`. A is stored
    divided by `gain` (`WARP_GAIN`), so an optimiser moves it `gain` times
    faster than the other weights.

    Args:
        gain: The factor between the stored parameters and A.
        **kwargs: `keras.layers.Layer` arguments (name, ...).
    """

    def __init__(self, gain=WARP_GAIN, **kwargs):
        super().__init__(**kwargs)
        self.gain = float(gain)

    def build(self, input_shape):
        identity = [1.0, 0.0, 0.0, 0.0, 1.0, 0.0]
        self.stored = self.add_weight(
            name="affine", shape=(6,), initializer=keras.initializers.Constant([v / self.gain for v in identity]))

    def matrix(self):
        """A, the `(2, 3)` map from output to input coordinates."""
        return tf.reshape(tf.convert_to_tensor(self.stored) * self.gain, (2, 3))

    def call(self, images):
        height, width = images.shape[1], images.shape[2]
        ys, xs = tf.meshgrid(tf.linspace(-1.0, 1.0, height), tf.linspace(-1.0, 1.0, width), indexing="ij")
        points = tf.stack([tf.reshape(xs, [-1]), tf.reshape(ys, [-1]), tf.ones([height * width])], axis=1)
        source = tf.matmul(points, self.matrix(), transpose_b=True)  # (h * w, 2): x, y in [-1, 1] inside
        px, py = (source[:, 0] + 1.0) * 0.5 * (width - 1), (source[:, 1] + 1.0) * 0.5 * (height - 1)
        x0, y0 = tf.floor(px), tf.floor(py)
        flat = tf.reshape(images - BACKGROUND, [-1, height * width, images.shape[3]])  # background 0 outside
        out = 0.0
        for dx in (0.0, 1.0):
            for dy in (0.0, 1.0):
                xi, yi = x0 + dx, y0 + dy
                weight = (1.0 - tf.abs(px - xi)) * (1.0 - tf.abs(py - yi))
                inside = tf.cast((xi >= 0) & (xi <= width - 1) & (yi >= 0) & (yi <= height - 1), images.dtype)
                index = tf.cast(tf.clip_by_value(yi, 0, height - 1) * width + tf.clip_by_value(xi, 0, width - 1), tf.int32)
                out += tf.gather(flat, index, axis=1) * (weight * inside)[None, :, None]
        return tf.reshape(out, tf.shape(images)) + BACKGROUND

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}


class Symmetries(keras.layers.Layer):
    """Square images `(n, h, h, c)` as a learned softmax mixture of their eight symmetries, the same for every image.

    Symmetry i < 4 turns the image i quarter turns counter-clockwise, i >= 4
    mirrors it left to right first. The mixture's logits start at 0 (all
    eight alike) and are stored divided by `gain` (`WARP_GAIN`), so an
    optimiser moves them `gain` times faster than the other weights.

    Args:
        gain: The factor between the stored logits and the mixture's.
        **kwargs: `keras.layers.Layer` arguments (name, ...).
    """

    def __init__(self, gain=WARP_GAIN, **kwargs):
        super().__init__(**kwargs)
        self.gain = float(gain)

    def build(self, input_shape):
        self.stored = self.add_weight(name="logits", shape=(8,), initializer="zeros")

    def weights_of_symmetries(self):
        """The mixture's eight weights (softmax of the logits), in the order above."""
        return tf.nn.softmax(tf.convert_to_tensor(self.stored) * self.gain)

    def call(self, images):
        mirrored = tf.reverse(images, axis=[2])
        turned = [tf.image.rot90(image, k) for image in (images, mirrored) for k in range(4)]
        weights = self.weights_of_symmetries()
        return tf.add_n([weights[i] * image for i, image in enumerate(turned)])

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self):
        return {**super().get_config(), "gain": self.gain}


def _decode(h, out_channels):
    """The translators' way up from 7x7: u32, u16, c5s1-`out_channels` tanh."""
    h = _conv_norm_relu(h, 2 * FILTERS, 3, 2, "u0", transpose=True)
    h = _conv_norm_relu(h, FILTERS, 3, 2, "u1", transpose=True)
    return keras.layers.Conv2D(out_channels, 5, padding="same", activation="tanh", name="image", dtype="float32")(h)


def dense_translator(in_channels, out_channels=1, name="translator"):
    """A translator through a dense bottleneck (see the module). Args and Returns as `resnet_translator`'s."""
    return _translator(_dense, in_channels, out_channels, name)


def _dense(inputs, out_channels):
    """The dense translator's layers: d32, d64 to 7x7, Dense bottleneck and back, then `_decode`."""
    h = _conv_norm_relu(inputs, 2 * FILTERS, 4, 2, "d0")
    h = _conv_norm_relu(h, 4 * FILTERS, 4, 2, "d1")
    grid = tuple(h.shape[1:])
    h = keras.layers.Dense(BOTTLENECK, activation="relu", name="bottleneck")(keras.layers.Flatten()(h))
    h = keras.layers.Dense(grid[0] * grid[1] * grid[2], activation="relu", name="expand")(h)
    return _decode(keras.layers.Reshape(grid)(h), out_channels)


def patch_critic(channels=1, name="critic"):
    """A PatchGAN critic `(n, 28, 28, channels)` -> `(n, 7, 7, 1)` logits, one per 18x18 patch."""
    inputs = keras.Input((*IMAGE_SHAPE, channels), name="x")
    logits = keras.layers.Conv2D(1, 3, padding="same", name="logit", dtype="float32")(_critic_features(inputs))
    return keras.Model(inputs, logits, name=name)


def image_critic(channels=1, name="critic"):
    """A whole-image critic `(n, 28, 28, channels)` -> `(n, 1)` logits: the PatchGAN's layers, then one Dense logit per digit."""
    inputs = keras.Input((*IMAGE_SHAPE, channels), name="x")
    h = keras.layers.Flatten()(_critic_features(inputs))
    return keras.Model(inputs, keras.layers.Dense(1, name="logit", dtype="float32")(h), name=name)


def _critic_features(inputs):
    """C32 (no normalisation), C64: 4x4 stride-2 convolutions to 7x7, LeakyReLU(0.2)."""
    h = keras.layers.Conv2D(CRITIC_FILTERS, 4, strides=2, padding="same", name="c0")(inputs)
    h = keras.layers.LeakyReLU(LEAK)(h)
    h = keras.layers.Conv2D(2 * CRITIC_FILTERS, 4, strides=2, padding="same", use_bias=False, name="c1")(h)
    return keras.layers.LeakyReLU(LEAK)(_instance_norm(2 * CRITIC_FILTERS, "c1_in")(h))


# `--digit-arch` value (`models.DIGIT_ARCH_NAMES`) -> its (translator, critic) builders.
ARCHS = dict(zip(DIGIT_ARCH_NAMES, (
    (resnet_translator, patch_critic),
    (dense_translator, patch_critic),
    (dense_translator, image_critic),
    (affine_translator, patch_critic),
    (dihedral_translator, patch_critic),
)))


def digit_encoder(channels, noise_dim, name="encoder"):
    """An encoder `(n, 28, 28, channels)` (x and y stacked) -> `(n, noise_dim)` of the noise that made y."""
    inputs = keras.Input((*IMAGE_SHAPE, channels), name="xy")
    h = inputs
    for i, filters in enumerate((ENCODER_FILTERS, 2 * ENCODER_FILTERS)):
        h = keras.layers.LeakyReLU(LEAK)(keras.layers.Conv2D(filters, 4, strides=2, padding="same", name=f"c{i}")(h))
    z = keras.layers.Dense(noise_dim, name="z", dtype="float32")(keras.layers.Flatten()(h))
    return keras.Model(inputs, z, name=name)
