"""A training run's settings: each declared once, resolved once, saved next to the results.

Every setting is one field of `TrainConfig`, declared with `setting`: its
default, help text and valid values; the experiments that take a setting of
their own claim it in their spec (`ExperimentSpec.settings`), and it is
refused for the others in one line. `SETTINGS`
holds those declarations; `cli/train.py` derives its flags, help and the
conversion back to a config from them. `TrainConfig.resolved()` fills in the
model's defaults, checks every setting and returns a new config, the one a run
uses; configs are frozen, so nothing changes one afterwards.

This module imports no TensorFlow, and neither do resolving a config nor the
help text (the experiments' settings come from their specs,
`experiments.get_spec`), so command-line tools reject bad input and print help
in a fraction of a second.
"""

import dataclasses
import math
import numbers
import os
import typing
from typing import Optional

from keras_gan_latent.data import PRIOR_NAMES
from keras_gan_latent.errors import UserError
from keras_gan_latent.experiments import DEFAULT_MODEL, EXPERIMENT_NAMES, SPECS, get_spec
from keras_gan_latent.models import ARCH_NAMES, LOSS_NAMES, MLP_ARCH_NAMES
from keras_gan_latent.training.ownership import DEFAULT_EXPORT

# The frame count of the article's animations: 600 frames, one every `rate` steps.
ANIMATION_FRAMES = 600

# The --model values: one experiment each (`experiments.get_experiment`).
MODEL_NAMES = EXPERIMENT_NAMES
MAX_TRANSLATOR_NOISE = 256
# tf.distribute strategies: none (the default device), mirrored (all local
# devices), multiworker (the cluster in TF_CONFIG).
STRATEGY_NAMES = ("none", "mirrored", "multiworker")

# The settings a run left unset takes from `summary_intervals` (its length).
SUMMARY_RATES = ("scalar_every", "image_every", "steps_per_execution")

# Upper bounds, only where a larger value would fail rather than be slow.
MAX_LATENT_DIM = 4096
MAX_BATCH_SIZE = 2**20
MAX_D_STEPS = 100
MAX_PACK = 64
MAX_SEED = 2**31 - 1
# beta-VAE studies use beta up to a few hundred (Higgins et al. 2017: 250).
MAX_BETA = 1000.0


@dataclasses.dataclass(frozen=True)
class Setting:
    """The declaration of one `TrainConfig` field (see `setting`); `SETTINGS` holds them all."""

    name: str
    type: type
    default: object
    help: str
    flag: Optional[str]  # None: no command-line flag
    label: str  # what error messages call it
    models: tuple = MODEL_NAMES  # the experiments that take it (their specs' `settings`; unclaimed: all)
    choices: Optional[tuple] = None
    minimum: Optional[float] = None  # inclusive (floats: when `above` is None)
    above: Optional[float] = None  # exclusive lower bound (floats)
    maximum: Optional[float] = None  # inclusive, with `why`
    below: Optional[float] = None  # exclusive upper bound (floats)
    why: Optional[str] = None
    default_text: Optional[str] = None

    def help_text(self):
        """The flag's help: the declared text, its upper bound, its default (rendered), the models it applies to."""
        if self.maximum is None:
            notes = [""]
        elif self.minimum is None:
            notes = [f"at most {_format(self.maximum)}"]
        else:
            notes = [f"{_format(self.minimum)} to {_format(self.maximum)}"]
        notes.append(self.default_description())
        if self.models != MODEL_NAMES:
            notes.append(f"--model {' or '.join(self.models)} only")
        notes = "; ".join(n for n in notes if n)
        if "{default}" in self.help:
            return self.help.replace("{default}", notes)
        return f"{self.help} ({notes})" if notes else self.help

    def default_description(self):
        """E.g. "default 512; DCGAN light 64, seed 32": the default, and each other experiment's where it differs.

        The defaults come from the experiments' specs (no TensorFlow).
        """
        parts, first = [], None
        for i, model in enumerate(self.models):
            experiment = get_spec(model)
            values = experiment.default_values(self.name)
            if i == 0:
                if values:
                    first = next(iter(values.values()))
                    parts.append(_format(first))
                    others = {variant: v for variant, v in values.items() if v != first}
                    if others:  # the first model's other variants, e.g. "MLP pacgan 200"
                        parts.append(f"{experiment.label} " + ", ".join(f"{variant} {_format(v)}" for variant, v in others.items()))
                elif self.default_text:
                    parts.append(self.default_text)
                elif self.default is not None and self.type is not bool:
                    first = self.default
                    parts.append(_format(first))
                continue
            differing = {variant: v for variant, v in values.items() if v != first}
            if not differing:
                continue
            if len(set(differing.values())) == 1 and len(differing) == len(values):
                text = _format(next(iter(differing.values())))
            else:
                text = ", ".join(f"{variant} {_format(v)}" for variant, v in differing.items())
            parts.append(f"{experiment.label} {text}")
        return "default " + "; ".join(parts) if parts else ""


def setting(default, help, **declaration):
    """A `TrainConfig` field declared once: everything the CLI and the checks need.

    Args:
        default: The value when none is given (None: the model's, filled in by
            `TrainConfig.resolved`).
        help: Help text; the default and the models are appended (or put
            where the text says `{default}`).
        **declaration: `Setting` attributes: `flag` (default `--<name>`;
            None: no flag; a `--no-...` flag stores False), `label`,
            `choices`, `minimum`, `above`, `maximum` (with `why`), `below`,
            `default_text`.
    """
    return dataclasses.field(default=default, metadata={"setting": dict(help=help, **declaration)})


def _format(value):
    """A default as help shows it: 2e-4 rather than 0.0002, on/off for switches."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, float) and 0 < abs(value) < 0.01:
        mantissa, exponent = f"{value:e}".split("e")
        return f"{mantissa.rstrip('0').rstrip('.')}e{int(exponent)}"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _model_help():
    """`--model`'s help: each experiment's name and what it trains (`ExperimentSpec.description`)."""
    *first, last = (f"{spec.name} ({spec.description})" for spec in SPECS.values())
    return f"{', '.join(first)} or {last}"


@dataclasses.dataclass(frozen=True)
class TrainConfig:
    """Everything that defines a training run; frozen.

    Defaults are the article's: the networks, batch 512, Adam D 1e-3 / G 2e-4
    with beta_1 0.5, 30,000 steps; `model="dcgan"` takes its own defaults.
    Settings left as None take the model's default in `resolved()`, which
    returns the complete config a run uses.
    """

    model: str = setting(
        DEFAULT_MODEL, _model_help(), choices=MODEL_NAMES,
    )
    arch: Optional[str] = setting(
        None, "the networks: for mlp article (the article's) or pacgan (PacGAN's: G 4 x 400 with BatchNorm, D 3 "
        "maxout layers x 200, Adam 1e-4 / beta_1 0.8, 100 real and 100 generated packs a step); for dcgan and cgan "
        "light (minutes on a CPU), seed (the seed study's networks and settings) or tutorial (TensorFlow's DCGAN "
        "tutorial: wider networks, its batch 256 and Adam 1e-4)",
        choices=MLP_ARCH_NAMES + ARCH_NAMES,
        default_text="article for mlp, light for dcgan and cgan",
    )
    data: Optional[str] = setting(
        None, "an .npz with x_train, y_train, x_test, y_test instead of the built-in MNIST loader (cyclegan: between "
        "digit domains)"
    )
    target: str = setting(
        "eight_gaussians", "target distribution: eight_gaussians, gaussian, spiral, grid25 or normal1d (vae: also "
        "mnist; cyclegan: the 2-D ones, or the digit domains mnist and mnist_rot, digits rotated and thickened)",
    )
    latent_dim: int = setting(
        2, "latent dimension k", label="latent dim", minimum=1, maximum=MAX_LATENT_DIM,
        why="the fixed latents and the generator's first layer grow with it",
    )
    prior: Optional[str] = setting(
        None, "latent prior: uniform (U[0,1)^k), normal (N(0,I)) or mixture (ten separated Gaussian clusters)", choices=PRIOR_NAMES,
        default_text="the article's choice for the target",
    )
    steps: int = setting(30000, "generator steps; the default is the article's budget", minimum=1)
    batch_size: Optional[int] = setting(
        None, "batch size (a GAN's is even: D sees half real, half generated; mlp pacgan: 200 x --pack, 100 real "
        "and 100 generated packs)", label="batch size", minimum=2,
        maximum=MAX_BATCH_SIZE, why="a step holds the whole batch's activations in memory",
    )
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
    spectral_norm: bool = setting(
        False, "spectral normalisation of D's convolution and dense layers (Miyato et al. 2018)"
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
    lr_g: Optional[float] = setting(None, "generator (cyclegan: translators and encoders) Adam learning rate", above=0)
    lr_d: Optional[float] = setting(None, "discriminator (cyclegan: every critic) Adam learning rate", above=0)
    beta1_g: Optional[float] = setting(None, "generator (cyclegan: translators and encoders) Adam beta_1", minimum=0, below=1)
    beta1_d: Optional[float] = setting(None, "discriminator (cyclegan: every critic) Adam beta_1", minimum=0, below=1)
    lr: Optional[float] = setting(None, "Adam learning rate of the encoder and decoder", above=0)
    beta: float = setting(
        1.0, "weight of the KL term of the ELBO (1: the VAE; beta-VAE above 1)", above=0, maximum=MAX_BETA,
        why="a heavier KL term only collapses the posterior onto the prior, and past 3.4e38 overflows float32"
    )
    kl_warmup: Optional[int] = setting(
        None, "steps over which the VAE's KL weight rises linearly from 0 to beta (0: beta from the start)",
        minimum=0, default_text="half of --steps",
    )
    g_width: Optional[int] = setting(None, "generator (vae: encoder and decoder; cyclegan: each translator) hidden units", minimum=1)
    g_depth: Optional[int] = setting(None, "generator (vae: encoder and decoder; cyclegan: each translator) hidden layers", minimum=1)
    d_width: Optional[int] = setting(None, "discriminator (cyclegan: each critic) hidden units (pacgan: maxout units)", minimum=1)
    d_depth: Optional[int] = setting(None, "discriminator (cyclegan: each critic) hidden layers", minimum=1)
    seed: int = setting(0, "random seed", minimum=0, maximum=MAX_SEED, why="TensorFlow's stateless seeds are int32")
    logdir: str = setting("logs", "TensorBoard root; each run gets a subfolder named by its settings")
    run_dir: Optional[str] = setting(None, "exact folder for this run", default_text="<logdir>/<settings>")
    export_dir: Optional[str] = setting(None, "where to write the generator SavedModel", default_text="<run dir>/generator")
    overwrite: bool = setting(
        False, "replace what an earlier run of this package wrote there: the export in --export-dir, and with "
        "--run-dir that run's own files (only folders carrying the package's marker file; see "
        "docs/guide/files_and_guarantees.md)"
    )
    scalar_every: Optional[int] = setting(
        None, "steps between scalar summaries", minimum=1, default_text="100; steps/10 in runs under 1,000 steps"
    )
    image_every: Optional[int] = setting(
        None, "steps between image/histogram summaries", minimum=1,
        default_text="about 30 per run (10 in runs of up to 1,000 steps), a multiple of --scalar-every: 1000 for "
        "30,000 steps, 100 for 3,000",
    )
    animate: bool = setting(False, f"also write animation.gif: {ANIMATION_FRAMES} frames, one every --animate-every steps")
    animate_every: int = setting(
        1, f"steps between animation frames (1: the first {ANIMATION_FRAMES} steps, as the article; 50: 30k steps)", minimum=1
    )
    steps_per_execution: Optional[int] = setting(
        None, "train steps per compiled call", minimum=1, default_text="the scalar interval"
    )
    checkpoint_every: int = setting(1000, "steps between checkpoints", minimum=1)
    keep_checkpoints: int = setting(3, "checkpoints kept", minimum=1)
    resume: bool = setting(False, "continue the run with these settings (or --run-dir) from its last checkpoint")
    # XLA for the train step (None: the model's default). Summaries live in
    # callbacks, outside the compiled function, so nothing in it stops XLA.
    jit_compile: Optional[bool] = setting(
        None, "do not compile the train step with XLA (XLA: {default})", flag="--no-jit"
    )
    num_fixed_latents: int = setting(
        5000, "fixed latents of the frames and the fidelity figures", flag=None, minimum=1
    )
    # DCGAN: generated digits the classifier's mode report is computed on at
    # every image summary (0: no mode report during training).
    mode_report_samples: int = setting(
        2000, "generated digits the classifier's mode report uses at each image summary (0: off)",
        minimum=0,
    )
    deterministic: bool = setting(
        False, "TensorFlow op determinism: the same seed gives bit-identical runs (slower on GPUs: see the docs' Benchmarks page)"
    )
    strategy: str = setting(
        "none", "none, mirrored (all local GPUs/devices) or multiworker (the cluster in TF_CONFIG)", choices=STRATEGY_NAMES
    )
    mixed_precision: bool = setting(False, "float16 compute with loss scaling (GPUs only; refused on a CPU)")
    # CycleGAN (`--model cyclegan`): the translator's domains, its noise and its losses' weights.
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

    @property
    def is_resolved(self):
        """True for a config `resolved()` returned (or one derived from it by this module)."""
        return self.__dict__.get("_resolved", False)

    def resolved(self):
        """This config complete and checked: the one a run uses.

        Fills in the model's defaults (batch and Adam settings, XLA, the
        prior: the target's for the MLP, normal for the DCGAN, whose target
        is always mnist) and the summary rates the run leaves unset, scaled
        to its length (`summary_intervals`), and checks every setting, the
        cheap checks first.

        Returns:
            A new frozen `TrainConfig` (this one if it is resolved already).

        Raises:
            UserError: naming the first invalid setting and what is valid,
                e.g. a setting given for a model it does not apply to.
        """
        if self.is_resolved:
            return self
        check_setting(SETTINGS_BY_NAME["model"], self.model)
        get_spec(self.model).variant(self)  # an arch the model lacks is named with the model's own
        for declared in SETTINGS:  # the given values, before TensorFlow is imported
            check_setting(declared, getattr(self, declared.name))
        _check_code(self.latent_code, self.info_weight)
        experiment = get_spec(self.model)
        self._check_applicable(experiment.forced)
        filled = {name: value for name, value in experiment.defaults(self).items() if getattr(self, name) is None}
        rates = summary_intervals(self.steps, scalar_every=self.scalar_every)
        filled.update({name: rates[name] for name in SUMMARY_RATES if getattr(self, name) is None})
        config = dataclasses.replace(self, **filled, **experiment.forced)
        for declared in SETTINGS:
            check_setting(declared, getattr(config, declared.name))
        experiment.check(config)
        return config._derive()

    def _check_applicable(self, forced):
        """Refuses settings given (not at their default) for a model they do not apply to.

        Args:
            forced: The experiment's fixed values (given explicitly, they are not refused).
        """
        given = [
            s for s in SETTINGS
            if self.model not in s.models and getattr(self, s.name) not in (s.default, forced.get(s.name, s.default))
        ]
        if given:
            raise not_applicable([s.flag or s.name for s in given], given[0].models, self.model)

    def _derive(self, **changes):
        """A resolved copy with `changes` this module knows to be valid."""
        config = dataclasses.replace(self, **changes)
        object.__setattr__(config, "_resolved", True)
        return config

    def with_run_dir(self):
        """This config resolved, with its folders: `run_dir` and `export_dir` if unset.

        `run_dir` becomes a new folder under `logdir` named by the settings:
        a second run with the same settings gets `_2`, `_3`, ... rather than
        mixing its event files into the first run's; with `resume` the
        settings' own folder is the run to continue. `export_dir` becomes
        `<run_dir>/generator`.

        Returns:
            A new resolved `TrainConfig`.
        """
        config = self.resolved()
        run_dir = config.run_dir
        if run_dir is None:
            base = os.path.join(config.logdir, config.default_run_name())
            run_dir, n = base, 1
            # --resume continues the run of the same settings; a new run must
            # not mix its events into an old one's folder.
            while os.path.exists(run_dir) and not config.resume:
                n += 1
                run_dir = f"{base}_{n}"
        export_dir = config.export_dir if config.export_dir is not None else os.path.join(run_dir, DEFAULT_EXPORT)
        return config._derive(run_dir=run_dir, export_dir=export_dir)

    def for_distribution(self, gpu):
        """This config resolved, with the two limits of a distributed run, so config.json records what ran.

        Keras 3.x cannot loop several steps over a distributed iterator in one
        execution (its while loop fails with "You must feed a value for
        placeholder tensor"), so a distributed run calls one step at a time.
        XLA has no CPU kernels for the collectives that sum gradients across
        replicas ("Collectives are not yet implemented for CPU devices when
        compiling with XLA"), so without a GPU it runs without XLA.

        Args:
            gpu: Whether the run has a GPU.
        """
        changes = {"steps_per_execution": 1}
        if not gpu:
            changes["jit_compile"] = False
        return self.resolved()._derive(**changes)

    def default_run_name(self):
        """A folder name that says what the run is, e.g. `eight_gaussians_z2_normal_s0` (the experiment's `run_name`)."""
        return get_spec(self.model).run_name(self)

    def to_dict(self):
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, values):
        """Builds a config from a dict, ignoring keys this version does not know.

        A run's `config.json` from before the MLP GAN had networks to choose
        from reads as this version records it (`upgrade_record`).
        """
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in cls.upgrade_record(values).items() if k in known})

    @classmethod
    def upgrade_record(cls, values):
        """A run's recorded settings (its `config.json`) as this version records them.

        Runs recorded before the settings of `LEGACY_DEFAULTS` took their
        model's defaults carry their declared defaults of then, whatever
        their model. Each such value takes the one the run's experiment
        gives the setting now (`ExperimentSpec.defaults`): an MLP GAN's arch
        "light" reads as its networks, "article"; a DCGAN's widths, which it
        has none of, as None; the others as they were.

        Args:
            values: The recorded dict.

        Returns:
            A new dict.
        """
        values = dict(values)
        model = values.get("model", DEFAULT_MODEL)
        # Those runs of the other models recorded arch "light", which this version's never do; a
        # DCGAN's records of this version hold no width (refused) and its arch as given.
        dcgan_arch = model in MODEL_NAMES and LEGACY_DEFAULTS["arch"] in get_spec(model).variant_defaults
        if model not in MODEL_NAMES or (not dcgan_arch and values.get("arch") != LEGACY_DEFAULTS["arch"]):
            return values
        old = [name for name, default in LEGACY_DEFAULTS.items() if values.get(name) == default]
        known = {f.name for f in dataclasses.fields(cls)}
        unset = cls(**{k: v for k, v in values.items() if k in known and k not in old})
        now = get_spec(model).defaults(unset)
        values.update({name: now.get(name) for name in old})
        return values


def _declare(field):
    """The `Setting` of a `TrainConfig` field, from its type, default and `setting` metadata."""
    declaration = dict(field.metadata["setting"])
    value_type = next(t for t in typing.get_args(field.type) or (field.type,) if t is not type(None))
    flag = declaration.pop("flag", "--" + field.name.replace("_", "-"))
    label = declaration.pop("label", flag[2:] if flag else field.name)
    return Setting(name=field.name, type=value_type, default=field.default, flag=flag, label=label,
                   models=_models_taking(field.name), **declaration)


def _models_taking(name):
    """The models whose spec claims setting `name` (`ExperimentSpec.settings`), in help's order; all if none does."""
    return tuple(model for model, spec in SPECS.items() if name in spec.settings) or MODEL_NAMES


SETTINGS = tuple(_declare(f) for f in dataclasses.fields(TrainConfig))
SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}
# What runs recorded for these settings, whatever their model, before they
# took the model's defaults (`TrainConfig.upgrade_record`).
LEGACY_DEFAULTS = {"arch": "light", "g_width": 256, "g_depth": 3, "d_width": 128, "d_depth": 5}


def not_applicable(flags, models, model):
    """The one-line refusal of settings given for a model they do not apply to.

    Args:
        flags: The settings' flags, e.g. `["--g-width"]`.
        models: The models they apply to.
        model: The model chosen.
    """
    verb = "apply" if len(flags) > 1 else "applies"
    return UserError(f"{' and '.join(flags)} {verb} to --model {' or '.join(models)} only, not --model {model}")


def _check_code(latent_code, info_weight):
    """Refuses a code of one value and an info weight without a code (before TensorFlow loads).

    Raises:
        UserError: naming the flag and what is valid.
    """
    if latent_code == 1:
        raise UserError("--latent-code must be 0 (no code) or at least 2 (one code value is no code), got 1")
    if info_weight is not None and not latent_code:
        raise UserError("--info-weight applies with --latent-code K (K >= 2) only; add --latent-code or drop --info-weight")


def _plural(word):
    return word[:-1] + "ies" if word.endswith("y") else word + ("es" if word.endswith("s") else "s")


def check_setting(declared, value):
    """Checks one value against its declaration (None: left to the model's default).

    Raises:
        UserError: naming the setting and what is valid.
    """
    label = declared.label
    if value is None:
        return
    if declared.choices is not None:
        if value not in declared.choices:
            raise UserError(f"unknown {label} {value!r}; valid {_plural(label)}: {', '.join(declared.choices)}")
    elif declared.type is int:
        _check_int(value, label, declared.minimum, declared.maximum, declared.why)
    elif declared.type is float:
        _check_float(value, label, declared)
    elif not isinstance(value, declared.type):
        raise UserError(f"{label} must be a {declared.type.__name__}, got {value!r}")


def _check_int(value, what, minimum, maximum=None, why=None):
    if isinstance(value, bool) or not isinstance(value, int):
        raise UserError(f"{what} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise UserError(f"{what} must be an integer >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise UserError(f"{what} must be at most {maximum} ({why}), got {value}")


def _check_float(value, what, declared):
    """Floats are bounded below by `above` (exclusive) or `minimum` (inclusive), and above by `below` (exclusive) or `maximum` (inclusive, with `why`)."""
    if declared.below is not None:
        text = f"number in [{_format(declared.minimum)}, {_format(declared.below)})"
    elif declared.above is not None:
        text = "positive number" if declared.above == 0 else f"number > {declared.above}"
    else:
        text = f"number >= {_format(declared.minimum)}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not math.isfinite(value):
        raise UserError(f"{what} must be a finite {text}, got {value!r}")
    low_ok = value > declared.above if declared.above is not None else value >= declared.minimum
    if not (low_ok and (declared.below is None or value < declared.below)):
        raise UserError(f"{what} must be a {text}, got {value}")
    if declared.maximum is not None and value > declared.maximum:
        raise UserError(f"{what} must be at most {_format(declared.maximum)} ({declared.why}), got {value:g}")


# Image summaries (and the convergence scalars) of a run without a GIF, when
# the run does not set its rates: about this many, whatever its length.
CONVERGENCE_POINTS = 30


def summary_intervals(steps, animate=False, scalar_every=None):
    """How often a run of `steps` steps records frames, scalars and images.

    Without a GIF, scalars come every 100 steps (every steps / 10 in runs
    under 1,000 steps) and images, with the convergence scalars, about
    `CONVERGENCE_POINTS` times per run, at a multiple of the scalar interval:
    every 1,000 steps of the article's 30,000. `TrainConfig.resolved` takes
    these when a run leaves its rates unset, and a sweep's cells always. With
    a GIF of up to `ANIMATION_FRAMES` frames (a sweep's `animate`), one every
    ceil(steps / 600) steps spans the whole run; `training.loop.run` runs
    executions of the gcd of the execution size and the summary intervals,
    and at most one frame interval while it animates, so every interval is
    then a multiple of the frame interval: scalars about every 100 steps,
    images 10 times per animation.

    Args:
        steps: Generator steps of the run.
        animate: Whether the run writes a GIF.
        scalar_every: The run's scalar interval, if it sets one (without a
            GIF: images come at a multiple of it).

    Returns:
        A dict of `TrainConfig` fields: `animate_every`, `scalar_every`,
        `steps_per_execution` and `image_every`.
    """
    if not animate:
        scalar_every = scalar_every or max(1, min(100, steps // 10))
        image_every = scalar_every * max(1, round(steps / CONVERGENCE_POINTS / scalar_every))
        return {"animate_every": 1, "scalar_every": scalar_every, "steps_per_execution": scalar_every, "image_every": image_every}
    every = max(1, -(-steps // ANIMATION_FRAMES))
    scalar_every = every * max(1, round(100 / every))
    return {
        "animate_every": every,
        "scalar_every": scalar_every,
        "steps_per_execution": scalar_every,
        "image_every": every * ANIMATION_FRAMES // 10,
    }
