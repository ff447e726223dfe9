"""What a GAN learns from and samples with.

targets: the toy target distributions (exact `log_prob`) in a registry.
priors: the latent priors. mnist: real MNIST digits, offline-capable, and
their step-indexed `tf.data` stream.

Importing this package is cheap (no TensorFlow): it holds only the names the
run settings (`experiments.spec`) check choices against and the checks of
given values (`check_truncation`), so command-line tools refuse an unknown
target or a bad value before TensorFlow loads.
"""

import sys

from keras_gan_latent.checks import is_number
from keras_gan_latent.errors import UserError

PRIOR_NAMES = ("normal", "uniform", "mixture")  # priors.latent_prior
# The built-in targets and the latent prior the article used for each:
# `targets` registers a builder under each name (and only these) at import.
BUILTIN_TARGETS = {
    "gaussian": "uniform",
    "eight_gaussians": "normal",
    "grid25": "normal",
    "spiral": "normal",
    "normal1d": "uniform",
}
# The built-in targets' sample dimension where it is not 2.
BUILTIN_TARGET_DIMS = {"normal1d": 1}
_TARGETS_MODULE = "keras_gan_latent.data.targets"


def known_target_names():
    """The names a target may have, sorted, without importing TensorFlow.

    Returns:
        The registry's names (`targets.target_names`, yours included) once
        `targets` is imported, which registering a target needs; the
        built-in names before.
    """
    targets = sys.modules.get(_TARGETS_MODULE)
    return targets.target_names() if targets is not None else sorted(BUILTIN_TARGETS)


def known_target_dim(name):
    """The sample dimension of the target `name`, without importing TensorFlow (the registry's once it is imported)."""
    targets = sys.modules.get(_TARGETS_MODULE)
    if targets is not None:
        return targets.get_target(name).dim
    return BUILTIN_TARGET_DIMS.get(name, 2)


def target_default_prior(name):
    """The latent prior of the target `name` (`targets.default_prior`), without importing TensorFlow.

    Raises:
        UserError: if no target has that name (the message lists valid names).
    """
    targets = sys.modules.get(_TARGETS_MODULE)
    if targets is not None:
        return targets.default_prior(name)
    if name not in BUILTIN_TARGETS:
        raise UserError(f"unknown target {name!r}; valid targets: {', '.join(known_target_names())}")
    return BUILTIN_TARGETS[name]


def check_truncation(psi):
    """Checks a truncation psi.

    Args:
        psi: The value given.

    Returns:
        `psi` as a float, if it is a real number in (0, 1].

    Raises:
        UserError: naming the valid range, for anything else (a bool too).
    """
    if not is_number(psi, finite=False) or not 0.0 < psi <= 1.0:
        shown = f"{psi:g}" if is_number(psi, finite=False) else repr(psi)
        raise UserError(f"truncation psi must be in (0, 1] (1: no truncation), got {shown}")
    return float(psi)
