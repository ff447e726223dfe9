"""Keras callbacks shared by every GAN: TensorBoard summaries and the animation.

Summaries are written here, outside the compiled `train_step`, for two
reasons: a `tf.summary` inside a `tf.function` captures its step at trace
time, and summary ops do not compile under XLA. The step written is the
model's own `global_step` variable, the true number of generator updates,
so event files stay correct whatever `steps_per_execution` is and across
several `fit` calls.
"""

import keras
import numpy as np
import tensorflow as tf

from keras_gan_latent.viz import plotting
from keras_gan_latent.training.checkpoints import explain_write_errors


def _current_step(model):
    return int(model.global_step.numpy())


class TensorBoardSummaries(keras.callbacks.Callback):
    """Streams scalars, images and histograms of a GAN to TensorBoard.

    Scalars (`train/<tracker>`: the mean over the steps since the last write,
    taken from the trackers' running totals, so the progress bar and the
    history keep their usual epoch means) at every multiple of
    `scalar_every`; images, histograms and the view's fidelity scalars at
    every multiple of `image_every`, at the start of training and at its
    end. A run resumed from a step between two multiples writes at the next
    multiple, so its summaries stay on the same steps as an uninterrupted run's.

    Args:
        log_dir: Folder of the run's event files; None on a worker that is
            not the chief of a multi-worker run: it reads the trackers like
            the chief (there, reading them is a collective every worker must
            join) and writes nothing.
        view: A view (e.g. `ScatterView`) that renders the data-specific part.
        scalar_every: Steps between scalar writes.
        image_every: Steps between image and histogram writes.
    """

    def __init__(self, log_dir, view, scalar_every=100, image_every=1000):
        super().__init__()
        self.log_dir = log_dir
        self.view = view
        self.scalar_every = scalar_every
        self.image_every = image_every
        self.writer = None
        self._last_scalar_step = None
        self._last_image_step = None
        self._last_totals = {}
        # The run's last step: a run split into several `fit` calls draws its
        # closing images there only, not at the end of every call (None: at
        # the end of every call).
        self.end_step = None

    def on_train_begin(self, logs=None):
        if self.writer is None:
            if self.log_dir is None:
                self.writer = tf.summary.create_noop_writer()
            else:
                self.writer = tf.summary.create_file_writer(self.log_dir)
        step = _current_step(self.model)
        if self._last_scalar_step is None:
            self._last_scalar_step = step
        if self._last_image_step is None:
            self.write_images(step)

    def on_train_batch_end(self, batch, logs=None):
        if self.model.stop_training:  # diverged: nothing sensible to draw
            return
        step = _current_step(self.model)
        # At the first step end past each multiple of the interval: a run
        # resumed from a step between two multiples keeps the same grid.
        if step // self.scalar_every > self._last_scalar_step // self.scalar_every:
            self.write_scalars(step)
        if step // self.image_every > self._last_image_step // self.image_every:
            self.write_images(step)

    def on_train_end(self, logs=None):
        step = _current_step(self.model)
        if not self.model.stop_training:
            if step > self._last_scalar_step:  # the trackers restart with the next `fit` call
                self.write_scalars(step)
            if step > self._last_image_step and (self.end_step is None or step >= self.end_step):
                self.write_images(step)
        self.writer.flush()

    def continue_from(self, step):
        """Continues a resumed run: its summaries up to `step` are already written."""
        self._last_scalar_step = step
        self._last_image_step = step

    def on_epoch_begin(self, epoch, logs=None):
        # Keras resets the trackers at each epoch (each fit call).
        self._last_totals = {}

    def write_scalars(self, step):
        """Writes each tracker's mean over the steps since the last write."""
        with explain_write_errors(f"the summaries of step {step}", self.log_dir), self.writer.as_default(step=step):
            for tracker in self.model.metrics:
                total, count = float(tracker.total.numpy()), float(tracker.count.numpy())
                last_total, last_count = self._last_totals.get(tracker.name, (0.0, 0.0))
                if count > last_count:
                    tf.summary.scalar(
                        f"train/{tracker.name}", (total - last_total) / (count - last_count)
                    )
                self._last_totals[tracker.name] = (total, count)
        self._last_scalar_step = step

    def write_images(self, step):
        """Writes the view's scalars, images and histograms, and the weight histograms."""
        self._last_image_step = step
        if self.log_dir is None:
            return
        scalars, images, histograms = self.view.summaries(self.model, step)
        with explain_write_errors(f"the summaries of step {step}", self.log_dir), self.writer.as_default(step=step):
            for tag, value in scalars.items():
                tf.summary.scalar(tag, value)
            for tag, image in images.items():
                tf.summary.image(tag, image[None], max_outputs=1)
            for tag, values in histograms.items():
                tf.summary.histogram(tag, values)
            for network in self.model.networks.values():
                for weight in network.weights:
                    tf.summary.histogram(f"{network.name}/{weight.path}", weight.value)
            self.writer.flush()


class NonFiniteGuard(keras.callbacks.Callback):
    """Stops training at the first non-finite loss or weight.

    Checked after every execution (`steps_per_execution` steps), so the step
    it names is the end of the execution in which training diverged. The
    trainer then reports it and keeps what was written before.

    Attributes:
        diverged_at: The step at which divergence was seen, or None.
        reason: What was non-finite.
    """

    def __init__(self):
        super().__init__()
        self.diverged_at = None
        self.reason = None

    def on_train_batch_end(self, batch, logs=None):
        bad = sorted(k for k, v in (logs or {}).items() if not np.all(np.isfinite(np.asarray(v))))
        if not bad:
            for network in self.model.networks.values():
                for weight in network.weights:
                    if not bool(tf.reduce_all(tf.math.is_finite(weight.value))):
                        bad.append(f"{network.name} weight {weight.path}")
                        break
        if bad:
            self.diverged_at = _current_step(self.model)
            self.reason = ", ".join(bad[:3])
            self.model.stop_training = True


class AnimationRecorder(keras.callbacks.Callback):
    """Records the view's frame every `every` steps and writes them as a GIF.

    The article's animations have 600 frames: one per step over the first
    600 steps, or one every RATE steps over 600 * RATE steps.

    Args:
        view: A view with `frame(model, step)`.
        path: Output GIF file, written once at the end of training.
        every: Steps between frames.
        max_frames: Frames to record (the first is the untrained generator).
        fps: Playback speed.
    """

    def __init__(self, view, path, every=1, max_frames=600, fps=30):
        super().__init__()
        self.view = view
        self.path = path
        self.every = every
        self.max_frames = max_frames
        self.fps = fps
        self.frames = []
        self._last_step = None

    def on_train_begin(self, logs=None):
        if self._last_step is None:
            self._record(_current_step(self.model))

    def on_train_batch_end(self, batch, logs=None):
        step = _current_step(self.model)
        if self.model.stop_training:
            return
        if len(self.frames) < self.max_frames and step - self._last_step >= self.every:
            self._record(step)

    def _record(self, step):
        self.frames.append(self.view.frame(self.model, step))
        self._last_step = step

    def write(self):
        """Writes the recorded frames as an animated GIF."""
        if self.frames:
            plotting.write_gif(np.stack(self.frames), self.path, fps=self.fps)
