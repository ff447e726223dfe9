"""What a run may replace: marker files, and every check of a run's folders before it trains.

The package deletes or replaces only what it can prove it wrote. Every run
folder it creates carries `RUN_MARKER` and every export `EXPORT_MARKER`:
small JSON files naming the package, the kind of folder and the run's id
(`run_id`, new for each run, kept by `--resume`). So:

* an export is replaced only if it carries the export marker, and then only
  with `overwrite` or when it is this very run's export (a resumed run
  re-exporting);
* a run folder is reused only with `resume` (its checkpoints continue) or,
  with `overwrite`, if it carries the run marker; its previous run's files
  (`RUN_FILES`, its checkpoints and its marked export inside it) are then
  removed, and nothing else in it;
* the export folder is never the run folder, a folder that contains it or
  other runs, or one of the names a run writes inside its folder; neither
  folder lies inside an export (which is replaced whole).

`check_run_folders` checks all of this before anything is built or written
(it imports no TensorFlow); `start_run` and `check_export_target` act on it
when the run writes.
"""

import fnmatch
import glob
import json
import os
import shutil
import time
import uuid

from keras_gan_latent.errors import UserError
from keras_gan_latent.fileio import atomic_write_json, check_writable_dir, is_nonempty_dir

PACKAGE = "keras_gan_latent"
RUN_MARKER = ".keras_gan_latent_run.json"  # in every run folder the package creates
EXPORT_MARKER = ".keras_gan_latent_export.json"  # in every export the package writes
CONFIG_FILE = "config.json"  # the run's settings, in its run folder
CHECKPOINT_DIR = "checkpoints"  # the run's checkpoints, in its run folder
FINAL_FRAME_FILE = "final_frame.png"  # the view's frame of the finished run, in its run folder
ANIMATION_FILE = "animation.gif"
EVENT_FILES = "events.out.tfevents.*"
DEFAULT_EXPORT = "generator"  # the export's folder inside the run folder unless --export-dir says otherwise
# What a run writes at the top of its folder (besides its checkpoints and its export).
RUN_FILES = (RUN_MARKER, CONFIG_FILE, FINAL_FRAME_FILE, ANIMATION_FILE, EVENT_FILES)
# What `tf.train.CheckpointManager` writes in `CHECKPOINT_DIR`.
CHECKPOINT_FILES = ("checkpoint", "ckpt-*.index", "ckpt-*.data-*", "*.tmp*")

# Settings a resumed run may change: they decide how long it runs and how it
# is logged, saved and computed, not what is trained.
RESUMABLE_CHANGES = frozenset({
    "steps", "resume", "overwrite", "logdir", "run_dir", "export_dir", "scalar_every", "image_every",
    "animate", "animate_every", "steps_per_execution", "checkpoint_every", "keep_checkpoints", "jit_compile",
    "mode_report_samples", "deterministic", "strategy",
})


def read_marker(folder, kind):
    """The marker of `kind` ("run" or "export") in `folder`, or None if it has none (or another's).

    Returns:
        The marker's dict (`package`, `kind`, `run_id`, `created`).
    """
    name = RUN_MARKER if kind == "run" else EXPORT_MARKER
    try:
        with open(os.path.join(folder, name)) as f:
            marker = json.load(f)
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or marker.get("package") != PACKAGE or marker.get("kind") != kind:
        return None
    return marker


def write_marker(folder, kind, run_id):
    """Writes the marker of `kind` ("run" or "export") of run `run_id` into `folder` (atomically)."""
    name = RUN_MARKER if kind == "run" else EXPORT_MARKER
    atomic_write_json(
        os.path.join(folder, name),
        {"package": PACKAGE, "kind": kind, "run_id": run_id, "created": time.strftime("%Y-%m-%dT%H:%M:%S%z")},
    )


def _real(path):
    return os.path.realpath(os.path.abspath(path))


def _inside(path, folder):
    """Whether `path` is `folder` or lies inside it (both resolved)."""
    return path == folder or path.startswith(folder.rstrip(os.sep) + os.sep)


def runs_inside(folder, limit=1, max_depth=None):
    """Up to `limit` run folders (carrying `RUN_MARKER`) at or below `folder`.

    Args:
        folder: Where to look.
        limit: How many to find at most.
        max_depth: Folder levels below `folder` to look into (None: all);
            a bound for what only names an example in a message, so a
            mistaken `--export-dir ~` is not walked whole.
    """
    found = []
    top = folder.rstrip(os.sep).count(os.sep)
    for root, dirs, files in os.walk(folder):
        if RUN_MARKER in files and read_marker(root, "run"):
            found.append(root)
            if len(found) >= limit:
                break
        depth = root.rstrip(os.sep).count(os.sep) - top
        dirs[:] = [] if max_depth is not None and depth >= max_depth else [d for d in dirs if d != CHECKPOINT_DIR]
    return found


def _enclosing_export(path):
    """The nearest folder above `path` (not `path` itself) that carries the export marker, or None."""
    folder = os.path.dirname(_real(path))
    while True:
        if read_marker(folder, "export"):
            return folder
        parent = os.path.dirname(folder)
        if parent == folder:
            return None
        folder = parent


def _looks_like_a_run(folder):
    return os.path.isfile(os.path.join(folder, CONFIG_FILE)) or bool(glob.glob(os.path.join(folder, EVENT_FILES)))


def check_run_folders(config):
    """Checks a run's folders against what it would write and replace, before anything is built.

    Args:
        config: A resolved `TrainConfig` with its folders (`with_run_dir()`).

    Raises:
        UserError: an unwritable folder; an export dir that is the run
            folder, contains it, or is a name the run writes in it; a
            non-empty run folder without `resume` that is not a run of this
            package (or is, without `overwrite`); a resume without
            checkpoints or with settings that differ from the run's
            `config.json`; a non-empty export dir that is not an export of
            this package, or one of another run without `overwrite`.
    """
    run_dir, export_dir = config.run_dir, config.export_dir
    check_writable_dir(run_dir, "logdir")
    check_writable_dir(export_dir, "export dir")
    _check_export_placement(run_dir, export_dir)
    for what, path in (("run dir", run_dir), ("export dir", export_dir)):
        export = _enclosing_export(path)
        if export:
            raise UserError(
                f"{what} {path!r} lies inside the export {export!r}, which is replaced whole when its run "
                "exports again; give a folder outside it"
            )
    run_marker = read_marker(run_dir, "run")
    if config.resume:
        if not os.path.isdir(os.path.join(run_dir, CHECKPOINT_DIR)):
            raise UserError(f"nothing to resume: {run_dir!r} has no checkpoints")
        check_resume_settings(config)
    if not _writes_files(config):
        return  # a multi-worker run's other workers write into scratch folders
    if not config.resume and is_nonempty_dir(run_dir):
        _check_new_run_in(run_dir, run_marker, config.overwrite)
    # This run's own export may be replaced: a resumed run exports again, and
    # an overwritten run folder takes its old export with it.
    own = run_marker["run_id"] if run_marker and (config.resume or config.overwrite) else None
    check_export_target(export_dir, config.overwrite, own)


def _writes_files(config):
    """Whether this process writes the run's files: always, but in a multi-worker run only its chief.

    Read from `TF_CONFIG` as `tf.distribute` does (the `chief` task, else
    worker 0), so it is known before TensorFlow starts.
    """
    if config.strategy != "multiworker":
        return True
    try:
        tf_config = json.loads(os.environ.get("TF_CONFIG", ""))
        task, cluster = tf_config["task"], tf_config["cluster"]
        if "chief" in cluster:
            return task["type"] == "chief"
        return task["type"] == "worker" and int(task["index"]) == 0
    except (ValueError, KeyError, TypeError):
        return True  # `distribute.make_strategy` explains a bad TF_CONFIG


def _check_export_placement(run_dir, export_dir):
    """The export is a folder of its own: not the run folder, not around it, not one of the run's own files."""
    run, export = _real(run_dir), _real(export_dir)
    default = os.path.join(run_dir, DEFAULT_EXPORT)
    if export == run:
        raise UserError(
            f"--export-dir {export_dir!r} is the run folder itself; exporting there would replace the run's "
            f"checkpoints and events; give a folder of its own (default {default!r})"
        )
    if _inside(run, export):
        raise UserError(
            f"--export-dir {export_dir!r} contains the run folder {run_dir!r}; replacing the export would delete "
            f"the run; give a folder outside it (default {default!r})"
        )
    if _inside(export, run):
        first = os.path.relpath(export, run).split(os.sep)[0]
        if any(fnmatch.fnmatch(first, pattern) for pattern in RUN_FILES + (CHECKPOINT_DIR,)):
            raise UserError(
                f"--export-dir {export_dir!r} is {first!r} of the run folder, which the run writes itself; "
                f"give another folder (default {default!r})"
            )


def _check_new_run_in(run_dir, run_marker, overwrite):
    """A new run in a non-empty folder: only in a marked run folder, and only with `overwrite`."""
    if run_marker:
        if not overwrite:
            raise UserError(
                f"run dir {run_dir!r} holds a run already; continue it with --resume, replace it with "
                "--overwrite, or give another --run-dir"
            )
        return
    others = runs_inside(run_dir, max_depth=3)
    if others:
        raise UserError(
            f"run dir {run_dir!r} holds other runs (such as {others[0]!r}); give a folder of its own "
            "(or leave --run-dir out: each run gets a new folder under --logdir)"
        )
    if _looks_like_a_run(run_dir):
        raise UserError(
            f"run dir {run_dir!r} holds a run without the marker file {RUN_MARKER} (written before markers, "
            "or by hand), which this package never deletes; delete it yourself or give another --run-dir"
        )
    raise UserError(
        f"run dir {run_dir!r} exists, is not empty and was not written by {PACKAGE}; give a new or empty folder"
    )


def check_export_target(path, overwrite, own_run_id=None):
    """Checks that an export may be written to `path`.

    `path` may be missing or empty; otherwise it must carry `EXPORT_MARKER`
    (and hold no run), and be replaced only with `overwrite` or when its
    marker names `own_run_id` (this run's own export).

    Args:
        path: The export folder.
        overwrite: Whether another run's marked export may be replaced.
        own_run_id: The id of the run that writes the export, if any.

    Raises:
        UserError: saying what `path` holds and how to proceed.
    """
    check_writable_dir(path, "export dir")
    if not is_nonempty_dir(path):
        return
    marker = read_marker(path, "export")
    if marker is None:
        others = runs_inside(path, max_depth=3)
        if others and _real(others[0]) == _real(path):
            what = "is a run folder"
        elif others:
            what = f"holds runs (such as {others[0]!r})"
        elif os.path.isfile(os.path.join(path, "saved_model.pb")):
            what = (f"holds a SavedModel without the marker file {EXPORT_MARKER} (written before markers, or "
                    "by hand)")
        else:
            what = f"is not empty and is not an export of {PACKAGE}"
        raise UserError(
            f"export dir {path!r} {what}; this package replaces only exports it marked: delete it yourself "
            "or give another --export-dir"
        )
    others = runs_inside(path)
    if others:
        raise UserError(f"export dir {path!r} holds runs (such as {others[0]!r}); give another --export-dir")
    if not overwrite and (own_run_id is None or marker.get("run_id") != own_run_id):
        raise UserError(
            f"export dir {path!r} holds the export of another run; pass --overwrite to replace it, or give "
            "another --export-dir"
        )


def check_resume_settings(config):
    """Refuses a resume whose settings differ from the run's `config.json` in what is trained.

    Only `RESUMABLE_CHANGES` may differ (how long, how logged and saved);
    a changed network, prior, loss, optimizer or seed would not restore or
    would silently train another run.

    Raises:
        UserError: naming each differing setting, the run's value and the
            given one.
    """
    path = os.path.join(config.run_dir, CONFIG_FILE)
    try:
        with open(path) as f:
            recorded = config.upgrade_record(json.load(f))
    except (OSError, ValueError):
        return  # a run killed before writing it: the checkpoints decide
    given = config.to_dict()
    differing = [
        name for name in sorted(set(recorded) & set(given))
        if name not in RESUMABLE_CHANGES and recorded[name] != given[name]
    ]
    if differing:
        changes = ", ".join(f"{_flag(n)} {recorded[n]!r} (given {given[n]!r})" for n in differing)
        raise UserError(
            f"cannot resume {config.run_dir!r} with other settings: the run has {changes}; resume with the "
            f"run's settings (its {CONFIG_FILE}) or start a new run"
        )


def _flag(name):
    return "--" + name.replace("_", "-")


def start_run(config):
    """Marks the run folder before the run writes into it; returns the run's id.

    A resumed run keeps its id (a run written before markers gets one now).
    A new run in a marked folder (`overwrite`, checked by
    `check_run_folders`) first removes the previous run's files: its
    `RUN_FILES`, its checkpoints and its marked export in `DEFAULT_EXPORT`;
    anything else in the folder stays.

    Args:
        config: The run's resolved `TrainConfig`.

    Returns:
        The run's id (the `run_id` of its markers).
    """
    run_dir = config.run_dir
    marker = read_marker(run_dir, "run")
    if config.resume and marker:
        return marker["run_id"]
    if marker and not config.resume:
        clear_run(run_dir, marker["run_id"])
    os.makedirs(run_dir, exist_ok=True)
    run_id = uuid.uuid4().hex
    write_marker(run_dir, "run", run_id)
    return run_id


def clear_run(run_dir, run_id):
    """Removes what the run `run_id` wrote in its marked `run_dir`, and nothing else.

    Its top-level files (`RUN_FILES`), the checkpoint files in
    `CHECKPOINT_DIR` (the folder too once empty), and its export in
    `DEFAULT_EXPORT` if that carries this run's export marker.
    """
    for pattern in RUN_FILES:
        for path in glob.glob(os.path.join(glob.escape(run_dir), pattern)):
            if os.path.isfile(path):
                os.remove(path)
    checkpoint_dir = os.path.join(run_dir, CHECKPOINT_DIR)
    for pattern in CHECKPOINT_FILES:
        for path in glob.glob(os.path.join(glob.escape(checkpoint_dir), pattern)):
            if os.path.isfile(path):
                os.remove(path)
    if os.path.isdir(checkpoint_dir) and not os.listdir(checkpoint_dir):
        os.rmdir(checkpoint_dir)
    export = os.path.join(run_dir, DEFAULT_EXPORT)
    marker = read_marker(export, "export")
    if marker and marker.get("run_id") == run_id and not runs_inside(export):
        shutil.rmtree(export)
