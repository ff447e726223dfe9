"""The sweep's own figure: the convergence curves of every experiment (each
experiment draws its own panels, e.g. the toy grid or the DCGAN montage)."""

import json
import os

import numpy as np

from keras_gan_latent.metrics.intervals import student_t_interval
from keras_gan_latent.sweep.settings import CURVE_FILE
from keras_gan_latent.sweep.tables import CONFIDENCE
from keras_gan_latent.viz import plotting
from keras_gan_latent.viz.plotting import plt


def convergence_image(settings, experiment, reports):
    """The convergence figure: per target, the curve metric against step, one line per latent dim.

    Each line is the mean over the finished seeds at each summary step, with
    its 95 % Student-t band when 2+ seeds are done.

    Returns:
        An (H, W, 3) uint8 array.
    """
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
                        curve = json.load(f).get(experiment.sweep.curve_metric)
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
        if experiment.sweep.curve_limits is not None:
            ax.set_ylim(*experiment.sweep.curve_limits)
        ax.set_xlabel("generator step")
        ax.set_ylabel(experiment.sweep.curve_label, fontsize=8)
        if ax.lines:
            ax.legend(fontsize=7)
        else:
            ax.text(0.5, 0.5, "not run yet", transform=ax.transAxes, ha="center", va="center", fontsize=8)
    return plotting.finish_figure(fig)
