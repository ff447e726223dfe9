"""Our own MNIST cache: ``mnist_uint8.npz`` in `cache_dir` with a SHA-256 file
beside it, written atomically."""

from __future__ import annotations

import logging
import os
import zipfile
from pathlib import Path
from typing import Callable, Dict, Optional

import numpy as np

from keras_gan_latent.data.mnist.arrays import (
    KEYS,
    MnistArrays,
    _check_real_sizes,
    _one_line,
    sha256_file,
    validate_arrays,
)
from keras_gan_latent.errors import UserError
from keras_gan_latent.fileio import atomic_write

logger = logging.getLogger(__name__)

CACHE_ENV = "KERAS_GAN_LATENT_CACHE"
CACHE_FILENAME = "mnist_uint8.npz"
CHECKSUM_SUFFIX = ".sha256"


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
