"""How a run's settings are declared and checked, and the settings every run has.

A setting is declared once, with `setting`, as a field of a small frozen
dataclass, a block of settings: its default, help text and valid values.
`CommonSettings` holds the ones every run has (steps, seed, folders,
summaries, checkpoints, strategy, ...); each experiment declares the blocks of
its own beside its spec (`experiments.spec`), and `experiments.config`
puts them together into `TrainConfig`, one `Setting` per field (`declare`),
from which `cli/train.py` derives its flags, help and the conversion back to a
config. `check_setting` checks a value against its declaration, and
`summary_intervals` scales a run's summary rates to its length.

This module imports no TensorFlow, so command-line tools reject bad input and
print help in a fraction of a second.
"""

import dataclasses
import math
import numbers
import typing
from typing import Optional

from keras_gan_latent.errors import UserError
from keras_gan_latent.training.distribute import STRATEGY_NAMES

# The frame count of the article's animations: 600 frames, one every `rate` steps.
ANIMATION_FRAMES = 600

# The settings a run left unset takes from `summary_intervals` (its length).
SUMMARY_RATES = ("scalar_every", "image_every", "steps_per_execution")

# Upper bounds, only where a larger value would fail rather than be slow.
MAX_BATCH_SIZE = 2**20
MAX_SEED = 2**31 - 1


@dataclasses.dataclass(frozen=True)
class Setting:
    """The declaration of one `TrainConfig` field (`setting`, `declare`); `experiments.config.SETTINGS` holds them."""

    name: str
    type: type
    default: object
    help: str
    flag: Optional[str]  # None: no command-line flag
    label: str  # what error messages call it
    # The specs (`experiments.spec.ExperimentSpec`) of the experiments that take it, in help's order.
    specs: tuple = ()
    only: bool = False  # True: the experiments whose specs claim it take it, the others refuse it; False: every run
    choices: Optional[tuple] = None
    minimum: Optional[float] = None  # inclusive (floats: when `above` is None)
    above: Optional[float] = None  # exclusive lower bound (floats)
    maximum: Optional[float] = None  # inclusive, with `why`
    below: Optional[float] = None  # exclusive upper bound (floats)
    why: Optional[str] = None
    default_text: Optional[str] = None

    @property
    def models(self):
        """The `--model` values that take it (every one for a setting of every run)."""
        return tuple(spec.name for spec in self.specs)

    def help_text(self):
        """The flag's help: the declared text, its upper bound, its default (rendered), the models it applies to."""
        if self.maximum is None:
            notes = [""]
        elif self.minimum is None:
            notes = [f"at most {_format(self.maximum)}"]
        else:
            notes = [f"{_format(self.minimum)} to {_format(self.maximum)}"]
        notes.append(self.default_description())
        if self.only:
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
        for i, experiment in enumerate(self.specs):
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
    """A `TrainConfig` field declared once, in a block of settings: everything the CLI and the checks need.

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


class SettingsBlock:
    """A few settings declared together: subclass it as a frozen dataclass whose fields are `setting`s.

    `CommonSettings` is the block of every run; an experiment's spec claims
    the blocks of its own (`ExperimentSpec.settings`).
    """

    @classmethod
    def check_given(cls, config):
        """Refuses given values of this block that cannot go together, before any default is filled in.

        Args:
            config: An unresolved `TrainConfig` whose values are each valid.

        Raises:
            UserError: naming the settings and what is valid (the default accepts all).
        """


def declare(field, specs, only):
    """The `Setting` of a field of a block, from its type, default and `setting` metadata.

    Args:
        field: A `dataclasses.Field` declared with `setting`, its type resolved.
        specs: The specs of the experiments that take it, in help's order.
        only: Whether those take it and the others refuse it (False: a setting of every run).
    """
    declaration = dict(field.metadata["setting"])
    value_type = next(t for t in typing.get_args(field.type) or (field.type,) if t is not type(None))
    flag = declaration.pop("flag", "--" + field.name.replace("_", "-"))
    label = declaration.pop("label", flag[2:] if flag else field.name)
    return Setting(name=field.name, type=value_type, default=field.default, flag=flag, label=label,
                   specs=tuple(specs), only=only, **declaration)


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


@dataclasses.dataclass(frozen=True)
class CommonSettings(SettingsBlock):
    """The settings every run has, whatever its experiment (`experiments.config.TrainConfig` adds the others)."""

    steps: int = setting(30000, "generator steps; 30,000 is the article's budget", minimum=1)
    batch_size: Optional[int] = setting(
        None, "batch size (a GAN's is even: D sees half real, half generated; mlp pacgan: 200 x --pack, 100 real "
        "and 100 generated packs)", label="batch size", minimum=2,
        maximum=MAX_BATCH_SIZE, why="a step holds the whole batch's activations in memory",
    )
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
    animate: bool = setting(
        False, f"also write animation.gif, {ANIMATION_FRAMES} frames (training takes longer: see the docs' Benchmarks page)"
    )
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
    deterministic: bool = setting(
        False, "TensorFlow op determinism: the same seed gives bit-identical runs (slower on GPUs: see the docs' Benchmarks page)"
    )
    strategy: str = setting(
        "none", "none, mirrored (all local GPUs/devices) or multiworker (the cluster in TF_CONFIG)", choices=STRATEGY_NAMES
    )
    mixed_precision: bool = setting(False, "float16 compute with loss scaling (GPUs only; refused on a CPU)")
    bfloat16: bool = setting(
        False, "bfloat16 compute (Keras's mixed_bfloat16 policy): variables, the networks' last layers and the losses "
        "stay float32; native on CPUs with AVX-512 BF16 / AMX (see the docs' Benchmarks page for what it pays)"
    )

    @classmethod
    def check_given(cls, config):
        """Refuses two compute precisions at once."""
        if config.mixed_precision and config.bfloat16:
            raise UserError("--mixed-precision (float16) and --bfloat16 are two compute precisions; give one of them")


def not_applicable(flags, models, model):
    """The one-line refusal of settings given for a model they do not apply to.

    Args:
        flags: The settings' flags, e.g. `["--g-width"]`.
        models: The models they apply to.
        model: The model chosen.
    """
    verb = "apply" if len(flags) > 1 else "applies"
    return UserError(f"{' and '.join(flags)} {verb} to --model {' or '.join(models)} only, not --model {model}")


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
        check_int(value, label, declared.minimum, declared.maximum, declared.why)
    elif declared.type is float:
        _check_float(value, label, declared)
    elif not isinstance(value, declared.type):
        raise UserError(f"{label} must be a {declared.type.__name__}, got {value!r}")


def check_int(value, what, minimum, maximum=None, why=None):
    """Checks an integer setting: at least `minimum`, at most `maximum` (with `why`, the reason) if given.

    Raises:
        UserError: e.g. "seed must be an integer >= 0, got -1", naming `what`.
    """
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
