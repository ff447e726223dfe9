"""Experiments: the one place where the kinds of run differ.

An experiment is everything particular to one kind of run: its settings side
(`spec`: defaults, data, checks, run names) and four narrow parts declared in
`base`: a `Recipe` that builds its runs, a `Scorer` that scores an export and
names its metrics, a `SweepPresenter` for what a sweep keeps and draws, and
`Pictures` for what the command-line tools draw. The training loop, the sweep
and the command-line tools ask the part they need of
`get_experiment(config.model)` and never which experiment it is:

    toy:   `ToyExperiment`, `--model mlp`: the article's MLP GAN on 1-D/2-D targets.
    mnist: `MnistExperiment`, `--model dcgan`: the seed study's DCGAN on real MNIST.
    vae:   `VaeExperiment`, `--model vae`: a (beta-)VAE on a toy target or on MNIST.
    cgan:  `CganExperiment`, `--model cgan`: a class-conditional DCGAN on MNIST.
    selfcond: `SelfcondExperiment`, `--model selfcond`: a DCGAN on MNIST conditioned on
           clusters of its discriminator's features (self-conditioning, no labels).
    cyclegan: `CycleGanExperiment`, `--model cyclegan`: CycleGAN / Augmented CycleGAN
           between two 2-D toy targets or two MNIST digit domains.

Adding a kind of experiment is one module with an `Experiment` subclass (its
parts, new or reused), its spec in `spec` with the blocks of settings it takes
(shared ones, and its own declared beside it) naming the module and class, and
its spec's entry in `spec.SPECS`.
`config` puts every experiment's settings and those of every run together into
`TrainConfig`; `run` builds and trains a config's run (`prepare`, `train`).

Importing this package is cheap (no TensorFlow): an experiment's module is
imported when `get_experiment` first asks for it. Its settings side, all that
configs, help and refusals of bad input need, is its spec (`spec` declares
what a spec is and the settings blocks experiments share; each experiment's
spec and its own settings are in `<experiment>_spec`, e.g. `vae_spec`;
`get_spec` finds one), which imports no TensorFlow.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from keras_gan_latent.errors import UserError
from keras_gan_latent.experiments.cgan_spec import CganSpec
from keras_gan_latent.experiments.cyclegan_spec import CycleGanSpec
from keras_gan_latent.experiments.mnist_spec import MnistSpec
from keras_gan_latent.experiments.selfcond_spec import SelfcondSpec
from keras_gan_latent.experiments.spec import ExperimentSpec
from keras_gan_latent.experiments.toy_spec import ToySpec
from keras_gan_latent.experiments.vae_spec import VaeSpec
from keras_gan_latent.lazy import lazy_exports

if TYPE_CHECKING:
    from keras_gan_latent.experiments.base import Experiment

# --model value -> its spec (one module per experiment, `<experiment>_spec`), in the order help lists them.
SPECS = {spec.name: spec() for spec in (ToySpec, MnistSpec, VaeSpec, CganSpec, SelfcondSpec, CycleGanSpec)}
# --model values, in the order help lists them (each spec names its experiment's "module:class").
EXPERIMENT_NAMES = tuple(SPECS)
# The --model of a config, export or sweep that names none (the article's, the first there was).
DEFAULT_MODEL = EXPERIMENT_NAMES[0]
_instances = {}


def get_spec(name: str) -> ExperimentSpec:
    """The settings side of the experiment of `--model name` (`spec.ExperimentSpec`), without TensorFlow.

    Raises:
        UserError: for an unknown name, naming the valid ones.
    """
    if name not in SPECS:
        raise UserError(f"unknown model {name!r}; valid models: {', '.join(EXPERIMENT_NAMES)}")
    return SPECS[name]


def get_experiment(name: str) -> Experiment:
    """The experiment of `--model name` (one instance per process).

    Args:
        name: One of `EXPERIMENT_NAMES`.

    Returns:
        An `Experiment`.

    Raises:
        UserError: for an unknown name, naming the valid ones.

    Examples:
        >>> get_experiment("mlp").defaults(config)
    """
    get_spec(name)  # refuses an unknown name
    if name not in _instances:
        module, cls = SPECS[name].experiment.split(":")
        _instances[name] = getattr(importlib.import_module(module), cls)()
    return _instances[name]


def model_of(config: dict) -> str:
    """The `--model` an export's or a saved run's config records (`DEFAULT_MODEL` if it predates the field)."""
    return config.get("model", DEFAULT_MODEL)


def num_codes_of(config: dict) -> int:
    """K of the discrete part of the latent an export's or run's config records (its spec's `num_codes`); 0 without one."""
    return get_spec(model_of(config)).num_codes(config)


def data_names() -> tuple[str, ...]:
    """Every name `--target` may take, over all experiments (toy targets, then mnist), without TensorFlow."""
    names = []
    for spec in SPECS.values():
        names += [n for n in spec.data_names() if n not in names]
    return tuple(names)


def model_for_data(data_name: str) -> str:
    """The `--model` whose runs train on `data_name` (a toy target's name, or mnist), without TensorFlow.

    Raises:
        UserError: if no experiment trains on it, listing every valid name.
    """
    for model, spec in SPECS.items():
        if data_name in spec.data_names():
            return model
    raise UserError(f"unknown target {data_name!r}; valid targets: {', '.join(data_names())}")


_NAMES = {
    "Experiment": "keras_gan_latent.experiments.base",
    "ToyExperiment": "keras_gan_latent.experiments.toy",
    "MnistExperiment": "keras_gan_latent.experiments.mnist",
    "CganExperiment": "keras_gan_latent.experiments.cgan",
    "CycleGanExperiment": "keras_gan_latent.experiments.cyclegan",
    "build_setup": "keras_gan_latent.experiments.run",
    "prepare": "keras_gan_latent.experiments.run",
    "train": "keras_gan_latent.experiments.run",
}
__getattr__, __dir__ = lazy_exports(__name__, _NAMES)
