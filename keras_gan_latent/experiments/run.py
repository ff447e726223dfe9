"""From a `TrainConfig` to a trained run: the experiment builds it, the loop trains it.

    import keras_gan_latent as kgl

    result = kgl.train(kgl.TrainConfig(target="spiral", latent_dim=2, steps=3000))

`prepare` resolves a config, folders included, and has its experiment build
the run (writing nothing); `train` then runs it (`training.loop.run`).
"""

from __future__ import annotations

import contextlib

import keras
import tensorflow as tf

from keras_gan_latent.experiments import get_experiment
from keras_gan_latent.training import distribute, loop, ownership
from keras_gan_latent.training.config import TrainConfig


def build_setup(config: TrainConfig, strategy: tf.distribute.Strategy | None = None) -> loop.Setup:
    """The `Setup` of a config, built by its experiment under the run's strategy and precision.

    Args:
        config: A `TrainConfig` (resolved here if it is not yet).
        strategy: The `tf.distribute.Strategy` to build the model in
            (default: TensorFlow's current one).

    Returns:
        A `training.loop.Setup` whose `config` is the resolved one, with a
        distributed run's limits (`TrainConfig.for_distribution`).
    """
    if strategy is None:
        strategy = tf.distribute.get_strategy()
    config = config.resolved()
    distribute.check_batch_split(config.batch_size, distribute.num_replicas(strategy))
    if distribute.is_distributed(strategy):
        config = config.for_distribution(gpu=bool(tf.config.list_physical_devices("GPU")))
    if config.deterministic:
        distribute.enable_determinism(config.seed)
    if config.mixed_precision:
        distribute.check_mixed_precision()

    @contextlib.contextmanager
    def model_scope():
        with _precision_policy(config.mixed_precision), strategy.scope():
            yield

    setup = get_experiment(config.model).recipe.build(config, model_scope)
    setup.strategy = strategy
    return setup


@contextlib.contextmanager
def _precision_policy(mixed_precision):
    """Builds the networks under Keras' mixed_float16 policy if asked to.

    The networks' last layers are float32 whatever the policy (see
    `models.mlp` and `models.dcgan`), so logits and images keep full precision.
    """
    if not mixed_precision:
        yield
        return
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy("mixed_float16")
    try:
        yield
    finally:
        keras.config.set_dtype_policy(previous)


def prepare(config: TrainConfig, strategy: tf.distribute.Strategy | None = None) -> loop.Setup:
    """Resolves a config completely, folders included, and builds its run, writing nothing.

    Args:
        config: A `TrainConfig`.
        strategy: The `tf.distribute.Strategy` to train under (default: the
            one `config.strategy` names).

    Returns:
        The `Setup`; its `config` is the one the run uses (`config` itself
        is never changed).

    Raises:
        UserError: for any invalid setting, and for folders the run may not
            write or replace (`ownership.check_run_folders`), checked before
            the run is built.
    """
    config = config.resolved().with_run_dir()
    ownership.check_run_folders(config)
    if strategy is None:
        strategy = distribute.make_strategy(config.strategy)
    return build_setup(config, strategy)


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
