"""A small MNIST CNN (> 99 % test accuracy) that judges generated digits.

The DCGAN study classified 10,000 generated digits into a histogram with the
Keras example CNN, trained on pixels in [0, 1], but fed it the generator's tanh
outputs in [-1, 1] unchanged. Here every image goes through `as_unit_images`,
which maps uint8 0..255 and floats in [-1, 1] (or any range the caller names)
to [0, 1], the scale the classifier was trained on.

The trained model is cached as ``<cache_dir()>/classifier/mnist_cnn_<hash>.keras``
with a JSON of its test accuracy beside it; the hash covers `CONFIG` (the
architecture and training settings) and the SHA-256 of the MNIST arrays, so a
change to either trains a new model instead of reusing a stale one.

Importing this module is cheap: Keras (hence TensorFlow) is imported only by
the functions that build, train, load or run a model.
"""

import hashlib
import json
import logging
import os
import secrets
import time
import zipfile
from pathlib import Path
from typing import NamedTuple, Optional

import numpy as np

from keras_gan_latent.data.mnist import IMAGE_SHAPE, NUM_CLASSES, cache_dir, load_mnist
from keras_gan_latent.errors import UserError
from keras_gan_latent.fileio import atomic_write_json
from keras_gan_latent.metrics.pixels import FLOAT_RANGE, as_unit_images  # noqa: F401 (re-exported)

logger = logging.getLogger(__name__)

CONFIG = {
    "version": 1,  # bump when the code below changes what a CONFIG trains
    "conv_filters": [32, 64],
    "kernel_size": 3,
    "dense_units": 128,
    "dropout": 0.25,
    "epochs": 3,
    "batch_size": 128,
    "learning_rate": 3e-3,  # Adam, cosine-decayed to 0 over the run
    "seed": 0,
}
"""Architecture and training settings. Measured in the tuning runs: 99.23 % test
accuracy (99.14 % with learning rate 2e-3, 99.28 % with a 4th epoch); about
35 s per epoch on an idle 2-core CPU. XLA is left off: its CPU convolutions
were 7x slower here. Halving the filters (16, 32) gave only 99.06 %."""

FEATURES_LAYER = "features"
"""Name of the penultimate Dense layer whose ReLU outputs are the features."""

SECONDS_PER_EPOCH = 35
"""Training time of one epoch on an idle 2-core CPU (see `CONFIG`), for `first_use_notice`."""

CACHE_SUBDIR = "classifier"
FILE_PREFIX = "mnist_cnn_"


class CachedClassifier(NamedTuple):
    """What `load_or_train_classifier` returns (unpacks as ``model, info``)."""

    model: object
    """The Keras model: (n, 28, 28, 1) in [0, 1] -> (n, 10) probabilities."""
    info: dict
    """The cached JSON (test_accuracy, config, data_sha256, ...) plus
    ``model_path``, ``info_path`` and ``from_cache`` (False if trained now)."""


# ---------------------------------------------------------------------- model


def build_classifier(config=None):
    """The CNN of `CONFIG`, uncompiled.

    Two blocks of Conv2D(3x3, ReLU) + MaxPool, then Dropout, Dense(ReLU) named
    `FEATURES_LAYER`, Dropout and a 10-way softmax.

    Args:
        config: Settings dict like `CONFIG` (default `CONFIG`).

    Returns:
        A functional ``keras.Model``: (n, 28, 28, 1) in [0, 1] -> (n, 10).
    """
    import keras
    from keras import layers

    c = CONFIG if config is None else config
    seed = c["seed"]
    inputs = keras.Input((*IMAGE_SHAPE, 1), name="pixels_0_1")
    x = inputs
    for i, filters in enumerate(c["conv_filters"]):
        x = layers.Conv2D(filters, c["kernel_size"], padding="same", activation="relu",
                          name=f"conv{i + 1}")(x)
        x = layers.MaxPooling2D(name=f"pool{i + 1}")(x)
    x = layers.Flatten(name="flatten")(x)
    x = layers.Dropout(c["dropout"], seed=seed, name="dropout1")(x)
    x = layers.Dense(c["dense_units"], activation="relu", name=FEATURES_LAYER)(x)
    x = layers.Dropout(c["dropout"], seed=seed + 1, name="dropout2")(x)
    outputs = layers.Dense(NUM_CLASSES, activation="softmax", name="probs")(x)
    return keras.Model(inputs, outputs, name="mnist_cnn")


def train_classifier(x_train, y_train, config=None, verbose=1):
    """Train a fresh `build_classifier` model on real digits.

    Seeds Keras's global random state (Python, numpy and TensorFlow) with
    ``config["seed"]``, so a run repeats up to thread-level nondeterminism.

    Args:
        x_train: Training images, uint8 ``(n, 28, 28)`` (or anything
            `as_unit_images` accepts).
        y_train: Integer labels ``(n,)``.
        config: Settings dict like `CONFIG` (default `CONFIG`).
        verbose: Keras ``fit`` verbosity: 0 silent, 1 progress bar, 2 a line per epoch.

    Returns:
        ``(model, seconds)``: the trained model and the training wall time.
    """
    import keras

    c = CONFIG if config is None else config
    keras.utils.set_random_seed(c["seed"])
    model = build_classifier(c)
    x = as_unit_images(x_train)[..., None]
    y = np.asarray(y_train, dtype=np.int32)
    steps = c["epochs"] * -(-len(x) // c["batch_size"])
    schedule = keras.optimizers.schedules.CosineDecay(c["learning_rate"], steps)
    model.compile(optimizer=keras.optimizers.Adam(schedule),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    start = time.perf_counter()
    model.fit(x, y, batch_size=c["batch_size"], epochs=c["epochs"], shuffle=True,
              verbose=verbose)
    return model, time.perf_counter() - start


def classify(model, images, batch_size=500, float_range=FLOAT_RANGE):
    """Class probabilities and penultimate-layer features of digits, in batches.

    Args:
        model: A classifier from `load_or_train_classifier` (any model with a
            layer named `FEATURES_LAYER` and inputs in [0, 1]).
        images: ``(n, 28, 28)`` or ``(n, 28, 28, 1)``, uint8 0..255 or floats in
            ``float_range`` (default [-1, 1], a tanh generator's); rescaled to
            [0, 1] by `as_unit_images` first.
        batch_size: Images per forward pass (bounds memory).
        float_range: Scale of float images, see `as_unit_images`.

    Returns:
        ``(probs, features)``: float32 ``(n, 10)`` softmax outputs and float32
        ``(n, d)`` features (d = ``CONFIG["dense_units"]``).

    Raises:
        UserError: Bad images (see `as_unit_images`) or a model without a
            `FEATURES_LAYER` layer.
    """
    x = as_unit_images(images, float_range)[..., None]
    both = _probs_and_features_model(model)
    probs, features = [], []
    for start in range(0, len(x), batch_size):
        p, f = both(x[start:start + batch_size], training=False)
        probs.append(np.asarray(p))
        features.append(np.asarray(f))
    return np.concatenate(probs), np.concatenate(features)


def _probs_and_features_model(model):
    """A model sharing `model`'s layers with outputs (probabilities, features)."""
    import keras

    try:
        features = model.get_layer(FEATURES_LAYER).output
    except ValueError as exc:
        raise UserError(f"classifier {model.name!r} has no layer named {FEATURES_LAYER!r} "
                        "(expected a model from load_or_train_classifier)") from exc
    return keras.Model(model.input, [model.output, features])


def accuracy(model, images, labels, batch_size=500):
    """Share of `images` whose argmax class equals `labels`.

    Args:
        model: A classifier (see `classify`).
        images: Images as `classify` accepts them.
        labels: Integer labels ``(n,)``.
        batch_size: Images per forward pass.

    Returns:
        The accuracy as a float in [0, 1].
    """
    probs, _ = classify(model, images, batch_size)
    return float(np.mean(np.argmax(probs, axis=1) == np.asarray(labels)))


# ---------------------------------------------------------------------- cache


def load_or_train_classifier(cache=None, data_path=None, verbose=1, force=False):
    """The cached classifier for these settings and data, training it the first time.

    Args:
        cache: Folder of the cache (default ``cache_dir() / "classifier"``,
            i.e. beside the MNIST cache; ``$KERAS_GAN_LATENT_CACHE`` moves both).
        data_path: Optional MNIST ``.npz`` (see `load_mnist`); default real MNIST.
        verbose: 0 silent; 1 progress bar while training; 2 a line per epoch.
        force: Train again even if a cached model exists (and replace it).

    Returns:
        `CachedClassifier` ``(model, info)``; ``info["test_accuracy"]`` is the
        accuracy on the test split of the same data, measured after training.

    Raises:
        UserError: MNIST cannot be loaded, or the cache folder is not writable.
    """
    x_train, y_train, x_test, y_test = load_mnist(data_path)
    data_sha256 = data_checksum((x_train, y_train, x_test, y_test))
    model_path, info_path = cache_paths(cache, data_sha256)
    if not force:
        cached = _read_cached(model_path, info_path)
        if cached is not None:
            return cached

    if verbose:
        print(f"training the MNIST classifier ({CONFIG['epochs']} epochs; cached afterwards "
              f"in {model_path.parent})")
    model, seconds = train_classifier(x_train, y_train, CONFIG, verbose)
    info = {
        "test_accuracy": accuracy(model, x_test, y_test),
        "num_test": int(len(y_test)),
        "train_seconds": round(seconds, 1),
        "config": CONFIG,
        "data_sha256": data_sha256,
        "keras_version": _keras_version(),
        "model_file": model_path.name,
    }
    _save_model_atomically(model, model_path)
    # The JSON goes last: its presence means the model beside it is complete.
    atomic_write_json(str(info_path), info)
    return CachedClassifier(model, {**info, "model_path": str(model_path),
                                    "info_path": str(info_path), "from_cache": False})


def first_use_notice(data_path=None, cache=None):
    """What to tell a user before a run that will train the classifier first, or None if it is cached.

    Reads MNIST (as `load_or_train_classifier` will) but imports no Keras.

    Args:
        data_path: Optional MNIST ``.npz`` (see `load_mnist`).
        cache: Cache folder (default ``cache_dir() / "classifier"``).

    Returns:
        One line saying that the classifier is trained once, how long that
        takes and where it is cached; None if a cached classifier exists.

    Raises:
        UserError: MNIST cannot be loaded.
    """
    model_path, info_path = cache_paths(cache, data_checksum(load_mnist(data_path)))
    if model_path.is_file() and info_path.is_file():
        return None
    minutes = CONFIG["epochs"] * SECONDS_PER_EPOCH / 60
    return (f"first use of the MNIST classifier (the digit scores): training it once before this run, "
            f"{CONFIG['epochs']} epochs, about {minutes:.0f} minutes on an idle 2-core CPU; cached in {model_path.parent}")


def cache_paths(cache, data_sha256):
    """Paths of the cached model and its JSON for `CONFIG` and the given data.

    Args:
        cache: Cache folder, or None for ``cache_dir() / "classifier"``.
        data_sha256: `data_checksum` of the MNIST arrays.

    Returns:
        ``(model_path, info_path)``: ``mnist_cnn_<hash>.keras`` and ``.json``.
    """
    folder = Path(cache).expanduser() if cache is not None else cache_dir() / CACHE_SUBDIR
    payload = json.dumps({"config": CONFIG, "data_sha256": data_sha256}, sort_keys=True)
    key = hashlib.sha256(payload.encode()).hexdigest()[:16]
    return folder / f"{FILE_PREFIX}{key}.keras", folder / f"{FILE_PREFIX}{key}.json"


def data_checksum(arrays):
    """SHA-256 over arrays' dtypes, shapes and bytes (about 0.1 s for MNIST).

    Args:
        arrays: Sequence of numpy arrays, e.g. ``(x_train, y_train, x_test, y_test)``.

    Returns:
        64 lowercase hex digits.
    """
    sha = hashlib.sha256()
    for a in arrays:
        a = np.ascontiguousarray(a)
        sha.update(f"{a.dtype.str}{a.shape};".encode())
        sha.update(memoryview(a).cast("B"))
    return sha.hexdigest()


def _read_cached(model_path, info_path):
    """The cached model and info, or None when absent or unreadable (then retrained)."""
    if not (model_path.is_file() and info_path.is_file()):
        return None
    import keras

    try:
        info = json.loads(info_path.read_text())
        model = keras.models.load_model(model_path, compile=False)
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        logger.warning("ignoring unreadable cached classifier %s (%s); training again",
                       model_path, " ".join(str(exc).split()))
        return None
    return CachedClassifier(model, {**info, "model_path": str(model_path),
                                    "info_path": str(info_path), "from_cache": True})


def _save_model_atomically(model, path):
    """model.save to a temp ``.keras`` in the same folder, then os.replace into place."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"cannot create the classifier cache {path.parent}: {exc.strerror}") from exc
    # Keras insists on the .keras suffix; the leading dot and random part keep
    # concurrent writers apart and the file out of cache listings.
    tmp = path.with_name(f".{path.stem}.{os.getpid()}.{secrets.token_hex(4)}.tmp.keras")
    try:
        model.save(tmp)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise UserError(f"cannot write the classifier cache {path}: {exc}") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _keras_version() -> Optional[str]:
    import keras

    return getattr(keras, "__version__", None)
