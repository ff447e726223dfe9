"""Small file helpers: atomic writes and early checks that a folder is writable.

A run must never leave a half-written file behind: everything it writes goes
to a temporary file in the same folder first and is moved into place with
`os.replace`, which is atomic on POSIX file systems.
"""

import contextlib
import json
import os
import secrets

from keras_gan_latent.errors import UserError


def default_mode(is_dir=False):
    """The permissions a plain open()/mkdir() would give under the current umask."""
    umask = os.umask(0)
    os.umask(umask)
    return (0o777 if is_dir else 0o666) & ~umask


def atomic_write(path, write):
    """Writes a file through `write(fileobj)` into a temporary file, then renames it.

    A crash or a full disk leaves either the old file or none, never half of
    one. The temporary file has a unique name (concurrent writers never
    share one) and is opened with "xb", so the result gets the umask's mode.

    Args:
        path: Destination file.
        write: Function that writes the contents to a binary file object.
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    tmp = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
    try:
        with open(tmp, "xb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def atomic_write_bytes(path, data):
    """Writes `data` to `path` atomically (see `atomic_write`)."""
    atomic_write(path, lambda f: f.write(data))


def atomic_write_json(path, obj):
    """Writes `obj` as indented JSON, atomically."""
    atomic_write_bytes(path, (json.dumps(obj, indent=2, sort_keys=True) + "\n").encode())


def nearest_existing_parent(path):
    """The deepest existing folder on the way to `path` (which may not exist yet)."""
    path = os.path.abspath(path)
    while not os.path.exists(path):
        parent = os.path.dirname(path)
        if parent == path:
            break
        path = parent
    return path


def check_writable_dir(path, what):
    """Checks, without creating anything, that folder `path` could be created and written.

    Args:
        path: A folder that may not exist yet.
        what: How to name it in the error (e.g. "logdir").

    Raises:
        UserError: if `path` is a file, or its nearest existing parent is not
            a writable folder.
    """
    if os.path.exists(path) and not os.path.isdir(path):
        raise UserError(f"{what} {path!r} exists and is not a folder")
    parent = nearest_existing_parent(path)
    if not os.path.isdir(parent):
        raise UserError(f"{what} {path!r} cannot be created: {parent!r} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise UserError(f"{what} {path!r} is not writable (no write permission on {parent!r})")


def available_memory():
    """Bytes of memory the system can give a process now (Linux: MemAvailable), or its physical memory."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")


def is_nonempty_dir(path):
    """True if `path` is a folder with at least one entry."""
    return os.path.isdir(path) and bool(os.listdir(path))


@contextlib.contextmanager
def file_lock(path, blocking=True):
    """Holds an exclusive `fcntl.flock` on `path` (created if missing) while in the block.

    The lock belongs to the open file, so the kernel releases it when the
    holder exits in any way (SIGKILL included): a killed process never
    leaves a stale lock behind. On a shared file system the lock is as good
    as the file system's `flock`: NFSv4 supports it across machines, Lustre
    only when mounted with `-o flock` (with `localflock` it holds within one
    node only).

    Args:
        path: The lock file; its parent folder must exist.
        blocking: Wait for the lock (True) or give up at once (False).

    Yields:
        True if the lock is held, False if `blocking` is False and another
        process holds it.

    Examples:
        >>> with file_lock("out/results.lock"):
        ...     rewrite_tables()
    """
    import fcntl

    with open(path, "a") as f:
        try:
            fcntl.flock(f, fcntl.LOCK_EX | (0 if blocking else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)
