"""The loop's entry points: from a `TrainConfig` (`experiments.config`) and a recipe to a trained run.

`prepare` resolves a config, folders included, and has the recipe (an
experiment's `Recipe`) build the run under the run's strategy and precision,
writing nothing; `training.loop.run` then trains it. The recipe is
handed in: `experiments.run` binds each config to its experiment's, so
`kgl.train(config)` needs none.
"""

from __future__ import annotations

import contextlib

import keras
import tensorflow as tf

from keras_gan_latent.training import distribute, loop, ownership


def build_setup(config, recipe, strategy: tf.distribute.Strategy | None = None) -> loop.Setup:
    """The `Setup` of a config, built by `recipe` under the run's strategy and precision.

    Args:
        config: An `experiments.config.TrainConfig` (resolved here if it is not yet).
        recipe: The `experiments.base.Recipe` of the config's model.
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
        with _precision_policy(config), strategy.scope():
            yield

    setup = recipe.build(config, model_scope)
    setup.strategy = strategy
    return setup


@contextlib.contextmanager
def _precision_policy(config):
    """Builds the networks under Keras' mixed_float16 or mixed_bfloat16 policy if the config asks for one.

    The networks' last layers are float32 whatever the policy (see
    `models.mlp` and `models.dcgan`), so logits, losses and images keep full
    precision.
    """
    policy = "mixed_float16" if config.mixed_precision else "mixed_bfloat16" if config.bfloat16 else None
    if policy is None:
        yield
        return
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy(policy)
    try:
        yield
    finally:
        keras.config.set_dtype_policy(previous)


def prepare(config, recipe, strategy: tf.distribute.Strategy | None = None) -> loop.Setup:
    """Resolves a config completely, folders included, and builds its run, writing nothing.

    Args:
        config: A `TrainConfig`.
        recipe: The `experiments.base.Recipe` of the config's model.
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
    return build_setup(config, recipe, strategy)
