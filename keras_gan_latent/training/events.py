"""Reading a run's TensorBoard event files back: what resuming and the sweep's curves share."""

import glob
import os

import tensorflow as tf


def event_files(run_dir):
    """The run's event files, oldest first (their names start with a timestamp)."""
    return sorted(glob.glob(os.path.join(run_dir, "events.out.tfevents.*")))


def read_events(path):
    """Yields `(record_bytes, tf.compat.v1.Event)` of one event file, in order.

    A record cut off by a kill ends the file: everything before it is yielded.
    """
    try:
        for record in tf.data.TFRecordDataset(path):
            raw = record.numpy()
            yield raw, tf.compat.v1.Event.FromString(raw)
    except tf.errors.DataLossError:
        return
