"""Sample-based metrics (numpy/scipy only, no TensorFlow).

For the 1-D and 2-D targets (their main names re-exported here):
divergence: k-NN KL and JS estimates against the exact target density, with
bootstrap confidence intervals (`divergence_report`).
modes: the VEEGAN/PacGAN mode-coverage protocol for Gaussian mixtures.
distances: Wasserstein, MMD, Kolmogorov-Smirnov and the 1-D quantile-map gap.
optimal_discriminator: D* = p_data / (p_data + p_g), the GAN value function
and how far a trained D is from D* (`optimal_discriminator_report`).
summary_scores: the cheap scores a run's summaries write while it trains
(convergence, fidelity, a VAE's active latent units).
translation: what a translator between two 2-D distributions does.

For any number of dimensions: intrinsic_dimension, TwoNN and Levina-Bickel
estimates of a sample's intrinsic dimension. The re-exported function
`intrinsic_dimension` hides the submodule of the same name as an attribute
of this package; import the submodule's other names with `from ... import`.

For MNIST digits (import each as `keras_gan_latent.metrics.<module>`):
pixels: digit images on the classifier's scale. mnist_modes: the digit
classifier's mode report, classifier score, Frechet distance in its features
and the Parzen-window protocol. code_discovery: how well a latent code's
values match classes (InfoGAN's unsupervised class discovery: the best
one-to-one assignment of codes to digits and per-code purity).
"""

from keras_gan_latent.metrics.distances import (
    ks_statistic,
    median_heuristic_bandwidth,
    mmd,
    quantile_map_distance,
    wasserstein_distance,
)
from keras_gan_latent.metrics.divergence import (
    bootstrap_ci,
    divergence_report,
    js_divergence,
    kl_divergence,
    kl_from_density,
    kl_to_density,
    knn_log_density,
    knn_log_density_bias,
    outside_support_fraction,
)
from keras_gan_latent.metrics.intrinsic_dimension import (
    intrinsic_dimension,
    levina_bickel,
    two_nn,
)
from keras_gan_latent.metrics.modes import mode_coverage, reverse_kl_to_uniform
from keras_gan_latent.metrics.optimal_discriminator import (
    OPTIMAL_VALUE,
    discriminator_gap,
    optimal_discriminator,
    value_function,
)

__all__ = [
    "OPTIMAL_VALUE",
    "bootstrap_ci",
    "discriminator_gap",
    "divergence_report",
    "intrinsic_dimension",
    "js_divergence",
    "kl_divergence",
    "kl_from_density",
    "kl_to_density",
    "knn_log_density",
    "knn_log_density_bias",
    "ks_statistic",
    "levina_bickel",
    "median_heuristic_bandwidth",
    "mmd",
    "mode_coverage",
    "optimal_discriminator",
    "outside_support_fraction",
    "quantile_map_distance",
    "reverse_kl_to_uniform",
    "two_nn",
    "value_function",
    "wasserstein_distance",
]
