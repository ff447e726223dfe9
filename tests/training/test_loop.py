"""The training loop trains exactly the steps asked for, whatever the execution size."""

import glob
import json
import os

import pytest

from conftest import read_event_steps
from keras_gan_latent.cli import train as train_cli
from keras_gan_latent.cli.common import run
from keras_gan_latent.training.loop import plan_segments


@pytest.mark.parametrize("total", [1, 20, 99, 150, 250, 601, 1234])
@pytest.mark.parametrize("start", [0, 100, 150, 200])
@pytest.mark.parametrize("execution, animate_steps, animate_every", [(100, 0, 1), (30, 0, 1), (100, 600, 1), (100, 60, 7)])
def test_segments_add_up_to_the_steps_asked_for_in_whole_executions(total, start, execution, animate_steps, animate_every):
    segments = plan_segments(total, execution, animate_steps, animate_every, start)
    assert sum(n for n, _ in segments) == max(0, total - start)
    for num_steps, size in segments:
        assert num_steps > 0 and num_steps % size == 0  # Keras runs whole executions only
    boundaries, step = set(), start
    for num_steps, size in segments:
        boundaries |= set(range(step + size, step + num_steps + 1, size))
        step += num_steps
    frames = set(range(0, min(animate_steps, total) + 1, animate_every))
    assert {f for f in frames if f > start} <= boundaries  # no execution steps over an animation frame


def _checkpoints(run_dir):
    return sorted(int(p.rsplit("-", 1)[1][: -len(".index")]) for p in glob.glob(os.path.join(run_dir, "checkpoints", "*.index")))


def _export_config_steps(export_dir):
    with open(os.path.join(export_dir, "assets.extra", "run_config.json")) as f:
        return json.load(f)["steps"]


@pytest.mark.slow
def test_steps_not_a_multiple_of_the_execution_are_trained_exactly_and_resume_to_the_exact_step(tmp_path, capsys):
    run_dir = tmp_path / "run"
    args = ["--run-dir", str(run_dir), "--batch-size", "64", "--g-width", "16", "--d-width", "16",
            "--checkpoint-every", "100", "--scalar-every", "100", "--image-every", "1000", "--steps-per-execution", "100",
            "--quiet"]
    assert run(train_cli.main, "train.py", ["--steps", "150"] + args) == 0
    assert "trained 150 steps" in capsys.readouterr().out
    assert _checkpoints(run_dir) == [100, 150]
    steps = read_event_steps(str(run_dir))
    assert steps["train/d_loss"] == [100, 150] and steps["samples/frame"] == [0, 150]

    assert run(train_cli.main, "train.py", ["--steps", "250", "--resume"] + args) == 0
    assert "trained 100 steps" in capsys.readouterr().out
    assert _checkpoints(run_dir) == [100, 150, 250]
    steps = read_event_steps(str(run_dir))
    assert steps["train/d_loss"] == [100, 150, 250] and steps["samples/frame"] == [0, 150, 250]
    assert json.loads((run_dir / "config.json").read_text())["steps"] == 250 == _export_config_steps(str(run_dir / "generator"))

    # Fewer steps than the run has trained: refused, nothing rewritten (config.json would lie).
    assert run(train_cli.main, "train.py", ["--steps", "200", "--resume"] + args) == 2
    err = capsys.readouterr().err.strip()
    assert "is at step 250 already; resume it with --steps 250 or more" in err and len(err.splitlines()) == 1, err
    assert json.loads((run_dir / "config.json").read_text())["steps"] == 250 and _checkpoints(run_dir) == [100, 150, 250]


@pytest.mark.slow
def test_a_run_shorter_than_one_execution_trains_its_steps_vae_too(tmp_path, capsys):
    run_dir = tmp_path / "vae"
    args = ["--model", "vae", "--steps", "20", "--batch-size", "64", "--g-width", "16", "--run-dir", str(run_dir), "--quiet",
            "--scalar-every", "100", "--image-every", "100", "--steps-per-execution", "100"]
    assert run(train_cli.main, "train.py", args) == 0
    assert "trained 20 steps" in capsys.readouterr().out
    assert _checkpoints(run_dir) == [20]
    assert max(max(s) for s in read_event_steps(str(run_dir)).values()) == 20


@pytest.mark.slow
def test_a_run_resumed_between_two_summary_steps_writes_on_the_same_steps_as_one_never_stopped(tmp_path, capsys):
    run_dir = tmp_path / "run"
    args = ["--run-dir", str(run_dir), "--batch-size", "64", "--g-width", "16", "--d-width", "16",
            "--checkpoint-every", "1000", "--scalar-every", "100", "--image-every", "100", "--steps-per-execution", "50",
            "--quiet"]
    assert run(train_cli.main, "train.py", ["--steps", "150"] + args) == 0  # stopped at 150, between 100 and 200
    assert run(train_cli.main, "train.py", ["--steps", "400", "--resume"] + args) == 0
    capsys.readouterr()
    steps = read_event_steps(str(run_dir))
    assert steps["train/d_loss"] == [100, 150, 200, 300, 400]  # not 250, 350
    assert steps["samples/frame"] == [0, 100, 150, 200, 300, 400]
