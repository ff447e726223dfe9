"""The type checks of given numbers: bools are refused, numpy numbers accepted; the shared range check's one line."""

import numpy as np
import pytest

from keras_gan_latent.checks import check_number, is_integer, is_number
from keras_gan_latent.errors import UserError


@pytest.mark.parametrize("value, integer", [
    (3, True), (0, True), (-2, True), (np.int64(5), True), (np.uint8(1), True),
    (True, False), (np.bool_(True), False), (2.0, False), (np.float32(2), False), ("3", False), (None, False),
])
def test_is_integer(value, integer):
    assert is_integer(value) is integer


@pytest.mark.parametrize("value, number", [
    (3, True), (0.5, True), (np.float32(1.5), True), (np.int64(2), True), (-1e300, True),
    (True, False), (False, False), (float("nan"), False), (float("inf"), False), ("1", False), (None, False),
    (1 + 2j, False),
])
def test_is_number(value, number):
    assert is_number(value) is number


def test_is_number_may_allow_infinities_but_not_bools():
    assert is_number(float("inf"), finite=False) and is_number(float("nan"), finite=False)
    assert not is_number(True, finite=False)


def test_check_number_gives_a_float_or_one_line_naming_the_range():
    assert check_number(np.int64(2), "r1") == 2.0 and isinstance(check_number(0, "r1"), float)
    assert check_number(0.5, "ema", below=1) == 0.5
    for value in (-0.1, True, float("nan"), float("inf"), "1", None):
        with pytest.raises(UserError, match=rf"^info weight must be a finite number >= 0, got {value!r}$"):
            check_number(value, "info weight")
    with pytest.raises(UserError, match=r"^ema must be a number in \[0, 1\), got 1$"):
        check_number(1, "ema", below=1)
