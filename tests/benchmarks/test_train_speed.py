"""benchmarks.train_speed at a tiny size: the three loops' rates and their ratios to the eager loop."""

import math

import pytest

from keras_gan_latent.benchmarks import train_speed


def test_step_flops_count_both_networks_updates():
    # D step: G forward on 256, D forward + backward on 512; G step: G forward + backward, D forward + input backward.
    g, d = [2, 256, 256, 256, 2], [2, 128, 128, 128, 128, 128, 1]
    expected = (train_speed.dense_flops(g, 256) + 3 * train_speed.dense_flops(d, 512)
                + 3 * train_speed.dense_flops(g, 512) + 2 * train_speed.dense_flops(d, 512))
    assert train_speed.step_flops() == expected
    assert train_speed.dense_flops([3, 4, 1], 10) == 2 * 10 * (3 * 4 + 4 * 1)


@pytest.mark.slow  # compiles and trains real models
def test_tiny_run_prints_and_returns_the_rates_and_ratios(capsys):
    result = train_speed.main(["--steps", "20", "--repeats", "1", "--rss-steps", "0", "--warmup-steps", "5",
                               "--eager-steps", "3", "--matmul-seconds", "0.05"])
    assert set(result) == {"roofline", "xla", "no_xla", "eager", "xla / eager", "no_xla / eager"}
    assert all(math.isfinite(v) and v > 0 for v in result.values()), result
    assert result["xla / eager"] == pytest.approx(result["xla"] / result["eager"], rel=1e-6)
    out = capsys.readouterr().out
    assert "roofline:" in out and "x eager" in out and "peak RSS" not in out
