"""Running a sweep: checking it against its folder, training and scoring each
cell (resumable, sharded under file locks), and rewriting the results after
every cell."""

from __future__ import annotations

import dataclasses
import datetime
import glob
import json
import os
import platform
import shutil
import subprocess
import time
from typing import Callable

import tensorflow as tf

from keras_gan_latent import experiments
from keras_gan_latent.errors import TrainingDiverged, UserError
from keras_gan_latent.evaluation.samples import MIN_SAMPLES
from keras_gan_latent.fileio import (
    atomic_write_bytes,
    atomic_write_json,
    check_writable_dir,
    file_lock,
    is_nonempty_dir,
)
from keras_gan_latent.sweep.figures import convergence_image
from keras_gan_latent.sweep.hparams import write_hparams_config, write_run_summaries
from keras_gan_latent.sweep.curves import read_scalar_curves
from keras_gan_latent.sweep.settings import (
    SweepSettings,
    CONFIG_FILE,
    CURVE_FILE,
    DIVERGED_FILE,
    EVALUATION_FILE,
    GITIGNORE,
    RESULTS_DIR,
    RUNS_DIR,
    RESULTS_LOCK,
    RUN_RECORD_FILE,
    summary_intervals,
)
from keras_gan_latent.sweep.tables import result_rows, results_csv, results_markdown
from keras_gan_latent.training import checkpoints
from keras_gan_latent.viz import plotting


def check_sweep(settings):
    """Checks a sweep completely before it writes anything.

    Args:
        settings: `SweepSettings`.

    Returns:
        The sweep's `Experiment` (`experiments.get_experiment(settings.model)`).

    Raises:
        UserError: for an invalid setting, an unknown or non-2-D target or
            unreadable MNIST data, too few samples, an unwritable `out`, a
            non-empty `out` that holds no sweep, or a sweep there run with
            another model, steps, num-samples, arch or data (whose finished
            cells this one would wrongly reuse).
    """
    settings = settings.resolved()
    experiment = experiments.get_experiment(settings.model)
    experiment.check_sweep(settings)
    if settings.num_samples < MIN_SAMPLES:
        raise UserError(f"num-samples must be at least {MIN_SAMPLES} for the estimators, got {settings.num_samples}")
    check_writable_dir(settings.out, "--out")
    config_path = os.path.join(settings.out, CONFIG_FILE)
    # A sweep starting beside this one (another shard) may have made its
    # folders and lock, but not yet its config: those are no stranger's files.
    # It writes its config before anything else, so the folder is listed
    # first and the config looked for after: a config that appears in between
    # (with the shard's first results) is seen, not taken for a stranger's files.
    names = os.listdir(settings.out) if is_nonempty_dir(settings.out) else []
    if CONFIG_FILE not in names and not os.path.isfile(config_path):
        if any(not _is_sweep_entry(name) for name in names):
            raise UserError(f"--out {settings.out!r} is a non-empty folder without {CONFIG_FILE}; give a new or empty folder")
        return experiment
    with open(config_path) as f:
        previous = json.load(f)
    previous["model"] = experiments.model_of(previous)  # written before the DCGAN joined the sweep
    for key in settings.resume_keys():
        if previous.get(key) != getattr(settings, key):
            flag = "--" + key.replace("_", "-")
            raise UserError(
                f"--out {settings.out!r} holds a sweep with {flag} {previous.get(key)}, not {getattr(settings, key)}; "
                f"resume it with the same {flag} or give another --out"
            )
    return experiment


def run_sweep(
    settings: SweepSettings, verbose: int = 1, log: Callable[[str], None] = print, merge_only: bool = False
) -> dict:
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
        UserError: for invalid settings, or `merge_only` on a folder that
            holds no sweep, before anything is written.
    """
    settings = settings.resolved()
    if merge_only and not _holds_a_sweep(settings.out):
        raise UserError(
            f"--merge: {settings.out!r} holds no sweep (no {CONFIG_FILE}); give the --out of a sweep to merge"
        )
    experiment = check_sweep(settings)
    os.makedirs(settings.out, exist_ok=True)
    with file_lock(os.path.join(settings.out, RESULTS_LOCK)):
        os.makedirs(settings.runs_dir(), exist_ok=True)
        atomic_write_json(
            os.path.join(settings.out, CONFIG_FILE),
            dict(settings.to_dict(), **summary_intervals(settings.steps, settings.animate)),
        )
        atomic_write_bytes(os.path.join(settings.out, ".gitignore"), GITIGNORE.encode())
        write_hparams_config(settings, experiment)
    cells = [] if merge_only else settings.shard_cells()
    shard = "" if settings.shard is None else f" (shard {settings.shard[0]}/{settings.shard[1]}: {len(cells)} of them)"
    given = settings.given_run_settings()
    log(
        f"sweep: latent dims {','.join(map(str, settings.latent_dims))} x {experiment.sweep.describe(settings)} "
        f"x seeds {','.join(map(str, settings.seeds))} = {len(settings.cells())} runs of {settings.steps} steps"
        f"{' with ' + given if given else ''}"
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
            try:
                report, record = run_cell(settings, experiment, *cell, verbose=verbose, log=lambda line: log(f"{label}: {line}"))
            except TrainingDiverged as exc:
                # The same seed diverges again: record it as the cell's result and go on.
                atomic_write_json(os.path.join(settings.result_dir(*cell), DIVERGED_FILE), {"reason": str(exc)})
                log(f"{label}: {exc}")
                write_results(settings, experiment)
                continue
        log(f"{label}: trained in {record['training_seconds']:.0f} s; {experiment.scorer.headline(report)}")
        write_results(settings, experiment)
    return write_results(settings, experiment)


def is_done(settings, cell):
    """Whether a cell is finished: its `evaluation.json` exists, or its training diverged (`diverged.json`)."""
    return any(os.path.isfile(os.path.join(settings.result_dir(*cell), name)) for name in (EVALUATION_FILE, DIVERGED_FILE))


def _holds_a_sweep(out):
    """Whether `out` holds a sweep: its config, or the first files of shards starting there."""
    if os.path.isfile(os.path.join(out, CONFIG_FILE)):
        return True
    return os.path.isdir(out) and any(_is_sweep_entry(name) for name in os.listdir(out))


def _is_sweep_entry(name):
    """Whether an entry of `--out` is one a sweep writes before its config (folders, lock, temp files)."""
    return name in (RUNS_DIR, RESULTS_DIR, RESULTS_LOCK, ".gitignore") or name.endswith(".tmp")


def diverged_cells(settings):
    """`(cell name, reason)` of every cell of the grid whose training diverged."""
    found = []
    for cell in settings.cells():
        path = os.path.join(settings.result_dir(*cell), DIVERGED_FILE)
        if os.path.isfile(path):
            with open(path) as f:
                found.append((settings.cell_name(*cell), json.load(f)["reason"]))
    return found


def finished_reports(settings):
    """`{(target, latent_dim, seed): report}` of every finished cell of the grid, read from disk."""
    reports = {}
    for cell in settings.cells():
        path = os.path.join(settings.result_dir(*cell), EVALUATION_FILE)
        if os.path.isfile(path):
            with open(path) as f:
                reports[cell] = json.load(f)
    return reports


def run_cell(settings, experiment, name, latent_dim, seed, verbose=1, log=print):
    """Trains one cell, scores its export and writes its results folder.

    Args:
        settings: `SweepSettings`.
        experiment: The sweep's checked `Experiment` (`check_sweep`).
        name: The cell's target name.
        latent_dim: The cell's latent dim.
        seed: The cell's seed (training, sampling and the bootstrap).
        verbose: Keras progress display.
        log: Called with a line when the run resumes or starts over.

    Returns:
        `(report, record)`: the evaluation report and the `run.json` record.
    """
    config = settings.train_config(name, latent_dim, seed)
    result_dir = settings.result_dir(name, latent_dim, seed)
    if os.path.isdir(os.path.join(config.run_dir, checkpoints.CHECKPOINT_DIR)) and glob.glob(
        os.path.join(config.run_dir, checkpoints.CHECKPOINT_DIR, "*.index")
    ):
        log(f"unfinished run with a checkpoint, resuming it ({settings.steps} steps)")
        config = dataclasses.replace(config, resume=True)
    else:
        if os.path.exists(config.run_dir):
            # The run replaces its own files only, and only in a folder it marked.
            log("unfinished run folder without a checkpoint, starting over")
            config = dataclasses.replace(config, overwrite=True)
        log(f"training {settings.steps} steps")
    if os.path.exists(result_dir):  # left by a run killed while its results were written
        shutil.rmtree(result_dir)
    started = utc_now()
    setup = experiments.prepare(config)
    config = setup.config  # resolved: the prior the latent view and HParams name
    result = experiments.train(config, verbose=verbose, setup=setup)
    evaluation_start = time.perf_counter()
    report = experiment.sweep.evaluate_cell(config, settings, result_dir)
    curve = read_scalar_curves(config.run_dir, experiment.sweep.curve_tags)
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
    write_run_summaries(config, experiment.scorer.summary_row(report))
    atomic_write_json(os.path.join(result_dir, EVALUATION_FILE), report)  # last: the cell is done
    return report, record


def utc_now():
    """The current UTC time, ISO 8601 to the second."""
    return datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0).isoformat()


def _tensorflow_version():
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
            # The package's own files only: a sweep whose --out lies in the
            # checkout (docs/...) rewrites tracked tables there.
            ["git", "-C", here, "status", "--porcelain", "--untracked-files=no", "--", os.path.dirname(here)],
            capture_output=True, text=True, timeout=10, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    return {"commit": commit, "dirty": bool(status.strip())}


def write_results(settings, experiment):
    """Rewrites `results.csv`, `results.md` and the model's figures from every finished cell on disk.

    Runs under `<out>/results.lock`, so shards finishing at the same moment
    write one after the other, each from everything finished so far; every
    file is replaced atomically.

    Args:
        settings: `SweepSettings`.
        experiment: Its `Experiment`, which draws its own figures.

    Returns:
        `{(target, latent_dim, seed): report}` of the finished cells.
    """
    with file_lock(os.path.join(settings.out, RESULTS_LOCK)):
        reports = finished_reports(settings)
        rows = result_rows(settings, experiment, reports)
        atomic_write_bytes(os.path.join(settings.out, "results.csv"), results_csv(rows).encode())
        markdown = results_markdown(settings, experiment, rows, diverged_cells(settings))
        atomic_write_bytes(os.path.join(settings.out, "results.md"), markdown.encode())
        if reports:
            experiment.sweep.write_figures(settings, reports)
            plotting.save_png(convergence_image(settings, experiment, reports), os.path.join(settings.out, "convergence.png"))
    return reports
