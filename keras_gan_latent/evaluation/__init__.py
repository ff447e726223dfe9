"""Judging a trained generator.

toy: the report of a toy generator against its target's exact density
(`evaluate_samples`, `summary_row`). mnist: the report of a digit generator,
judged by the classifier (`mnist_report`). samples: reading samples from an
export or a `.npy`. classifier: the MNIST CNN that judges digits (cheap to
import: Keras loads when a model is built or run). interpolation: latent paths
and inversion.

The names of `toy`, `mnist` and `samples` are re-exported here, each imported
on first use (PEP 562), so importing `evaluation.classifier` does not import
TensorFlow.
"""

from keras_gan_latent.lazy import lazy_exports

# Re-exported name -> the module that defines it.
_NAMES = {
    "MIN_SAMPLES": "keras_gan_latent.evaluation.samples",
    "MNIST_SAMPLES": "keras_gan_latent.evaluation.mnist",
    "MNIST_TARGET": "keras_gan_latent.evaluation.mnist",
    "MODE_KEYS": "keras_gan_latent.evaluation.mnist",
    "MODE_PROTOCOL_SAMPLES": "keras_gan_latent.evaluation.toy",
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
