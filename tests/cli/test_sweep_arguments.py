"""The sweep command's argument types."""

import argparse

import pytest

from keras_gan_latent.cli.sweep import int_list


def test_int_list_parses_comma_separated_integers_and_names_what_it_expected():
    assert int_list()("1,2,10") == (1, 2, 10)
    assert int_list("seeds", "0,1,2")("3") == (3,)
    with pytest.raises(argparse.ArgumentTypeError, match="expected comma-separated integers such as 1,2,3,10,100, got '1.5'"):
        int_list()("1.5")
    with pytest.raises(argparse.ArgumentTypeError, match="expected comma-separated seeds such as 0,1,2, got 'zero'"):
        int_list("seeds", "0,1,2")("zero")
