"""The latent-dimension sweep: the article's grid of runs, trained, measured and tabled.

Two models share one sweep: the toy MLP GAN (`model="mlp"`: targets x latent
dims x seeds, scored by `evaluation.evaluate_samples`) and the DCGAN on real
MNIST (`model="dcgan"`: latent dims x seeds, the seed study's z_dim sweep,
scored by `evaluation.mnist_report`). What differs between them (defaults,
checks, how a cell is scored and pictured) lives in a `ToySweep` or
`MnistSweep`; the loop, resuming, sharding, HParams and the tables are shared.

An output folder `<out>` holds two trees:

- `<out>/runs/<target>_z<k>_s<seed>`: one ordinary training run per cell
  (events, checkpoints, export; large, never committed: `<out>/.gitignore`
  says so).
- `<out>/results/<target>_z<k>_s<seed>`: what the study keeps of the run,
  small enough to commit: `evaluation.json` (the full report), `run.json`
  (its training config, git commit, host, timings), `curve.json` (the
  convergence scalars over training) and the few files its figures draw
  (toy: `samples.npy`, `latent_view.png`; DCGAN: `final_frame.png`,
  `mnist_report.png`). `evaluation.json` is written last and marks the cell
  done: a rerun (from a fresh clone too) skips it.

A cell cut off mid-run resumes from its last checkpoint when its run folder
has one, else starts over. `shard=(i, n)` trains only every n-th cell from
the i-th on, so n processes or machines (a job array) split a sweep into
disjoint parts; each cell is trained under an exclusive file lock, so two
processes given the same cells never train one twice, and tables, figures
and the HParams experiment are rebuilt from every finished cell on disk
under a lock of their own. `<out>/sweep_config.json` records the settings a
resumed sweep must share, and `results.csv`, `results.md` and the figures
(toy: `grid.png`, `latent_views.png`, `convergence.png`; DCGAN:
`montage.png`, `convergence.png`) are rewritten atomically after every cell.

TensorFlow is imported only inside the functions that need it, so
`SweepSettings.validate` refuses bad input in a fraction of a second.
"""

import csv
import dataclasses
import datetime
import glob
import io
import json
import os
import platform
import shutil
import subprocess
import time
from typing import Optional

import numpy as np

from keras_gan_latent.config import ANIMATION_FRAMES, MODEL_NAMES, TrainConfig, not_applicable
from keras_gan_latent.errors import UserError
from keras_gan_latent.fileio import atomic_write_bytes, atomic_write_json, check_writable_dir, file_lock, is_nonempty_dir
from keras_gan_latent.metrics.intervals import student_t_interval

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
EVALUATION_FILE = "evaluation.json"  # written last: the cell is done
RUN_RECORD_FILE = "run.json"
CURVE_FILE = "curve.json"
SAMPLES_FILE = "samples.npy"
LATENT_VIEW_FILE = "latent_view.png"
FINAL_FRAME_FILE = "final_frame.png"  # written by training.train: the DCGAN's 5x5 fixed-noise grid
MNIST_REPORT_FILE = "mnist_report.png"
VIEW_LATENT_DIMS = (1, 2)  # the latent spaces flat enough to draw
# montage.png: inches per column at MONTAGE_DPI, room for a 5x5 digit grid
# (152 pixels, drawn with nearest-neighbour scaling so digits stay crisp) and
# for a bar chart whose ten share labels still fit.
MONTAGE_PANEL = 2.4
MONTAGE_HISTOGRAM_HEIGHT = 1.9
MONTAGE_DPI = 100
# Every table and figure a sweep may write into <out>.
RESULT_FILES = ("results.md", "results.csv", "grid.png", "latent_views.png", "montage.png", "convergence.png")
CONFIDENCE = 0.95  # the tables' Student-t intervals over seeds
INTRINSIC_DIMENSION_SAMPLES = 10_000  # data points the "how much noise" table's estimate uses

# A headline number of `evaluation.summary_row` is None when it has no finite
# value. For KL(p_g || p_data) that means infinite (samples off the target's
# support, or repeated samples: atoms); for the others (JS is bounded, the
# mode KL needs a sample near some mode) it means undefined.
INFINITE_WHEN_MISSING = frozenset({"kl_g_data"})

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


@dataclasses.dataclass
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

    def validate(self):
        """Fills in the model's defaults and checks every setting, each run's config included.

        Resolving a run's config imports TensorFlow (no op runs) after its
        cheap checks; the targets' dimensions are checked later (`check_sweep`).

        Raises:
            UserError: naming the first invalid setting.
        """
        if self.model not in MODEL_DEFAULTS:
            raise UserError(f"unknown model {self.model!r}; valid models: {', '.join(MODEL_NAMES)}")
        if self.model != "dcgan":
            given = [f"--{name}" for name in DCGAN_ONLY if getattr(self, name) is not None]
            if given:
                raise not_applicable(given, ("dcgan",), self.model)
        for name, value in MODEL_DEFAULTS[self.model].items():
            if getattr(self, name) is None:
                setattr(self, name, value)
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
    steps spans the whole run; `training.train` runs executions of the gcd
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


def sweep_kind(settings):
    """The `ToySweep` or `MnistSweep` of a validated `settings.model`."""
    return MnistSweep(settings) if settings.model == "dcgan" else ToySweep(settings)


def check_sweep(settings):
    """Checks a sweep completely before it writes anything.

    Args:
        settings: `SweepSettings`.

    Returns:
        The checked `ToySweep` or `MnistSweep` of the settings.

    Raises:
        UserError: for an invalid setting, an unknown or non-2-D target or
            unreadable MNIST data, too few samples, an unwritable `out`, a
            non-empty `out` that holds no sweep, or a sweep there run with
            another model, steps, num-samples, arch or data (whose finished
            cells this one would wrongly reuse).
    """
    settings.validate()
    from keras_gan_latent import evaluation

    kind = sweep_kind(settings)
    kind.check()
    if settings.num_samples < evaluation.MIN_SAMPLES:
        raise UserError(f"num-samples must be at least {evaluation.MIN_SAMPLES} for the estimators, got {settings.num_samples}")
    check_writable_dir(settings.out, "--out")
    config_path = os.path.join(settings.out, CONFIG_FILE)
    if not os.path.isfile(config_path):
        if is_nonempty_dir(settings.out):
            raise UserError(f"--out {settings.out!r} is a non-empty folder without {CONFIG_FILE}; give a new or empty folder")
        return kind
    with open(config_path) as f:
        previous = json.load(f)
    previous.setdefault("model", "mlp")  # written before the DCGAN joined the sweep
    for key in settings.resume_keys():
        if previous.get(key) != getattr(settings, key):
            flag = "--" + key.replace("_", "-")
            raise UserError(
                f"--out {settings.out!r} holds a sweep with {flag} {previous.get(key)}, not {getattr(settings, key)}; "
                f"resume it with the same {flag} or give another --out"
            )
    return kind


def run_sweep(settings, verbose=1, log=print, merge_only=False):
    """Trains and evaluates every cell of this shard not done yet, rewriting the results after each.

    A cell is done when `<out>/results/<cell>/evaluation.json` exists (from
    this sweep, another shard, or a commit). A cell another process is
    training (its lock is held) is left to it. A cell whose run folder holds
    a checkpoint but no results (a killed run) resumes from it; one without a
    checkpoint starts over.

    Args:
        settings: `SweepSettings`.
        verbose: Keras progress display of each run (0, 1 or 2).
        log: Called with one line per cell.
        merge_only: Train nothing: rebuild the tables and figures from the
            finished cells (the merge step after a sharded sweep).

    Returns:
        `{(target, latent_dim, seed): evaluation report}` for every finished
        cell of the grid, this shard's and any other's.

    Raises:
        UserError: for invalid settings, before anything is written.
    """
    kind = check_sweep(settings)
    os.makedirs(settings.runs_dir(), exist_ok=True)
    with file_lock(os.path.join(settings.out, RESULTS_LOCK)):
        atomic_write_json(
            os.path.join(settings.out, CONFIG_FILE),
            dict(settings.to_dict(), **summary_intervals(settings.steps, settings.animate)),
        )
        atomic_write_bytes(os.path.join(settings.out, ".gitignore"), GITIGNORE.encode())
        write_hparams_config(settings, kind)
    cells = [] if merge_only else settings.shard_cells()
    shard = "" if settings.shard is None else f" (shard {settings.shard[0]}/{settings.shard[1]}: {len(cells)} of them)"
    log(
        f"sweep: latent dims {','.join(map(str, settings.latent_dims))} x {kind.describe()} "
        f"x seeds {','.join(map(str, settings.seeds))} = {len(settings.cells())} runs of {settings.steps} steps"
        f"{shard} -> {settings.out}"
    )
    for i, cell in enumerate(cells, 1):
        label = f"[{i}/{len(cells)}] {settings.cell_name(*cell)}"
        if is_done(settings, cell):
            log(f"{label}: done before, skipped")
            continue
        with file_lock(settings.run_dir(*cell) + ".lock", blocking=False) as locked:
            if not locked:
                log(f"{label}: another process is training it, skipped")
                continue
            if is_done(settings, cell):  # finished by another process a moment ago
                log(f"{label}: done before, skipped")
                continue
            report, record = run_cell(settings, kind, *cell, verbose=verbose, log=lambda line: log(f"{label}: {line}"))
        log(f"{label}: trained in {record['training_seconds']:.0f} s; {kind.headline(report)}")
        write_results(settings, kind)
    return write_results(settings, kind)


def is_done(settings, cell):
    """Whether a cell's results are complete (its `evaluation.json` exists)."""
    return os.path.isfile(os.path.join(settings.result_dir(*cell), EVALUATION_FILE))


def finished_reports(settings):
    """`{(target, latent_dim, seed): report}` of every finished cell of the grid, read from disk."""
    reports = {}
    for cell in settings.cells():
        path = os.path.join(settings.result_dir(*cell), EVALUATION_FILE)
        if os.path.isfile(path):
            with open(path) as f:
                reports[cell] = json.load(f)
    return reports


def run_cell(settings, kind, name, latent_dim, seed, verbose=1, log=print):
    """Trains one cell, scores its export and writes its results folder.

    Args:
        settings: `SweepSettings`.
        kind: The sweep's checked `ToySweep` or `MnistSweep`.
        name: The cell's target name.
        latent_dim: The cell's latent dim.
        seed: The cell's seed (training, sampling and the bootstrap).
        verbose: Keras progress display.
        log: Called with a line when the run resumes or starts over.

    Returns:
        `(report, record)`: the evaluation report and the `run.json` record.
    """
    from keras_gan_latent import checkpoints, training

    config = settings.train_config(name, latent_dim, seed)
    result_dir = settings.result_dir(name, latent_dim, seed)
    if os.path.isdir(os.path.join(config.run_dir, checkpoints.CHECKPOINT_DIR)) and glob.glob(
        os.path.join(config.run_dir, checkpoints.CHECKPOINT_DIR, "*.index")
    ):
        log(f"unfinished run with a checkpoint, resuming it ({settings.steps} steps)")
        config = dataclasses.replace(config, resume=True)
    else:
        if os.path.exists(config.run_dir):
            log("unfinished run folder without a checkpoint, deleting it and starting over")
            shutil.rmtree(config.run_dir)
        log(f"training {settings.steps} steps")
    if os.path.exists(result_dir):  # left by a run killed while its results were written
        shutil.rmtree(result_dir)
    started = utc_now()
    setup = training.prepare(config)
    config = setup.config  # resolved: the prior the latent view and HParams name
    result = training.train(config, verbose=verbose, setup=setup)
    evaluation_start = time.perf_counter()
    report = kind.evaluate(config, result_dir)
    curve = read_scalar_curves(config.run_dir, kind.curve_tags)
    atomic_write_json(os.path.join(result_dir, CURVE_FILE), curve)
    record = {
        "config": config.to_dict(),
        "git": git_revision(),
        "host": platform.node(),
        "started": started,
        "finished": utc_now(),
        "resumed": bool(config.resume),
        "training_seconds": result.seconds,
        "trained_steps": result.steps,
        "evaluation_seconds": time.perf_counter() - evaluation_start,
        "tensorflow": _tensorflow_version(),
    }
    atomic_write_json(os.path.join(result_dir, RUN_RECORD_FILE), record)
    write_run_summaries(config, kind.summary_row(report))
    atomic_write_json(os.path.join(result_dir, EVALUATION_FILE), report)  # last: the cell is done
    return report, record


def utc_now():
    """The current UTC time, ISO 8601 to the second."""
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


def _tensorflow_version():
    import tensorflow as tf

    return tf.__version__


def git_revision():
    """The commit of the package's checkout and whether it had uncommitted changes.

    Returns:
        `{"commit": sha, "dirty": bool}`, or None outside a git checkout.
    """
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        commit = subprocess.run(
            ["git", "-C", here, "rev-parse", "HEAD"], capture_output=True, text=True, timeout=10, check=True
        ).stdout.strip()
        status = subprocess.run(
            ["git", "-C", here, "status", "--porcelain", "--untracked-files=no"],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": commit, "dirty": bool(status.strip())}


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
        from keras_gan_latent import views

        return views.CONVERGENCE_SCALARS

    @property
    def curve_metric(self):
        """The tag the convergence figure draws: JS."""
        from keras_gan_latent import views

        return views.CONVERGENCE_JS

    def __init__(self, settings):
        super().__init__(settings)
        self.targets = {}

    def check(self):
        """Looks up the targets; the figures need them 2-D.

        Raises:
            UserError: for an unknown or non-2-D target.
        """
        from keras_gan_latent import targets

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
        from keras_gan_latent import evaluation, latent_views, plotting

        target = self.targets[config.target]
        samples, sampler = evaluation.load_samples(config.export_dir, target, self.settings.num_samples, config.seed)
        report = evaluation.evaluate_samples(samples, target, seed=config.seed)
        buffer = io.BytesIO()
        np.save(buffer, samples.astype(np.float32))
        atomic_write_bytes(os.path.join(result_dir, SAMPLES_FILE), buffer.getvalue())
        if config.latent_dim in VIEW_LATENT_DIMS:
            image = latent_views.latent_view_image(latent_views.from_export(sampler), config.latent_dim, config.prior, target)
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
        from keras_gan_latent import plotting

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
        from keras_gan_latent import views

        return tuple(f"{views.MODE_PREFIX}{key}" for key in views.MODE_SCALARS)

    @property
    def curve_metric(self):
        """The tag the convergence figure draws: the Frechet distance."""
        from keras_gan_latent import views

        return f"{views.MODE_PREFIX}frechet_distance"

    def __init__(self, settings):
        super().__init__(settings)
        self._classifier = None

    def check(self):
        """Loads MNIST once, so bad `--data` is refused before anything is written.

        Raises:
            UserError: if MNIST cannot be loaded from `data` (or at all).
        """
        from keras_gan_latent.datasets.mnist import load_mnist

        load_mnist(self.settings.data)

    def describe(self):
        """What the sweep trains, for its first log line."""
        return f"{self.settings.arch} DCGAN on {MNIST_TARGET}"

    def classifier(self):
        """The digit classifier (cached; trained the first time, a few minutes)."""
        if self._classifier is None:
            from keras_gan_latent.mnist_classifier import load_or_train_classifier

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
        from keras_gan_latent import evaluation, plotting

        images, _ = evaluation.load_images(config.export_dir, self.settings.num_samples, config.seed)
        report = evaluation.mnist_report(images, classifier=self.classifier(), parzen=True, data_path=self.settings.data)
        picture = evaluation.mnist_report_image(images, report, title=f"z_dim {config.latent_dim}, seed {config.seed}")
        plotting.save_png(picture, os.path.join(result_dir, MNIST_REPORT_FILE))
        with open(os.path.join(config.run_dir, FINAL_FRAME_FILE), "rb") as f:
            atomic_write_bytes(os.path.join(result_dir, FINAL_FRAME_FILE), f.read())
        return report

    def _intrinsic_dimension(self, name):
        """The TwoNN intrinsic dimension of `INTRINSIC_DIMENSION_SAMPLES` training digits in [0, 1]^784."""
        from keras_gan_latent.datasets.mnist import load_mnist
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
            "runs/*/evaluation.json; montage.png shows the grids."
        )

    def section_title(self, name):
        """The Markdown heading of the table."""
        return f"{name} (latent prior: normal, arch {self.settings.arch})"

    def write_figures(self, reports):
        """Rewrites `montage.png`."""
        from keras_gan_latent import plotting

        plotting.save_png(montage_image(self.settings, reports), os.path.join(self.settings.out, "montage.png"))


def run_hparams(config):
    """The hyperparameters HParams compares runs by."""
    return {
        "target": config.target,
        "latent_dim": config.latent_dim,
        "prior": config.prior,
        "seed": config.seed,
        "steps": config.steps,
    }


def write_run_summaries(config, row):
    """Writes a run's HParams summary and its final scores as `eval/<key>` scalars.

    Args:
        config: The run's `TrainConfig`.
        row: The summary row of its report; None values (no finite number)
            are left out.
    """
    import tensorflow as tf
    from tensorboard.plugins.hparams import api as hp

    writer = tf.summary.create_file_writer(config.run_dir)
    with writer.as_default(step=config.steps):
        hp.hparams(run_hparams(config), trial_id=os.path.basename(config.run_dir))
        for key, value in row.items():
            if value is not None:
                tf.summary.scalar(f"eval/{key}", value)
    writer.close()


def write_hparams_config(settings, kind):
    """Writes the HParams experiment (hyperparameters and metrics) into the runs folder.

    A resumed sweep replaces the previous experiment rather than adding one.

    Args:
        settings: `SweepSettings`.
        kind: Its `ToySweep` or `MnistSweep`, which names the metrics.
    """
    import tensorflow as tf
    from tensorboard.plugins.hparams import api as hp

    from keras_gan_latent import priors

    runs_dir = settings.runs_dir()
    for old in glob.glob(os.path.join(runs_dir, "events.out.tfevents.*")):
        os.remove(old)
    hparams = [
        hp.HParam("target", hp.Discrete(list(settings.targets))),
        hp.HParam("latent_dim", hp.Discrete(list(settings.latent_dims))),
        hp.HParam("prior", hp.Discrete(list(priors.PRIOR_NAMES))),
        hp.HParam("seed", hp.Discrete(list(settings.seeds))),
        hp.HParam("steps", hp.Discrete([settings.steps])),
    ]
    metrics = [hp.Metric(tag) for tag in kind.training_metrics] + [hp.Metric(f"eval/{key}") for key in kind.eval_metrics]
    writer = tf.summary.create_file_writer(runs_dir)
    with writer.as_default():
        hp.hparams_config(hparams=hparams, metrics=metrics)
    writer.close()


def write_results(settings, kind):
    """Rewrites `results.csv`, `results.md` and the model's figures from every finished cell on disk.

    Runs under `<out>/results.lock`, so shards finishing at the same moment
    write one after the other, each from everything finished so far; every
    file is replaced atomically.

    Args:
        settings: `SweepSettings`.
        kind: Its `ToySweep` or `MnistSweep`.

    Returns:
        `{(target, latent_dim, seed): report}` of the finished cells.
    """
    with file_lock(os.path.join(settings.out, RESULTS_LOCK)):
        reports = finished_reports(settings)
        rows = result_rows(settings, kind, reports)
        atomic_write_bytes(os.path.join(settings.out, "results.csv"), results_csv(rows).encode())
        atomic_write_bytes(os.path.join(settings.out, "results.md"), results_markdown(settings, kind, rows).encode())
        if reports:
            kind.write_figures(reports)
            from keras_gan_latent import plotting

            plotting.save_png(convergence_image(settings, kind, reports), os.path.join(settings.out, "convergence.png"))
    return reports


def result_rows(settings, kind, reports):
    """One flat row per finished cell, in grid order: target, latent_dim, seed and the headline numbers."""
    return [
        dict(target=t, latent_dim=k, seed=s, **kind.summary_row(reports[(t, k, s)]))
        for t in settings.targets
        for k in settings.latent_dims
        for s in settings.seeds
        if (t, k, s) in reports
    ]


def metric_keys(rows):
    """The headline keys present in `rows`, in order of first appearance."""
    keys = {}
    for row in rows:
        keys.update((key, None) for key in row if key not in ("target", "latent_dim", "seed"))
    return list(keys)


def missing_text(key):
    """How a None value of `key` is written: "inf" (infinite) or "n/a" (undefined)."""
    return "inf" if key in INFINITE_WHEN_MISSING else "n/a"


def results_csv(rows):
    """CSV text of the rows; None is "inf" or "n/a", a key a target lacks is empty."""
    columns = ["target", "latent_dim", "seed"] + metric_keys(rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, restval="", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: missing_text(k) if v is None else v for k, v in row.items()})
    return buffer.getvalue()


def mean_interval_text(values, key):
    """One metric over seeds as "mean ± half-width of its 95 % Student-t interval", never a meaningless number.

    Args:
        values: The metric of each finished seed (None: no finite value).
        key: The metric's key, which says what None means.

    Returns:
        "inf" if the metric is infinite for any seed; "n/a" if it is
        undefined for all; else the mean (± the interval's half-width with
        2+ values) of the defined ones, noting how many seeds that is if not all.
    """
    if not values:
        return ""
    if key in INFINITE_WHEN_MISSING and any(v is None for v in values):
        return "inf"
    defined = [float(v) for v in values if v is not None]
    if not defined:
        return "n/a"
    mean, half_width = student_t_interval(defined, CONFIDENCE)
    text = f"{mean:.3g}"
    if half_width is not None:
        text += f" ± {half_width:.2g}"
    if len(defined) < len(values):
        text += f" ({len(defined)} of {len(values)} seeds)"
    return text


def results_markdown(settings, kind, rows):
    """The Markdown report: per target, one row per latent dim, mean ± 95 % interval over seeds, then "how much noise".

    Args:
        settings: `SweepSettings`.
        kind: Its `ToySweep` or `MnistSweep` (title, notes and headings).
        rows: `result_rows`.
    """
    seeds = ",".join(map(str, settings.seeds))
    lines = [
        f"# {kind.title}",
        "",
        f"{settings.steps} generator steps per run, {settings.num_samples} samples per evaluation, "
        f"seeds {seeds}. Each entry is the mean over the finished seeds ± the half-width of a 95 % "
        "Student-t interval (t_{0.975, n-1} s / sqrt(n): 4.30 s / sqrt(3) for 3 seeds); the per-seed "
        "values are in results.csv. " + kind.notes(),
    ]
    for name in settings.targets:
        target_rows = [r for r in rows if r["target"] == name]
        keys = metric_keys(target_rows)
        header = ["latent dim", "seeds done"] + keys
        lines += ["", f"## {kind.section_title(name)}", ""]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "|".join("---:" for _ in header) + "|")
        for latent_dim in settings.latent_dims:
            cell_rows = [r for r in target_rows if r["latent_dim"] == latent_dim]
            values = [mean_interval_text([r.get(key) for r in cell_rows], key) for key in keys]
            lines.append("| " + " | ".join([str(latent_dim), f"{len(cell_rows)}/{len(settings.seeds)}"] + values) + " |")
    lines += noise_section(settings, kind, rows)
    return "\n".join(lines) + "\n"


def enough_latent_dim(rows, latent_dims, criteria):
    """The smallest latent dim whose mean is within the best latent dim's interval, by every criterion.

    For each `(key, better)` criterion ("lower" or "higher" is better), the
    best latent dim is the one with the best mean over seeds; a latent dim
    is as good if its mean lies inside the best one's 95 % Student-t
    interval (for "lower": mean <= best mean + half-width).

    Args:
        rows: Result rows of one target.
        latent_dims: The latent dims in the grid.
        criteria: `(key, better)` pairs.

    Returns:
        `(latent_dim, explanation)`; `latent_dim` is None when it cannot be
        decided (a criterion has fewer than 2 seeds at its best latent dim,
        or a latent dim has no finite value).
    """
    candidates = set(latent_dims)
    notes = []
    for key, better in criteria:
        stats = {}
        for latent_dim in latent_dims:
            values = [r.get(key) for r in rows if r["latent_dim"] == latent_dim]
            if values and all(v is not None for v in values):
                stats[latent_dim] = student_t_interval([float(v) for v in values], CONFIDENCE)
        if len(stats) < len(latent_dims):
            return None, f"{key}: not every latent dim has finite values"
        sign = 1.0 if better == "lower" else -1.0
        best = min(stats, key=lambda k: sign * stats[k][0])
        mean, half_width = stats[best]
        if half_width is None:
            return None, f"{key}: needs 2+ seeds for an interval"
        bound = mean + sign * half_width
        candidates &= {k for k, (m, _) in stats.items() if sign * m <= sign * bound}
        notes.append(f"{key} best at {best}: {mean:.3g} ± {half_width:.2g}")
    return min(candidates), "; ".join(notes)


def noise_section(settings, kind, rows):
    """The "how much noise" lines of results.md: intrinsic dimension of the data beside the latent dim that suffices."""
    lines = [
        "",
        "## How much noise?",
        "",
        "The data's intrinsic dimension (TwoNN, Facco et al. 2017, on target samples) beside the "
        "smallest latent dim whose mean is within the 95 % interval of the best latent dim's mean "
        f"({', '.join(f'{key}, {better} is better' for key, better in kind.noise_criteria)}).",
        "",
        "| target | intrinsic dim (TwoNN) | smallest latent dim as good as the best | by |",
        "|---|---:|---:|---|",
    ]
    for name in settings.targets:
        target_rows = [r for r in rows if r["target"] == name]
        enough, why = enough_latent_dim(target_rows, settings.latent_dims, kind.noise_criteria)
        dimension = kind.intrinsic_dimension(name)
        lines.append(
            f"| {name} | {'n/a' if dimension is None else f'{dimension:.2f}'} | "
            f"{'undecided' if enough is None else enough} | {why} |"
        )
    return lines


def convergence_image(settings, kind, reports):
    """The convergence figure: per target, the curve metric against step, one line per latent dim.

    Each line is the mean over the finished seeds at each summary step, with
    its 95 % Student-t band when 2+ seeds are done.

    Returns:
        An (H, W, 3) uint8 array.
    """
    from keras_gan_latent import plotting
    from keras_gan_latent.plotting import plt

    names = list(settings.targets)
    fig, axes = plt.subplots(1, len(names), figsize=(4.2 * len(names), 3.4), dpi=100, squeeze=False)
    colours = plt.get_cmap("viridis")(np.linspace(0, 0.9, len(settings.latent_dims)))
    for ax, name in zip(axes[0], names):
        for colour, latent_dim in zip(colours, settings.latent_dims):
            curves = []
            for seed in settings.seeds:
                path = os.path.join(settings.result_dir(name, latent_dim, seed), CURVE_FILE)
                if (name, latent_dim, seed) in reports and os.path.isfile(path):
                    with open(path) as f:
                        curve = json.load(f).get(kind.curve_metric)
                    if curve:
                        curves.append(dict(zip(curve["step"], curve["value"])))
            if not curves:
                continue
            steps = sorted(set.intersection(*(set(c) for c in curves)))
            stats = [student_t_interval([c[s] for c in curves], CONFIDENCE) for s in steps]
            mean = np.array([m for m, _ in stats])
            ax.plot(steps, mean, color=colour, label=f"k = {latent_dim} ({len(curves)} seeds)")
            if len(curves) > 1:
                half = np.array([h for _, h in stats])
                ax.fill_between(steps, mean - half, mean + half, color=colour, alpha=0.2, linewidth=0)
        ax.set_title(name, fontsize=10)
        if kind.curve_limits is not None:
            ax.set_ylim(*kind.curve_limits)
        ax.set_xlabel("generator step")
        ax.set_ylabel(kind.curve_label, fontsize=8)
        ax.legend(fontsize=7)
    fig.tight_layout()
    image = plotting.figure_to_array(fig)
    plt.close(fig)
    return image


def headline(report):
    """A few words on a report: JS, and modes covered for mixtures."""
    js = report["divergences"]["js"]["estimate"]
    text = "JS n/a" if js is None else f"JS {js:.3f}"
    if "modes" in report:
        text += f", {report['modes']['modes_covered']}/{report['modes']['num_modes']} modes"
    return text


def grid_image(settings, found, reports):
    """The article's panels for the whole sweep: rows targets, columns latent dims.

    Each panel shows the first seed's evaluated samples in red over target samples in
    grey on the target's fixed equal axes; unfinished cells say so.

    Returns:
        An (H, W, 3) uint8 array.
    """
    import tensorflow as tf

    from keras_gan_latent import plotting
    from keras_gan_latent.plotting import plt

    rows, cols = len(settings.targets), len(settings.latent_dims)
    fig, axes = plt.subplots(rows, cols, figsize=(2.2 * cols, 2.3 * rows), dpi=100, squeeze=False)
    for r, name in enumerate(settings.targets):
        target = found[name]
        real = target.sample(2000, seed=tf.constant([0, 0x7EA1])).numpy()
        for c, latent_dim in enumerate(settings.latent_dims):
            ax = axes[r, c]
            ax.scatter(real[:, 0], real[:, 1], s=2, c=plotting.REAL_COLOUR, alpha=0.5, linewidths=0)
            report = reports.get((name, latent_dim, settings.seeds[0]))
            samples_path = os.path.join(settings.result_dir(name, latent_dim, settings.seeds[0]), SAMPLES_FILE)
            if report is not None and os.path.isfile(samples_path):
                fake = np.load(samples_path)
                ax.scatter(fake[:, 0], fake[:, 1], s=2, c=plotting.FAKE_COLOUR, alpha=0.5, linewidths=0)
                ax.text(0.03, 0.03, headline(report), transform=ax.transAxes, fontsize=6)
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
    fig.tight_layout()
    image = plotting.figure_to_array(fig)
    plt.close(fig)
    return image


def latent_views_grid(settings, reports):
    """The first seed's latent views side by side: one row per target, latent dims 1 and 2.

    Returns:
        An (H, W, 3) uint8 array, blank where a cell is not done, or None
        if the sweep has neither latent dim or no view is done yet.
    """
    from PIL import Image

    latent_dims = [k for k in VIEW_LATENT_DIMS if k in settings.latent_dims]
    images = {}
    for name in settings.targets:
        for latent_dim in latent_dims:
            path = os.path.join(settings.result_dir(name, latent_dim, settings.seeds[0]), LATENT_VIEW_FILE)
            if (name, latent_dim, settings.seeds[0]) in reports and os.path.isfile(path):
                with Image.open(path) as image:
                    images[(name, latent_dim)] = np.asarray(image.convert("RGB"))
    if not images:
        return None
    blank = np.full_like(next(iter(images.values())), 255)
    return np.concatenate(
        [
            np.concatenate([images.get((name, k), blank) for k in latent_dims], axis=1)
            for name in settings.targets
        ],
        axis=0,
    )



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
    from PIL import Image

    from keras_gan_latent import mnist_plots, plotting
    from keras_gan_latent.plotting import plt

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
                with Image.open(path) as grid:
                    ax.imshow(np.asarray(grid.convert("RGB")), interpolation="nearest")
            else:
                ax.text(0.5, 0.5, "not run yet", transform=ax.transAxes, ha="center", va="center", fontsize=8)
            ax.set_xticks([])
            ax.set_yticks([])
            if row == 0:
                ax.set_title(f"z_dim {latent_dim}", fontsize=10)
            if c == 0:
                ax.set_ylabel(f"seed {seed}", fontsize=10)
    fig.tight_layout()
    grids = plotting.figure_to_array(fig)
    plt.close(fig)

    charts = []
    for latent_dim in settings.latent_dims:
        done = [reports[(name, latent_dim, s)] for s in settings.seeds if (name, latent_dim, s) in reports]
        counts = np.sum([r["class_histogram"] for r in done], axis=0) if done else np.zeros(mnist_plots.NUM_CLASSES)
        charts.append(mnist_plots.class_histogram_image(
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
