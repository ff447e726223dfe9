"""The type checks of given numbers: bools are refused, numpy numbers accepted."""

import numpy as np
import pytest

from keras_gan_latent.checks import is_integer, is_number


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
