"""benchmarks.levers_speed at a tiny size: every lever's steps/s and its ratio to the plain step (the first two)."""

import math

import pytest

from keras_gan_latent.benchmarks import levers_speed


@pytest.mark.slow  # compiles and trains real models
def test_tiny_run_returns_the_first_variants_against_vanilla(capsys):
    result = levers_speed.main(["--steps", "10", "--repeats", "1", "--warmup-steps", "2", "--variants", "2"])
    assert list(result) == ["vanilla", "--pack 2"]
    assert result["vanilla"][1] == 1.0
    assert all(math.isfinite(rate) and rate > 0 and ratio > 0 for rate, ratio in result.values()), result
    out = capsys.readouterr().out
    assert sum("x vanilla" in line for line in out.splitlines()) == 2


@pytest.mark.slow  # compiles and trains real DCGANs
def test_the_dcgan_levers_are_timed_against_the_plain_dcgan_step(capsys):
    result = levers_speed.main(["--model", "dcgan", "--steps", "2", "--repeats", "1", "--warmup-steps", "2"])
    assert list(result) == [name for name, _ in levers_speed.DCGAN_VARIANTS]
    assert result["vanilla"][1] == 1.0
    assert all(math.isfinite(rate) and rate > 0 and ratio > 0 for rate, ratio in result.values()), result
    assert "light DCGAN on MNIST" in capsys.readouterr().out
