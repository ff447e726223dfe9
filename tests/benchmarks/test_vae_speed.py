"""benchmarks.vae_speed at a tiny size: VAE and GAN steps/s and their ratio."""

import math

import pytest

from keras_gan_latent.benchmarks import vae_speed


def test_vae_step_flops_count_encoder_and_decoder():
    # 2 -> 4 -> 2 (mean, log-variance of a 1-D latent) and 1 -> 4 -> 4: forward 2 * 3 * (16 + 20) per sample.
    assert vae_speed.vae_step_flops(latent_dim=1, data_dim=2, batch=3, width=4, depth=1) == 3 * 2 * 3 * (8 + 8 + 4 + 16)


@pytest.mark.slow  # compiles and trains real models
def test_tiny_run_prints_and_returns_both_rates_and_their_ratio(capsys):
    result = vae_speed.main(["--steps", "20", "--repeats", "1", "--warmup-steps", "5", "--matmul-seconds", "0.05"])
    assert set(result) == {"vae", "mlp", "vae / mlp"}
    assert all(math.isfinite(v) and v > 0 for v in result.values()), result
    assert result["vae / mlp"] == pytest.approx(result["vae"] / result["mlp"], rel=1e-6)
    assert "VAE / GAN steps/s:" in capsys.readouterr().out
