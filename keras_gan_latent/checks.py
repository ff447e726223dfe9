"""The type checks every validator of a given number starts with.

Python's `True` is an `int` (and a `numbers.Real`), so a check that a value
is a number must also refuse bools; numpy's integers and floats are numbers
too. Each validator in the package tests the type here and states its own
range and message; `check_number` is the one for a finite number >= 0 (and
below a bound) that the models' settings share.
"""

import math
import numbers

from keras_gan_latent.errors import UserError


def is_integer(value):
    """Whether `value` is an integer: a Python or numpy integer, not a bool."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def is_number(value, finite=True):
    """Whether `value` is a real number (a Python or numpy integer or float, not a bool).

    Args:
        value: Anything.
        finite: Also require it to be finite (no NaN or infinity).

    Returns:
        A bool.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        return False
    return math.isfinite(value) if finite else True


def check_number(value, what, below=None):
    """Returns `value` as a float; raises `UserError` unless it is a finite real number >= 0 (and < `below`).

    Args:
        value: Anything.
        what: The name the one-line error gives it, e.g. "info weight".
        below: An exclusive upper bound, or None.

    Returns:
        The float.

    Raises:
        UserError: "<what> must be a finite number >= 0" (or "a number in [0, below)"), naming the value.
    """
    valid = is_number(value) and value >= 0
    if not valid or (below is not None and value >= below):
        allowed = f"a number in [0, {below:g})" if below is not None else "a finite number >= 0"
        raise UserError(f"{what} must be {allowed}, got {value!r}")
    return float(value)
