"""The MNIST arrays: their names, shapes and sizes, and the strict checks every
source's arrays pass (`validate_arrays`)."""

from __future__ import annotations

import hashlib
import os
from typing import Dict, Optional, Tuple

import numpy as np

from keras_gan_latent.errors import UserError

MnistArrays = Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""(x_train, y_train, x_test, y_test): uint8 images (n, 28, 28), uint8 labels (n,)."""

KEYS = ("x_train", "y_train", "x_test", "y_test")
IMAGE_SHAPE = (28, 28)
NUM_CLASSES = 10  # the digits 0..9: the labels' classes
TRAIN_SIZE, TEST_SIZE = 60_000, 10_000




def validate_arrays(raw: Dict[str, np.ndarray], origin: str) -> MnistArrays:
    """Check MNIST arrays and convert them to the canonical uint8 form.

    Args:
        raw: Mapping with keys ``x_train``, ``y_train``, ``x_test``, ``y_test``.
        origin: Where the arrays came from, used to start every error message.

    Returns:
        ``(x_train, y_train, x_test, y_test)`` as uint8, images ``(n, 28, 28)``.

    Raises:
        UserError: One line naming the array, the problem and what is expected.
    """
    out = []
    for split in ("train", "test"):
        x = _as_uint8_images(raw[f"x_{split}"], f"{origin}: x_{split}")
        y = _as_uint8_labels(raw[f"y_{split}"], f"{origin}: y_{split}")
        if len(x) != len(y):
            raise UserError(f"{origin}: x_{split} has {len(x)} images but y_{split} has "
                            f"{len(y)} labels (expected the same number)")
        out += [x, y]
    return tuple(out)


def _as_uint8_images(x: np.ndarray, what: str) -> np.ndarray:
    """Images as uint8 (n, 28, 28); see `validate_arrays`."""
    x = np.asarray(x)
    if x.ndim == 2 and x.shape[1] == 28 * 28:
        x = x.reshape(-1, *IMAGE_SHAPE)
    if x.ndim != 3 or x.shape[1:] != IMAGE_SHAPE:
        raise UserError(f"{what} has shape {x.shape} (expected (n, 28, 28) or (n, 784))")
    if len(x) == 0:
        raise UserError(f"{what} is empty (expected at least one image)")
    if x.dtype == np.uint8:
        return x
    if np.issubdtype(x.dtype, np.floating):
        return _unit_floats_to_uint8(x, what)
    raise UserError(f"{what} has dtype {x.dtype} (expected uint8 0..255 or float in [0, 1])")


def _unit_floats_to_uint8(x: np.ndarray, what: str) -> np.ndarray:
    """Float pixels in [0, 1] back to 0..255.

    The usual convention is pixel/255, but mnist.pkl.gz stores pixel/256; when
    every value is an exact multiple of 1/256 (and none reaches 1) that is the
    scale, so such data round-trips losslessly instead of being shifted a level.
    """
    x = x.astype(np.float64)
    # `not (a <= b)` also catches NaN, which compares false with everything.
    if not (np.all(x >= 0.0) and np.all(x <= 1.0)):
        raise UserError(f"{what} has float values outside [0, 1] ({_value_range(x)}; "
                        "expected float in [0, 1] or uint8 0..255)")
    scaled = x * 256.0
    if x.max() < 1.0 and np.array_equal(scaled, np.rint(scaled)):
        return scaled.astype(np.uint8)
    return np.rint(x * 255.0).astype(np.uint8)


def _value_range(x: np.ndarray) -> str:
    """"min A, max B" of the finite values, plus a NaN/inf note when there are others."""
    finite = x[np.isfinite(x)]
    text = f"min {finite.min():.4g}, max {finite.max():.4g}" if finite.size else "no finite values"
    return text if finite.size == x.size else text + ", with NaN or inf"


def _as_uint8_labels(y: np.ndarray, what: str) -> np.ndarray:
    """Labels as uint8 (n,) with values 0..9; see `validate_arrays`."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise UserError(f"{what} has shape {y.shape} (expected (n,) digit labels)")
    if not np.issubdtype(y.dtype, np.integer):
        raise UserError(f"{what} has dtype {y.dtype} (expected integer labels 0..9)")
    if len(y) and (y.min() < 0 or y.max() >= NUM_CLASSES):
        raise UserError(f"{what} has labels from {y.min()} to {y.max()} "
                        f"(expected integers 0..{NUM_CLASSES - 1})")
    return y.astype(np.uint8)


def _check_real_sizes(arrays: MnistArrays, origin: str) -> None:
    """Refuse a source that is not the full real MNIST (60,000 + 10,000)."""
    n_train, n_test = len(arrays[0]), len(arrays[2])
    if (n_train, n_test) != (TRAIN_SIZE, TEST_SIZE):
        raise UserError(f"{origin}: has {n_train} training and {n_test} test images "
                        f"(expected {TRAIN_SIZE} and {TEST_SIZE})")


def sha256_file(path: os.PathLike | str) -> str:
    """Hex SHA-256 of a file, read in chunks.

    Args:
        path: The file.

    Returns:
        64 lowercase hex digits.
    """
    sha = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            sha.update(chunk)
    return sha.hexdigest()




def _one_line(exc: BaseException) -> str:
    """An exception as one line, so every UserError stays a single line."""
    return " ".join(str(exc).split()) or type(exc).__name__


def _last_line(text: Optional[str]) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else ""


def to_unit_range(x_uint8):
    """uint8 digits (n, 28, 28) -> float32 (n, 28, 28, 1) in [-1, 1] (x / 127.5 - 1), as the networks take them."""
    return (np.asarray(x_uint8, np.float32) / 127.5 - 1.0)[..., None]
