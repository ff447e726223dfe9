"""The translator-noise study's scoring helpers (no training)."""

from keras_gan_latent.sweep import cyclegan_study


def test_late_mean_averages_the_last_thirty_percent():
    assert cyclegan_study.late_mean({"value": [9.0] * 7 + [1.0, 2.0, 3.0]}) == 2.0
    assert cyclegan_study.late_mean({}) is None
