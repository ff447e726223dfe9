"""`--model dcgan`'s settings side: the DCGAN on real MNIST digits.

See `experiments.spec` for what a spec declares; `experiments.SPECS` lists every spec.
"""

import os

from keras_gan_latent.data.mnist import TRAIN_SIZE as MNIST_TRAIN_SIZE
from keras_gan_latent.data.mnist import load_mnist
from keras_gan_latent.errors import UserError
from keras_gan_latent.evaluation import MNIST_SAMPLES, MNIST_TARGET
from keras_gan_latent.experiments.spec import (
    ArchSettings,
    DigitDataSettings,
    ModeReportSettings,
    LatentSettings,
    GanSettings,
    DcganSettings,
    CodeSettings,
    AdamPairSettings,
    gan_run_suffix,
    ExperimentSpec,
)


class MnistSpec(ExperimentSpec):
    """`--model dcgan`: three architectures (`arch`), each with its batch and Adam settings; N(0, I) latents."""

    name = "dcgan"
    experiment = "keras_gan_latent.experiments.mnist:MnistExperiment"
    label = "DCGAN"
    description = "a DCGAN on real MNIST digits"
    settings = (
        ArchSettings, DcganSettings, DigitDataSettings, ModeReportSettings, LatentSettings, GanSettings, CodeSettings,
        AdamPairSettings,
    )
    forced = {"target": MNIST_TARGET}
    variant_setting = "arch"
    variant_defaults = {
        "light": dict(batch_size=64, lr_d=2e-4, beta1_d=0.5, lr_g=2e-4, beta1_g=0.5, jit_compile=False, prior="normal"),
        "seed": dict(batch_size=32, lr_d=1e-5, beta1_d=0.1, lr_g=2e-4, beta1_g=0.5, jit_compile=False, prior="normal"),
        "tutorial": dict(batch_size=256, lr_d=1e-4, beta1_d=0.9, lr_g=1e-4, beta1_g=0.9, jit_compile=False, prior="normal"),
    }
    sweep_defaults = dict(
        # The seed study's z_dim sweep.
        latent_dims=(100, 50, 10, 2, 1),
        targets=(MNIST_TARGET,),
        seeds=(0, 1, 2),
        # 5,000 light steps of batch 64: about 2.7 epochs of MNIST (docs: Benchmarks).
        steps=5000,
        # The GAN paper's Parzen protocol and the seed study's histogram.
        num_samples=MNIST_SAMPLES,
        out=os.path.join("logs", "sweep_mnist"),
        arch="light",
    )

    def check(self, config):
        """A step's real digits are drawn without repeats from MNIST's training images."""
        super().check(config)
        real_per_step = config.d_steps * (config.batch_size // 2)
        if real_per_step > MNIST_TRAIN_SIZE:
            raise UserError(
                f"d-steps x batch size / 2 = {real_per_step} real digits a step; must be at most "
                f"{MNIST_TRAIN_SIZE} (a step's real digits are drawn without repeats from MNIST's training images)"
            )

    def data_names(self):
        return (MNIST_TARGET,)

    def check_sweep(self, settings):
        """Loads MNIST once, so bad `--data` is refused before anything is written.

        Raises:
            UserError: if MNIST cannot be loaded from `settings.data` (or at all).
        """
        load_mnist(settings.data)

    def uses_classifier(self, config):
        """The training view's mode report (`mode_report_samples` > 0) classifies generated digits."""
        return config.mode_report_samples > 0

    def run_name(self, config):
        return f"mnist_{config.arch}_z{config.latent_dim}_{config.prior}_s{config.seed}{gan_run_suffix(config)}"
