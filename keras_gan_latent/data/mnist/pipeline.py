"""MNIST as a step-indexed `tf.data` stream of training batches (`mnist_dataset`);
TensorFlow is imported when it is called."""

from __future__ import annotations


import numpy as np

from keras_gan_latent.checks import is_integer
from keras_gan_latent.data.mnist.arrays import IMAGE_SHAPE
from keras_gan_latent.errors import UserError


def mnist_dataset(x_uint8: np.ndarray, batch_size: int, shuffle: bool = True,
                  seed: int = 0, repeat: bool = True, start_step: int = 0,
                  num_replicas: int = 1, first_replica: int = 0,
                  local_replicas: int = 1, y_uint8: np.ndarray | None = None):
    """A tf.data pipeline of MNIST images (and their labels) for GAN training, indexed by step.

    The batch of training step ``s`` is a pure function of ``(seed, s)``: epoch
    ``e = s // steps_per_epoch`` reads the images in the order of a seeded
    permutation of epoch ``e`` (``tf.random.experimental.index_shuffle``, a
    fresh order each epoch) and step ``s`` takes its ``(s mod steps_per_epoch)``-th
    slice. So there is no iterator state to checkpoint: a resumed run starts the
    stream at ``start_step`` and sees exactly the batches an uninterrupted run
    would, and a distributed run splits each step's batch between its replicas.

    Args:
        x_uint8: uint8 images ``(n, 28, 28)`` (or ``(n, 28, 28, 1)``), e.g. the
            ``x_train`` of `load_mnist`.
        batch_size: Images per step (the global batch); each epoch's last
            partial batch is dropped so every batch has a static shape.
        shuffle: Permute each epoch (seeded); ``False`` keeps the array order.
        seed: Permutation seed, for runs that repeat exactly.
        repeat: Repeat forever (a training loop counts steps, not epochs);
            ``False`` stops after one epoch.
        start_step: The first step the stream yields.
        num_replicas: Replicas sharing each step's batch; each gets
            ``batch_size / num_replicas`` consecutive images of it.
        first_replica: The global index of this input pipeline's first replica.
        local_replicas: Replicas fed by this pipeline. It yields, step by
            step, the slice of each of them in turn (the order in which
            ``tf.distribute`` hands a worker's elements to its replicas).
        y_uint8: Optional integer class labels ``(n,)`` of the images, e.g.
            the ``y_train`` of `load_mnist` (for a conditional GAN).

    Returns:
        A ``tf.data.Dataset`` of float32 batches ``(batch_size / num_replicas,
        28, 28, 1)`` scaled to [-1, 1] (``x / 127.5 - 1``, matching a tanh
        generator). With ``y_uint8``, each element is ``(images, labels)``:
        the same images, and the int32 labels ``(batch_size / num_replicas,)``
        of exactly those images, in the same order.

    Raises:
        UserError: Wrong dtype or shape (of the images or the labels, or as
            many labels as images), or a batch larger than the data (with
            ``drop_remainder`` that would yield nothing, and repeat forever).
    """
    x = _check_pipeline_input(x_uint8, batch_size)
    y = None if y_uint8 is None else _check_pipeline_labels(y_uint8, len(x))
    if batch_size % num_replicas:
        raise UserError(f"batch size {batch_size} does not split between {num_replicas} replicas")
    import tensorflow as tf  # here, so importing this package stays cheap

    n = len(x)
    steps_per_epoch = n // batch_size
    per_replica = batch_size // num_replicas
    # The uint8 array stays in the graph (47 MB, not 188 MB as float32); whole
    # batches are gathered and converted at once.
    images = tf.constant(x)
    labels = None if y is None else tf.constant(y.astype(np.int32))
    offsets = tf.range(per_replica, dtype=tf.int64)

    def batch_of(element):
        step = start_step + element // local_replicas
        replica = first_replica + element % local_replicas
        positions = (step % steps_per_epoch) * batch_size + replica * per_replica + offsets
        if shuffle:
            epoch_seed = tf.stack([tf.constant(seed, tf.int64), step // steps_per_epoch])
            positions = tf.random.experimental.index_shuffle(
                positions, epoch_seed, tf.constant(n - 1, tf.int64))
        batch = _scale_to_unit_range(tf.gather(images, positions))
        if labels is None:
            return batch
        return batch, tf.gather(labels, positions)

    if repeat:
        elements = tf.data.Dataset.counter(0, dtype=tf.int64)
    else:
        remaining = max(0, steps_per_epoch - start_step) * local_replicas
        elements = tf.data.Dataset.range(remaining, output_type=tf.int64)
    ds = elements.map(batch_of, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    return ds.prefetch(tf.data.AUTOTUNE)


def _check_pipeline_input(x: np.ndarray, batch_size: int) -> np.ndarray:
    """Validate `mnist_dataset` arguments; returns images as (n, 28, 28) uint8."""
    x = np.asarray(x)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.dtype != np.uint8 or x.ndim != 3 or x.shape[1:] != IMAGE_SHAPE:
        raise UserError(f"images have dtype {x.dtype} and shape {x.shape} "
                        "(expected uint8 (n, 28, 28), e.g. x_train from load_mnist)")
    if not is_integer(batch_size) or not 1 <= batch_size <= len(x):
        raise UserError(f"batch size {batch_size!r} must be an integer from 1 to the "
                        f"number of images ({len(x)})")
    return x


def _check_pipeline_labels(y: np.ndarray, num_images: int) -> np.ndarray:
    """Validate `mnist_dataset`'s labels; returns them as an integer (n,) array."""
    y = np.asarray(y)
    if y.dtype.kind not in "iu" or y.ndim != 1:
        raise UserError(f"labels have dtype {y.dtype} and shape {y.shape} "
                        "(expected integers (n,), e.g. y_train from load_mnist)")
    if len(y) != num_images:
        raise UserError(f"{num_images} images but {len(y)} labels: "
                        "the labels must be those of the images, one each")
    return y


def _scale_to_unit_range(batch):
    """uint8 (b, 28, 28) -> float32 (b, 28, 28, 1) in [-1, 1]."""
    import tensorflow as tf

    return tf.expand_dims(tf.cast(batch, tf.float32) / 127.5 - 1.0, axis=-1)
