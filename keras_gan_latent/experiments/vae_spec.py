"""`--model vae`'s settings side: the VAE's own settings and its spec.

See `experiments.spec` for what a spec declares; `experiments.SPECS` lists every spec.
"""

import dataclasses
import os
from typing import Optional

from keras_gan_latent.data import target_default_prior
from keras_gan_latent.data.mnist import TRAIN_SIZE as MNIST_TRAIN_SIZE
from keras_gan_latent.errors import UserError
from keras_gan_latent.evaluation import MNIST_TARGET
from keras_gan_latent.training.config import SettingsBlock, setting
from keras_gan_latent.experiments.mnist_spec import MnistSpec
from keras_gan_latent.experiments.toy_spec import ToySpec
from keras_gan_latent.experiments.spec import (
    TOY_DATA, DigitDataSettings, ExperimentSpec, LatentSettings, ModeReportSettings, ToySettings,
)


# beta-VAE studies use beta up to a few hundred (Higgins et al. 2017: 250).
MAX_BETA = 1000.0


@dataclasses.dataclass(frozen=True)
class VaeSettings(SettingsBlock):
    """The VAE's: its one Adam, the KL term's weight and warm-up."""

    lr: Optional[float] = setting(None, "Adam learning rate of the encoder and decoder", above=0)
    beta: float = setting(
        1.0, "weight of the KL term of the ELBO (1: the VAE; beta-VAE above 1)", above=0, maximum=MAX_BETA,
        why="a heavier KL term only collapses the posterior onto the prior, and past 3.4e38 overflows float32"
    )
    kl_warmup: Optional[int] = setting(
        None, "steps over which the VAE's KL weight rises linearly from 0 to beta (0: beta from the start)",
        minimum=0, default_text="half of --steps",
    )


class VaeSpec(ExperimentSpec):
    """`--model vae`: on a toy target batch 512, Adam 1e-3, XLA; on MNIST batch 64, Adam 1e-3; N(0, I); KL warm-up."""

    name = "vae"
    experiment = "keras_gan_latent.experiments.vae:VaeExperiment"
    label = "VAE"
    description = "a VAE on toy targets or MNIST"
    settings = (DigitDataSettings, ModeReportSettings, ToySettings, LatentSettings, VaeSettings)
    variant_defaults = {
        TOY_DATA: dict(batch_size=512, lr=1e-3, jit_compile=True, prior="normal", g_width=256, g_depth=3),
        MNIST_TARGET: dict(batch_size=64, lr=1e-3, jit_compile=False, prior="normal", g_width=256, g_depth=3),
    }
    sweep_defaults = dict(ToySpec.sweep_defaults, out=os.path.join("logs", "sweep_vae"))

    def defaults(self, config):
        """The toy or the MNIST defaults, by `config.target` (refusing an unknown target), and the KL warm-up.

        The KL weight rises from 0 over the first half of training: without
        it the posterior of the toy VAE collapses onto the prior (docs:
        MNIST models, the VAE).
        """
        if config.target != MNIST_TARGET:
            target_default_prior(config.target)
        values = dict(self.variant_defaults[MNIST_TARGET if config.target == MNIST_TARGET else TOY_DATA])
        return {**values, "kl_warmup": config.steps // 2}

    def check(self, config):
        """A VAE step takes `batch_size` real samples (no evenness needed); MNIST has 60,000; the KL warm-up ends within the run."""
        if config.target == MNIST_TARGET and config.batch_size > MNIST_TRAIN_SIZE:
            raise UserError(f"batch size must be at most {MNIST_TRAIN_SIZE} on MNIST, got {config.batch_size}")
        if config.kl_warmup > config.steps:
            raise UserError(
                f"kl-warmup must be at most --steps {config.steps} (the KL weight would never reach beta "
                f"{config.beta:g}), got {config.kl_warmup}"
            )

    def data_names(self):
        return tuple(ToySpec().data_names()) + tuple(MnistSpec().data_names())

    def check_sweep(self, settings):
        """A VAE sweep runs on toy targets (its tables are the toy report's).

        Raises:
            UserError: for mnist among the targets, or a target the toy sweep refuses.
        """
        if MNIST_TARGET in settings.targets:
            raise UserError(
                "a VAE sweep runs on the toy targets only; train a VAE on MNIST with "
                "train.py --model vae --target mnist"
            )
        ToySpec().check_sweep(settings)

    def uses_classifier(self, config):
        """On MNIST, the DCGAN's mode report (`MnistSpec.uses_classifier`)."""
        return config.target == MNIST_TARGET and MnistSpec().uses_classifier(config)

    def run_name(self, config):
        return f"vae_{config.target}_z{config.latent_dim}_beta{config.beta:g}_s{config.seed}"
