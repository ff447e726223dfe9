"""Checkpoints: runs that survive a kill and continue where they stopped.

A checkpoint holds everything the next step depends on, as the model lists it
(`checkpoint_items`): for a GAN both networks, both optimizers' slots, the
step counter, the model's random generator (so the resumed run draws the same
latents and real samples as an uninterrupted one) and the fixed evaluation
latents (with a conditional GAN's fixed labels).
`tf.train.CheckpointManager` writes the data files first and its
`checkpoint` index last, atomically, so a crash while saving leaves the
previous checkpoint usable.
"""

import contextlib
import errno
import logging
import os

import keras
import tensorflow as tf

from keras_gan_latent.errors import RunWriteError, UserError, first_line
from keras_gan_latent.training import events
from keras_gan_latent.training.ownership import CHECKPOINT_DIR

log = logging.getLogger(__name__)


def model_checkpoint(model):
    """A `tf.train.Checkpoint` of a compiled model's whole training state (`model.checkpoint_items()`)."""
    return tf.train.Checkpoint(**model.checkpoint_items())


def checkpoint_manager(model, run_dir, max_to_keep=3):
    """The run's `CheckpointManager` (checkpoints numbered by training step)."""
    return tf.train.CheckpointManager(
        model_checkpoint(model), os.path.join(run_dir, CHECKPOINT_DIR), max_to_keep=max_to_keep
    )


def restore_latest(manager):
    """Restores the newest checkpoint that reads back, falling back to older ones.

    Args:
        manager: The run's `CheckpointManager`.

    Returns:
        The restored step, or None if the run has no checkpoint.

    Raises:
        UserError: if checkpoints exist but none can be read (corrupt, or
            of a model built with other settings).
    """
    paths = list(reversed(manager.checkpoints))
    if not paths:
        return None
    for path in paths:
        try:
            manager.checkpoint.restore(path).assert_existing_objects_matched()
        except Exception as exc:  # truncated or corrupt files fail in many ways (IndexError, DataLoss, ...)
            log.warning("checkpoint %s is unreadable (%s); trying an older one", path, first_line(exc))
            continue
        return int(manager.checkpoint.global_step.numpy())
    raise UserError(
        f"none of the {len(paths)} checkpoints in {manager.directory} can be read into this model: they are "
        "corrupt, or were written with other settings (compare with the run's config.json)"
    )


@contextlib.contextmanager
def explain_write_errors(what, where):
    """Turns a failed write during training into one line that says what is safe.

    A full disk or a folder removed under a running job must not end in a
    traceback, and must not cost the checkpoints already written: the
    checkpoint index is replaced only after a save's data is complete, so
    the last good checkpoint survives a failed save.

    Args:
        what: What was being written, for the message.
        where: The folder it was written to.

    Raises:
        RunWriteError: in place of an `OSError` or a TensorFlow I/O error.
    """
    try:
        yield
    except (OSError, tf.errors.OpError) as exc:
        if isinstance(exc, tf.errors.OpError) and not _is_io_error(exc):
            raise
        reason = first_line(exc)
        if getattr(exc, "errno", None) == errno.ENOSPC or "space left" in reason:
            reason = "no space left on the device"
        raise RunWriteError(
            f"could not write {what} in {where}: {reason}; the last good checkpoint is kept; "
            "free space or fix the folder, then run the same command with --resume"
        ) from exc


def _is_io_error(exc):
    """TensorFlow reports file-system failures as these error codes."""
    return isinstance(
        exc,
        (tf.errors.ResourceExhaustedError, tf.errors.PermissionDeniedError, tf.errors.NotFoundError,
         tf.errors.UnknownError, tf.errors.FailedPreconditionError, tf.errors.DataLossError),
    )


def save_or_explain(manager, step):
    """Saves a checkpoint numbered `step`; a failed write becomes a `RunWriteError`."""
    with explain_write_errors(f"the checkpoint of step {step}", manager.directory):
        manager.save(checkpoint_number=step)


def purge_events_after(run_dir, step):
    """Drops events written after `step` from the run's event files.

    A killed run may have written summaries past its last checkpoint; the
    resumed run writes those steps again, and TensorBoard must not show both.

    Args:
        run_dir: Folder of the event files.
        step: The restored step; events with a larger step are removed.
    """
    for path in events.event_files(run_dir):
        kept, dropped = [], 0
        for raw, event in events.read_events(path):  # a record cut off by the kill ends the file
            if event.step > step and event.HasField("summary"):
                dropped += 1
            else:
                kept.append(raw)
        if not dropped:
            continue
        tmp = path + ".purge-tmp"
        with tf.io.TFRecordWriter(tmp) as writer:
            for record in kept:
                writer.write(record)
        os.replace(tmp, path)


class CheckpointSaver(keras.callbacks.Callback):
    """Saves a checkpoint every `every` steps and at the end of training.

    Nothing is saved once training has stopped for a non-finite value, so the
    last checkpoint stays the last good one.

    Args:
        manager: The run's `CheckpointManager`.
        every: Steps between checkpoints.
    """

    def __init__(self, manager, every):
        super().__init__()
        self.manager = manager
        self.every = every
        self._last_saved = None

    def on_train_begin(self, logs=None):
        if self._last_saved is None:
            self._last_saved = int(self.model.global_step.numpy())

    def on_train_batch_end(self, batch, logs=None):
        step = int(self.model.global_step.numpy())
        # On multiples of `every`, so a resumed run keeps the same schedule.
        if not self.model.stop_training and step // self.every > self._last_saved // self.every:
            self.save(step)

    def on_train_end(self, logs=None):
        step = int(self.model.global_step.numpy())
        if not self.model.stop_training and step > self._last_saved:
            self.save(step)

    def save(self, step):
        save_or_explain(self.manager, step)
        self._last_saved = step
