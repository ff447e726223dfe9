"""`Experiment`: the interface every kind of run implements.

The training loop, the sweep and the command-line tools are written against
this class only. A subclass declares its settings' defaults and metric names
as class attributes and implements how its runs are built, scored and
pictured; `experiments.get_experiment(config.model)` finds it.
"""

from typing import NamedTuple, Optional

import keras

from keras_gan_latent.experiments.spec import ExperimentSpec

INTRINSIC_DIMENSION_SAMPLES = 10_000  # data points the "how much noise" table's estimate uses


class EvaluateOptions(NamedTuple):
    """How `Experiment.evaluate` scores, beyond source, data, sample count and seed.

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


class Experiment(ExperimentSpec):
    """One kind of experiment: data, networks, defaults, summaries, evaluation, metric names.

    Its settings side (`name`, `label`, `forced`, the variants' defaults,
    `sweep_defaults`, `defaults`, `check`, `data_names`, `run_name`) is
    declared without TensorFlow in its `spec.ExperimentSpec`, which a subclass
    inherits first: `class ToyExperiment(ToySpec, Experiment)`.

    Declarations (class attributes):
        title: The heading of its sweep's `results.md`.
        training_metrics: Scalar tags of a run the HParams tab compares.
        eval_metrics: Keys of `summary_row`, the columns of the sweep's tables.
        curve_tags: Scalar tags a sweep keeps per cell in `curve.json`.
        curve_metric: The one of `curve_tags` the convergence figure draws
            (and the tables average over the last 30 % of training).
        curve_label, curve_limits: The convergence figure's y label and range (None: automatic).
        noise_criteria: `((key, "lower" | "higher"), ...)`: the "how much
            noise" table's smallest latent dim as good as the best, by each
            of these keys under the declared rule (`sweep.decision`); each
            key needs an equivalence margin in `sweep.margins`.

    Methods a subclass implements (beyond its spec's): `build`, `evaluate`,
    `summary_row`, `headline`, `report_text`, and the sweep's `check_sweep`,
    `describe`, `evaluate_cell`, `write_figures`, `notes`, `section_title`
    and `_intrinsic_dimension`.
    """

    title = None
    training_metrics = ()
    eval_metrics = ()
    curve_tags = ()
    curve_metric = None
    curve_label = None
    curve_limits = None
    noise_criteria = ()

    def __init__(self):
        self._dimensions = {}

    # ---------------------------------------------------------------- training

    def build(self, config, model_scope):
        """The pieces of one run.

        Args:
            config: A resolved `TrainConfig` of this experiment.
            model_scope: Context the networks and the model are built in
                (the distribution strategy's scope and the precision policy).

        Returns:
            A `training.loop.Setup`.
        """
        raise NotImplementedError

    def make_optimizers(self, config):
        """The keyword arguments of the model's `compile` with its optimizers (a GAN: Adam for D and G).

        Called inside the strategy's scope. Under mixed precision each is
        wrapped in a dynamic loss scale.
        """
        return {
            "d_optimizer": adam(config.lr_d, config.beta1_d, config.mixed_precision),
            "g_optimizer": adam(config.lr_g, config.beta1_g, config.mixed_precision),
        }

    # -------------------------------------------------------------- evaluation

    def evaluate(self, source, data_name, num_samples=None, seed=0, options=None):
        """Scores an export (or a `.npy` of samples) against `data_name`.

        Args:
            source: An export folder or a `.npy` path.
            data_name: One of `data_names()`.
            num_samples: Samples drawn from an export (None: the experiment's protocol).
            seed: Seed of the samples and of the evaluation's own randomness.
            options: An `EvaluateOptions` (None: the defaults).

        Returns:
            `(report, samples)`: the JSON-ready report and the samples scored.
        """
        raise NotImplementedError

    def summary_row(self, report):
        """The report's headline numbers, flat: `{key: value}` for each of `eval_metrics`."""
        raise NotImplementedError

    def headline(self, report):
        """A few words on a report, for a sweep's log line."""
        raise NotImplementedError

    def report_text(self, report):
        """The report in words, as `evaluate.py` prints it."""
        raise NotImplementedError

    # ------------------------------------------------------------------- sweep

    def intrinsic_dimension(self, name, settings):
        """The data's intrinsic dimension for the "how much noise" table (computed once per process)."""
        key = (name, getattr(settings, "data", None))
        if key not in self._dimensions:
            self._dimensions[key] = self._intrinsic_dimension(name, settings)
        return self._dimensions[key]


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


def adam(learning_rate, beta_1, mixed_precision):
    """Adam, wrapped in a dynamic loss scale under mixed precision."""
    optimizer = keras.optimizers.Adam(learning_rate, beta_1=beta_1)
    if mixed_precision:
        optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
    return optimizer

