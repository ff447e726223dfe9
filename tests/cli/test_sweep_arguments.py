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


def test_run_settings_flags_derive_from_their_declarations():
    """--model, --steps, --animate and the passed-on settings: the declared flag, type and help (steps: the sweeps' defaults)."""
    from keras_gan_latent.cli.sweep import build_parser
    from keras_gan_latent.experiments.config import SETTINGS_BY_NAME

    actions = {a.dest: a for a in build_parser()._actions}
    for name in ("model", "steps", "animate", "arch", "data", "pack", "latent_code", "info_weight"):
        declared = SETTINGS_BY_NAME[name]
        action = actions[name]
        assert action.option_strings == [declared.flag], name
        assert action.type in (declared.type, None), name
        assert (action.help() if callable(action.help) else action.help).startswith(declared.help), name
    assert actions["model"].default == SETTINGS_BY_NAME["model"].default
    assert actions["animate"].help == SETTINGS_BY_NAME["animate"].help_text
    assert "dcgan 5000" in actions["steps"].help()
    args = build_parser().parse_args(["--steps", "300", "--animate"])
    assert (args.steps, args.animate, args.model) == (300, True, "mlp")
    assert build_parser().parse_args([]).animate is False
