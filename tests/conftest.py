"""Shared test set-up: quiet TensorFlow, the repository on sys.path, event-file reading."""

import collections
import glob
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)


# The keys of every config.json written so far (`TrainConfig.to_dict`'s order):
# runs, exports and sweeps read them back.
CONFIG_JSON_KEYS = [
    "model", "arch", "data", "target", "latent_dim", "prior", "steps", "batch_size", "d_steps", "loss",
    "lr_g", "lr_d", "beta1_g", "beta1_d", "g_width", "g_depth", "d_width", "d_depth", "seed", "logdir",
    "run_dir", "export_dir", "overwrite", "scalar_every", "image_every", "animate", "animate_every",
    "steps_per_execution", "checkpoint_every", "keep_checkpoints", "resume", "jit_compile",
    "num_fixed_latents", "mode_report_samples", "deterministic", "strategy", "mixed_precision",
]


def read_event_steps(run_dir):
    """Reads every event file in `run_dir`; returns {tag: sorted list of steps}."""
    import tensorflow as tf

    steps = collections.defaultdict(list)
    for path in sorted(glob.glob(os.path.join(run_dir, "events.out.tfevents.*"))):
        for event in tf.compat.v1.train.summary_iterator(path):
            for value in event.summary.value:
                steps[value.tag].append(int(event.step))
    return {tag: sorted(s) for tag, s in steps.items()}


def read_event_scalars(run_dir, tag):
    """Returns [(step, value)] of one scalar tag written by tf.summary.scalar."""
    import tensorflow as tf

    values = []
    for path in sorted(glob.glob(os.path.join(run_dir, "events.out.tfevents.*"))):
        for event in tf.compat.v1.train.summary_iterator(path):
            for value in event.summary.value:
                if value.tag == tag:
                    values.append((int(event.step), float(tf.make_ndarray(value.tensor))))
    return sorted(values)


def read_event_image_sizes(run_dir):
    """Returns {tag: (width, height)} of the images written by tf.summary.image (the last of each tag)."""
    import tensorflow as tf

    sizes = {}
    for path in sorted(glob.glob(os.path.join(run_dir, "events.out.tfevents.*"))):
        for event in tf.compat.v1.train.summary_iterator(path):
            for value in event.summary.value:
                if value.metadata.plugin_data.plugin_name == "images":
                    width, height = tf.make_ndarray(value.tensor)[:2]
                    sizes[value.tag] = (int(width), int(height))
    return sizes


# Tests that use one of these fixtures train real runs first: they are `slow`.
SLOW_FIXTURES = frozenset({"finished_sweep", "finished_dcgan_sweep", "trained_run", "uniform_export"})


def pytest_collection_modifyitems(items):
    """Marks every test that uses a trained-run fixture as slow (see pytest.ini)."""
    import pytest

    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
