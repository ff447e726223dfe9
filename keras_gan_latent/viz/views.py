"""Views: what a model's summaries look like for one kind of data.

The TensorBoard and animation callbacks are shared by every GAN; a view
supplies the data-specific part through two methods, `frame(model, step)`
(one picture, for animations and the final PNG) and `summaries(model, step)`
(scalars, images and histograms by tag). `GridView` shows an image GAN as
the seed study's fixed-noise 5x5 grid and, given a mode report (the MNIST
classifier's), what it says of its fixed latents (classes covered, KL to
uniform, classifier score, Frechet distance, the digit histogram);
`ClassGridView` shows a class-conditional one as a grid of classes x fixed
latents, and how often the classifier agrees with the requested label.
`ScatterView` is the view of a 1-D or 2-D target: the article's frame, D(x)
beside the optimal D*(x) as heat maps, a fidelity figure from the target's
exact density, and the generated coordinates as histograms. The views draw
and name what they show; the scores they write are computed in `metrics`.
"""

import numpy as np
import tensorflow as tf

from keras_gan_latent.data.priors import coded_latents
from keras_gan_latent.metrics.divergence import knn_log_density
from keras_gan_latent.metrics.optimal_discriminator import optimal_discriminator_report
from keras_gan_latent.metrics.summary_scores import (  # ACTIVE_UNIT_KL: re-exported
    ACTIVE_UNIT_KL,
    active_units,
    convergence_scores,
    support_fidelity,
)
from keras_gan_latent.viz import digits, plotting


def generate_in_batches(generator, z, batch_size=5000, labels=None):
    """Applies `generator` (inference mode) to latents `z` in batches, as numpy.

    Args:
        generator: z -> x, or for a conditional generator `[z, labels]` -> x.
        z: Latents (n, k).
        batch_size: Latents per call (bounds memory).
        labels: None, or the int32 class labels (n,) a conditional generator takes beside z.
    """
    outputs = [
        generator(z[i : i + batch_size] if labels is None else [z[i : i + batch_size], labels[i : i + batch_size]],
                  training=False)
        for i in range(0, int(z.shape[0]), batch_size)
    ]
    return tf.concat(outputs, axis=0).numpy()


GRID_SIZE = 5  # the seed study's 5x5 fixed-noise grids


class _FixedLatentView:
    """What every view shares: G applied to the run's fixed latents (and a conditional GAN's fixed labels)."""

    def fixed_samples(self, model):
        """The model's samples at the run's fixed latents (the same z for the whole run).

        G applied to them (`generated_at_fixed_latents`), or the model's own
        `fixed_samples()` where it has one (a VAE adds its decoder noise
        with a fixed seed).
        """
        own = getattr(model, "fixed_samples", None)
        if own is not None:
            return own()
        return self.generated_at_fixed_latents(model)

    def generated_at_fixed_latents(self, model, count=None):
        """G applied to the run's fixed latents, or to the first `count`.

        G is `model.sampling_generator`: a GAN's weight average when it keeps
        one (`ema`), else its generator. A conditional GAN
        (`model.fixed_labels` not None) renders the i-th latent with the
        i-th fixed label.
        """
        labels = getattr(model, "fixed_labels", None)
        return generate_in_batches(
            model.sampling_generator, model.fixed_latents[:count], labels=None if labels is None else labels[:count]
        )


MODE_PREFIX = "modes/"


class GridView(_FixedLatentView):
    """Summaries of an image generator: a fixed-noise grid of digits, and its modes.

    The grid shows the first `GRID_SIZE**2` fixed latents. With a
    `mode_report`, every image summary also generates all of
    `model.fixed_latents` (the MNIST experiment makes
    `config.mode_report_samples` of them) and writes what it says of them:
    a `modes/<key>` scalar for each of its scalars and the digit histogram
    `modes/class_histogram`. The latents are fixed, so a change in the
    histogram is the generator moving between modes, not sampling noise.
    A conditional GAN's latents are rendered with its fixed labels
    (`ClassGridView` shows it class by class).

    Args:
        real_images: `GRID_SIZE**2` real images (uint8), shown once beside
            the generated grid.
        mode_report: Optional callable, generated digits in [-1, 1]
            `(n, 28, 28, 1)` -> `(scalars, class_counts)`: `{key: float}`
            and the 10 class counts (`evaluation.mnist.DigitModeReporter`).
    """

    def __init__(self, real_images, mode_report=None):
        self.real_grid = self.grid_image(real_images)
        self._real_written = False
        self.mode_report = mode_report

    def grid_samples(self, model, fixed=None):
        """The grid's digits: the first `GRID_SIZE**2` of `fixed` (G on all fixed latents), or just those generated.

        Generating only the grid's latents is cheap: animation frames use it.
        """
        if fixed is not None:
            return fixed[: GRID_SIZE**2]
        return self.generated_at_fixed_latents(model, GRID_SIZE**2)

    def grid_image(self, samples):
        """The grid's digits tiled as an (H, W, 3) uint8 array."""
        return digits.image_grid(samples, GRID_SIZE, GRID_SIZE)

    def report_modes(self, model, samples):
        """The mode report of G on all fixed latents: `(scalars, class_counts)`."""
        return self.mode_report(samples)

    def frame(self, model, step, samples=None):
        """The fixed-noise grid at `step`, as an (H, W, 3) uint8 array (`samples`: G on all fixed latents, if done)."""
        return self.grid_image(self.grid_samples(model, samples))

    def summaries(self, model, step):
        """The grid, the real grid (first call only), the mode report and the pixel histogram.

        Returns:
            `(scalars, images, histograms)` by tag: `modes/*` scalars and
            `modes/class_histogram` only with a mode report; `samples/grid`,
            `samples/real_grid` (first call) and `generated/pixels` (the
            grid's digits) always.
        """
        fixed = None if self.mode_report is None else self.fixed_samples(model)
        grid = self.grid_samples(model, fixed)
        images = {"samples/grid": self.grid_image(grid)}
        if not self._real_written:
            images["samples/real_grid"] = self.real_grid
            self._real_written = True
        scalars = {}
        if self.mode_report is not None:
            found, counts = self.report_modes(model, fixed)
            scalars = {f"{MODE_PREFIX}{key}": value for key, value in found.items()}
            images["modes/class_histogram"] = digits.class_histogram_image(
                counts, title=f"step {step}, {len(fixed)} digits"
            )
        return scalars, images, {"generated/pixels": grid.reshape(-1)}

    def close(self):
        """Nothing to release: grids are drawn without a persistent figure."""


class ClassGridView(GridView):
    """Summaries of a class-conditional image generator: "the digit you ask for".

    The grid has one row per class and `columns` columns: column j renders
    the j-th fixed latent with every label, so a row shows one class in
    `columns` styles and a column one style in every class. The real grid
    beside it shows `columns` real test digits of each class. With a
    `mode_report`, every image summary also generates all fixed latents
    with their fixed labels (`i % num_classes`, so the class histogram
    should be balanced) and adds what the report says of the requested
    labels (e.g. `modes/label_agreement`).

    Args:
        real_images: Real images (uint8), at least `columns` of each class.
        real_labels: Their class labels.
        num_classes: Rows of the grid.
        columns: Latents (styles) per row.
        mode_report: Optional callable `(digits in [-1, 1], requested labels)`
            -> `(scalars, class_counts)`
            (`evaluation.conditional.ConditionalDigitModeReporter`).
    """

    def __init__(self, real_images, real_labels, num_classes=digits.NUM_CLASSES, columns=10, mode_report=None):
        self.num_classes, self.columns = int(num_classes), int(columns)
        real_labels = np.asarray(real_labels)
        rows = [np.asarray(real_images)[real_labels == c][: self.columns] for c in range(self.num_classes)]
        super().__init__(np.concatenate(rows), mode_report)

    def grid_samples(self, model, fixed=None):
        """G (`model.sampling_generator`) on the grid's inputs: row c, column j is the j-th fixed latent with label c.

        `fixed` is unused.
        """
        del fixed
        z = tf.tile(model.fixed_latents[: self.columns], [self.num_classes, 1])
        labels = tf.repeat(tf.range(self.num_classes, dtype=tf.int32), self.columns)
        return generate_in_batches(model.sampling_generator, z, labels=labels)

    def grid_image(self, samples):
        return digits.image_grid(samples, self.num_classes, self.columns)

    def report_modes(self, model, samples):
        return self.mode_report(samples, model.fixed_labels.numpy())


class CodeGridView(GridView):
    """Summaries of an image GAN with a latent code: one row of digits per code.

    Row c, column j is G on the j-th fixed latent's continuous part with
    code c, so a row shows what one code draws in `columns` styles, and a
    column what the code alone changes. The mode report (if any) is given
    every fixed latent's digit and the code it was drawn with
    (`evaluation.mnist.CodedDigitModeReporter`: class discovery besides
    `GridView`'s figures).

    Args:
        real_images: Real images (uint8), at least `num_codes * columns`.
        num_codes: K, the rows.
        columns: Fixed latents per row.
        mode_report: Optional callable `(digits in [-1, 1], codes)` ->
            `(scalars, class_counts)`.
    """

    def __init__(self, real_images, num_codes, columns=10, mode_report=None):
        self.num_codes, self.columns = int(num_codes), int(columns)
        super().__init__(np.asarray(real_images)[: self.num_codes * self.columns], mode_report)

    def grid_samples(self, model, fixed=None):
        """G (`model.sampling_generator`) on the grid's latents (`fixed` unused)."""
        del fixed
        continuous = tf.tile(model.fixed_latents[: self.columns, self.num_codes :], [self.num_codes, 1])
        codes = tf.repeat(tf.range(self.num_codes, dtype=tf.int32), self.columns)
        return generate_in_batches(model.sampling_generator, coded_latents(continuous, codes, self.num_codes))

    def grid_image(self, samples):
        return digits.image_grid(samples, self.num_codes, self.columns)

    def report_modes(self, model, samples):
        return self.mode_report(samples, fixed_codes(model))


def fixed_codes(model):
    """The codes of a coded GAN's fixed latents (the argmax of their one-hot first `model.num_codes` numbers), numpy int."""
    return np.argmax(model.fixed_latents[:, : model.num_codes].numpy(), axis=1)


CONVERGENCE_SAMPLES = 2500
"""Fixed samples the convergence scalars use: the size of the evaluation protocol."""

CONVERGENCE_JS = "convergence/js"
CONVERGENCE_MODES = "convergence/modes_covered"
CONVERGENCE_HIGH_QUALITY = "convergence/high_quality"
CONVERGENCE_SCALARS = (CONVERGENCE_JS, CONVERGENCE_MODES, CONVERGENCE_HIGH_QUALITY)
"""Tags `ScatterView` writes at every image summary: the cheap evaluation metrics over training."""


class ScatterView(_FixedLatentView):
    """Summaries of a generator on a 1-D or 2-D target.

    Besides the pictures, every image summary scores the first
    `CONVERGENCE_SAMPLES` fixed samples as `evaluate.py` scores an export
    (JS against as many target samples; modes covered and the share of
    high-quality samples for mixtures), so a run's event files hold its
    convergence curve (`CONVERGENCE_SCALARS`).

    Args:
        target: The `Target` being learned.
        num_real: Number of target samples drawn once for every frame.
        seed: Seed of those samples.
        heatmap_resolution: Grid points per axis for D(x).
    """

    def __init__(self, target, num_real=5000, seed=0, heatmap_resolution=96):
        self.target = target
        self.real = target.sample(num_real, seed=tf.constant([seed, 0x7EA1])).numpy()
        self.limits = target.plot_limits
        self.plotter = plotting.FramePlotter(self.real, self.limits)
        self.heatmap_resolution = heatmap_resolution

    def close(self):
        """Releases the frame figure (a sweep trains many runs in one process)."""
        self.plotter.close()

    def frame(self, model, step, samples=None):
        """The article's frame at `step`, as an (H, W, 3) uint8 array.

        A GAN with a latent code (`model.num_codes`) colours each sample by
        the code of its fixed latent (`plotting.code_colours`), one colour
        per code; otherwise the samples are red.
        """
        if samples is None:
            samples = self.fixed_samples(model)
        num_codes = getattr(model, "num_codes", 0)
        if not num_codes:
            return self.plotter.render(samples, title=f"latent dim {model.latent_dim}, step {step}")
        codes = fixed_codes(model)[: len(samples)]
        title = f"latent dim {model.latent_dim - num_codes} + code of {num_codes}, step {step}"
        return self.plotter.render(samples, title=title, colours=plotting.code_colours(codes, num_codes))

    def optimal_discriminator_check(self, model, samples):
        """Compares the trained D with D* = p_data / (p_data + p_g) (GAN paper, Prop. 1).

        p_data is exact; p_g is the k-NN density of `samples`. The gap is
        the mean |D - D*| over the data region (the grid cells of the
        highest-density region holding 99% of the target's mass).

        Returns:
            `(scalars, panels)`: scalars `optimal_discriminator/gap`,
            `.../value` (V(D, G) on real and generated samples; -log 4 at the
            optimum), `.../accuracy` (1/2 at the optimum); panels D and D*.
        """
        n = self.heatmap_resolution
        grid = plotting.grid_points(self.limits, n)
        d = tf.sigmoid(model.discriminator(grid, training=False)).numpy().reshape(n, n)
        log_p_data = self.target.log_prob(grid).numpy().astype(np.float64)
        log_p_g = knn_log_density(samples, grid)
        real_logits = model.discriminator(self.real, training=False).numpy()
        fake_logits = model.discriminator(samples.astype(np.float32), training=False).numpy()
        scores, d_star = optimal_discriminator_report(d, log_p_data, log_p_g, real_logits, fake_logits)
        scalars = {f"optimal_discriminator/{key}": value for key, value in scores.items()}
        return scalars, [(d, "D(x)"), (np.nan_to_num(d_star, nan=0.5), "D*(x) = p_data/(p_data+p_g)")]

    def summaries(self, model, step):
        """Everything TensorBoard shows of the model at `step`.

        Returns:
            `(scalars, images, histograms)`, dicts by tag: the fidelity
            figures, the article's frame, D(x) beside D*(x) with the
            optimal-discriminator scalars (2-D targets, a model with a
            discriminator that judges one sample: not with packing, where
            D's input is a pack and D(x) of one point is undefined), and the
            generated coordinates.
        """
        samples = self.fixed_samples(model)
        scalars = self.fidelity(samples)
        scalars.update(self.convergence(samples))
        images = {"samples/frame": self.frame(model, step, samples)}
        # A packing D judges packs, not points: it has no D(x) to draw or compare with D*.
        if self.target.dim == 2 and "discriminator" in model.networks and getattr(model, "pack", 1) == 1:
            check, panels = self.optimal_discriminator_check(model, samples)
            scalars.update(check)
            images["discriminator/heatmap"] = plotting.heatmap_image(
                panels, self.limits, overlay=self.real[:1000]
            )
        histograms = {f"generated/x{i}": samples[:, i] for i in range(samples.shape[1])}
        return scalars, images, histograms

    def convergence(self, samples):
        """The evaluation's cheap metrics of the first `CONVERGENCE_SAMPLES` samples.

        Returns:
            `convergence/js` (nats, k-NN estimate against the exact density and
            as many target samples), and for mixtures `convergence/modes_covered`
            and `convergence/high_quality` (the 3-sigma protocol).
        """
        scores = convergence_scores(
            self.real[:CONVERGENCE_SAMPLES], self.target.log_prob_numpy, samples[:CONVERGENCE_SAMPLES],
            self.target.mode_centres, self.target.mode_scale,
        )
        return {f"convergence/{key}": value for key, value in scores.items()}

    def fidelity(self, samples):
        """Cheap fidelity figures of generated samples under the exact density.

        Returns:
            `fidelity/mean_log_prob`: mean target log-density of the samples
            that lie on the support (rises as G improves), and, for targets
            with bounded support, `fidelity/outside_support`: the share of
            samples where the density is zero.
        """
        scores = support_fidelity(self.target.log_prob(samples).numpy(), self.target.bounded_support)
        return {f"fidelity/{key}": value for key, value in scores.items()}


class LatentUsageView:
    """Another view's summaries plus what each latent unit of a VAE carries.

    Adds the histogram `latent/kl_per_unit` (the last training batch's mean
    KL of each unit: units at 0 are inactive, the posterior collapsed onto
    the prior there) and the scalar `latent/active_units` (units above
    `ACTIVE_UNIT_KL` nats).

    Args:
        view: The data's view (`ScatterView`, `GridView`).
    """

    def __init__(self, view):
        self.view = view

    def frame(self, model, step, samples=None):
        return self.view.frame(model, step, samples)

    def summaries(self, model, step):
        scalars, images, histograms = self.view.summaries(model, step)
        kl = model.kl_per_unit.numpy()
        histograms["latent/kl_per_unit"] = kl
        scalars["latent/active_units"] = active_units(kl, ACTIVE_UNIT_KL)
        return scalars, images, histograms

    def close(self):
        self.view.close()

