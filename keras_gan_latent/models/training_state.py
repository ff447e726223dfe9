"""What every model trained here keeps besides its networks (`GAN`, `VAE`).

Its own random stream (checkpointable, so a resumed run continues the same
stream), the step it is at, and the fixed latents its pictures are drawn
from; and the per-step results in the form a multi-worker run can reduce.
"""

import tensorflow as tf

FIXED_LATENT_SEED = 0x5EED  # second half of the fixed latents' stateless seed [seed, FIXED_LATENT_SEED]


def random_stream(seed):
    """The model's own stateful random generator, seeded."""
    return tf.random.Generator.from_seed(seed)


def step_counter():
    """The model's training step, an int64 variable; under a strategy each replica adds 1 and the first one counts."""
    return tf.Variable(
        0, dtype=tf.int64, trainable=False, name="global_step", aggregation=tf.VariableAggregation.ONLY_FIRST_REPLICA
    )


def fixed_latents(latent_prior, num_latents, seed):
    """`num_latents` draws of the prior, the same for a seed in every run: what frames and reports show."""
    draws = latent_prior.sample(num_latents, seed=tf.constant([seed, FIXED_LATENT_SEED], dtype=tf.int32))
    return tf.Variable(draws, trainable=False, name="fixed_latents")


def reducible_results(results):
    """A train step's `{name: scalar}` results in the form the current strategy can reduce.

    Keras 3 reduces multi-worker results with strategy.reduce(MEAN, axis=0),
    which fails on scalars (tensorflow/tensorflow#72388): there each gets a
    batch axis of one, which that reduction removes.
    """
    if isinstance(tf.distribute.get_strategy(), tf.distribute.MultiWorkerMirroredStrategy):
        return {name: value[None] for name, value in results.items()}
    return results
