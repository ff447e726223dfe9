"""benchmarks.dcgan_speed at a tiny size: our DCGAN step against the seed study's loop, and the roofline."""

import math

import pytest

from keras_gan_latent.benchmarks import dcgan_speed
from keras_gan_latent.models import dcgan


def test_flops_of_a_dense_and_a_convolution_layer():
    import keras

    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(4 * 4 * 2), keras.layers.Reshape((4, 4, 2)),
                              keras.layers.Conv2D(5, 3, padding="same")])
    assert dcgan_speed.forward_flops(model) == 2 * 3 * 32 + 2 * 4 * 4 * 3 * 3 * 2 * 5
    g, d = dcgan.dcgan_generator(2, "light"), dcgan.dcgan_discriminator("light")
    batch = 8
    assert dcgan_speed.iteration_flops(g, d, batch) == (
        dcgan_speed.forward_flops(g) * (batch // 2 + 3 * batch) + dcgan_speed.forward_flops(d) * 5 * batch)


@pytest.mark.slow  # compiles and trains real models
def test_tiny_run_returns_both_paths_and_their_ratio(capsys):
    results = dcgan_speed.main(["--configs", "light64", "--iterations", "2", "--repeats", "1",
                                "--matmul-seconds", "0.02", "--latent-dim", "2"])
    (result,) = results.values()
    assert list(results) == ["light64"]
    assert set(result) == {"ours", "seed", "ours / seed", "roofline_ours", "roofline_seed"}
    assert all(math.isfinite(v) and v > 0 for v in result.values()), result
    assert "ours / seed:" in capsys.readouterr().out
