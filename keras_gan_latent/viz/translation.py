"""The view of a translator between two 2-D distributions (`--model cyclegan`).

`TranslationView` gives the TensorBoard callbacks what they ask of a view:
`frame` is three panels, arrows from fixed source points x to G(x) over both
densities, G(X) over the target's samples and F(Y) over the source's;
`summaries` adds the convergence scalars of G(X) against the target (as a
GAN's view writes them) and of F(Y) against the source, and the round-trip
errors of the fixed points. `DigitTranslationView` does the same for digits:
x, G(x), F(G(x)) and the true translation side by side, and the pixel errors
of held-out digits whose true translation is known.
"""

import numpy as np
import tensorflow as tf

from keras_gan_latent.metrics.translation import cycle_error, pixel_error
from keras_gan_latent.viz import digits, plotting
from keras_gan_latent.viz.plotting import plt
from keras_gan_latent.viz.views import ScatterView, generate_in_batches

ARROWS = 150  # fixed source points drawn with their arrow
SOURCE_COLOUR = "#1f77b4"


def arrows_image(source_real, target_real, x, y, limits, title="", back=None, source_limits=None, target_limits=None):
    """x -> G(x) as arrows over both densities, beside G(X) over Y (and F(Y) over X).

    Args:
        source_real: (n, 2) samples of the source (blue).
        target_real: (n, 2) samples of the target (grey).
        x: (m, 2) source points (the first `ARROWS` get arrows).
        y: (m, 2) their translations.
        limits: (low, high) of the arrows panel's equal axes.
        title: Above the arrows panel.
        back: Optional (m, 2) F(Y) samples, a third panel over the source.
        source_limits: Axes of the F(Y) panel (default `limits`).
        target_limits: Axes of the G(X) panel (default `limits`).

    Returns:
        An (H, W, 3) uint8 array.
    """
    panels = 2 if back is None else 3
    fig, axes = plt.subplots(1, panels, figsize=(3.3 * panels, 3.4), dpi=80)
    ax = axes[0]
    ax.scatter(source_real[:, 0], source_real[:, 1], s=2, c=SOURCE_COLOUR, alpha=0.25, linewidths=0)
    ax.scatter(target_real[:, 0], target_real[:, 1], s=2, c=plotting.REAL_COLOUR, alpha=0.4, linewidths=0)
    m = min(ARROWS, len(x))
    colours = plt.cm.hsv((np.arctan2(x[:m, 1], x[:m, 0]) + np.pi) / (2 * np.pi))
    ax.quiver(x[:m, 0], x[:m, 1], y[:m, 0] - x[:m, 0], y[:m, 1] - x[:m, 1], color=colours, angles="xy",
              scale_units="xy", scale=1.0, width=0.004, alpha=0.8)
    ax.set_title(title or "x -> G(x)", fontsize=8)
    ax.set_xlim(*limits)
    ax.set_ylim(*limits)
    ax.set_aspect("equal")
    others = [(axes[1], target_real, y, "G(X) (red) over Y", target_limits or limits)]
    if back is not None:
        others.append((axes[2], source_real, back, "F(Y) (red) over X", source_limits or limits))
    for ax, real, fake, label, lims in others:
        ax.scatter(real[:, 0], real[:, 1], s=2, c=plotting.REAL_COLOUR, alpha=0.5, linewidths=0)
        ax.scatter(fake[:, 0], fake[:, 1], s=2, c=plotting.FAKE_COLOUR, alpha=0.5, linewidths=0)
        ax.set_title(label, fontsize=8)
        ax.set_xlim(*lims)
        ax.set_ylim(*lims)
        ax.set_aspect("equal")
    return plotting.finish_figure(fig)


class TranslationView:
    """Summaries of a `CycleGAN` between two 2-D targets.

    Args:
        source: The `Target` of X.
        target: The `Target` of Y.
        num_real: Samples of each drawn once for every picture and score.
        seed: Seed of those samples.
    """

    def __init__(self, source, target, num_real=5000, seed=0):
        self.source, self.target = source, target
        self.to_target = ScatterView(target, num_real=num_real, seed=seed)
        self.to_source = ScatterView(source, num_real=num_real, seed=seed + 1)
        low = min(source.plot_limits[0], target.plot_limits[0])
        high = max(source.plot_limits[1], target.plot_limits[1])
        self.limits = (low, high)

    def close(self):
        self.to_target.close()
        self.to_source.close()

    def translations(self, model):
        """`(x, G(x), y, F(y))` of the fixed draws, as numpy."""
        dx, dy = self.source.dim, self.target.dim
        fixed_x, fixed_y = model.fixed_latents, model.fixed_targets
        return (
            fixed_x[:, :dx].numpy(),
            generate_in_batches(model.translator, fixed_x),
            fixed_y[:, :dy].numpy(),
            generate_in_batches(model.translator_back, fixed_y),
        )

    def frame(self, model, step, samples=None):
        """The arrows, G(X) over Y and F(Y) over X at `step`, as an (H, W, 3) uint8 array."""
        x, gx, _, fy = self.translations(model)
        title = f"{self.source.name} -> {self.target.name}, noise k {model.noise_dim}, step {step}"
        return arrows_image(self.to_source.real, self.to_target.real, x, gx, self.limits, title=title, back=fy,
                            source_limits=self.source.plot_limits, target_limits=self.target.plot_limits)

    def summaries(self, model, step):
        """Scalars, images and histograms by tag.

        Returns:
            `(scalars, images, histograms)`: `convergence/*` and `fidelity/*`
            of G(X) against the target (as a GAN's view), `back/*` of F(Y)
            against the source, `cycle/x`, `cycle/y` (mean distance of the
            fixed points to their round trips), the image `translation/arrows`
            and histograms of G(X)'s coordinates.
        """
        x, gx, y, fy = self.translations(model)
        scalars = self.to_target.fidelity(gx)
        scalars.update(self.to_target.convergence(gx))
        scalars.update({f"back/{k.split('/')[-1]}": v for k, v in self.to_source.convergence(fy).items()})
        seed = tf.zeros([2], tf.int32)
        count = min(len(x), 2500)
        scalars["cycle/x"] = cycle_error(x[:count], model.round_trip(tf.constant(x[:count]), seed).numpy())
        scalars["cycle/y"] = cycle_error(y[:count], model.round_trip_back(tf.constant(y[:count]), seed).numpy())
        images = {"translation/arrows": self.frame(model, step)}
        histograms = {f"translated/y{i}": gx[:, i] for i in range(gx.shape[1])}
        return scalars, images, histograms


DIGIT_COLUMNS = 10  # held-out digits the frame shows
DIGIT_ROWS = ("x", "G(x)", "F(G(x))", "true y")


class DigitTranslationView:
    """Summaries of a `CycleGAN` between two digit domains, on held-out pairs with a known translation.

    Args:
        x: `(n, 28, 28, 1)` digits of the source domain in [-1, 1].
        y: Their true translations, the same digits in the target domain.
        title: What the frame's title says the run is, e.g. "mnist -> mnist_rot, noise k 0".
    """

    def __init__(self, x, y, title=""):
        self.x, self.y, self.title = tf.constant(x, tf.float32), tf.constant(y, tf.float32), title

    def close(self):
        pass

    def translations(self, model):
        """`(G(x), F(G(x)), F(y), G(F(y)))` of the held-out pairs (the translators' noise from seed 0), as numpy."""
        seed = tf.zeros([2], tf.int32)
        return (model.translate(self.x, seed).numpy(), model.round_trip(self.x, seed).numpy(),
                model.translate_back(self.y, seed).numpy(), model.round_trip_back(self.y, seed).numpy())

    def frame(self, model, step, samples=None):
        """Rows x, G(x), F(G(x)) and the true translation of `DIGIT_COLUMNS` digits, as an (H, W, 3) uint8 array."""
        del samples
        x = self.x[:DIGIT_COLUMNS]
        seed = tf.zeros([2], tf.int32)
        rows = [x.numpy(), model.translate(x, seed).numpy(), model.round_trip(x, seed).numpy(),
                self.y[:DIGIT_COLUMNS].numpy()]
        return digit_rows_image(rows, DIGIT_ROWS, f"{self.title}, step {step}")

    def summaries(self, model, step):
        """Scalars and the frame by tag: `translation/error_g`, `translation/error_f` (against the truth),
        `cycle/x`, `cycle/y` (mean absolute pixel errors in units of the pixel range), `translation/digits`."""
        gx, fgx, fy, gfy = self.translations(model)
        x, y = self.x.numpy(), self.y.numpy()
        scalars = {"translation/error_g": pixel_error(gx, y), "translation/error_f": pixel_error(fy, x),
                   "cycle/x": pixel_error(fgx, x), "cycle/y": pixel_error(gfy, y)}
        return scalars, {"translation/digits": self.frame(model, step)}, {}


def digit_rows_image(rows, labels, title=""):
    """Rows of digits, each labelled on the left: e.g. x, G(x), F(G(x)) of the same digits, column by column.

    Args:
        rows: Equal-length stacks of digits `(m, 28, 28[, 1])` in [-1, 1].
        labels: One label per row.
        title: Above the grid.

    Returns:
        An (H, W, 3) uint8 array.
    """
    cols = len(rows[0])
    grid = digits.image_grid(np.concatenate(rows), len(rows), cols)
    fig, ax = plt.subplots(figsize=(0.45 * cols + 0.9, 0.45 * len(rows) + 0.4), dpi=100)
    ax.imshow(grid, interpolation="nearest")
    step = grid.shape[0] / len(rows)
    ax.set_yticks([step * (i + 0.5) for i in range(len(rows))], labels, fontsize=8)
    ax.set_xticks([])
    ax.set_title(title, fontsize=8)
    return plotting.finish_figure(fig)
