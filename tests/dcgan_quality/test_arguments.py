"""The argument types the DCGAN quality programs share."""

import argparse

import pytest

from keras_gan_latent.dcgan_quality.arguments import name_and_path, number_list


def test_name_and_path():
    assert name_and_path("RUN_DIR")("light=docs/x=y") == ("light", "docs/x=y")
    for bad in ("light", "=path", "light="):
        with pytest.raises(argparse.ArgumentTypeError, match="expected NAME=RUN_DIR"):
            name_and_path("RUN_DIR")(bad)


def test_number_list_bounds():
    assert number_list(0)("0.2,1,1.5") == [0.2, 1.0, 1.5]
    assert number_list(0, 1)("1,0.5") == [1.0, 0.5]
    for bad in ("0,0.5", "1.5", "a", ""):
        with pytest.raises(argparse.ArgumentTypeError, match="comma-separated numbers > 0 and <= 1"):
            number_list(0, 1)(bad)
