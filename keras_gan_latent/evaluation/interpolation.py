"""Walking the latent space of an image generator: interpolation paths and inversion.

Two things the GAN paper shows about a trained generator G: a straight line
between two latents gives a smooth morph between two digits (its 7 -> 1 path
passes through a 9), and a real image can be given a latent z by minimising
||G(z) - x||^2. This module does both for any callable z -> images, in
particular the `generate` signature of an export loaded with
`export.load_export` (a SavedModel function is differentiable, so gradients
flow through it like through the Keras model it came from).

Paths live in the prior's own coordinates:

* normal prior N(0, I), and the mixture prior (its centres and spread are
  the normal's): `linear_path` or `spherical_path` (slerp) directly.
* uniform prior U[0, 1)^k: `linear` is the straight line in the cube (it never
  leaves it). `spherical` is slerp in Gaussian coordinates: the uniform prior
  is the image of N(0, I) under the per-coordinate normal CDF Phi, so a
  uniform latent u is mapped to g = Phi^-1(u) (`priors.prior_quantile`),
  slerped there, and mapped back with Phi. A slerp on u itself would be
  meaningless: the cube has no rotational symmetry and slerp about the origin
  (a corner of the cube) does not stay in it.
"""

import logging
from typing import NamedTuple

import numpy as np

from keras_gan_latent.checks import is_integer, is_number
from keras_gan_latent.data import priors
from keras_gan_latent.errors import UserError

PATH_METHODS = ("linear", "spherical")

# Below this sine of the angle between two latents slerp divides by ~0; the
# arc is then indistinguishable from the chord, so the chord is used.
PARALLEL_SINE = 1e-6
# Uniform latents are clipped this far inside (0, 1) before Phi^-1, which is
# infinite at 0 and 1 (U[0, 1) can draw an exact 0). Phi^-1(1e-6) = -4.75.
UNIFORM_EPS = 1e-6


def _check_endpoints(z0, z1, num):
    if not is_integer(num) or num < 2:
        raise UserError(f"a path needs an integer number of points >= 2 (both ends), got {num!r}")
    z0 = np.asarray(z0, np.float64)
    z1 = np.asarray(z1, np.float64)
    if z0.shape != z1.shape or z0.ndim not in (1, 2) or z0.shape[-1] < 1:
        raise UserError(f"path endpoints must both be shaped (k,) or (n, k); got {z0.shape} and {z1.shape}")
    if not (np.all(np.isfinite(z0)) and np.all(np.isfinite(z1))):
        raise UserError("path endpoints contain NaN or infinite values")
    return z0, z1


def linear_path(z0, z1, num):
    """Evenly spaced points on the straight line from z0 to z1, both ends included.

    Args:
        z0: Start latent(s), shape ``(k,)`` or ``(n, k)``.
        z1: End latent(s), the same shape.
        num: Number of points (>= 2).

    Returns:
        float64 array ``(num, k)``, or ``(n, num, k)`` for batched endpoints;
        point 0 is z0 and point num - 1 is z1.

    Raises:
        UserError: num < 2, mismatched shapes or non-finite endpoints.
    """
    z0, z1 = _check_endpoints(z0, z1, num)
    t = np.linspace(0.0, 1.0, num)[:, None]
    return (1.0 - t) * z0[..., None, :] + t * z1[..., None, :]


def spherical_path(z0, z1, num):
    """Spherical linear interpolation (slerp) from z0 to z1, both ends included.

    Why slerp suits a Gaussian prior: the norm of z ~ N(0, I_k) concentrates
    near sqrt(k) (relative spread about 1 / sqrt(2k)), so nearly all latents G
    was trained on lie in a thin shell. Two independent latents are nearly
    orthogonal in high k, so the midpoint of the straight line has norm about
    sqrt(k / 2): well inside the shell, where G has seen almost no inputs
    (its midpoint images tend to be faint or blurred). Slerp follows the great
    circle through both, keeping the norm near sqrt(k) all the way (exactly
    constant when the two norms are equal; otherwise it varies smoothly between
    them), and for exactly orthogonal endpoints each point is again exactly
    N(0, I) distributed (White 2016, "Sampling Generative Networks").

    Near-parallel endpoints (sine of their angle below `PARALLEL_SINE`, which
    also covers a zero endpoint) fall back to `linear_path`: the arc and the
    chord coincide there and slerp's 1 / sin(angle) would blow up. Antiparallel
    endpoints have no unique great circle and fall back the same way.

    Args:
        z0: Start latent(s), shape ``(k,)`` or ``(n, k)``.
        z1: End latent(s), the same shape.
        num: Number of points (>= 2).

    Returns:
        float64 array ``(num, k)``, or ``(n, num, k)`` for batched endpoints;
        point 0 is z0 and point num - 1 is z1.

    Raises:
        UserError: num < 2, mismatched shapes or non-finite endpoints.
    """
    z0, z1 = _check_endpoints(z0, z1, num)
    linear = linear_path(z0, z1, num)
    norm0 = np.linalg.norm(z0, axis=-1, keepdims=True)
    norm1 = np.linalg.norm(z1, axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        cos = np.clip(np.sum(z0 * z1, axis=-1, keepdims=True) / (norm0 * norm1), -1.0, 1.0)
    cos = np.nan_to_num(cos, nan=1.0)  # a zero endpoint: treat as parallel
    angle = np.arccos(cos)[..., None, :]  # (..., 1, 1)
    sine = np.sin(angle)
    degenerate = sine < PARALLEL_SINE
    safe_sine = np.where(degenerate, 1.0, sine)
    t = np.linspace(0.0, 1.0, num)[:, None]
    arc = (np.sin((1.0 - t) * angle) * z0[..., None, :] + np.sin(t * angle) * z1[..., None, :]) / safe_sine
    path = np.where(degenerate, linear, arc)
    # Exact ends: the sines above round, and callers compare endpoints.
    path[..., 0, :] = z0
    path[..., -1, :] = z1
    return path


def latent_path(z0, z1, num, prior, method="spherical"):
    """A path between latents in the coordinates of their prior (see the module docstring).

    Args:
        z0: Start latent(s), shape ``(k,)`` or ``(n, k)``.
        z1: End latent(s), the same shape.
        num: Number of points (>= 2).
        prior: `"normal"` or `"uniform"`, the export's prior.
        method: `"linear"` or `"spherical"`.

    Returns:
        float32 array ``(num, k)`` or ``(n, num, k)``, ends exactly z0 and z1.
        For a uniform prior every point lies in [0, 1]^k.

    Raises:
        UserError: Unknown prior or method, or bad endpoints.
    """
    if prior not in priors.PRIOR_NAMES:
        raise UserError(f"unknown prior {prior!r}; valid priors: {', '.join(priors.PRIOR_NAMES)}")
    if method not in PATH_METHODS:
        raise UserError(f"unknown path method {method!r}; valid methods: {', '.join(PATH_METHODS)}")
    z0, z1 = _check_endpoints(z0, z1, num)
    if method == "linear":
        return linear_path(z0, z1, num).astype(np.float32)
    if prior != "uniform":  # normal, and the mixture (its centres and spread are the normal's)
        return spherical_path(z0, z1, num).astype(np.float32)
    if np.any((z0 < 0) | (z0 > 1) | (z1 < 0) | (z1 > 1)):
        raise UserError("uniform-prior latents must lie in [0, 1]")
    from scipy.special import ndtr  # Phi, the inverse of prior_quantile("normal", .)

    clip = lambda u: np.clip(u, UNIFORM_EPS, 1.0 - UNIFORM_EPS)  # noqa: E731
    gaussian = spherical_path(priors.prior_quantile("normal", clip(z0)),
                              priors.prior_quantile("normal", clip(z1)), num)
    path = ndtr(gaussian)
    path[..., 0, :] = z0  # undo the clipping at the ends
    path[..., -1, :] = z1
    return path.astype(np.float32)


def _as_images(output):
    """The images of a generator call: the tensor itself or the export's {"x": ...}."""
    if isinstance(output, dict):
        if "x" not in output:
            raise UserError(f"the generator returned keys {sorted(output)}; expected 'x'")
        return output["x"]
    return output


def generate_images(generate_fn, z, batch_size=256, labels=None):
    """Runs the generator on latents of any leading shape, in batches.

    Args:
        generate_fn: Callable float32 ``(m, k)`` tensor -> images, or -> a dict
            with key ``"x"`` (the export's `generate` signature); with
            `labels`, called as ``generate_fn(z, label)``, label an int32
            ``(m,)`` tensor (a class-conditional export's `generate`).
        z: Latents ``(..., k)``.
        batch_size: Latents per call (bounds memory).
        labels: None, or the class of each latent: ints broadcastable to
            ``z.shape[:-1]``.

    Returns:
        float32 numpy images shaped ``(..., *image_shape)``.
    """
    z = np.asarray(z, np.float32)
    flat = z.reshape(-1, z.shape[-1])
    flat_labels = None if labels is None else np.broadcast_to(np.asarray(labels), z.shape[:-1]).reshape(-1)
    chunks = [
        np.asarray(_call(generate_fn, flat[i:i + batch_size], None if flat_labels is None else flat_labels[i:i + batch_size]))
        for i in range(0, len(flat), batch_size)
    ]
    x = np.concatenate(chunks)
    return x.reshape(*z.shape[:-1], *x.shape[1:])


def _call(generate_fn, z, labels):
    """The images of `generate_fn` at latents `z` (and class `labels`, if not None)."""
    import tensorflow as tf

    z = tf.convert_to_tensor(z, tf.float32)
    if labels is None:
        return _as_images(generate_fn(z))
    return _as_images(generate_fn(z, tf.convert_to_tensor(labels, tf.int32)))


class Inversion(NamedTuple):
    """What `invert` returns."""

    z: np.ndarray
    """float32 ``(n, k)``: per image, the latent of the best restart."""
    mse: np.ndarray
    """float64 ``(n,)``: per-pixel mean squared error of G(z) against the image,
    in the generator's [-1, 1] units (0 is exact; 4 is the worst possible)."""
    images: np.ndarray
    """float32: G(z), shaped like the generator's output (e.g. ``(n, 28, 28, 1)``)."""
    random_mse: np.ndarray
    """float64 ``(n,)``: the same error for the starting latents drawn from the
    prior, averaged over restarts: the baseline the optimisation improves on."""


class _RetracingWarningFilter(logging.Filter):
    """Drops TensorFlow's "triggered tf.function retracing" warning while in use.

    Each `invert` call traces its own graph on purpose (new variables, maybe a
    new generator and batch size), but TensorFlow counts traces per Python
    function source, so the fifth call in one process would warn about a
    "retracing" bug that is not there. Only that message is dropped.
    """

    def filter(self, record):
        return "triggered tf.function retracing" not in record.getMessage()

    def __enter__(self):
        logging.getLogger("tensorflow").addFilter(self)
        return self

    def __exit__(self, *exc):
        logging.getLogger("tensorflow").removeFilter(self)


def _check_int(value, what, minimum):
    if not is_integer(value) or value < minimum:
        raise UserError(f"{what} must be an integer >= {minimum}, got {value!r}")


def invert(generate_fn, images, latent_dim, prior, restarts=8, steps=500, learning_rate=0.05, seed=0, labels=None):
    """Finds latents whose images match given images: argmin_z ||G(z) - x||^2.

    Every image gets `restarts` starting latents drawn from the prior; all
    n * restarts latents form one tf.Variable that Adam optimises in one
    compiled graph (Adam's update is per coordinate and the loss is a sum of
    per-latent errors, so the restarts do not interact). The learning rate
    decays to 0 on a cosine, so the last steps polish instead of jitter. Per
    latent the best point seen is kept, and per image the best restart wins:
    G is far from convex in z and a single start can stall in a poor local
    minimum.

    The defaults are past the point of diminishing returns on a light z=10
    DCGAN trained 3,000 steps (first test digit of each class, mean MSE):
    0.1606 at these settings, 0.1613 / 0.1587 at learning rate 0.02 / 0.1,
    0.1604 with 1,000 steps, 0.1567 with 32 restarts, but 0.2297 with a
    single restart (the 2 alone: 0.65 against 0.18). What remains at the
    defaults is the generator's range, not the optimiser.

    All n * restarts latents go through G in every step at once, so memory
    grows with their number (the CLI's default, 80 latents through the light
    DCGAN, peaked at 0.8 GB resident for the whole process).

    Latents stay in the prior's support: for a uniform prior they are clipped
    to [0, 1] after each step (projected gradient descent). A normal prior's
    support is all of R^k, so nothing is clipped, but the latents found can be
    atypical (far from the norm sqrt(k) of prior samples); compare their norms.

    Args:
        generate_fn: Differentiable callable float32 ``(m, k)`` tensor -> images
            in [-1, 1] (or a dict with key ``"x"``), e.g. the `generate`
            signature of `export.load_export`'s sampler; it must treat every
            latent independently (a generator in inference mode does).
        images: The digits to invert: ``(n, 28, 28)`` or ``(n, 28, 28, 1)``,
            uint8 0..255 (real MNIST) or floats in [-1, 1].
        latent_dim: k, the generator's latent dimension.
        prior: `"normal"` or `"uniform"`: where starts are drawn and the support.
        restarts: Starting latents per image (>= 1).
        steps: Adam steps (>= 1).
        learning_rate: Adam's initial learning rate (> 0).
        seed: Seed of the starting latents (same seed, same result).
        labels: None, or for a class-conditional generator the class of
            each image (ints, ``(n,)``): `generate_fn` is then called as
            ``generate_fn(z, label)`` and each image is inverted at its own
            class, so z is what the generator keeps besides the class.

    Returns:
        An `Inversion` (z, mse, images, random_mse).

    Raises:
        UserError: Bad images, settings, or a generator whose images are not
            the images' shape.
    """
    import keras
    import tensorflow as tf

    from keras_gan_latent.models.classifier import as_unit_images

    if prior not in priors.PRIOR_NAMES:
        raise UserError(f"unknown prior {prior!r}; valid priors: {', '.join(priors.PRIOR_NAMES)}")
    _check_int(latent_dim, "latent dim", 1)
    _check_int(restarts, "restarts", 1)
    _check_int(steps, "inversion steps", 1)
    if not is_number(learning_rate) or learning_rate <= 0:
        raise UserError(f"learning rate must be a positive number, got {learning_rate!r}")
    target = as_unit_images(images) * 2.0 - 1.0  # (n, 28, 28) in the tanh range
    n = len(target)
    target = tf.constant(np.tile(target.reshape(n, -1), (restarts, 1)))  # restart-major rows

    # One int64 seed -> the [2] int32 stateless seed tfp expects (as export.py does).
    stateless_seed = tf.bitcast(tf.constant(seed, tf.int64), tf.int32)
    start = priors.latent_prior(prior, latent_dim).sample(n * restarts, seed=stateless_seed)

    if labels is not None:
        labels = np.asarray(labels)
        if labels.shape != (n,):
            raise UserError(f"labels must be one class per image, shape ({n},); got shape {labels.shape}")
    row_labels = None if labels is None else np.tile(labels, restarts)

    def per_latent_mse(z):
        x = tf.cast(_call(generate_fn, z, row_labels), tf.float32)
        return tf.reduce_mean(tf.square(tf.reshape(x, [tf.shape(x)[0], -1]) - target), axis=1)

    first = _call(generate_fn, start[:1], None if labels is None else labels[:1])
    if int(np.prod(first.shape[1:])) != target.shape[1]:
        raise UserError(f"the generator makes outputs of shape {tuple(first.shape[1:])}, "
                        f"not images like the (28, 28) digits to invert")

    z = tf.Variable(start, name="z")
    best_z = tf.Variable(start, name="best_z")
    best_mse = tf.Variable(tf.fill([n * restarts], np.inf), name="best_mse")
    schedule = keras.optimizers.schedules.CosineDecay(float(learning_rate), steps)
    optimizer = keras.optimizers.Adam(schedule)

    def keep_best(mse):
        better = mse < best_mse
        best_mse.assign(tf.where(better, mse, best_mse))
        best_z.assign(tf.where(better[:, None], z, best_z))

    @tf.function
    def optimise():
        # tf.range makes autograph build one while-loop, not `steps` copies.
        for _ in tf.range(steps):
            with tf.GradientTape() as tape:
                mse = per_latent_mse(z)
                loss = tf.reduce_sum(mse)
            keep_best(mse)
            optimizer.apply_gradients([(tape.gradient(loss, z), z)])
            if prior == "uniform":
                z.assign(tf.clip_by_value(z, 0.0, 1.0))
        keep_best(per_latent_mse(z))  # the point after the last step

    random_mse = per_latent_mse(start).numpy().reshape(restarts, n)
    with _RetracingWarningFilter():
        optimise()
    mse = best_mse.numpy().reshape(restarts, n)
    winner = np.argmin(mse, axis=0)
    columns = np.arange(n)
    z_best = best_z.numpy().reshape(restarts, n, latent_dim)[winner, columns]
    reconstructions = generate_images(generate_fn, z_best, labels=labels)
    # Recomputed from the returned images (not the tracked loss) so the numbers
    # describe exactly what the caller gets.
    final_mse = np.mean(np.square(reconstructions.reshape(n, -1).astype(np.float64)
                                  - target.numpy()[:n].astype(np.float64)), axis=1)
    return Inversion(z=z_best.astype(np.float32), mse=final_mse, images=reconstructions,
                     random_mse=random_mse.mean(axis=0).astype(np.float64))


class ImagePath(NamedTuple):
    """What `interpolate_between_images` returns."""

    z: np.ndarray
    """float32 ``(frames, k)``: the latent path, from the first image's latent to the second's."""
    images: np.ndarray
    """float32 ``(frames, ...)``: G along the path."""
    inversion: Inversion
    """The inversion of the two images (its ``z`` are the path's ends)."""


def interpolate_between_images(generate_fn, image0, image1, latent_dim, prior, frames=10, method="linear", **invert_kwargs):
    """The GAN paper's figure: invert two real digits, then walk between their latents.

    Args:
        generate_fn: Differentiable generator, see `invert`.
        image0: The start digit, ``(28, 28)`` or ``(28, 28, 1)``, uint8 or floats in [-1, 1].
        image1: The end digit, the same way.
        latent_dim: k.
        prior: `"normal"` or `"uniform"`.
        frames: Points on the path, both ends included (>= 2).
        method: `"linear"` (the paper's) or `"spherical"`; see `latent_path`.
        **invert_kwargs: restarts, steps, learning_rate, seed for `invert`.

    Returns:
        An `ImagePath` (z, images, inversion).

    Raises:
        UserError: Bad images or settings (see `invert` and `latent_path`).
    """
    if method not in PATH_METHODS:
        raise UserError(f"unknown path method {method!r}; valid methods: {', '.join(PATH_METHODS)}")
    _check_int(frames, "frames", 2)
    pair = np.stack([np.asarray(image0), np.asarray(image1)])
    inversion = invert(generate_fn, pair, latent_dim, prior, **invert_kwargs)
    z = latent_path(inversion.z[0], inversion.z[1], frames, prior, method)
    return ImagePath(z=z, images=generate_images(generate_fn, z), inversion=inversion)
