"""benchmarks.dcgan_precision at a tiny size: float32 and mixed_bfloat16, XLA on and off, against the default."""

import math

import pytest

from keras_gan_latent.benchmarks import dcgan_precision


@pytest.mark.slow  # compiles and trains real models
def test_tiny_run_times_every_policy_and_xla_setting_against_the_default(capsys):
    result = dcgan_precision.main(["--steps", "1", "--blocks", "1"])
    assert set(result) == {(policy, jit) for policy in dcgan_precision.POLICIES for jit in (False, True)}
    default = ("float32", dcgan_precision.config_jit("light"))
    assert result[default][1] == 1.0
    assert all(math.isfinite(rate) and rate > 0 for rate, _ in result.values()), result
    assert capsys.readouterr().out.count("x the default") == 4
