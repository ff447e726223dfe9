"""What a sweep is: its settings (`SweepSettings`, whose defaults are its
experiment's), the files every sweep writes and how often a cell's run writes
summaries (`summary_intervals`, declared with the settings every run has in
`training.config`)."""

import dataclasses
import os
from typing import Optional

from keras_gan_latent.errors import UserError
from keras_gan_latent.experiments import DEFAULT_MODEL, get_spec
from keras_gan_latent.experiments.config import SETTINGS_BY_NAME, TrainConfig
from keras_gan_latent.training.config import (  # summary_intervals, CONVERGENCE_POINTS: re-exported
    CONVERGENCE_POINTS,
    check_int,
    check_setting,
    not_applicable,
    summary_intervals,
)


# The settings a sweep passes on to each run's `TrainConfig` besides the grid,
# given only for the experiments their declaration names (e.g. the DCGAN's arch);
# left as None, a run takes the declared default.
RUN_SETTINGS = ("arch", "data", "pack", "latent_code", "info_weight")

CONFIG_FILE = "sweep_config.json"
RUNS_DIR = "runs"  # training runs: events, checkpoints, exports (not committed)
RESULTS_DIR = "results"  # what is kept of each run (committed)
RESULTS_LOCK = "results.lock"  # held while tables, figures and the HParams experiment are rewritten
GITIGNORE = "runs/\n*.lock\n"  # <out>/.gitignore: everything but the runs and locks is committable
DIVERGED_FILE = "diverged.json"  # instead of evaluation.json: the run diverged (the cell is done)
EVALUATION_FILE = "evaluation.json"  # written last: the cell is done
RUN_RECORD_FILE = "run.json"
CURVE_FILE = "curve.json"
# The tables and figure every sweep writes into <out>; its experiment adds its own (`figure_files`).
RESULT_FILES = ("results.md", "results.csv", "convergence.png")


@dataclasses.dataclass(frozen=True)
class SweepSettings:
    """What a sweep trains and where it writes.

    Settings left as None take the experiment's (`Experiment.sweep_defaults`)
    in `resolved`.

    Attributes:
        latent_dims: Latent dimensions k, one column of the grid each.
        targets: Target names, one row of the grid each (the DCGAN: mnist only).
        seeds: The seeds each cell runs with, e.g. (0, 1, 2).
        steps: Generator steps per run.
        num_samples: Generated samples per evaluation.
        out: Output folder.
        model: "mlp" (toy targets) or "dcgan" (real MNIST).
        arch: DCGAN size, one of `models.ARCH_NAMES` (DCGAN only).
        data: An MNIST `.npz` instead of the built-in loader (DCGAN only).
        pack: PacGAN packing m of every run (the GANs only; None: 1, off).
        latent_code: K of every run's latent code (InfoGAN; None: 0, off).
        info_weight: InfoGAN's lambda with `latent_code` (None: the run's default).
        shard: `(i, n)`: train only the i-th of n disjoint parts of the
            cells (1 <= i <= n); None trains every cell.
        animate: Write each run's 600-frame GIF (slower: see the docs' Benchmarks page).
    """

    latent_dims: Optional[tuple] = None
    targets: Optional[tuple] = None
    seeds: Optional[tuple] = None
    steps: Optional[int] = None
    num_samples: Optional[int] = None
    out: Optional[str] = None
    model: str = DEFAULT_MODEL
    arch: Optional[str] = None
    data: Optional[str] = None
    pack: Optional[int] = None
    latent_code: Optional[int] = None
    info_weight: Optional[float] = None
    shard: Optional[tuple] = None
    animate: bool = False

    def resolved(self):
        """These settings complete and checked: the ones a sweep uses.

        Fills in the experiment's defaults (`sweep_defaults`) and checks every
        setting, each run's config included, without TensorFlow (the
        experiment's spec); the targets' dimensions are checked later
        (`check_sweep`).

        Returns:
            New frozen `SweepSettings` (these if they are resolved already).

        Raises:
            UserError: naming the first invalid setting.
        """
        if self.__dict__.get("_resolved", False):
            return self
        check_setting(SETTINGS_BY_NAME["model"], self.model)
        given = [s for s in run_settings(self.model, applicable=False) if getattr(self, s.name) is not None]
        if given:
            raise not_applicable([s.flag for s in given], given[0].models, self.model)
        self._check_values()  # the given values, before TensorFlow is imported
        experiment = get_spec(self.model)
        if not experiment.sweep_defaults:
            experiment.check_sweep(self)  # an experiment without a latent-dimension sweep says what to run instead
        settings = dataclasses.replace(
            self, **{name: value for name, value in experiment.sweep_defaults.items() if getattr(self, name) is None}
        )
        settings._check_values()
        data_names = experiment.data_names()
        unknown = [t for t in settings.targets if t not in data_names]
        if unknown:
            raise UserError(f"unknown target {unknown[0]!r} for --model {self.model}; valid targets: {', '.join(data_names)}")
        for latent_dim in settings.latent_dims:
            settings.train_config(settings.targets[0], latent_dim, settings.seeds[0]).resolved()
        object.__setattr__(settings, "_resolved", True)  # frozen: set once, here
        return settings

    def _check_values(self):
        """The checks of `resolved` that need no experiment, on the values given (None: not yet)."""
        for what, values in (("latent dims", self.latent_dims), ("targets", self.targets), ("seeds", self.seeds)):
            if values is None:
                continue
            if not values:
                raise UserError(f"{what}: give at least one")
            repeated = sorted({str(v) for v in values if list(values).count(v) > 1})
            if repeated:
                raise UserError(f"{what} repeat {', '.join(repeated)}")
        for seed in self.seeds or ():
            check_setting(SETTINGS_BY_NAME["seed"], seed)
        for latent_dim in self.latent_dims or ():
            check_setting(SETTINGS_BY_NAME["latent_dim"], latent_dim)
        check_setting(SETTINGS_BY_NAME["steps"], self.steps)
        if self.num_samples is not None:
            check_int(self.num_samples, "num-samples", 1)
        if self.shard is not None:
            index, count = self.shard
            if not 1 <= count or not 1 <= index <= count:
                raise UserError(f"--shard I/N needs 1 <= I <= N, got {index}/{count}")

    def cells(self):
        """Every `(target, latent_dim, seed)` of the grid, one target (all its seeds) after another.

        Returns:
            A list of tuples in training order: a sweep cut short has whole
            targets, with their intervals over seeds, as early as possible.
        """
        return [(t, k, s) for t in self.targets for s in self.seeds for k in self.latent_dims]

    def shard_cells(self):
        """The cells this process trains: every n-th of `cells()` from the i-th on (all without a shard).

        The parts of `shard=(1, n)` .. `(n, n)` are disjoint and together are
        the whole grid, whatever is already done.
        """
        cells = self.cells()
        if self.shard is None:
            return cells
        index, count = self.shard
        return cells[index - 1 :: count]

    def given_run_settings(self):
        """The passed-on run settings given (not None), as flags: e.g. "--pack 4 --latent-code 25" ("" if none)."""
        return " ".join(f"{s.flag} {getattr(self, s.name)}" for s in run_settings(self.model) if getattr(self, s.name) is not None)

    def runs_dir(self):
        """The TensorBoard logdir holding every run of the sweep."""
        return os.path.join(self.out, RUNS_DIR)

    def cell_name(self, target, latent_dim, seed):
        """A cell's folder name, e.g. `spiral_z2_s0`."""
        return f"{target}_z{latent_dim}_s{seed}"

    def run_dir(self, target, latent_dim, seed):
        """The folder of one cell's training run, e.g. `<out>/runs/spiral_z2_s0`."""
        return os.path.join(self.runs_dir(), self.cell_name(target, latent_dim, seed))

    def result_dir(self, target, latent_dim, seed):
        """The folder of one cell's kept results, e.g. `<out>/results/spiral_z2_s0`."""
        return os.path.join(self.out, RESULTS_DIR, self.cell_name(target, latent_dim, seed))

    def train_config(self, target, latent_dim, seed):
        """The `TrainConfig` of one cell: the model's defaults, a GIF only with `animate`.

        Returns:
            A `TrainConfig` (not yet resolved) with `run_dir` and `export_dir` set.
        """
        run_dir = self.run_dir(target, latent_dim, seed)
        passed_on = {s.name: getattr(self, s.name) for s in run_settings(self.model) if getattr(self, s.name) is not None}
        return TrainConfig(
            model=self.model,
            target=target,
            latent_dim=latent_dim,
            seed=seed,
            steps=self.steps,
            run_dir=run_dir,
            export_dir=os.path.join(run_dir, "generator"),
            animate=self.animate,
            **passed_on,
            **summary_intervals(self.steps, self.animate),
        )

    def resume_keys(self):
        """The settings a resumed sweep in the same `out` must share (finished cells depend on them)."""
        return ("model", "steps", "num_samples") + tuple(s.name for s in run_settings(self.model))

    def to_dict(self):
        """The settings a sweep folder records, as a JSON-ready dict (not the shard: any process may write it)."""
        values = dataclasses.asdict(self)
        del values["shard"]
        for name in ("latent_dims", "targets", "seeds"):
            values[name] = list(values[name])
        return values


def run_settings(model, applicable=True):
    """The declarations (`training.config.Setting`) of `RUN_SETTINGS` that apply to `model` (or, with `applicable=False`, do not)."""
    return [SETTINGS_BY_NAME[name] for name in RUN_SETTINGS if (model in SETTINGS_BY_NAME[name].models) == applicable]
