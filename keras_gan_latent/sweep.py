"""The latent-dimension sweep: the article's grid of runs, trained, measured and tabled.

Two models share one sweep: the toy MLP GAN (`model="mlp"`: targets x latent
dims x seeds, scored by `evaluation.evaluate_samples`) and the DCGAN on real
MNIST (`model="dcgan"`: latent dims x seeds, the seed study's z_dim sweep,
scored by `evaluation.mnist_report`). What differs between them (defaults,
checks, how a cell is scored and pictured) lives in a `ToySweep` or
`MnistSweep`; the loop, resuming, HParams and the tables are shared.

Every cell (target, latent dim, seed) is one ordinary training run in
`<out>/runs/<target>_z<k>_s<seed>`: `training.train` writes its events, GIF,
final frame and export, then the sweep scores the export and adds its own
files to the run folder (toy: `samples.npy`, the samples scored, and
`latent_view.png` for latent dims 1 and 2; DCGAN: `mnist_report.png`, the
class histogram beside 25 scored digits), an HParams summary with the final
scores as `eval/*` scalars, and last `evaluation.json`. That file marks the
cell done: a rerun reads it back instead of training again, and deletes and
redoes a cell folder without it (a cell killed mid-run).

In `<out>`, `sweep_config.json` records the settings, and `results.csv`,
`results.md` and the figures (toy: `grid.png`, `latent_views.png`; DCGAN:
`montage.png`) are rewritten after every cell trained (and once after cells
read back), all atomically. `tensorboard --logdir <out>/runs` compares the
runs in its HParams tab.

TensorFlow is imported only inside the functions that need it, so
`SweepSettings.validate` refuses bad input in a fraction of a second.
"""

import csv
import dataclasses
import glob
import io
import json
import os
import shutil
from typing import Optional

import numpy as np

from keras_gan_latent.config import ANIMATION_FRAMES, MODEL_NAMES, TrainConfig, not_applicable
from keras_gan_latent.errors import UserError
from keras_gan_latent.fileio import atomic_write_bytes, atomic_write_json, check_writable_dir, is_nonempty_dir

DEFAULT_LATENT_DIMS = (1, 2, 3, 10, 100)
DEFAULT_TARGETS = ("gaussian", "eight_gaussians", "spiral")
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
        latent_dims=DEFAULT_LATENT_DIMS, targets=DEFAULT_TARGETS, steps=30000, num_samples=2500,
        out=os.path.join("logs", "sweep"),
    ),
    "dcgan": dict(
        latent_dims=DCGAN_LATENT_DIMS, targets=(MNIST_TARGET,), steps=DCGAN_STEPS, num_samples=10_000,
        out=os.path.join("logs", "sweep_mnist"), arch="light",
    ),
}
# Settings that only the DCGAN has, and must be left unset for the MLP.
DCGAN_ONLY = ("arch", "data")

CONFIG_FILE = "sweep_config.json"
EVALUATION_FILE = "evaluation.json"
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
RESULT_FILES = ("results.md", "results.csv", "grid.png", "latent_views.png", "montage.png")

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
        seeds: Each cell runs with seeds 0..seeds-1.
        steps: Generator steps per run.
        num_samples: Generated samples per evaluation.
        out: Output folder.
        model: "mlp" (toy targets) or "dcgan" (real MNIST).
        arch: DCGAN size, "light" or "seed" (DCGAN only).
        data: An MNIST `.npz` instead of the built-in loader (DCGAN only).
    """

    latent_dims: Optional[tuple] = None
    targets: Optional[tuple] = None
    seeds: int = 1
    steps: Optional[int] = None
    num_samples: Optional[int] = None
    out: Optional[str] = None
    model: str = "mlp"
    arch: Optional[str] = None
    data: Optional[str] = None

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
        for what, values in (("latent dims", self.latent_dims), ("targets", self.targets)):
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
        if isinstance(self.seeds, bool) or not isinstance(self.seeds, int) or self.seeds < 1:
            raise UserError(f"seeds must be an integer >= 1, got {self.seeds!r}")
        if isinstance(self.num_samples, bool) or not isinstance(self.num_samples, int) or self.num_samples < 1:
            raise UserError(f"num-samples must be a positive integer, got {self.num_samples!r}")
        for latent_dim in self.latent_dims:
            self.train_config(self.targets[0], latent_dim, 0).resolved()

    def cells(self):
        """Every `(target, latent_dim, seed)`, seed 0 of the whole grid first.

        Returns:
            A list of tuples in training order: a sweep cut short still has
            a complete first-seed grid as early as possible.
        """
        return [(t, k, s) for s in range(self.seeds) for t in self.targets for k in self.latent_dims]

    def runs_dir(self):
        """The TensorBoard logdir holding every run of the sweep."""
        return os.path.join(self.out, "runs")

    def run_dir(self, target, latent_dim, seed):
        """The folder of one cell's run, e.g. `<out>/runs/spiral_z2_s0`."""
        return os.path.join(self.runs_dir(), f"{target}_z{latent_dim}_s{seed}")

    def train_config(self, target, latent_dim, seed):
        """The `TrainConfig` of one cell: the model's defaults, one GIF of the run.

        Returns:
            A `TrainConfig` (not yet resolved) with `run_dir` and `export_dir` set.
        """
        run_dir = self.run_dir(target, latent_dim, seed)
        # The MLP's run config stays as it was before the DCGAN joined the sweep.
        dcgan_settings = {name: getattr(self, name) for name in DCGAN_ONLY} if self.model == "dcgan" else {}
        return TrainConfig(
            model=self.model,
            target=target,
            latent_dim=latent_dim,
            seed=seed,
            steps=self.steps,
            run_dir=run_dir,
            export_dir=os.path.join(run_dir, "generator"),
            animate=True,
            **dcgan_settings,
            **summary_intervals(self.steps),
        )

    def resume_keys(self):
        """The settings a resumed sweep in the same `out` must share (finished cells depend on them)."""
        return ("model", "steps", "num_samples") + (DCGAN_ONLY if self.model == "dcgan" else ())

    def to_dict(self):
        """The settings as a JSON-ready dict."""
        values = dataclasses.asdict(self)
        values["latent_dims"], values["targets"] = list(self.latent_dims), list(self.targets)
        return values


def summary_intervals(steps):
    """How often a run of `steps` steps records frames, scalars and images.

    The GIF has up to `ANIMATION_FRAMES` frames, one every
    ceil(steps / 600) steps, so it spans the whole run. `training.train` runs executions of the gcd of the
    execution size and the summary intervals, and at most one frame interval
    while it animates, so every interval here is a multiple of the frame
    interval: scalars about every 100 steps, images 10 times per animation.

    Args:
        steps: Generator steps of the run.

    Returns:
        A dict of `TrainConfig` fields: `animate_every`, `scalar_every`,
        `steps_per_execution` and `image_every`.
    """
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


def run_sweep(settings, verbose=1, log=print):
    """Trains and evaluates every cell not done yet, rewriting the results after each.

    Args:
        settings: `SweepSettings`.
        verbose: Keras progress display of each run (0, 1 or 2).
        log: Called with one line per cell.

    Returns:
        `{(target, latent_dim, seed): evaluation report}` for every cell.

    Raises:
        UserError: for invalid settings, before anything is written.
    """
    kind = check_sweep(settings)
    atomic_write_json(
        os.path.join(settings.out, CONFIG_FILE),
        dict(settings.to_dict(), **summary_intervals(settings.steps)),
    )
    write_hparams_config(settings, kind)
    reports = {}
    cells = settings.cells()
    log(
        f"sweep: latent dims {','.join(map(str, settings.latent_dims))} x {kind.describe()} "
        f"x {settings.seeds} seed(s) = {len(cells)} runs of {settings.steps} steps -> {settings.out}"
    )
    stale = False  # a cell was read back since the results were last written
    for i, (name, latent_dim, seed) in enumerate(cells, 1):
        cell = (name, latent_dim, seed)
        run_dir = settings.run_dir(*cell)
        label = f"[{i}/{len(cells)}] {os.path.basename(run_dir)}"
        evaluation_path = os.path.join(run_dir, EVALUATION_FILE)
        if os.path.isfile(evaluation_path):
            with open(evaluation_path) as f:
                reports[cell] = json.load(f)
            log(f"{label}: done before, skipped")
            stale = True
            continue
        if os.path.exists(run_dir):
            log(f"{label}: unfinished run folder, deleting it and starting over")
            shutil.rmtree(run_dir)
        log(f"{label}: training {settings.steps} steps")
        reports[cell], seconds = run_cell(settings, kind, name, latent_dim, seed, verbose=verbose)
        log(f"{label}: trained in {seconds:.0f} s; {kind.headline(reports[cell])}")
        write_results(settings, kind, reports)
        stale = False
    if stale:
        write_results(settings, kind, reports)
    return reports


def run_cell(settings, kind, name, latent_dim, seed, verbose=1):
    """Trains one cell, scores its export and writes the sweep's files into its run.

    Args:
        settings: `SweepSettings`.
        kind: The sweep's checked `ToySweep` or `MnistSweep`.
        name: The cell's target name.
        latent_dim: The cell's latent dim.
        seed: The cell's seed (training, sampling and the bootstrap).
        verbose: Keras progress display.

    Returns:
        `(report, seconds)`: the evaluation report and the training time.
    """
    from keras_gan_latent import training

    setup = training.prepare(settings.train_config(name, latent_dim, seed))
    config = setup.config  # resolved: the prior the latent view and HParams name
    result = training.train(config, verbose=verbose, setup=setup)
    report = kind.evaluate(config)
    write_run_summaries(config, kind.summary_row(report))
    atomic_write_json(os.path.join(config.run_dir, EVALUATION_FILE), report)  # last: the cell is done
    return report, result.seconds


class ToySweep:
    """What is particular to a sweep of the MLP GAN over toy targets.

    Args:
        settings: Validated `SweepSettings` with `model="mlp"`.
    """

    title = "Latent-dimension sweep"
    training_metrics = TRAINING_METRICS
    eval_metrics = EVAL_METRICS

    def __init__(self, settings):
        self.settings = settings
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

    def evaluate(self, config):
        """Scores a trained cell's export; keeps its samples and, for k = 1, 2, its latent view.

        Args:
            config: The cell's `TrainConfig`, trained.

        Returns:
            The `evaluation.evaluate_samples` report.
        """
        from keras_gan_latent import evaluation, latent_views, plotting

        target = self.targets[config.target]
        samples, sampler = evaluation.load_samples(config.export_dir, target, self.settings.num_samples, config.seed)
        report = evaluation.evaluate_samples(samples, target, seed=config.seed)
        buffer = io.BytesIO()
        np.save(buffer, samples)
        atomic_write_bytes(os.path.join(config.run_dir, SAMPLES_FILE), buffer.getvalue())
        if config.latent_dim in VIEW_LATENT_DIMS:
            image = latent_views.latent_view_image(latent_views.from_export(sampler), config.latent_dim, config.prior, target)
            plotting.save_png(image, os.path.join(config.run_dir, LATENT_VIEW_FILE))
        return report

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


class MnistSweep:
    """What is particular to the DCGAN's z_dim sweep on real MNIST.

    The classifier that scores the digits is loaded once per sweep, on the
    first cell that needs it (a finished sweep read back never loads it).

    Args:
        settings: Validated `SweepSettings` with `model="dcgan"`.
    """

    title = "Latent-dimension sweep: DCGAN on MNIST"
    training_metrics = MNIST_TRAINING_METRICS
    eval_metrics = MNIST_EVAL_METRICS

    def __init__(self, settings):
        self.settings = settings
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

    def evaluate(self, config):
        """Scores `num_samples` digits of a trained cell's export and pictures the report.

        Args:
            config: The cell's `TrainConfig`, trained.

        Returns:
            The `evaluation.mnist_report`, Parzen estimate included.
        """
        from keras_gan_latent import evaluation, plotting

        images, _ = evaluation.load_images(config.export_dir, self.settings.num_samples, config.seed)
        report = evaluation.mnist_report(images, classifier=self.classifier(), parzen=True, data_path=self.settings.data)
        picture = evaluation.mnist_report_image(images, report, title=f"z_dim {config.latent_dim}, seed {config.seed}")
        plotting.save_png(picture, os.path.join(config.run_dir, MNIST_REPORT_FILE))
        return report

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
        hp.HParam("seed", hp.Discrete(list(range(settings.seeds)))),
        hp.HParam("steps", hp.Discrete([settings.steps])),
    ]
    metrics = [hp.Metric(tag) for tag in kind.training_metrics] + [hp.Metric(f"eval/{key}") for key in kind.eval_metrics]
    writer = tf.summary.create_file_writer(runs_dir)
    with writer.as_default():
        hp.hparams_config(hparams=hparams, metrics=metrics)
    writer.close()


def write_results(settings, kind, reports):
    """Rewrites `results.csv`, `results.md` and the model's figures (atomically).

    Args:
        settings: `SweepSettings`.
        kind: Its `ToySweep` or `MnistSweep`.
        reports: `{(target, latent_dim, seed): report}` of the finished cells.
    """
    rows = result_rows(settings, kind, reports)
    atomic_write_bytes(os.path.join(settings.out, "results.csv"), results_csv(rows).encode())
    atomic_write_bytes(os.path.join(settings.out, "results.md"), results_markdown(settings, kind, rows).encode())
    kind.write_figures(reports)


def result_rows(settings, kind, reports):
    """One flat row per finished cell, in grid order: target, latent_dim, seed and the headline numbers."""
    return [
        dict(target=t, latent_dim=k, seed=s, **kind.summary_row(reports[(t, k, s)]))
        for t in settings.targets
        for k in settings.latent_dims
        for s in range(settings.seeds)
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


def mean_std_text(values, key):
    """One metric over seeds as "mean ± std" (sample std), never a meaningless number.

    Args:
        values: The metric of each finished seed (None: no finite value).
        key: The metric's key, which says what None means.

    Returns:
        "inf" if the metric is infinite for any seed; "n/a" if it is
        undefined for all; else the mean (± std with 2+ values) of the
        defined ones, noting how many seeds that is if not all.
    """
    if not values:
        return ""
    if key in INFINITE_WHEN_MISSING and any(v is None for v in values):
        return "inf"
    defined = [float(v) for v in values if v is not None]
    if not defined:
        return "n/a"
    text = f"{np.mean(defined):.3g}"
    if len(defined) > 1:
        text += f" ± {np.std(defined, ddof=1):.2g}"
    if len(defined) < len(values):
        text += f" ({len(defined)} of {len(values)} seeds)"
    return text


def results_markdown(settings, kind, rows):
    """The Markdown report: per target, one row per latent dim, mean ± std over seeds.

    Args:
        settings: `SweepSettings`.
        kind: Its `ToySweep` or `MnistSweep` (title, notes and headings).
        rows: `result_rows`.
    """
    lines = [
        f"# {kind.title}",
        "",
        f"{settings.steps} generator steps per run, {settings.num_samples} samples per evaluation, "
        f"{'seed 0' if settings.seeds == 1 else f'seeds 0..{settings.seeds - 1}'}. "
        "Each entry is the mean ± sample std over the finished seeds. " + kind.notes(),
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
            values = [mean_std_text([r.get(key) for r in cell_rows], key) for key in keys]
            lines.append("| " + " | ".join([str(latent_dim), f"{len(cell_rows)}/{settings.seeds}"] + values) + " |")
    return "\n".join(lines) + "\n"


def headline(report):
    """A few words on a report: JS, and modes covered for mixtures."""
    js = report["divergences"]["js"]["estimate"]
    text = "JS n/a" if js is None else f"JS {js:.3f}"
    if "modes" in report:
        text += f", {report['modes']['modes_covered']}/{report['modes']['num_modes']} modes"
    return text


def grid_image(settings, found, reports):
    """The article's panels for the whole sweep: rows targets, columns latent dims.

    Each panel shows seed 0's evaluated samples in red over target samples in
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
            report = reports.get((name, latent_dim, 0))
            samples_path = os.path.join(settings.run_dir(name, latent_dim, 0), SAMPLES_FILE)
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
    """Seed 0's latent views side by side: one row per target, latent dims 1 and 2.

    Returns:
        An (H, W, 3) uint8 array, blank where a cell is not done, or None
        if the sweep has neither latent dim or no view is done yet.
    """
    from PIL import Image

    latent_dims = [k for k in VIEW_LATENT_DIMS if k in settings.latent_dims]
    images = {}
    for name in settings.targets:
        for latent_dim in latent_dims:
            path = os.path.join(settings.run_dir(name, latent_dim, 0), LATENT_VIEW_FILE)
            if (name, latent_dim, 0) in reports and os.path.isfile(path):
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
        settings.seeds, cols, figsize=(MONTAGE_PANEL * cols, (MONTAGE_PANEL + 0.1) * settings.seeds),
        dpi=MONTAGE_DPI, squeeze=False,
    )
    for seed in range(settings.seeds):
        for c, latent_dim in enumerate(settings.latent_dims):
            ax = axes[seed, c]
            path = os.path.join(settings.run_dir(name, latent_dim, seed), FINAL_FRAME_FILE)
            if (name, latent_dim, seed) in reports and os.path.isfile(path):
                with Image.open(path) as grid:
                    ax.imshow(np.asarray(grid.convert("RGB")), interpolation="nearest")
            else:
                ax.text(0.5, 0.5, "not run yet", transform=ax.transAxes, ha="center", va="center", fontsize=8)
            ax.set_xticks([])
            ax.set_yticks([])
            if seed == 0:
                ax.set_title(f"z_dim {latent_dim}", fontsize=10)
            if c == 0:
                ax.set_ylabel(f"seed {seed}", fontsize=10)
    fig.tight_layout()
    grids = plotting.figure_to_array(fig)
    plt.close(fig)

    charts = []
    for latent_dim in settings.latent_dims:
        done = [reports[(name, latent_dim, s)] for s in range(settings.seeds) if (name, latent_dim, s) in reports]
        counts = np.sum([r["class_histogram"] for r in done], axis=0) if done else np.zeros(mnist_plots.NUM_CLASSES)
        charts.append(mnist_plots.class_histogram_image(
            counts, title=f"z_dim {latent_dim}, {len(done)}/{settings.seeds} seeds",
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
