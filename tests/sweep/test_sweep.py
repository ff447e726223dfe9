"""The latent-dimension sweep end to end, toy and DCGAN: tables, figures, HParams, resuming, bad input."""

import contextlib
import csv
import dataclasses
import glob
import io
import json
import os
import re
import shutil
import subprocess
import time

import numpy as np
import pytest
import scipy.stats
from PIL import Image

from conftest import checkout_env, read_event_steps, script
from keras_gan_latent import sweep
from keras_gan_latent.experiments import mnist as mnist_experiment
from keras_gan_latent.cli import sweep as sweep_cli
from keras_gan_latent.cli.common import run
from keras_gan_latent.errors import UserError
from keras_gan_latent.training import ownership

STEPS = 20  # tiny: a cell's cost is then mostly fixed (compile, summaries, export)
RESUMED_AT = 10  # the fixture's cut-off run of spiral z2 stopped here
TINY = ["--steps", str(STEPS), "--num-samples", "300", "--seeds", "0", "--quiet"]
GRID = ["--latent-dims", "1,2", "--targets", "eight_gaussians,spiral"]
CELLS = [(t, k) for t in ("eight_gaussians", "spiral") for k in (1, 2)]


def run_sweep_cli(args):
    try:
        return run(sweep_cli.main, "sweep.py", args)
    except SystemExit as exc:  # argparse's own errors
        return exc.code


@pytest.fixture(scope="module")
def finished_sweep(tmp_path_factory):
    """A 2 x 2 sweep (latent dims 1, 2 x eight_gaussians, spiral), one seed, made in two goes.

    The first invocation runs the eight_gaussians row; then a killed run of
    spiral z1 leaves a marked folder without evaluation.json or a checkpoint
    (with an event file, its marked export and a file it did not write), and a run of spiral z2 cut off at step 10 leaves its
    checkpoint; the second invocation, over the whole grid, must skip the
    finished row, redo the first killed cell and resume the second. Returns
    `(out, stdout of the second invocation)`.
    """
    from keras_gan_latent import experiments

    out = str(tmp_path_factory.mktemp("sweep") / "out")
    assert run_sweep_cli(["--latent-dims", "1,2", "--targets", "eight_gaussians", "--out", out] + TINY) == 0
    settings = sweep.SweepSettings(latent_dims=(1, 2), targets=("spiral",), seeds=(0,), steps=STEPS, out=out).resolved()
    cut_off = dataclasses.replace(settings.train_config("spiral", 2, 0), steps=RESUMED_AT)
    experiments.train(cut_off, verbose=0)
    killed = run_dir(out, "spiral", 1)
    os.makedirs(os.path.join(killed, "generator"))  # a run marks its folder first thing, then writes
    ownership.write_marker(killed, "run", "killed")
    ownership.write_marker(os.path.join(killed, "generator"), "export", "killed")
    open(os.path.join(killed, "generator", "saved_model.pb"), "w").close()
    open(os.path.join(killed, "events.out.tfevents.0.killed.v2"), "w").close()
    open(os.path.join(killed, "not_the_runs"), "w").close()
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        assert run_sweep_cli(GRID + TINY + ["--out", out]) == 0
    return out, stdout.getvalue()


def run_dir(out, target, latent_dim, seed=0):
    return os.path.join(out, "runs", f"{target}_z{latent_dim}_s{seed}")


def result_dir(out, target, latent_dim, seed=0):
    return os.path.join(out, "results", f"{target}_z{latent_dim}_s{seed}")


def read_csv(out):
    with open(os.path.join(out, "results.csv")) as f:
        return list(csv.DictReader(f))


def read_png(path):
    with Image.open(path) as image:
        return np.asarray(image.convert("RGB"))


def test_sweep_writes_runs_tables_and_figures(finished_sweep):
    from keras_gan_latent import evaluation

    out, _ = finished_sweep
    for name in ("results.csv", "results.md", "grid.png", "latent_views.png", "convergence.png", "sweep_config.json"):
        assert os.path.isfile(os.path.join(out, name)), name
    assert not os.path.exists(os.path.join(out, "montage.png"))  # the DCGAN's figure
    with open(os.path.join(out, ".gitignore")) as f:
        assert f.read().split() == ["runs/", "*.lock"]  # results/ and the tables are committable
    with open(os.path.join(out, "sweep_config.json")) as f:
        config = json.load(f)
    assert config["latent_dims"] == [1, 2] and config["steps"] == STEPS and config["num_samples"] == 300
    assert config["model"] == "mlp" and config["arch"] is None and config["data"] is None

    rows = read_csv(out)
    assert [(r["target"], int(r["latent_dim"]), int(r["seed"])) for r in rows] == [(t, k, 0) for t, k in CELLS]
    for row, (target, latent_dim) in zip(rows, CELLS):
        path, kept = run_dir(out, target, latent_dim), result_dir(out, target, latent_dim)
        with open(os.path.join(kept, "evaluation.json")) as f:
            report = json.load(f)
        assert report["target"] == target and report["num_samples"] == 300
        for key, value in evaluation.summary_row(report).items():
            expected = sweep.missing_text(key) if value is None else value
            assert row[key] == str(expected), key
        with open(os.path.join(path, "config.json")) as f:
            run_config = json.load(f)
        assert run_config["latent_dim"] == latent_dim and run_config["animate"] is False
        assert not os.path.exists(os.path.join(path, "animation.gif"))  # only with --animate
        assert os.path.isfile(os.path.join(path, "generator", "saved_model.pb"))
        assert np.load(os.path.join(kept, "samples.npy")).shape == (300, 2)
        assert os.path.isfile(os.path.join(kept, "latent_view.png"))
        with open(os.path.join(kept, "run.json")) as f:
            record = json.load(f)
        assert record["config"] == run_config
        assert record["git"] is None or len(record["git"]["commit"]) == 40
        assert record["training_seconds"] > 0 and record["evaluation_seconds"] > 0
        resumed = (target, latent_dim) == ("spiral", 2)
        assert record["resumed"] is resumed
        assert record["trained_steps"] == (STEPS - RESUMED_AT if resumed else STEPS)
        with open(os.path.join(kept, "curve.json")) as f:
            curve = json.load(f)
        # The convergence scalars of every image summary, from step 0 to the end.
        js = curve["convergence/js"]
        assert js["step"][0] == 0 and js["step"][-1] == STEPS and len(js["step"]) >= 3
        assert all(-0.05 < v <= np.log(2) + 1e-6 for v in js["value"])
        assert ("convergence/modes_covered" in curve) == (target == "eight_gaussians")
        late = [v for step, v in zip(js["step"], js["value"]) if step >= 0.7 * STEPS]  # the last 30 % of training
        assert float(row["late_js"]) == pytest.approx(np.mean(late), rel=1e-9)
        assert set(os.listdir(kept)) <= {"evaluation.json", "run.json", "curve.json", "samples.npy", "latent_view.png"}
    assert 0 <= int(rows[0]["modes_covered"]) <= 8 and rows[2]["modes_covered"] == ""  # the spiral has no modes

    markdown = open(os.path.join(out, "results.md")).read()
    assert "## eight_gaussians (latent prior: normal)" in markdown and "## spiral" in markdown
    assert "| 1 | 1/1 |" in markdown and "| 2 | 1/1 |" in markdown

    grid = read_png(os.path.join(out, "grid.png"))
    assert abs(grid.shape[0] - 460) <= 2 and abs(grid.shape[1] - 440) <= 2  # 2 x 2 panels
    rgb = grid.astype(int)
    red = (rgb[..., 0] > rgb[..., 1] + 60) & (rgb[..., 0] > rgb[..., 2] + 60)
    assert red.sum() > 500  # the generated samples are drawn in red
    views = read_png(os.path.join(out, "latent_views.png"))
    one_view = read_png(os.path.join(result_dir(out, "spiral", 1), "latent_view.png"))
    assert views.shape == (2 * one_view.shape[0], 2 * one_view.shape[1], 3)  # rows targets, columns z=1, z=2


def hparams_of(path):
    """The hparams of a run's `_hparams_/session_start_info` summary."""
    import tensorflow as tf
    from tensorboard.plugins.hparams import metadata

    for event_file in glob.glob(os.path.join(path, "events.out.tfevents.*")):
        for event in tf.compat.v1.train.summary_iterator(event_file):
            for value in event.summary.value:
                if value.tag == metadata.SESSION_START_INFO_TAG:
                    info = metadata.parse_session_start_info_plugin_data(value.metadata.plugin_data.content)
                    return {k: getattr(v, v.WhichOneof("kind")) for k, v in info.hparams.items()}
    return None


def test_runs_carry_hparams_and_final_scores(finished_sweep):
    out, _ = finished_sweep
    assert "_hparams_/experiment" in read_event_steps(os.path.join(out, "runs"))
    for target, latent_dim in CELLS:
        path = run_dir(out, target, latent_dim)
        steps = read_event_steps(path)
        assert "_hparams_/session_start_info" in steps
        assert steps["eval/js"] == [STEPS] and steps["eval/mmd"] == [STEPS]
        interval = sweep.summary_intervals(STEPS)
        assert steps["train/d_loss"] == list(range(interval["scalar_every"], STEPS + 1, interval["scalar_every"]))
        assert steps["convergence/js"] == list(range(0, STEPS + 1, interval["image_every"]))
        assert ("eval/modes_covered" in steps) == (target == "eight_gaussians")
        assert hparams_of(path) == {
            "target": target, "latent_dim": latent_dim, "prior": "normal", "seed": 0, "steps": STEPS,
        }


def test_resumed_sweep_skipped_finished_cells_and_redid_the_killed_one(finished_sweep):
    out, stdout = finished_sweep
    assert stdout.count("done before, skipped") == 2  # the eight_gaussians row of the first go
    assert "[3/4] spiral_z1_s0: unfinished run folder without a checkpoint, starting over" in stdout
    assert "[4/4] spiral_z2_s0: unfinished run with a checkpoint, resuming it" in stdout
    killed = run_dir(out, "spiral", 1)
    assert not os.path.exists(os.path.join(killed, "events.out.tfevents.0.killed.v2"))  # the killed run's files go
    assert os.path.exists(os.path.join(killed, "not_the_runs"))  # nothing else does
    assert os.path.isfile(os.path.join(result_dir(out, "spiral", 1), "evaluation.json"))
    assert os.path.getsize(os.path.join(killed, "generator", "saved_model.pb")) > 0
    # The resumed run's summaries continue from its checkpoint, each step once.
    assert read_event_steps(run_dir(out, "spiral", 2))["train/d_loss"] == [2, 4, 6, 8, 10, 12, 14, 16, 18, 20]


def must_not_train(*args, **kwargs):
    raise AssertionError("a finished cell was trained again")


def test_rerun_of_a_finished_sweep_trains_nothing(finished_sweep, tmp_path, monkeypatch, capsys):
    out = str(tmp_path / "out")
    # What a commit keeps (a fresh clone): everything but the runs and locks.
    shutil.copytree(finished_sweep[0], out, ignore=shutil.ignore_patterns("runs", "*.lock"))
    evaluations = [os.path.join(result_dir(out, t, k), "evaluation.json") for t, k in CELLS]
    mtimes = [os.stat(p).st_mtime_ns for p in evaluations]
    monkeypatch.setattr(sweep.runner, "run_cell", must_not_train)
    assert run_sweep_cli(GRID + TINY + ["--out", out]) == 0
    assert capsys.readouterr().out.count("done before, skipped") == 4
    assert [os.stat(p).st_mtime_ns for p in evaluations] == mtimes
    assert read_csv(out) == read_csv(finished_sweep[0])
    assert read_png(os.path.join(out, "grid.png")).shape == read_png(os.path.join(finished_sweep[0], "grid.png")).shape
    # --merge rebuilds the tables without looking at a cell's training.
    os.remove(os.path.join(out, "results.md"))
    assert run_sweep_cli(GRID + TINY + ["--merge", "--out", out]) == 0
    assert open(os.path.join(out, "results.md")).read() == open(os.path.join(finished_sweep[0], "results.md")).read()


def test_sweep_written_before_the_dcgan_joined_still_resumes(finished_sweep, tmp_path, monkeypatch, capsys):
    out = str(tmp_path / "out")
    shutil.copytree(finished_sweep[0], out)
    config_path = os.path.join(out, "sweep_config.json")
    with open(config_path) as f:
        config = json.load(f)
    with open(config_path, "w") as f:
        json.dump({k: v for k, v in config.items() if k not in ("model", "arch", "data")}, f)
    assert run_sweep_cli(["--model", "dcgan", "--out", out]) == 2  # an old sweep is a toy sweep
    assert "holds a sweep with --model mlp, not dcgan" in capsys.readouterr().err
    monkeypatch.setattr(sweep.runner, "run_cell", must_not_train)
    assert run_sweep_cli(GRID + TINY + ["--out", out]) == 0
    assert capsys.readouterr().out.count("done before, skipped") == 4
    with open(config_path) as f:
        assert json.load(f)["model"] == "mlp"


def copy_as_seed1(out, target, latent_dim, edit):
    """Makes seed 1 of a cell, finished: seed 0's results with `edit(report)` applied."""
    seed1 = result_dir(out, target, latent_dim, seed=1)
    shutil.copytree(result_dir(out, target, latent_dim), seed1)
    with open(os.path.join(seed1, "evaluation.json")) as f:
        report = json.load(f)
    edit(report)
    with open(os.path.join(seed1, "evaluation.json"), "w") as f:
        json.dump(report, f)


def test_seeds_are_tabled_as_mean_and_interval(finished_sweep, tmp_path, monkeypatch):
    out = str(tmp_path / "out")
    shutil.copytree(finished_sweep[0], out)
    # Seed 1 of every cell: seed 0's run with every JS estimate 0.1 higher.
    for target, latent_dim in CELLS:
        copy_as_seed1(out, target, latent_dim, lambda report: report["divergences"]["js"].update(
            estimate=report["divergences"]["js"]["estimate"] + 0.1))
    monkeypatch.setattr(sweep.runner, "run_cell", must_not_train)
    assert run_sweep_cli(GRID + TINY + ["--seeds", "0,1", "--out", out]) == 0

    rows = read_csv(out)
    assert [(r["target"], int(r["latent_dim"]), int(r["seed"])) for r in rows] == [
        (t, k, s) for t, k in CELLS for s in (0, 1)
    ]
    markdown = open(os.path.join(out, "results.md")).read()
    header = next(line for line in markdown.splitlines() if line.startswith("| latent dim"))
    js, mmd = header.split(" | ").index("js"), header.split(" | ").index("mmd")
    lines = [line.rstrip(" |") for line in markdown.splitlines()]
    table_rows = [line.split(" | ") for line in lines if line.startswith(("| 1 |", "| 2 |"))]
    assert len(table_rows) == 4
    for cells in table_rows:
        assert cells[1] == "2/2"
        # (x, x + 0.1): s = 0.0707, so the 95 % interval is x + 0.05 +- 12.71 * 0.0707 / sqrt(2).
        assert cells[js].endswith(" ± 0.64"), cells
        assert cells[mmd].endswith(" ± 0"), cells  # the same value twice
    # "How much noise": one row per target and criterion (late JS), answered by the declared rule.
    assert "## How much noise?" in markdown
    noise = [line for line in markdown.splitlines() if line.startswith(("| eight_gaussians |", "| spiral |"))]
    assert [line.split(" | ")[2] for line in noise] == ["late_js (lower is better, margin 0.02)"] * 2
    assert all(re.fullmatch(r"(1|2|undetermined between 1 and 2) \|", line.split(" | ")[-1]) for line in noise), noise


def test_mean_and_interval_never_show_a_meaningless_number():
    assert sweep.mean_interval_text([1.0, 2.0, 3.0], "js") == "2 ± 2.5"  # 4.30 * 1 / sqrt(3)
    assert sweep.mean_interval_text([0.25], "js") == "0.25"
    assert sweep.mean_interval_text([0.5, None], "kl_g_data") == "inf"  # infinite for one seed: infinite mean
    assert sweep.mean_interval_text([None, None], "mode_kl") == "n/a"
    assert sweep.mean_interval_text([0.5, None, 0.7], "mode_kl") == "0.6 ± 1.3 (2 of 3 seeds)"
    # Large values are written plainly at the same significant digits, never as "1.4e+02".
    assert sweep.mean_interval_text([100.0, 200.0], "frechet") == "150 ± 640"  # 12.71 * 70.7 / sqrt(2) = 635
    assert sweep.mean_interval_text([1234.5, 1234.5], "frechet") == "1230 ± 0"
    assert sweep.mean_interval_text([-99960.0], "log_likelihood") == "-100000"
    rows = [{"target": "spiral", "latent_dim": 1, "seed": 0, "kl_g_data": None, "js": None, "mmd": 0.5}]
    assert sweep.results_csv(rows).splitlines() == ["target,latent_dim,seed,kl_g_data,js,mmd", "spiral,1,0,inf,n/a,0.5"]


def test_how_much_noise_is_the_declared_rule_per_criterion():
    rows = [
        {"latent_dim": k, "late_js": v, "modes": m}
        for k, values in ((1, (0.60, 0.62, 0.61)), (2, (0.20, 0.30, 0.25)), (3, (0.050, 0.051, 0.052)),
                          (10, (0.049, 0.050, 0.051)))
        for v, m in zip(values, (5, 8, 8))
    ]
    # 3 is within late JS's margin of the best (10) by the whole Welch interval, 1 and 2 are worse.
    answer = sweep.noise_answer(rows, (1, 2, 3, 10), "late_js", "lower")
    assert (answer.best, answer.text()) == (10, "3")
    rows[6]["late_js"] = 0.2  # a noisy seed of k = 3: undetermined against the best
    assert sweep.noise_answer(rows, (1, 2, 3, 10), "late_js", "lower").text() == "undetermined between 3 and 10"
    assert sweep.noise_answer(rows[:3], (1, 2, 3, 10), "late_js", "lower").text() == "1"  # one latent dim alone
    assert sweep.noise_answer([{"latent_dim": 1, "late_js": None}], (1,), "late_js", "lower") is None


def test_a_diverged_cell_is_recorded_and_the_sweep_goes_on(finished_sweep, tmp_path, monkeypatch, capsys):
    from keras_gan_latent.errors import TrainingDiverged

    out = str(tmp_path / "out")
    shutil.copytree(finished_sweep[0], out, ignore=shutil.ignore_patterns("runs", "*.lock"))
    shutil.rmtree(result_dir(out, "eight_gaussians", 2))
    shutil.rmtree(result_dir(out, "spiral", 1))
    trained = []

    def diverge_or_not(settings, kind, name, latent_dim, seed, **kwargs):
        trained.append((name, latent_dim))
        if name == "eight_gaussians":
            raise TrainingDiverged("training diverged by step 7: non-finite d_loss")
        return must_not_train()

    monkeypatch.setattr(sweep.runner, "run_cell", diverge_or_not)
    with pytest.raises(AssertionError, match="trained again"):  # the cell after the diverged one is still tried
        run_sweep_cli(GRID + TINY + ["--out", out])
    assert trained == [("eight_gaussians", 2), ("spiral", 1)]
    with open(os.path.join(result_dir(out, "eight_gaussians", 2), "diverged.json")) as f:
        assert "step 7" in json.load(f)["reason"]
    markdown = open(os.path.join(out, "results.md")).read()
    assert "## Diverged runs" in markdown and "- eight_gaussians_z2_s0: training diverged by step 7" in markdown
    assert "| 2 | 0/1 |" in markdown  # left out of the means
    trained.clear()
    shutil.copytree(result_dir(finished_sweep[0], "spiral", 1), result_dir(out, "spiral", 1))
    assert run_sweep_cli(GRID + TINY + ["--out", out]) == 0  # the diverged cell is done: not retried
    assert trained == []


def test_shards_starting_together_accept_each_others_first_files(tmp_path):
    out = tmp_path / "out"
    (out / "runs").mkdir(parents=True)  # another shard's first steps: its folders and lock, no config yet
    (out / "results.lock").write_text("")
    (out / ".sweep_config.json.123.abcd.tmp").write_text("{")
    assert run_sweep_cli(GRID + TINY + ["--merge", "--out", str(out)]) == 0
    assert (out / "sweep_config.json").is_file()


def test_shards_split_the_grid_into_disjoint_parts():
    settings = sweep.SweepSettings(latent_dims=(1, 2, 3), targets=("spiral", "grid25"), seeds=(0, 4), out="x").resolved()
    parts = []
    for index in (1, 2, 3):
        shard = dataclasses.replace(settings, shard=(index, 3)).resolved()
        parts.append(shard.shard_cells())
    assert sorted(sum(parts, [])) == sorted(settings.cells()) and len(settings.cells()) == 12
    assert all(len(part) == 4 for part in parts)


@pytest.mark.parametrize("steps", [1, 60, 599, 600, 1000, 4200, 30000, 90000])
def test_summary_intervals_without_a_gif_give_convergence_points(steps):
    intervals = sweep.summary_intervals(steps)
    assert intervals["steps_per_execution"] == intervals["scalar_every"] <= 100
    assert intervals["image_every"] % intervals["scalar_every"] == 0
    assert steps // intervals["image_every"] <= 2 * sweep.CONVERGENCE_POINTS
    if steps == 30000:  # train.py's defaults
        assert intervals == {"animate_every": 1, "scalar_every": 100, "steps_per_execution": 100, "image_every": 1000}


@pytest.mark.parametrize("steps", [1, 60, 599, 600, 1000, 4200, 30000, 90000])
def test_summary_intervals_keep_executions_frame_sized(steps):
    intervals = sweep.summary_intervals(steps, animate=True)
    every = intervals["animate_every"]
    assert every == max(1, -(-steps // 600))
    assert 600 * every >= steps  # the GIF's 600 frames span the whole run
    for name in ("scalar_every", "steps_per_execution", "image_every"):
        assert intervals[name] % every == 0, name
    if steps == 30000:
        assert intervals == {"animate_every": 50, "scalar_every": 100, "steps_per_execution": 100, "image_every": 3000}


def test_latent_views_of_untrained_generators():
    from keras_gan_latent.data import targets
    from keras_gan_latent.models import mlp
    from keras_gan_latent.viz import latent_maps

    spiral = targets.get_target("spiral")
    for latent_dim in (1, 2):
        generator = mlp.mlp_generator(latent_dim, 2, width=16, depth=2)
        image = latent_maps.latent_view_image(lambda z: generator(z).numpy(), latent_dim, "normal", spiral)
        assert image.dtype == np.uint8 and image.ndim == 3 and image.shape[2] == 3
        assert image.shape[0] > 100 and image.shape[1] > 100
        grey = (image.max(axis=2) - image.min(axis=2)) < 20
        assert (~grey).sum() > 100  # coloured points (curve) or lines (sheet), not just grey targets
    with pytest.raises(ValueError, match="latent dim 1 and 2"):
        latent_maps.latent_view_image(lambda z: z[:, :2], 3, "normal", spiral)
    uniform, normal = latent_maps.latent_axis("uniform", 5), latent_maps.latent_axis("normal", 5)
    levels = np.linspace(0.001, 0.999, 5)  # evenly spaced in probability, the prior's quantiles
    np.testing.assert_allclose(uniform, levels, atol=1e-6)
    np.testing.assert_allclose(normal, scipy.stats.norm.ppf(levels), atol=1e-4)


BAD_ARGS = [
    (["--targets", "spiral,nine_gaussians"], "unknown target 'nine_gaussians'"),
    (["--targets", "normal1d"], "target 'normal1d' is 1-D"),
    (["--latent-dims", "1,0"], "latent dim must be an integer >= 1, got 0"),
    (["--latent-dims", "1.5"], "expected comma-separated integers"),
    (["--latent-dims", "1,two"], "expected comma-separated integers"),
    (["--latent-dims", "2,2"], "latent dims repeat 2"),
    (["--seeds", "-1"], "seed must be an integer >= 0, got -1"),
    (["--seeds", "0,2147483648"], "seed must be at most 2147483647 (TensorFlow's stateless seeds are int32), got 2147483648"),
    (["--num-samples", "0"], "num-samples must be an integer >= 1, got 0"),
    (["--seeds", "0,0"], "seeds repeat 0"),
    (["--shard", "3/2"], "--shard I/N needs 1 <= I <= N, got 3/2"),
    (["--shard", "0/2"], "--shard I/N needs 1 <= I <= N, got 0/2"),
    (["--shard", "half"], "expected I/N such as 1/4"),
    (["--merge", "--shard", "1/2"], "--merge builds the tables of every shard; give it without --shard"),
    (["--steps", "0"], "steps must be an integer >= 1, got 0"),
    (["--num-samples", "10"], "num-samples must be at least 50"),
    (["--seeds", "zero"], "expected comma-separated seeds such as 0,1,2"),
    (["--model", "gan"], "unknown model 'gan'; valid models: mlp, dcgan"),
    (["--arch", "seed"], "unknown arch 'seed' for --model mlp; valid archs: article, pacgan"),
    (["--data", "digits.npz"], "--data applies to --model dcgan or vae or cgan or selfcond or cyclegan only"),
    (["--model", "dcgan", "--arch", "huge"], "unknown arch 'huge' for --model dcgan; valid archs: light, seed, tutorial"),
    (["--model", "dcgan", "--targets", "spiral"], "unknown target 'spiral' for --model dcgan; valid targets: mnist"),
    (["--model", "dcgan", "--targets", "mnist,spiral"], "unknown target 'spiral' for --model dcgan; valid targets: mnist"),
    (["--model", "dcgan", "--latent-dims", "10,0"], "latent dim must be an integer >= 1, got 0"),
    (["--model", "dcgan", "-n", "10"], "num-samples must be at least 50"),
    (["--model", "dcgan", "--data", "no_such_digits.npz"], "--data no_such_digits.npz: no such file"),
    (["--targets", "mnist"], "unknown target 'mnist'"),  # the toy sweep has no MNIST
    (["--pack", "0"], "pack must be an integer >= 1, got 0"),
    (["--pack", "two"], "argument --pack: invalid int value: 'two'"),
    (["--model", "vae", "--pack", "2"], "--pack applies to --model mlp or dcgan or cgan or selfcond only, not --model vae"),
    (["--latent-code", "1"], "--latent-code must be 0 (no code) or at least 2"),
    (["--model", "cgan", "--latent-code", "10"], "--latent-code applies to --model mlp or dcgan only, not --model cgan"),
    (["--info-weight", "1"], "--info-weight applies with --latent-code K (K >= 2) only"),
]


@pytest.mark.parametrize("args, message", BAD_ARGS)
def test_bad_input_is_one_line_and_writes_nothing(args, message, tmp_path, capsys):
    out = tmp_path / "out"
    status = run_sweep_cli(args + ["--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert status == 2
    assert len(err.splitlines()) == 1 and err.startswith("sweep.py: error: ") and message in err, err
    assert not out.exists()


def test_merge_of_a_folder_without_a_sweep_is_refused_and_creates_nothing(tmp_path, capsys):
    out = tmp_path / "no_sweep"
    assert run_sweep_cli(["--merge", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert "--merge: " in err and "holds no sweep (no sweep_config.json)" in err and len(err.splitlines()) == 1
    assert not out.exists()


def test_out_that_is_no_sweep_or_another_budget_is_refused(finished_sweep, tmp_path, capsys):
    out, _ = finished_sweep
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("precious")
    assert run_sweep_cli(["--out", str(other)] + TINY) == 2
    assert "non-empty folder without sweep_config.json" in capsys.readouterr().err
    assert sorted(os.listdir(other)) == ["notes.txt"]

    before = {name: os.stat(os.path.join(out, name)).st_mtime_ns for name in os.listdir(out)}
    assert run_sweep_cli(GRID + ["--steps", str(STEPS + 1), "--num-samples", "300", "--out", out]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and f"holds a sweep with --steps {STEPS}, not {STEPS + 1}" in err, err
    assert {name: os.stat(os.path.join(out, name)).st_mtime_ns for name in os.listdir(out)} == before


def test_a_config_written_by_another_shard_during_the_check_is_seen(finished_sweep, tmp_path, monkeypatch):
    """Shards started together: one writes its config (then its results) while the other checks the folder.

    The check must not take that config, or the files written after it, for
    a stranger's: it lists the folder before it looks for the config.
    """
    from keras_gan_latent.sweep import runner

    out = tmp_path / "out"
    out.mkdir()
    for name in (sweep.CONFIG_FILE, "results.csv"):  # the other shard's config, and a table written after it
        shutil.copy(os.path.join(finished_sweep[0], name), out / name)
    config = str(out / sweep.CONFIG_FILE)
    real_isfile = os.path.isfile
    asked = []

    def not_yet_written(path):  # the config does not exist yet when first looked for
        if os.fspath(path) == config and not asked:
            asked.append(path)
            return False
        return real_isfile(path)

    monkeypatch.setattr(runner.os.path, "isfile", not_yet_written)
    settings = sweep.SweepSettings(
        latent_dims=(1, 2), targets=("eight_gaussians", "spiral"), seeds=(0,), steps=STEPS, num_samples=300, out=str(out)
    )
    assert sweep.check_sweep(settings).name == "mlp"
    monkeypatch.undo()
    with pytest.raises(UserError, match="holds a sweep with --steps 20, not 21"):  # the config was read
        sweep.check_sweep(dataclasses.replace(settings, steps=STEPS + 1))


def test_script_refuses_bad_input_before_importing_tensorflow(tmp_path):
    env = checkout_env(TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        script("sweep") + ["--seeds", "-1", "--out", str(tmp_path / "out")],
        cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "sweep.py: error: seed must be an integer >= 0, got -1"
    assert not (tmp_path / "out").exists()


# ------------------------------------------------------------------- DCGAN on MNIST

DCGAN_DIMS = (10, 2)
DCGAN_TINY = ["--model", "dcgan", "--steps", str(STEPS), "-n", "500", "--seeds", "0", "--animate", "--quiet"]
DCGAN_GRID = ["--latent-dims", ",".join(map(str, DCGAN_DIMS))]
DCGAN_KEYS = ["classes_covered", "kl_uniform", "classifier_score", "frechet_distance", "parzen_ll"]
# ... and the mean of the training-time Frechet distance over the last 30 % of the run.
DCGAN_COLUMNS = DCGAN_KEYS + ["late_frechet_distance"]


@pytest.fixture(scope="module")
def finished_dcgan_sweep(tmp_path_factory):
    """A DCGAN sweep on real MNIST: latent dims 10 and 2, seed 0, 20 steps, 500 digits scored.

    Every `evaluation.mnist_report` call is recorded. Returns `(out, stdout,
    the classifier objects the reports were given)`.
    """
    from keras_gan_latent.evaluation import mnist as mnist_evaluation

    out = str(tmp_path_factory.mktemp("dcgan_sweep") / "out")
    classifiers = []
    real_report = mnist_evaluation.mnist_report

    def recording_report(images, classifier=None, **kwargs):
        classifiers.append(classifier)
        return real_report(images, classifier=classifier, **kwargs)

    stdout = io.StringIO()
    with pytest.MonkeyPatch.context() as patch, contextlib.redirect_stdout(stdout):
        patch.setattr(mnist_evaluation, "mnist_report", recording_report)
        assert run_sweep_cli(DCGAN_TINY + DCGAN_GRID + ["--out", out]) == 0
    return out, stdout.getvalue(), classifiers


def montage_size(seeds, columns=len(DCGAN_DIMS)):
    """The montage's (height, width): a row of grids per seed, then the histogram row."""
    dpi = mnist_experiment.MONTAGE_DPI
    return (
        round((mnist_experiment.MONTAGE_PANEL + 0.1) * dpi) * seeds + round(mnist_experiment.MONTAGE_HISTOGRAM_HEIGHT * dpi),
        round(mnist_experiment.MONTAGE_PANEL * dpi) * columns,
    )


def test_dcgan_sweep_writes_runs_tables_and_montage(finished_dcgan_sweep):
    out, stdout, classifiers = finished_dcgan_sweep
    for name in ("results.csv", "results.md", "montage.png", "sweep_config.json"):
        assert os.path.isfile(os.path.join(out, name)), name
    for name in ("grid.png", "latent_views.png"):  # the toy sweep's figures
        assert not os.path.exists(os.path.join(out, name)), name
    with open(os.path.join(out, "sweep_config.json")) as f:
        config = json.load(f)
    assert (config["model"], config["arch"], config["targets"]) == ("dcgan", "light", ["mnist"])
    assert config["latent_dims"] == list(DCGAN_DIMS) and config["num_samples"] == 500
    assert "light DCGAN on mnist x seeds 0 = 2 runs of 20 steps" in stdout
    # One classifier for the whole sweep, loaded once, handed to every report.
    assert len(classifiers) == 2 and classifiers[0] is not None and classifiers[0] is classifiers[1]

    rows = read_csv(out)
    assert list(rows[0]) == ["target", "latent_dim", "seed"] + DCGAN_COLUMNS
    assert [(r["target"], int(r["latent_dim"]), int(r["seed"])) for r in rows] == [("mnist", k, 0) for k in DCGAN_DIMS]
    for row, latent_dim in zip(rows, DCGAN_DIMS):
        path, kept = run_dir(out, "mnist", latent_dim), result_dir(out, "mnist", latent_dim)
        with open(os.path.join(kept, "evaluation.json")) as f:
            report = json.load(f)
        assert report["num_samples"] == 500 and sum(report["class_histogram"]) == 500
        assert report["parzen"]["num_samples"] == 500 and "Theis" in report["parzen"]["caveat"]
        assert 1 <= report["classes_covered"] <= 10 and 1 <= report["classifier_score"] <= 10
        assert row["classes_covered"] == str(report["classes_covered"])
        assert float(row["classifier_score"]) == report["classifier_score"]
        assert float(row["frechet_distance"]) == report["frechet_distance"] > 0
        assert float(row["parzen_ll"]) == report["parzen"]["mean"]
        with open(os.path.join(path, "config.json")) as f:
            run_config = json.load(f)
        assert (run_config["model"], run_config["arch"], run_config["latent_dim"]) == ("dcgan", "light", latent_dim)
        assert run_config["batch_size"] == 64 and run_config["animate"] is True  # --animate
        assert os.path.isfile(os.path.join(path, "generator", "saved_model.pb"))
        assert read_png(os.path.join(kept, "final_frame.png")).shape == (152, 152, 3)  # the 5x5 grid
        assert read_png(os.path.join(kept, "mnist_report.png")).shape[1] > 400  # grid beside histogram
        with open(os.path.join(kept, "curve.json")) as f:
            assert json.load(f)["modes/classifier_score"]["step"][-1] == STEPS
        with Image.open(os.path.join(path, "animation.gif")) as gif:
            assert gif.n_frames == STEPS + 1
        steps = read_event_steps(path)
        assert steps["eval/classifier_score"] == [STEPS] and steps["eval/parzen_ll"] == [STEPS]
        assert hparams_of(path) == {"target": "mnist", "latent_dim": latent_dim, "prior": "normal", "seed": 0, "steps": STEPS}
    assert "_hparams_/experiment" in read_event_steps(os.path.join(out, "runs"))

    markdown = open(os.path.join(out, "results.md")).read()
    assert markdown.startswith("# Latent-dimension sweep: DCGAN on MNIST\n")
    assert "## mnist (latent prior: normal, arch light)" in markdown
    assert "| latent dim | seeds done | " + " | ".join(DCGAN_COLUMNS) + " |" in markdown
    table = [line for line in markdown.splitlines() if line.startswith(("| 10 |", "| 2 |"))]
    assert [line.split(" | ")[:2] for line in table] == [["| 10", "1/1"], ["| 2", "1/1"]]

    montage = read_png(os.path.join(out, "montage.png"))
    height, width = montage_size(seeds=1)
    assert abs(montage.shape[0] - height) <= 2 and abs(montage.shape[1] - width) <= 2, montage.shape
    grids = montage[: round((mnist_experiment.MONTAGE_PANEL + 0.1) * mnist_experiment.MONTAGE_DPI)]
    assert (grids.min(axis=2) < 200).sum() > 2 * 150**2  # both cells' digit grids are drawn, not "not run yet"


def test_rerun_of_a_finished_dcgan_sweep_trains_and_loads_nothing(finished_dcgan_sweep, tmp_path, monkeypatch, capsys):
    from keras_gan_latent.models import classifier as mnist_classifier

    out = str(tmp_path / "out")
    shutil.copytree(finished_dcgan_sweep[0], out)
    os.remove(os.path.join(out, "montage.png"))
    monkeypatch.setattr(sweep.runner, "run_cell", must_not_train)
    monkeypatch.setattr(mnist_classifier, "load_or_train_classifier", must_not_train)
    assert run_sweep_cli(DCGAN_TINY + DCGAN_GRID + ["--out", out]) == 0
    stdout = capsys.readouterr().out
    assert "[1/2] mnist_z10_s0: done before, skipped" in stdout and "[2/2] mnist_z2_s0: done before, skipped" in stdout
    assert read_csv(out) == read_csv(finished_dcgan_sweep[0])
    assert read_png(os.path.join(out, "montage.png")).shape == read_png(os.path.join(finished_dcgan_sweep[0], "montage.png")).shape


def test_dcgan_seeds_are_tabled_as_mean_and_interval(finished_dcgan_sweep, tmp_path, monkeypatch):
    out = str(tmp_path / "out")
    shutil.copytree(finished_dcgan_sweep[0], out)
    # Seed 1 of every latent dim: seed 0's run with a classifier score 0.5 higher.
    for latent_dim in DCGAN_DIMS:
        copy_as_seed1(out, "mnist", latent_dim, lambda report: report.update(classifier_score=report["classifier_score"] + 0.5))
    monkeypatch.setattr(sweep.runner, "run_cell", must_not_train)
    assert run_sweep_cli(DCGAN_TINY + DCGAN_GRID + ["--seeds", "0,1", "--out", out]) == 0

    rows = read_csv(out)
    assert [(int(r["latent_dim"]), int(r["seed"])) for r in rows] == [(k, s) for k in DCGAN_DIMS for s in (0, 1)]
    markdown = open(os.path.join(out, "results.md")).read()
    header = next(line for line in markdown.splitlines() if line.startswith("| latent dim"))
    score, frechet = header.split(" | ").index("classifier_score"), header.split(" | ").index("frechet_distance")
    lines = [line.rstrip(" |") for line in markdown.splitlines()]
    table_rows = [line.split(" | ") for line in lines if line.startswith(("| 10 |", "| 2 |"))]
    assert len(table_rows) == 2
    for cells in table_rows:
        assert cells[1] == "2/2"
        assert cells[score].endswith(" ± 3.2"), cells  # (x, x + 0.5): 12.71 * 0.354 / sqrt(2)
        assert cells[frechet].endswith(" ± 0"), cells
    montage = read_png(os.path.join(out, "montage.png"))
    height, width = montage_size(seeds=2)  # a row of grids per seed
    assert abs(montage.shape[0] - height) <= 2 and abs(montage.shape[1] - width) <= 2, montage.shape


def test_out_of_another_model_or_arch_is_refused(finished_sweep, finished_dcgan_sweep, capsys):
    dcgan_out = finished_dcgan_sweep[0]
    before = {name: os.stat(os.path.join(dcgan_out, name)).st_mtime_ns for name in os.listdir(dcgan_out)}
    assert run_sweep_cli(DCGAN_TINY + DCGAN_GRID + ["--arch", "seed", "--out", dcgan_out]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"sweep.py: error: --out {dcgan_out!r} holds a sweep with --arch light, not seed; "
        "resume it with the same --arch or give another --out"
    )
    assert run_sweep_cli(["--model", "dcgan", "--steps", str(STEPS), "--out", finished_sweep[0]]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "holds a sweep with --model mlp, not dcgan" in err, err
    assert {name: os.stat(os.path.join(dcgan_out, name)).st_mtime_ns for name in os.listdir(dcgan_out)} == before


@pytest.mark.slow
def test_two_shards_into_one_folder_one_killed_and_restarted_lose_nothing(tmp_path):
    """Two shard processes share --out; one is SIGKILLed mid-run and started again.

    Four steps a cell: the processes, not what the cells learn, are the point
    (and a run that short records 5 frames where 200 steps record 11).
    """
    out = str(tmp_path / "out")
    command = script("sweep") + [
        "--latent-dims", "1", "--targets", "eight_gaussians", "--seeds", "0,1", "--steps", "4", "-n", "300", "--quiet",
        "--out", out,
    ]
    env = checkout_env(TF_CPP_MIN_LOG_LEVEL="2")
    quiet = dict(env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    first = subprocess.Popen(command + ["--shard", "1/2"], **quiet)
    second = subprocess.Popen(command + ["--shard", "2/2"], **quiet)
    # Shard 1's first cell is eight_gaussians z1 s0: kill it once that run writes events.
    started = os.path.join(out, "runs", "eight_gaussians_z1_s0")
    deadline = time.monotonic() + 300
    while not glob.glob(os.path.join(started, "events.out.tfevents.*")):
        assert first.poll() is None and time.monotonic() < deadline, first.communicate()[0]
        time.sleep(0.2)
    first.kill()
    first.wait()
    assert not os.path.exists(os.path.join(result_dir(out, "eight_gaussians", 1), "evaluation.json"))
    restarted = subprocess.run(command + ["--shard", "1/2"], timeout=900, **quiet)
    assert restarted.returncode == 0, restarted.stdout
    assert "eight_gaussians_z1_s0: unfinished run folder without a checkpoint, starting over" in restarted.stdout
    assert second.wait(timeout=900) == 0, second.communicate()[0]

    rows = read_csv(out)
    assert sorted((int(r["latent_dim"]), int(r["seed"])) for r in rows) == [(1, 0), (1, 1)]
    for latent_dim in (1,):
        for seed in (0, 1):
            kept = result_dir(out, "eight_gaussians", latent_dim, seed)
            with open(os.path.join(kept, "evaluation.json")) as f:
                assert json.load(f)["num_samples"] == 300
            with open(os.path.join(kept, "run.json")) as f:
                assert json.load(f)["trained_steps"] == 4
    markdown = open(os.path.join(out, "results.md")).read()
    assert "| 1 | 2/2 |" in markdown
    leftovers = [p for p in glob.glob(os.path.join(out, "**", "*.tmp"), recursive=True)]
    assert leftovers == []  # no half-written file from the killed process or the concurrent writers


def test_settings_are_resolved_once_into_new_frozen_settings():
    given = sweep.SweepSettings(targets=("spiral",), out="x")
    settings = given.resolved()
    assert given.seeds is None and given.steps is None  # the given settings are left as they were
    assert settings.seeds == (0, 1, 2) and settings.steps == 30000 and settings.num_samples == 2500
    assert settings.resolved() is settings  # resolved once
    with pytest.raises(dataclasses.FrozenInstanceError):
        settings.steps = 10


def test_latent_views_per_code_of_a_coded_export(tmp_path):
    from keras_gan_latent.data import targets
    from keras_gan_latent.experiments import build_setup
    from keras_gan_latent.experiments.config import TrainConfig
    from keras_gan_latent.training.export import export_generator, load_export
    from keras_gan_latent.viz import latent_maps

    config = TrainConfig(target="grid25", latent_dim=2, latent_code=3, batch_size=64, num_fixed_latents=10).resolved()
    model = build_setup(config).model
    endpoints, _ = model.export_endpoints(model.generator)
    path = export_generator(model.generator, model.latent_prior, str(tmp_path / "g"), config.to_dict(), endpoints=endpoints)
    sampler, _ = load_export(path)
    z = np.random.default_rng(0).normal(size=(7, 2)).astype(np.float32)
    at_code = latent_maps.from_export(sampler, 2, 3)(z)
    full = np.concatenate([np.tile([[0, 0, 1]], (7, 1)).astype(np.float32), z], axis=1)
    np.testing.assert_allclose(at_code, model.generator(full).numpy(), rtol=1e-5, atol=1e-5)
    grid25 = targets.get_target("grid25")
    single = latent_maps.latent_view_image(latent_maps.from_export(sampler, 0, 3), 2, "normal", grid25)
    image = latent_maps.code_views_image(sampler, 3, 2, "normal", grid25, columns=2)
    assert image.shape == (2 * single.shape[0], 2 * single.shape[1], 3)  # 3 panels and a white one, 2 a row
    assert np.all(image[single.shape[0] :, single.shape[1] :] == 255)


def test_sweep_passes_packing_and_a_latent_code_to_every_run_and_keeps_them_on_resume(tmp_path, capsys):
    out = str(tmp_path / "levers")
    levers = ["--pack", "2", "--latent-code", "4", "--info-weight", "0.5"]
    grid = ["--latent-dims", "2", "--targets", "grid25", "--out", out]
    assert run_sweep_cli(grid + levers + TINY) == 0
    assert "x seeds 0 = 1 runs of 20 steps with --pack 2 --latent-code 4 --info-weight 0.5" in capsys.readouterr().out
    with open(os.path.join(run_dir(out, "grid25", 2), "config.json")) as f:
        config = json.load(f)
    assert (config["pack"], config["latent_code"], config["info_weight"]) == (2, 4, 0.5)
    with open(os.path.join(out, "sweep_config.json")) as f:
        assert {k: v for k, v in json.load(f).items() if k in ("pack", "latent_code", "info_weight")} == {
            "pack": 2, "latent_code": 4, "info_weight": 0.5}
    assert os.path.isfile(os.path.join(result_dir(out, "grid25", 2), "evaluation.json"))

    before = sorted(os.listdir(out))
    assert run_sweep_cli(grid + ["--pack", "4", "--latent-code", "4", "--info-weight", "0.5"] + TINY) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--pack 2, not 4" in err, err
    assert sorted(os.listdir(out)) == before
