"""Judging a trained generator.

toy: the report of a toy generator against its target's exact density
(`evaluate_samples`, `summary_row`). mnist: the report of a digit generator,
judged by the MNIST classifier of `models.classifier` (`mnist_report`).
samples: reading samples from an export or a `.npy`. conditional: what the
labels make measurable of a class-conditional generator. translation: what a
translator does. interpolation: latent paths and inversion.

The names of `toy`, `mnist` and `samples` are re-exported here, each imported
on first use (PEP 562), so importing this package does not import TensorFlow.
"""

from typing import NamedTuple

from keras_gan_latent.lazy import lazy_exports

# Constants the experiments' settings need without TensorFlow (`experiments.spec`).
# The `--target` of real MNIST digits: not a toy `Target` (there is no exact
# density), so its report comes from the classifier (`mnist.mnist_report`).
MNIST_TARGET = "mnist"
# Generated digits an MNIST report scores by default: the GAN paper's Parzen
# protocol and the seed study's digit histogram both use 10,000.
MNIST_SAMPLES = 10_000
MODE_PROTOCOL_SAMPLES = 2500  # samples the VEEGAN/PacGAN mode-coverage protocol scores


class DigitTarget(NamedTuple):
    """Real-digit quality of a digit generator's mode report, and the training budget to reach it.

    Classifier score at least `score`, Frechet distance (classifier
    features) at most `frechet`, at least `classes` classes covered with KL
    to uniform at most `kl`, within `minutes` of training alone on a 2-core CPU.
    """

    score: float
    frechet: float
    classes: int
    kl: float
    minutes: float


# The unconditional DCGAN's target: what the digits page, the time-to-quality benchmark and its figure measure against.
REAL_DIGIT_TARGET = DigitTarget(score=9.0, frechet=10.0, classes=10, kl=0.02, minutes=20.0)

# Re-exported name -> the module that defines it.
_NAMES = {
    "MIN_SAMPLES": "keras_gan_latent.evaluation.samples",
    "MODE_KEYS": "keras_gan_latent.evaluation.mnist",
    "PARZEN_VALID_SIZE": "keras_gan_latent.evaluation.mnist",
    "UNIT_RANGE": "keras_gan_latent.evaluation.mnist",
    "check_digit_images": "keras_gan_latent.evaluation.mnist",
    "digit_mode_summary": "keras_gan_latent.evaluation.mnist",
    "evaluate_samples": "keras_gan_latent.evaluation.toy",
    "export_sample_shape": "keras_gan_latent.evaluation.samples",
    "is_image_shape": "keras_gan_latent.evaluation.samples",
    "load_images": "keras_gan_latent.evaluation.mnist",
    "load_samples": "keras_gan_latent.evaluation.toy",
    "mnist_report": "keras_gan_latent.evaluation.mnist",
    "mnist_report_image": "keras_gan_latent.evaluation.mnist",
    "quantile_map_report": "keras_gan_latent.evaluation.toy",
    "read_source": "keras_gan_latent.evaluation.samples",
    "summary_row": "keras_gan_latent.evaluation.toy",
    "target_log_prob": "keras_gan_latent.evaluation.toy",
}

__all__ = sorted(_NAMES)
__getattr__, __dir__ = lazy_exports(__name__, _NAMES)
