"""The cheap scores a run's summaries write while it trains (numpy only).

`convergence_scores` and `support_fidelity` score samples of a 1-D or 2-D
target against its exact density (the toy views' `convergence/*` and
`fidelity/*` scalars); `active_units` counts the latent units a VAE uses
(`latent/active_units`). The views (`viz.views`) draw and name them.
"""

import numpy as np

from keras_gan_latent.metrics.divergence import js_divergence
from keras_gan_latent.metrics.modes import mode_coverage

ACTIVE_UNIT_KL = 0.01
"""Nats of KL(q(z_u|x) || p(z_u)), averaged over a batch, above which a latent unit counts as active."""


def convergence_scores(real, log_prob, samples, mode_centres=None, mode_scale=None):
    """The evaluation's cheap metrics of generated samples, as `evaluate.py` scores an export.

    Args:
        real: `(n, d)` target samples.
        log_prob: The target's exact log-density, numpy in and out.
        samples: `(m, d)` generated samples.
        mode_centres: A mixture's mode centres `(K, d)`, or None.
        mode_scale: A mixture's mode standard deviation (with `mode_centres`).

    Returns:
        `{"js": ...}`, the JS divergence in nats (k-NN estimate against the
        exact density and `real`), and for mixtures also `"modes_covered"`
        and `"high_quality"` (the 3-sigma protocol of `mode_coverage`).
    """
    points = np.asarray(samples).astype(np.float64)
    values = {"js": js_divergence(np.asarray(real).astype(np.float64), log_prob, points)}
    if mode_centres is not None:
        modes = mode_coverage(points, mode_centres, mode_scale)
        values["modes_covered"] = float(modes["modes_covered"])
        values["high_quality"] = modes["high_quality_fraction"]
    return values


def support_fidelity(log_prob, bounded_support=False):
    """Cheap fidelity figures of generated samples from their target log-densities.

    Args:
        log_prob: The target's log-density at each generated sample
            (`-inf` where the density is zero).
        bounded_support: Whether the target's support is bounded (only then
            is the share outside it reported).

    Returns:
        `{"mean_log_prob": ...}`, the mean log-density of the samples on the
        support (absent if none is), and with `bounded_support`
        `"outside_support"`, the share of samples where the density is zero.
    """
    log_prob = np.asarray(log_prob)
    on_support = np.isfinite(log_prob)
    values = {}
    if on_support.any():
        values["mean_log_prob"] = float(log_prob[on_support].mean())
    if bounded_support:
        values["outside_support"] = float(1.0 - on_support.mean())
    return values


def active_units(kl_per_unit, threshold=ACTIVE_UNIT_KL):
    """The latent units a VAE uses: how many carry more than `threshold` nats of KL.

    Args:
        kl_per_unit: The batch-mean KL(q(z_u|x) || p(z_u)) of each unit `(k,)`.
        threshold: Nats above which a unit counts as active.

    Returns:
        The count, a float (a TensorBoard scalar).
    """
    return float(np.sum(np.asarray(kl_per_unit) > threshold))
