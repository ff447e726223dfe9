"""What each kind of run declares about its settings, without TensorFlow.

An experiment's settings side (the settings of its own, its defaults, the data
it trains on, the checks of a config, a run folder's name, a sweep's defaults)
is all a config, the help of a command-line tool and a sweep's settings need.
It lives here, in one `ExperimentSpec` subclass per experiment, so that
`TrainConfig.resolved`, `--help` and the refusal of bad input run in a fraction
of a second; each `Experiment` subclass inherits its spec (`get_spec` finds it
by `--model`). The settings of its own are blocks of `setting` declarations
(`training.config.SettingsBlock`): those several experiments share come first,
each experiment's own beside its spec; `experiments.config` puts them together
with the settings every run has into `TrainConfig`.
"""

import dataclasses
import os
from typing import Optional

from keras_gan_latent.data import PRIOR_NAMES, known_target_dim, known_target_names, target_default_prior
from keras_gan_latent.data.mnist import TRAIN_SIZE as MNIST_TRAIN_SIZE
from keras_gan_latent.data.mnist.domains import DIGIT_DOMAINS
from keras_gan_latent.data.mnist import load_mnist
from keras_gan_latent.errors import UserError
from keras_gan_latent.evaluation import MNIST_SAMPLES, MNIST_TARGET, MODE_PROTOCOL_SAMPLES
from keras_gan_latent.models import ARCH_NAMES, DIGIT_ARCH_NAMES, LOSS_NAMES, MLP_ARCH_NAMES, smoothing_loss_error
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
        "maxout layers x 200, Adam 1e-4 / beta_1 0.8, 100 real and 100 generated packs a step); for dcgan and cgan "
        "light (minutes on a CPU), seed (the seed study's networks and settings) or tutorial (TensorFlow's DCGAN "
        "tutorial: wider networks, its batch 256 and Adam 1e-4)",
        choices=MLP_ARCH_NAMES + ARCH_NAMES,
        default_text="article for mlp, light for dcgan and cgan",
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
        given = _given(config, self.MLP_SETTINGS if self.digits(config) else self.DIGIT_SETTINGS)
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


def _given(config, names):
    """Those of the settings `names` that `config` sets to other than their declared defaults."""
    defaults = {f.name: f.default for f in dataclasses.fields(config)}
    return [name for name in names if getattr(config, name) != defaults[name]]


# --model value -> its spec, in the order help lists them.
SPECS = {spec.name: spec() for spec in (ToySpec, MnistSpec, VaeSpec, CganSpec, CycleGanSpec)}
