"""Mode coverage of a Gaussian-mixture target: the VEEGAN / PacGAN protocol.

A generated sample is "high quality" (HQ) if it lies within `num_sigmas`
standard deviations (Euclidean distance) of its nearest mode centre; a mode
is covered if at least one HQ sample is assigned to it. The published
numbers use 2,500 samples and 3 sigma. For a 2-D isotropic Gaussian mode,
3 sigma holds 1 - exp(-4.5) = 98.9 % of the mass (in 1-D: 99.7 %), so a
perfect generator scores about that, not 100 %.
"""

import numpy as np
from scipy.spatial import cKDTree

from keras_gan_latent.metrics.divergence import _as_points


def _mode_scales(mode_scale, num_modes):
    scales = np.broadcast_to(np.asarray(mode_scale, dtype=np.float64), (num_modes,))
    if not np.all(np.isfinite(scales)) or np.any(scales <= 0.0):
        raise ValueError(f"mode_scale must be positive and finite; got {mode_scale}")
    return scales


def reverse_kl_to_uniform(counts):
    """KL(q || uniform) of a histogram over K modes, in nats.

    q = counts / sum(counts). Empty modes contribute nothing (0 log 0 = 0),
    so KL = sum over nonzero q of q log(q K): 0 for a uniform histogram,
    log K when all samples are in one mode, log(K / j) for j equal modes.

    Args:
        counts: Non-negative counts, one per mode (K = len(counts)).

    Returns:
        The divergence as a float, or `None` if all counts are 0 (q is
        undefined; `None` keeps results JSON-safe).
    """
    counts = np.asarray(counts, dtype=np.float64)
    if counts.ndim != 1 or counts.size == 0 or np.any(counts < 0):
        raise ValueError("counts must be a non-empty 1-D array of non-negative numbers")
    total = counts.sum()
    if total == 0:
        return None
    q = counts[counts > 0] / total
    return float(np.sum(q * np.log(q * counts.size)))


def mode_coverage(samples, mode_centres, mode_scale, num_sigmas=3.0):
    """Modes covered, share of high-quality samples and mode balance.

    Args:
        samples: `(n, d)` generated samples (`(n,)` for 1-D).
        mode_centres: `(K, d)` mode means; must be distinct (with
            `linspace(0, 2*pi, K)` the first and last coincide).
        mode_scale: Standard deviation of the modes: a scalar, or one per mode.
        num_sigmas: HQ radius in standard deviations.

    Returns:
        A JSON-safe dict:
        `modes_covered` (int): modes with at least one HQ sample;
        `num_modes` (int): K;
        `high_quality_fraction` (float): share of all samples that are HQ;
        `mode_histogram` (list of K ints): HQ samples per mode, each HQ
        sample counted at its nearest centre;
        `reverse_kl_to_uniform` (float or None): KL(histogram || uniform
        over K), see `reverse_kl_to_uniform`; None if no sample is HQ;
        `num_samples` (int) and `num_sigmas` (float): the settings.
    """
    points = _as_points(samples, "samples")
    centres = _as_points(mode_centres, "mode_centres")
    if centres.shape[1] != points.shape[1]:
        raise ValueError(
            f"mode_centres have dimension {centres.shape[1]}, samples {points.shape[1]}"
        )
    num_modes = centres.shape[0]
    if num_modes > 1:
        closest_pair, _ = cKDTree(centres).query(centres, k=[2])
        if np.any(closest_pair == 0.0):
            raise ValueError(
                "mode_centres contains duplicate centres "
                "(linspace(0, 2*pi, K) with its endpoint repeats the first angle)"
            )
    if not num_sigmas > 0:
        raise ValueError(f"num_sigmas must be positive; got {num_sigmas}")
    scales = _mode_scales(mode_scale, num_modes)

    distance, nearest = cKDTree(centres).query(points, k=1)
    high_quality = distance <= num_sigmas * scales[nearest]
    histogram = np.bincount(nearest[high_quality], minlength=num_modes)
    return {
        "modes_covered": int(np.count_nonzero(histogram)),
        "num_modes": int(num_modes),
        "high_quality_fraction": float(np.mean(high_quality)),
        "mode_histogram": [int(c) for c in histogram],
        "reverse_kl_to_uniform": reverse_kl_to_uniform(histogram),
        "num_samples": int(points.shape[0]),
        "num_sigmas": float(num_sigmas),
    }
