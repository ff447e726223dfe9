"""Pictures of generated MNIST digits: a tiled grid and the class histogram.

Both return (H, W, 3) uint8 RGB arrays, like `keras_gan_latent.viz.plotting`, so
they feed TensorBoard image summaries and `plotting.save_png` alike.
"""

import numpy as np

from keras_gan_latent.checks import is_integer
from keras_gan_latent.data.mnist import NUM_CLASSES
from keras_gan_latent.errors import UserError
from keras_gan_latent.metrics.pixels import FLOAT_RANGE, as_unit_images
from keras_gan_latent.viz.plotting import finish_figure, plt

BAR_COLOUR = "#1f77b4"


def image_grid(images, rows, cols, padding=2, float_range=FLOAT_RANGE):
    """Tile the first rows * cols digits into one image, row by row.

    Args:
        images: ``(n, 28, 28)`` or ``(n, 28, 28, 1)``, uint8 0..255 or floats in
            ``float_range`` (default [-1, 1], a tanh generator's); see
            `metrics.pixels.as_unit_images`. With fewer than rows * cols
            images the remaining cells stay black.
        rows: Grid rows (>= 1).
        cols: Grid columns (>= 1).
        padding: Black pixels between cells and around the edge.
        float_range: Scale of float images.

    Returns:
        uint8 RGB array ``(rows * (28 + padding) + padding, cols * (28 + padding)
        + padding, 3)``, white digits on black.

    Raises:
        UserError: Bad images or grid size.
    """
    for name, value in (("rows", rows), ("cols", cols)):
        if not is_integer(value) or value < 1:
            raise UserError(f"image grid {name} must be a positive integer; got {value!r}")
    if not is_integer(padding) or padding < 0:
        raise UserError(f"image grid padding must be a non-negative integer; got {padding!r}")
    cells = as_unit_images(np.asarray(images)[: rows * cols], float_range)
    size = cells.shape[1]
    step = size + padding
    grid = np.zeros((rows * step + padding, cols * step + padding), dtype=np.uint8)
    pixels = np.rint(cells * 255.0).astype(np.uint8)
    for index, digit in enumerate(pixels):
        top, left = padding + (index // cols) * step, padding + (index % cols) * step
        grid[top:top + size, left:left + size] = digit
    return np.repeat(grid[:, :, None], 3, axis=2)


def class_histogram_image(class_counts, title="", size_inches=(5.0, 3.0), dpi=80):
    """Bar chart of how many samples the classifier put in each digit class.

    Args:
        class_counts: 10 counts, e.g. ``mode_report(...)["class_counts"]``.
        title: Figure title (e.g. "z_dim 10, step 99000").
        size_inches: Figure (width, height).
        dpi: Resolution.

    Returns:
        uint8 RGB array ``(H, W, 3)``; bars are labelled with their share in %,
        and a dashed line marks the uniform 10 %.
    """
    counts = np.asarray(class_counts, dtype=np.float64)
    if counts.shape != (NUM_CLASSES,) or np.any(counts < 0) or not np.all(np.isfinite(counts)):
        raise UserError(f"class counts must be {NUM_CLASSES} non-negative numbers; "
                        f"got shape {counts.shape}")
    total = counts.sum()
    shares = counts / total if total > 0 else counts
    fig, ax = plt.subplots(figsize=size_inches, dpi=dpi)
    bars = ax.bar(np.arange(NUM_CLASSES), 100.0 * shares, color=BAR_COLOUR)
    ax.bar_label(bars, labels=[f"{100 * s:.0f}" for s in shares], fontsize=7)
    ax.axhline(100.0 / NUM_CLASSES, color="grey", linestyle="--", linewidth=1)
    ax.set_xticks(np.arange(NUM_CLASSES))
    ax.set_xlabel("predicted digit")
    ax.set_ylabel(f"% of {int(total)} samples")
    ax.set_ylim(0, max(100.0 * shares.max() * 1.15, 15.0))
    ax.set_title(title)
    return finish_figure(fig)
