"""benchmarks.mnist_eval_speed at a tiny size: the mode report and the Parzen protocol, timed."""

from keras_gan_latent.benchmarks import mnist_eval_speed


def test_tiny_run_times_the_mode_report_and_parzen_protocol(classifier, capsys):
    seconds = mnist_eval_speed.main(["--samples", "200"])
    assert set(seconds) == {"mode_report", "parzen", "classifier_training"}
    assert all(v > 0 for v in seconds.values()), seconds
    out = capsys.readouterr().out
    assert "mode report, 200 samples" in out and "then 200 test digits" in out
