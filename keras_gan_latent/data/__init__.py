"""What a GAN learns from and samples with.

targets: the toy target distributions (exact `log_prob`) in a registry.
priors: the latent priors. mnist: real MNIST digits, offline-capable, and
their step-indexed `tf.data` stream.

Importing this package is cheap (no TensorFlow): it holds only the names the
run settings (`training.config`) check choices against.
"""

PRIOR_NAMES = ("normal", "uniform", "mixture")  # priors.latent_prior
