"""benchmarks.robust_runs_speed at a tiny size: the checkpoint overhead part, in this process."""

import math

import pytest

from keras_gan_latent.benchmarks import robust_runs_speed


@pytest.mark.slow  # compiles and trains real models
def test_tiny_checkpoint_part_returns_both_rates_and_their_ratio(capsys):
    # Two steps: a run this short records 3 frames, where 20 steps record 11 (train.py's default rates).
    result = robust_runs_speed.main(["--parts", "checkpoints", "--steps", "2", "--repeats", "1",
                                     "--checkpoint-every", "1"])
    (part,) = result.values()
    assert list(result) == ["checkpoints"]
    assert set(part) == {"end only", "every 1", "ratio", "save_seconds"}
    assert all(math.isfinite(v) and v > 0 for v in part.values()), part
    assert part["ratio"] == pytest.approx(part["every 1"] / part["end only"], rel=1e-6)
    assert "end-to-end ratio" in capsys.readouterr().out
