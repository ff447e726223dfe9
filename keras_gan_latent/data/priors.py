"""Latent priors: the distributions the generator's input z is drawn from."""

from __future__ import annotations

import functools

import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from keras_gan_latent.checks import is_integer
from keras_gan_latent.data import PRIOR_NAMES, check_truncation
from keras_gan_latent.errors import UserError

tfd = tfp.distributions

MIXTURE_COMPONENTS = 10
"""The `mixture` prior's number of equally likely Gaussian components."""
MIXTURE_SCALE = 0.2
"""The standard deviation of each `mixture` component, per coordinate."""
MIXTURE_SEED = 0
"""Seeds the per-coordinate permutations that place the `mixture` centres."""
_QUANTILE_GRID = np.linspace(-6.0, 6.0, 24001)  # where the mixture's marginal CDF is inverted


def mixture_centres(latent_dim):
    """The `mixture` prior's component centres, `(MIXTURE_COMPONENTS, latent_dim)` float64.

    Coordinate d of centre j is `v[perm_d[j]]`, where `v` are the standard
    normal's quantiles at levels (j + 1/2) / MIXTURE_COMPONENTS and `perm_d`
    is a permutation drawn with `MIXTURE_SEED`: every coordinate takes the
    same ten values (so every coordinate has the same marginal, and
    `prior_quantile` is one function), in a different order per coordinate
    (so in two or more dimensions the centres are spread apart, about
    sqrt(1.7 k) from each other; in one dimension neighbouring centres are
    only 0.25 to 0.6 apart and the clusters overlap). The same on every
    machine.
    """
    levels = (np.arange(MIXTURE_COMPONENTS) + 0.5) / MIXTURE_COMPONENTS
    values = tf.math.ndtri(tf.constant(levels, tf.float64)).numpy()
    rng = np.random.RandomState(MIXTURE_SEED)
    return np.stack([values[rng.permutation(MIXTURE_COMPONENTS)] for _ in range(latent_dim)], axis=1)


def latent_prior(name: str, latent_dim: int) -> tfp.distributions.Distribution:
    """Builds a latent prior with event shape `[latent_dim]`.

    Args:
        name: `"uniform"` for U[0, 1)^k (the article's input for the 2-D
            Gaussian and the quantile function's domain), `"normal"` for
            N(0, I_k), or `"mixture"`: an equal mixture of
            `MIXTURE_COMPONENTS` Gaussians N(c_j, MIXTURE_SCALE^2 I_k) at the
            fixed centres `mixture_centres(k)` (a latent made of ten
            separated clusters, for data made of separated classes, as in
            Ben-Yosef & Weinshall 2018's static GM-GAN).
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
    if name == "mixture":
        centres = tf.constant(mixture_centres(latent_dim), tf.float32)
        return tfd.MixtureSameFamily(
            mixture_distribution=tfd.Categorical(logits=tf.zeros([MIXTURE_COMPONENTS])),
            components_distribution=tfd.MultivariateNormalDiag(
                loc=centres, scale_diag=tf.fill([MIXTURE_COMPONENTS, latent_dim], MIXTURE_SCALE)
            ),
        )
    return tfd.MultivariateNormalDiag(loc=tf.zeros([latent_dim]))


def run_prior(config):
    """A run's latent prior: `latent_prior(config.prior, config.latent_dim)`, with `config.latent_code` codes in front if set."""
    continuous = latent_prior(config.prior, config.latent_dim)
    return coded_prior(continuous, config.latent_code) if getattr(config, "latent_code", 0) else continuous


def coded_prior(continuous, num_codes):
    """A latent with a discrete part (InfoGAN, Chen et al. 2016): z = (one-hot code c, continuous part).

    c ~ Cat(num_codes) uniform, one-hot in the first `num_codes` coordinates;
    the continuous part, drawn independently from `continuous`, fills the
    rest. The generator sees all `num_codes + k` numbers.

    Args:
        continuous: The continuous prior (`latent_prior(name, k)`), event shape `[k]`.
        num_codes: K >= 2, the number of codes.

    Returns:
        A float32 tfp distribution of event shape `[num_codes + k]`, whose
        `distributions` are `(the categorical code, continuous)`.

    Raises:
        UserError: for a `num_codes` that is not an integer >= 2.
    """
    check_num_codes(num_codes)
    code = tfd.OneHotCategorical(logits=tf.zeros([num_codes]), dtype=tf.float32)
    return tfd.Blockwise([code, continuous])


def check_num_codes(num_codes):
    """Returns `num_codes` as an int; raises `UserError` unless it is an integer >= 2 (one code is no code)."""
    if not is_integer(num_codes) or num_codes < 2:
        raise UserError(f"latent code must have at least 2 values (0: no code), got {num_codes!r}")
    return int(num_codes)


def coded_latents(continuous_latents, codes, num_codes):
    """Latents of a coded prior with chosen codes: `(one_hot(codes), continuous_latents)` concatenated.

    Args:
        continuous_latents: `(n, k)` float32 continuous parts.
        codes: `(n,)` int32 codes in 0..num_codes-1 (unchecked).
        num_codes: K.

    Returns:
        `(n, num_codes + k)` float32 latents, a tensor.
    """
    return tf.concat([tf.one_hot(codes, num_codes, dtype=tf.float32), continuous_latents], axis=-1)


@functools.lru_cache(maxsize=1)
def _mixture_marginal_cdf():
    """The `mixture` prior's per-coordinate CDF on `_QUANTILE_GRID` (computed once per process)."""
    from scipy.special import ndtr

    values = mixture_centres(1)[:, 0]
    cdf = ndtr((_QUANTILE_GRID[:, None] - values[None, :]) / MIXTURE_SCALE).mean(axis=1)
    cdf.setflags(write=False)
    return cdf


def prior_quantile(name, u):
    """Per-coordinate inverse CDF of a latent prior: u in (0, 1) -> z.

    Args:
        name: `"uniform"` (the identity), `"normal"` (Phi^-1) or `"mixture"`
            (the inverse of the marginal CDF every coordinate shares, mean_j
            Phi((z - v_j) / MIXTURE_SCALE), inverted on a grid of step 5e-4).
        u: Array of probability levels.

    Returns:
        A float64 numpy array of latent values, shaped like `u`.
    """
    u = np.asarray(u, np.float64)
    if name == "uniform":
        return u
    if name == "mixture":
        return np.interp(u, _mixture_marginal_cdf(), _QUANTILE_GRID)
    return tf.math.ndtri(tf.constant(u)).numpy()


def prior_centre(name, latent_dim):
    """The point truncation pulls latents toward: the prior's mean.

    Args:
        name: `"normal"` (the origin) or `"uniform"` (0.5 in every coordinate);
            None when a run config does not record its prior.
        latent_dim: k.

    Returns:
        A `(latent_dim,)` float32 numpy array.

    Raises:
        UserError: for `"mixture"`, whose mean lies between its clusters (a
            sample pulled toward it leaves the prior's support), None, or an
            unknown name.
    """
    if name is None:
        raise UserError("truncation needs the export's prior, and this export's run config does not record one")
    if name == "normal":
        return np.zeros([latent_dim], np.float32)
    if name == "uniform":
        return np.full([latent_dim], 0.5, np.float32)
    usable = ", ".join(n for n in PRIOR_NAMES if n != "mixture")
    raise UserError(f"truncation needs a prior with one centre ({usable}); this generator's prior is {name!r}")


def truncate_latents(name: str, z: np.ndarray, psi: float) -> np.ndarray:
    """The truncation trick: latents pulled toward the prior's centre, `c + psi (z - c)`.

    Sampling a GAN's latent from a narrower distribution than it was trained
    on trades diversity for typical samples (Brock et al. 2019 resample the
    tails; Karras et al. 2019 scale toward the mean, as here). For the normal
    prior, `psi z` with `z ~ N(0, I)` is `N(0, psi^2 I)`: a latent
    temperature. For the uniform prior, `U[0,1)^k` shrinks to the cube of
    side `psi` around 0.5. `psi = 1` returns `z` unchanged.

    Args:
        name: The prior's name (`PRIOR_NAMES`; not `"mixture"`).
        z: `(n, k)` latents drawn from that prior.
        psi: A float in (0, 1].

    Returns:
        `(n, k)` float32 numpy latents.

    Raises:
        UserError: for psi outside (0, 1] or a prior without one centre.

    Examples:
        >>> z = latent_prior("normal", 10).sample(1000, seed=[0, 0]).numpy()
        >>> z_half = truncate_latents("normal", z, 0.5)  # N(0, 0.25 I)
    """
    psi = check_truncation(psi)
    z = np.asarray(z, np.float32)
    centre = prior_centre(name, z.shape[-1])
    return (centre + np.float32(psi) * (z - centre)).astype(np.float32)
