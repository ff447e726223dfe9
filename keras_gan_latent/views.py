"""Views: what a model's summaries look like for one kind of data.

The TensorBoard and animation callbacks are shared by every GAN; a view
supplies the data-specific part. `ScatterView` is the view of a 1-D or 2-D
target: the article's frame, D(x) as a heat map, a fidelity figure from the
target's exact density, and the generated coordinates as histograms.
"""

import numpy as np
import tensorflow as tf

from keras_gan_latent import plotting


def generate_in_batches(generator, z, batch_size=5000):
    """Applies `generator` (inference mode) to latents `z` in batches, as numpy."""
    outputs = [
        generator(z[i : i + batch_size], training=False) for i in range(0, int(z.shape[0]), batch_size)
    ]
    return tf.concat(outputs, axis=0).numpy()


class ScatterView:
    """Summaries of a generator on a 1-D or 2-D target.

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

    def fixed_samples(self, model):
        """G applied to the run's fixed latents."""
        return generate_in_batches(model.generator, model.fixed_latents)

    def frame(self, model, step, samples=None):
        """The article's frame at `step`, as an (H, W, 3) uint8 array."""
        if samples is None:
            samples = self.fixed_samples(model)
        return self.plotter.render(samples, title=f"latent dim {model.latent_dim}, step {step}")

    def discriminator_heatmap(self, model, step):
        """D(x) = sigmoid(logit) on a grid over the plotting window."""
        if self.target.dim != 2:
            return None
        n = self.heatmap_resolution
        grid = plotting.grid_points(self.limits, n)
        logits = model.discriminator(grid, training=False)
        d = tf.sigmoid(logits).numpy().reshape(n, n)
        return plotting.heatmap_image(d, self.limits, f"D(x), step {step}", overlay=self.real[:1000])

    def scalars(self, samples):
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

    def images(self, model, step, samples):
        """Image summaries by tag."""
        images = {"samples/frame": self.frame(model, step, samples)}
        heatmap = self.discriminator_heatmap(model, step)
        if heatmap is not None:
            images["discriminator/heatmap"] = heatmap
        return images

    def histograms(self, samples):
        """Histograms of the generated coordinates by tag."""
        return {f"generated/x{i}": samples[:, i] for i in range(samples.shape[1])}
