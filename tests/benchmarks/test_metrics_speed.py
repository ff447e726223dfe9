"""benchmarks.metrics_speed at a tiny size: every metric timed, and the two totals."""

from keras_gan_latent.benchmarks import metrics_speed


def test_tiny_run_times_every_metric_and_both_totals(capsys):
    seconds = metrics_speed.main(["--repeats", "1", "--samples", "60"])
    totals = [name for name in seconds if name.startswith("total with ")]
    assert len(totals) == 2 and len(seconds) == 14
    assert all(v >= 0 for v in seconds.values())
    common = sum(v for name, v in seconds.items() if "wasserstein" not in name)
    for name in totals:
        assert abs(seconds[name] - common - seconds[name[len("total with "):]]) < 1e-9
    out = capsys.readouterr().out
    assert out.startswith("60 samples of the 2-D ring") and "the 2 s target" in out
