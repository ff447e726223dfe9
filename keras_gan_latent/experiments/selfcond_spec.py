"""`--model selfcond`'s settings side: the self-conditioned DCGAN, the cGAN's spec with clusters for classes.

See `experiments.spec` for what a spec declares; `experiments.SPECS` lists every spec.
"""

import dataclasses
import os

from keras_gan_latent.errors import UserError
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
from keras_gan_latent.training.config import SettingsBlock, setting

MAX_CLUSTERS = 1000


@dataclasses.dataclass(frozen=True)
class ClusterSettings(SettingsBlock):
    """Self-conditioning's clusters (Liu et al. 2020)."""

    clusters: int = setting(
        10, "self-conditioning's K: the real digits are clustered into K groups in D's features (k-means), and G "
        "and D are conditioned on the cluster as a cGAN's are on the class", minimum=2, maximum=MAX_CLUSTERS,
        why="G's and D's class embeddings grow with it",
    )
    recluster_every: int = setting(
        2000, "steps between two clusterings of the real digits in D's current features (the first is at step 0)",
        minimum=1,
    )


class SelfcondSpec(MnistSpec):
    """`--model selfcond`: the DCGAN's architectures and defaults, conditioned on clusters of D's features."""

    name = "selfcond"
    experiment = "keras_gan_latent.experiments.selfcond:SelfcondExperiment"
    label = "self-conditioned"
    description = "a DCGAN on MNIST conditioned on clusters of its discriminator's features (no labels)"
    # The cGAN's settings and the clusters: the cluster already is the latent's discrete part.
    settings = (
        ArchSettings, DcganSettings, DigitDataSettings, ModeReportSettings, LatentSettings, GanSettings, ClusterSettings,
        AdamPairSettings,
    )
    sweep_defaults = dict(MnistSpec.sweep_defaults, out=os.path.join("logs", "sweep_selfcond"))

    def check(self, config):
        """The DCGAN's checks; a pack of digits has no one cluster, so `--pack` is refused."""
        super().check(config)
        if config.pack != 1:
            raise UserError(
                f"--pack {config.pack} does not apply to --model selfcond: each real digit is clustered on its own "
                "(give --pack 1, or --model dcgan for packing)"
            )

    def num_codes(self, config):
        """K, the clusters: to a user of the export, the cluster is the latent's discrete part (`sample_code`)."""
        return int(config.get("clusters") or 0)

    def run_name(self, config):
        return (
            f"selfcond_{config.arch}_z{config.latent_dim}_{config.prior}_s{config.seed}_k{config.clusters}"
            f"_every{config.recluster_every}{gan_run_suffix(config)}"
        )
