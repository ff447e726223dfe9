"""`--model mlp`'s settings side: the MLP GAN on the 2-D toy targets.

See `experiments.spec` for what a spec declares; `experiments.SPECS` lists every spec.
"""

import os

from keras_gan_latent.data import known_target_dim, known_target_names, target_default_prior
from keras_gan_latent.errors import UserError
from keras_gan_latent.evaluation import MODE_PROTOCOL_SAMPLES
from keras_gan_latent.experiments.spec import (
    ArchSettings,
    ToySettings,
    LatentSettings,
    GanSettings,
    CodeSettings,
    AdamPairSettings,
    MlpCriticSettings,
    gan_run_suffix,
    ExperimentSpec,
)


# PacGAN's batch for the 2-D mixtures: 100 real and 100 generated packs a D update.
PACGAN_PACKS = 100


class ToySpec(ExperimentSpec):
    """`--model mlp`: two sets of networks (`arch`), each with its defaults; the target's prior.

    `article` (the default): the article's networks and settings (batch
    512, Adam D 1e-3 / G 2e-4, beta_1 0.5, XLA). `pacgan`: PacGAN's networks
    (`models.mlp.pacgan_generator`, `pacgan_discriminator`) and settings
    (Adam 1e-4, beta_1 0.8 for both). Its authors' code counts its batch of
    100 in packs, so a D update sees 100 real and 100 generated packs
    whatever m: the default batch is 2 x 100 x `pack` samples.
    """

    name = "mlp"
    experiment = "keras_gan_latent.experiments.toy:ToyExperiment"
    label = "MLP"
    description = "the MLP GAN on toy targets"
    settings = (ArchSettings, LatentSettings, GanSettings, CodeSettings, AdamPairSettings, ToySettings, MlpCriticSettings)
    variant_setting = "arch"
    variant_defaults = {
        "article": dict(
            batch_size=512, lr_d=1e-3, beta1_d=0.5, lr_g=2e-4, beta1_g=0.5, jit_compile=True,
            g_width=256, g_depth=3, d_width=128, d_depth=5,
        ),
        "pacgan": dict(
            batch_size=2 * PACGAN_PACKS, lr_d=1e-4, beta1_d=0.8, lr_g=1e-4, beta1_g=0.8, jit_compile=True,
            g_width=400, g_depth=4, d_width=200, d_depth=3,
        ),
    }
    sweep_defaults = dict(
        latent_dims=(1, 2, 3, 10, 100),
        # The article's three targets and the standard 25-mode benchmark.
        targets=("gaussian", "eight_gaussians", "spiral", "grid25"),
        seeds=(0, 1, 2),
        steps=30000,
        num_samples=MODE_PROTOCOL_SAMPLES,
        out=os.path.join("logs", "sweep"),
    )

    def defaults(self, config):
        """The arch's settings (pacgan: its batch scaled by `pack`), and the target's own latent prior (refusing an unknown target)."""
        values = super().defaults(config)
        if values["arch"] == "pacgan":
            values["batch_size"] *= config.pack
        return {**values, "prior": target_default_prior(config.target)}

    def data_names(self):
        return known_target_names()

    def check_sweep(self, settings):
        """The figures need 2-D targets.

        Raises:
            UserError: for a target that is not 2-D.
        """
        for name in settings.targets:
            dim = known_target_dim(name)
            if dim != 2:
                raise UserError(f"target {name!r} is {dim}-D; the sweep's figures need 2-D targets")

    def run_name(self, config):
        """E.g. `grid25_z2_normal_s0`; PacGAN's networks add the arch: `grid25_pacgan_z2_normal_s0`."""
        arch = "" if config.arch == "article" else f"_{config.arch}"
        return f"{config.target}{arch}_z{config.latent_dim}_{config.prior}_s{config.seed}{gan_run_suffix(config)}"
