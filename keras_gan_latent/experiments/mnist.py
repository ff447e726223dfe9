"""The seed study's experiment (`--model dcgan`): the DCGAN on real MNIST digits.

Everything particular to it is here: the architectures' defaults, the
networks and the GAN fed from the step-indexed MNIST stream, the fixed-noise
grid with the classifier's mode report during training, the classifier's
report of exported digits, and what a sweep keeps of each cell (its report
picture and final grid) and draws (the montage of every cell).
"""

import json
import os
import textwrap

import keras
import numpy as np

from keras_gan_latent.data import mnist, priors
from keras_gan_latent.evaluation import interpolation
from keras_gan_latent.evaluation import mnist as mnist_evaluation
from keras_gan_latent.experiments import num_codes_of
from keras_gan_latent.experiments.base import (
    INTRINSIC_DIMENSION_SAMPLES, EvaluateOptions, Experiment, Pictures, Recipe, Scorer, SweepPresenter, adam_pair,
    gan_settings,
)
from keras_gan_latent.experiments.mnist_spec import MnistSpec
from keras_gan_latent.fileio import atomic_write_bytes
from keras_gan_latent.metrics import intrinsic_dimension
from keras_gan_latent.models import dcgan
from keras_gan_latent.models.classifier import load_or_train_classifier
from keras_gan_latent.models.gan import GAN, DatasetSource
from keras_gan_latent.training.loop import FINAL_FRAME_FILE, Setup
from keras_gan_latent.viz import digits, plotting, views
from keras_gan_latent.viz.digits import image_grid as digits_grid
from keras_gan_latent.viz.plotting import plt

MNIST_TARGET = mnist_evaluation.MNIST_TARGET
# What a sweep keeps of a cell besides its report: the report's picture and
# the run's final fixed-noise grid (for the montage).
MNIST_REPORT_FILE = "mnist_report.png"
MONTAGE_FIGURE = "montage.png"
CODE_GRID_COLUMNS = 10  # a coded run's training grid: one row per code x 10 fixed latents
BAR_WIDTH = 40  # characters of the longest bar of the report's text histogram
SAMPLE_GRID_COLUMNS = 10  # sample.py --plot tiles the first 10 x 10 digits
DEFAULT_WALK_DIGITS = (7, 1)  # interpolate.py's walk without --digits: the GAN paper's
# montage.png: inches per column at MONTAGE_DPI, room for a 5x5 digit grid
# (152 pixels, drawn with nearest-neighbour scaling so digits stay crisp) and
# for a bar chart whose ten share labels still fit.
MONTAGE_PANEL = 2.4
MONTAGE_HISTOGRAM_HEIGHT = 1.9
MONTAGE_DPI = 100
# What the MNIST table's columns mean (results.md).
MNIST_COLUMN_NOTES = (
    "classes_covered: digit classes with more than 1 % of the samples "
    "(the classifier's argmax); kl_uniform: KL(class histogram || uniform) in nats (0 balanced, "
    "2.30 one class); classifier_score: exp E KL(p(y|x) || p(y)), 1 to 10 (real test digits 9.76); "
    "frechet_distance: in the classifier's features (MNIST train vs test: 1.10); parzen_ll: the GAN "
    "paper's Parzen-window test log-likelihood in nats, a poor measure on 784 pixels (Theis et al. "
    '2016), for comparison with published numbers only. "n/a": undefined. Per-run reports are in '
    "results/*/evaluation.json; montage.png shows the grids."
)


class MnistExperiment(MnistSpec, Experiment):
    """The DCGAN on real MNIST digits in [-1, 1], judged by the cached MNIST classifier.

    Three architectures (`arch`), each with its defaults: `light` (the DCGAN
    paper's Adam settings, batch 64; minutes on a CPU), `seed` (the seed
    study's networks and published settings) and `tutorial` (TensorFlow's
    DCGAN tutorial: its networks, batch 256 and Adam 1e-4 with Keras's
    default beta_1 0.9 for both players; the tutorial's D sees 256 real and
    256 generated digits a step, ours half a batch of each, 128 + 128, while
    G sees 256 latents in both). Latents are N(0, I) for all.
    A step's dataset yields `d_steps * batch_size // 2` real digits, one
    half-batch per discriminator step, the same digits for the same step in
    every run with this seed.
    """

    def __init__(self):
        classifiers = Classifiers()
        scorer = MnistScorer(classifiers)
        super().__init__(MnistRecipe(classifiers), scorer, MnistSweep(scorer), MnistPictures())


class Classifiers:
    """The digit classifier of each `--data` (cached per process; trained the first time on a machine, a few minutes).

    One is shared by an experiment's recipe (the training view's mode report) and its scorer.
    """

    def __init__(self):
        self._classifiers = {}

    def __call__(self, data_path=None, verbose=2):
        """The cached classifier (`models.classifier.load_or_train_classifier`) of MNIST from `data_path`."""
        if data_path not in self._classifiers:
            self._classifiers[data_path] = load_or_train_classifier(data_path=data_path, verbose=verbose)
        return self._classifiers[data_path]


class MnistRecipe(Recipe):
    """The DCGAN of `config.arch` fed from the step-indexed MNIST stream, with the fixed-noise grid view.

    Args:
        classifiers: The `Classifiers` the mode report uses.
    """

    training_metrics = (
        "train/d_loss", "train/g_loss", "train/d_accuracy",
        "modes/classes_covered", "modes/classifier_score", "modes/frechet_distance",
    )

    def __init__(self, classifiers):
        self.classifier = classifiers

    def build(self, config, model_scope):
        """The GAN of `config.arch` (`networks`), fed from the step-indexed MNIST stream.

        With `config.mode_report_samples`, the view writes the classifier's
        mode report of that many fixed latents at every image summary; the
        classifier is loaded (or trained) before the GAN is seeded, and
        outside `model_scope`. A subclass changes the run through the hooks
        `networks`, `model_options`, `stream_labels`, `grid_view` and `callbacks`.
        """
        x_train, y_train, x_test, y_test = mnist.load_mnist(config.data)
        prior = priors.run_prior(config)
        view = self.grid_view(config, x_test, y_test)  # before the GAN is seeded (see grid_view)
        with model_scope():
            keras.utils.set_random_seed(config.seed)
            model = GAN(
                *self.networks(config),
                prior,
                num_fixed_latents=self.num_fixed_latents(config),
                **gan_settings(config),
                **self.model_options(config, x_train),
            )
        make_dataset = self.digit_stream(
            config, x_train, config.d_steps * (config.batch_size // 2), labels=self.stream_labels(y_train)
        )
        return Setup(model=model, make_dataset=make_dataset, view=view, config=config,
                     make_optimizers=lambda: adam_pair(config), callbacks=self.callbacks(config, model, x_train))

    def networks(self, config):
        """`(generator, discriminator)` of `config.arch`, D spectrally normalised with `config.spectral_norm` (built in the model scope, after seeding)."""
        return (
            dcgan.dcgan_generator(config.latent_dim + config.latent_code, config.arch),
            dcgan.dcgan_discriminator(config.arch, spectral_norm=config.spectral_norm, pack=config.pack),
        )

    def model_options(self, config, x_train):
        """The `GAN` arguments besides the networks and the settings: its real-sample source (built in the model scope)."""
        del config, x_train
        return {"real_source": DatasetSource()}

    def callbacks(self, config, model, x_train):
        """The run's own callbacks beside the training loop's (`Setup.callbacks`): none."""
        del config, model, x_train
        return ()

    def stream_labels(self, y_train):
        """The labels the digit stream yields beside the digits: None (the DCGAN sees digits only)."""
        del y_train
        return None

    def num_fixed_latents(self, config):
        """The first 25 fixed latents make the image grid; all of them the mode report."""
        return max(views.GRID_SIZE**2, config.mode_report_samples)

    def grid_view(self, config, x_test, y_test=None):
        """The fixed-noise grid, with the classifier's mode report of `config.mode_report_samples` digits.

        Loads (or, on a machine's first use, trains) the classifier: call it
        before seeding the model, since training the classifier reseeds Keras.

        With a latent code, the grid has one row per code (`views.CodeGridView`)
        and the mode report adds class discovery (`modes/code_accuracy`).

        Args:
            config: The run's config.
            x_test: Real test digits (uint8).
            y_test: Their labels (unused here; a conditional view shows digits by class).
        """
        del y_test
        mode_report = None
        if config.mode_report_samples > 0:
            classifier = self.classifier(config.data).model
            mode_report = (
                mnist_evaluation.CodedDigitModeReporter(classifier, x_test, config.latent_code)
                if config.latent_code else mnist_evaluation.DigitModeReporter(classifier, x_test)
            )
        if config.latent_code:  # one row of digits per code
            return views.CodeGridView(x_test, config.latent_code, CODE_GRID_COLUMNS, mode_report=mode_report)
        return views.GridView(x_test[: views.GRID_SIZE**2], mode_report=mode_report)

    def digit_stream(self, config, x_train, digits_per_step, labels=None):
        """`Setup.make_dataset`: the step-indexed stream of `digits_per_step` training digits in [-1, 1].

        With `labels` (the digits' classes), each step yields `(digits, labels)`.
        """

        def make_dataset(start_step, num_replicas=1, first_replica=0, local_replicas=1):
            return mnist.mnist_dataset(
                x_train,
                digits_per_step,
                seed=config.seed,
                start_step=start_step,
                num_replicas=num_replicas,
                first_replica=first_replica,
                local_replicas=local_replicas,
                y_uint8=labels,
            )

        return make_dataset



class MnistScorer(Scorer):
    """Generated digits judged by the cached MNIST classifier (`evaluation.mnist`).

    Args:
        classifiers: The `Classifiers` to judge with.
    """

    eval_metrics = ("classes_covered", "kl_uniform", "classifier_score", "frechet_distance", "parzen_ll")

    def __init__(self, classifiers):
        self.classifier = classifiers

    def evaluate(self, source, data_name, num_samples=None, seed=0, options=None):
        """The classifier's report of generated digits (`score`) and which classifier gave it.

        With `options.plot`, also draws the report's picture there (`score`'s `draw`).
        """
        options = options or EvaluateOptions()
        num_samples = mnist_evaluation.MNIST_SAMPLES if num_samples is None else num_samples
        report, images, draw = self.score(source, num_samples, seed, options.data, options.parzen, options.verbose)
        cached = self.classifier(options.data, verbose=options.verbose)
        report = {
            "target": MNIST_TARGET,
            **report,
            "classifier": {"test_accuracy": cached.info["test_accuracy"], "model_path": cached.info["model_path"]},
        }
        if options.plot:
            plotting.save_png(draw(self.plot_title(report)), options.plot)
        return report, images

    def score(self, source, num_samples, seed, data=None, parzen=True, verbose=2):
        """The report of `num_samples` digits of `source`, the digits, and how to picture it.

        Returns:
            `(report, images, draw)`: `evaluation.mnist_report` (Parzen
            included with `parzen`), the digits scored, and `draw(title)`
            -> the class histogram beside the first 25 digits (uint8 RGB).
            For an export whose latent has a discrete part of K values
            (`--latent-code K`, a self-conditioned GAN's K clusters), the
            report also has `code_discovery`
            (`evaluation.mnist.code_discovery_report` of ceil(num_samples / K)
            digits per code, same seed).
        """
        images, sampler = mnist_evaluation.load_images(source, num_samples, seed)
        classifier = self.classifier(data, verbose=verbose).model
        report = mnist_evaluation.mnist_report(images, classifier, parzen=parzen, data_path=data)
        num_codes = export_num_codes(sampler)
        if num_codes:  # which digit does each code draw? num_samples / K digits per code
            report["code_discovery"] = mnist_evaluation.code_discovery_report(
                sampler, classifier, num_codes, -(-num_samples // num_codes), seed
            )
        return report, images, lambda title: mnist_evaluation.mnist_report_image(images, report, title=title)

    def plot_title(self, report):
        """The title of `evaluate`'s picture of a report."""
        return f"{report['num_samples']} digits, {report['classes_covered']}/10 classes covered"

    def summary_row(self, report):
        """The table's numbers of an MNIST report, flat (`eval_metrics`)."""
        parzen = report.get("parzen")
        return {
            "classes_covered": report["classes_covered"],
            "kl_uniform": report["kl_uniform"],
            "classifier_score": report["classifier_score"],
            "frechet_distance": report["frechet_distance"],
            "parzen_ll": None if parzen is None else parzen["mean"],
        }

    def headline(self, report):
        """Classes covered, classifier score and Frechet distance, in a few words."""
        text = f"{report['classes_covered']}/10 classes, classifier score {report['classifier_score']:.2f}"
        if report["frechet_distance"] is not None:
            text += f", Frechet {report['frechet_distance']:.1f}"
        if "code_discovery" in report:
            text += f", codes -> digits {report['code_discovery']['accuracy']:.1%}"
        return text

    def report_text(self, report):
        """A text histogram of the classes, then one line per figure with what real digits score."""
        counts, shares = report["class_histogram"], report["class_shares"]
        classifier = report.get("classifier", {})
        accuracy = f" (test accuracy {classifier['test_accuracy']:.2%})" if "test_accuracy" in classifier else ""
        lines = [
            f"target mnist, {report['num_samples']} digits, classified by the cached CNN{accuracy}",
            "  class histogram (argmax of the classifier; 10.0 % each when balanced)",
        ]
        longest = max(shares)
        for digit, (count, share) in enumerate(zip(counts, shares)):
            bar = "#" * round(BAR_WIDTH * share / longest)
            lines.append(f"    {digit}  {bar:<{BAR_WIDTH}}  {share:6.1%}  {count}")
        real = report["reference"]
        lines += [
            f"  classes covered     {report['classes_covered']}/10 above 1 %, {report['classes_with_any']}/10 with any digit",
            f"  KL(hist || uniform) {report['kl_uniform']:.4f}   (0: balanced; log 10 = 2.3026: one class)",
            f"  classifier score    {report['classifier_score']:.3f} of 10   (real test digits: {real['classifier_score']:.3f})",
            f"  mean confidence     {report['mean_confidence']:.3f}   (real test digits: {real['mean_confidence']:.3f})",
            f"  Frechet distance    {report['frechet_distance']:.3f}   (classifier features vs the {real['num_samples']} "
            f"real test digits; {real['num_samples']} real training digits: {real['frechet_distance_train_vs_test']:.3f})",
        ]
        if "parzen" in report:
            p = report["parzen"]
            edge = "; at the edge of the grid" if p["sigma_at_grid_edge"] else ""
            lines.append(f"  Parzen log-lik.     {p['mean']:.1f} +- {p['standard_error']:.2g} nats   (sigma {p['sigma']:.3f} "
                         f"chosen on {p['num_valid']} training digits{edge}; GAN paper: 225 +- 2)")
            lines.append(textwrap.fill(p["caveat"], width=100, initial_indent="    caveat: ", subsequent_indent="    "))
        if "code_discovery" in report:
            lines += code_discovery_lines(report["code_discovery"])
        return "\n".join(lines)



class MnistSweep(SweepPresenter):
    """A DCGAN sweep: each cell's report picture and final grid; the montage of every cell.

    Args:
        scorer: The `MnistScorer` that scores a cell.
    """

    title = "Latent-dimension sweep: DCGAN on MNIST"
    curve_tags = tuple(f"{views.MODE_PREFIX}{key}" for key in mnist_evaluation.MODE_SCALARS)
    curve_metric = f"{views.MODE_PREFIX}frechet_distance"
    curve_label = "Frechet distance of the fixed latents' digits"
    noise_criteria = (("classes_covered", "higher"), ("frechet_distance", "lower"))

    def __init__(self, scorer):
        super().__init__()
        self.scorer = scorer

    def describe(self, settings):
        """What the sweep trains, for its first log line."""
        return f"{settings.arch} DCGAN on {MNIST_TARGET}"

    def evaluate_cell(self, config, settings, result_dir):
        """Scores `settings.num_samples` digits of a trained cell's export and pictures the report.

        Writes `mnist_report.png` and a copy of the run's final fixed-noise
        grid (for the montage) into `result_dir`.

        Returns:
            The report of `score`, Parzen estimate included.
        """
        report, _, draw = self.scorer.score(config.export_dir, settings.num_samples, config.seed, settings.data)
        plotting.save_png(draw(f"z_dim {config.latent_dim}, seed {config.seed}"), os.path.join(result_dir, MNIST_REPORT_FILE))
        with open(os.path.join(config.run_dir, FINAL_FRAME_FILE), "rb") as f:
            atomic_write_bytes(os.path.join(result_dir, FINAL_FRAME_FILE), f.read())
        return report

    def data_intrinsic_dimension(self, name, settings):
        """The TwoNN intrinsic dimension of `INTRINSIC_DIMENSION_SAMPLES` training digits in [0, 1]^784."""
        x_train = mnist.load_mnist(settings.data)[0]
        points = x_train[:INTRINSIC_DIMENSION_SAMPLES].reshape(-1, 28 * 28).astype(np.float64) / 255.0
        return intrinsic_dimension(points, method="two_nn")["estimate"]

    def notes(self, settings):
        """What the table's entries mean, after the shared first sentences."""
        return f"DCGAN `{settings.arch}`. {MNIST_COLUMN_NOTES}"

    def section_title(self, name, settings):
        """The Markdown heading of the table."""
        return f"{name} (latent prior: normal, arch {settings.arch})"

    def figure_files(self):
        """The figures `write_figures` may write into a sweep's out folder."""
        return (MONTAGE_FIGURE,)

    def write_figures(self, settings, reports):
        """Rewrites `montage.png`."""
        plotting.save_png(montage_image(settings, reports), os.path.join(settings.out, MONTAGE_FIGURE))


class MnistPictures(Pictures):
    """A grid of digits; `interpolate.py`'s walk between two inverted test digits."""

    def sample_image(self, samples, config):
        """The first `SAMPLE_GRID_COLUMNS**2` digits as a grid, row by row (fewer rows if fewer digits)."""
        cols = min(SAMPLE_GRID_COLUMNS, len(samples))
        rows = min(SAMPLE_GRID_COLUMNS, -(-len(samples) // cols))
        return digits.image_grid(samples, rows, cols)

    def digit_walk(self, digits, export_dir, config):
        """The GAN paper's figure: real digit A, the frames between the inverted latents of A and B, real digit B.

        Row 1 walks the linear path, row 2 the spherical one; the file is `path_A_to_B.png`.
        """
        digit_a, digit_b = digits or DEFAULT_WALK_DIGITS

        def walk(generate, inversion, real, frames, prior):
            rows = []
            for method in interpolation.PATH_METHODS:
                path = interpolation.latent_path(inversion.z[digit_a], inversion.z[digit_b], frames, prior, method)
                images = interpolation.generate_images(generate, path).reshape(-1, 28, 28)
                rows.append(np.concatenate([real[digit_a:digit_a + 1], images, real[digit_b:digit_b + 1]]))
            name = f"path_{digit_a}_to_{digit_b}.png"
            image = digits_grid(np.concatenate(rows), len(rows), frames + 2)
            return name, image, {"from": digit_a, "to": digit_b, "frames": frames, "file": name}

        return walk


def export_num_codes(sampler):
    """K of the discrete latent part an export's config records (`experiments.num_codes_of`); 0 for None (a `.npy`) or an export without `sample_code`."""
    if sampler is None or not hasattr(sampler, "sample_code"):
        return 0
    return num_codes_of(json.loads(sampler.config().numpy().decode()))


def code_discovery_lines(found):
    """The text report's lines on a coded export's class discovery (`evaluation.mnist.code_discovery_report`)."""
    unassigned = ""
    if found["unassigned_codes"]:
        unassigned = f"; codes {', '.join(map(str, found['unassigned_codes']))} left without a digit count as errors"
    lines = [
        f"  class discovery     {found['accuracy']:.2%} of {found['num_samples']} digits ({found['samples_per_code_drawn']} per "
        "code) show the digit assigned to their code",
        f"                      (one-to-one, Hungarian on the counts{unassigned}; InfoGAN: about 95 %)",
        f"                      {found['majority_accuracy']:.2%} in their code's majority digit (many-to-one)",
        "    code  assigned  majority  purity   digit counts 0..9",
    ]
    for code, counts in enumerate(found["confusion"]):
        assigned, majority, purity = found["assignment"][code], found["majority"][code], found["purity"][code]
        lines.append(
            f"    {code:4d}  {'-' if assigned is None else assigned:>8}  {'-' if majority is None else majority:>8}  "
            f"{'n/a' if purity is None else format(purity, '.1%'):>6}   {' '.join(f'{c:4d}' for c in counts)}"
        )
    return lines


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
                ax.imshow(plotting.read_png(path), interpolation="nearest")
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
