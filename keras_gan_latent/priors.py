"""Latent priors: the distributions the generator's input z is drawn from."""

import tensorflow as tf
import tensorflow_probability as tfp

from keras_gan_latent.errors import UserError

tfd = tfp.distributions

PRIOR_NAMES = ("normal", "uniform")


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
