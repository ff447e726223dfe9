"""From a `TrainConfig` to a trained run: the experiment's recipe builds it, the loop trains it.

    import keras_gan_latent as kgl

    result = kgl.train(kgl.TrainConfig(target="spiral", latent_dim=2, steps=3000))

The entry points' work is `training.run`'s; here each config is bound to
its experiment's `Recipe` (`get_experiment(config.model).recipe`).
"""

from __future__ import annotations

import tensorflow as tf

from keras_gan_latent.experiments import get_experiment
from keras_gan_latent.training import loop
from keras_gan_latent.training import run as training_run
from keras_gan_latent.experiments.config import TrainConfig


def build_setup(config: TrainConfig, strategy: tf.distribute.Strategy | None = None) -> loop.Setup:
    """`training.run.build_setup` with the config's experiment's recipe (the config resolved first)."""
    config = config.resolved()
    return training_run.build_setup(config, get_experiment(config.model).recipe, strategy)


def prepare(config: TrainConfig, strategy: tf.distribute.Strategy | None = None) -> loop.Setup:
    """`training.run.prepare` with the config's experiment's recipe: resolves, checks folders, builds; writes nothing.

    Raises:
        UserError: for any invalid setting, and for folders the run may not
            write or replace (`ownership.check_run_folders`), checked before
            the run is built.
    """
    config = config.resolved()
    return training_run.prepare(config, get_experiment(config.model).recipe, strategy)


def train(config: TrainConfig, verbose: int = 1, setup: loop.Setup | None = None) -> loop.RunResult:
    """Trains the run `config` describes and writes its results to its run dir.

    Writes the run's config (`config.json`), TensorBoard event files,
    checkpoints every `config.checkpoint_every` steps, the final frame
    (`final_frame.png`), the animation (`animation.gif`, with
    `config.animate`) and the generator export. With `config.resume` it
    first restores the run's last good checkpoint and continues from there.

    Args:
        config: A `TrainConfig`.
        verbose: Keras progress bar (1), one line per `fit` call (2) or none (0).
        setup: A `Setup` already built by `prepare(config)`, if any.

    Returns:
        A `training.loop.RunResult`.

    Raises:
        UserError: for an invalid config (before anything is written).
        TrainingDiverged: at a non-finite loss or weight.
        TrainingInterrupted: at SIGINT/SIGTERM, after saving a checkpoint.
        RunWriteError: when a checkpoint, summary or the export cannot be written.

    Examples:
        >>> result = train(TrainConfig(target="spiral", latent_dim=2, steps=3000))
        >>> print(result.export_dir, result.final_metrics["g_loss"])
    """
    return loop.run(setup if setup is not None else prepare(config), verbose)
