"""benchmarks.intrinsic_dimension_targets at a tiny size: both estimates of every 2-D target."""

import json

from keras_gan_latent.benchmarks import intrinsic_dimension_targets as bench
from keras_gan_latent.data import targets


def test_tiny_run_estimates_every_2d_target_and_writes_the_reports(tmp_path, capsys):
    out = tmp_path / "id.json"
    results = bench.main(["--samples", "300", "--coarse", "50", "--no-mnist", "--out", str(out)])
    names = [name for name in targets.target_names() if targets.get_target(name).dim == 2]
    assert list(results["targets"]) == names and "mnist_train" not in results
    for report in results["targets"].values():
        assert set(report["full"]) == set(bench.METHODS) == set(report["coarse_median"])
        # 2-D samples: neither estimate far outside (0, 2]
        assert all(0 < report["full"][m]["estimate"] < 3 for m in bench.METHODS), report
    assert json.loads(out.read_text())["settings"]["samples"] == 300
    assert len(capsys.readouterr().out.splitlines()) == 1 + len(names) + 1  # header, one row each, "wrote"
