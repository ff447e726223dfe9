"""Distribution strategies, op determinism and mixed precision for a run.

A run is built inside the scope of one `tf.distribute.Strategy`:

  * `none`: TensorFlow's default strategy (one device, whichever it picks:
    a GPU when there is one).
  * `mirrored`: `MirroredStrategy` over every local GPU (or the CPU when
    there is none); each step's global batch is split between the replicas.
  * `multiworker`: `MultiWorkerMirroredStrategy` over the cluster described
    by the `TF_CONFIG` environment variable, every worker running the same
    command; only the chief writes summaries, checkpoints and the export.

The GAN's `train_step` is the same code under every strategy: it divides
each replica's loss by the number of replicas before taking gradients (the
optimizers sum gradients across replicas) and logs the unscaled losses,
whose replica mean Keras' metrics then report. BatchNormalization is not
synchronised: each replica normalises by its own share of the batch and keeps
its own moving statistics (the export takes the chief's first replica's).
"""

import contextlib
import json
import os
import shutil
import socket
import tempfile

from keras_gan_latent.errors import UserError

# The strategies a run may take: none (the default device), mirrored (all local
# devices), multiworker (the cluster in TF_CONFIG).
STRATEGY_NAMES = ("none", "mirrored", "multiworker")


def make_strategy(name):
    """Creates the `tf.distribute.Strategy` called `name`.

    `multiworker` must be created before any other TensorFlow op runs (it
    configures the cluster), so call this first thing in a program.

    Args:
        name: One of `STRATEGY_NAMES`.

    Returns:
        A `tf.distribute.Strategy`.

    Raises:
        UserError: for an unknown name, or `multiworker` without a usable
            `TF_CONFIG`.
    """
    import tensorflow as tf

    if name == "none":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        return tf.distribute.MirroredStrategy()
    if name == "multiworker":
        _check_tf_config()
        return tf.distribute.MultiWorkerMirroredStrategy()
    raise UserError(f"unknown strategy {name!r}; valid strategies: {', '.join(STRATEGY_NAMES)}")


def _check_tf_config():
    """One clear line when TF_CONFIG does not describe a worker of a cluster."""
    raw = os.environ.get("TF_CONFIG")
    hint = 'e.g. TF_CONFIG=\'{"cluster": {"worker": ["host1:12345", "host2:12345"]}, "task": {"type": "worker", "index": 0}}\''
    if not raw:
        raise UserError(f"--strategy multiworker needs the cluster in the TF_CONFIG environment variable; {hint}")
    try:
        tf_config = json.loads(raw)
        workers = tf_config["cluster"]["worker"]
        task = tf_config["task"]
        index = int(task["index"])
    except (ValueError, KeyError, TypeError):
        raise UserError(f"TF_CONFIG is not a valid cluster description; {hint}") from None
    if task.get("type") not in ("worker", "chief"):
        raise UserError(f"TF_CONFIG task type must be worker or chief, got {task.get('type')!r}")
    if task.get("type") == "worker" and not 0 <= index < len(workers):
        raise UserError(f"TF_CONFIG task index {index} is not one of the {len(workers)} workers")


def local_cluster(num_workers):
    """`TF_CONFIG` values for a cluster of `num_workers` workers on 127.0.0.1.

    For trying `--strategy multiworker` on one machine (and for its tests):
    start one process per value, each with its own `TF_CONFIG`.

    Returns:
        One JSON string per worker, index 0 (the chief) first, on free ports.
    """
    sockets = [socket.socket() for _ in range(num_workers)]
    for s in sockets:
        s.bind(("127.0.0.1", 0))
    workers = [f"127.0.0.1:{s.getsockname()[1]}" for s in sockets]
    for s in sockets:
        s.close()
    return [
        json.dumps({"cluster": {"worker": workers}, "task": {"type": "worker", "index": index}})
        for index in range(num_workers)
    ]


def is_chief(strategy):
    """True on the one worker that writes the run's files (always, without a cluster)."""
    resolver = getattr(strategy, "cluster_resolver", None)
    if resolver is None or not resolver.cluster_spec().as_dict():
        return True
    task_type, task_id = resolver.task_type, resolver.task_id
    if task_type == "chief":
        return True
    has_chief = "chief" in resolver.cluster_spec().as_dict()
    return task_type == "worker" and task_id == 0 and not has_chief


def is_distributed(strategy):
    """True for any strategy but TensorFlow's default (one device, no replicas)."""
    import tensorflow as tf

    with strategy.scope():
        return tf.distribute.has_strategy()


def num_replicas(strategy):
    """Replicas that share each step's global batch."""
    return int(strategy.num_replicas_in_sync)


@contextlib.contextmanager
def worker_scratch_dir(strategy, path):
    """Where this worker writes what every worker must write but only the chief keeps.

    `MultiWorkerMirroredStrategy` needs every worker to take part in saving
    a checkpoint; the chief writes to `path`, the others to a temporary
    folder that is deleted when the run ends.

    Yields:
        `path` on the chief, a temporary folder on other workers.
    """
    if is_chief(strategy):
        yield path
        return
    scratch = tempfile.mkdtemp(prefix="kgl_worker_")
    try:
        yield scratch
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def check_batch_split(batch_size, replicas):
    """Each replica gets an even share of the global batch (half real, half fake).

    Raises:
        UserError: when `batch_size` does not split into `replicas` even shares.
    """
    if batch_size % (2 * replicas):
        raise UserError(
            f"batch size {batch_size} does not split into {replicas} replicas of an even size; "
            f"use a multiple of {2 * replicas}"
        )


def enable_determinism(seed):
    """Makes TensorFlow ops deterministic and seeds Python, numpy and TensorFlow.

    Ops without a deterministic kernel then raise instead of running
    nondeterministically. It is process-wide and cannot be undone.
    """
    import keras
    import tensorflow as tf

    keras.utils.set_random_seed(seed)
    tf.config.experimental.enable_op_determinism()


def check_mixed_precision():
    """Refuses mixed precision where it does not help: without a GPU.

    On a CPU float16 matmuls and convolutions are emulated and slower than
    float32, so the option would only cost accuracy.

    Raises:
        UserError: on a machine without a GPU.
    """
    import tensorflow as tf

    if not tf.config.list_physical_devices("GPU"):
        raise UserError(
            "--mixed-precision needs a GPU (float16 is slower than float32 on a CPU); "
            "this machine has none: run without --mixed-precision"
        )
