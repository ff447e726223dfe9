"""benchmarks.dcgan_torch at a tiny size: our step beside PyTorch's (skipped without PyTorch)."""

import math

import pytest


@pytest.mark.slow  # compiles and trains real models
def test_tiny_run_compares_both_paths_with_ours():
    pytest.importorskip("torch")
    from keras_gan_latent.benchmarks import dcgan_torch

    result = dcgan_torch.main(["--steps", "2", "--blocks", "1"])
    assert list(result) == ["ours (GAN.fit)", "plain PyTorch"]
    assert result["ours (GAN.fit)"][1] == 1.0
    assert all(math.isfinite(rate) and rate > 0 for rate, _ in result.values())
