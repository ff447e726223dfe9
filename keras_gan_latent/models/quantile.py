"""The quantile-function baseline: the exact map a 1-D generator should learn.

For a 1-D target with CDF F, x = F^-1(u) with u ~ U(0, 1) is an exact sampler
(the article's starting point). `QuantileGenerator` packages that map as a
Keras model with the same interface as a trained generator, so evaluation,
plots and export treat it like any other generator.
"""

import keras
import tensorflow as tf

from keras_gan_latent.errors import UserError


class QuantileGenerator(keras.Model):
    """Maps u in (0, 1) to the target through its inverse CDF.

    Args:
        target: A 1-D `Target` with a `quantile` function.
    """

    def __init__(self, target, **kwargs):
        super().__init__(name=f"quantile_{target.name}", **kwargs)
        if target.quantile is None or target.dim != 1:
            raise UserError(f"target {target.name!r} has no quantile function (only 1-D targets do)")
        self._quantile = target.quantile
        self.latent_dim = 1
        self.output_dim = 1
        self.build((None, 1))

    def call(self, z, training=False):
        # The quantile is infinite at 0 and 1 exactly; U[0, 1) can produce 0.
        eps = 1e-7
        u = tf.clip_by_value(tf.cast(z, tf.float32), eps, 1.0 - eps)
        return self._quantile(u)
