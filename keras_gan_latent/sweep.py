"""The latent-dimension sweep: the article's grid of runs, trained, measured and tabled.

Every cell (target, latent dim, seed) is one ordinary training run in
`<out>/runs/<target>_z<k>_s<seed>`: `training.train` writes its events, GIF
and export, then the sweep scores the export with `evaluation` and adds its
own files to the run folder: `samples.npy` (the samples scored),
`latent_view.png` (latent dims 1 and 2), an HParams summary with the final
scores as `eval/*` scalars, and last `evaluation.json`. That file marks the
cell done: a rerun reads it back instead of training again, and deletes and
redoes a cell folder without it (a cell killed mid-run).

In `<out>`, `sweep_config.json` records the settings, and `results.csv`,
`results.md`, `grid.png` and `latent_views.png` are rewritten after every
cell trained (and once after cells read back), all atomically. `tensorboard
--logdir <out>/runs` compares the runs in its HParams tab.

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

import numpy as np

from keras_gan_latent.config import ANIMATION_FRAMES, TrainConfig
from keras_gan_latent.errors import UserError
from keras_gan_latent.fileio import atomic_write_bytes, atomic_write_json, check_writable_dir, is_nonempty_dir

DEFAULT_LATENT_DIMS = (1, 2, 3, 10, 100)
DEFAULT_TARGETS = ("gaussian", "eight_gaussians", "spiral")

CONFIG_FILE = "sweep_config.json"
EVALUATION_FILE = "evaluation.json"
SAMPLES_FILE = "samples.npy"
LATENT_VIEW_FILE = "latent_view.png"
VIEW_LATENT_DIMS = (1, 2)  # the latent spaces flat enough to draw

# A headline number of `evaluation.summary_row` is None when it has no finite
# value. For KL(p_g || p_data) that means infinite (samples off the target's
# support, or repeated samples: atoms); for the others (JS is bounded, the
# mode KL needs a sample near some mode) it means undefined.
INFINITE_WHEN_MISSING = frozenset({"kl_g_data"})

# The HParams tab's metrics: scalars the training run writes, and the final
# scores the sweep writes as `eval/<key of evaluation.summary_row>`.
TRAINING_METRICS = ("fidelity/mean_log_prob", "train/d_loss", "train/g_loss", "train/d_accuracy")
EVAL_METRICS = (
    "js", "kl_g_data", "kl_data_g", "wasserstein1", "mmd", "outside_support",
    "modes_covered", "high_quality", "mode_kl",
)


@dataclasses.dataclass
class SweepSettings:
    """What a sweep trains and where it writes.

    Attributes:
        latent_dims: Latent dimensions k, one column of the grid each.
        targets: Target names, one row of the grid each.
        seeds: Each cell runs with seeds 0..seeds-1.
        steps: Generator steps per run.
        num_samples: Generated samples per evaluation.
        out: Output folder.
    """

    latent_dims: tuple = DEFAULT_LATENT_DIMS
    targets: tuple = DEFAULT_TARGETS
    seeds: int = 1
    steps: int = 30000
    num_samples: int = 2500
    out: str = os.path.join("logs", "sweep")

    def validate(self):
        """Checks everything that needs no TensorFlow to check (targets are checked later).

        Raises:
            UserError: naming the first invalid setting.
        """
        for what, values in (("latent dims", self.latent_dims), ("targets", self.targets)):
            if not values:
                raise UserError(f"{what}: give at least one")
            repeated = sorted({str(v) for v in values if list(values).count(v) > 1})
            if repeated:
                raise UserError(f"{what} repeat {', '.join(repeated)}")
        if isinstance(self.seeds, bool) or not isinstance(self.seeds, int) or self.seeds < 1:
            raise UserError(f"seeds must be an integer >= 1, got {self.seeds!r}")
        if isinstance(self.num_samples, bool) or not isinstance(self.num_samples, int) or self.num_samples < 1:
            raise UserError(f"num-samples must be a positive integer, got {self.num_samples!r}")
        for latent_dim in self.latent_dims:
            self.train_config(self.targets[0], latent_dim, 0).validate()

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
        """The `TrainConfig` of one cell: the article's defaults, one GIF of the run.

        Returns:
            A `TrainConfig` (not yet validated) with `run_dir` and `export_dir` set.
        """
        run_dir = self.run_dir(target, latent_dim, seed)
        return TrainConfig(
            target=target,
            latent_dim=latent_dim,
            seed=seed,
            steps=self.steps,
            run_dir=run_dir,
            export_dir=os.path.join(run_dir, "generator"),
            animate=True,
            **summary_intervals(self.steps),
        )

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


def check_sweep(settings):
    """Checks a sweep completely before it writes anything.

    Args:
        settings: `SweepSettings`.

    Returns:
        `{name: Target}` for the sweep's targets.

    Raises:
        UserError: for an invalid setting, an unknown or non-2-D target, too
            few samples, an unwritable `out`, a non-empty `out` that holds
            no sweep, or a sweep there run with other steps or num-samples
            (whose finished cells this one would wrongly reuse).
    """
    settings.validate()
    from keras_gan_latent import evaluation, targets

    found = {name: targets.get_target(name) for name in settings.targets}
    for target in found.values():
        if target.dim != 2:
            raise UserError(f"target {target.name!r} is {target.dim}-D; the sweep's figures need 2-D targets")
    if settings.num_samples < evaluation.MIN_SAMPLES:
        raise UserError(f"num-samples must be at least {evaluation.MIN_SAMPLES} for the estimators, got {settings.num_samples}")
    check_writable_dir(settings.out, "--out")
    config_path = os.path.join(settings.out, CONFIG_FILE)
    if not os.path.isfile(config_path):
        if is_nonempty_dir(settings.out):
            raise UserError(f"--out {settings.out!r} is a non-empty folder without {CONFIG_FILE}; give a new or empty folder")
        return found
    with open(config_path) as f:
        previous = json.load(f)
    for key in ("steps", "num_samples"):
        if previous.get(key) != getattr(settings, key):
            flag = "--" + key.replace("_", "-")
            raise UserError(
                f"--out {settings.out!r} holds a sweep with {flag} {previous.get(key)}, not {getattr(settings, key)}; "
                f"resume it with the same {flag} or give another --out"
            )
    return found


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
    found = check_sweep(settings)
    atomic_write_json(
        os.path.join(settings.out, CONFIG_FILE),
        dict(settings.to_dict(), **summary_intervals(settings.steps)),
    )
    write_hparams_config(settings)
    reports = {}
    cells = settings.cells()
    log(
        f"sweep: latent dims {','.join(map(str, settings.latent_dims))} x targets {','.join(settings.targets)} "
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
        reports[cell], seconds = run_cell(settings, found[name], latent_dim, seed, verbose=verbose)
        log(f"{label}: trained in {seconds:.0f} s; {headline(reports[cell])}")
        write_results(settings, found, reports)
        stale = False
    if stale:
        write_results(settings, found, reports)
    return reports


def run_cell(settings, target, latent_dim, seed, verbose=1):
    """Trains one cell, scores its export and writes the sweep's files into its run.

    Args:
        settings: `SweepSettings`.
        target: The cell's `Target`.
        latent_dim: The cell's latent dim.
        seed: The cell's seed (training, sampling and the bootstrap).
        verbose: Keras progress display.

    Returns:
        `(report, seconds)`: the evaluation report and the training time.
    """
    from keras_gan_latent import evaluation, latent_views, plotting, training

    config = settings.train_config(target.name, latent_dim, seed)
    setup = training.prepare(config)
    result = training.train(config, verbose=verbose, setup=setup)
    samples, sampler = evaluation.load_samples(config.export_dir, target, settings.num_samples, seed)
    report = evaluation.evaluate_samples(samples, target, seed=seed)
    buffer = io.BytesIO()
    np.save(buffer, samples)
    atomic_write_bytes(os.path.join(config.run_dir, SAMPLES_FILE), buffer.getvalue())
    if latent_dim in VIEW_LATENT_DIMS:
        image = latent_views.latent_view_image(latent_views.from_export(sampler), latent_dim, config.prior, target)
        plotting.save_png(image, os.path.join(config.run_dir, LATENT_VIEW_FILE))
    write_run_summaries(config, evaluation.summary_row(report))
    atomic_write_json(os.path.join(config.run_dir, EVALUATION_FILE), report)  # last: the cell is done
    return report, result.seconds


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
        row: `evaluation.summary_row` of its report; None values (no finite
            number) are left out.
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


def write_hparams_config(settings):
    """Writes the HParams experiment (hyperparameters and metrics) into the runs folder.

    A resumed sweep replaces the previous experiment rather than adding one.
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
    metrics = [hp.Metric(tag) for tag in TRAINING_METRICS] + [hp.Metric(f"eval/{key}") for key in EVAL_METRICS]
    writer = tf.summary.create_file_writer(runs_dir)
    with writer.as_default():
        hp.hparams_config(hparams=hparams, metrics=metrics)
    writer.close()


def write_results(settings, found, reports):
    """Rewrites `results.csv`, `results.md`, `grid.png` and `latent_views.png` (atomically).

    Args:
        settings: `SweepSettings`.
        found: `{name: Target}`.
        reports: `{(target, latent_dim, seed): report}` of the finished cells.
    """
    from keras_gan_latent import plotting

    rows = result_rows(settings, reports)
    atomic_write_bytes(os.path.join(settings.out, "results.csv"), results_csv(rows).encode())
    atomic_write_bytes(os.path.join(settings.out, "results.md"), results_markdown(settings, found, rows).encode())
    plotting.save_png(grid_image(settings, found, reports), os.path.join(settings.out, "grid.png"))
    views = latent_views_grid(settings, reports)
    if views is not None:
        plotting.save_png(views, os.path.join(settings.out, "latent_views.png"))


def result_rows(settings, reports):
    """One flat row per finished cell, in grid order: target, latent_dim, seed and the headline numbers."""
    from keras_gan_latent import evaluation

    return [
        dict(target=t, latent_dim=k, seed=s, **evaluation.summary_row(reports[(t, k, s)]))
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


def results_markdown(settings, found, rows):
    """The Markdown report: per target, one row per latent dim, mean ± std over seeds."""
    lines = [
        "# Latent-dimension sweep",
        "",
        f"{settings.steps} generator steps per run, {settings.num_samples} samples per evaluation, "
        f"{'seed 0' if settings.seeds == 1 else f'seeds 0..{settings.seeds - 1}'}. "
        "Each entry is the mean ± sample std over the finished seeds. "
        '"inf": infinite for some seed (KL(p_g || p_data) with samples off the support or repeated); '
        '"n/a": undefined. Keys as in results.csv and `evaluate.py`.',
    ]
    for name in settings.targets:
        target_rows = [r for r in rows if r["target"] == name]
        keys = metric_keys(target_rows)
        header = ["latent dim", "seeds done"] + keys
        lines += ["", f"## {name} (latent prior: {found[name].default_prior})", ""]
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
