"""What a translator between two 2-D distributions does (numpy only).

transport_matrix: which source mode feeds which target modes, from source
points and their translations (Gaussian-mixture protocol: a point belongs to
the mode it lies within `num_sigmas` standard deviations of).
cycle_error: the mean Euclidean distance between points and their round trips.
steganography_probe: whether a translator hides what it needs to invert a
many-to-one map in tiny offsets of its outputs (Chu et al. 2017, "CycleGAN, a
Master of Steganography"): the round-trip error after noise of a given size
is added to the translations, against the error without it.
pixel_error: the mean absolute pixel difference between images (a digit
translator's error against the true translation, and its round trips).
"""

import numpy as np
from scipy.spatial import cKDTree

from keras_gan_latent.metrics.divergence import _as_points
from keras_gan_latent.metrics.pixels import FLOAT_RANGE


def mode_labels(points, centres, scale, num_sigmas=3.0):
    """The mode each point belongs to: its nearest centre if within `num_sigmas` * `scale`, else -1.

    Args:
        points: `(n, d)` points.
        centres: `(K, d)` mode centres, or None: every point is in the one mode 0.
        scale: The modes' standard deviation (ignored without centres).
        num_sigmas: The radius in standard deviations (the 3-sigma HQ protocol).

    Returns:
        An int `(n,)` array of labels in -1..K-1.
    """
    points = _as_points(points, "points")
    if centres is None:
        return np.zeros(len(points), dtype=np.int64)
    distance, nearest = cKDTree(np.asarray(centres, np.float64)).query(points)
    return np.where(distance <= num_sigmas * float(scale), nearest, -1).astype(np.int64)


def transport_matrix(source, translated, source_modes, target_modes, num_sigmas=3.0):
    """Which source mode feeds which target modes: a row-normalised count matrix.

    Args:
        source: `(n, d)` source points x.
        translated: `(n, d')` their translations G(x), row i of `source`'s.
        source_modes: `(centres, scale)` of the source's modes, or `(None, None)`
            for a source without modes (one row, "all").
        target_modes: `(centres, scale)` of the target's modes, or `(None, None)`.
        num_sigmas: A point belongs to a mode within this many standard deviations.

    Returns:
        A JSON-safe dict: `counts` (rows: source modes; columns: target
        modes, then one for translations in no target mode), `fractions`
        (each row divided by its total; a row with no source point is
        all None), `source_off_mode` (source points in no source mode,
        left out of the rows), and `modes_fed` (per source row, the
        target modes that receive at least 1 % of its points: how many
        modes one source mode is split into).
    """
    source, translated = _as_points(source, "source"), _as_points(translated, "translated")
    if len(source) != len(translated):
        raise ValueError(f"source and translated need the same number of points, got {len(source)} and {len(translated)}")
    rows = mode_labels(source, *source_modes, num_sigmas)
    cols = mode_labels(translated, *target_modes, num_sigmas)
    num_rows = 1 if source_modes[0] is None else len(source_modes[0])
    num_cols = 1 if target_modes[0] is None else len(target_modes[0])
    counts = np.zeros((num_rows, num_cols + 1), dtype=np.int64)
    kept = rows >= 0
    np.add.at(counts, (rows[kept], np.where(cols[kept] >= 0, cols[kept], num_cols)), 1)
    totals = counts.sum(axis=1, keepdims=True)
    fractions = [
        [None] * (num_cols + 1) if total == 0 else [float(v) for v in row / total]
        for row, total in zip(counts, totals[:, 0])
    ]
    modes_fed = [
        int(np.sum(row[:num_cols] >= 0.01 * total)) if total else 0 for row, total in zip(counts, totals[:, 0])
    ]
    return {
        "counts": counts.tolist(),
        "fractions": fractions,
        "source_off_mode": int(np.sum(~kept)),
        "modes_fed": modes_fed,
    }


def cycle_error(points, round_trip):
    """Mean Euclidean distance between `points` and their round trips (e.g. x and F(G(x)))."""
    points, round_trip = _as_points(points, "points"), _as_points(round_trip, "round trips")
    if points.shape != round_trip.shape:
        raise ValueError(f"points {points.shape} and round trips {round_trip.shape} differ in shape")
    return float(np.mean(np.linalg.norm(points - round_trip, axis=1)))


def steganography_probe(source, translated, translate_back, scales, seed=0):
    """The round-trip error of x -> G(x) -> F after Gaussian noise is added to G(x).

    A translator that hides, in offsets of size s, the information F needs
    to return to x loses the round trip when noise of size s is added: the
    error jumps at scales far smaller than the data's own spread. One that
    keeps the information in the visible structure of G(x) degrades
    smoothly, by about the noise times F's slope.

    Args:
        source: `(n, d)` source points x.
        translated: `(n, d')` their translations G(x).
        translate_back: Callable `(m, d')` numpy -> `(m, d)` numpy, F (with
            any noise of its own fixed, so the probe measures the offsets only).
        scales: Standard deviations of the isotropic noise added to G(x).
        seed: Seed of the noise.

    Returns:
        A JSON-safe dict: `clean` (the cycle error without noise) and
        `noisy`, one entry per scale: `scale`, `error` (the cycle error
        with noise), `excess` (error minus clean) and `gain` (excess / scale,
        how much a unit of output noise moves the round trip).
    """
    source, translated = _as_points(source, "source"), _as_points(translated, "translated")
    clean = cycle_error(source, translate_back(translated))
    rng = np.random.default_rng(seed)
    noisy = []
    for scale in scales:
        scale = float(scale)
        if not np.isfinite(scale) or scale <= 0:
            raise ValueError(f"noise scales must be positive and finite, got {scale}")
        perturbed = translated + scale * rng.standard_normal(translated.shape)
        error = cycle_error(source, translate_back(perturbed))
        noisy.append({"scale": scale, "error": error, "excess": error - clean, "gain": (error - clean) / scale})
    return {"clean": clean, "noisy": noisy}


def pixel_error(images, truth, float_range=FLOAT_RANGE):
    """Mean absolute pixel difference between two stacks of images, in units of the pixel range.

    0 when the images are equal, 1 when every pixel is black in one and white
    in the other: for digits in [-1, 1] it is half the mean |a - b|.

    Args:
        images: `(n, ...)` images, e.g. translations G(x).
        truth: Images of the same shape, e.g. the true translations T(x).
        float_range: `(low, high)` of the pixels.

    Returns:
        A float in [0, 1] for pixels within the range.
    """
    images, truth = np.asarray(images, np.float64), np.asarray(truth, np.float64)
    if images.shape != truth.shape:
        raise ValueError(f"images {images.shape} and their truth {truth.shape} differ in shape")
    low, high = float_range
    return float(np.mean(np.abs(images - truth)) / (high - low))
