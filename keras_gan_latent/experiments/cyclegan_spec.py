"""`--model cyclegan`'s settings side: the translator's own settings and its spec.

See `experiments.spec` for what a spec declares; `experiments.SPECS` lists every spec.
"""

import dataclasses
from typing import Optional

from keras_gan_latent.data import known_target_dim, known_target_names
from keras_gan_latent.data.mnist.domains import DIGIT_DOMAINS
from keras_gan_latent.errors import UserError
from keras_gan_latent.models import DIGIT_ARCH_NAMES
from keras_gan_latent.training.config import SettingsBlock, setting
from keras_gan_latent.experiments.spec import (
    TOY_DATA,
    DIGIT_DATA,
    DigitDataSettings,
    ToySettings,
    AdamPairSettings,
    MlpCriticSettings,
    ExperimentSpec,
    given_settings,
)


MAX_TRANSLATOR_NOISE = 256


@dataclasses.dataclass(frozen=True)
class CycleGanSettings(SettingsBlock):
    """The translator's domains, its noise and its losses' weights."""

    source: str = setting(
        "gaussian", "the distribution a translator starts from: a 2-D toy target other than --target, or a digit domain "
        "(mnist, mnist_rot) with a digit --target"
    )
    translator_noise: int = setting(
        0, "noise dimension k of the translators: 0 is CycleGAN, k > 0 feeds z ~ N(0, I_k) to each and learns "
        "encoders of it (Augmented CycleGAN)", label="translator noise", minimum=0, maximum=MAX_TRANSLATOR_NOISE,
        why="the noise and the encoders grow with it",
    )
    cycle_weight: float = setting(
        10.0, "weight lambda of the cycle loss |F(G(x)) - x| + |G(F(y)) - y|", label="cycle weight", minimum=0,
    )
    identity_weight: Optional[float] = setting(
        None, "weight of the identity loss |G(y) - y| + |F(x) - x|", label="identity weight", minimum=0, default_text="0.5 x --cycle-weight",
    )
    digit_arch: Optional[str] = setting(
        None, "the translators and critics between digit domains: resnet (the CycleGAN paper's ResNet translators, "
        "PatchGAN critics), dense (translators with a dense bottleneck, which see the whole digit; PatchGAN critics), "
        "dense_image (dense translators, critics that judge the whole digit), affine (the ResNet behind a learned "
        "affine warp of the image; PatchGAN critics) or dihedral (the ResNet behind a learned choice among the "
        "square's eight symmetries, quarter turns and mirror images; PatchGAN critics)", choices=DIGIT_ARCH_NAMES,
    )


class CycleGanSpec(ExperimentSpec):
    """`--model cyclegan`: the CycleGAN paper's Adam 2e-4, beta_1 0.5; 256 points of each toy domain a step with XLA,
    32 digits of each digit domain without (XLA's CPU convolutions are slow); no sweep."""

    name = "cyclegan"
    experiment = "keras_gan_latent.experiments.cyclegan:CycleGanExperiment"
    label = "CycleGAN"
    description = "a translator from --source to --target"
    settings = (AdamPairSettings, ToySettings, MlpCriticSettings, DigitDataSettings, CycleGanSettings)
    variant_defaults = {
        TOY_DATA: dict(
            batch_size=256, lr_d=2e-4, beta1_d=0.5, lr_g=2e-4, beta1_g=0.5, jit_compile=True,
            g_width=256, g_depth=3, d_width=128, d_depth=5,
        ),
        DIGIT_DATA: dict(batch_size=32, lr_d=2e-4, beta1_d=0.5, lr_g=2e-4, beta1_g=0.5, jit_compile=False,
                         digit_arch="resnet"),
    }
    sweep_defaults = {}  # no latent-dimension sweep: `python -m keras_gan_latent.sweep.cyclegan_study`
    # Settings of the toy domains' MLPs, refused with digit domains (their networks are convolutional).
    MLP_SETTINGS = ("g_width", "g_depth", "d_width", "d_depth")
    DIGIT_SETTINGS = ("data", "digit_arch")  # refused with toy domains

    def defaults(self, config):
        """The CycleGAN paper's settings, the toy or the digit batch; identity weight 0.5 x the cycle weight."""
        values = dict(self.variant_defaults[DIGIT_DATA if self.digits(config) else TOY_DATA])
        values["identity_weight"] = 0.5 * config.cycle_weight
        return values

    @staticmethod
    def digits(config):
        """Whether `config` translates between digit domains (`--source mnist`, `mnist_rot`)."""
        return config.source in DIGIT_DOMAINS

    def check(self, config):
        """Refuses an unknown domain, a source equal to the target, a toy domain with a digit domain, and
        settings of the other kind of domain (`--data` and `--digit-arch` with toy domains, the MLP sizes with
        digit domains).

        Raises:
            UserError: naming the problem and the valid choices.
        """
        names = self.data_names()
        for role, name in (("source", config.source), ("target", config.target)):
            if name not in names:
                raise UserError(f"unknown {role} {name!r} for --model cyclegan; valid {role}s: {', '.join(names)}")
        if config.source == config.target:
            kind = [n for n in names if (n in DIGIT_DOMAINS) == self.digits(config)]
            others = ", ".join(n for n in kind if n != config.source)
            raise UserError(f"--source and --target are both {config.source!r}; a translator needs two domains "
                            f"(e.g. --target {others.split(', ')[0]}; valid others: {others})")
        if self.digits(config) != (config.target in DIGIT_DOMAINS):
            toy = ", ".join(n for n in names if n not in DIGIT_DOMAINS)
            raise UserError(f"--source {config.source} and --target {config.target} are of different kinds: digit "
                            f"domains ({', '.join(DIGIT_DOMAINS)}) translate into each other, toy targets ({toy}) "
                            "into toy targets")
        given = given_settings(config, self.MLP_SETTINGS if self.digits(config) else self.DIGIT_SETTINGS)
        if given:
            kind = "toy targets" if self.digits(config) else f"digit domains ({', '.join(DIGIT_DOMAINS)})"
            flags = " and ".join("--" + name.replace("_", "-") for name in given)
            raise UserError(f"{flags} {'apply' if len(given) > 1 else 'applies'} to --model cyclegan between "
                            f"{kind} only, not --source {config.source} --target {config.target}")

    def check_sweep(self, settings):
        raise UserError("--model cyclegan has no latent-dimension sweep; run python -m keras_gan_latent.sweep.cyclegan_study")

    def data_names(self):
        """The 2-D toy targets and the digit domains (either side of a translation; both of one kind)."""
        return tuple(n for n in known_target_names() if known_target_dim(n) == 2) + DIGIT_DOMAINS

    def run_name(self, config):
        """E.g. `cyclegan_gaussian_to_eight_gaussians_k2_s0`; loss weights other than the defaults add `_cw1_id0`,
        digit networks other than the default their `--digit-arch`: `cyclegan_mnist_to_mnist_rot_dense_k0_s0`."""
        arch = config.digit_arch
        arch = "" if arch in (None, self.variant_defaults[DIGIT_DATA]["digit_arch"]) else f"_{arch}"
        name = f"cyclegan_{config.source}_to_{config.target}{arch}_k{config.translator_noise}"
        if config.cycle_weight != 10.0:
            name += f"_cw{config.cycle_weight:g}"
        if config.identity_weight != 0.5 * config.cycle_weight:
            name += f"_id{config.identity_weight:g}"
        return f"{name}_s{config.seed}"

    def run_summary(self, config):
        return f"{config.source} -> {config.target}, translator noise k {config.translator_noise}"
