"""Two digit domains with a known translation, for a translator (`--model cyclegan`); numpy only.

`mnist` is upright MNIST digits; `mnist_rot` is digits under a fixed
transform T the model is not told: rotated 90 degrees counter-clockwise and
thickened by a 3x3 maximum filter (grey-scale dilation). A translator is
trained on unpaired digits: the source domain takes the first half of the
training images, the target domain the other half (each under its own
transform), so no digit appears on both sides. Because T is known, every
held-out test digit u gives a pair: x = S(u) in the source domain and its
true translation T_target(u) in the target domain.

T is not injective (dilation merges strokes closer than 3 pixels), so its
inverse is a pseudo-inverse: rotate back and erode with a 3x3 minimum
filter (`upright`). Erosion after dilation is a morphological closing, which
returns most digits exactly and fills only gaps narrower than the filter.
"""

import numpy as np

ROTATED_DIGITS = "mnist_rot"  # the transformed domain's name (`--source`/`--target` of a cyclegan)
FILTER_SIZE = 3  # the square of the thickening filter


def _rank_filter(images, reduce):
    """`reduce` (np.maximum or np.minimum) over each pixel's 3x3 neighbourhood; outside pixels do not count."""
    pad = FILTER_SIZE // 2
    info = np.iinfo(images.dtype) if images.dtype.kind in "iu" else np.finfo(images.dtype)
    fill = info.min if reduce is np.maximum else info.max
    padded = np.pad(images, ((0, 0), (pad, pad), (pad, pad)), constant_values=fill)
    height, width = images.shape[1:3]
    out = padded[:, :height, :width].copy()
    for dy in range(FILTER_SIZE):
        for dx in range(FILTER_SIZE):
            reduce(out, padded[:, dy:dy + height, dx:dx + width], out=out)
    return out


def rotate_thicken(images):
    """T: digits `(n, 28, 28[, 1])` (uint8, or floats on any scale where ink is high) rotated 90 degrees
    counter-clockwise, then dilated by a 3x3 maximum filter; same shape and dtype."""
    return _per_image(images, lambda u: _rank_filter(np.rot90(u, 1, axes=(1, 2)), np.maximum))


def unrotate_thin(images):
    """T's pseudo-inverse: digits eroded by a 3x3 minimum filter, then rotated back (90 degrees clockwise)."""
    return _per_image(images, lambda v: np.rot90(_rank_filter(v, np.minimum), -1, axes=(1, 2)))


def _per_image(images, transform):
    """`transform` of `(n, h, w)` images, applied to `(n, h, w)` or `(n, h, w, 1)` and returned in that shape."""
    images = np.asarray(images)
    channel = images.ndim == 4 and images.shape[-1] == 1
    if images.ndim != 3 and not channel:
        raise ValueError(f"digit transforms take images (n, h, w) or (n, h, w, 1), got shape {images.shape}")
    out = np.ascontiguousarray(transform(images[..., 0] if channel else images))
    return out[..., None] if channel else out


# Each domain's map from upright digits into it, and back to upright (what the classifier knows).
_FORWARD = {"mnist": lambda u: np.asarray(u), ROTATED_DIGITS: rotate_thicken}
_UPRIGHT = {"mnist": lambda u: np.asarray(u), ROTATED_DIGITS: unrotate_thin}
DIGIT_DOMAINS = tuple(_FORWARD)


def into_domain(name, upright_digits):
    """Upright uint8 digits `(n, 28, 28)` as domain `name` shows them (identity for `mnist`, T for `mnist_rot`)."""
    return _FORWARD[name](upright_digits)


def upright(name, digits):
    """Digits of domain `name` (uint8 `(n, 28, 28)`) brought back upright: identity, or T's pseudo-inverse."""
    return _UPRIGHT[name](digits)


def halves(x_train):
    """The two disjoint halves of the training images: `(first, second)`; the source takes the first."""
    middle = len(x_train) // 2
    return x_train[:middle], x_train[middle:]


def training_domains(source, target, x_train):
    """The unpaired training digits of each side: the source's half and the target's, each in its domain.

    Args:
        source: The source domain's name (one of `DIGIT_DOMAINS`).
        target: The target domain's name.
        x_train: uint8 `(n, 28, 28)` training digits.

    Returns:
        `(x, y)`: uint8 arrays, `x` the first half in the source domain, `y`
        the second half in the target domain.
    """
    first, second = halves(x_train)
    return into_domain(source, first), into_domain(target, second)


def test_pairs(source, target, x_test):
    """Held-out digits in both domains, row i of each from the same upright digit: `(x, y)` with y = the true translation of x."""
    return into_domain(source, x_test), into_domain(target, x_test)
