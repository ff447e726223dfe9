"""A training run's settings, `TrainConfig`: every experiment's, resolved once, saved next to the results.

Every setting is one field of `TrainConfig`, declared once with
`training.config.setting` in a block of settings: `--model` here, the
settings every run has in `training.config.CommonSettings`, and each
experiment's own beside its spec (`experiments.spec`, its
`ExperimentSpec.settings`), refused for the other experiments in one line.
`SETTINGS` holds their declarations; `cli/train.py` derives its flags, help
and the conversion back to a config from them. `TrainConfig.resolved()` fills
in the model's defaults, checks every setting and returns a new config, the one
a run uses; configs are frozen, so nothing changes one afterwards.

This module imports no TensorFlow, and neither do resolving a config nor the
help text (the experiments' settings come from their specs), so command-line
tools reject bad input and print help in a fraction of a second.
"""

import dataclasses
import os
import typing

from keras_gan_latent.experiments import DEFAULT_MODEL, EXPERIMENT_NAMES, SPECS, get_spec
from keras_gan_latent.training.config import (
    SUMMARY_RATES,
    CommonSettings,
    SettingsBlock,
    check_setting,
    declare,
    not_applicable,
    setting,
    summary_intervals,
)
from keras_gan_latent.training.ownership import DEFAULT_EXPORT

# The keys of `config.json` in the order every run and export so far recorded
# them (`TrainConfig.to_dict`); a setting declared since goes after them, in the
# order of the blocks (`BLOCKS`).
RECORD_ORDER = (
    "model", "arch", "data", "target", "latent_dim", "prior", "steps", "batch_size", "d_steps", "loss", "r1",
    "label_smoothing", "spectral_norm", "ema", "pack", "latent_code", "info_weight", "lr_g", "lr_d", "beta1_g",
    "beta1_d", "lr", "beta", "kl_warmup", "g_width", "g_depth", "d_width", "d_depth", "seed", "logdir", "run_dir",
    "export_dir", "overwrite", "scalar_every", "image_every", "animate", "animate_every", "steps_per_execution",
    "checkpoint_every", "keep_checkpoints", "resume", "jit_compile", "num_fixed_latents", "mode_report_samples",
    "deterministic", "strategy", "mixed_precision", "source", "translator_noise", "cycle_weight", "identity_weight",
)


def _model_help():
    """`--model`'s help: each experiment's name and what it trains (`ExperimentSpec.description`)."""
    *first, last = (f"{spec.name} ({spec.description})" for spec in SPECS.values())
    return f"{', '.join(first)} or {last}"


@dataclasses.dataclass(frozen=True)
class ModelSettings(SettingsBlock):
    """Which experiment a run is."""

    model: str = setting(DEFAULT_MODEL, _model_help(), choices=EXPERIMENT_NAMES)


def _blocks():
    """The model's block, the block of every run, then each experiment's blocks (once each), in `SPECS` order."""
    blocks = [ModelSettings, CommonSettings]
    for spec in SPECS.values():
        blocks += [block for block in spec.settings if block not in blocks]
    return tuple(blocks)


BLOCKS = _blocks()


def record_fields(blocks, order):
    """The fields of `blocks` in a record's order: `(name, type, field)` each.

    Args:
        blocks: `SettingsBlock` dataclasses.
        order: Setting names in the order they go first; the others follow
            in the blocks' order.

    Raises:
        TypeError: for a setting two blocks declare, or a name in `order` no block declares.
    """
    declared = {}
    for block in blocks:
        types = typing.get_type_hints(block)
        for field in dataclasses.fields(block):
            if field.name in declared:
                raise TypeError(f"setting {field.name!r} is declared twice, in {declared[field.name][2]} and {block}")
            declared[field.name] = (types[field.name], field, block)
    missing = [name for name in order if name not in declared]
    if missing:
        raise TypeError(f"no block declares {', '.join(missing)}")
    names = list(order) + [name for name in declared if name not in order]
    return [(name, declared[name][0], declared[name][1]) for name in names]


def _with_settings(cls):
    """`cls` as a frozen dataclass whose fields are the settings of every block (`BLOCKS`), in `RECORD_ORDER`."""
    fields = record_fields(BLOCKS, RECORD_ORDER)
    cls.__annotations__ = {name: annotation for name, annotation, _ in fields}
    for name, _, field in fields:
        setattr(cls, name, dataclasses.field(default=field.default, metadata=field.metadata))
    return dataclasses.dataclass(frozen=True)(cls)


@_with_settings
class TrainConfig:
    """Everything that defines a training run; frozen.

    Its fields are the settings of every block (`BLOCKS`): `model`, those
    of every run (`training.config.CommonSettings`) and each experiment's
    (`experiments.spec`); `python scripts/train.py --help` lists them.
    Defaults are the article's: the networks, batch 512, Adam D 1e-3 / G 2e-4
    with beta_1 0.5, 30,000 steps; `model="dcgan"` takes its own defaults.
    Settings left as None take the model's default in `resolved()`, which
    returns the complete config a run uses.
    """

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
        for block in BLOCKS:
            block.check_given(self)
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
        """The settings as `config.json` records them: a dict in `RECORD_ORDER`."""
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
        dcgan_arch = model in EXPERIMENT_NAMES and LEGACY_DEFAULTS["arch"] in get_spec(model).variant_defaults
        if model not in EXPERIMENT_NAMES or (not dcgan_arch and values.get("arch") != LEGACY_DEFAULTS["arch"]):
            return values
        old = [name for name, default in LEGACY_DEFAULTS.items() if values.get(name) == default]
        known = {f.name for f in dataclasses.fields(cls)}
        unset = cls(**{k: v for k, v in values.items() if k in known and k not in old})
        now = get_spec(model).defaults(unset)
        values.update({name: now.get(name) for name in old})
        return values


def _declaration(field):
    """The `Setting` of a `TrainConfig` field: for the experiments whose specs claim it, or for all if none does."""
    claimed = [spec for spec in SPECS.values() if field.name in spec.setting_names()]
    return declare(field, claimed or SPECS.values(), only=bool(claimed))


SETTINGS = tuple(_declaration(f) for f in dataclasses.fields(TrainConfig))
SETTINGS_BY_NAME = {s.name: s for s in SETTINGS}
# What runs recorded for these settings, whatever their model, before they
# took the model's defaults (`TrainConfig.upgrade_record`).
LEGACY_DEFAULTS = {"arch": "light", "g_width": 256, "g_depth": 3, "d_width": 128, "d_depth": 5}
