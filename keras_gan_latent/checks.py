"""The type checks every validator of a given number starts with.

Python's `True` is an `int` (and a `numbers.Real`), so a check that a value
is a number must also refuse bools; numpy's integers and floats are numbers
too. Each validator in the package tests the type here and states its own
range and message.
"""

import math
import numbers


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
