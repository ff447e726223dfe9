"""benchmarks.sweep_speed at a tiny size: a sweep cell's cost against train.py's, in this process."""

import math

import pytest

from keras_gan_latent.benchmarks import sweep_speed


@pytest.mark.slow  # compiles and trains real models
def test_tiny_overhead_part_compares_each_cell_with_train_py(capsys):
    # Two steps: train.py's default rates then record 3 frames, not the 11 of 20 steps.
    result = sweep_speed.main(["--parts", "overhead", "--steps", "2", "--repeats", "1", "--target", "eight_gaussians",
                               "--latent-dim", "2", "--num-samples", "200"])
    (part,) = result.values()
    assert list(part) == ["train.py", "sweep cell", "sweep cell --animate"]
    assert part["train.py"]["training ratio"] == part["train.py"]["whole ratio"] == 1.0
    assert all(math.isfinite(v) and v > 0 for row in part.values() for v in row.values()), part
    assert "cell overhead (eight_gaussians, latent dim 2" in capsys.readouterr().out
