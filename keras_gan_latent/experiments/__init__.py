"""Experiments: the one place where the kinds of run differ.

An experiment is everything particular to one kind of run: its data, its
networks and model, its default settings, what its summaries show, how it is
scored and the metric names its tables use (the contract is `base.Experiment`).
The training loop, the sweep and the command-line tools ask the experiment of
a config's `model` and never which one it is:

    toy:   `ToyExperiment`, `--model mlp`: the article's MLP GAN on 1-D/2-D targets.
    mnist: `MnistExperiment`, `--model dcgan`: the seed study's DCGAN on real MNIST.
    vae:   `VaeExperiment`, `--model vae`: a (beta-)VAE on a toy target or on MNIST.
    cgan:  `CganExperiment`, `--model cgan`: a class-conditional DCGAN on MNIST.
    cyclegan: `CycleGanExperiment`, `--model cyclegan`: CycleGAN / Augmented CycleGAN
           between two 2-D toy targets.

Adding a kind of experiment is one module with an `Experiment` subclass and
one entry in `_EXPERIMENTS`. `run` builds and trains a config's run
(`prepare`, `train`).

Importing this package is cheap (no TensorFlow): an experiment's module is
imported when `get_experiment` first asks for it.
"""

import importlib

from keras_gan_latent.errors import UserError
from keras_gan_latent.lazy import lazy_exports

# --model value -> "module:class" of its experiment, in the order help lists them.
_EXPERIMENTS = {
    "mlp": "keras_gan_latent.experiments.toy:ToyExperiment",
    "dcgan": "keras_gan_latent.experiments.mnist:MnistExperiment",
    "vae": "keras_gan_latent.experiments.vae:VaeExperiment",
    "cgan": "keras_gan_latent.experiments.cgan:CganExperiment",
    "cyclegan": "keras_gan_latent.experiments.cyclegan:CycleGanExperiment",
}
EXPERIMENT_NAMES = tuple(_EXPERIMENTS)
_instances = {}


def get_experiment(name):
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
    if name not in _EXPERIMENTS:
        raise UserError(f"unknown model {name!r}; valid models: {', '.join(EXPERIMENT_NAMES)}")
    if name not in _instances:
        module, cls = _EXPERIMENTS[name].split(":")
        _instances[name] = getattr(importlib.import_module(module), cls)()
    return _instances[name]


def experiment_for_data(data_name):
    """The experiment whose runs train on `data_name` (a toy target's name, or mnist).

    Raises:
        UserError: if no experiment trains on it, listing every valid name.
    """
    names = []
    for model in EXPERIMENT_NAMES:
        experiment = get_experiment(model)
        if data_name in experiment.data_names():
            return experiment
        names += [n for n in experiment.data_names() if n not in names]
    raise UserError(f"unknown target {data_name!r}; valid targets: {', '.join(names)}")


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
