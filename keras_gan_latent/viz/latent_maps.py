"""Pictures of the generator as a map: where it sends the latent space.

A generator with a 1-D latent draws a curve through the plane (the article's
"squiggle"); one with a 2-D latent warps a sheet over it. Both views sample
the latent space on a grid over the prior's range, push the grid through G
and draw the image over grey target samples, on the target's fixed equal
axes. Like `plotting`, they render off-screen to (H, W, 3) uint8 arrays.

The generator is any callable from numpy latents `(n, k)` to numpy samples
`(n, 2)`: `from_export(sampler)` wraps a loaded export's `generate`.
"""

import numpy as np
import tensorflow as tf

from keras_gan_latent.data import priors
from keras_gan_latent.viz import plotting
from keras_gan_latent.viz.plotting import plt

# The grid covers the prior's mass from this quantile to one minus it: a
# normal latent has no edge, so its grid stops at z = +-3.09.
EDGE_QUANTILE = 0.001
SHEET_COLOURS = ("#1f77b4", plotting.FAKE_COLOUR)  # lines of constant z1, of constant z2


def from_export(sampler, code=None, num_codes=0):
    """Wraps a loaded export's `generate` as a numpy z -> numpy x callable.

    Args:
        sampler: A loaded export.
        code: For an export with a latent code (`--latent-code`): the code
            c in 0..num_codes-1 the map is drawn at; z is then the
            continuous part only, and G sees (one_hot(c), z). None: z is
            G's whole latent.
        num_codes: K, the export's number of codes (with `code`).
    """
    if code is None:
        return lambda z: sampler.generate(tf.constant(z, tf.float32))["x"].numpy()

    def generate(z):
        codes = tf.fill([len(z)], int(code))
        return sampler.generate(priors.coded_latents(tf.constant(z, tf.float32), codes, num_codes))["x"].numpy()

    return generate


def latent_axis(prior, num):
    """`num` latent values spanning the prior's range, evenly spaced in probability.

    Args:
        prior: `"uniform"` (U[0, 1)) or `"normal"` (N(0, 1)), per coordinate.
        num: Number of values.

    Returns:
        A float32 array `(num,)`: the prior's quantiles at levels evenly
        spaced from `EDGE_QUANTILE` to `1 - EDGE_QUANTILE`, so each step holds
        the same probability mass.
    """
    u = np.linspace(EDGE_QUANTILE, 1.0 - EDGE_QUANTILE, num)
    return priors.prior_quantile(prior, u).astype(np.float32)


def curve_image(generate, prior, target, num_points=2000, title=None):
    """A 1-D latent's map: G(z) for a dense grid of z, coloured by z.

    Where the points spread apart G stretches the line and puts little mass;
    where they bunch it piles mass up.

    Args:
        generate: numpy `(n, 1)` latents -> numpy `(n, 2)` samples.
        prior: Name of the latent prior (`"uniform"` or `"normal"`).
        target: The 2-D `Target`, drawn in grey.
        num_points: Latent grid points.
        title: Figure title (default: target and latent dim).

    Returns:
        An (H, W, 3) uint8 array.
    """
    z = latent_axis(prior, num_points)
    x = np.asarray(generate(z[:, None]))
    fig, ax = _axes_over_target(target, title or f"{target.name}, latent dim 1: G(z)")
    points = ax.scatter(x[:, 0], x[:, 1], c=z, cmap="viridis", s=3, linewidths=0)
    fig.colorbar(points, ax=ax, fraction=0.046, pad=0.04, label=f"z ({prior} prior)")
    return plotting.finish_figure(fig)


def sheet_image(generate, prior, target, num_lines=25, points_per_line=200, title=None):
    """A 2-D latent's map: a regular latent grid pushed through G (the warped sheet).

    Args:
        generate: numpy `(n, 2)` latents -> numpy `(n, 2)` samples.
        prior: Name of the latent prior (`"uniform"` or `"normal"`).
        target: The 2-D `Target`, drawn in grey.
        num_lines: Grid lines per latent coordinate.
        points_per_line: Points along each line.
        title: Figure title (default: target and latent dim).

    Returns:
        An (H, W, 3) uint8 array.
    """
    levels = latent_axis(prior, num_lines)
    along = latent_axis(prior, points_per_line)
    fixed, moving = np.meshgrid(levels, along, indexing="ij")  # (num_lines, points_per_line)
    fig, ax = _axes_over_target(target, title or f"{target.name}, latent dim 2: G(z grid)")
    for coordinate, colour in enumerate(SHEET_COLOURS):
        z = np.stack([fixed, moving] if coordinate == 0 else [moving, fixed], axis=-1)
        x = np.asarray(generate(z.reshape(-1, 2))).reshape(num_lines, points_per_line, 2)
        for i, line in enumerate(x):
            label = f"z{coordinate + 1} = const" if i == 0 else None
            ax.plot(line[:, 0], line[:, 1], color=colour, linewidth=0.6, alpha=0.8, label=label)
    ax.legend(loc="upper right", fontsize=7)
    return plotting.finish_figure(fig)


def latent_view_image(generate, latent_dim, prior, target, title=None):
    """The view of a generator with a 1-D (curve) or 2-D (sheet) latent.

    Raises:
        ValueError: for any other latent dim (there is nothing flat to draw).
    """
    if latent_dim == 1:
        return curve_image(generate, prior, target, title=title)
    if latent_dim == 2:
        return sheet_image(generate, prior, target, title=title)
    raise ValueError(f"latent views exist for latent dim 1 and 2, not {latent_dim}")


def code_views_image(sampler, num_codes, latent_dim, prior, target, columns=5):
    """The latent view of an export with a latent code, per code: one panel per code, `columns` a row.

    Panel c is `latent_view_image` of the map z -> G(one_hot(c), z) over the
    continuous part z (1-D: a curve, 2-D: a sheet).

    Returns:
        An (H, W, 3) uint8 array; panels missing from the last row are white.
    """
    panels = [
        latent_view_image(from_export(sampler, c, num_codes), latent_dim, prior, target,
                          title=f"{target.name}, code {c} of {num_codes}, latent dim {latent_dim}")
        for c in range(num_codes)
    ]
    blank = np.full_like(panels[0], 255)
    panels += [blank] * (-len(panels) % columns)
    rows = [np.concatenate(panels[i : i + columns], axis=1) for i in range(0, len(panels), columns)]
    return np.concatenate(rows, axis=0)


def _axes_over_target(target, title, num_real=2000):
    """A figure with grey target samples on the target's fixed equal axes."""
    real = target.sample(num_real, seed=tf.constant([0, 0x7EA1])).numpy()
    fig, ax = plt.subplots(figsize=(4.6, 4.0), dpi=80)
    ax.scatter(real[:, 0], real[:, 1], s=2, c=plotting.REAL_COLOUR, alpha=0.4, linewidths=0)
    ax.set_xlim(*target.plot_limits)
    ax.set_ylim(*target.plot_limits)
    ax.set_aspect("equal")
    ax.set_title(title, fontsize=9)
    return fig, ax
