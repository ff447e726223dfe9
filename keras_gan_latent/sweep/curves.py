"""A finished cell's convergence curve: the scalars its run wrote, read back from the event files."""

import tensorflow as tf

from keras_gan_latent.training import events


def read_scalar_curves(run_dir, tags):
    """The scalars `tags` of a run's event files, as a JSON-ready curve.

    Returns:
        `{tag: {"step": [...], "value": [...]}}` sorted by step, for each of
        `tags` the run wrote (the last value where a step repeats).
    """
    points = {tag: {} for tag in tags}
    for path in events.event_files(run_dir):
        for _, event in events.read_events(path):
            for value in event.summary.value:
                if value.tag in points:
                    points[value.tag][int(event.step)] = float(tf.make_ndarray(value.tensor))
    return {
        tag: {"step": sorted(by_step), "value": [by_step[s] for s in sorted(by_step)]}
        for tag, by_step in points.items()
        if by_step
    }
