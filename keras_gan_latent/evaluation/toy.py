"""Evaluate a toy generator: every metric, as one JSON-safe report.

A source is an export folder (sampled with its own `sample` signature) or a
`.npy` of samples.

Toy targets (`evaluate_samples`): the report answers the article's open
question with numbers: divergences to the exact target density, mode
coverage for the mixtures, transport and kernel distances, and for 1-D
targets the KS statistic and the gap between the learned map and the
quantile function.
"""

from __future__ import annotations

import numpy as np
import tensorflow as tf

from keras_gan_latent import metrics
from keras_gan_latent.data import priors
from keras_gan_latent.data.targets import Target
from keras_gan_latent.errors import UserError
from keras_gan_latent.evaluation import MODE_PROTOCOL_SAMPLES
from keras_gan_latent.evaluation.samples import MIN_SAMPLES, read_source, is_image_shape



def load_samples(source, target, num_samples=2500, seed=0):
    """Loads samples of a generator from an export folder or a `.npy` file.

    Args:
        source: Export folder or `.npy` path.
        target: The `Target` the samples are meant to follow.
        num_samples: How many to draw from an export (a `.npy` is used whole).
        seed: Sampling seed for an export.

    Returns:
        `(samples, export_or_None)`: float64 `(n, dim)` samples, and the loaded
        export (for 1-D maps) when the source is one.

    Raises:
        UserError: if the source is neither an export nor a readable `.npy`
            of shape (n, target.dim), or holds fewer than `MIN_SAMPLES`.
    """
    def check_shape(sampler, shape, config):
        if shape != (target.dim,):
            # Checked before sampling: an image generator's samples are not points.
            hint = "; evaluate it with --target mnist" if is_image_shape(shape) else ""
            raise UserError(f"export {source!r} generates samples of shape {shape}, but target "
                            f"{target.name!r} needs shape ({target.dim},){hint}")

    samples, sampler = read_source(source, num_samples, seed, check_shape, "the estimators", "samples")
    samples = np.asarray(samples)
    if samples.ndim == 1 and target.dim == 1:
        samples = samples[:, None]
    if samples.ndim != 2 or samples.shape[1] != target.dim:
        hint = " (images of digits? use --target mnist)" if is_image_shape(samples.shape[1:]) else ""
        raise UserError(
            f"samples have shape {samples.shape}; target {target.name!r} needs shape (n, {target.dim}){hint}"
        )
    if not np.issubdtype(samples.dtype, np.number) or not np.all(np.isfinite(samples)):
        raise UserError("samples must be finite numbers (found NaN, inf or a non-numeric dtype)")
    if samples.shape[0] < MIN_SAMPLES:
        raise UserError(f"{samples.shape[0]} samples are too few; the estimators need at least {MIN_SAMPLES}")
    return samples.astype(np.float64), sampler


def target_log_prob(target):
    """The target's exact log density as a numpy function (`Target.log_prob_numpy`)."""
    return target.log_prob_numpy


def evaluate_samples(samples: np.ndarray, target: Target, seed: int = 0, num_resamples: int = 200) -> dict:
    """Every metric of `samples` against `target`.

    Args:
        samples: `(n, dim)` generated samples.
        target: The `Target`.
        seed: Seed of the reference target samples and the bootstrap.
        num_resamples: Bootstrap resamples for the divergence CIs.

    Returns:
        A JSON-safe dict (infinite or undefined values are `None` with a
        `reason`, never a meaningless number).
    """
    samples = np.asarray(samples, np.float64)
    n = samples.shape[0]
    data = target.sample(n, seed=tf.constant([seed, 0xDA7A])).numpy().astype(np.float64)
    log_prob = target_log_prob(target)
    report = {
        "target": target.name,
        "num_samples": int(n),
        "divergences": metrics.divergence_report(
            samples, data, log_prob, num_resamples=num_resamples, seed=seed
        ),
        "wasserstein": metrics.wasserstein_distance(samples, data, order=1),
        "mmd": float(metrics.mmd(samples, data)),
        "mean": samples.mean(axis=0).tolist(),
        "std": samples.std(axis=0).tolist(),
    }
    if target.mode_centres is not None:
        report["modes"] = metrics.mode_coverage(
            samples[:MODE_PROTOCOL_SAMPLES], target.mode_centres, target.mode_scale
        )
    if target.dim == 1:
        cdf = lambda x: target.distribution.distribution.cdf(np.asarray(x, np.float32)).numpy()  # noqa: E731
        report["ks"] = metrics.ks_statistic(samples[:, 0], cdf)
    return report


def quantile_map_report(sampler, target, prior, num_points=999):
    """How far a 1-D generator's map is from the target's quantile function.

    The generator's own quantile function is u -> G(F_z^-1(u)), with F_z the
    latent prior's CDF (the identity for the article's uniform latent).

    Args:
        sampler: A loaded export with `generate`.
        target: A 1-D `Target` with a `quantile`.
        prior: Name of the export's latent prior.
        num_points: Points of the u grid in (0, 1).

    Returns:
        `(report, u, g_of_u)`: the `quantile_map_distance` dict and the curve.
    """
    u = (np.arange(num_points) + 0.5) / num_points
    z = priors.prior_quantile(prior, u)
    g_of_u = sampler.generate(tf.constant(z[:, None], tf.float32))["x"].numpy()[:, 0]
    quantile = lambda p: target.quantile(tf.constant(np.asarray(p), tf.float32)).numpy()  # noqa: E731
    return metrics.quantile_map_distance(u, g_of_u, quantile), u, g_of_u


def summary_row(report: dict) -> dict:
    """The headline numbers of a report, flat (for tables and CSV)."""
    div = report["divergences"]
    row = {
        "kl_g_data": div["kl_g_data"]["estimate"],
        "kl_data_g": div["kl_data_g"]["estimate"],
        "js": div["js"]["estimate"],
        "outside_support": div["outside_support_fraction"],
        "wasserstein1": report["wasserstein"]["value"],
        "mmd": report["mmd"],
    }
    if "modes" in report:
        row["modes_covered"] = report["modes"]["modes_covered"]
        row["high_quality"] = report["modes"]["high_quality_fraction"]
        row["mode_kl"] = report["modes"]["reverse_kl_to_uniform"]
    if "ks" in report:
        row["ks"] = report["ks"]["statistic"]
    return row
