"""Views: what a model's summaries look like for one kind of data.

The TensorBoard and animation callbacks are shared by every GAN; a view
supplies the data-specific part through two methods, `frame(model, step)`
(one picture, for animations and the final PNG) and `summaries(model, step)`
(scalars, images and histograms by tag). `GridView` shows an image GAN as
the seed study's fixed-noise 5x5 grid and, given the MNIST classifier, the
mode report of its fixed latents (classes covered, KL to uniform, classifier
score, Frechet distance, the digit histogram). `ScatterView` is the view of a 1-D or 2-D
target: the article's frame, D(x) beside the optimal D*(x) as heat maps, a
fidelity figure from the target's exact density, and the generated
coordinates as histograms.
"""

import numpy as np
import tensorflow as tf

from keras_gan_latent import metrics
from keras_gan_latent.viz import plotting


def generate_in_batches(generator, z, batch_size=5000):
    """Applies `generator` (inference mode) to latents `z` in batches, as numpy."""
    outputs = [
        generator(z[i : i + batch_size], training=False) for i in range(0, int(z.shape[0]), batch_size)
    ]
    return tf.concat(outputs, axis=0).numpy()


GRID_SIZE = 5  # the seed study's 5x5 fixed-noise grids


class _FixedLatentView:
    """What every view shares: G applied to the run's fixed latents."""

    def fixed_samples(self, model):
        """G applied to the run's fixed latents (the same z for the whole run)."""
        return generate_in_batches(model.generator, model.fixed_latents)


MODE_SCALARS = (
    "classes_covered",
    "classes_with_any",
    "kl_uniform",
    "classifier_score",
    "mean_confidence",
    "frechet_distance",
)
"""Keys of `evaluation.digit_mode_summary` that `GridView` writes as `modes/<key>`."""
MODE_PREFIX = "modes/"


class GridView(_FixedLatentView):
    """Summaries of an image generator: a fixed-noise grid of digits, and its modes.

    The grid shows the first `GRID_SIZE**2` fixed latents. With a classifier,
    every image summary also generates all of `model.fixed_latents` (the
    DCGAN setup makes `config.mode_report_samples` of them) and reports the
    classifier's view of them: `modes/<key>` scalars for each of
    `MODE_SCALARS` and the digit histogram `modes/class_histogram`. The
    latents are fixed, so a change in the histogram is the generator moving
    between modes, not sampling noise.

    Args:
        real_images: `GRID_SIZE**2` real images (uint8), shown once beside
            the generated grid.
        classifier: Optional MNIST classifier model
            (`mnist_classifier.load_or_train_classifier(...).model`).
        reference_images: Real digits for the Frechet distance (required with
            `classifier`), classified once here. Pass the whole test set
            (10,000): a one-off cost of a few seconds, and the estimate's
            small-sample bias needs it. Measured with real training digits
            in place of generated ones: 2,000 of them score 2.96 against all
            10,000 test digits but 9.85 against 2,000 of them (10,000 against
            10,000: 1.10). So the training-time distance of 2,000 digits sits
            about 2 above `evaluate.py`'s on 10,000: compare runs at the same
            `mode_report_samples`.
    """

    def __init__(self, real_images, classifier=None, reference_images=None):
        from keras_gan_latent.viz import digits

        self._image_grid = digits.image_grid
        self._histogram_image = digits.class_histogram_image
        self.real_grid = self._image_grid(real_images, GRID_SIZE, GRID_SIZE)
        self._real_written = False
        self.classifier = classifier
        self.reference_features = None
        if classifier is not None:
            from keras_gan_latent.evaluation.classifier import classify

            if reference_images is None:
                raise ValueError("GridView with a classifier needs reference_images (real digits)")
            self.reference_features = classify(classifier, reference_images)[1]

    def grid_samples(self, model):
        """G applied to the grid's fixed latents only (cheap: animation frames use this)."""
        return generate_in_batches(model.generator, model.fixed_latents[: GRID_SIZE**2])

    def frame(self, model, step, samples=None):
        """The fixed-noise grid at `step`, as an (H, W, 3) uint8 array."""
        if samples is None:
            samples = self.grid_samples(model)
        return self._image_grid(samples[: GRID_SIZE**2], GRID_SIZE, GRID_SIZE)

    def summaries(self, model, step):
        """The grid, the real grid (first call only), the mode report and the pixel histogram.

        Returns:
            `(scalars, images, histograms)` by tag: `modes/*` scalars and
            `modes/class_histogram` only with a classifier; `samples/grid`,
            `samples/real_grid` (first call) and `generated/pixels` (the
            grid's digits) always.
        """
        samples = self.grid_samples(model) if self.classifier is None else self.fixed_samples(model)
        images = {"samples/grid": self.frame(model, step, samples)}
        if not self._real_written:
            images["samples/real_grid"] = self.real_grid
            self._real_written = True
        scalars = {}
        if self.classifier is not None:
            scalars, images["modes/class_histogram"] = self.mode_report(samples, step)
        return scalars, images, {"generated/pixels": samples[: GRID_SIZE**2].reshape(-1)}

    def mode_report(self, samples, step):
        """The classifier's report of generated digits, as summaries.

        Args:
            samples: Generated digits in [-1, 1], `(n, 28, 28, 1)`.
            step: Training step (for the chart's title).

        Returns:
            `(scalars, histogram_image)`: `modes/<key>` floats for each of
            `MODE_SCALARS`, and the digit histogram as an (H, W, 3) uint8 array.
        """
        from keras_gan_latent.evaluation import digit_mode_summary
        from keras_gan_latent.evaluation.classifier import classify

        probs, features = classify(self.classifier, samples)
        report = digit_mode_summary(probs, features, self.reference_features)
        scalars = {f"{MODE_PREFIX}{key}": float(report[key]) for key in MODE_SCALARS}
        image = self._histogram_image(report["class_histogram"], title=f"step {step}, {len(samples)} digits")
        return scalars, image

    def close(self):
        """Nothing to release: grids are drawn without a persistent figure."""


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
        """The article's frame at `step`, as an (H, W, 3) uint8 array."""
        if samples is None:
            samples = self.fixed_samples(model)
        return self.plotter.render(samples, title=f"latent dim {model.latent_dim}, step {step}")

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
        log_p_g = metrics.knn_log_density(samples, grid)
        d_star = metrics.optimal_discriminator(log_p_data, log_p_g).reshape(n, n)
        region = highest_density_region(np.exp(log_p_data), mass=0.99).reshape(n, n)
        real_logits = model.discriminator(self.real, training=False)
        fake_logits = model.discriminator(samples.astype(np.float32), training=False)
        accuracy = 0.5 * (float(np.mean(real_logits.numpy() > 0)) + float(np.mean(fake_logits.numpy() < 0)))
        scalars = {
            "optimal_discriminator/gap": float(metrics.discriminator_gap(d, d_star, region)),
            "optimal_discriminator/value": float(metrics.value_function(real_logits.numpy(), fake_logits.numpy(), from_logits=True)),
            "optimal_discriminator/accuracy": accuracy,
        }
        return scalars, [(d, "D(x)"), (np.nan_to_num(d_star, nan=0.5), "D*(x) = p_data/(p_data+p_g)")]

    def summaries(self, model, step):
        """Everything TensorBoard shows of the model at `step`.

        Returns:
            `(scalars, images, histograms)`, dicts by tag: the fidelity
            figures, the article's frame, D(x) beside D*(x) with the
            optimal-discriminator scalars (2-D targets), and the generated
            coordinates.
        """
        samples = self.fixed_samples(model)
        scalars = self.fidelity(samples)
        scalars.update(self.convergence(samples))
        images = {"samples/frame": self.frame(model, step, samples)}
        if self.target.dim == 2:
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
        points = samples[:CONVERGENCE_SAMPLES].astype(np.float64)
        real = self.real[:CONVERGENCE_SAMPLES].astype(np.float64)
        log_prob = lambda x: self.target.log_prob(np.asarray(x, np.float32)).numpy().astype(np.float64)  # noqa: E731
        values = {CONVERGENCE_JS: metrics.js_divergence(real, log_prob, points)}
        if self.target.mode_centres is not None:
            modes = metrics.mode_coverage(points, self.target.mode_centres, self.target.mode_scale)
            values[CONVERGENCE_MODES] = float(modes["modes_covered"])
            values[CONVERGENCE_HIGH_QUALITY] = modes["high_quality_fraction"]
        return values

    def fidelity(self, samples):
        """Cheap fidelity figures of generated samples under the exact density.

        Returns:
            `fidelity/mean_log_prob`: mean target log-density of the samples
            that lie on the support (rises as G improves), and, for targets
            with bounded support, `fidelity/outside_support`: the share of
            samples where the density is zero.
        """
        log_prob = self.target.log_prob(samples).numpy()
        on_support = np.isfinite(log_prob)
        values = {}
        if on_support.any():
            values["fidelity/mean_log_prob"] = float(log_prob[on_support].mean())
        if self.target.bounded_support:
            values["fidelity/outside_support"] = float(1.0 - on_support.mean())
        return values


def highest_density_region(density, mass=0.99):
    """Boolean mask of the grid cells that hold `mass` of the total, densest first."""
    order = np.argsort(density)[::-1]
    cumulative = np.cumsum(density[order]) / density.sum()
    keep = np.zeros(density.shape, bool)
    keep[order[: int(np.searchsorted(cumulative, mass)) + 1]] = True
    return keep
