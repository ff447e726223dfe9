"""Evaluate a class-conditional digit generator: does it draw the digit you ask for, in every style?

The MNIST report (`evaluation.mnist.mnist_report`) judges the digits as a
whole. A conditional generator is also asked for a label per digit, so
`conditional_report` adds, from the same classifier:

* `label_agreement`: the share of digits the classifier assigns to the label
  they were generated for (the classifier's own test accuracy, about 99.3 %,
  is the ceiling a perfect generator reaches).
* per class, the Frechet distance of the digits asked for as that class
  against that class's real test digits (classifier features), beside the
  distance of as many real training digits of the class (the yardstick);
* per class, within-class diversity: the mean pairwise distance between
  digits asked for as that class, divided by the same mean over real test
  digits of the class, in classifier features and in pixels. 1 is as varied
  as real digits; near 0 the class has collapsed to one drawing.

A source is the export folder of a conditional run: its `sample` signature
returns the labels it drew (uniform over the classes) beside the digits.
"""

import os

import numpy as np

from keras_gan_latent.data.mnist import NUM_CLASSES, load_mnist
from keras_gan_latent.errors import UserError
from keras_gan_latent.evaluation.mnist import (
    MODE_SCALARS,
    UNIT_RANGE,
    DigitModeReporter,
    _reference_outputs,
    check_digit_images,
    mnist_report_image,
)
from keras_gan_latent.evaluation.samples import MIN_SAMPLES, export_sample_shape, is_image_shape
from keras_gan_latent.metrics.mnist_modes import frechet_distance
from keras_gan_latent.metrics.pixels import as_unit_images
from keras_gan_latent.models.classifier import classify
from keras_gan_latent.viz.digits import image_grid

CONDITIONAL_SCALARS = MODE_SCALARS + ("label_agreement", "within_class_diversity")
"""The scalars a `ConditionalDigitModeReporter` gives (the training view's `modes/<key>`)."""
DIVERSITY_SAMPLES = 500
"""Digits per class (generated, and real) whose pairwise distances the diversity figures average."""
CLASS_ROW_COLUMNS = 10  # the report picture: the first 10 digits asked for as each class, one row per class


class ConditionalDigitModeReporter(DigitModeReporter):
    """The training view's mode report of a conditional generator: `DigitModeReporter` plus the labels' figures.

    Adds `label_agreement` and `within_class_diversity` (in classifier
    features, against the real test digits of each class), so TensorBoard
    shows a generator that draws the right digit but only one drawing of it.

    Args:
        classifier: The classifier model.
        reference_images: Real digits (uint8) for the Frechet distance (the whole test set).
        reference_labels: Their labels, for each class's real diversity.

    Examples:
        >>> view = views.ClassGridView(x_test, y_test, mode_report=ConditionalDigitModeReporter(classifier, x_test, y_test))
    """

    def __init__(self, classifier, reference_images, reference_labels):
        super().__init__(classifier, reference_images)
        self.reference_diversity = class_diversities(self.reference_features, reference_labels)

    def __call__(self, images, labels):
        """Generated digits in [-1, 1] and their requested labels -> `({key: float} for `CONDITIONAL_SCALARS`, class counts)`."""
        scalars, counts, probs, features = self.classified(images)
        scalars["label_agreement"] = label_agreement(probs, labels)
        ratios = [r for r in diversity_ratios(class_diversities(features, labels), self.reference_diversity) if r is not None]
        if ratios:  # none with fewer than 2 digits in every class
            scalars["within_class_diversity"] = _mean(ratios)
        return scalars, counts


def label_agreement(probs, labels):
    """The share of digits whose classifier argmax is the label they were generated for.

    Args:
        probs: `(n, 10)` classifier probabilities.
        labels: `(n,)` requested labels.

    Returns:
        A float in [0, 1].
    """
    labels = np.asarray(labels).reshape(-1)
    if len(labels) != len(probs):
        raise ValueError(f"{len(probs)} digits but {len(labels)} labels")
    return float(np.mean(np.argmax(probs, axis=1) == labels))


def load_labelled_images(source, num_samples, seed=0):
    """Digits and the labels they were asked for, from a conditional generator's export.

    Args:
        source: The export folder of a conditional run (its `sample` returns `label`).
        num_samples: How many digits (labels drawn uniformly by the export).
        seed: The export's sampling seed.

    Returns:
        `(images, labels, sampler)`: float images (n, 28, 28, 1) in [-1, 1],
        int32 labels (n,) and the loaded export.

    Raises:
        UserError: (one line) if `source` is no export folder (a `.npy` holds
            no labels), not an image generator's, not conditional, or
            `num_samples` is below `MIN_SAMPLES`.
    """
    if not os.path.isdir(source):
        raise UserError(
            f"the conditional report needs the labels the digits were asked for: give the export folder "
            f"of a --model cgan run, not {source!r}"
        )
    if num_samples < MIN_SAMPLES:
        raise UserError(f"-n must be at least {MIN_SAMPLES} for the conditional report, got {num_samples}")
    import tensorflow as tf

    from keras_gan_latent.training.export import load_export

    sampler, config = load_export(source)
    shape = export_sample_shape(sampler)
    if not is_image_shape(shape):
        raise UserError(f"export {source!r} generates samples of shape {shape}, not 28x28 digits")
    out = sampler.sample(num_samples=tf.constant(num_samples, tf.int32), seed=tf.constant(seed, tf.int64))
    if "label" not in out:
        raise UserError(
            f"export {source!r} (--model {config.get('model')}) is not conditional: its samples have no labels"
        )
    images = out["x"].numpy()
    check_digit_images(images)
    return images, out["label"].numpy().astype(np.int32), sampler


def mean_pairwise_distance(points):
    """Mean Euclidean distance over all pairs of rows of `points` (n >= 2), in float64."""
    x = np.asarray(points, dtype=np.float64).reshape(len(points), -1)
    squared = np.sum(x * x, axis=1)
    gram = squared[:, None] + squared[None, :] - 2.0 * (x @ x.T)
    upper = np.triu_indices(len(x), k=1)
    return float(np.mean(np.sqrt(np.maximum(gram[upper], 0.0))))


def class_diversities(points, labels, limit=DIVERSITY_SAMPLES):
    """Per class, the mean pairwise distance of the first `limit` points of that label (None below 2 points).

    Args:
        points: `(n, ...)` features or images, one per label.
        labels: `(n,)` class labels in 0..9.
        limit: Points per class at most (the cost is quadratic in it).

    Returns:
        A list of `NUM_CLASSES` floats or None.
    """
    labels = np.asarray(labels).reshape(-1)
    found = []
    for c in range(NUM_CLASSES):
        mine = np.asarray(points)[labels == c][:limit]
        found.append(mean_pairwise_distance(mine) if len(mine) >= 2 else None)
    return found


def diversity_ratios(diversities, reference):
    """Each class's diversity over the reference's (None where either is None or the reference is 0)."""
    return [None if d is None or not r else d / r for d, r in zip(diversities, reference)]


def conditional_report(images, labels, classifier, data_path=None, diversity_samples=DIVERSITY_SAMPLES):
    """What a conditional generator's digits say of the labels they were asked for.

    Args:
        images: Generated digits `(n, 28, 28[, 1])`, floats in [-1, 1] or uint8.
        labels: The requested labels `(n,)`, integers in 0..9.
        classifier: The classifier model (`load_or_train_classifier().model`).
        data_path: Optional MNIST `.npz` for the real digits.
        diversity_samples: Digits per class (the first ones) whose pairwise
            distances the diversity figures average.

    Returns:
        A JSON-safe dict: `label_agreement`; `mean_class_frechet_distance`
        (mean over the classes with 2+ digits of the per-class distances),
        `within_class_diversity` and `within_class_pixel_diversity` (means
        over classes of the diversity ratios), `least_diverse_class` and
        `classes_scored`; `per_class`: per label `label`, `num_samples`,
        `label_agreement`, `frechet_distance`, `frechet_distance_real` (real
        training vs test digits of the class), `feature_diversity`,
        `feature_diversity_real`, `feature_diversity_ratio`,
        `pixel_diversity`, `pixel_diversity_real`, `pixel_diversity_ratio`
        (None where a class has fewer than 2 digits); and
        `conditional_reference`, the yardsticks' means over classes.

    Raises:
        UserError: invalid images or labels (one line).
    """
    from keras_gan_latent.models.cgan import check_labels

    unit = check_digit_images(images)
    labels = check_labels(np.asarray(labels).reshape(-1), NUM_CLASSES)
    if len(labels) != len(unit):
        raise UserError(f"{len(unit)} digits but {len(labels)} labels: give one requested label per digit")
    x_train, y_train, x_test, y_test = load_mnist(data_path)
    probs, features = classify(classifier, unit, float_range=UNIT_RANGE)
    _, test_features, train_features = _reference_outputs(classifier, x_train, x_test)
    train_labels = np.asarray(y_train)[: len(train_features)]
    test_labels = np.asarray(y_test)
    predicted = np.argmax(probs, axis=1)
    diversity = {
        "feature": (class_diversities(features, labels, diversity_samples),
                    class_diversities(test_features, test_labels, diversity_samples)),
        "pixel": (class_diversities(unit, labels, diversity_samples),
                  class_diversities(as_unit_images(x_test), test_labels, diversity_samples)),
    }
    per_class = []
    for c in range(NUM_CLASSES):
        mine = labels == c
        count = int(mine.sum())
        real = test_labels == c
        entry = {
            "label": c,
            "num_samples": count,
            "label_agreement": float(np.mean(predicted[mine] == c)) if count else None,
            "frechet_distance": frechet_distance(features[mine], test_features[real]) if count >= 2 else None,
            "frechet_distance_real": frechet_distance(train_features[train_labels == c], test_features[real]),
        }
        for kind, (generated, reference) in diversity.items():
            entry[f"{kind}_diversity"] = generated[c]
            entry[f"{kind}_diversity_real"] = reference[c]
            entry[f"{kind}_diversity_ratio"] = diversity_ratios(generated, reference)[c]
        per_class.append(entry)
    scored = [e for e in per_class if e["frechet_distance"] is not None]
    least = min(scored, key=lambda e: e["feature_diversity_ratio"]) if scored else None
    return {
        "label_agreement": label_agreement(probs, labels),
        "mean_class_frechet_distance": _mean([e["frechet_distance"] for e in scored]),
        "within_class_diversity": _mean([e["feature_diversity_ratio"] for e in scored]),
        "within_class_pixel_diversity": _mean([e["pixel_diversity_ratio"] for e in scored]),
        "least_diverse_class": None if least is None else {"label": least["label"], "feature_diversity_ratio": least["feature_diversity_ratio"]},
        "classes_scored": len(scored),
        "per_class": per_class,
        "conditional_reference": {
            "what": "real MNIST digits of each class: training digits (among the first 10,000) vs test digits",
            "mean_class_frechet_distance": _mean([e["frechet_distance_real"] for e in per_class]),
            "diversity_samples": int(diversity_samples),
        },
    }


def _mean(values):
    return float(np.mean(values)) if values else None


def class_rows(images, labels, columns=CLASS_ROW_COLUMNS):
    """The first `columns` digits asked for as each class, row by row (black where a class has fewer).

    Returns:
        An array `(NUM_CLASSES * columns, ...)` of the images' dtype, for `image_grid(_, NUM_CLASSES, columns)`.
    """
    images = np.asarray(images)
    labels = np.asarray(labels).reshape(-1)
    black = 0 if images.dtype == np.uint8 else -1.0
    rows = np.full((NUM_CLASSES * columns, *images.shape[1:]), black, images.dtype)
    for c in range(NUM_CLASSES):
        found = images[labels == c][:columns]
        rows[c * columns : c * columns + len(found)] = found
    return rows


def conditional_report_image(images, labels, report, title=""):
    """The report as a picture: one row per requested class (10 digits each) beside the class histogram.

    Args:
        images: The generated digits.
        labels: Their requested labels.
        report: Their MNIST report (with `class_histogram`).
        title: Title of the bar chart.

    Returns:
        uint8 RGB array `(H, W, 3)`.
    """
    grid = image_grid(class_rows(images, labels), NUM_CLASSES, CLASS_ROW_COLUMNS)
    return mnist_report_image(images, report, title=title, grid=grid)
