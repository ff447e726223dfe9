"""The GAN model: one Keras model class for every generator/discriminator pair.

`GAN` owns the two networks, the latent prior, a source of real samples and
its own random number generator, and overrides `train_step` with Algorithm 1
of Goodfellow et al. (2014): k discriminator steps, then one generator step.
Real samples and latents are both drawn inside the compiled step, so with
`steps_per_execution` a whole block of steps runs without returning to
Python. Only the networks and the real-sample source differ between the toy
MLP GAN and the DCGAN on MNIST.
"""

import keras
import tensorflow as tf

from keras_gan_latent.models import LOSS_NAMES
from keras_gan_latent.errors import UserError


def discriminator_loss(real_logits, fake_logits):
    """-V(D, G) = -(E log D(x) + E log(1 - D(G(z)))), from logits.

    At the optimum of the game it equals log 4, the GAN paper's -V.
    """
    # log sigmoid(t) = -softplus(-t) and log(1 - sigmoid(t)) = -softplus(t),
    # which stay finite where a sigmoid would saturate to 0 or 1.
    return tf.reduce_mean(tf.nn.softplus(-real_logits)) + tf.reduce_mean(
        tf.nn.softplus(fake_logits)
    )


def generator_loss(fake_logits, loss):
    """The generator's objective, from D's logits on generated samples.

    Args:
        fake_logits: D's logits on G(z).
        loss: `"non_saturating"`: minimise -E log D(G(z)) (the paper's
            practical choice, strong gradients early in training);
            `"minimax"`: minimise E log(1 - D(G(z))) (the game as written).

    Returns:
        A scalar loss.
    """
    if loss == "non_saturating":
        return tf.reduce_mean(tf.nn.softplus(-fake_logits))
    if loss == "minimax":
        return -tf.reduce_mean(tf.nn.softplus(fake_logits))
    raise UserError(f"unknown loss {loss!r}; valid losses: {', '.join(LOSS_NAMES)}")


class TargetSource:
    """Real samples drawn from a tfp target inside the compiled step.

    Args:
        target: A `keras_gan_latent.data.targets.Target`.
    """

    def __init__(self, target):
        self.target = target

    def draw(self, data, index, num_samples, seed):
        """Returns `num_samples` real samples (the fed `data` is unused)."""
        del data, index
        return self.target.sample(num_samples, seed=seed)


class DatasetSource:
    """Real samples taken from the batch that `fit` feeds the model.

    The dataset must yield `d_steps * batch_size // 2` samples per step; the
    i-th discriminator step uses the i-th slice.
    """

    def draw(self, data, index, num_samples, seed):
        del seed
        return data[index * num_samples : (index + 1) * num_samples]


class GAN(keras.Model):
    """A GAN trained by a custom `train_step`.

    Args:
        generator: Built Keras model z -> x.
        discriminator: Built Keras model x -> logit, shape (n, 1).
        latent_prior: tfp distribution with event shape `[latent_dim]`.
        real_source: `TargetSource` or `DatasetSource`.
        batch_size: Even global batch size: D sees half real and half fake
            samples per step, G sees `batch_size` latents. Under a strategy
            with r replicas each replica takes `batch_size / r`.
        d_steps: Discriminator steps per generator step (k in Algorithm 1).
        loss: Generator loss name, one of `LOSS_NAMES`.
        seed: Seeds the model's own random generator (latents, real samples)
            and the fixed evaluation latents.
        num_fixed_latents: Size of the fixed latent batch, drawn once per run,
            that every image summary and animation frame is rendered from.
        separate_d_batches: Show D the real and the generated half-batch in
            two calls. Default: only if D has a BatchNormalization layer.
    """

    def __init__(
        self,
        generator,
        discriminator,
        latent_prior,
        real_source,
        batch_size=512,
        d_steps=1,
        loss="non_saturating",
        seed=0,
        num_fixed_latents=5000,
        separate_d_batches=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if loss not in LOSS_NAMES:
            raise UserError(f"unknown loss {loss!r}; valid losses: {', '.join(LOSS_NAMES)}")
        self.generator = generator
        self.discriminator = discriminator
        self.latent_prior = latent_prior
        self.real_source = real_source
        self.batch_size = int(batch_size)
        self.d_steps = int(d_steps)
        self.loss_name = loss
        if separate_d_batches is None:
            separate_d_batches = any(
                isinstance(layer, keras.layers.BatchNormalization) for layer in discriminator._flatten_layers()
            )
        self.separate_d_batches = bool(separate_d_batches)
        self.latent_dim = int(generator.inputs[0].shape[-1])
        # The model's own stateful generator: its state is checkpointable, so
        # a resumed run continues the same random stream.
        self.noise = tf.random.Generator.from_seed(seed)
        # Under a strategy each replica adds 1 per step; the first one counts.
        self.global_step = tf.Variable(
            0,
            dtype=tf.int64,
            trainable=False,
            name="global_step",
            aggregation=tf.VariableAggregation.ONLY_FIRST_REPLICA,
        )
        fixed_seed = tf.constant([seed, 0x5EED], dtype=tf.int32)
        self.fixed_latents = tf.Variable(
            latent_prior.sample(num_fixed_latents, seed=fixed_seed),
            trainable=False,
            name="fixed_latents",
        )
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_real_tracker = keras.metrics.Mean(name="d_real")
        self.d_fake_tracker = keras.metrics.Mean(name="d_fake")
        self.d_accuracy_tracker = keras.metrics.Mean(name="d_accuracy")
        # Both networks are built (functional models with Inputs); marking
        # the wrapper built lets checkpoints and BackupAndRestore see it.
        self.built = True

    @property
    def metrics(self):
        """The trackers, so Keras resets them at each epoch."""
        return [
            self.d_loss_tracker,
            self.g_loss_tracker,
            self.d_real_tracker,
            self.d_fake_tracker,
            self.d_accuracy_tracker,
        ]

    def compile(self, d_optimizer, g_optimizer, **kwargs):
        """Configures training.

        Args:
            d_optimizer: Optimizer of the discriminator.
            g_optimizer: Optimizer of the generator.
            **kwargs: Passed to `keras.Model.compile` (`steps_per_execution`,
                `jit_compile`, ...). No Keras loss or optimizer is set: the
                losses live in `train_step`.
        """
        super().compile(optimizer=None, **kwargs)
        self.d_optimizer = d_optimizer
        self.g_optimizer = g_optimizer
        # Build the slots now, outside any tf.function, so a checkpoint
        # taken before the first step already holds them.
        d_optimizer.build(self.discriminator.trainable_variables)
        g_optimizer.build(self.generator.trainable_variables)

    def call(self, z, training=False):
        """Generates samples: the generator applied to latents `z`."""
        return self.generator(z, training=training)

    def _discriminate(self, real, fake):
        """D's logits on the real and the generated half-batch.

        One call on the concatenated batch is one set of larger matrix
        products instead of two (about 1.5x faster for the toy networks) and
        is the same computation for a discriminator without batch
        statistics. A discriminator with BatchNorm must see real and fake
        batches separately (`separate_d_batches=True`), or its statistics
        mix the two and leak which half is which.
        """
        if self.separate_d_batches:
            return self.discriminator(real, training=True), self.discriminator(fake, training=True)
        logits = self.discriminator(tf.concat([real, fake], axis=0), training=True)
        half = tf.shape(real)[0]
        return logits[:half], logits[half:]

    def sample_latents(self, num_samples, seed):
        """Draws latents from the prior with a stateless seed."""
        return self.latent_prior.sample(num_samples, seed=seed)

    def _scaled_loss(self, loss, optimizer, replicas):
        """The loss a replica differentiates.

        Optimizers sum gradients across replicas, so each replica's mean loss
        is divided by their number: the sum is then the gradient of the mean
        over the global batch, as on one device. `scale_loss` multiplies by
        the loss scale of a mixed-precision `LossScaleOptimizer` (by 1
        otherwise), which `apply_gradients` divides out again.
        """
        return optimizer.scale_loss(loss / replicas)

    def train_step(self, data):
        """Algorithm 1: `d_steps` discriminator updates, then one generator update.

        Under a distribution strategy each replica runs this on its share of
        the global batch (`batch_size / replicas`); the trackers record the
        unscaled losses, so the logged values are the global-batch means.
        """
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        batch_size = self.batch_size // replicas
        half = batch_size // 2
        # tfp takes stateless seeds as int32 pairs; the cast keeps the low bits.
        # Created in a strategy's scope, the generator gives each replica its
        # own stream.
        seeds = tf.cast(self.noise.make_seeds(2 * self.d_steps + 1), tf.int32)
        for i in range(self.d_steps):
            real = self.real_source.draw(data, i, half, seeds[:, 2 * i])
            z = self.sample_latents(half, seeds[:, 2 * i + 1])
            # No gradient flows into G during D's update.
            fake = tf.stop_gradient(self.generator(z, training=True))
            with tf.GradientTape() as tape:
                real_logits, fake_logits = self._discriminate(real, fake)
                d_loss = discriminator_loss(real_logits, fake_logits)
                scaled = self._scaled_loss(d_loss, self.d_optimizer, replicas)
            d_weights = self.discriminator.trainable_weights
            grads = tape.gradient(scaled, d_weights)
            self.d_optimizer.apply_gradients(zip(grads, d_weights))

        z = self.sample_latents(batch_size, seeds[:, -1])
        with tf.GradientTape() as tape:
            g_logits = self.discriminator(self.generator(z, training=True), training=True)
            g_loss = generator_loss(g_logits, self.loss_name)
            scaled = self._scaled_loss(g_loss, self.g_optimizer, replicas)
        g_weights = self.generator.trainable_weights
        grads = tape.gradient(scaled, g_weights)
        self.g_optimizer.apply_gradients(zip(grads, g_weights))
        self.global_step.assign_add(1)

        # Under mixed precision the logits may be float16; the trackers are float32.
        real_logits = tf.cast(real_logits, tf.float32)
        fake_logits = tf.cast(fake_logits, tf.float32)
        d_real = tf.sigmoid(real_logits)
        d_fake = tf.sigmoid(fake_logits)
        accuracy = 0.5 * (
            tf.reduce_mean(tf.cast(real_logits > 0, tf.float32))
            + tf.reduce_mean(tf.cast(fake_logits < 0, tf.float32))
        )
        self.d_loss_tracker.update_state(d_loss)
        self.g_loss_tracker.update_state(g_loss)
        self.d_real_tracker.update_state(tf.reduce_mean(d_real))
        self.d_fake_tracker.update_state(tf.reduce_mean(d_fake))
        self.d_accuracy_tracker.update_state(accuracy)
        results = {m.name: m.result() for m in self.metrics}
        if isinstance(tf.distribute.get_strategy(), tf.distribute.MultiWorkerMirroredStrategy):
            # Keras 3 reduces multi-worker results with strategy.reduce(MEAN,
            # axis=0), which fails on scalars (tensorflow/tensorflow#72388):
            # give each a batch axis of one, which that reduction removes.
            results = {name: value[None] for name, value in results.items()}
        return results
