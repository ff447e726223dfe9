"""Mode coverage, classifier score, Frechet distance and Parzen likelihood on MNIST.

Everything here is numpy/scipy: the classifier's outputs (class probabilities
and penultimate-layer features, see `keras_gan_latent.models.classifier.classify`)
come in as arrays, so the metrics can be tested and reused without TensorFlow.

* `mode_report`: the digit histogram of generated samples (argmax of the
  classifier), how many of the 10 classes are covered, KL(histogram || uniform),
  the classifier score (the Inception-score analogue; the real MNIST test set
  scores 9.76 of 10 with our classifier, about 9.88 with published ones) and
  the Frechet distance in classifier features (MNIST train[:10000] vs test:
  1.10, against a total feature variance of 285).
  Classifier-feature Frechet distances are on their own scale (not comparable
  with Inception FIDs): calibrate them with MNIST train vs test.
* `parzen_protocol`: the GAN paper's Parzen-window log-likelihood (Table 1:
  adversarial nets 225 +- 2), with Theis et al.'s caveat attached.
"""

import math
import warnings

import numpy as np
import scipy.linalg
from scipy.special import entr, rel_entr

from keras_gan_latent.checks import is_integer
from keras_gan_latent.data.mnist import NUM_CLASSES
from keras_gan_latent.metrics.modes import reverse_kl_to_uniform

COVERAGE_SHARE = 0.01
"""A class counts as covered by `classes_covered_1pct` when it holds more than 1 %."""

DEFAULT_SIGMAS = np.logspace(-1.0, 0.0, 10)
"""The GAN paper's Parzen bandwidth grid."""

PARZEN_CAVEAT = (
    "Parzen-window log-likelihoods are a poor measure of sample quality in high "
    "dimensions (Theis, van den Oord & Bethge 2016, 'A note on the evaluation of "
    "generative models'): on 784 pixels they can rank models inconsistently with "
    "their true likelihood and with visual quality, and even the training set "
    "scores worse than some poor models. Report them only for comparison with "
    "published numbers."
)

PROB_SUM_TOLERANCE = 1e-3
"""Rows of `probs` must sum to 1 within this (float32 softmax outputs do not sum exactly)."""


# ------------------------------------------------------------------ mode report


def mode_report(probs, features=None, reference_features=None):
    """Digit histogram, coverage, classifier score and Frechet distance of samples.

    Args:
        probs: `(n, 10)` class probabilities of the n generated samples, e.g.
            from `models.classifier.classify` (rows sum to 1).
        features: Optional `(n, d)` classifier features of the same samples.
        reference_features: Optional `(m, d)` classifier features of real
            digits (e.g. the MNIST test set); with `features`, gives
            `frechet_distance`.

    Returns:
        A JSON-safe dict:
        `num_samples` (int);
        `class_counts` (10 ints) and `class_shares` (10 floats): the histogram
        of argmax classes;
        `classes_covered_1pct` (int): classes with more than 1 % of samples;
        `classes_with_any_sample` (int): classes with at least one sample;
        `kl_to_uniform` (float): KL(histogram || uniform(10)) in nats with
        0 log 0 = 0: 0 when balanced, log 10 = 2.303 for a single class;
        `classifier_score` (float): exp(E_x KL(p(y|x) || p(y))), from 1 (all
        samples alike or all ambiguous) to 10 (confident and balanced);
        `mean_confidence` (float): mean of max_y p(y|x);
        `marginal_entropy`, `mean_entropy` (floats, nats): H(p(y)) and
        E_x H(p(y|x)), so that `classifier_score` = exp(marginal_entropy -
        mean_entropy) (`score_decomposition`): with balanced classes
        (marginal entropy near log 10) a score below 10 is all ambiguity;
        `class_mean_entropy` (10 floats or None): the mean entropy of the
        samples of each argmax class, None for a class with no sample;
        `class_runner_up` (10 ints or None): for each argmax class, the class
        most often second most probable among its samples (what the
        ambiguous ones of that class are confused with);
        `frechet_distance` (float or None): see `frechet_distance`; None
        unless both feature arrays are given.

    Raises:
        ValueError: `probs` is not an `(n, 10)` array of probabilities, or the
            feature arrays do not match it.
    """
    probs = _check_probs(probs)
    counts = np.bincount(np.argmax(probs, axis=1), minlength=NUM_CLASSES)
    shares = counts / counts.sum()
    return {
        "num_samples": int(len(probs)),
        "class_counts": [int(c) for c in counts],
        "class_shares": [float(s) for s in shares],
        "classes_covered_1pct": int(np.count_nonzero(shares > COVERAGE_SHARE)),
        "classes_with_any_sample": int(np.count_nonzero(counts)),
        "kl_to_uniform": reverse_kl_to_uniform(counts),
        "classifier_score": classifier_score(probs),
        "mean_confidence": float(np.mean(np.max(probs, axis=1))),
        **score_decomposition(probs),
        "frechet_distance": _optional_frechet(features, reference_features, len(probs)),
    }


def score_decomposition(probs):
    """What the classifier score is made of: class balance against per-sample ambiguity.

    log classifier_score = E_x KL(p(y|x) || p(y)) = H(p(y)) - E_x H(p(y|x)),
    so a score below its maximum is either unbalanced classes (a low
    marginal entropy) or ambiguous digits (a high mean entropy); the
    per-class figures say which classes are ambiguous and with what.

    Args:
        probs: `(n, K)` class probabilities (rows sum to 1).

    Returns:
        A JSON-safe dict: `marginal_entropy` and `mean_entropy` (nats),
        `class_mean_entropy` and `class_runner_up` (K entries each, None for
        a class no sample is argmax of); see `mode_report`.
    """
    probs = np.asarray(probs, dtype=np.float64)
    entropy = entr(probs).sum(axis=1)  # entr(p) = -p log p, 0 at p = 0
    marginal = probs.mean(axis=0)
    order = np.argsort(-probs, axis=1, kind="stable")  # ties: the first class, as np.argmax
    top, second = order[:, 0], order[:, 1]
    class_entropy, runner_up = [], []
    for c in range(probs.shape[1]):
        members = top == c
        if not members.any():
            class_entropy.append(None)
            runner_up.append(None)
            continue
        class_entropy.append(float(entropy[members].mean()))
        runner_up.append(int(np.argmax(np.bincount(second[members], minlength=probs.shape[1]))))
    return {
        "marginal_entropy": float(entr(marginal).sum()),
        "mean_entropy": float(entropy.mean()),
        "class_mean_entropy": class_entropy,
        "class_runner_up": runner_up,
    }


def classifier_score(probs):
    """The Inception-score analogue exp(E_x KL(p(y|x) || p(y))), over all samples at once.

    p(y) is the mean of p(y|x) over the samples. Unlike the usual Inception
    score this uses one split, not the mean of 10: splits estimate p(y) from
    fewer samples, which lowers the score slightly.

    Args:
        probs: `(n, K)` class probabilities.

    Returns:
        The score as a float in [1, K].
    """
    probs = np.asarray(probs, dtype=np.float64)
    marginal = probs.mean(axis=0)
    # rel_entr(p, q) = p log(p / q) with 0 log 0 = 0, so hard 0/1 outputs are fine.
    mean_kl = np.sum(rel_entr(probs, marginal[None, :]), axis=1).mean()
    return float(np.exp(mean_kl))


def feature_statistics(features):
    """Mean and covariance of features, in float64.

    Args:
        features: `(n, d)` array with n >= 2.

    Returns:
        `(mean (d,), covariance (d, d))`, the covariance with n - 1 in the
        denominator.
    """
    x = _check_matrix(features, "features", min_rows=2)
    return x.mean(axis=0), np.cov(x, rowvar=False)


def frechet_distance(features, reference_features):
    """Frechet distance between Gaussians fitted to two feature sets (FID's formula).

    d^2 = |mu1 - mu2|^2 + tr(S1 + S2 - 2 (S1 S2)^(1/2)).

    Args:
        features: `(n, d)` features, n >= 2.
        reference_features: `(m, d)` features, m >= 2.

    Returns:
        The squared distance d^2 as a float (FIDs are reported squared), >= 0.
    """
    mu1, cov1 = feature_statistics(features)
    mu2, cov2 = feature_statistics(reference_features)
    if mu1.shape != mu2.shape:
        raise ValueError(f"features have dimension {mu1.shape[0]} but reference_features "
                         f"{mu2.shape[0]}")
    trace_sqrt = _trace_sqrt_product(cov1, cov2)
    distance = np.sum((mu1 - mu2) ** 2) + np.trace(cov1) + np.trace(cov2) - 2.0 * trace_sqrt
    # Identical sets give 0 up to rounding, sometimes a hair below it.
    return float(max(distance, 0.0))


def _trace_sqrt_product(cov1, cov2):
    """tr((cov1 cov2)^(1/2)) by scipy.linalg.sqrtm, robust to singular covariances.

    Features after a ReLU have dead units (28 of 128 in the classifier trained here), whose
    rows and columns are zero in both covariances: they contribute nothing to
    the trace, so they are dropped exactly. What remains can still be singular
    (fewer samples than dimensions, a unit dead in one set only); sqrtm then
    warns but usually returns a usable root, which is checked: if it is not
    finite, a tiny ridge is added to both covariances, as the reference FID
    code does. The product of two PSD matrices has real non-negative
    eigenvalues, so an imaginary part is rounding error and is dropped, unless
    it is too large to be that: with far fewer samples than dimensions (a
    conditional GAN's per-class distances on small runs) sqrtm of the
    near-singular product can go astray, and the trace is then taken as
    the sum of the square roots of the eigenvalues of the symmetric
    cov1^(1/2) cov2 cov1^(1/2), which has the same eigenvalues.
    """
    live = (np.diag(cov1) > 0) | (np.diag(cov2) > 0)
    cov1, cov2 = cov1[np.ix_(live, live)], cov2[np.ix_(live, live)]
    if cov1.size == 0:
        return 0.0
    covmean = _quiet_sqrtm(cov1 @ cov2)
    if not np.all(np.isfinite(covmean)):
        ridge = np.eye(len(cov1)) * 1e-6 * max(np.trace(cov1), np.trace(cov2)) / len(cov1)
        covmean = _quiet_sqrtm((cov1 + ridge) @ (cov2 + ridge))
    if np.iscomplexobj(covmean):
        largest_imag = np.abs(covmean.imag).max()
        if largest_imag > 1e-3 * max(np.abs(covmean.real).max(), 1e-12):
            return _trace_sqrt_symmetric(cov1, cov2)
        covmean = covmean.real
    return float(np.trace(covmean))


def _trace_sqrt_symmetric(cov1, cov2):
    """tr((cov1 cov2)^(1/2)) from the eigenvalues of the symmetric PSD cov1^(1/2) cov2 cov1^(1/2)."""
    values, vectors = np.linalg.eigh(cov1)
    root = (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T
    product = root @ cov2 @ root
    eigenvalues = np.linalg.eigvalsh(0.5 * (product + product.T))
    return float(np.sum(np.sqrt(np.clip(eigenvalues, 0.0, None))))


def _quiet_sqrtm(matrix):
    """scipy.linalg.sqrtm without its singular-matrix warning (the caller checks the result)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", scipy.linalg.LinAlgWarning)
        return scipy.linalg.sqrtm(matrix)


def _optional_frechet(features, reference_features, num_samples):
    if features is None or reference_features is None:
        return None
    features = _check_matrix(features, "features", min_rows=2)
    if len(features) != num_samples:
        raise ValueError(f"features have {len(features)} rows but probs {num_samples}")
    return frechet_distance(features, reference_features)


def _check_probs(probs):
    """`probs` as float64 `(n, 10)` rows of probabilities, or ValueError."""
    p = _check_matrix(probs, "probs", min_rows=1)
    if p.shape[1] != NUM_CLASSES:
        raise ValueError(f"probs must have {NUM_CLASSES} columns (one per digit); "
                         f"got shape {p.shape}")
    if np.any(p < 0) or np.any(np.abs(p.sum(axis=1) - 1.0) > PROB_SUM_TOLERANCE):
        raise ValueError("probs must be non-negative with rows summing to 1 "
                         "(softmax outputs, not logits)")
    return p


def _check_matrix(x, name, min_rows):
    """A finite float64 2-D array with at least `min_rows` rows, or ValueError."""
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] < min_rows or x.shape[1] == 0:
        raise ValueError(f"{name} must have shape (n, d) with n >= {min_rows}; got {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return x


# ---------------------------------------------------------------------- Parzen


def parzen_log_likelihood(samples_flat, test_flat, sigma, batch_size=1000):
    """Log-likelihood of test points under an isotropic Gaussian Parzen window.

    log p(x) = log mean_i N(x; s_i, sigma^2 I)
             = logsumexp_i(-|x - s_i|^2 / (2 sigma^2)) - log N - d/2 log(2 pi sigma^2).

    Args:
        samples_flat: `(N, d)` kernel centres (generated samples, pixels in [0, 1]).
        test_flat: `(M, d)` points to score, same scale.
        sigma: Kernel standard deviation (> 0).
        batch_size: Rows per block of test points and of samples; the work
            space is about `4 * batch_size**2 * 8` bytes (32 MB at the default
            1000) on top of float32 copies of the inputs. Measured on the full
            protocol: 2000 was 30 % faster than 1000, 500 was 60 % slower.

    Returns:
        `(M,)` float64 log-likelihoods, in nats.
    """
    return parzen_log_likelihoods(samples_flat, test_flat, [sigma], batch_size)[0]


def parzen_log_likelihoods(samples_flat, test_flat, sigmas, batch_size=1000):
    """`parzen_log_likelihood` for several bandwidths, sharing the distance work.

    Squared distances come from |x|^2 + |s|^2 - 2 x.s with float32 matrix
    products (the expensive part, done once for all sigmas); the log-sum-exp
    runs in float64 and streams over blocks of samples, so nothing of size
    M x N is ever held. float32 rounding of the distances (about 1e-5 of
    |x|^2 ~ 100) moves a log-likelihood by under 1e-2 even at sigma = 0.1.

    Args:
        samples_flat: `(N, d)` kernel centres.
        test_flat: `(M, d)` points to score.
        sigmas: Sequence of positive bandwidths.
        batch_size: Block size, see `parzen_log_likelihood`.

    Returns:
        `(len(sigmas), M)` float64 log-likelihoods.
    """
    samples = _check_flat(samples_flat, "samples_flat")
    test = _check_flat(test_flat, "test_flat")
    if samples.shape[1] != test.shape[1]:
        raise ValueError(f"samples_flat have dimension {samples.shape[1]} but test_flat "
                         f"{test.shape[1]}")
    sigmas = np.asarray(sigmas, dtype=np.float64).reshape(-1)
    if sigmas.size == 0 or not np.all(np.isfinite(sigmas)) or np.any(sigmas <= 0):
        raise ValueError(f"sigmas must be positive and finite; got {sigmas}")
    if not is_integer(batch_size) or batch_size < 1:
        raise ValueError(f"batch_size must be a positive integer; got {batch_size!r}")
    batch_size = int(batch_size)

    neg_half_precision = -0.5 / sigmas**2
    sample_norms = np.einsum("ij,ij->i", samples, samples)
    log_kernel_sums = np.empty((sigmas.size, len(test)))
    for start in range(0, len(test), batch_size):
        rows = slice(start, start + batch_size)
        log_kernel_sums[:, rows] = _block_log_kernel_sums(
            test[rows], samples, sample_norms, neg_half_precision, batch_size)
    dim = samples.shape[1]
    log_norm = math.log(len(samples)) + 0.5 * dim * np.log(2.0 * np.pi * sigmas**2)
    return log_kernel_sums - log_norm[:, None]


def _block_log_kernel_sums(test_block, samples, sample_norms, neg_half_precision, batch_size):
    """logsumexp_i(-|x - s_i|^2 / (2 sigma^2)) for a block of test rows, every sigma.

    Returns `(num_sigmas, len(test_block))` float64.
    """
    test_norms = np.einsum("ij,ij->i", test_block, test_block)
    total = np.full((neg_half_precision.size, len(test_block)), -np.inf)
    for start in range(0, len(samples), batch_size):
        cols = slice(start, start + batch_size)
        sq = test_norms[:, None] + sample_norms[None, cols] - 2.0 * (test_block @ samples[cols].T)
        sq = np.maximum(sq, 0.0).astype(np.float64)  # rounding can dip below 0
        nearest = sq.min(axis=1)
        excess = sq - nearest[:, None]  # >= 0: exp never overflows, the nearest term is 1
        for k, scale in enumerate(neg_half_precision):
            block = scale * nearest + np.log(np.exp(scale * excess).sum(axis=1))
            np.logaddexp(total[k], block, out=total[k])
    return total


def _check_flat(x, name):
    """float32 C-contiguous `(n, d)`; float32 halves the matmul cost, see above."""
    x = np.asarray(x)
    if x.ndim != 2 or x.shape[0] == 0 or x.shape[1] == 0:
        raise ValueError(f"{name} must have shape (n, d) with n, d > 0; got {x.shape}")
    x = np.ascontiguousarray(x, dtype=np.float32)
    if not np.all(np.isfinite(x)):
        raise ValueError(f"{name} contains NaN or infinite values")
    return x


def parzen_protocol(samples, x_valid, x_test, sigmas=DEFAULT_SIGMAS, batch_size=1000):
    """The GAN paper's Parzen-window evaluation (Goodfellow et al. 2014, Table 1).

    Every image set is flattened to 784 pixels in [0, 1]: floats are read as
    generator outputs in [-1, 1], uint8 as 0..255 (see
    `metrics.pixels.as_unit_images`). Sigma is the grid value with the
    highest mean log-likelihood of `x_valid` (the product uses the last
    10,000 training images, train[50000:60000]); the whole validation split
    is used, no subset (the search costs one distance pass for all sigmas).
    Then the mean test log-likelihood is reported with its standard error.

    Args:
        samples: Generated images, `(N, 28, 28)` or `(N, 28, 28, 1)`; the paper
            uses N = 10,000.
        x_valid: Validation images (uint8 from `load_mnist`, or [-1, 1] floats).
        x_test: Test images, same conventions.
        sigmas: Bandwidth grid (default: the paper's logspace(-1, 0, 10)).
        batch_size: Block size of `parzen_log_likelihoods`.

    Returns:
        A JSON-safe dict: `sigma` (chosen bandwidth), `mean` and `stderr` (mean
        test log-likelihood in nats and its standard error), `sigmas` and
        `valid_mean_ll` (the search, one value per sigma), `sigma_at_grid_edge`
        (bool: the best sigma is the smallest or largest tried, so the grid
        may be too narrow), `num_samples`, `num_valid`, `num_test`,
        `valid_subset` (always False here: the full split is used) and `caveat`.
    """
    from keras_gan_latent.metrics.pixels import as_unit_images

    sample_flat, valid_flat, test_flat = (
        as_unit_images(x).reshape(len(x), -1) for x in (samples, x_valid, x_test))
    sigmas = np.asarray(sigmas, dtype=np.float64).reshape(-1)
    valid_mean = parzen_log_likelihoods(sample_flat, valid_flat, sigmas, batch_size).mean(axis=1)
    best = int(np.argmax(valid_mean))
    test_ll = parzen_log_likelihood(sample_flat, test_flat, sigmas[best], batch_size)
    stderr = float(test_ll.std(ddof=1) / math.sqrt(len(test_ll))) if len(test_ll) > 1 else None
    return {
        "sigma": float(sigmas[best]),
        "mean": float(test_ll.mean()),
        "stderr": stderr,
        "sigmas": [float(s) for s in sigmas],
        "valid_mean_ll": [float(v) for v in valid_mean],
        "sigma_at_grid_edge": bool(sigmas.size > 1 and best in (0, sigmas.size - 1)),
        "num_samples": int(len(sample_flat)),
        "num_valid": int(len(valid_flat)),
        "num_test": int(len(test_flat)),
        "valid_subset": False,
        "caveat": PARZEN_CAVEAT,
    }
