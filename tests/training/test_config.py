"""How settings are declared and checked, and the settings every run has (`experiments.config` assembles them)."""

import dataclasses
import re
from typing import Optional

import pytest

from keras_gan_latent.errors import UserError
from keras_gan_latent.training import distribute
from keras_gan_latent.training.config import (
    CommonSettings,
    SettingsBlock,
    check_int,
    check_setting,
    declare,
    setting,
)


@dataclasses.dataclass(frozen=True)
class _Spec:
    """The part of an experiment's spec a declaration reads: its name, label and defaults."""

    name: str
    label: str
    defaults: dict

    def default_values(self, name):
        return {variant: values[name] for variant, values in self.defaults.items() if name in values}


@dataclasses.dataclass(frozen=True)
class _Block(SettingsBlock):
    width: Optional[int] = setting(None, "hidden units", minimum=1, maximum=64, why="it must fit")
    rate: float = setting(0.5, "a rate", minimum=0, below=1)
    fast: bool = setting(False, "go fast", flag="--fast")


SMALL = _Spec("small", "Small", {"a": {"width": 8}, "b": {"width": 16}})
LARGE = _Spec("large", "Large", {None: {"width": 32}})


def _declared(name, specs=(SMALL, LARGE), only=True):
    return declare(next(f for f in dataclasses.fields(_Block) if f.name == name), specs, only)


def test_a_declaration_renders_its_bounds_defaults_and_experiments_in_its_help():
    width = _declared("width")
    assert (width.flag, width.label, width.type, width.models) == ("--width", "width", int, ("small", "large"))
    assert width.help_text() == "hidden units (1 to 64; default 8; Small b 16; Large 32; --model small or large only)"
    # A setting of every run names no models.
    assert _declared("rate", only=False).help_text() == "a rate (default 0.5)"
    assert _declared("fast", only=False).help_text() == "go fast"


@pytest.mark.parametrize("name, value, message", [
    ("width", 0, "width must be an integer >= 1, got 0"),
    ("width", 65, "width must be at most 64 (it must fit), got 65"),
    ("width", True, "width must be an integer >= 1, got True"),
    ("rate", 1.0, "rate must be a number in [0, 1), got 1.0"),
    ("fast", "yes", "fast must be a bool, got 'yes'"),
])
def test_a_value_is_checked_against_its_declaration_in_one_line(name, value, message):
    with pytest.raises(UserError, match=f"^{re.escape(message)}$"):
        check_setting(_declared(name), value)
    check_setting(_declared(name), None)  # left to the model's default


def test_check_int_is_the_one_integer_check():
    check_int(3, "num-samples", 1)
    with pytest.raises(UserError, match=r"^num-samples must be an integer >= 1, got 0$"):
        check_int(0, "num-samples", 1)
    with pytest.raises(UserError, match=r"^num-samples must be an integer >= 1, got 2.5$"):
        check_int(2.5, "num-samples", 1)


def test_the_settings_every_run_has_are_declared_here_and_no_experiments():
    names = [f.name for f in dataclasses.fields(CommonSettings)]
    assert "steps" in names and "seed" in names and "strategy" in names
    for experiment_setting in ("latent_dim", "loss", "beta", "cycle_weight", "target", "arch"):
        assert experiment_setting not in names
    strategy = declare(next(f for f in dataclasses.fields(CommonSettings) if f.name == "strategy"), (), False)
    assert strategy.choices == distribute.STRATEGY_NAMES
    for field in dataclasses.fields(CommonSettings):
        declared = declare(field, (), False)
        assert declared.help, field.name
        if declared.type is int:
            assert declared.minimum is not None, field.name
    SettingsBlock.check_given(object())  # a block without a combined check accepts every config
