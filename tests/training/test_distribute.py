"""Distribution strategies: two replicas equal one device; two workers train in sync.

Each check runs in fresh processes (`tests/training/distributed_worker.py`): logical
CPU devices and a multi-worker cluster must be set up before TensorFlow
initialises, which a pytest process has long done.
"""

import glob
import json
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT, checkout_env, read_event_steps
from keras_gan_latent.training import distribute

pytestmark = pytest.mark.slow  # real training runs: `pytest -m "not slow"` skips them

WORKER = os.path.join(ROOT, "tests", "training", "distributed_worker.py")
TIMEOUT_S = 900


def _run(args, env=None):
    return subprocess.run(
        [sys.executable, WORKER, *args], capture_output=True, text=True, timeout=TIMEOUT_S, env=checkout_env(env)
    )


def _weights(npz):
    return [npz[k] for k in sorted((k for k in npz.files if k.startswith("arr_")), key=lambda k: int(k[4:]))]


@pytest.fixture(scope="module")
def equivalence(tmp_path_factory):
    """One worker: the same SGD steps on one device and on two replicas, keeping G's average (--ema 0.7).

    The average changes no loss or weight of G and D, so the same run answers
    both whether the replicas match one device and whether their averages do.
    """
    out = tmp_path_factory.mktemp("equivalence") / "equivalence.json"
    done = _run(["mirrored-equivalence", str(out), "--ema", "0.7"])
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text())


@pytest.fixture(scope="module")
def mirrored_run(tmp_path_factory):
    """One 40-step toy run under MirroredStrategy over two logical CPUs, keeping G's average (--ema 0.9)."""
    folder = tmp_path_factory.mktemp("mirrored")
    run_dir = folder / "run"
    done = _run(["train", "mirrored", str(run_dir), str(folder / "w.npz"), "--logical-cpus", "2", "--ema", "0.9"])
    assert done.returncode == 0, done.stderr[-3000:]
    return run_dir, np.load(folder / "w.npz")


def test_two_replicas_match_one_device_on_the_same_global_batches(equivalence):
    single, mirrored = equivalence["single"], equivalence["mirrored"]
    assert (single["replicas"], mirrored["replicas"]) == (1, 2)
    assert single["global_step"] == mirrored["global_step"] == 5  # counted once, not per replica
    # Logged losses are global-batch means, not divided by the replica count.
    for name in ("d_loss", "g_loss", "d_real", "d_fake", "d_accuracy"):
        np.testing.assert_allclose(mirrored["losses"][name], single["losses"][name], rtol=1e-5, err_msg=name)
    # SGD weights match: per-replica gradients are combined into the global mean.
    for a, b in zip(single["weights"], mirrored["weights"]):
        np.testing.assert_allclose(np.array(b), np.array(a), atol=1e-5)


def test_mirrored_training_over_two_logical_cpus_writes_a_whole_run(mirrored_run):
    run_dir, saved = mirrored_run
    assert int(saved["replicas"]) == 2 and int(saved["steps"]) == 40
    assert np.isfinite(float(saved["d_loss"]))
    steps = read_event_steps(str(run_dir))
    assert steps["train/d_loss"] == [10, 20, 30, 40]
    assert os.path.isfile(run_dir / "generator" / "saved_model.pb")
    assert sorted(os.path.basename(p) for p in glob.glob(str(run_dir / "checkpoints" / "*.index"))) == [
        "ckpt-20.index",
        "ckpt-40.index",
    ]


@pytest.mark.parametrize("model", ["mlp", "dcgan"])
def test_two_workers_train_in_sync_and_only_the_chief_writes(tmp_path, model):
    run_dir = tmp_path / "run"  # the same folder for both, as on a shared file system
    procs = []
    for index, tf_config in enumerate(distribute.local_cluster(2)):
        env = checkout_env(TF_CONFIG=tf_config)
        args = ["train", "multiworker", str(run_dir), str(tmp_path / f"w{index}.npz")]
        if model == "dcgan":
            args.append("--dcgan")
        procs.append(
            subprocess.Popen([sys.executable, WORKER, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        )
    outputs = [p.communicate(timeout=TIMEOUT_S) for p in procs]
    for p, (_, err) in zip(procs, outputs):
        assert p.returncode == 0, err[-3000:]
    chief, worker = np.load(tmp_path / "w0.npz"), np.load(tmp_path / "w1.npz")
    assert bool(chief["chief"]) and not bool(worker["chief"])
    assert int(chief["replicas"]) == 2 and int(chief["steps"]) == 40
    assert len(_weights(chief)) == (12 if model == "mlp" else 14)  # all trainable weights
    for a, b in zip(_weights(chief), _weights(worker)):
        np.testing.assert_array_equal(a, b)  # in sync: identical, not merely close
    assert float(chief["d_loss"]) == float(worker["d_loss"])
    # One writer: one event file, one set of checkpoints, one export.
    assert len(glob.glob(str(run_dir / "events.out.tfevents.*"))) == 1
    assert read_event_steps(str(run_dir))["train/d_loss"] == [10, 20, 30, 40]
    assert len(glob.glob(str(run_dir / "checkpoints" / "ckpt-40.index"))) == 1
    assert os.path.isfile(run_dir / "generator" / "saved_model.pb")


def test_two_replicas_keep_the_generator_average_of_one_device(equivalence):
    single, mirrored = equivalence["single"], equivalence["mirrored"]
    for a, b in zip(single["average"], mirrored["average"]):
        np.testing.assert_allclose(np.array(b), np.array(a), atol=1e-5)
    for components in mirrored["average_per_replica"]:  # every replica's copy is the same
        assert len(components) == 2
        np.testing.assert_array_equal(np.array(components[0]), np.array(components[1]))
    # The average lags the generator it follows.
    generator = single["weights"][: len(single["average"])]
    assert any(not np.allclose(np.array(a), np.array(w), atol=1e-4) for a, w in zip(single["average"], generator))


def test_mirrored_run_exports_the_generator_average(mirrored_run):
    _, saved = mirrored_run
    assert int(saved["replicas"]) == 2 and int(saved["steps"]) == 40
    assert float(saved["export_vs_average"]) < 1e-5 < float(saved["export_vs_generator"])
