"""A finished cell's convergence curve: the scalars its run wrote, read back from the event files."""

import glob
import os

import tensorflow as tf


def read_scalar_curves(run_dir, tags):
    """The scalars `tags` of a run's event files, as a JSON-ready curve.

    Returns:
        `{tag: {"step": [...], "value": [...]}}` sorted by step, for each of
        `tags` the run wrote (the last value where a step repeats).
    """
    points = {tag: {} for tag in tags}
    for path in sorted(glob.glob(os.path.join(run_dir, "events.out.tfevents.*"))):
        for record in tf.data.TFRecordDataset(path):
            event = tf.compat.v1.Event.FromString(record.numpy())
            for value in event.summary.value:
                if value.tag in points:
                    points[value.tag][int(event.step)] = float(tf.make_ndarray(value.tensor))
    return {
        tag: {"step": sorted(by_step), "value": [by_step[s] for s in sorted(by_step)]}
        for tag, by_step in points.items()
        if by_step
    }
