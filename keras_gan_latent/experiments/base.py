"""The contract of an experiment: four narrow parts and its settings.

An experiment (`Experiment`) is its settings side (`spec.ExperimentSpec`,
no TensorFlow) plus four parts, each a small protocol declared here with
every member it has:

    Recipe:         `build` a run (one abstract method; `training_metrics`).
    Scorer:         `evaluate` an export, its row of `eval_metrics`, a headline, the text.
    SweepPresenter: what a latent-dimension sweep writes of it: headings,
                    notes, curves, the cell's files and figures.
    Pictures:       what the command-line tools draw of an export, and
                    whether its generator takes a class (`sample.py --label`,
                    `interpolate.py`).

The training loop asks for the recipe, `evaluate.py` for the scorer, the
sweep for the scorer and the presenter, `sample.py` and `interpolate.py`
for the pictures, each of `experiments.get_experiment(config.model)`, and
never which experiment it is. Parts are shared by composition: the VAE and
the CycleGAN score with the toy scorer (`toy.ToyScorer`), the cGAN draws its
sweep's montage with the DCGAN's presenter.
"""

import abc
from typing import NamedTuple, Optional

import keras

from keras_gan_latent.errors import UserError
from keras_gan_latent.experiments import model_of
from keras_gan_latent.experiments.spec import ExperimentSpec

INTRINSIC_DIMENSION_SAMPLES = 10_000  # data points the "how much noise" table's estimate uses


class EvaluateOptions(NamedTuple):
    """How `Scorer.evaluate` scores, beyond source, data, sample count and seed.

    Attributes:
        resamples: Bootstrap resamples of the toy report's intervals.
        parzen: The MNIST report's Parzen-window log-likelihood (the slow part).
        data: An MNIST `.npz` instead of the built-in loader.
        plot: A PNG path for the experiment's picture of the report, or None.
        verbose: 2: say so when a first use trains the MNIST classifier (minutes); 0: silent.
    """

    resamples: int = 200
    parzen: bool = True
    data: Optional[str] = None
    plot: Optional[str] = None
    verbose: int = 2


class Recipe(abc.ABC):
    """How a run of the experiment is built: networks, model, data stream, training view, optimizers.

    Declarations:
        training_metrics: Scalar tags a run writes that the HParams tab compares.
    """

    training_metrics = ()

    @abc.abstractmethod
    def build(self, config, model_scope):
        """The pieces of one run.

        Args:
            config: A resolved `TrainConfig` of this experiment.
            model_scope: Context the networks and the model are built in
                (the distribution strategy's scope and the precision policy).

        Returns:
            A `training.loop.Setup` (its `make_optimizers` gives `compile`'s
            optimizers, called inside the strategy's scope).
        """


class Scorer(abc.ABC):
    """How an export (or a `.npy` of samples) is scored, and the numbers a table keeps of it.

    Declarations:
        eval_metrics: Keys of `summary_row`, the columns of the sweep's tables.
    """

    eval_metrics = ()

    @abc.abstractmethod
    def evaluate(self, source, data_name, num_samples=None, seed=0, options=None):
        """Scores an export (or a `.npy` of samples) against `data_name`.

        Args:
            source: An export folder or a `.npy` path.
            data_name: One of the experiment's `data_names()`.
            num_samples: Samples drawn from an export (None: the experiment's protocol).
            seed: Seed of the samples and of the evaluation's own randomness.
            options: An `EvaluateOptions` (None: the defaults).

        Returns:
            `(report, samples)`: the JSON-ready report and the samples scored.
        """

    @abc.abstractmethod
    def summary_row(self, report):
        """The report's headline numbers, flat: `{key: value}` for each of `eval_metrics`."""

    @abc.abstractmethod
    def headline(self, report):
        """A few words on a report, for a sweep's log line."""

    @abc.abstractmethod
    def report_text(self, report):
        """The report in words, as `evaluate.py` prints it."""


class SweepPresenter(abc.ABC):
    """What a latent-dimension sweep of the experiment keeps and writes (`sweep`).

    Declarations:
        title: The heading of its sweep's `results.md`.
        curve_tags: Scalar tags a sweep keeps per cell in `curve.json`.
        curve_metric: The one of `curve_tags` the convergence figure draws
            (and the tables average over the last 30 % of training).
        curve_label, curve_limits: The convergence figure's y label and range (None: automatic).
        noise_criteria: `((key, "lower" | "higher"), ...)`: the "how much
            noise" table's smallest latent dim as good as the best, by each
            of these keys under the declared rule (`sweep.decision`); each
            key needs an equivalence margin in `sweep.margins`.

    Which sweeps it accepts is the spec's `check_sweep` (no TensorFlow).
    """

    title = None
    curve_tags = ()
    curve_metric = None
    curve_label = None
    curve_limits = None
    noise_criteria = ()

    def __init__(self):
        self._dimensions = {}

    @abc.abstractmethod
    def describe(self, settings):
        """What the sweep trains, for its first log line (e.g. "targets spiral,grid25")."""

    @abc.abstractmethod
    def evaluate_cell(self, config, settings, result_dir):
        """Scores a trained cell's export and keeps the files its figures need in `result_dir`.

        Args:
            config: The cell's resolved `TrainConfig` (its run is trained and exported).
            settings: The resolved `SweepSettings`.
            result_dir: The cell's folder of kept results.

        Returns:
            The cell's report (the scorer's `summary_row` reads it).
        """

    @abc.abstractmethod
    def notes(self, settings):
        """What the tables' entries mean, after the shared first sentences of `results.md`."""

    @abc.abstractmethod
    def section_title(self, name, settings):
        """The Markdown heading of the table of data `name`."""

    @abc.abstractmethod
    def data_intrinsic_dimension(self, name, settings):
        """The intrinsic dimension of data `name` (the "how much noise" table; `intrinsic_dimension` caches it)."""

    def figure_files(self):
        """The figures `write_figures` may write into a sweep's out folder (default: none)."""
        return ()

    def write_figures(self, settings, reports):
        """Rewrites the experiment's own figures of the sweep from `{(target, latent_dim, seed): report}` (default: none)."""
        del settings, reports

    def intrinsic_dimension(self, name, settings):
        """`data_intrinsic_dimension`, computed once per process per data name and `--data`."""
        key = (name, getattr(settings, "data", None))
        if key not in self._dimensions:
            self._dimensions[key] = self.data_intrinsic_dimension(name, settings)
        return self._dimensions[key]


class Pictures(abc.ABC):
    """What the command-line tools draw of an export, and the class input of its generator.

    The defaults are an unconditional generator's: `sample.py --label` and
    class rows are refused or absent, and there is no digit walk.
    """

    @abc.abstractmethod
    def sample_image(self, samples, config):
        """`sample.py --plot`'s picture of exported samples (an (H, W, 3) uint8 array).

        Args:
            samples: The drawn samples (`sample.py --out`'s array).
            config: The export's run config (a dict).
        """

    def label_sampler(self, sampler, label, export_dir, config):
        """`sample.py --label`: `draw(count, seed)` of samples of class `label`; refused without a class input.

        Args:
            sampler: The loaded export.
            label: The requested class (an int).
            export_dir: The export's folder (for the message).
            config: The export's run config (for the message).

        Returns:
            A function of int32 `count` and int64 `seed` tensors giving the export's output dict.

        Raises:
            UserError: the generator takes no class, or `label` is not one of its classes.
        """
        del sampler, label
        raise UserError(
            f"--label needs a class-conditional export (--model cgan); {export_dir!r} was trained "
            f"with --model {model_of(config)} and has no sample_label"
        )

    def image_labels(self, shape):
        """The class of each generated image of an array of `shape` (row i: class i mod the classes), or None without a class input."""
        del shape
        return None

    def digit_walk(self, digits, export_dir, config):
        """`interpolate.py`'s figure from the inverted test digits: `walk(generate, inversion, real, frames, prior)`.

        Args:
            digits: `--digits` as `(a, b)`, or None when not given.
            export_dir: The export's folder (for messages).
            config: The export's run config (for messages).

        Returns:
            A function giving `(file name, image, report entry)` of the figure.

        Raises:
            UserError: the experiment draws no digits, or `digits` do not apply to it.
        """
        del digits
        raise UserError(f"{export_dir!r} (--model {model_of(config)}) draws no digits; "
                        "pass an export of train.py --model dcgan or cgan")


class Experiment(ExperimentSpec):
    """One kind of run: its settings (the spec it inherits) and its four parts.

    A subclass inherits its spec first (`class ToyExperiment(ToySpec,
    Experiment)`) and hands its parts to `__init__`; `get_experiment` makes
    one instance per process.

    Attributes:
        recipe: Its `Recipe`.
        scorer: Its `Scorer`.
        sweep: Its `SweepPresenter`, or None for an experiment without a
            latent-dimension sweep (its spec's `check_sweep` says what to run instead).
        pictures: Its `Pictures`.
    """

    def __init__(self, recipe: Recipe, scorer: Scorer, sweep: Optional[SweepPresenter], pictures: Pictures):
        self.recipe, self.scorer, self.sweep, self.pictures = recipe, scorer, sweep, pictures


def gan_settings(config):
    """The `GAN` arguments every adversarial experiment takes from its config as they are.

    Batch size, D steps, loss, seed, the R1 penalty, the generator's
    weight average (`ema`), D's label smoothing, packing (`pack`) and the
    latent code with its info weight (`latent_code`, `info_weight`); the networks, prior, real-sample source and
    fixed latents are each experiment's own.
    """
    return dict(
        batch_size=config.batch_size,
        d_steps=config.d_steps,
        loss=config.loss,
        seed=config.seed,
        r1=config.r1,
        ema=config.ema,
        label_smoothing=config.label_smoothing,
        pack=config.pack,
        num_codes=config.latent_code,
        info_weight=config.info_weight or 0.0,
    )


def adam_pair(config):
    """`compile`'s optimizers of a model with two players (a GAN's D and G): Adam each, from the config."""
    return {
        "d_optimizer": adam(config.lr_d, config.beta1_d, config.mixed_precision),
        "g_optimizer": adam(config.lr_g, config.beta1_g, config.mixed_precision),
    }


def adam(learning_rate, beta_1, mixed_precision):
    """Adam, wrapped in a dynamic loss scale under mixed precision."""
    optimizer = keras.optimizers.Adam(learning_rate, beta_1=beta_1)
    if mixed_precision:
        optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
    return optimizer

