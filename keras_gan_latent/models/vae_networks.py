"""Encoder and decoder networks for the `VAE`.

Encoders map data to `(n, 2k)`: the means, then the log-variances, of the
diagonal Gaussian posterior q(z|x). Decoders map latents `(n, k)` to the
parameters of p(x|z): the MLP decoder to `(n, 2d)`, the means then the raw
log-scales of a diagonal Gaussian (toy targets); the convolutional decoder to
Bernoulli logits `(n, 28, 28, 1)` (MNIST). The output layers are linear and
float32 even under a mixed_float16 policy, so the distribution parameters
keep full precision. No batch normalisation: an example's ELBO must not
depend on the rest of its batch.
"""

import keras


def _mlp(input_dim, output_dim, width, depth, input_name, output_name, name):
    """Input -> depth x Dense(width, relu) -> linear float32 Dense(output_dim)."""
    inputs = keras.Input(shape=(input_dim,), name=input_name)
    h = inputs
    for i in range(depth):
        h = keras.layers.Dense(width, activation="relu", name=f"dense_{i}")(h)
    outputs = keras.layers.Dense(output_dim, name=output_name, dtype="float32")(h)
    return keras.Model(inputs, outputs, name=name)


def mlp_encoder(data_dim, latent_dim, width=256, depth=3, name="encoder"):
    """Builds the MLP encoder: R^data_dim -> (mean, log_var) of q(z|x).

    Args:
        data_dim: Data dimension d.
        latent_dim: Latent dimension k.
        width: Units per hidden layer (ReLU).
        depth: Number of hidden layers.
        name: Model name.

    Returns:
        A built functional `keras.Model`, `(n, d)` -> `(n, 2k)`.

    Examples:
        >>> encoder = mlp_encoder(2, 2, width=64)   # 2-D data, 2-D latents
    """
    return _mlp(data_dim, 2 * latent_dim, width, depth, "x", "moments", name)


def mlp_decoder(latent_dim, data_dim, width=256, depth=3, name="decoder"):
    """Builds the MLP Gaussian decoder: R^latent_dim -> (mean, raw log-scale) of p(x|z).

    Args:
        latent_dim: Latent dimension k.
        data_dim: Data dimension d.
        width: Units per hidden layer (ReLU).
        depth: Number of hidden layers.
        name: Model name.

    Returns:
        A built functional `keras.Model`, `(n, k)` -> `(n, 2d)`. At
        initialisation the raw log-scales are near 0 (scales near 1).
    """
    return _mlp(latent_dim, 2 * data_dim, width, depth, "z", "params", name)


def conv_encoder(latent_dim, name="encoder"):
    """Builds the convolutional encoder for 28x28 MNIST digits in [-1, 1].

    Conv(32, 4, stride 2) -> Conv(64, 4, stride 2) (ReLU, "same": 14x14, then
    7x7) -> Flatten -> Dense(2k).

    Args:
        latent_dim: Latent dimension k.
        name: Model name.

    Returns:
        A built functional `keras.Model`, `(n, 28, 28, 1)` -> `(n, 2k)`.
    """
    layers = keras.layers
    x = keras.Input(shape=(28, 28, 1), name="x")
    h = layers.Conv2D(32, 4, strides=2, padding="same", activation="relu", name="conv_0")(x)
    h = layers.Conv2D(64, 4, strides=2, padding="same", activation="relu", name="conv_1")(h)
    h = layers.Flatten()(h)
    moments = layers.Dense(2 * latent_dim, name="moments", dtype="float32")(h)
    return keras.Model(x, moments, name=name)


def conv_decoder(latent_dim, name="decoder"):
    """Builds the convolutional Bernoulli decoder for 28x28 MNIST digits.

    Dense(7*7*64) -> Reshape -> ConvTranspose(32, 4, stride 2) (ReLU, 14x14)
    -> ConvTranspose(1, 4, stride 2) (28x28, linear): the transpose of
    `conv_encoder`.

    Args:
        latent_dim: Latent dimension k.
        name: Model name.

    Returns:
        A built functional `keras.Model`, `(n, k)` -> logits `(n, 28, 28, 1)`.
    """
    layers = keras.layers
    z = keras.Input(shape=(latent_dim,), name="z")
    h = layers.Dense(7 * 7 * 64, activation="relu", name="dense_0")(z)
    h = layers.Reshape((7, 7, 64))(h)
    h = layers.Conv2DTranspose(32, 4, strides=2, padding="same", activation="relu", name="deconv_0")(h)
    logits = layers.Conv2DTranspose(1, 4, strides=2, padding="same", name="logits", dtype="float32")(h)
    return keras.Model(z, logits, name=name)
