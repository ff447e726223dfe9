"""The declared claims: each names a declared metric and a verdict the rule can give."""

from keras_gan_latent.reports import claims
from keras_gan_latent.reports.studies import STEP_METRICS
from keras_gan_latent.sweep.decision import VERDICTS
from keras_gan_latent.sweep.margins import MARGINS


def test_every_claim_names_a_declared_metric_and_verdict():
    for claim in claims.CLAIMS:
        assert claim.metric in MARGINS and claim.claimed in VERDICTS, claim
        assert claim.a != claim.b or claim.b_study not in (None, claim.study), claim
        assert claim.b_metric is None or claim.b_metric in STEP_METRICS, claim
    for claim in claims.NOISE_CLAIMS + claims.SINGLE_RUN_CLAIMS:
        assert claim.metric in MARGINS, claim
