"""Where evaluated samples come from: an export folder or a `.npy` file.

Shared by the toy report (`evaluation.toy`) and the MNIST report
(`evaluation.mnist`).
"""

import os

import numpy as np
import tensorflow as tf

from keras_gan_latent.errors import UserError

# The k-NN estimators and the bootstrap need a few dozen points to mean anything.
MIN_SAMPLES = 50


def is_image_shape(shape):
    """True if `shape` is one 28x28 digit's: `(28, 28)` or `(28, 28, 1)`."""
    from keras_gan_latent.data.mnist import IMAGE_SHAPE

    return tuple(shape) in (IMAGE_SHAPE, (*IMAGE_SHAPE, 1))


def export_sample_shape(sampler):
    """The shape of one sample of a loaded export, without generating anything.

    Args:
        sampler: An export from `export.load_export`.

    Returns:
        A tuple, e.g. `(2,)` for a 2-D toy generator or `(28, 28, 1)` for a DCGAN.
    """
    try:
        spec = sampler.generate.concrete_functions[0].structured_outputs["x"]
        return tuple(int(d) for d in spec.shape[1:])
    except (AttributeError, IndexError, KeyError, TypeError):
        # An export whose signature does not say: one sample tells.
        out = sampler.sample(num_samples=tf.constant(1, tf.int32), seed=tf.constant(0, tf.int64))
        return tuple(out["x"].shape[1:])


def read_source(source, num_samples, seed, check_shape, purpose, what):
    """Samples from an export folder or the array of a `.npy` file.

    Args:
        source: Export folder or `.npy` path.
        num_samples: How many to draw from an export.
        seed: Sampling seed for an export.
        check_shape: `check_shape(sampler, sample_shape, config)` raises a
            `UserError` for an export of the wrong kind, before it samples.
        purpose: What the samples are for, in the -n error.
        what: What a sample is ("samples", "images"), in the read error.

    Returns:
        `(array, export_or_None)`.
    """
    sampler = None
    if os.path.isdir(source):
        from keras_gan_latent.training.export import load_export

        if num_samples < MIN_SAMPLES:
            raise UserError(f"-n must be at least {MIN_SAMPLES} for {purpose}, got {num_samples}")
        sampler, config = load_export(source)
        check_shape(sampler, export_sample_shape(sampler), config)
        out = sampler.sample(num_samples=tf.constant(num_samples, tf.int32), seed=tf.constant(seed, tf.int64))
        array = out["x"].numpy()
    elif os.path.isfile(source):
        try:
            array = np.load(source, allow_pickle=False)
        except Exception as exc:  # not an .npy at all, or an object array
            raise UserError(f"cannot read {source!r} as a .npy array of {what} ({type(exc).__name__})") from exc
    else:
        raise UserError(f"source {source!r} is neither an export folder nor a .npy file")
    return array, sampler
