"""Digit images on the MNIST classifier's scale: float32 pixels in [0, 1].

Numpy only: the metrics (`mnist_modes`), the classifier (`models.classifier`)
and the digit pictures (`viz.digits`) all read images through `as_unit_images`.
"""

import numpy as np

from keras_gan_latent.data.mnist import IMAGE_SHAPE
from keras_gan_latent.errors import UserError

FLOAT_RANGE = (-1.0, 1.0)
"""Default scale of float images: a tanh generator's outputs."""
RANGE_TOLERANCE = 1e-3
"""Floats may overshoot their range by this much (rounding) before it is an error."""


def as_unit_images(images, float_range=FLOAT_RANGE):
    """Digits as float32 ``(n, 28, 28)`` with pixels in [0, 1], the classifier's scale.

    Args:
        images: ``(n, 28, 28)`` or ``(n, 28, 28, 1)``; uint8 0..255 (real MNIST
            from `load_mnist`) or floats in ``float_range``.
        float_range: ``(low, high)`` of float inputs; the default (-1, 1) is a
            tanh generator's, mapped by ``(x + 1) / 2``. Pass ``(0, 1)`` for
            floats already in [0, 1].

    Returns:
        float32 array ``(n, 28, 28)`` in [0, 1].

    Raises:
        UserError: Wrong shape, no images, another dtype, NaN/inf, or floats
            outside ``float_range``.
    """
    x = np.asarray(images)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.ndim != 3 or x.shape[1:] != IMAGE_SHAPE:
        raise UserError(f"images have shape {np.shape(images)} "
                        "(expected (n, 28, 28) or (n, 28, 28, 1))")
    if len(x) == 0:
        raise UserError("no images (expected at least one)")
    if x.dtype == np.uint8:
        return x.astype(np.float32) / np.float32(255.0)
    if not np.issubdtype(x.dtype, np.floating):
        raise UserError(f"images have dtype {x.dtype} "
                        f"(expected uint8 0..255 or float in [{float_range[0]}, {float_range[1]}])")
    return _floats_to_unit(x, float_range)


def _floats_to_unit(x, float_range):
    """Affine map of `float_range` onto [0, 1], after checking the values fit it."""
    low, high = (float(v) for v in float_range)
    if not high > low:
        raise UserError(f"float_range {float_range} must be (low, high) with low < high")
    lo, hi = np.min(x), np.max(x)  # NaN propagates into both, and fails the test
    slack = RANGE_TOLERANCE * (high - low)
    if not (lo >= low - slack and hi <= high + slack):
        raise UserError(f"float images range from {lo:.4g} to {hi:.4g} (expected "
                        f"[{low:g}, {high:g}], e.g. tanh outputs; uint8 for 0..255)")
    unit = (x.astype(np.float32) - np.float32(low)) / np.float32(high - low)
    return np.clip(unit, 0.0, 1.0)
