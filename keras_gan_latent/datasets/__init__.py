"""Datasets for the GAN experiments.

Only `mnist` lives here so far. Importing this package does not import
TensorFlow or Keras: `mnist_dataset` and the Keras fallback import them when
called, so a command-line tool can validate ``--data`` before paying for them.
"""

from keras_gan_latent.datasets.mnist import (
    MnistArrays,
    NumpyOnlyUnpickler,
    cache_dir,
    cache_path,
    describe_sources,
    load_mnist,
    load_npz,
    mnist_dataset,
    restricted_load,
    restricted_loads,
)

__all__ = [
    "MnistArrays",
    "NumpyOnlyUnpickler",
    "cache_dir",
    "cache_path",
    "describe_sources",
    "load_mnist",
    "load_npz",
    "mnist_dataset",
    "restricted_load",
    "restricted_loads",
]
