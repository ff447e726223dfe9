"""The declared margins: each one is what its stated derivation gives, recomputed here from the committed data or the formula."""

import glob
import json
import math
import os

import numpy as np
import pytest
import scipy.stats

from keras_gan_latent.sweep.decision import DIRECTIONS
from keras_gan_latent.sweep.margins import MARGINS, metric

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _median_bootstrap_half_width(key):
    half_widths = []
    for path in glob.glob(os.path.join(ROOT, "docs", "study_toy", "results", "*", "evaluation.json")):
        with open(path) as f:
            entry = json.load(f)["divergences"][key]
        if entry["estimate"] is not None:
            half_widths.append((entry["ci"][1] - entry["ci"][0]) / 2)
    return float(np.median(half_widths))


@pytest.mark.parametrize("key, bootstrap_key", [("late_js", "js"), ("js", "js"), ("kl_data_g", "kl_data_g")])
def test_divergence_margins_are_the_resolution_of_a_difference_of_two_runs(key, bootstrap_key):
    # sqrt(2) x one run's median bootstrap half-width, rounded to one significant figure (the committed
    # data may gain seeds: the rounding leaves room for the median to move a little).
    resolution = math.sqrt(2) * _median_bootstrap_half_width(bootstrap_key)
    assert 0.8 <= MARGINS[key].margin / resolution <= 1.3


def test_count_and_share_margins_follow_their_formulas():
    assert MARGINS["mode_kl"].margin >= scipy.stats.chi2.ppf(0.975, 24) / (2 * 2500)
    assert MARGINS["mean_offset"].margin >= 0.02 * math.sqrt(-2 * math.log(0.05))
    assert MARGINS["std_error"].margin >= 2 / math.sqrt(2 * 2500)
    assert MARGINS["high_quality"].margin >= 1.96 * math.sqrt(2 * 0.9 * 0.1 / 2500)
    assert MARGINS["label_agreement"].margin >= 1.96 * math.sqrt(2 * 0.95 * 0.05 / 10000)
    for key in ("modes_covered", "classes_covered"):
        assert MARGINS[key].margin < 1  # below one mode: only identical counts are "as good as"


def test_every_margin_is_declared_with_a_direction_and_a_reason():
    for key, m in MARGINS.items():
        assert m.better in DIRECTIONS and m.margin > 0 and len(m.why) > 20, key
    with pytest.raises(KeyError, match="no declared margin"):
        metric("parzen_ll")
