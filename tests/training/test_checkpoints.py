"""Checkpoints: a run killed with SIGKILL and resumed ends where an uninterrupted one does."""

import os
import signal
import subprocess
import time

import numpy as np
import pytest
import tensorflow as tf

from conftest import checkout_env, read_event_steps, script
from keras_gan_latent.cli import train as train_cli
from keras_gan_latent.cli.common import run
from keras_gan_latent.training.loop import plan_segments

pytestmark = pytest.mark.slow  # real training runs: `pytest -m "not slow"` skips them

# Small networks and batches, few steps: the test is about the plumbing of resuming,
# not about what the run learns (scalars every 20 steps, so executions of 20).
ARGS = ["--steps", "600", "--batch-size", "64", "--g-width", "32", "--d-width", "32",
        "--checkpoint-every", "200", "--image-every", "200", "--scalar-every", "20", "--seed", "5", "--quiet"]
RUN = "eight_gaussians_z2_normal_s5"


def _generate(run_dir):
    sampler = tf.saved_model.load(os.path.join(run_dir, "generator"))
    z = tf.random.stateless_normal([256, 2], seed=[1, 2])
    return sampler.generate(z)["x"].numpy()


def test_killed_run_resumes_to_the_same_weights_and_steps(tmp_path):
    straight, killed = tmp_path / "straight", tmp_path / "killed"
    assert run(train_cli.main, "train.py", ARGS + ["--logdir", str(straight)]) == 0

    env = checkout_env(TF_CPP_MIN_LOG_LEVEL="2")
    proc = subprocess.Popen(script("train") + ARGS + ["--logdir", str(killed)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    first = killed / RUN / "checkpoints" / "ckpt-200.index"
    deadline = time.time() + 300
    while not first.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "the run finished before it could be killed"
    assert not (killed / RUN / "generator").exists()

    assert run(train_cli.main, "train.py", ARGS + ["--logdir", str(killed), "--resume"]) == 0
    # Same seed, same random stream restored: bit-identical weights on CPU.
    np.testing.assert_array_equal(_generate(str(killed / RUN)), _generate(str(straight / RUN)))
    steps = read_event_steps(str(killed / RUN))
    assert steps["train/d_loss"] == list(range(20, 601, 20))  # none missing, none twice
    assert steps["samples/frame"] == [0, 200, 400, 600]


def test_corrupt_latest_checkpoint_falls_back_to_the_previous_one(tmp_path, caplog):
    logdir = tmp_path / "logs"
    args = ARGS[:]
    args[1] = "400"
    assert run(train_cli.main, "train.py", args + ["--logdir", str(logdir)]) == 0
    data = logdir / RUN / "checkpoints" / "ckpt-400.data-00000-of-00001"
    data.write_bytes(data.read_bytes()[:100])  # truncated, as by a full disk
    args[1] = "500"
    assert run(train_cli.main, "train.py", args + ["--logdir", str(logdir), "--resume"]) == 0
    assert "unreadable" in caplog.text
    assert (logdir / RUN / "checkpoints" / "ckpt-500.index").exists()


def test_resume_without_checkpoints_is_refused(tmp_path, capsys):
    status = run(train_cli.main, "train.py", ["--logdir", str(tmp_path), "--resume", "--steps", "10"])
    err = capsys.readouterr().err.strip()
    assert status == 2 and "nothing to resume" in err and len(err.splitlines()) == 1


def test_plan_segments_after_a_resume():
    assert plan_segments(3000, 100, start_step=1000) == [(2000, 100)]
    assert plan_segments(30000, 100, animate_steps=600, animate_every=1, start_step=300) == [(300, 1), (29400, 100)]
    assert plan_segments(3000, 100, start_step=3000) == []


def test_sigterm_saves_a_checkpoint_and_exits_with_one_line(tmp_path):
    logdir = tmp_path / "logs"
    env = checkout_env(TF_CPP_MIN_LOG_LEVEL="2")
    # Long enough to be still training half a second past its first checkpoint, whatever the machine's load.
    proc = subprocess.Popen(script("train") + ARGS + ["--steps", "3000", "--logdir", str(logdir)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    first = logdir / RUN / "checkpoints" / "ckpt-200.index"
    deadline = time.time() + 300
    while not first.exists() and proc.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # a few executions past the checkpoint
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    lines = [line for line in err.splitlines() if line.startswith("train.py:")]
    assert proc.returncode == 130, err[-2000:]
    assert len(lines) == 1 and "interrupted at step" in lines[0] and "--resume" in lines[0]
    step = int(lines[0].split("interrupted at step ")[1].split(";")[0])
    assert step > 200
    assert (logdir / RUN / "checkpoints" / f"ckpt-{step}.index").exists()
    assert "Traceback" not in err


def test_a_packed_coded_run_resumed_halfway_ends_with_the_uninterrupted_runs_weights(tmp_path):
    # Packing widens D's input and the code adds Q's head and the code's sampling: all must be in the checkpoint.
    levers = ["--target", "grid25", "--pack", "2", "--latent-code", "4", "--info-weight", "1", "--steps", "200",
              "--batch-size", "64", "--g-width", "32", "--d-width", "32", "--checkpoint-every", "50",
              "--image-every", "100", "--seed", "3", "--quiet"]
    run_name = "grid25_z2_normal_s3_pack2_c4_info1"
    straight, resumed = tmp_path / "straight", tmp_path / "resumed"
    assert run(train_cli.main, "train.py", levers + ["--logdir", str(straight)]) == 0
    half = [("100" if arg == "200" else arg) for arg in levers]
    assert run(train_cli.main, "train.py", half + ["--logdir", str(resumed)]) == 0
    assert run(train_cli.main, "train.py", levers + ["--logdir", str(resumed), "--resume"]) == 0

    def draw(logdir):
        sampler = tf.saved_model.load(str(logdir / run_name / "generator"))
        coded = sampler.sample_code(num_samples=tf.constant(64), seed=tf.constant(7, tf.int64), code=tf.constant(3))
        drawn = sampler.sample(num_samples=tf.constant(256), seed=tf.constant(7, tf.int64))
        return coded["x"].numpy(), drawn["z"].numpy(), drawn["x"].numpy()

    for a, b in zip(draw(straight), draw(resumed)):
        np.testing.assert_array_equal(a, b)
    logged = read_event_steps(str(resumed / run_name))["train/d_loss"]  # rates follow each segment's --steps
    assert logged == sorted(set(logged)) and logged[-1] == 200 and 100 in logged
