"""Generator and discriminator networks for the toy (low-dimensional) targets.

Defaults are the article's: G is 3 x Dense(256, relu) -> Dense(out), linear;
D is 5 x [Dense(128), LeakyReLU(0.01)] -> Dense(1). D returns a logit (the
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
