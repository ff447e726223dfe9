"""benchmarks.dcgan_xla_onednn: a child's timing of XLA on and off, at a tiny size, in this process."""

import json

import pytest

from keras_gan_latent.benchmarks import dcgan_xla_onednn


@pytest.mark.slow  # compiles and trains real models
def test_child_times_xla_on_and_off_and_prints_one_json_line(capsys):
    dcgan_xla_onednn.main(["--child", "--steps", "1", "--blocks", "2"])
    rates = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert set(rates) == {"xla", "no_xla"}
    assert all(len(values) == 2 and all(v > 0 for v in values) for values in rates.values()), rates
