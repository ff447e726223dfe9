"""Each compared metric's direction and equivalence margin, declared before any comparison is made.

A margin is the largest difference of seed means that still counts as "as
good as" (`decision.compare`): a difference the metric's own estimator cannot
resolve in one run. Each was set once from the estimator's noise as stated
in its `why` (the figures quoted there were measured on the committed study
files) and is frozen here, so no verdict can move it.

The primary metric of the toy targets is `late_js`, the JS of a run's fixed
2,500 samples averaged over the summaries of the last 30 % of training (10
summaries at 30,000 steps): the final JS of one run is one draw from an
oscillation (its within-run standard deviation over those 10 summaries is
0.026 nats, median over the 60 toy runs, up to 0.075), while the late mean
averages it out (standard error about 0.008) and is the quantity a reader of
the convergence figure means by "where the run ends up".
"""

from typing import NamedTuple


class Metric(NamedTuple):
    """How one metric is compared.

    Attributes:
        label: What the pages call it.
        better: "lower" or "higher".
        margin: The equivalence margin, in the metric's units.
        why: How the margin was set.
    """

    label: str
    better: str
    margin: float
    why: str


_JS_WHY = (
    "sqrt(2) x the median 95 % bootstrap half-width of one run's JS (0.0136 nats over the 60 toy runs, "
    "0.007-0.016): the half-width of a difference of two single-run estimates, 0.019, rounded up. "
    "The late mean's own noise (within-run standard deviation 0.026 over 10 summaries, standard error "
    "about 0.008) is of the same size"
)

MARGINS = {
    "late_js": Metric("late JS (nats)", "lower", 0.02, _JS_WHY),
    "js": Metric("final JS (nats)", "lower", 0.02, _JS_WHY),
    "kl_data_g": Metric(
        "KL(p_data || p_g) (nats)", "lower", 0.1,
        "sqrt(2) x the median 95 % bootstrap half-width of one run's estimate (0.080 nats over the 60 toy "
        "runs): 0.113, rounded to one significant figure",
    ),
    "wasserstein1": Metric(
        "Wasserstein-1", "lower", 0.03,
        "the exact Wasserstein-1 distance between two independent 2,500-point samples of the spiral "
        "itself (0.029-0.037; 0.09-0.17 for the other targets): the smallest floor, so the margin is "
        "strict on every target",
    ),
    "modes_covered": Metric(
        "modes covered", "higher", 0.5, "a count: an interval within half a mode means no mode of difference",
    ),
    "high_quality": Metric(
        "share of high-quality samples", "higher", 0.02,
        "the 95 % half-width of a difference of two binomial shares at 0.9 on 2,500 samples each "
        "(1.96 x sqrt(2 x 0.09 / 2500) = 0.017), rounded up",
    ),
    "mode_kl": Metric(
        "mode KL (nats)", "lower", 0.01,
        "the 97.5 % point of the mode KL of 2,500 samples drawn exactly uniformly over 25 modes "
        "(2N KL is chi-square with 24 d.o.f.: 39.4 / 5000 = 0.0079; 8 modes: 0.0032), rounded up",
    ),
    "mean_offset": Metric(
        "|mean| (distance of the samples' mean from 0)", "lower", 0.05,
        "the 95 % point of |mean| of 2,500 exact N(0, I) samples in 2-D (Rayleigh, sigma 0.02: 0.049), "
        "rounded up",
    ),
    "std_error": Metric(
        "largest |std - 1| over the two coordinates", "lower", 0.03,
        "twice the standard error of a sample standard deviation of 2,500 N(0, 1) values "
        "(2 / sqrt(2 x 2500) = 0.028), rounded up",
    ),
    "classes_covered": Metric(
        "classes covered (of 10)", "higher", 0.5, "a count: an interval within half a class means no class of difference",
    ),
    "frechet_distance": Metric(
        "Frechet distance (classifier features)", "lower", 1.1,
        "the distance between 10,000 real training digits and the 10,000 test digits (1.10): two samples "
        "of the same distribution are this far apart, so a smaller difference is below the estimator's floor",
    ),
    "classifier_score": Metric(
        "classifier score", "higher", 0.2,
        "a bound on the sampling error of the score on 10,000 digits: each digit's entropy lies in "
        "[0, log 10], so the mean entropy's standard error is at most 1.15 / 100 and the score's relative "
        "error at most 1.2 %: 0.08 at a score of 7; the 95 % half-width of a difference of two such, 0.22, "
        "rounded to 0.2",
    ),
    "label_agreement": Metric(
        "label agreement", "higher", 0.01,
        "the 95 % half-width of a difference of two binomial shares at 0.95 on 10,000 digits each "
        "(1.96 x sqrt(2 x 0.0475 / 10000) = 0.006), rounded up",
    ),
    "mean_class_frechet_distance": Metric(
        "mean per-class Frechet distance", "lower", 2.8,
        "the same yardstick per class: real training digits of each class against that class's test "
        "digits, 2.82 on average",
    ),
    "within_class_diversity": Metric(
        "within-class diversity (features, real digits 1)", "higher", 0.05,
        "not measured: declared as 5 % of real digits' diversity (the committed files hold no repeat of "
        "the estimator on real digits to set it from)",
    ),
}


def metric(key):
    """The declared `Metric` of `key`; a key without a declared margin cannot be compared."""
    try:
        return MARGINS[key]
    except KeyError:
        raise KeyError(f"no declared margin for metric {key!r}; declared: {', '.join(sorted(MARGINS))}") from None
