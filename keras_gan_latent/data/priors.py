"""Latent priors: the distributions the generator's input z is drawn from."""

import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from keras_gan_latent.data import PRIOR_NAMES
from keras_gan_latent.errors import UserError

tfd = tfp.distributions


def latent_prior(name, latent_dim):
    """Builds a latent prior with event shape `[latent_dim]`.

    Args:
        name: `"uniform"` for U[0, 1)^k (the article's input for the 2-D
            Gaussian and the quantile function's domain) or `"normal"` for
            N(0, I_k).
        latent_dim: k, any integer >= 1.

    Returns:
        A float32 tfp distribution.

    Raises:
        UserError: for an unknown name or a latent_dim < 1.
    """
    if name not in PRIOR_NAMES:
        raise UserError(f"unknown prior {name!r}; valid priors: {', '.join(PRIOR_NAMES)}")
    if not isinstance(latent_dim, int) or latent_dim < 1:
        raise UserError(f"latent dim must be an integer >= 1, got {latent_dim!r}")
    if name == "uniform":
        return tfd.Independent(
            tfd.Uniform(low=tf.zeros([latent_dim]), high=tf.ones([latent_dim])),
            reinterpreted_batch_ndims=1,
        )
    return tfd.MultivariateNormalDiag(loc=tf.zeros([latent_dim]))


def prior_quantile(name, u):
    """Per-coordinate inverse CDF of a latent prior: u in (0, 1) -> z.

    Args:
        name: `"uniform"` (the identity) or `"normal"` (Phi^-1).
        u: Array of probability levels.

    Returns:
        A float64 numpy array of latent values, shaped like `u`.
    """
    u = np.asarray(u, np.float64)
    return u if name == "uniform" else tf.math.ndtri(tf.constant(u)).numpy()
