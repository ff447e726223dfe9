"""`--model cgan`'s settings side: the class-conditional DCGAN, the DCGAN's spec with labels.

See `experiments.spec` for what a spec declares; `experiments.SPECS` lists every spec.
"""

import os

from keras_gan_latent.experiments.spec import (
    ArchSettings,
    DigitDataSettings,
    ModeReportSettings,
    LatentSettings,
    GanSettings,
    DcganSettings,
    AdamPairSettings,
    gan_run_suffix,
)
from keras_gan_latent.experiments.mnist_spec import MnistSpec


class CganSpec(MnistSpec):
    """`--model cgan`: the DCGAN's architectures and defaults; its sweep asks how small the latent can get."""

    name = "cgan"
    experiment = "keras_gan_latent.experiments.cgan:CganExperiment"
    label = "cGAN"
    description = "a class-conditional DCGAN on MNIST"
    # The DCGAN's but the latent code: a cGAN's class already is a discrete input.
    settings = (ArchSettings, DcganSettings, DigitDataSettings, ModeReportSettings, LatentSettings, GanSettings, AdamPairSettings)
    sweep_defaults = dict(
        MnistSpec.sweep_defaults,
        # The question: with the class given, how small can the latent get?
        latent_dims=(100, 10, 2, 1),
        out=os.path.join("logs", "sweep_cgan"),
    )

    def run_name(self, config):
        return f"cgan_{config.arch}_z{config.latent_dim}_{config.prior}_s{config.seed}{gan_run_suffix(config)}"
