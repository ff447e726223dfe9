"""The sweep's figures: the sample grid, the latent views grid, the DCGAN
montage and the convergence curves."""

import json
import os

import numpy as np

from keras_gan_latent.metrics.intervals import student_t_interval
from keras_gan_latent.sweep.settings import (
    CURVE_FILE,
    FINAL_FRAME_FILE,
    LATENT_VIEW_FILE,
    SAMPLES_FILE,
    VIEW_LATENT_DIMS,
)
from keras_gan_latent.sweep.tables import CONFIDENCE

# montage.png: inches per column at MONTAGE_DPI, room for a 5x5 digit grid
# (152 pixels, drawn with nearest-neighbour scaling so digits stay crisp) and
# for a bar chart whose ten share labels still fit.
MONTAGE_PANEL = 2.4
MONTAGE_HISTOGRAM_HEIGHT = 1.9
MONTAGE_DPI = 100


def convergence_image(settings, kind, reports):
    """The convergence figure: per target, the curve metric against step, one line per latent dim.

    Each line is the mean over the finished seeds at each summary step, with
    its 95 % Student-t band when 2+ seeds are done.

    Returns:
        An (H, W, 3) uint8 array.
    """
    from keras_gan_latent.viz import plotting
    from keras_gan_latent.viz.plotting import plt

    names = list(settings.targets)
    fig, axes = plt.subplots(1, len(names), figsize=(4.2 * len(names), 3.4), dpi=100, squeeze=False)
    colours = plt.get_cmap("viridis")(np.linspace(0, 0.9, len(settings.latent_dims)))
    for ax, name in zip(axes[0], names):
        for colour, latent_dim in zip(colours, settings.latent_dims):
            curves = []
            for seed in settings.seeds:
                path = os.path.join(settings.result_dir(name, latent_dim, seed), CURVE_FILE)
                if (name, latent_dim, seed) in reports and os.path.isfile(path):
                    with open(path) as f:
                        curve = json.load(f).get(kind.curve_metric)
                    if curve:
                        curves.append(dict(zip(curve["step"], curve["value"])))
            if not curves:
                continue
            steps = sorted(set.intersection(*(set(c) for c in curves)))
            stats = [student_t_interval([c[s] for c in curves], CONFIDENCE) for s in steps]
            mean = np.array([m for m, _ in stats])
            ax.plot(steps, mean, color=colour, label=f"k = {latent_dim} ({len(curves)} seeds)")
            if len(curves) > 1:
                half = np.array([h for _, h in stats])
                ax.fill_between(steps, mean - half, mean + half, color=colour, alpha=0.2, linewidth=0)
        ax.set_title(name, fontsize=10)
        if kind.curve_limits is not None:
            ax.set_ylim(*kind.curve_limits)
        ax.set_xlabel("generator step")
        ax.set_ylabel(kind.curve_label, fontsize=8)
        if ax.lines:
            ax.legend(fontsize=7)
        else:
            ax.text(0.5, 0.5, "not run yet", transform=ax.transAxes, ha="center", va="center", fontsize=8)
    return plotting.finish_figure(fig)


def headline(report):
    """A few words on a report: JS, and modes covered for mixtures."""
    js = report["divergences"]["js"]["estimate"]
    text = "JS n/a" if js is None else f"JS {js:.3f}"
    if "modes" in report:
        text += f", {report['modes']['modes_covered']}/{report['modes']['num_modes']} modes"
    return text


def grid_image(settings, found, reports):
    """The article's panels for the whole sweep: rows targets, columns latent dims.

    Each panel shows the first seed's evaluated samples in red over target samples in
    grey on the target's fixed equal axes; unfinished cells say so.

    Returns:
        An (H, W, 3) uint8 array.
    """
    import tensorflow as tf

    from keras_gan_latent.viz import plotting
    from keras_gan_latent.viz.plotting import plt

    rows, cols = len(settings.targets), len(settings.latent_dims)
    fig, axes = plt.subplots(rows, cols, figsize=(2.2 * cols, 2.3 * rows), dpi=100, squeeze=False)
    for r, name in enumerate(settings.targets):
        target = found[name]
        real = target.sample(2000, seed=tf.constant([0, 0x7EA1])).numpy()
        for c, latent_dim in enumerate(settings.latent_dims):
            ax = axes[r, c]
            ax.scatter(real[:, 0], real[:, 1], s=2, c=plotting.REAL_COLOUR, alpha=0.5, linewidths=0)
            report = reports.get((name, latent_dim, settings.seeds[0]))
            samples_path = os.path.join(settings.result_dir(name, latent_dim, settings.seeds[0]), SAMPLES_FILE)
            if report is not None and os.path.isfile(samples_path):
                fake = np.load(samples_path)
                ax.scatter(fake[:, 0], fake[:, 1], s=2, c=plotting.FAKE_COLOUR, alpha=0.5, linewidths=0)
                ax.text(0.03, 0.03, headline(report), transform=ax.transAxes, fontsize=6)
            else:
                ax.text(0.5, 0.5, "not run yet", transform=ax.transAxes, ha="center", va="center", fontsize=8)
            ax.set_xlim(*target.plot_limits)
            ax.set_ylim(*target.plot_limits)
            ax.set_aspect("equal")
            ax.set_xticks([])
            ax.set_yticks([])
            if r == 0:
                ax.set_title(f"latent dim {latent_dim}", fontsize=9)
            if c == 0:
                ax.set_ylabel(name, fontsize=9)
    return plotting.finish_figure(fig)


def latent_views_grid(settings, reports):
    """The first seed's latent views side by side: one row per target, latent dims 1 and 2.

    Returns:
        An (H, W, 3) uint8 array, blank where a cell is not done, or None
        if the sweep has neither latent dim or no view is done yet.
    """
    from PIL import Image

    latent_dims = [k for k in VIEW_LATENT_DIMS if k in settings.latent_dims]
    images = {}
    for name in settings.targets:
        for latent_dim in latent_dims:
            path = os.path.join(settings.result_dir(name, latent_dim, settings.seeds[0]), LATENT_VIEW_FILE)
            if (name, latent_dim, settings.seeds[0]) in reports and os.path.isfile(path):
                with Image.open(path) as image:
                    images[(name, latent_dim)] = np.asarray(image.convert("RGB"))
    if not images:
        return None
    blank = np.full_like(next(iter(images.values())), 255)
    return np.concatenate(
        [
            np.concatenate([images.get((name, k), blank) for k in latent_dims], axis=1)
            for name in settings.targets
        ],
        axis=0,
    )



def montage_image(settings, reports):
    """The DCGAN sweep at a glance: every cell's final fixed-noise grid, and class histograms.

    Columns are latent dims. One row per seed shows each run's final 5x5
    grid (`final_frame.png`, the same fixed latents all run long); below, a
    bar chart per latent dim of the classifier's digit histogram, summed over
    its finished seeds. Unfinished cells say so; their charts are empty.

    Args:
        settings: `SweepSettings` of a DCGAN sweep.
        reports: `{(target, latent_dim, seed): report}` of the finished cells.

    Returns:
        An (H, W, 3) uint8 array.
    """
    from PIL import Image

    from keras_gan_latent.viz import digits, plotting
    from keras_gan_latent.viz.plotting import plt

    name, cols = settings.targets[0], len(settings.latent_dims)
    fig, axes = plt.subplots(
        len(settings.seeds), cols, figsize=(MONTAGE_PANEL * cols, (MONTAGE_PANEL + 0.1) * len(settings.seeds)),
        dpi=MONTAGE_DPI, squeeze=False,
    )
    for row, seed in enumerate(settings.seeds):
        for c, latent_dim in enumerate(settings.latent_dims):
            ax = axes[row, c]
            path = os.path.join(settings.result_dir(name, latent_dim, seed), FINAL_FRAME_FILE)
            if (name, latent_dim, seed) in reports and os.path.isfile(path):
                with Image.open(path) as grid:
                    ax.imshow(np.asarray(grid.convert("RGB")), interpolation="nearest")
            else:
                ax.text(0.5, 0.5, "not run yet", transform=ax.transAxes, ha="center", va="center", fontsize=8)
            ax.set_xticks([])
            ax.set_yticks([])
            if row == 0:
                ax.set_title(f"z_dim {latent_dim}", fontsize=10)
            if c == 0:
                ax.set_ylabel(f"seed {seed}", fontsize=10)
    grids = plotting.finish_figure(fig)

    charts = []
    for latent_dim in settings.latent_dims:
        done = [reports[(name, latent_dim, s)] for s in settings.seeds if (name, latent_dim, s) in reports]
        counts = np.sum([r["class_histogram"] for r in done], axis=0) if done else np.zeros(digits.NUM_CLASSES)
        charts.append(digits.class_histogram_image(
            counts, title=f"z_dim {latent_dim}, {len(done)}/{len(settings.seeds)} seeds",
            size_inches=(MONTAGE_PANEL, MONTAGE_HISTOGRAM_HEIGHT), dpi=MONTAGE_DPI,
        ))
    return stack_on_white([grids, np.concatenate(charts, axis=1)])


def stack_on_white(images):
    """Stacks (H, W, 3) uint8 images top to bottom, padding narrower ones with white on the right."""
    width = max(image.shape[1] for image in images)
    return np.concatenate(
        [np.pad(image, ((0, 0), (0, width - image.shape[1]), (0, 0)), constant_values=255) for image in images],
        axis=0,
    )
