"""Generator and discriminator networks for the toy (low-dimensional) targets.

Two sets (`models.MLP_ARCH_NAMES`). The article's (`mlp_generator`,
`mlp_discriminator`): G is 3 x Dense(256, relu) -> Dense(out), linear; D is
5 x [Dense(128), LeakyReLU(0.01)] -> Dense(1). PacGAN's (Lin et al. 2018, as
its authors' code builds them for the 2-D mixtures: `pacgan_generator`,
`pacgan_discriminator`): G is 4 x [Dense(400, no bias), BatchNorm, ReLU] ->
Dense(out); D is 3 maxout layers of 200 units with 5 pieces -> Dense(1);
weights of both drawn from N(0, 0.02^2), biases 0. D returns a logit (the
sigmoid lives in the loss, which is numerically safer than a sigmoid layer).
The output layers are float32 even under a mixed_float16 policy, so samples
and logits keep full precision.
"""

from __future__ import annotations

import keras


def mlp_generator(latent_dim: int, output_dim: int, width: int = 256, depth: int = 3, name: str = "generator") -> keras.Model:
    """Builds the MLP generator G: R^latent_dim -> R^output_dim.

    Args:
        latent_dim: Input dimension k.
        output_dim: Sample-space dimension.
        width: Units per hidden layer.
        depth: Number of hidden layers.
        name: Model name.

    Returns:
        A built functional `keras.Model`.
    """
    z = keras.Input(shape=(latent_dim,), name="z")
    h = z
    for i in range(depth):
        h = keras.layers.Dense(width, activation="relu", name=f"dense_{i}")(h)
    x = keras.layers.Dense(output_dim, name="sample", dtype="float32")(h)
    return keras.Model(z, x, name=name)


def mlp_discriminator(
    input_dim: int, width: int = 128, depth: int = 5, leak: float = 0.01, name: str = "discriminator", pack: int = 1
) -> keras.Model:
    """Builds the MLP discriminator D: R^(pack * input_dim) -> logit.

    Args:
        input_dim: Sample-space dimension.
        width: Units per hidden layer.
        depth: Number of hidden layers.
        leak: Negative slope of the LeakyReLU activations.
        name: Model name.
        pack: m, the samples a pack holds (PacGAN): D reads them
            concatenated, `pack * input_dim` numbers (`models.gan.pack_samples`).

    Returns:
        A built functional `keras.Model` returning logits of shape (n, 1).
    """
    x = keras.Input(shape=(pack * input_dim,), name="x")
    h = x
    for i in range(depth):
        h = keras.layers.Dense(width, name=f"dense_{i}")(h)
        h = keras.layers.LeakyReLU(negative_slope=leak, name=f"leaky_relu_{i}")(h)
    logit = keras.layers.Dense(1, name="logit", dtype="float32")(h)
    return keras.Model(x, logit, name=name)


# PacGAN's networks for the 2-D mixtures, as its authors' code builds them.
PACGAN_INIT_STDDEV = 0.02  # weights ~ N(0, 0.02^2), biases 0
PACGAN_BATCHNORM_MOMENTUM = 0.95  # G's moving statistics: 0.95 old + 0.05 new per step
PACGAN_BATCHNORM_EPSILON = 1e-4
PACGAN_MAXOUT_PIECES = 5


@keras.saving.register_keras_serializable(package="keras_gan_latent")
class Maxout(keras.layers.Layer):
    """The maximum over groups of `pieces` consecutive features (Goodfellow et al. 2013).

    Input `(n, units * pieces)`, output `(n, units)`: output j is the
    maximum of inputs `j * pieces .. j * pieces + pieces - 1`.

    Args:
        pieces: The group size, >= 1.
    """

    def __init__(self, pieces, **kwargs):
        super().__init__(**kwargs)
        self.pieces = int(pieces)

    def call(self, x):
        units = x.shape[-1] // self.pieces
        return keras.ops.max(keras.ops.reshape(x, (-1, units, self.pieces)), axis=-1)

    def compute_output_shape(self, input_shape):
        return (*input_shape[:-1], input_shape[-1] // self.pieces)

    def get_config(self):
        return {**super().get_config(), "pieces": self.pieces}


def _pacgan_init():
    return keras.initializers.RandomNormal(stddev=PACGAN_INIT_STDDEV)


def pacgan_generator(latent_dim: int, output_dim: int, width: int = 400, depth: int = 4, name: str = "generator") -> keras.Model:
    """Builds PacGAN's generator: `depth` x [Dense(width, no bias), BatchNorm, ReLU] -> Dense(output_dim).

    The BatchNorm layers normalise with the batch's statistics when called
    with `training=True` (the GAN's train step) and with their moving
    averages (momentum `PACGAN_BATCHNORM_MOMENTUM`) otherwise (samples,
    summaries, the export).

    Args:
        latent_dim: G's input dimension k (with a code: K + k).
        output_dim: The samples' dimension.
        width: Units per hidden layer (PacGAN's 400).
        depth: Number of hidden layers (PacGAN's 4).
        name: The model's name.

    Returns:
        A built functional `keras.Model`.
    """
    h = z = keras.Input(shape=(latent_dim,), name="z")
    for i in range(depth):
        h = keras.layers.Dense(width, use_bias=False, kernel_initializer=_pacgan_init(), name=f"dense_{i}")(h)
        h = keras.layers.BatchNormalization(
            momentum=PACGAN_BATCHNORM_MOMENTUM, epsilon=PACGAN_BATCHNORM_EPSILON, name=f"batch_norm_{i}"
        )(h)
        h = keras.layers.ReLU(name=f"relu_{i}")(h)
    x = keras.layers.Dense(output_dim, kernel_initializer=_pacgan_init(), name="sample", dtype="float32")(h)
    return keras.Model(z, x, name=name)


def pacgan_discriminator(
    input_dim: int, width: int = 200, depth: int = 3, pieces: int = PACGAN_MAXOUT_PIECES, name: str = "discriminator",
    pack: int = 1,
) -> keras.Model:
    """Builds PacGAN's discriminator: `depth` maxout layers of `width` units -> Dense(1), reading `pack * input_dim` numbers.

    A maxout layer is Dense(width * pieces) followed by `Maxout(pieces)`.

    Args:
        input_dim: The samples' dimension.
        width: Units per maxout layer (PacGAN's 200).
        depth: Number of maxout layers (PacGAN's 3).
        pieces: Linear pieces per unit (PacGAN's 5).
        name: The model's name.
        pack: m, the samples a pack holds (see `mlp_discriminator`).

    Returns:
        A built functional `keras.Model` returning logits of shape (n, 1).
    """
    h = x = keras.Input(shape=(pack * input_dim,), name="x")
    for i in range(depth):
        h = keras.layers.Dense(width * pieces, kernel_initializer=_pacgan_init(), name=f"dense_{i}")(h)
        h = Maxout(pieces, name=f"maxout_{i}")(h)
    logit = keras.layers.Dense(1, kernel_initializer=_pacgan_init(), name="logit", dtype="float32")(h)
    return keras.Model(x, logit, name=name)


# --arch of the toy GAN -> (generator builder, discriminator builder).
NETWORKS = {"article": (mlp_generator, mlp_discriminator), "pacgan": (pacgan_generator, pacgan_discriminator)}
