"""The two kinds of sweep: what the toy MLP GAN (`ToySweep`) and the DCGAN on
MNIST (`MnistSweep`) supply to the shared loop, tables and figures
(defaults, checks, how a cell is scored and pictured), on a `SweepKind` base."""

import glob
import io
import os

import numpy as np

from keras_gan_latent.errors import UserError
from keras_gan_latent.fileio import atomic_write_bytes
from keras_gan_latent.sweep.figures import grid_image, headline, latent_views_grid, montage_image
from keras_gan_latent.sweep.settings import (
    EVAL_METRICS,
    FINAL_FRAME_FILE,
    INTRINSIC_DIMENSION_SAMPLES,
    LATENT_VIEW_FILE,
    MNIST_EVAL_METRICS,
    MNIST_REPORT_FILE,
    MNIST_TARGET,
    MNIST_TRAINING_METRICS,
    SAMPLES_FILE,
    TRAINING_METRICS,
    VIEW_LATENT_DIMS,
)


def read_scalar_curves(run_dir, tags):
    """The scalars `tags` of a run's event files, as a JSON-ready curve.

    Returns:
        `{tag: {"step": [...], "value": [...]}}` sorted by step, for each of
        `tags` the run wrote (the last value where a step repeats).
    """
    import tensorflow as tf

    points = {tag: {} for tag in tags}
    for path in sorted(glob.glob(os.path.join(run_dir, "events.out.tfevents.*"))):
        for record in tf.data.TFRecordDataset(path):
            event = tf.compat.v1.Event.FromString(record.numpy())
            for value in event.summary.value:
                if value.tag in points:
                    points[value.tag][int(event.step)] = float(tf.make_ndarray(value.tensor))
    return {
        tag: {"step": sorted(by_step), "value": [by_step[s] for s in sorted(by_step)]}
        for tag, by_step in points.items()
        if by_step
    }


class SweepKind:
    """What one kind of sweep supplies to the shared loop, tables and figures.

    A subclass sets `title`, `training_metrics`, `eval_metrics`,
    `curve_label`, `curve_limits` and `noise_criteria`, and implements
    `check`, `describe`, `evaluate(config, result_dir)`, `summary_row`,
    `headline`, `notes`, `section_title`, `write_figures(reports)`,
    `_intrinsic_dimension(name)` and the properties `curve_tags` and
    `curve_metric`.

    Args:
        settings: Validated `SweepSettings`.
    """

    def __init__(self, settings):
        self.settings = settings
        self._dimensions = {}

    def intrinsic_dimension(self, name):
        """The data's intrinsic dimension for the "how much noise" table (computed once per sweep)."""
        if name not in self._dimensions:
            self._dimensions[name] = self._intrinsic_dimension(name)
        return self._dimensions[name]


class ToySweep(SweepKind):
    """What is particular to a sweep of the MLP GAN over toy targets.

    Args:
        settings: Validated `SweepSettings` with `model="mlp"`.
    """

    title = "Latent-dimension sweep"
    training_metrics = TRAINING_METRICS
    eval_metrics = EVAL_METRICS
    curve_label = "JS(p_data, p_g) on 2,500 fixed samples (nats)"
    curve_limits = (0.0, 0.72)  # JS lies in [0, log 2]
    # "How much noise": the smallest latent dim as good as the best by these (key, better).
    noise_criteria = (("js", "lower"),)

    @property
    def curve_tags(self):
        """The convergence scalars a run writes (`views.CONVERGENCE_SCALARS`), kept in `curve.json`."""
        from keras_gan_latent.viz import views

        return views.CONVERGENCE_SCALARS

    @property
    def curve_metric(self):
        """The tag the convergence figure draws: JS."""
        from keras_gan_latent.viz import views

        return views.CONVERGENCE_JS

    def __init__(self, settings):
        super().__init__(settings)
        self.targets = {}

    def check(self):
        """Looks up the targets; the figures need them 2-D.

        Raises:
            UserError: for an unknown or non-2-D target.
        """
        from keras_gan_latent.data import targets

        self.targets = {name: targets.get_target(name) for name in self.settings.targets}
        for target in self.targets.values():
            if target.dim != 2:
                raise UserError(f"target {target.name!r} is {target.dim}-D; the sweep's figures need 2-D targets")

    def describe(self):
        """The rows of the grid, for the sweep's first log line."""
        return f"targets {','.join(self.settings.targets)}"

    def evaluate(self, config, result_dir):
        """Scores a trained cell's export; keeps its samples and, for k = 1, 2, its latent view.

        Args:
            config: The cell's `TrainConfig`, trained.
            result_dir: The cell's results folder (`samples.npy`, `latent_view.png`).

        Returns:
            The `evaluation.evaluate_samples` report.
        """
        from keras_gan_latent import evaluation
        from keras_gan_latent.viz import latent_maps, plotting

        target = self.targets[config.target]
        samples, sampler = evaluation.load_samples(config.export_dir, target, self.settings.num_samples, config.seed)
        report = evaluation.evaluate_samples(samples, target, seed=config.seed)
        buffer = io.BytesIO()
        np.save(buffer, samples.astype(np.float32))
        atomic_write_bytes(os.path.join(result_dir, SAMPLES_FILE), buffer.getvalue())
        if config.latent_dim in VIEW_LATENT_DIMS:
            image = latent_maps.latent_view_image(latent_maps.from_export(sampler), config.latent_dim, config.prior, target)
            plotting.save_png(image, os.path.join(result_dir, LATENT_VIEW_FILE))
        return report

    def _intrinsic_dimension(self, name):
        """The TwoNN intrinsic dimension of `INTRINSIC_DIMENSION_SAMPLES` samples of target `name`."""
        import tensorflow as tf

        from keras_gan_latent.metrics import intrinsic_dimension

        points = self.targets[name].sample(INTRINSIC_DIMENSION_SAMPLES, seed=tf.constant([0, 0x1D])).numpy()
        return intrinsic_dimension(points.astype(np.float64), method="two_nn")["estimate"]

    def summary_row(self, report):
        """`evaluation.summary_row`: the report's headline numbers, flat."""
        from keras_gan_latent import evaluation

        return evaluation.summary_row(report)

    def headline(self, report):
        """A few words on a report (see `headline`)."""
        return headline(report)

    def notes(self):
        """What the table's entries mean, after the shared first sentences."""
        return (
            '"inf": infinite for some seed (KL(p_g || p_data) with samples off the support or repeated); '
            '"n/a": undefined. Keys as in results.csv and `evaluate.py`.'
        )

    def section_title(self, name):
        """The Markdown heading of one target's table."""
        return f"{name} (latent prior: {self.targets[name].default_prior})"

    def write_figures(self, reports):
        """Rewrites `grid.png` and (once a view is done) `latent_views.png`."""
        from keras_gan_latent.viz import plotting

        settings = self.settings
        plotting.save_png(grid_image(settings, self.targets, reports), os.path.join(settings.out, "grid.png"))
        views = latent_views_grid(settings, reports)
        if views is not None:
            plotting.save_png(views, os.path.join(settings.out, "latent_views.png"))


class MnistSweep(SweepKind):
    """What is particular to the DCGAN's z_dim sweep on real MNIST.

    The classifier that scores the digits is loaded once per sweep, on the
    first cell that needs it (a finished sweep read back never loads it).

    Args:
        settings: Validated `SweepSettings` with `model="dcgan"`.
    """

    title = "Latent-dimension sweep: DCGAN on MNIST"
    training_metrics = MNIST_TRAINING_METRICS
    eval_metrics = MNIST_EVAL_METRICS
    curve_label = "Frechet distance of the fixed latents' digits"
    curve_limits = None
    noise_criteria = (("classes_covered", "higher"), ("frechet_distance", "lower"))

    @property
    def curve_tags(self):
        """The mode-report scalars a run writes (`views.MODE_SCALARS`), kept in `curve.json`."""
        from keras_gan_latent.viz import views

        return tuple(f"{views.MODE_PREFIX}{key}" for key in views.MODE_SCALARS)

    @property
    def curve_metric(self):
        """The tag the convergence figure draws: the Frechet distance."""
        from keras_gan_latent.viz import views

        return f"{views.MODE_PREFIX}frechet_distance"

    def __init__(self, settings):
        super().__init__(settings)
        self._classifier = None

    def check(self):
        """Loads MNIST once, so bad `--data` is refused before anything is written.

        Raises:
            UserError: if MNIST cannot be loaded from `data` (or at all).
        """
        from keras_gan_latent.data.mnist import load_mnist

        load_mnist(self.settings.data)

    def describe(self):
        """What the sweep trains, for its first log line."""
        return f"{self.settings.arch} DCGAN on {MNIST_TARGET}"

    def classifier(self):
        """The digit classifier (cached; trained the first time, a few minutes)."""
        if self._classifier is None:
            from keras_gan_latent.evaluation.classifier import load_or_train_classifier

            self._classifier = load_or_train_classifier(data_path=self.settings.data, verbose=2).model
        return self._classifier

    def evaluate(self, config, result_dir):
        """Scores `num_samples` digits of a trained cell's export and pictures the report.

        Args:
            config: The cell's `TrainConfig`, trained.
            result_dir: The cell's results folder (`mnist_report.png`, and a
                copy of the run's final fixed-noise grid for the montage).

        Returns:
            The `evaluation.mnist_report`, Parzen estimate included.
        """
        from keras_gan_latent import evaluation
        from keras_gan_latent.viz import plotting

        images, _ = evaluation.load_images(config.export_dir, self.settings.num_samples, config.seed)
        report = evaluation.mnist_report(images, classifier=self.classifier(), parzen=True, data_path=self.settings.data)
        picture = evaluation.mnist_report_image(images, report, title=f"z_dim {config.latent_dim}, seed {config.seed}")
        plotting.save_png(picture, os.path.join(result_dir, MNIST_REPORT_FILE))
        with open(os.path.join(config.run_dir, FINAL_FRAME_FILE), "rb") as f:
            atomic_write_bytes(os.path.join(result_dir, FINAL_FRAME_FILE), f.read())
        return report

    def _intrinsic_dimension(self, name):
        """The TwoNN intrinsic dimension of `INTRINSIC_DIMENSION_SAMPLES` training digits in [0, 1]^784."""
        from keras_gan_latent.data.mnist import load_mnist
        from keras_gan_latent.metrics import intrinsic_dimension

        x_train = load_mnist(self.settings.data)[0]
        points = x_train[:INTRINSIC_DIMENSION_SAMPLES].reshape(-1, 28 * 28).astype(np.float64) / 255.0
        return intrinsic_dimension(points, method="two_nn")["estimate"]

    def summary_row(self, report):
        """The table's numbers of an MNIST report, flat (`MNIST_EVAL_METRICS`)."""
        parzen = report.get("parzen")
        return {
            "classes_covered": report["classes_covered"],
            "kl_uniform": report["kl_uniform"],
            "classifier_score": report["classifier_score"],
            "frechet_distance": report["frechet_distance"],
            "parzen_ll": None if parzen is None else parzen["mean"],
        }

    def headline(self, report):
        """A few words on a report: classes covered, classifier score, Frechet distance."""
        text = f"{report['classes_covered']}/10 classes, classifier score {report['classifier_score']:.2f}"
        if report["frechet_distance"] is not None:
            text += f", Frechet {report['frechet_distance']:.1f}"
        return text

    def notes(self):
        """What the table's entries mean, after the shared first sentences."""
        return (
            f"DCGAN `{self.settings.arch}`. classes_covered: digit classes with more than 1 % of the samples "
            "(the classifier's argmax); kl_uniform: KL(class histogram || uniform) in nats (0 balanced, "
            "2.30 one class); classifier_score: exp E KL(p(y|x) || p(y)), 1 to 10 (real test digits 9.76); "
            "frechet_distance: in the classifier's features (MNIST train vs test: 1.10); parzen_ll: the GAN "
            "paper's Parzen-window test log-likelihood in nats, a poor measure on 784 pixels (Theis et al. "
            '2016), for comparison with published numbers only. "n/a": undefined. Per-run reports are in '
            "results/*/evaluation.json; montage.png shows the grids."
        )

    def section_title(self, name):
        """The Markdown heading of the table."""
        return f"{name} (latent prior: normal, arch {self.settings.arch})"

    def write_figures(self, reports):
        """Rewrites `montage.png`."""
        from keras_gan_latent.viz import plotting

        plotting.save_png(montage_image(self.settings, reports), os.path.join(self.settings.out, "montage.png"))
