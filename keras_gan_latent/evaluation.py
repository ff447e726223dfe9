"""Evaluate a generator: every metric, as one JSON-safe report.

A source is an export folder (sampled with its own `sample` signature) or a
`.npy` of samples.

Toy targets (`evaluate_samples`): the report answers the article's open
question with numbers: divergences to the exact target density, mode
coverage for the mixtures, transport and kernel distances, and for 1-D
targets the KS statistic and the gap between the learned map and the
quantile function.

MNIST (`mnist_report`): there is no exact density, so generated digits are
judged by the cached classifier (`mnist_classifier`): the digit histogram and
how many classes it covers, its KL to uniform, the classifier score and the
Frechet distance in classifier features against the real test set, plus the
GAN paper's Parzen-window log-likelihood with Theis et al.'s caveat.
"""

import os

import numpy as np
import tensorflow as tf

from keras_gan_latent import metrics, priors
from keras_gan_latent.errors import UserError

# The k-NN estimators and the bootstrap need a few dozen points to mean anything.
MIN_SAMPLES = 50
# The VEEGAN/PacGAN protocol counts modes on 2,500 samples.
MODE_PROTOCOL_SAMPLES = 2500


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

    samples, sampler = _read_source(source, num_samples, seed, check_shape, "the estimators", "samples")
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
    """The target's exact log density as a numpy function."""
    return lambda x: target.log_prob(np.asarray(x, np.float32)).numpy().astype(np.float64)


def evaluate_samples(samples, target, seed=0, num_resamples=200):
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


def summary_row(report):
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


# ---------------------------------------------------------------------- MNIST

MNIST_TARGET = "mnist"
"""The `--target` of real MNIST digits: not a toy `Target` (there is no exact
density), so its report comes from the classifier (`mnist_report`)."""
MNIST_SAMPLES = 10_000
"""Default number of generated digits: the GAN paper's Parzen protocol and the
seed study's digit histogram both use 10,000."""
PARZEN_VALID_SIZE = 10_000
"""Parzen bandwidths are chosen on the last 10,000 training digits
(train[50000:60000] of real MNIST), as in the GAN paper."""
UNIT_RANGE = (0.0, 1.0)

MODE_KEYS = {
    "num_samples": "num_samples",
    "class_histogram": "class_counts",
    "class_shares": "class_shares",
    "classes_covered": "classes_covered_1pct",
    "classes_with_any": "classes_with_any_sample",
    "kl_uniform": "kl_to_uniform",
    "classifier_score": "classifier_score",
    "mean_confidence": "mean_confidence",
    "frechet_distance": "frechet_distance",
}
"""Report key -> `metrics.mnist_modes.mode_report` key."""


def is_image_shape(shape):
    """True if `shape` is one 28x28 digit's: `(28, 28)` or `(28, 28, 1)`."""
    from keras_gan_latent.datasets.mnist import IMAGE_SHAPE

    return tuple(shape) in (IMAGE_SHAPE, (*IMAGE_SHAPE, 1))


def export_sample_shape(sampler):
    """The shape of one sample of a loaded export, without generating anything.

    Args:
        sampler: An export from `export.load_export`.

    Returns:
        A tuple, e.g. `(2,)` for a 2-D toy generator or `(28, 28, 1)` for a DCGAN.
    """
    try:
        spec = sampler.generate.concrete_functions[0].structured_outputs["x"]
        return tuple(int(d) for d in spec.shape[1:])
    except (AttributeError, IndexError, KeyError, TypeError):
        # An export whose signature does not say: one sample tells.
        out = sampler.sample(num_samples=tf.constant(1, tf.int32), seed=tf.constant(0, tf.int64))
        return tuple(out["x"].shape[1:])


def check_digit_images(images):
    """Validates generated digits and maps them to [0, 1], the classifier's scale.

    Args:
        images: `(n, 28, 28)` or `(n, 28, 28, 1)` with n >= `MIN_SAMPLES`;
            floats in the generator's [-1, 1] (tanh) range or uint8 0..255.

    Returns:
        float32 `(n, 28, 28)` in [0, 1].

    Raises:
        UserError: one line naming the problem: wrong shape or dtype, NaN or
            infinite values, floats outside [-1, 1], or too few images.
    """
    from keras_gan_latent.mnist_classifier import as_unit_images

    x = np.asarray(images)
    # as_unit_images would call NaN an out-of-range value; say what it is.
    if np.issubdtype(x.dtype, np.floating) and not np.all(np.isfinite(x)):
        raise UserError("images contain NaN or infinite values (expected floats in [-1, 1] or uint8 0..255)")
    unit = as_unit_images(x)
    if len(unit) < MIN_SAMPLES:
        raise UserError(f"{len(unit)} images are too few; the MNIST report needs at least {MIN_SAMPLES}")
    return unit


def load_images(source, num_samples=MNIST_SAMPLES, seed=0):
    """Loads generated digits from an image generator's export or a `.npy` file.

    Args:
        source: Export folder (of a DCGAN: samples of shape (28, 28, 1)) or a
            `.npy` of shape `(n, 28, 28)` or `(n, 28, 28, 1)`, floats in
            [-1, 1] or uint8 0..255.
        num_samples: How many to draw from an export (a `.npy` is used whole).
        seed: Sampling seed for an export (its `sample` signature's seed).

    Returns:
        `(images, export_or_None)`: the images as stored (validated by
        `check_digit_images`, not rescaled) and the loaded export, if any.

    Raises:
        UserError: if the source is missing, unreadable, an export of a toy
            (non-image) generator, or holds invalid or too few images.
    """
    def check_shape(sampler, shape, config):
        if not is_image_shape(shape):
            raise UserError(f"export {source!r} generates samples of shape {shape} (target "
                            f"{config.get('target')!r}), not 28x28 digits; evaluate it with "
                            f"--target {config.get('target')}")

    images, sampler = _read_source(source, num_samples, seed, check_shape, "the MNIST report", "images")
    check_digit_images(images)
    return images, sampler


def digit_mode_summary(probs, features=None, reference_features=None):
    """`metrics.mnist_modes.mode_report` under the names of the MNIST report.

    Shared by `mnist_report` and the training view (`views.GridView`), so
    both say the same thing under the same names.

    Args:
        probs: `(n, 10)` classifier probabilities of generated digits.
        features: Optional `(n, d)` classifier features of the same digits.
        reference_features: Optional `(m, d)` features of real digits.

    Returns:
        A JSON-safe dict with the keys of `MODE_KEYS`: `num_samples`,
        `class_histogram` (10 counts), `class_shares`, `classes_covered`
        (classes with more than 1 % of the samples), `classes_with_any`,
        `kl_uniform` (KL(histogram || uniform(10)) in nats), `classifier_score`
        (1 to 10), `mean_confidence` and `frechet_distance` (None without
        both feature arrays).
    """
    from keras_gan_latent.metrics.mnist_modes import mode_report

    modes = mode_report(probs, features, reference_features)
    return {key: modes[source] for key, source in MODE_KEYS.items()}


def mnist_report(images, classifier=None, parzen=True, data_path=None):
    """The MNIST report of generated digits: classes, scores, FID and Parzen.

    The Frechet distance compares classifier features with those of the whole
    real test set; its scale is the classifier's own, not an Inception FID's,
    so the report carries the distance of as many real training digits to the
    same test set (about 1.1 with the cached classifier). The Parzen estimate follows
    the GAN paper (`metrics.mnist_modes.parzen_protocol`): sigma from
    logspace(-1, 0, 10) chosen on the last `PARZEN_VALID_SIZE` training digits,
    then the mean test log-likelihood and its standard error. It is the costly
    part (about a minute for 10,000 samples on 2 cores) and comes with
    Theis et al.'s caveat.

    Args:
        images: Generated digits, `(n, 28, 28)` or `(n, 28, 28, 1)`, floats in
            [-1, 1] or uint8 0..255 (see `check_digit_images`).
        classifier: The classifier model (`load_or_train_classifier().model`);
            default: load the cached one (trained silently the first time).
        parzen: Also compute the Parzen-window log-likelihood.
        data_path: Optional MNIST `.npz` (see `datasets.mnist.load_mnist`) for
            the reference digits and, with `classifier=None`, the classifier.

    Returns:
        A JSON-safe dict: the keys of `digit_mode_summary`; `reference`: the
        yardsticks of the figures above, what real digits score
        (`num_samples`, `classifier_score` and `mean_confidence` of the test
        set, `frechet_distance_train_vs_test` of the first as many training
        digits); and with `parzen`, `parzen`: `mean` and `standard_error` (nats),
        `sigma`, `caveat` and the rest of `parzen_protocol`'s search record.

    Raises:
        UserError: invalid images (one line), or MNIST cannot be loaded.
    """
    from keras_gan_latent.datasets.mnist import load_mnist
    from keras_gan_latent.metrics.mnist_modes import parzen_protocol
    from keras_gan_latent.mnist_classifier import classify, load_or_train_classifier

    unit = check_digit_images(images)
    if classifier is None:
        classifier = load_or_train_classifier(data_path=data_path, verbose=0).model
    x_train, _, x_test, _ = load_mnist(data_path)
    probs, features = classify(classifier, unit, float_range=UNIT_RANGE)
    reference_probs, reference_features, train_features = _reference_outputs(classifier, x_train, x_test)
    report = digit_mode_summary(probs, features, reference_features)
    # The yardsticks: what real digits score. Classifier-feature FIDs have no
    # published scale, so real training digits against the test set give one.
    real = digit_mode_summary(reference_probs, train_features, reference_features)
    report["reference"] = {
        "what": "real MNIST test digits",
        **{key: real[key] for key in ("num_samples", "classifier_score", "mean_confidence")},
        "frechet_distance_train_vs_test": real["frechet_distance"],
    }
    if parzen:
        found = parzen_protocol(images, x_train[-PARZEN_VALID_SIZE:], x_test)
        report["parzen"] = {("standard_error" if k == "stderr" else k): v for k, v in found.items()}
    return report


_REFERENCE_CACHE = {}
"""At most one entry: checksum of (classifier weights, digits) -> `_reference_outputs`."""


def _reference_outputs(classifier, x_train, x_test):
    """Classifier outputs of the real reference digits, memoised.

    Two thirds of a small report's time is classifying the 20,000 real
    reference digits; evaluating several generators in one process (a
    notebook, a sweep, the tests) does it once. The key is a checksum of the
    classifier's weights and of the digits themselves (about 0.05 s), so a
    retrained classifier or other data never get stale outputs.

    Returns:
        `(test_probs, test_features, train_features)`: the test set's, and
        the features of the first `len(x_test)` training digits.
    """
    from keras_gan_latent.mnist_classifier import classify, data_checksum

    x_train = x_train[: len(x_test)]
    key = data_checksum([np.asarray(w) for w in classifier.get_weights()] + [x_train, x_test])
    if key not in _REFERENCE_CACHE:
        test_probs, test_features = classify(classifier, x_test)
        _REFERENCE_CACHE.clear()
        _REFERENCE_CACHE[key] = (test_probs, test_features, classify(classifier, x_train)[1])
    return _REFERENCE_CACHE[key]


def mnist_report_image(images, report, title=""):
    """The seed study's pictogram as a picture: class histogram beside 25 samples.

    Args:
        images: The generated digits (the first 25 are shown, 5 x 5).
        report: Its `mnist_report` (or `digit_mode_summary`).
        title: Title of the bar chart.

    Returns:
        uint8 RGB array `(H, W, 3)`: the digit grid (scaled up to the chart's
        height) on the left, the bar chart on the right, on white.
    """
    from keras_gan_latent.mnist_plots import class_histogram_image, image_grid

    chart = class_histogram_image(report["class_histogram"], title=title)
    grid = image_grid(images, 5, 5)
    scale = max(1, round(chart.shape[0] / grid.shape[0]))  # whole pixels: the digits stay sharp
    grid = np.repeat(np.repeat(grid, scale, axis=0), scale, axis=1)
    height = max(chart.shape[0], grid.shape[0])
    gap = np.full((height, 16, 3), 255, np.uint8)
    panels = [_pad_to_height(grid, height), gap, _pad_to_height(chart, height)]
    return np.concatenate(panels, axis=1)


def _pad_to_height(image, height):
    """`image` centred vertically on a white strip `height` pixels tall."""
    top = (height - image.shape[0]) // 2
    out = np.full((height, *image.shape[1:]), 255, np.uint8)
    out[top : top + image.shape[0]] = image
    return out


def _read_source(source, num_samples, seed, check_shape, purpose, what):
    """Samples from an export folder or the array of a `.npy` file.

    Args:
        source: Export folder or `.npy` path.
        num_samples: How many to draw from an export.
        seed: Sampling seed for an export.
        check_shape: `check_shape(sampler, sample_shape, config)` raises a
            `UserError` for an export of the wrong kind, before it samples.
        purpose: What the samples are for, in the -n error.
        what: What a sample is ("samples", "images"), in the read error.

    Returns:
        `(array, export_or_None)`.
    """
    sampler = None
    if os.path.isdir(source):
        from keras_gan_latent.export import load_export

        if num_samples < MIN_SAMPLES:
            raise UserError(f"-n must be at least {MIN_SAMPLES} for {purpose}, got {num_samples}")
        sampler, config = load_export(source)
        check_shape(sampler, export_sample_shape(sampler), config)
        out = sampler.sample(num_samples=tf.constant(num_samples, tf.int32), seed=tf.constant(seed, tf.int64))
        array = out["x"].numpy()
    elif os.path.isfile(source):
        try:
            array = np.load(source, allow_pickle=False)
        except Exception as exc:  # not an .npy at all, or an object array
            raise UserError(f"cannot read {source!r} as a .npy array of {what} ({type(exc).__name__})") from exc
    else:
        raise UserError(f"source {source!r} is neither an export folder nor a .npy file")
    return array, sampler
