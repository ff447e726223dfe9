"""The article's experiment (`--model mlp`): the MLP GAN on a 1-D or 2-D target with an exact density.

Everything particular to it is here: the article's defaults, the networks and
the GAN fed from the target inside the compiled step, the scatter view of its
summaries, its report against the target's exact density, and what a sweep
keeps of each cell (its samples and, for k = 1, 2, its latent view) and draws
(the article's panels for the whole grid).
"""

import io
import json
import os

import keras
import numpy as np
import tensorflow as tf

from keras_gan_latent.data import priors, targets
from keras_gan_latent.evaluation import toy as toy_evaluation
from keras_gan_latent.experiments.base import (
    INTRINSIC_DIMENSION_SAMPLES, EvaluateOptions, Experiment, Pictures, Recipe, Scorer, SweepPresenter, adam_pair,
    gan_settings,
)
from keras_gan_latent.experiments.toy_spec import ToySpec
from keras_gan_latent.fileio import atomic_write_bytes
from keras_gan_latent.metrics import intrinsic_dimension
from keras_gan_latent.models import mlp
from keras_gan_latent.models.gan import GAN, TargetSource
from keras_gan_latent.training.loop import Setup, steps_dataset
from keras_gan_latent.viz import latent_maps, plotting, views
from keras_gan_latent.viz.plotting import plt

# What a sweep keeps of a cell besides its report.
SAMPLES_FILE = "samples.npy"  # the evaluated samples, float32 (n, 2)
LATENT_VIEW_FILE = "latent_view.png"  # where the latent space lands, for the latent dims flat enough to draw
VIEW_LATENT_DIMS = (1, 2)
LATENT_VIEWS_FIGURE = "latent_views.png"  # the sweep's figures, in its out folder
GRID_FIGURE = "grid.png"


class ToyExperiment(ToySpec, Experiment):
    """The MLP GAN of the article on a registered target (`data.targets`).

    Defaults are the article's: its networks, batch 512, Adam D 1e-3 / G 2e-4
    with beta_1 0.5, XLA on, the target's own latent prior; `arch="pacgan"`
    takes PacGAN's networks and settings instead (`ToySpec`). Its tables score JS, both
    KLs, Wasserstein-1, MMD, the share outside the support and, for the
    mixtures, the VEEGAN/PacGAN mode protocol.
    """

    def __init__(self):
        scorer = ToyScorer()
        super().__init__(ToyRecipe(), scorer, ToySweep(scorer), ToyPictures())


class ToyRecipe(Recipe):
    """The MLP GAN fed from the target inside the compiled step, with the scatter view."""

    training_metrics = ("fidelity/mean_log_prob", "train/d_loss", "train/g_loss", "train/d_accuracy")

    def build(self, config, model_scope):
        """The MLP GAN of `config.arch` (`models.mlp.NETWORKS`) on `config.target`; `fit` is fed `steps_dataset` (the GAN draws its real samples)."""
        target = targets.get_target(config.target)
        prior = priors.run_prior(config)
        with model_scope():
            keras.utils.set_random_seed(config.seed)
            make_generator, make_discriminator = mlp.NETWORKS[config.arch]
            generator = make_generator(
                config.latent_dim + config.latent_code, target.dim, width=config.g_width, depth=config.g_depth
            )
            discriminator = make_discriminator(target.dim, width=config.d_width, depth=config.d_depth, pack=config.pack)
            model = GAN(
                generator,
                discriminator,
                prior,
                TargetSource(target),
                num_fixed_latents=config.num_fixed_latents,
                **gan_settings(config),
            )
        view = views.ScatterView(target, num_real=config.num_fixed_latents, seed=config.seed)
        return Setup(model=model, make_dataset=steps_dataset, view=view, config=config,
                     make_optimizers=lambda: adam_pair(config))


class ToyScorer(Scorer):
    """Samples against a toy target's exact density (`evaluation.toy`); the VAE and the CycleGAN score with it too."""

    eval_metrics = (
        "js", "kl_g_data", "kl_data_g", "wasserstein1", "mmd", "outside_support",
        "modes_covered", "high_quality", "mode_kl",
    )

    def evaluate(self, source, data_name, num_samples=None, seed=0, options=None):
        """The report of `evaluation.evaluate_samples`; for a 1-D export with k = 1, the learned map too.

        With `options.plot`, a 1-D export with k = 1 also draws G(u) against
        the target's quantile function there.
        """
        options = options or EvaluateOptions()
        target = targets.get_target(data_name)
        num_samples = toy_evaluation.MODE_PROTOCOL_SAMPLES if num_samples is None else num_samples
        samples, sampler = toy_evaluation.load_samples(source, target, num_samples, seed)
        report = toy_evaluation.evaluate_samples(samples, target, seed=seed, num_resamples=options.resamples)
        if sampler is not None and target.dim == 1 and target.quantile is not None:
            config = json.loads(sampler.config().numpy().decode())
            if config.get("latent_dim") == 1:
                qmap, u, g_of_u = toy_evaluation.quantile_map_report(sampler, target, config.get("prior", "uniform"))
                report["quantile_map"] = qmap
                if options.plot:
                    plotting.save_png(plotting.quantile_map_image(u, g_of_u, target), options.plot)
        return report, samples

    def summary_row(self, report):
        return toy_evaluation.summary_row(report)

    def headline(self, report):
        """JS, and modes covered for mixtures, e.g. "JS 0.231, 8/8 modes"."""
        js = report["divergences"]["js"]["estimate"]
        text = "JS n/a" if js is None else f"JS {js:.3f}"
        if "modes" in report:
            text += f", {report['modes']['modes_covered']}/{report['modes']['num_modes']} modes"
        return text

    def report_text(self, report):
        """Each estimate with its 95 % bootstrap interval, one per line."""

        def fmt(entry):
            if entry["estimate"] is None:
                return f"undefined ({entry['reason']})"
            low, high = entry["ci"]
            return f"{entry['estimate']:.4f}  [{low:.4f}, {high:.4f}]"

        div = report["divergences"]
        w = report["wasserstein"]
        lines = [
            f"target {report['target']}, {report['num_samples']} samples (95% bootstrap CIs)",
            f"  KL(p_g || p_data)   {fmt(div['kl_g_data'])}",
            f"  KL(p_data || p_g)   {fmt(div['kl_data_g'])}   (a lower bound when p_g misses data)",
            f"  JS divergence       {fmt(div['js'])}   (at most log 2 = 0.6931)",
            f"  outside support     {div['outside_support_fraction']:.2%}",
            f"  Wasserstein-1       {w['value']:.4f}  ({w['method']})",
            f"  MMD^2 (median bw)   {report['mmd']:.5f}",
        ]
        if "modes" in report:
            m = report["modes"]
            kl = "undefined" if m["reverse_kl_to_uniform"] is None else f"{m['reverse_kl_to_uniform']:.4f}"
            lines.append(f"  modes covered       {m['modes_covered']}/{m['num_modes']}   high quality "
                         f"{m['high_quality_fraction']:.1%}   mode KL to uniform {kl}")
        if "ks" in report:
            lines.append(f"  KS statistic        {report['ks']['statistic']:.4f}  (p = {report['ks']['pvalue']:.3g})")
        if "quantile_map" in report:
            q = report["quantile_map"]
            lines.append(f"  |G(u) - Q(u)|       {q['distance']:.4f}  (orientation {q['orientation']})")
        return "\n".join(lines)



class ToyPictures(Pictures):
    """The article's scatter frame."""

    def sample_image(self, samples, config):
        """The article's scatter frame of exported samples over the target's."""
        target = targets.get_target(config["target"])
        real = target.sample(len(samples), seed=tf.constant([1, 0], tf.int32)).numpy()
        plotter = plotting.FramePlotter(real, target.plot_limits)
        title = f"{config['target']}, latent dim {config['latent_dim']}, {len(samples)} samples"
        image = plotter.render(samples, title=title)
        plotter.close()
        return image


class ToySweep(SweepPresenter):
    """A toy sweep: each cell's samples and latent view; the article's panels of the grid."""

    title = "Latent-dimension sweep"
    curve_tags = views.CONVERGENCE_SCALARS
    curve_metric = views.CONVERGENCE_JS
    curve_label = "JS(p_data, p_g) on 2,500 fixed samples (nats)"
    curve_limits = (0.0, 0.72)  # JS lies in [0, log 2]
    # Late JS (the curve's mean over the last 30 % of training), not one final snapshot: a GAN's JS
    # swings from summary to summary by about as much as the latent dims differ (sweep/margins.py).
    noise_criteria = (("late_js", "lower"),)

    def __init__(self, scorer):
        """`scorer`: the `Scorer` whose headline the grid's panels show."""
        super().__init__()
        self.scorer = scorer

    def describe(self, settings):
        """The rows of the grid, for the sweep's first log line."""
        return f"targets {','.join(settings.targets)}"

    def evaluate_cell(self, config, settings, result_dir):
        """Scores a trained cell's export; keeps its samples and, for k = 1, 2, its latent view (per code, with a code).

        Returns:
            The `evaluation.evaluate_samples` report.
        """
        target = targets.get_target(config.target)
        samples, sampler = toy_evaluation.load_samples(config.export_dir, target, settings.num_samples, config.seed)
        report = toy_evaluation.evaluate_samples(samples, target, seed=config.seed)
        buffer = io.BytesIO()
        np.save(buffer, samples.astype(np.float32))
        atomic_write_bytes(os.path.join(result_dir, SAMPLES_FILE), buffer.getvalue())
        if config.latent_dim in VIEW_LATENT_DIMS:
            if config.latent_code:  # one view per code, over the continuous part
                image = latent_maps.code_views_image(sampler, config.latent_code, config.latent_dim, config.prior, target)
            else:
                image = latent_maps.latent_view_image(latent_maps.from_export(sampler), config.latent_dim, config.prior, target)
            plotting.save_png(image, os.path.join(result_dir, LATENT_VIEW_FILE))
        return report

    def data_intrinsic_dimension(self, name, settings):
        """The TwoNN intrinsic dimension of `INTRINSIC_DIMENSION_SAMPLES` samples of target `name`."""
        points = targets.get_target(name).sample(INTRINSIC_DIMENSION_SAMPLES, seed=tf.constant([0, 0x1D])).numpy()
        return intrinsic_dimension(points.astype(np.float64), method="two_nn")["estimate"]

    def notes(self, settings):
        """What the table's entries mean, after the shared first sentences."""
        return (
            '"inf": infinite for some seed (KL(p_g || p_data) with samples off the support or repeated); '
            '"n/a": undefined. Keys as in results.csv and `evaluate.py`.'
        )

    def section_title(self, name, settings):
        """The Markdown heading of one target's table."""
        return f"{name} (latent prior: {targets.default_prior(name)})"

    def figure_files(self):
        """The figures `write_figures` may write into a sweep's out folder."""
        return (GRID_FIGURE, LATENT_VIEWS_FIGURE)

    def write_figures(self, settings, reports):
        """Rewrites `grid.png` and (once a view is done) `latent_views.png`."""
        plotting.save_png(self.grid_image(settings, reports), os.path.join(settings.out, GRID_FIGURE))
        image = latent_views_grid(settings, reports)
        if image is not None:
            plotting.save_png(image, os.path.join(settings.out, LATENT_VIEWS_FIGURE))

    def grid_image(self, settings, reports):
        """The article's panels for the whole sweep: rows targets, columns latent dims.

        Each panel shows the first seed's evaluated samples in red over target
        samples in grey on the target's fixed equal axes; unfinished cells say so.

        Returns:
            An (H, W, 3) uint8 array.
        """
        rows, cols = len(settings.targets), len(settings.latent_dims)
        fig, axes = plt.subplots(rows, cols, figsize=(2.2 * cols, 2.3 * rows), dpi=100, squeeze=False)
        for r, name in enumerate(settings.targets):
            target = targets.get_target(name)
            real = target.sample(2000, seed=tf.constant([0, 0x7EA1])).numpy()
            for c, latent_dim in enumerate(settings.latent_dims):
                ax = axes[r, c]
                ax.scatter(real[:, 0], real[:, 1], s=2, c=plotting.REAL_COLOUR, alpha=0.5, linewidths=0)
                report = reports.get((name, latent_dim, settings.seeds[0]))
                samples_path = os.path.join(settings.result_dir(name, latent_dim, settings.seeds[0]), SAMPLES_FILE)
                if report is not None and os.path.isfile(samples_path):
                    fake = np.load(samples_path)
                    ax.scatter(fake[:, 0], fake[:, 1], s=2, c=plotting.FAKE_COLOUR, alpha=0.5, linewidths=0)
                    ax.text(0.03, 0.03, self.scorer.headline(report), transform=ax.transAxes, fontsize=6)
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
    latent_dims = [k for k in VIEW_LATENT_DIMS if k in settings.latent_dims]
    images = {}
    for name in settings.targets:
        for latent_dim in latent_dims:
            path = os.path.join(settings.result_dir(name, latent_dim, settings.seeds[0]), LATENT_VIEW_FILE)
            if (name, latent_dim, settings.seeds[0]) in reports and os.path.isfile(path):
                images[(name, latent_dim)] = plotting.read_png(path)
    if not images:
        return None
    blank = np.full_like(next(iter(images.values())), 255)
    return np.concatenate(
        [np.concatenate([images.get((name, k), blank) for k in latent_dims], axis=1) for name in settings.targets],
        axis=0,
    )
