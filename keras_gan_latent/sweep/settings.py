"""What a sweep is: its settings (`SweepSettings`), each model's defaults, the
files a sweep writes and how often a cell's run writes summaries
(`summary_intervals`)."""

import dataclasses
import os
from typing import Optional

from keras_gan_latent.errors import UserError
from keras_gan_latent.training.config import ANIMATION_FRAMES, MODEL_NAMES, TrainConfig, not_applicable


DEFAULT_LATENT_DIMS = (1, 2, 3, 10, 100)
# The article's three targets and the standard 25-mode benchmark.
DEFAULT_TARGETS = ("gaussian", "eight_gaussians", "spiral", "grid25")
DEFAULT_SEEDS = (0, 1, 2)
MNIST_TARGET = "mnist"  # evaluation.MNIST_TARGET, which imports TensorFlow
# The seed study's z_dim sweep.
DCGAN_LATENT_DIMS = (100, 50, 10, 2, 1)
# The DCGAN budget: 5,000 steps of batch 64 (32 real digits a step, about 2.7
# epochs of MNIST). Measured on the shared 2-core CPU (load about 5): 1,000
# light steps took 162 s and already drew all ten classes (classifier score
# 4.9, Frechet 90); scoring 10,000 digits, Parzen included, about 2 minutes.
# At about 76 ms a step idle, a cell is 6-7 minutes of training, the default
# five latent dims under an hour. The seed study trained far longer (--steps).
DCGAN_STEPS = 5000

# Each model's defaults for the settings left as None; `SweepSettings.validate`
# fills them in. 10,000 digits: evaluation.MNIST_SAMPLES, the GAN paper's
# Parzen protocol and the seed study's histogram.
MODEL_DEFAULTS = {
    "mlp": dict(
        latent_dims=DEFAULT_LATENT_DIMS, targets=DEFAULT_TARGETS, seeds=DEFAULT_SEEDS, steps=30000,
        num_samples=2500, out=os.path.join("logs", "sweep"),
    ),
    "dcgan": dict(
        latent_dims=DCGAN_LATENT_DIMS, targets=(MNIST_TARGET,), seeds=DEFAULT_SEEDS, steps=DCGAN_STEPS,
        num_samples=10_000, out=os.path.join("logs", "sweep_mnist"), arch="light",
    ),
}
# Settings that only the DCGAN has, and must be left unset for the MLP.
DCGAN_ONLY = ("arch", "data")

CONFIG_FILE = "sweep_config.json"
RUNS_DIR = "runs"  # training runs: events, checkpoints, exports (not committed)
RESULTS_DIR = "results"  # what is kept of each run (committed)
RESULTS_LOCK = "results.lock"  # held while tables, figures and the HParams experiment are rewritten
GITIGNORE = "runs/\n*.lock\n"  # <out>/.gitignore: everything but the runs and locks is committable
DIVERGED_FILE = "diverged.json"  # instead of evaluation.json: the run diverged (the cell is done)
EVALUATION_FILE = "evaluation.json"  # written last: the cell is done
RUN_RECORD_FILE = "run.json"
CURVE_FILE = "curve.json"
SAMPLES_FILE = "samples.npy"
LATENT_VIEW_FILE = "latent_view.png"
FINAL_FRAME_FILE = "final_frame.png"  # written by loop.train: the DCGAN's 5x5 fixed-noise grid
MNIST_REPORT_FILE = "mnist_report.png"
VIEW_LATENT_DIMS = (1, 2)  # the latent spaces flat enough to draw
# Every table and figure a sweep may write into <out>.
RESULT_FILES = ("results.md", "results.csv", "grid.png", "latent_views.png", "montage.png", "convergence.png")
INTRINSIC_DIMENSION_SAMPLES = 10_000  # data points the "how much noise" table's estimate uses

# The HParams tab's metrics: scalars the training run writes, and the final
# scores the sweep writes as `eval/<key of the model's summary row>`.
TRAINING_METRICS = ("fidelity/mean_log_prob", "train/d_loss", "train/g_loss", "train/d_accuracy")
EVAL_METRICS = (
    "js", "kl_g_data", "kl_data_g", "wasserstein1", "mmd", "outside_support",
    "modes_covered", "high_quality", "mode_kl",
)
# A DCGAN run has no exact density, so no fidelity scalar; its view writes the
# classifier's mode report of the fixed latents instead (views.MODE_SCALARS).
MNIST_TRAINING_METRICS = (
    "train/d_loss", "train/g_loss", "train/d_accuracy",
    "modes/classes_covered", "modes/classifier_score", "modes/frechet_distance",
)
MNIST_EVAL_METRICS = ("classes_covered", "kl_uniform", "classifier_score", "frechet_distance", "parzen_ll")


@dataclasses.dataclass(frozen=True)
class SweepSettings:
    """What a sweep trains and where it writes.

    Settings left as None take the model's default (`MODEL_DEFAULTS`) in
    `validate`.

    Attributes:
        latent_dims: Latent dimensions k, one column of the grid each.
        targets: Target names, one row of the grid each (the DCGAN: mnist only).
        seeds: The seeds each cell runs with, e.g. (0, 1, 2).
        steps: Generator steps per run.
        num_samples: Generated samples per evaluation.
        out: Output folder.
        model: "mlp" (toy targets) or "dcgan" (real MNIST).
        arch: DCGAN size, "light" or "seed" (DCGAN only).
        data: An MNIST `.npz` instead of the built-in loader (DCGAN only).
        shard: `(i, n)`: train only the i-th of n disjoint parts of the
            cells (1 <= i <= n); None trains every cell.
        animate: Write each run's 600-frame GIF (slower: see README).
    """

    latent_dims: Optional[tuple] = None
    targets: Optional[tuple] = None
    seeds: Optional[tuple] = None
    steps: Optional[int] = None
    num_samples: Optional[int] = None
    out: Optional[str] = None
    model: str = "mlp"
    arch: Optional[str] = None
    data: Optional[str] = None
    shard: Optional[tuple] = None
    animate: bool = False

    def resolved(self):
        """These settings complete and checked: the ones a sweep uses.

        Fills in the model's defaults (`MODEL_DEFAULTS`) and checks every
        setting, each run's config included (resolving a run's config imports
        TensorFlow but runs no op); the targets' dimensions are checked later
        (`check_sweep`).

        Returns:
            New frozen `SweepSettings` (these if they are resolved already).

        Raises:
            UserError: naming the first invalid setting.
        """
        if self.__dict__.get("_resolved", False):
            return self
        if self.model not in MODEL_DEFAULTS:
            raise UserError(f"unknown model {self.model!r}; valid models: {', '.join(MODEL_NAMES)}")
        if self.model != "dcgan":
            given = [f"--{name}" for name in DCGAN_ONLY if getattr(self, name) is not None]
            if given:
                raise not_applicable(given, ("dcgan",), self.model)
        settings = dataclasses.replace(
            self, **{name: value for name, value in MODEL_DEFAULTS[self.model].items() if getattr(self, name) is None}
        )
        settings._check()
        object.__setattr__(settings, "_resolved", True)  # frozen: set once, here
        return settings

    def _check(self):
        """The checks of `resolved` on settings whose defaults are filled in."""
        for what, values in (("latent dims", self.latent_dims), ("targets", self.targets), ("seeds", self.seeds)):
            if not values:
                raise UserError(f"{what}: give at least one")
            repeated = sorted({str(v) for v in values if list(values).count(v) > 1})
            if repeated:
                raise UserError(f"{what} repeat {', '.join(repeated)}")
        if self.model == "dcgan" and tuple(self.targets) != (MNIST_TARGET,):
            raise UserError(
                f"--model dcgan trains on MNIST only; give --targets {MNIST_TARGET} or leave it out, "
                f"got {','.join(self.targets)}"
            )
        for seed in self.seeds:
            if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed < 2**31:
                raise UserError(f"seeds must be integers in [0, 2**31), got {seed!r}")
        if isinstance(self.num_samples, bool) or not isinstance(self.num_samples, int) or self.num_samples < 1:
            raise UserError(f"num-samples must be a positive integer, got {self.num_samples!r}")
        if self.shard is not None:
            index, count = self.shard
            if not 1 <= count or not 1 <= index <= count:
                raise UserError(f"--shard I/N needs 1 <= I <= N, got {index}/{count}")
        for latent_dim in self.latent_dims:
            self.train_config(self.targets[0], latent_dim, self.seeds[0]).resolved()

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
        dcgan_settings = {name: getattr(self, name) for name in DCGAN_ONLY} if self.model == "dcgan" else {}
        return TrainConfig(
            model=self.model,
            target=target,
            latent_dim=latent_dim,
            seed=seed,
            steps=self.steps,
            run_dir=run_dir,
            export_dir=os.path.join(run_dir, "generator"),
            animate=self.animate,
            **dcgan_settings,
            **summary_intervals(self.steps, self.animate),
        )

    def resume_keys(self):
        """The settings a resumed sweep in the same `out` must share (finished cells depend on them)."""
        return ("model", "steps", "num_samples") + (DCGAN_ONLY if self.model == "dcgan" else ())

    def to_dict(self):
        """The settings a sweep folder records, as a JSON-ready dict (not the shard: any process may write it)."""
        values = dataclasses.asdict(self)
        del values["shard"]
        for name in ("latent_dims", "targets", "seeds"):
            values[name] = list(values[name])
        return values


CONVERGENCE_POINTS = 30  # image summaries (and convergence scalars) per run without a GIF


def summary_intervals(steps, animate=False):
    """How often a run of `steps` steps records frames, scalars and images.

    Without a GIF, scalars come every 100 steps (as `train.py`'s) and images,
    with the convergence scalars, about `CONVERGENCE_POINTS` times per run:
    every 1,000 steps of the article's 30,000, `train.py`'s default. With a
    GIF of up to `ANIMATION_FRAMES` frames, one every ceil(steps / 600)
    steps spans the whole run; `loop.train` runs executions of the gcd
    of the execution size and the summary intervals, and at most one frame
    interval while it animates, so every interval is then a multiple of the
    frame interval: scalars about every 100 steps, images 10 times per
    animation.

    Args:
        steps: Generator steps of the run.
        animate: Whether the run writes a GIF.

    Returns:
        A dict of `TrainConfig` fields: `animate_every`, `scalar_every`,
        `steps_per_execution` and `image_every`.
    """
    if not animate:
        scalar_every = max(1, min(100, steps // 10))
        image_every = scalar_every * max(1, round(steps / CONVERGENCE_POINTS / scalar_every))
        return {"animate_every": 1, "scalar_every": scalar_every, "steps_per_execution": scalar_every, "image_every": image_every}
    every = max(1, -(-steps // ANIMATION_FRAMES))
    scalar_every = every * max(1, round(100 / every))
    return {
        "animate_every": every,
        "scalar_every": scalar_every,
        "steps_per_execution": scalar_every,
        "image_every": every * ANIMATION_FRAMES // 10,
    }
