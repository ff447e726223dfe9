"""Target distributions: what the generator has to learn, with exact densities.

Every target is a `tensorflow_probability` distribution with `sample` and an
exact `log_prob`, wrapped in a `Target` record that also carries what plots and
metrics need (mode centres and scale for mixtures, a plotting window, the
latent prior the article used for it). Targets live in a registry by name;
adding one is one small function decorated with `@register_target(prior)`.
"""

from __future__ import annotations

import dataclasses
from typing import Callable, Dict, Optional, Tuple

import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

from keras_gan_latent.data import BUILTIN_TARGETS
from keras_gan_latent.errors import UserError

tfd = tfp.distributions
tfb = tfp.bijectors


@dataclasses.dataclass(frozen=True)
class Target:
    """A target distribution and the facts about it that plots and metrics need.

    Attributes:
        name: Registry name, e.g. `"eight_gaussians"`.
        distribution: A tfp distribution with event shape `[dim]`.
        dim: Dimension of the sample space (1 or 2 for the toy targets).
        default_prior: Name of the latent prior the article used for it
            (set from the registry by `get_target`).
        plot_limits: `(low, high)` of the square plotting window, all axes.
        mode_centres: `(num_modes, dim)` array for mixtures, else `None`.
        mode_scale: Standard deviation of each mixture component, else `None`.
        quantile: For 1-D targets, the inverse CDF mapping `u` in (0, 1) to
            a sample; `None` where there is no such function.
        bounded_support: True if the density is zero outside a bounded set,
            so a generated sample can fall where `log_prob` is `-inf`.
    """

    name: str
    distribution: tfd.Distribution
    dim: int
    plot_limits: Tuple[float, float]
    default_prior: Optional[str] = None
    mode_centres: Optional[np.ndarray] = None
    mode_scale: Optional[float] = None
    quantile: Optional[Callable[[tf.Tensor], tf.Tensor]] = None
    bounded_support: bool = False

    def sample(self, num_samples, seed=None):
        """Draws samples.

        Args:
            num_samples: Number of samples.
            seed: A Python int, or a stateless seed (shape `[2]` int tensor).

        Returns:
            A float32 tensor of shape `(num_samples, dim)`.
        """
        return self.distribution.sample(num_samples, seed=seed)

    def log_prob(self, x):
        """Exact log density of `x` (shape `(n, dim)`), `-inf` off the support."""
        return self.distribution.log_prob(tf.convert_to_tensor(x, tf.float32))

    def log_prob_numpy(self, x):
        """`log_prob` as a float64 numpy function, the form the numpy estimators in `metrics` take."""
        return self.log_prob(np.asarray(x, np.float32)).numpy().astype(np.float64)


_TARGET_BUILDERS: Dict[str, Callable[[], Target]] = {}
_DEFAULT_PRIORS: Dict[str, str] = {}


def register_target(default_prior: str) -> Callable[[Callable[[], Target]], Callable[[], Target]]:
    """Registers a function that builds a `Target`, under the function's name.

    Args:
        default_prior: The latent prior the article used for the target. The
            registry keeps it, so `default_prior(name)` builds nothing: no
            TensorFlow op runs (a multi-worker strategy must come first).
    """

    def register(builder):
        _TARGET_BUILDERS[builder.__name__] = builder
        _DEFAULT_PRIORS[builder.__name__] = default_prior
        return builder

    return register


def _builtin(builder):
    """Registers a built-in target with the prior `data.BUILTIN_TARGETS` declares for its name."""
    return register_target(BUILTIN_TARGETS[builder.__name__])(builder)


def target_names() -> list[str]:
    """Returns the registered target names, sorted."""
    return sorted(_TARGET_BUILDERS)


def default_prior(name: str) -> str:
    """The latent prior the article used for the target `name`, without building it.

    Raises:
        UserError: if no target has that name (the message lists valid names).
    """
    if name not in _TARGET_BUILDERS:
        raise UserError(
            f"unknown target {name!r}; valid targets: {', '.join(target_names())}"
        )
    return _DEFAULT_PRIORS[name]


def get_target(name: str) -> Target:
    """Builds the target registered under `name`.

    Raises:
        UserError: if no target has that name (the message lists valid names).
    """
    prior = default_prior(name)
    return dataclasses.replace(_TARGET_BUILDERS[name](), default_prior=prior)


def _isotropic_mixture(centres, scale):
    centres = np.asarray(centres, np.float32)
    num_modes, dim = centres.shape
    return tfd.MixtureSameFamily(
        mixture_distribution=tfd.Categorical(logits=tf.zeros([num_modes])),
        components_distribution=tfd.MultivariateNormalDiag(
            loc=centres, scale_diag=tf.fill([num_modes, dim], np.float32(scale))
        ),
    )


@_builtin
def gaussian():
    """2-D standard normal; the article fed it a uniform latent."""
    return Target(
        name="gaussian",
        distribution=tfd.MultivariateNormalDiag(loc=tf.zeros([2])),
        dim=2,
        plot_limits=(-4.0, 4.0),
    )


def _mixture_target(name, centres, scale, plot_limits):
    """A `Target` of equally weighted isotropic Gaussians with the given centres and standard deviation."""
    return Target(
        name=name,
        distribution=_isotropic_mixture(centres, scale),
        dim=centres.shape[1],
        plot_limits=plot_limits,
        mode_centres=np.asarray(centres, np.float32),
        mode_scale=scale,
    )


@_builtin
def eight_gaussians():
    """Eight Gaussians on a ring of radius 2, sigma 0.2.

    The angles are 2*pi*i/8 for i = 0..7: `linspace(0, 2*pi, 8)` would put
    the first and last mode on top of each other and leave only 7.
    """
    angles = 2.0 * np.pi * np.arange(8) / 8.0
    centres = 2.0 * np.stack([np.cos(angles), np.sin(angles)], axis=1)
    return _mixture_target("eight_gaussians", centres, 0.2, plot_limits=(-3.0, 3.0))


@_builtin
def grid25():
    """25 Gaussians on the grid {-4, -2, 0, 2, 4}^2, sigma 0.05 (VEEGAN/PacGAN)."""
    axis = np.arange(-4.0, 5.0, 2.0)
    centres = np.stack(np.meshgrid(axis, axis, indexing="ij"), -1).reshape(-1, 2)
    return _mixture_target("grid25", centres, 0.05, plot_limits=(-5.0, 5.0))


class SpiralBijector(tfb.Bijector):
    """The article's spiral map from (u, v) in [-1, 1]^2 to the plane.

    theta = 3*pi*u and r = 0.05 + 0.45*(u + 1) + 0.05*v, x = r*(cos, sin)(theta).
    The arm widens by 0.1 in r while one turn adds 0.3, so the arms never
    overlap and the map is one-to-one: the density follows exactly by change
    of variables, |det J| = r * |d(r, theta)/d(u, v)| = r * 0.15*pi.
    """

    _TURNS = 3.0  # theta spans [-3*pi, 3*pi]

    def __init__(self, name="spiral"):
        super().__init__(forward_min_event_ndims=1, name=name)

    @staticmethod
    def _radius(u, v):
        return 0.05 + 0.45 * (u + 1.0) + 0.05 * v

    def _forward(self, uv):
        u, v = uv[..., 0], uv[..., 1]
        theta = self._TURNS * np.pi * u
        r = self._radius(u, v)
        return tf.stack([r * tf.cos(theta), r * tf.sin(theta)], axis=-1)

    def _inverse(self, xy):
        rho = tf.norm(xy, axis=-1)
        phi = tf.atan2(xy[..., 1], xy[..., 0])
        # theta = phi + 2*pi*k for one winding k; try each and keep the branch
        # whose (u, v) is closest to the square: inside the support exactly one
        # branch lands in [-1, 1]^2, outside none does and the base density is 0.
        windings = tf.constant([-2.0, -1.0, 0.0, 1.0, 2.0])
        theta = phi[..., None] + 2.0 * np.pi * windings
        u = theta / (self._TURNS * np.pi)
        v = (rho[..., None] - 0.05 - 0.45 * (u + 1.0)) / 0.05
        distance = tf.maximum(tf.abs(u), tf.abs(v))
        best = tf.argmin(distance, axis=-1)
        u = tf.gather(u, best, batch_dims=len(u.shape) - 1)
        v = tf.gather(v, best, batch_dims=len(v.shape) - 1)
        return tf.stack([self._snap(u), self._snap(v)], axis=-1)

    @staticmethod
    def _snap(t):
        # Float32 round-off in atan2/norm can push a sample drawn at the edge
        # of the square just outside [-1, 1) (U's support), giving a sample
        # of the target a zero density; snap values within 1e-5 back inside.
        below_one = np.nextafter(np.float32(1), np.float32(0))
        inside = tf.clip_by_value(t, -1.0, below_one)
        return tf.where(tf.abs(t - inside) < 1e-5, inside, t)

    def _inverse_log_det_jacobian(self, xy):
        # The origin (u = v = -1) is a single point of infinite density; keep
        # it finite so that a grid or a sample landing exactly there is not NaN.
        rho = tf.maximum(tf.norm(xy, axis=-1), 1e-12)
        return -tf.math.log(rho * 0.15 * np.pi)

    def _forward_log_det_jacobian(self, uv):
        # |r| and the floor keep this finite for (u, v) off the square, where
        # the base density is already 0 (tfp may call this on `inverse(x)`).
        r = tf.maximum(tf.abs(self._radius(uv[..., 0], uv[..., 1])), 1e-12)
        return tf.math.log(r * 0.15 * np.pi)


@_builtin
def spiral():
    """The article's spiral: (u, v) ~ U(-1, 1)^2 pushed through `SpiralBijector`."""
    base = tfd.Independent(
        tfd.Uniform(low=-tf.ones([2]), high=tf.ones([2])), reinterpreted_batch_ndims=1
    )
    return Target(
        name="spiral",
        distribution=tfd.TransformedDistribution(base, SpiralBijector()),
        dim=2,
        plot_limits=(-1.1, 1.1),
        bounded_support=True,
    )


@_builtin
def normal1d():
    """1-D standard normal: the quantile-function example of the article."""
    standard_normal = tfd.Normal(loc=0.0, scale=1.0)
    return Target(
        name="normal1d",
        distribution=tfd.Independent(
            tfd.Normal(loc=tf.zeros([1]), scale=tf.ones([1])), reinterpreted_batch_ndims=1
        ),
        dim=1,
        plot_limits=(-4.0, 4.0),
        quantile=standard_normal.quantile,
    )

