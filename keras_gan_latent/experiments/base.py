"""`Experiment`: the interface every kind of run implements.

The training loop, the sweep and the command-line tools are written against
this class only. A subclass declares its settings' defaults and metric names
as class attributes and implements how its runs are built, scored and
pictured; `experiments.get_experiment(config.model)` finds it.
"""

from typing import NamedTuple, Optional

import keras

from keras_gan_latent.errors import UserError
from keras_gan_latent.models import smoothing_loss_error

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


class Experiment:
    """One kind of experiment: data, networks, defaults, summaries, evaluation, metric names.

    Declarations (class attributes):
        name: The `--model` value.
        title: The heading of its sweep's `results.md`.
        forced: `{setting: value}` the experiment fixes whatever is given
            (a setting of another experiment it may silently ignore), e.g.
            the DCGAN's `target="mnist"`.
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
        variant_setting: The setting that selects a variant with its own
            defaults (the DCGAN's `arch`), or None.
        variant_defaults: `{variant: {setting: value}}`: the values of the
            settings a config leaves as None (one entry, key None, without
            a variant setting).
        label: How help text names it beside another experiment's default, e.g. "DCGAN".
        sweep_defaults: The `SweepSettings` values its sweeps take when none is given.

    Methods a subclass implements: `defaults`, `data_names`, `run_name`,
    `build`, `evaluate`, `summary_row`, `headline`, `report_text`, and the
    sweep's `check_sweep`, `describe`, `evaluate_cell`, `write_figures`,
    `notes`, `section_title` and `_intrinsic_dimension`.
    """

    name = None
    title = None
    forced = {}
    training_metrics = ()
    eval_metrics = ()
    curve_tags = ()
    curve_metric = None
    curve_label = None
    curve_limits = None
    noise_criteria = ()
    variant_setting = None
    variant_defaults = {None: {}}
    label = None
    sweep_defaults = {}

    def __init__(self):
        self._dimensions = {}

    # ---------------------------------------------------------------- settings

    def defaults(self, config):
        """The values of the settings `config` leaves as None (batch, Adam, XLA, prior).

        Args:
            config: An unresolved `TrainConfig` whose given values are checked.

        Returns:
            `{setting: value}`: `variant_defaults` of the config's variant;
            `TrainConfig.resolved` applies those still None.
        """
        variant = getattr(config, self.variant_setting) if self.variant_setting else None
        return dict(self.variant_defaults[variant])

    def default_values(self, setting):
        """`{variant: default}` of one setting (for help text); empty if the experiment has none."""
        return {v: values[setting] for v, values in self.variant_defaults.items() if setting in values}

    def check(self, config):
        """Refuses combinations of settings this experiment cannot run (one `UserError` line).

        The default is a GAN's: an even batch, half real and half generated for D,
        and label smoothing only with a cross-entropy loss.

        Args:
            config: A `TrainConfig` with every default filled in.
        """
        if config.batch_size % 2:
            raise UserError(f"batch size must be even (half real, half generated for D), got {config.batch_size}")
        error = smoothing_loss_error(config.label_smoothing, config.loss)
        if error:
            raise UserError(error)

    def data_names(self):
        """The names of the data its runs train on (the values `--target` may take)."""
        raise NotImplementedError

    def run_name(self, config):
        """A run folder's name that says what the run is, e.g. `eight_gaussians_z2_normal_s0`."""
        raise NotImplementedError

    def run_summary(self, config):
        """What train.py's first line says a run is, e.g. "target spiral, latent dim 2, prior normal"."""
        return f"target {config.target}, latent dim {config.latent_dim}, prior {config.prior}"

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
    weight average (`ema`) and D's label smoothing; the networks, prior, real-sample source and
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
    )


def adam(learning_rate, beta_1, mixed_precision):
    """Adam, wrapped in a dynamic loss scale under mixed precision."""
    optimizer = keras.optimizers.Adam(learning_rate, beta_1=beta_1)
    if mixed_precision:
        optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
    return optimizer

