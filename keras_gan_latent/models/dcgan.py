"""DCGAN generator and discriminator networks for 28x28 MNIST digits.

Three architectures (`ARCH_NAMES`):
  * `seed`: the seed study's published networks (REFERENCE.md), for faithful
    comparisons: G Dense(1024)-BN-ReLU -> Dense(7*7*128)-BN-ReLU ->
    UpSampling -> Conv(64, 5)-BN-ReLU -> UpSampling -> Conv(1, 5, tanh);
    D Conv(64, 5, s2, same) -> Conv(128, 5, s2, valid) -> Dense(256) ->
    Dropout(0.5) -> Dense(1), LeakyReLU(0.2) throughout.
  * `light` (default): a smaller DCGAN with strided transposed convolutions
    that learns all ten digit classes on a 2-core CPU in minutes.
  * `tutorial`: the networks of TensorFlow's DCGAN tutorial, wider than
    `light`: G Dense(7*7*256, no bias)-BN-LeakyReLU -> ConvT(128, 5, s1)-BN-
    LeakyReLU -> ConvT(64, 5, s2)-BN-LeakyReLU -> ConvT(1, 5, s2, tanh), no
    biases; D Conv(64, 5, s2)-LeakyReLU-Dropout(0.3) -> Conv(128, 5, s2)-
    LeakyReLU-Dropout(0.3) -> Dense(1); "same" padding and LeakyReLU(0.3)
    (the tutorial's Keras default) throughout.
Discriminators return logits; G outputs tanh images in [-1, 1]. The output
layers are float32 even under a mixed_float16 policy. `generator_body` and
`discriminator_body` hold each architecture's layers after the input; the
class-conditional networks (`cgan`) apply the same ones to inputs that carry
the label.

The seed generator's convolutions after an UpSampling2D are `UpsampledConv2D`:
the same layers, weights and outputs as plain `Conv2D`s, computed with 2.8x
fewer multiply-adds (see its docstring): a training step at batch 32 runs
about 1.3x faster with oneDNN and 1.6x without (`benchmarks.dcgan_speed`).
"""

import keras
import numpy as np

from keras_gan_latent.models import ARCH_NAMES
from keras_gan_latent.errors import UserError


@keras.saving.register_keras_serializable(package="keras_gan_latent")
class UpsampledConv2D(keras.layers.Conv2D):
    """A "same" `Conv2D` applied to the output of a nearest `UpSampling2D()` (x2).

    The layer, its weights (kernel `(k, k, c_in, c_out)`, bias) and its
    outputs are those of the plain `Conv2D` on the upsampled image (equal up
    to float rounding, about 1e-6 relative); only the arithmetic differs.
    The upsampled image is made of 2x2 blocks of equal pixels, so along each
    axis the k taps of an output pixel fall on only `2 * ceil(k // 2 / 2) + 1`
    pixels of the image before upsampling (3 for k = 5), and which taps share
    a pixel depends only on the output pixel's phase (row and column parity).
    So the layer takes the pre-upsampling image back (`inputs[:, ::2, ::2]`,
    exact), convolves it once with the four phases' summed kernels (3x3, 4 *
    c_out channels, built from the kernel at every call so gradients reach
    it) and interleaves the phases: for k = 5, 25/9 = 2.8x fewer multiply-adds
    and larger output channel counts (c_out = 1 is a slow case for CPU
    convolution kernels).

    Its input must be the output of `UpSampling2D(size=2, interpolation=
    "nearest")`; anything else gives wrong results. Supports only what the
    seed generator uses: stride 1, no dilation, one group, odd kernel sizes,
    channels_last.
    """

    def __init__(self, filters, kernel_size, **kwargs):
        super().__init__(filters, kernel_size, **kwargs)
        if (
            self.padding != "same"
            or self.strides != (1, 1)
            or self.dilation_rate != (1, 1)
            or self.groups != 1
            or self.data_format != "channels_last"
            or not all(k % 2 for k in self.kernel_size)
        ):
            raise ValueError(
                "UpsampledConv2D supports only padding='same', strides 1, no dilation, "
                "groups 1, channels_last and odd kernel sizes"
            )
        # taps[p][e, d] = 1: tap d of an output pixel of parity p reads pixel e
        # (offset e - m // 2) of the image before upsampling.
        self._taps = [_phase_taps(k) for k in self.kernel_size]

    def convolution_op(self, inputs, kernel):
        ops = keras.ops
        x = inputs[:, ::2, ::2, :]  # nearest x2 upsampling, undone exactly
        taps_h, taps_w = (ops.cast(t, kernel.dtype) for t in self._taps)
        # (2, mh, kh) x (2, mw, kw) x (kh, kw, c_in, c_out) -> (mh, mw, c_in, 2, 2, c_out)
        phases = ops.einsum("pay,qbx,yxio->abipqo", taps_h, taps_w, kernel)
        mh, mw, c_in = taps_h.shape[1], taps_w.shape[1], kernel.shape[2]
        phases = ops.reshape(phases, (mh, mw, c_in, 4 * self.filters))
        y = ops.conv(x, phases, strides=1, padding="same", data_format="channels_last")
        # (n, h, w, 2, 2, c_out) -> (n, h, 2, w, 2, c_out) -> (n, 2h, 2w, c_out)
        h, w = x.shape[1], x.shape[2]
        y = ops.reshape(y, (-1, h, w, 2, 2, self.filters))
        y = ops.transpose(y, (0, 1, 3, 2, 4, 5))
        return ops.reshape(y, (-1, 2 * h, 2 * w, self.filters))


def _phase_taps(kernel_size):
    """The (2, m, kernel_size) 0/1 matrix of `UpsampledConv2D` for one axis."""
    r = kernel_size // 2
    m = 2 * ((r + 1) // 2) + 1
    taps = np.zeros((2, m, kernel_size), np.float32)
    for parity in range(2):
        for d in range(kernel_size):
            # Upsampled pixel 2i + parity + (d - r) is pixel i + (parity + d - r) // 2.
            taps[parity, (parity + d - r) // 2 + m // 2, d] = 1.0
    return taps


TUTORIAL_LEAK = 0.3  # the negative slope of Keras's LeakyReLU() default, which TensorFlow's DCGAN tutorial uses


def check_arch(arch):
    """Raises `UserError` unless `arch` is one of `ARCH_NAMES`."""
    if arch not in ARCH_NAMES:
        raise UserError(f"unknown arch {arch!r}; valid archs: {', '.join(ARCH_NAMES)}")


def generator_body(h, arch):
    """The DCGAN generator's layers from its input vector to the image.

    `dcgan_generator` applies them to z, the conditional generator
    (`cgan`) to z concatenated with a label embedding; the layers, their
    names and their order are the same in both.

    Args:
        h: Symbolic float tensor (n, d), the generator's input vector.
        arch: One of `ARCH_NAMES` (checked by the caller).

    Returns:
        The symbolic image (n, 28, 28, 1), tanh in [-1, 1], float32.
    """
    layers = keras.layers
    if arch == "seed":
        h = layers.Dense(1024, name="dense_0")(h)
        h = layers.ReLU()(layers.BatchNormalization(name="bn_0")(h))
        h = layers.Dense(7 * 7 * 128, name="dense_1")(h)
        h = layers.ReLU()(layers.BatchNormalization(name="bn_1")(h))
        h = layers.Reshape((7, 7, 128))(h)
        h = layers.UpSampling2D()(h)
        h = UpsampledConv2D(64, 5, padding="same", name="conv_0")(h)
        h = layers.ReLU()(layers.BatchNormalization(name="bn_2")(h))
        h = layers.UpSampling2D()(h)
        return UpsampledConv2D(1, 5, padding="same", activation="tanh", name="image", dtype="float32")(h)
    if arch == "tutorial":
        h = layers.Dense(7 * 7 * 256, use_bias=False, name="dense_0")(h)
        h = layers.LeakyReLU(TUTORIAL_LEAK)(layers.BatchNormalization(name="bn_0")(h))
        h = layers.Reshape((7, 7, 256))(h)
        for i, (filters, strides) in enumerate([(128, 1), (64, 2)]):
            h = layers.Conv2DTranspose(filters, 5, strides=strides, padding="same", use_bias=False, name=f"deconv_{i}")(h)
            h = layers.LeakyReLU(TUTORIAL_LEAK)(layers.BatchNormalization(name=f"bn_{i + 1}")(h))
        return layers.Conv2DTranspose(
            1, 5, strides=2, padding="same", use_bias=False, activation="tanh", name="image", dtype="float32"
        )(h)
    h = layers.Dense(7 * 7 * 64, use_bias=False, name="dense_0")(h)
    h = layers.ReLU()(layers.BatchNormalization(name="bn_0")(h))
    h = layers.Reshape((7, 7, 64))(h)
    h = layers.Conv2DTranspose(32, 4, strides=2, padding="same", use_bias=False, name="deconv_0")(h)
    h = layers.ReLU()(layers.BatchNormalization(name="bn_1")(h))
    return layers.Conv2DTranspose(1, 4, strides=2, padding="same", activation="tanh", name="image", dtype="float32")(h)


def discriminator_body(x, arch, spectral_norm=False):
    """The DCGAN discriminator's layers from its input maps to the logit.

    `dcgan_discriminator` applies them to the image, the conditional
    discriminator (`cgan`) to the image with label maps as extra channels.

    Args:
        x: Symbolic float tensor (n, 28, 28, c): the image and any extra
            channels.
        arch: One of `ARCH_NAMES` (checked by the caller).
        spectral_norm: Wrap every Conv2D and Dense layer in spectral
            normalisation (`normalised`).

    Returns:
        The symbolic logit (n, 1), float32.
    """
    features = discriminator_features(x, arch, spectral_norm)  # built first: layer construction order fixes the initial weights
    return logit_layer(spectral_norm)(features)


def logit_layer(spectral_norm=False):
    """D's output layer on its features: Dense(1) named `logit`, float32, spectrally normalised if asked."""
    return normalised(keras.layers.Dense(1, name="logit", dtype="float32"), spectral_norm)


def normalised(layer, spectral_norm):
    """`layer`, or with `spectral_norm` the layer wrapped in `keras.layers.SpectralNormalization`.

    The wrapper (Miyato et al. 2018), named `sn_<layer name>` with the
    layer's dtype policy, keeps a power-iteration vector `vector_u` (a
    non-trainable weight, so checkpoints hold it). At every call in training
    mode it runs one power iteration and divides the layer's kernel by the
    estimated largest singular value in place (Keras's implementation: the
    kernel variable itself holds W / sigma, and gradients reach W / sigma,
    not W through sigma); in inference mode it uses the kernel as it is.
    """
    if not spectral_norm:
        return layer
    return keras.layers.SpectralNormalization(layer, name=f"sn_{layer.name}", dtype=layer.dtype_policy)


def discriminator_features(x, arch, spectral_norm=False):
    """The DCGAN discriminator's layers from its input maps to the features its logit reads.

    Args:
        x: Symbolic float tensor (n, 28, 28, c).
        arch: One of `ARCH_NAMES` (checked by the caller).
        spectral_norm: Wrap every Conv2D and Dense layer in spectral
            normalisation (`normalised`).

    Returns:
        The symbolic features (n, d): d = 3,136 (light), 256 (seed) or
        6,272 (tutorial).
    """
    layers = keras.layers

    def sn(layer):
        return normalised(layer, spectral_norm)

    if arch == "seed":
        h = layers.LeakyReLU(0.2)(sn(layers.Conv2D(64, 5, strides=2, padding="same", name="conv_0"))(x))
        h = layers.LeakyReLU(0.2)(sn(layers.Conv2D(128, 5, strides=2, padding="valid", name="conv_1"))(h))
        h = layers.Flatten()(h)
        h = layers.LeakyReLU(0.2)(sn(layers.Dense(256, name="dense_0"))(h))
        return layers.Dropout(0.5)(h)
    if arch == "tutorial":
        h = x
        for i, filters in enumerate((64, 128)):
            h = sn(layers.Conv2D(filters, 5, strides=2, padding="same", name=f"conv_{i}"))(h)
            h = layers.Dropout(0.3)(layers.LeakyReLU(TUTORIAL_LEAK)(h))
        return layers.Flatten()(h)
    h = layers.LeakyReLU(0.2)(sn(layers.Conv2D(32, 4, strides=2, padding="same", name="conv_0"))(x))
    h = layers.LeakyReLU(0.2)(sn(layers.Conv2D(64, 4, strides=2, padding="same", name="conv_1"))(h))
    return layers.Flatten()(h)


def dcgan_generator(latent_dim, arch="light", name="generator"):
    """Builds G: R^latent_dim -> (28, 28, 1) images in [-1, 1].

    Args:
        latent_dim: Latent dimension k.
        arch: One of `ARCH_NAMES`.
        name: Model name.

    Returns:
        A built functional `keras.Model`.
    """
    check_arch(arch)
    z = keras.Input(shape=(latent_dim,), name="z")
    return keras.Model(z, generator_body(z, arch), name=name)


def dcgan_discriminator(arch="light", name="discriminator", spectral_norm=False, pack=1):
    """Builds D: (28, 28, pack) images -> logit.

    Args:
        arch: One of `ARCH_NAMES`.
        name: Model name.
        spectral_norm: Spectrally normalise every Conv2D and Dense layer
            (`normalised`); off, the layers (and weights) are the plain ones.
        pack: m, the images a pack holds (PacGAN): D takes them as m
            channels (`models.gan.pack_samples`); 1: one image.

    Returns:
        A built functional `keras.Model` returning logits of shape (n, 1).
    """
    check_arch(arch)
    x = keras.Input(shape=(28, 28, pack), name="x")
    return keras.Model(x, discriminator_body(x, arch, spectral_norm), name=name)
