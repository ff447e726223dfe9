"""What each kind of run declares about its settings, without TensorFlow.

An experiment's settings side (the settings of its own, its defaults, the data
it trains on, the checks of a config, a run folder's name, a sweep's defaults)
is all a config, the help of a command-line tool and a sweep's settings need.
It is one `ExperimentSpec` subclass per experiment, each in its own module
(`toy_spec`, `mnist_spec`, `vae_spec`, `cgan_spec`, `cyclegan_spec`, listed in
`experiments.SPECS`), so that `TrainConfig.resolved`, `--help` and the refusal
of bad input run in a fraction of a second; each `Experiment` subclass
inherits its spec (`get_spec` finds it by `--model`). This module declares
what a spec is and the blocks of `setting` declarations
(`training.config.SettingsBlock`) that several experiments share; each
experiment's own block is beside its spec; `experiments.config` puts them
together with the settings every run has into `TrainConfig`.
"""

import dataclasses
from typing import Optional

from keras_gan_latent.data import PRIOR_NAMES
from keras_gan_latent.errors import UserError
from keras_gan_latent.models import ARCH_NAMES, LOSS_NAMES, MLP_ARCH_NAMES, smoothing_loss_error
from keras_gan_latent.training.config import SettingsBlock, setting

# The VAE's defaults on any toy target (its `variant_defaults` key), and a CycleGAN's between digit domains.
TOY_DATA = "toy targets"
DIGIT_DATA = "digit domains"
INFO_WEIGHT = 1.0  # InfoGAN's lambda for discrete codes (Chen et al. 2016), the default with a latent code

# Upper bounds, only where a larger value would fail rather than be slow.
MAX_LATENT_DIM = 4096
MAX_D_STEPS = 100
MAX_PACK = 64

# The blocks of settings an experiment claims (its `settings`) that several
# experiments share; the settings every run has are `training.config.CommonSettings`.


@dataclasses.dataclass(frozen=True)
class ArchSettings(SettingsBlock):
    """The networks, chosen by name (the MLP GAN's and the DCGANs' architectures)."""

    arch: Optional[str] = setting(
        None, "the networks: for mlp article (the article's) or pacgan (PacGAN's: G 4 x 400 with BatchNorm, D 3 "
        "maxout layers x 200, Adam 1e-4 / beta_1 0.8, 100 real and 100 generated packs a step); for dcgan, cgan and "
        "selfcond light (minutes on a CPU), seed (the seed study's networks and settings) or tutorial (TensorFlow's DCGAN "
        "tutorial: wider networks, its batch 256 and Adam 1e-4)",
        choices=MLP_ARCH_NAMES + ARCH_NAMES,
        default_text="article for mlp, light for dcgan, cgan and selfcond",
    )


@dataclasses.dataclass(frozen=True)
class DigitDataSettings(SettingsBlock):
    """Digits from a file instead of the built-in MNIST loader."""

    data: Optional[str] = setting(
        None, "an .npz with x_train, y_train, x_test, y_test instead of the built-in MNIST loader (cyclegan: between "
        "digit domains)"
    )


@dataclasses.dataclass(frozen=True)
class ModeReportSettings(SettingsBlock):
    """The classifier's report on generated digits while training."""

    # Generated digits the classifier's mode report is computed on at every
    # image summary (0: no mode report during training).
    mode_report_samples: int = setting(
        2000, "generated digits the classifier's mode report uses at each image summary (0: off)",
        minimum=0,
    )


@dataclasses.dataclass(frozen=True)
class ToySettings(SettingsBlock):
    """MLP networks on a toy target."""

    target: str = setting(
        "eight_gaussians", "target distribution: eight_gaussians, gaussian, spiral, grid25 or normal1d (vae: also "
        "mnist; cyclegan: the 2-D ones, or the digit domains mnist and mnist_rot, digits rotated and thickened)",
    )
    g_width: Optional[int] = setting(None, "generator (vae: encoder and decoder; cyclegan: each translator) hidden units", minimum=1)
    g_depth: Optional[int] = setting(None, "generator (vae: encoder and decoder; cyclegan: each translator) hidden layers", minimum=1)
    num_fixed_latents: int = setting(
        5000, "fixed latents of the frames and the fidelity figures", flag=None, minimum=1
    )


@dataclasses.dataclass(frozen=True)
class LatentSettings(SettingsBlock):
    """A generator's latent (a CycleGAN's noise is `translator_noise`)."""

    latent_dim: int = setting(
        2, "latent dimension k", label="latent dim", minimum=1, maximum=MAX_LATENT_DIM,
        why="the fixed latents and the generator's first layer grow with it",
    )
    prior: Optional[str] = setting(
        None, "latent prior: uniform (U[0,1)^k), normal (N(0,I)) or mixture (ten separated Gaussian clusters)", choices=PRIOR_NAMES,
        default_text="the article's choice for the target",
    )


@dataclasses.dataclass(frozen=True)
class GanSettings(SettingsBlock):
    """An adversarial game's: D's steps, the loss, D's regularisers, G's weight average, packing."""

    d_steps: int = setting(
        1, "discriminator steps per generator step, k of Algorithm 1", minimum=1, maximum=MAX_D_STEPS,
        why="each is unrolled into the compiled train step",
    )
    loss: str = setting(
        "non_saturating", "GAN loss: non_saturating or minimax (the game as written) change G's loss only; hinge "
        "changes both players' losses (D: E relu(1 - D(x)) + E relu(1 + D(G(z))), G: -E D(G(z)))", choices=LOSS_NAMES,
    )
    r1: float = setting(
        0.0, "R1 gradient penalty gamma (Mescheder et al. 2018): D's loss adds gamma/2 E ||grad_x D(x)||^2 on real "
        "samples, logged as train/r1 (0: off)", minimum=0,
    )
    label_smoothing: float = setting(
        0.0, "one-sided label smoothing (Salimans et al. 2016): D's target for real samples is 1 - s, for "
        "generated ones 0 (0: off; not with --loss hinge)", minimum=0, below=1,
    )
    ema: float = setting(
        0.0, "momentum of G's weight average (Yazici et al. 2019), e.g. 0.999: samples, summaries, the mode report "
        "and the export come from an exponential moving average of G's weights (0: off, G itself)", minimum=0, below=1,
    )
    pack: int = setting(
        1, "packing (PacGAN, Lin et al. 2018): D judges m samples at once, concatenated along the feature axis "
        "(images: channels); --batch-size still counts samples, so D sees batch/2/m real and batch/2/m generated "
        "packs a step and G's update batch/m packs, and the batch must divide by 2m (1: off)", minimum=1,
        maximum=MAX_PACK, why="D's input layer widens m-fold",
    )


@dataclasses.dataclass(frozen=True)
class DcganSettings(SettingsBlock):
    """The DCGANs' discriminator."""

    spectral_norm: bool = setting(
        False, "spectral normalisation of D's convolution and dense layers (Miyato et al. 2018)"
    )


@dataclasses.dataclass(frozen=True)
class CodeSettings(SettingsBlock):
    """A latent with a discrete part (InfoGAN)."""

    latent_code: int = setting(
        0, "a latent with a discrete part (InfoGAN, Chen et al. 2016): z = (one-hot code c ~ Cat(K), --latent-dim "
        "continuous numbers), so G sees K + latent dim inputs (0: off; otherwise at least 2)", label="latent code",
        minimum=0, maximum=MAX_LATENT_DIM, why="the fixed latents and the generator's first layer grow with it",
    )
    info_weight: Optional[float] = setting(
        None, "InfoGAN's lambda with --latent-code: a head Q on D's body predicts the code of generated samples "
        "and lambda times its cross-entropy is added to D's and G's losses (0: plain concatenation, no Q)",
        label="info weight", minimum=0, default_text="1 with --latent-code",
    )

    @classmethod
    def check_given(cls, config):
        """Refuses a code of one value, and an info weight without a code (whatever the model: its own line first)."""
        if config.latent_code == 1:
            raise UserError("--latent-code must be 0 (no code) or at least 2 (one code value is no code), got 1")
        if config.info_weight is not None and not config.latent_code:
            raise UserError("--info-weight applies with --latent-code K (K >= 2) only; add --latent-code or drop --info-weight")


@dataclasses.dataclass(frozen=True)
class AdamPairSettings(SettingsBlock):
    """Two players, an Adam each."""

    lr_g: Optional[float] = setting(None, "generator (cyclegan: translators and encoders) Adam learning rate", above=0)
    lr_d: Optional[float] = setting(None, "discriminator (cyclegan: every critic) Adam learning rate", above=0)
    beta1_g: Optional[float] = setting(None, "generator (cyclegan: translators and encoders) Adam beta_1", minimum=0, below=1)
    beta1_d: Optional[float] = setting(None, "discriminator (cyclegan: every critic) Adam beta_1", minimum=0, below=1)


@dataclasses.dataclass(frozen=True)
class MlpCriticSettings(SettingsBlock):
    """An MLP discriminator."""

    d_width: Optional[int] = setting(None, "discriminator (cyclegan: each critic) hidden units (pacgan: maxout units)", minimum=1)
    d_depth: Optional[int] = setting(None, "discriminator (cyclegan: each critic) hidden layers", minimum=1)


def gan_run_suffix(config):
    """What a GAN's run folder name adds for its game's settings away from their defaults, e.g. `_hinge_k5_pack4`."""
    name = ""
    if config.loss != "non_saturating":
        name += f"_{config.loss}"
    if config.d_steps != 1:
        name += f"_k{config.d_steps}"
    if config.r1:
        name += f"_r1_{config.r1:g}"
    if config.label_smoothing:
        name += f"_ls{config.label_smoothing:g}"
    if config.spectral_norm:
        name += "_sn"
    if config.ema:
        name += f"_ema{config.ema:g}"
    if config.pack != 1:
        name += f"_pack{config.pack}"
    if config.latent_code:
        name += f"_c{config.latent_code}_info{config.info_weight:g}"
    return name


class ExperimentSpec:
    """The settings side of one kind of run: no TensorFlow (see the module).

    Declarations (class attributes):
        name: The `--model` value.
        label: How help text names it beside another experiment's default, e.g. "DCGAN".
        description: What `--model name` trains, for help, e.g. "a DCGAN on real MNIST digits".
        forced: `{setting: value}` the experiment fixes whatever is given
            (a setting of another experiment it may silently ignore), e.g.
            the DCGAN's `target="mnist"`.
        variant_setting: The setting that selects a variant with its own
            defaults (the DCGAN's and the MLP GAN's `arch`), or None.
        variant_defaults: `{variant: {setting: value}}`: the values of the
            settings a config leaves as None (one entry, key None, without
            a variant setting); the first variant is the default one.
        sweep_defaults: The `SweepSettings` values its sweeps take when none is given.
        experiment: `"module:class"` of its `Experiment` (imported when first asked for, with TensorFlow).
        settings: The blocks of settings of its own it takes
            (`training.config.SettingsBlock` subclasses: those above, shared
            with other experiments, and its own); any setting another
            experiment claims is refused for it in one line. The settings of
            every run (`training.config.CommonSettings`) apply to all.
    """

    name = None
    experiment = None
    settings = ()
    label = None
    description = None
    forced = {}
    variant_setting = None
    variant_defaults = {None: {}}
    sweep_defaults = {}

    def num_codes(self, config):
        """K of the discrete part of the latent a run's config (a dict) records: its `latent_code`; 0 without one."""
        return int(config.get("latent_code") or 0)

    def setting_names(self):
        """The names of the settings of its own: its `settings` blocks' fields, in order."""
        return tuple(field.name for block in self.settings for field in dataclasses.fields(block))

    def defaults(self, config):
        """The values of the settings `config` leaves as None (batch, Adam, XLA, prior).

        Args:
            config: An unresolved `TrainConfig` whose given values are checked.

        Returns:
            `{setting: value}`: `variant_defaults` of the config's variant;
            `TrainConfig.resolved` applies those still None.
        """
        values = dict(self.variant_defaults[self.variant(config)])
        if self.variant_setting:
            values[self.variant_setting] = self.variant(config)
        if getattr(config, "latent_code", 0):
            values["info_weight"] = INFO_WEIGHT  # InfoGAN's lambda for discrete codes
        return values

    def variant(self, config):
        """The config's variant: its `variant_setting`'s value, the first declared if unset (None without one).

        Raises:
            UserError: for a variant this experiment does not have, naming the valid ones.
        """
        if not self.variant_setting:
            return None
        variant = getattr(config, self.variant_setting)
        if variant is None:
            return next(iter(self.variant_defaults))
        if variant not in self.variant_defaults:
            label = self.variant_setting.replace("_", "-")
            raise UserError(
                f"unknown {label} {variant!r} for --model {self.name}; valid {label}s: {', '.join(self.variant_defaults)}"
            )
        return variant

    def default_values(self, setting):
        """`{variant: default}` of one setting (for help text); empty if the experiment has none."""
        return {v: values[setting] for v, values in self.variant_defaults.items() if setting in values}

    def check(self, config):
        """Refuses combinations of settings this experiment cannot run (one `UserError` line).

        The default is a GAN's: an even batch, half real and half generated for D,
        and label smoothing only with a cross-entropy loss.

        Args:
            config: A `TrainConfig` with every default filled in.
        """
        if config.batch_size % 2:
            raise UserError(f"batch size must be even (half real, half generated for D), got {config.batch_size}")
        if config.batch_size % (2 * config.pack):
            raise UserError(
                f"batch size must divide by 2 x --pack = {2 * config.pack} (D sees batch/2/m real and as many "
                f"generated packs of m samples), got {config.batch_size}"
            )
        error = smoothing_loss_error(config.label_smoothing, config.loss)
        if error:
            raise UserError(error)

    def data_names(self):
        """The names of the data its runs train on (the values `--target` may take)."""
        raise NotImplementedError

    def uses_classifier(self, config):
        """Whether a run of `config` (resolved) builds the MNIST classifier (`models.classifier`).

        The classifier is trained on a machine's first use (minutes) and
        cached; `cli/train.py` says so before it starts.
        """
        del config
        return False

    def run_name(self, config):
        """A run folder's name that says what the run is, e.g. `eight_gaussians_z2_normal_s0`."""
        raise NotImplementedError

    def run_summary(self, config):
        """What train.py's first line says a run is, e.g. "target spiral, latent dim 2, prior normal"."""
        return f"target {config.target}, latent dim {config.latent_dim}, prior {config.prior}"

    def check_sweep(self, settings):
        """Refuses sweep settings this experiment cannot sweep (one `UserError` line); the default accepts all."""


def given_settings(config, names):
    """Those of the settings `names` that `config` sets to other than their declared defaults."""
    defaults = {f.name: f.default for f in dataclasses.fields(config)}
    return [name for name in names if getattr(config, name) != defaults[name]]
