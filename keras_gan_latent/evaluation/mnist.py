"""Evaluate a digit generator on MNIST, as one JSON-safe report.

A source is an export folder (sampled with its own `sample` signature) or a
`.npy` of images.

There is no exact density, so generated digits (`mnist_report`) are judged by
the cached classifier (`models.classifier`): the digit histogram and how
many classes it covers, its KL to uniform, the classifier score and the
Frechet distance in classifier features against the real test set, plus the
GAN paper's Parzen-window log-likelihood with Theis et al.'s caveat.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from keras_gan_latent.data.mnist import load_mnist
from keras_gan_latent.errors import UserError
from keras_gan_latent.evaluation import MNIST_SAMPLES, MNIST_TARGET  # noqa: F401 (MNIST_TARGET re-exported)
from keras_gan_latent.metrics.code_discovery import code_discovery
from keras_gan_latent.metrics.mnist_modes import mode_report, parzen_protocol
from keras_gan_latent.models.classifier import as_unit_images, classify, data_checksum, load_or_train_classifier
from keras_gan_latent.viz.digits import class_histogram_image, image_grid

if TYPE_CHECKING:
    import keras
from keras_gan_latent.evaluation.samples import MIN_SAMPLES, read_source, is_image_shape

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
    "marginal_entropy": "marginal_entropy",
    "mean_entropy": "mean_entropy",
    "class_mean_entropy": "class_mean_entropy",
    "class_runner_up": "class_runner_up",
    "frechet_distance": "frechet_distance",
}
"""Report key -> `metrics.mnist_modes.mode_report` key."""
MODE_SCALARS = ("classes_covered", "classes_with_any", "kl_uniform", "classifier_score", "mean_confidence", "frechet_distance")
"""The keys of `digit_mode_summary` a `DigitModeReporter` gives as scalars (the training view's `modes/<key>`)."""



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

    images, sampler = read_source(source, num_samples, seed, check_shape, "the MNIST report", "images")
    check_digit_images(images)
    return images, sampler


def code_discovery_report(sampler, classifier, num_codes, samples_per_code, seed=0):
    """Unsupervised class discovery of an export with a discrete latent part: `metrics.code_discovery` of its digits per code.

    Draws `samples_per_code` digits for each code k with the export's
    `sample_code(samples_per_code, seed, k)` (the same continuous noise for
    every code) and classifies them (argmax of the classifier).

    Args:
        sampler: A loaded export whose latent has a discrete part of
            `num_codes` values, drawn from by its `sample_code` (an InfoGAN
            code, `--latent-code K`, or a self-conditioned GAN's clusters).
        classifier: The classifier model (`load_or_train_classifier`).
        num_codes: K (`experiments.num_codes_of` the export's config).
        samples_per_code: Digits drawn per code (at least 1; at least
            `MIN_SAMPLES` digits over all codes).
        seed: The `sample_code` seed.

    Returns:
        `metrics.code_discovery.code_discovery`'s dict (codes x 10 digits)
        plus `samples_per_code_drawn` and `seed`.

    Raises:
        UserError: an export without a discrete part, `samples_per_code` < 1,
            or fewer than `MIN_SAMPLES` digits in all.
    """
    import tensorflow as tf

    if not num_codes or sampler is None or not hasattr(sampler, "sample_code"):
        raise UserError("class discovery needs an export whose latent has a discrete part (--latent-code K, or --model selfcond)")
    if samples_per_code < 1:
        raise UserError(f"class discovery needs at least 1 digit per code, got {samples_per_code}")
    images = [
        sampler.sample_code(num_samples=tf.constant(samples_per_code, tf.int32), seed=tf.constant(seed, tf.int64),
                            code=tf.constant(code, tf.int32))["x"].numpy()
        for code in range(num_codes)
    ]
    probs, _ = classify(classifier, check_digit_images(np.concatenate(images)), float_range=UNIT_RANGE)
    codes = np.repeat(np.arange(num_codes), samples_per_code)
    report = code_discovery(codes, np.argmax(probs, axis=1), num_codes=num_codes)
    return {**report, "samples_per_code_drawn": int(samples_per_code), "seed": int(seed)}


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
        (1 to 10), `mean_confidence`, the score's decomposition
        (`marginal_entropy`, `mean_entropy`, `class_mean_entropy`,
        `class_runner_up`: see `metrics.mnist_modes.score_decomposition`)
        and `frechet_distance` (None without both feature arrays).
    """
    modes = mode_report(probs, features, reference_features)
    return {key: modes[source] for key, source in MODE_KEYS.items()}


class DigitModeReporter:
    """The classifier's mode report of generated digits, as the training view writes it.

    The real digits' features are computed once, here; each call classifies
    the generated digits and compares them.

    Args:
        classifier: The classifier model (`load_or_train_classifier().model`).
        reference_images: Real digits (uint8) for the Frechet distance: pass
            the whole test set, as `mnist_report` does, so the estimate's
            small-sample bias is the same.

    Examples:
        >>> view = views.GridView(x_test[:25], mode_report=DigitModeReporter(classifier, x_test))
    """

    def __init__(self, classifier, reference_images):
        self.classifier = classifier
        self.reference_features = classify(classifier, reference_images)[1]

    def __call__(self, images):
        """Generated digits in [-1, 1] -> `({key: float} for `MODE_SCALARS`, the 10 class counts)`."""
        scalars, counts, _, _ = self.classified(images)
        return scalars, counts

    def classified(self, images):
        """`(scalars, class counts, probs, features)`: the call's answer and the classifier's outputs."""
        probs, features = classify(self.classifier, images)
        report = digit_mode_summary(probs, features, self.reference_features)
        return {key: float(report[key]) for key in MODE_SCALARS}, report["class_histogram"], probs, features


CODED_SCALARS = MODE_SCALARS + ("code_accuracy", "code_majority_accuracy")
"""The scalars a `CodedDigitModeReporter` gives (the training view's `modes/<key>`)."""


class CodedDigitModeReporter(DigitModeReporter):
    """The training view's mode report of a generator with a latent code: `DigitModeReporter` plus class discovery.

    Adds `metrics.code_discovery`'s `accuracy` (the best one-to-one
    assignment of codes to the digits the classifier sees) as
    `code_accuracy`, and its many-to-one `majority_accuracy` as
    `code_majority_accuracy`, of the digits drawn with each code, so
    TensorBoard shows the code turning into the digit's class (or not)
    during training. `evaluate.py` gives the same figures of an export.

    Args:
        classifier: The classifier model.
        reference_images: Real digits (uint8) for the Frechet distance (the whole test set).
        num_codes: K, the code's values.

    Examples:
        >>> view = views.CodeGridView(x_test, 10, mode_report=CodedDigitModeReporter(classifier, x_test, 10))
    """

    def __init__(self, classifier, reference_images, num_codes):
        super().__init__(classifier, reference_images)
        self.num_codes = int(num_codes)

    def __call__(self, images, codes):
        """Generated digits in [-1, 1] and the codes they were drawn with -> `({key: float} for `CODED_SCALARS`, class counts)`."""
        scalars, counts, probs, _ = self.classified(images)
        found = code_discovery(np.asarray(codes).reshape(-1), np.argmax(probs, axis=1), num_codes=self.num_codes)
        scalars["code_accuracy"] = float(found["accuracy"])
        scalars["code_majority_accuracy"] = float(found["majority_accuracy"])
        return scalars, counts


def mnist_report(
    images: np.ndarray, classifier: keras.Model | None = None, parzen: bool = True, data_path: str | None = None
) -> dict:
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
        data_path: Optional MNIST `.npz` (see `data.mnist.load_mnist`) for
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
        **{key: real[key] for key in ("num_samples", "classifier_score", "mean_confidence", "mean_entropy")},
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
    x_train = x_train[: len(x_test)]
    key = data_checksum([np.asarray(w) for w in classifier.get_weights()] + [x_train, x_test])
    if key not in _REFERENCE_CACHE:
        test_probs, test_features = classify(classifier, x_test)
        _REFERENCE_CACHE.clear()
        _REFERENCE_CACHE[key] = (test_probs, test_features, classify(classifier, x_train)[1])
    return _REFERENCE_CACHE[key]


def mnist_report_image(images, report, title="", grid=None):
    """The seed study's pictogram as a picture: class histogram beside 25 samples.

    Args:
        images: The generated digits (the first 25 are shown, 5 x 5).
        report: Its `mnist_report` (or `digit_mode_summary`).
        title: Title of the bar chart.
        grid: Another (H, W, 3) uint8 picture of the digits to show instead
            of the 5 x 5 grid (e.g. a conditional GAN's class rows).

    Returns:
        uint8 RGB array `(H, W, 3)`: the digit grid (scaled up to the chart's
        height) on the left, the bar chart on the right, on white.
    """
    chart = class_histogram_image(report["class_histogram"], title=title)
    if grid is None:
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
