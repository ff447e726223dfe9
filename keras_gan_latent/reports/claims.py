"""Every comparative claim the docs make about the committed studies, as data the decision rule judges.

A `Claim` says "at latent dim a, the metric is <claimed> than at latent dim
b" (claimed: "better", "worse" or "as good as"; "no difference" claims are
"as good as"); a claim against several latent dims ("k = 1 is worst") is one
claim per pair. A `NoiseClaim` is a stated answer to "how much noise". The
article's claims (the blog post the project starts from, and the seed DCGAN
study) and the README's are listed with their wording shortened; JS claims
about where runs end up are judged on `late_js`, the toy targets' primary
metric (`sweep.margins`), claims about the final JS on `js`.
"""

from typing import NamedTuple, Optional


class Claim(NamedTuple):
    """One comparison a text asserts.

    Attributes:
        source: "article" or "README".
        text: The claim, shortened.
        study: The study key (`pages.STUDIES`): "toy", "vae", "dcgan", "cgan".
        target: The study's target ("mnist" for the MNIST studies).
        metric: A key of `sweep.margins.MARGINS`.
        a, b: The latent dims compared ("a is <claimed> than b").
        claimed: "better", "worse" or "as good as".
        b_study: b's study when it is another one (the VAE against the GAN).
        b_metric: b's metric when it is another one measured the same way
            (the GAN's JS at step 5,000 against the VAE's final JS); the
            margin and direction are `metric`'s.
    """

    source: str
    text: str
    study: str
    target: str
    metric: str
    a: int
    b: int
    claimed: str
    b_study: Optional[str] = None
    b_metric: Optional[str] = None


class SingleRunClaim(NamedTuple):
    """A claim resting on single runs outside the sweeps: one report file per side (b None: a value alone).

    Attributes:
        source, text, metric, claimed: As in `Claim`; `claimed` may be a
            value claim such as ">= 0.97" when there is no b.
        a_label, a_file: What a is and its report (`evaluation.json`-like,
            relative to `docs/`, the metric a top-level key).
        b_label, b_file: The same for b, or None.
    """

    source: str
    text: str
    metric: str
    a_label: str
    a_file: str
    b_label: Optional[str]
    b_file: Optional[str]
    claimed: str


class NoiseClaim(NamedTuple):
    """A stated "how much noise" answer: the smallest latent dim as good as the best, by one metric."""

    source: str
    study: str
    target: str
    metric: str
    answer: int


def _pairs(source, text, study, target, metrics, a, others, claimed):
    """One `Claim` per metric and per latent dim in `others`."""
    return [Claim(source, text, study, target, m, a, b, claimed) for m in metrics for b in others]


_RING, _GRID, _GAUSS, _SPIRAL = "eight_gaussians", "grid25", "gaussian", "spiral"
_SAME = "as good as"

CLAIMS = (
    # The article ("Why Do GANs Need So Much Noise?", seed 004) and the seed DCGAN study (003).
    *_pairs("article", "1-D cannot fill a 2-D distribution (a squiggle)", "toy", _GAUSS, ["late_js"], 1, [2], "worse"),
    *_pairs("article", "1-D cannot fill a 2-D distribution (a squiggle)", "toy", _RING, ["late_js"], 1, [2], "worse"),
    *_pairs("article", "1-D cannot fill a 2-D distribution (a squiggle)", "toy", _SPIRAL, ["late_js"], 1, [2], "worse"),
    *_pairs("article", "Gaussian: 2-D has kinks; 3-D and 10-D look right", "toy", _GAUSS, ["late_js"], 2, [3, 10], "worse"),
    *_pairs("article", "Gaussian: 100-D gets the variance right", "toy", _GAUSS, ["std_error"], 100, [10], _SAME),
    *_pairs("article", "Gaussian: 100-D gets the mean wrong", "toy", _GAUSS, ["mean_offset"], 100, [10], "worse"),
    *_pairs("article", "ring: 1-D drops a mode", "toy", _RING, ["modes_covered"], 1, [2], "worse"),
    *_pairs("article", "ring: 1-D puts samples between modes", "toy", _RING, ["high_quality"], 1, [2], "worse"),
    *_pairs("article", "ring: 2-D shows no mode collapse (3-D, 10-D slight)", "toy", _RING, ["mode_kl"], 2, [3, 10], "better"),
    *_pairs("article", "ring: 100-D misses two modes", "toy", _RING, ["modes_covered"], 100, [2], "worse"),
    *_pairs("article", "MNIST: z_dim 2 and 1 collapse, 10 covers all digits", "dcgan", "mnist", ["classes_covered"], 2, [10], "worse"),
    *_pairs("article", "MNIST: z_dim 2 and 1 collapse, 10 covers all digits", "dcgan", "mnist", ["classes_covered"], 1, [10], "worse"),
    *_pairs("article", "MNIST: z_dim 50 collapses (in that run)", "dcgan", "mnist", ["classes_covered"], 50, [10], "worse"),
    *_pairs("article", "MNIST: z_dim 100 and 10 cover all digits", "dcgan", "mnist", ["classes_covered"], 100, [10], _SAME),
    # README: the ring.
    *_pairs("README", "ring: k = 1's JS is more than twice every other k's", "toy", _RING, ["late_js"], 1, [2, 3, 10, 100], "worse"),
    *_pairs("README", "ring: k = 2 has the lowest mode KL", "toy", _RING, ["mode_kl"], 2, [1, 3, 10, 100], "better"),
    *_pairs("README", "ring: mode balance worsens steadily above k = 2", "toy", _RING, ["mode_kl"], 3, [2], "worse"),
    *_pairs("README", "ring: mode balance worsens steadily above k = 2", "toy", _RING, ["mode_kl"], 10, [3], "worse"),
    *_pairs("README", "ring: mode balance worsens steadily above k = 2", "toy", _RING, ["mode_kl"], 100, [10], "worse"),
    *_pairs("README", "ring: 1-D has few between-mode samples", "toy", _RING, ["high_quality"], 1, [2], _SAME),
    *_pairs("README", "ring: JS does not separate k = 2, 3, 10, 100", "toy", _RING, ["late_js"], 2, [3, 10, 100], _SAME),
    *_pairs("README", "ring: JS does not separate k = 2, 3, 10, 100", "toy", _RING, ["late_js"], 3, [10, 100], _SAME),
    *_pairs("README", "ring: JS does not separate k = 2, 3, 10, 100", "toy", _RING, ["late_js"], 10, [100], _SAME),
    # README: grid25.
    *_pairs(
        "README", "grid25: k = 3 is best by every measure", "toy", _GRID,
        ["late_js", "js", "modes_covered", "high_quality", "mode_kl"], 3, [1, 2, 10, 100], "better",
    ),
    *_pairs("README", "grid25: k = 1 is worst", "toy", _GRID, ["late_js"], 1, [2, 3, 10, 100], "worse"),
    # README: the spiral.
    *_pairs("README", "spiral: k = 1 has the worst JS and KL(p_data || p_g)", "toy", _SPIRAL,
            ["late_js", "kl_data_g"], 1, [2, 3, 10, 100], "worse"),
    *_pairs("README", "spiral: k = 3 is best by every metric", "toy", _SPIRAL,
            ["late_js", "js", "kl_data_g", "wasserstein1"], 3, [1, 2, 10, 100], "better"),
    *_pairs("README", "spiral: k = 10 and 100 fall behind k = 2", "toy", _SPIRAL, ["late_js", "kl_data_g"], 10, [2], "worse"),
    *_pairs("README", "spiral: k = 10 and 100 fall behind k = 2", "toy", _SPIRAL, ["late_js", "kl_data_g"], 100, [2], "worse"),
    # README: the Gaussian.
    *_pairs("README", "Gaussian: k = 1's JS is ten times any other k's", "toy", _GAUSS, ["late_js"], 1, [2, 3, 10, 100], "worse"),
    *_pairs("README", "Gaussian: k = 2's interval overlaps k = 3's", "toy", _GAUSS, ["late_js"], 2, [3], _SAME),
    *_pairs(
        "README", "Gaussian: k = 10 is the best by every measure", "toy", _GAUSS,
        ["late_js", "js", "wasserstein1", "mean_offset", "std_error"], 10, [2, 3, 100], "better",
    ),
    *_pairs("README", "Gaussian: k = 100 is the worst of k >= 2", "toy", _GAUSS,
            ["late_js", "wasserstein1", "mean_offset"], 100, [2, 3, 10], "worse"),
    # README: the DCGAN z_dim sweep.
    *_pairs("README", "MNIST: 100, 50 and 10 draw every class", "dcgan", "mnist", ["classes_covered"], 100, [10], _SAME),
    *_pairs("README", "MNIST: 100, 50 and 10 draw every class", "dcgan", "mnist", ["classes_covered"], 50, [10], _SAME),
    *_pairs("README", "MNIST: z_dim 2 loses 2-3 classes, z_dim 1 more", "dcgan", "mnist", ["classes_covered"], 2, [10], "worse"),
    *_pairs("README", "MNIST: z_dim 2 loses 2-3 classes, z_dim 1 more", "dcgan", "mnist", ["classes_covered"], 1, [2], "worse"),
    *_pairs("README", "MNIST: z_dim 10 is best, with 50 and 100 inside its interval", "dcgan", "mnist",
            ["classifier_score", "frechet_distance"], 50, [10], _SAME),
    *_pairs("README", "MNIST: z_dim 10 is best, with 50 and 100 inside its interval", "dcgan", "mnist",
            ["classifier_score", "frechet_distance"], 100, [10], _SAME),
    *_pairs("README", "MNIST: z_dim 2 is far outside (Frechet distance)", "dcgan", "mnist", ["frechet_distance"], 2, [10], "worse"),
    # README: the cGAN latent sweep.
    *_pairs("README", "cGAN: within-class diversity falls from z = 10 to 2 to 1", "cgan", "mnist",
            ["within_class_diversity"], 2, [10], "worse"),
    *_pairs("README", "cGAN: within-class diversity falls from z = 10 to 2 to 1", "cgan", "mnist",
            ["within_class_diversity"], 1, [2], "worse"),
    *_pairs("README", "cGAN: the per-class Frechet distance rises from z = 10 to 2 and 1", "cgan", "mnist",
            ["mean_class_frechet_distance"], 2, [10], "worse"),
    *_pairs("README", "cGAN: the per-class Frechet distance rises from z = 10 to 2 and 1", "cgan", "mnist",
            ["mean_class_frechet_distance"], 1, [10], "worse"),
    # README: the VAE study.
    *_pairs("README", "VAE ring: JS is flat from k = 2 to 100", "vae", _RING, ["late_js"], 2, [3, 10, 100], _SAME),
    *_pairs("README", "VAE ring: at k = 1 the JS triples", "vae", _RING, ["late_js"], 1, [2], "worse"),
    *_pairs("README", "VAE spiral: best near the data's dimension (k = 2, 3 beat 10, 100)", "vae", _SPIRAL,
            ["late_js"], 2, [10, 100], "better"),
    *_pairs("README", "VAE spiral: best near the data's dimension (k = 2, 3 beat 10, 100)", "vae", _SPIRAL,
            ["late_js"], 3, [10, 100], "better"),
    *_pairs("README", "VAE grid25: best at k = 3 and 10, worse at 2 and 100", "vae", _GRID, ["late_js"], 2, [3, 10], "worse"),
    *_pairs("README", "VAE grid25: best at k = 3 and 10, worse at 2 and 100", "vae", _GRID, ["late_js"], 100, [3, 10], "worse"),
)

# README: the VAE at 5,000 steps against the GAN at 30,000 (`b_study="toy"`), judged on late JS.
CLAIMS += tuple(
    Claim("README", "the VAE at 5,000 steps stays ahead of the GAN at 30,000 on the ring and grid25", "vae", target,
          "late_js", k, k, "better", b_study="toy")
    for target in (_RING, _GRID) for k in (1, 2, 3, 10, 100)
) + tuple(
    Claim("README", "30,000 GAN steps close the gap to the VAE on the spiral at k = 3 and 100", "vae", _SPIRAL,
          "late_js", k, k, _SAME, b_study="toy")
    for k in (3, 100)
)

# README: at equal budgets (5,000 steps), the VAE's final JS against the GAN's fixed-sample JS at step 5,000.
CLAIMS += tuple(
    Claim("README", "equal budgets: the VAE's JS is lower than the GAN's at 5,000 steps (all but the spiral at k = 3)",
          "vae", target, "js", k, k, _SAME if (target, k) == (_SPIRAL, 3) else "better", b_study="toy",
          b_metric="js_at_5000")
    for target in (_RING, _SPIRAL, _GRID) for k in (1, 2, 3, 10, 100)
)

# README: "JS and high quality rank them in opposite orders": the GAN's samples sit on the modes' centres.
CLAIMS += tuple(
    Claim("README", "the VAE's samples spread between the modes: lower high-quality share than the GAN's", "vae",
          target, "high_quality", k, k, "worse", b_study="toy")
    for target in (_RING, _GRID) for k in (1, 2, 3, 10, 100)
)

SINGLE_RUN_CLAIMS = (
    SingleRunClaim("README", "cGAN, z 10, 30,000 steps: label agreement 99.4 %, the 97 % target met", "label_agreement",
                   "cGAN z 10, 30,000 steps, seed 0", "cgan/evaluation_projection_z10_30000.json", None, None, ">= 0.97"),
    SingleRunClaim("README", "VAE on MNIST: a larger latent does not buy sample quality (score 6.24 at 10, 5.86 at 32)",
                   "classifier_score", "VAE z 32", "vae_mnist/evaluation_z32_10000.json",
                   "VAE z 10", "vae_mnist/evaluation_z10_10000.json", "worse"),
    SingleRunClaim("README", "VAE on MNIST: z 2 is far from z 10 in Frechet distance", "frechet_distance",
                   "VAE z 2", "vae_mnist/evaluation_z2_10000.json",
                   "VAE z 10", "vae_mnist/evaluation_z10_10000.json", "worse"),
    SingleRunClaim("README", "seed-arch DCGAN: z 2 far behind z 10 (score 6.68 against 8.93)", "classifier_score",
                   "seed arch z 2, 39,700 iterations", "dcgan_quality/seed_z2_evaluation.json",
                   "seed arch z 10, 65,500 iterations", "dcgan_quality/seed_z10_evaluation.json", "worse"),
    SingleRunClaim("README", "seed-arch DCGAN: z 2 far behind z 10 (Frechet 69.7 against 4.20)", "frechet_distance",
                   "seed arch z 2, 39,700 iterations", "dcgan_quality/seed_z2_evaluation.json",
                   "seed arch z 10, 65,500 iterations", "dcgan_quality/seed_z10_evaluation.json", "worse"),
)

NOISE_CLAIMS = (
    NoiseClaim("README", "toy", _GAUSS, "js", 10),
    NoiseClaim("README", "toy", _GAUSS, "late_js", 3),
    NoiseClaim("README", "toy", _RING, "js", 2),
    NoiseClaim("README", "toy", _RING, "late_js", 2),
    NoiseClaim("README", "toy", _GRID, "js", 3),
    NoiseClaim("README", "toy", _GRID, "late_js", 2),
    NoiseClaim("README", "toy", _SPIRAL, "js", 2),
    NoiseClaim("README", "toy", _SPIRAL, "late_js", 3),
    NoiseClaim("README", "dcgan", "mnist", "classes_covered", 10),
    NoiseClaim("README", "dcgan", "mnist", "frechet_distance", 10),
    NoiseClaim("README", "cgan", "mnist", "mean_class_frechet_distance", 100),
)
