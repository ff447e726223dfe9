"""Nothing lost: a run replaces only what it can prove it wrote, and checks every folder before it trains."""

import itertools
import json
import os
import shutil

import pytest

from keras_gan_latent.cli import train as train_cli
from keras_gan_latent.cli.common import run
from keras_gan_latent.errors import UserError
from keras_gan_latent.training import ownership
from keras_gan_latent.experiments.config import TrainConfig

SMALL = ["--batch-size", "64", "--g-width", "16", "--d-width", "16", "--quiet"]


def _fake_run(folder, run_id="old", steps=(100,), marked=True, export=True):
    """A run folder as a finished run leaves it: marker, config, events, checkpoints, its marked export."""
    os.makedirs(os.path.join(folder, ownership.CHECKPOINT_DIR), exist_ok=True)
    if marked:
        ownership.write_marker(folder, "run", run_id)
    with open(os.path.join(folder, ownership.CONFIG_FILE), "w") as f:
        json.dump(TrainConfig(steps=max(steps), seed=3).resolved().to_dict(), f)
    for name in ["events.out.tfevents.1.host.1.v2", ownership.FINAL_FRAME_FILE]:
        with open(os.path.join(folder, name), "w") as f:
            f.write("x")
    with open(os.path.join(folder, ownership.CHECKPOINT_DIR, "checkpoint"), "w") as f:
        f.write("x")
    for step in steps:
        for suffix in (".index", ".data-00000-of-00001"):
            with open(os.path.join(folder, ownership.CHECKPOINT_DIR, f"ckpt-{step}{suffix}"), "w") as f:
                f.write("x")
    if export:
        path = os.path.join(folder, ownership.DEFAULT_EXPORT)
        os.makedirs(path, exist_ok=True)
        with open(os.path.join(path, "saved_model.pb"), "w") as f:
            f.write("x")
        if marked:
            ownership.write_marker(path, "export", run_id)


def _snapshot(root):
    """Every file below `root` with its contents."""
    files = {}
    for folder, _, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            with open(path, "rb") as f:
                files[os.path.relpath(path, root)] = f.read()
    return files


def _train(args, capsys):
    status = run(train_cli.main, "train.py", args)
    return status, capsys.readouterr().err.strip()


# --------------------------------------------------------------- the cases, through train.py


def test_overwrite_of_an_export_dir_that_holds_runs_is_refused_before_training(tmp_path, capsys):
    logs = tmp_path / "logs"
    _fake_run(str(logs / "other_run"))
    before = _snapshot(logs)
    status, err = _train(["--steps", "100", "--logdir", str(logs), "--export-dir", str(logs), "--overwrite"] + SMALL, capsys)
    assert status == 2 and len(err.splitlines()) == 1
    assert "contains the run folder" in err and "would delete the run" in err
    assert _snapshot(logs) == before  # the other run intact, and no new run folder


def test_run_dir_equal_to_export_dir_is_refused_before_training_with_or_without_overwrite(tmp_path, capsys):
    folder = tmp_path / "x"
    for extra in ([], ["--overwrite"]):
        status, err = _train(["--steps", "100", "--run-dir", str(folder), "--export-dir", str(folder)] + extra + SMALL, capsys)
        assert status == 2 and "is the run folder itself" in err and "--overwrite" not in err, err
        assert not folder.exists()


def test_resume_never_replaces_an_unrelated_export_dir(tmp_path, capsys):
    run_dir, unrelated = tmp_path / "run", tmp_path / "mine"
    _fake_run(str(run_dir), steps=(100,))
    unrelated.mkdir()
    (unrelated / "thesis.tex").write_text("precious")
    args = ["--steps", "200", "--seed", "3", "--run-dir", str(run_dir), "--resume"] + SMALL[-1:]
    status, err = _train(args + ["--export-dir", str(unrelated)], capsys)
    assert status == 2 and "is not an export of keras_gan_latent" in err and "delete it yourself" in err, err
    # Another run's export: replaced only with --overwrite, never by --resume alone.
    other = tmp_path / "other_export"
    other.mkdir()
    ownership.write_marker(str(other), "export", "someone else")
    status, err = _train(args + ["--export-dir", str(other)], capsys)
    assert status == 2 and "holds the export of another run; pass --overwrite" in err, err
    assert (unrelated / "thesis.tex").read_text() == "precious" and (other / ownership.EXPORT_MARKER).exists()


def test_new_run_in_an_existing_run_folder_needs_overwrite_and_unmarked_folders_are_refused(tmp_path, capsys):
    marked, legacy, user = tmp_path / "marked", tmp_path / "legacy", tmp_path / "user"
    _fake_run(str(marked))
    _fake_run(str(legacy), marked=False)
    user.mkdir()
    (user / "notes.txt").write_text("mine")
    before = _snapshot(tmp_path)
    cases = [
        (marked, [], "holds a run already; continue it with --resume, replace it with --overwrite"),
        (legacy, ["--overwrite"], "without the marker file .keras_gan_latent_run.json"),
        (user, ["--overwrite"], "was not written by keras_gan_latent"),
        (tmp_path, ["--overwrite"], "holds other runs"),
    ]
    for folder, extra, message in cases:
        status, err = _train(["--steps", "10", "--run-dir", str(folder)] + extra + SMALL, capsys)
        assert status == 2 and len(err.splitlines()) == 1 and message in err, (folder, err)
    assert _snapshot(tmp_path) == before


def test_resume_with_a_changed_setting_names_it(tmp_path, capsys):
    run_dir = tmp_path / "run"
    _fake_run(str(run_dir))
    status, err = _train(["--steps", "200", "--seed", "3", "--latent-dim", "5", "--run-dir", str(run_dir), "--resume"], capsys)
    assert status == 2 and len(err.splitlines()) == 1
    assert "--latent-dim 2 (given 5)" in err and "config.json" in err and "corrupt" not in err, err
    # What only changes the length, logging or saving of the run may differ.
    config = TrainConfig(steps=500, seed=3, checkpoint_every=50, run_dir=str(run_dir), resume=True).resolved().with_run_dir()
    ownership.check_resume_settings(config)


def test_a_run_recorded_before_mlp_archs_resumes_with_the_article_networks_only(tmp_path):
    run_dir = tmp_path / "run"
    _fake_run(str(run_dir))
    path = run_dir / ownership.CONFIG_FILE
    path.write_text(json.dumps({**json.loads(path.read_text()), "arch": "light"}))  # as such runs recorded
    config = TrainConfig(steps=500, seed=3, run_dir=str(run_dir), resume=True).resolved().with_run_dir()
    assert config.arch == "article"
    ownership.check_resume_settings(config)
    pacgan = TrainConfig(steps=500, seed=3, arch="pacgan", run_dir=str(run_dir), resume=True).resolved().with_run_dir()
    with pytest.raises(UserError, match="--arch 'article' \\(given 'pacgan'\\)"):
        ownership.check_resume_settings(pacgan)


@pytest.mark.slow
def test_overwrite_replaces_the_old_runs_checkpoints_events_and_export_only(tmp_path, capsys):
    run_dir = tmp_path / "run"
    args = ["--run-dir", str(run_dir), "--checkpoint-every", "20", "--scalar-every", "100", "--image-every", "100",
            "--steps-per-execution", "100"] + SMALL
    assert _train(["--steps", "40", "--seed", "1"] + args, capsys)[0] == 0
    first = ownership.read_marker(str(run_dir), "run")["run_id"]
    (run_dir / "notes.txt").write_text("mine")
    assert _train(["--steps", "30", "--seed", "2", "--overwrite"] + args, capsys)[0] == 0
    second = ownership.read_marker(str(run_dir), "run")["run_id"]
    assert second != first
    # The first run's ckpt-20 and ckpt-40 are gone; 30 steps are one execution, saved at its end.
    assert sorted(os.listdir(run_dir / "checkpoints")) == ["checkpoint", "ckpt-30.data-00000-of-00001", "ckpt-30.index"]
    assert len([n for n in os.listdir(run_dir) if n.startswith("events.out.tfevents")]) == 1
    assert json.loads((run_dir / "config.json").read_text())["seed"] == 2
    assert ownership.read_marker(str(run_dir / "generator"), "export")["run_id"] == second
    assert (run_dir / "notes.txt").read_text() == "mine"


# --------------------------------------------------------------- the rule, over every arrangement of folders


FOLDERS = ["", "a", "a/b", "a/b/c", "a/b/c/out", "a/b/generator", "a/b/generator/inner", "a/b/checkpoints",
           "a/b/config.json", "d", "d/run2", "e"]


@pytest.mark.parametrize("overwrite, resume", [(False, False), (True, False), (False, True), (True, True)])
def test_nothing_but_the_packages_own_files_is_ever_replaced(tmp_path, overwrite, resume):
    """For every (run dir, export dir) among nested, equal, parent and sibling folders of a tree that
    holds another run, a user's file and a legacy export: whatever the checks let through, carrying
    it out (marking and clearing the run folder, replacing the export as `export_generator` does)
    removes no file the package did not write nor another run's, and the export never contains the
    run folder."""
    accepted = 0
    for run_rel, export_rel in itertools.product(FOLDERS, FOLDERS):
        root = tmp_path / f"case_{run_rel or 'root'}_{export_rel or 'root'}".replace("/", "-")
        _fake_run(str(root / "a" / "b"), run_id="ab")
        _fake_run(str(root / "d" / "run2"), run_id="run2")
        (root / "a" / "b" / "notes.txt").write_text("user")
        os.makedirs(root / "a" / "legacy_export")
        (root / "a" / "legacy_export" / "saved_model.pb").write_text("legacy")
        user_files = {"a/b/notes.txt", "a/legacy_export/saved_model.pb"}
        # Another run's files, unless it is the run folder given with --overwrite (replacing it is the point).
        others = set() if (run_rel, overwrite) == ("d/run2", True) else {p for p in _snapshot(root) if p.startswith("d/run2/")}
        before = _snapshot(root)
        run_dir, export_dir = str(root / run_rel), str(root / export_rel)
        config = TrainConfig(seed=3, steps=100, run_dir=run_dir, export_dir=export_dir, overwrite=overwrite,
                             resume=resume).resolved().with_run_dir()
        try:
            ownership.check_run_folders(config)
        except UserError:
            assert _snapshot(root) == before
            continue
        accepted += 1
        real_run, real_export = os.path.realpath(run_dir), os.path.realpath(export_dir)
        assert not (real_run + os.sep).startswith(real_export + os.sep), (run_rel, export_rel)
        run_id = ownership.start_run(config)
        ownership.check_export_target(export_dir, overwrite, run_id)
        if os.path.exists(export_dir):
            shutil.rmtree(export_dir)
        os.makedirs(export_dir)
        ownership.write_marker(export_dir, "export", run_id)
        after = _snapshot(root)
        lost = {p for p in before if p not in after}
        assert not lost & (user_files | others), (run_rel, export_rel, overwrite, resume, lost)
        if resume:
            assert not any("ckpt-" in p for p in lost)  # a resumed run keeps its checkpoints
    assert accepted >= 2  # the rule lets real runs through (e.g. a new run in a/b/c exporting to d)


def test_no_run_or_export_inside_an_export(tmp_path):
    _fake_run(str(tmp_path / "run"))
    export = str(tmp_path / "run" / "generator")
    for run_dir, export_dir in ((os.path.join(export, "inner"), None), (str(tmp_path / "new"), os.path.join(export, "sub"))):
        config = TrainConfig(seed=3, run_dir=run_dir, export_dir=export_dir).resolved().with_run_dir()
        with pytest.raises(UserError, match=f"lies inside the export '{export}', which is replaced whole"):
            ownership.check_run_folders(config)


def test_clear_run_removes_only_what_the_run_wrote(tmp_path):
    run_dir = tmp_path / "run"
    _fake_run(str(run_dir), run_id="r1", steps=(100, 200))
    (run_dir / "notes.txt").write_text("mine")
    (run_dir / ownership.CHECKPOINT_DIR / "mine.txt").write_text("mine too")
    inner = run_dir / "nested_run"
    _fake_run(str(inner), run_id="r2")
    ownership.write_marker(str(run_dir / "generator"), "export", "someone else")  # not this run's export
    ownership.clear_run(str(run_dir), "r1")
    assert sorted(os.listdir(run_dir)) == ["checkpoints", "generator", "nested_run", "notes.txt"]
    assert os.listdir(run_dir / ownership.CHECKPOINT_DIR) == ["mine.txt"]
    assert ownership.read_marker(str(inner), "run")["run_id"] == "r2" and len(_snapshot(inner)) == 9
