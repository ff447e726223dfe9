"""The variational autoencoder: one Keras model class for every encoder/decoder pair.

`VAE` is the beta-VAE (Kingma & Welling 2014; Higgins et al. 2017): an
encoder q(z|x) = N(mean(x), diag(exp(log_var(x)))), a decoder p(x|z) (a
diagonal Gaussian with a learned scale, or independent Bernoullis over the
pixels), the fixed prior p(z) = N(0, I_k), and a `train_step` that takes one
gradient step on

    loss = E_q[-log p(x|z)] + beta * KL(q(z|x) || p(z)),

with one reparameterised latent per example and the KL in closed form
(beta = 1 is the negative ELBO). Like `GAN`, it owns a source of real samples
and its own random number generator and draws both inside the compiled step.

It carries the attributes the GAN's training loop, views and export read, so
they can treat it as a GAN: `generator` (z -> the decoder's mean, in data
space), `latent_prior`, `latent_dim`, `fixed_latents`, `global_step`,
`noise`; `networks` names the networks it trains.
"""

import math

import keras
import tensorflow as tf

from keras_gan_latent.checks import is_integer, is_number
from keras_gan_latent.data.priors import latent_prior
from keras_gan_latent.errors import UserError
from keras_gan_latent.models import training_state
from keras_gan_latent.models import LIKELIHOOD_NAMES

LOG_2PI = math.log(2.0 * math.pi)
IWAE_SAMPLES = 128  # importance samples per example of the export's likelihood_bounds


def gaussian_kl(mean, log_var):
    """KL(N(mean, exp(log_var)) || N(0, 1)) of each latent unit, in nats.

    Args:
        mean: Posterior means, shape `(n, k)`.
        log_var: Posterior log-variances, shape `(n, k)`.

    Returns:
        A float32 tensor of shape `(n, k)`: `(mean**2 + exp(log_var) - 1 - log_var) / 2`.
        Summed over units, it is the KL of the diagonal Gaussian against N(0, I_k).
    """
    mean = tf.cast(mean, tf.float32)
    log_var = tf.cast(log_var, tf.float32)
    return 0.5 * (tf.square(mean) + tf.exp(log_var) - 1.0 - log_var)


def gaussian_log_scale(raw, min_scale):
    """The Gaussian decoder's log standard deviation from its raw output.

    The scale is `min_scale + exp(raw)`, computed in log space as
    `log(min_scale) + softplus(raw - log(min_scale))`: a smooth floor. Well
    above `log(min_scale)` the raw output is the log-scale; as it falls the
    scale approaches `min_scale` and never goes below, so the likelihood
    cannot grow without bound by shrinking the scale onto a point. Unlike a
    clamp's, the gradient never vanishes.

    Args:
        raw: The decoder's raw log-scale output.
        min_scale: The floor of the scale, > 0.

    Returns:
        `log(scale)`, a float32 tensor shaped like `raw`; `scale` is never
        below `min_scale` (to float32 rounding).
    """
    floor = math.log(min_scale)
    return floor + tf.nn.softplus(tf.cast(raw, tf.float32) - floor)


def _split_halves(tensor):
    """The two halves of the last axis: (mean, log-variance) or (mean, raw log-scale)."""
    half = tensor.shape[-1] // 2
    return tensor[..., :half], tensor[..., half:]


def _sum_over_events(values):
    """Sums a per-element tensor over every axis but the first (the batch)."""
    return tf.reduce_sum(values, axis=list(range(1, values.shape.rank)))


def _as_seed(seed):
    """A stateless seed: an int32 tensor of shape [2]."""
    seed = tf.cast(seed, tf.int32)
    if seed.shape.rank != 1 or seed.shape[0] != 2:
        raise ValueError(f"a stateless seed is a pair of ints (shape [2]), got shape {seed.shape}")
    return seed


def _positive_finite(name, value):
    """`value` as a float, if it is a finite number > 0; else a UserError."""
    if not is_number(value) or value <= 0:
        raise UserError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def decoder_mean(params, likelihood):
    """The mean of the decoder's distribution, in data space.

    Args:
        params: The decoder's output (see `VAE`).
        likelihood: `"gaussian"`: `params` is `(n, 2d)`, mean then raw
            log-scale; the mean is the first half. `"bernoulli"`: `params`
            are logits; the mean image is `2 * sigmoid(logits) - 1`, in
            [-1, 1] like the DCGAN generator's tanh output.

    Returns:
        A tensor of the data's shape.
    """
    if likelihood == "gaussian":
        return _split_halves(params)[0]
    return 2.0 * keras.ops.sigmoid(params) - 1.0


@keras.saving.register_keras_serializable(package="keras_gan_latent")
class DecoderMean(keras.layers.Layer):
    """Maps decoder parameters to the distribution's mean in data space (`decoder_mean`).

    Args:
        likelihood: One of `LIKELIHOOD_NAMES`.
    """

    def __init__(self, likelihood, **kwargs):
        super().__init__(**kwargs)
        self.likelihood = likelihood

    def call(self, params):
        return decoder_mean(params, self.likelihood)

    def compute_output_shape(self, input_shape):
        if self.likelihood == "gaussian":
            return (*input_shape[:-1], input_shape[-1] // 2)
        return input_shape

    def get_config(self):
        return {**super().get_config(), "likelihood": self.likelihood}


def _network_shapes(encoder, decoder, likelihood):
    """Checks that the networks fit together; returns (latent_dim, data_shape).

    Raises:
        UserError: naming the mismatch.
    """
    encoded = encoder.outputs[0].shape[-1]
    if encoded is None or encoded % 2:
        shape = encoder.outputs[0].shape
        raise UserError(f"the encoder must output (n, 2k) means and log-variances, got shape {shape}")
    latent_dim = encoded // 2
    decoder_input = decoder.inputs[0].shape[-1]
    if decoder_input != latent_dim:
        raise UserError(f"the decoder takes latents of dim {decoder_input}, the encoder makes dim {latent_dim}")
    params_shape = tuple(decoder.outputs[0].shape[1:])
    if likelihood == "gaussian":
        if len(params_shape) != 1 or params_shape[0] % 2:
            raise UserError(f"a gaussian decoder must output (n, 2d) means and raw log-scales, got (n, {params_shape})")
        data_shape = (params_shape[0] // 2,)
    else:
        data_shape = params_shape
    encoder_input = tuple(encoder.inputs[0].shape[1:])
    if encoder_input != data_shape:
        raise UserError(f"the encoder takes data of shape {encoder_input}, the decoder describes shape {data_shape}")
    return latent_dim, data_shape


class VAE(keras.Model):
    """A beta-VAE trained by a custom `train_step`.

    Args:
        encoder: Built Keras model x -> `(n, 2k)`: the posterior means, then
            the log-variances, of q(z|x) = N(mean, diag(exp(log_var))).
        decoder: Built Keras model z `(n, k)` -> the parameters of p(x|z):
            for `likelihood="gaussian"` `(n, 2d)`, the mean then the raw
            log-scale of a diagonal Gaussian over data `(n, d)` (the scale
            is `min_scale + exp(raw)`: see `gaussian_log_scale`); for
            `"bernoulli"` logits shaped like the data, for data in [-1, 1]
            whose targets are `(x + 1) / 2` in [0, 1].
        real_source: `TargetSource` or `DatasetSource` (as for `GAN`): each
            step draws `batch_size / replicas` real samples with index 0.
        likelihood: `"gaussian"` or `"bernoulli"` (`LIKELIHOOD_NAMES`). On
            grey levels the Bernoulli log-likelihood is a cross-entropy, not a
            normalised density of continuous data, so its ELBO bounds nothing
            there; on binary data it is exact.
        batch_size: Global batch size; under a strategy with r replicas each
            replica takes `batch_size / r`.
        beta: Weight of the KL term, finite and > 0 (1: the ELBO).
        seed: Seeds the model's own random generator (real samples and
            posterior noise) and the fixed latents (the same as a `GAN`'s with
            this seed and prior).
        num_fixed_latents: Size of the fixed latent batch, drawn once from the
            prior, that image summaries and frames are rendered from.
        min_scale: Floor of the Gaussian decoder's standard deviation, > 0.
        kl_warmup: Steps over which the KL weight rises linearly from 0 to
            `beta` (Bowman et al. 2016; Sonderby et al. 2016), a remedy for
            a posterior that collapses onto the prior before the decoder
            learns to use z; 0: `beta` from the first step.
        **kwargs: Passed to `keras.Model`.

    Raises:
        UserError: for a beta or min_scale that is not finite and > 0, an
            unknown likelihood, or networks whose shapes do not fit together.

    Examples:
        >>> vae = VAE(mlp_encoder(2, 2), mlp_decoder(2, 2), TargetSource(get_target("gaussian")), "gaussian")
        >>> vae.compile(keras.optimizers.Adam(1e-3))
        >>> vae.fit(steps_dataset(), steps_per_epoch=1000)
        >>> z, x = vae.sample(100, seed=[0, 0])
    """

    def __init__(
        self,
        encoder,
        decoder,
        real_source,
        likelihood,
        batch_size=512,
        beta=1.0,
        seed=0,
        num_fixed_latents=5000,
        min_scale=1e-3,
        kl_warmup=0,
        **kwargs,
    ):
        super().__init__(**kwargs)
        if likelihood not in LIKELIHOOD_NAMES:
            raise UserError(f"unknown likelihood {likelihood!r}; valid likelihoods: {', '.join(LIKELIHOOD_NAMES)}")
        self.beta = _positive_finite("beta", beta)
        self.min_scale = _positive_finite("min_scale", min_scale)
        if not is_integer(kl_warmup) or kl_warmup < 0:
            raise UserError(f"kl warmup must be an integer >= 0 (steps), got {kl_warmup!r}")
        self.kl_warmup = int(kl_warmup)
        self.latent_dim, self.data_shape = _network_shapes(encoder, decoder, likelihood)
        self.encoder = encoder
        self.decoder = decoder
        self.real_source = real_source
        self.likelihood = likelihood
        self.batch_size = int(batch_size)
        self.latent_prior = latent_prior("normal", self.latent_dim)
        # z -> the decoder's mean: the decoder's own layers and weights, so
        # views and the export use it as a GAN's generator.
        z = keras.Input(shape=(self.latent_dim,), name="z")
        mean = DecoderMean(likelihood, name="sample", dtype="float32")(decoder(z))
        self.generator = keras.Model(z, mean, name="generator")
        self.noise = training_state.random_stream(seed)
        self.global_step = training_state.step_counter()
        self.fixed_latents = training_state.fixed_latents(self.latent_prior, num_fixed_latents, seed)
        # The last step's mean KL of each unit; replicas' values are averaged.
        self.kl_per_unit = tf.Variable(
            tf.zeros([self.latent_dim]),
            trainable=False,
            name="kl_per_unit",
            aggregation=tf.VariableAggregation.MEAN,
        )
        self.loss_tracker = keras.metrics.Mean(name="loss")
        self.reconstruction_tracker = keras.metrics.Mean(name="reconstruction")
        self.kl_tracker = keras.metrics.Mean(name="kl")
        self.elbo_tracker = keras.metrics.Mean(name="elbo")
        # Both networks are built (functional models with Inputs); marking
        # the wrapper built lets checkpoints and BackupAndRestore see it.
        self.built = True

    @property
    def metrics(self):
        """The trackers, so Keras resets them at each epoch.

        `loss`: the beta-weighted objective; `reconstruction`: E_q[-log
        p(x|z)] per example (nats, summed over data dimensions); `kl`: KL(q(z|x)
        || p(z)) per example (nats, summed over units); `elbo`:
        -(reconstruction + kl), whatever beta is.
        """
        return [self.loss_tracker, self.reconstruction_tracker, self.kl_tracker, self.elbo_tracker]

    @property
    def networks(self):
        """The trained networks by role: `{"encoder": ..., "decoder": ...}`."""
        return {"encoder": self.encoder, "decoder": self.decoder}

    @property
    def sampling_generator(self):
        """What views and the export draw from, as a GAN's: `generator`, z -> the decoder's mean."""
        return self.generator

    def checkpoint_items(self):
        """What a checkpoint holds to continue training exactly: `{name: trackable}` of a compiled VAE."""
        return dict(
            encoder=self.encoder,
            decoder=self.decoder,
            optimizer=self.optimizer,
            global_step=self.global_step,
            noise=self.noise,
            fixed_latents=self.fixed_latents,
            kl_per_unit=self.kl_per_unit,
        )

    def export_endpoints(self, generator):
        """The export's endpoints beyond a generator's (`training.export`).

        `sample(num_samples, seed)` returns `z`, `x` and `x_mean`: with the
        Gaussian decoder `x` is a draw from the model, p(x|z) with z from the
        prior (the decoder noise is part of the density a 2-D target is
        compared with), with the Bernoulli decoder `x` is the decoder's mean
        image (the usual picture of a digit VAE's samples); `x_mean` is the
        mean either way, what `generate(z)` returns. `encode(x)` returns the
        posterior's `mean` and `log_var`.

        Args:
            generator: The generator (decoder mean) the export holds.

        Returns:
            `(endpoints, tracked)`: `{name: (function, input_signature)}` and
            the networks they use beyond `generator` (the encoder).
        """
        noisy = self.likelihood == "gaussian"

        def sample(num_samples, seed):
            z, x = self.sample(num_samples, tf.bitcast(seed, tf.int32), noisy=noisy)
            return {"z": z, "x": x, "x_mean": generator(z, training=False)}

        def encode(x):
            mean, log_var = self.encode(x)
            return {"mean": mean, "log_var": log_var}

        def likelihood_bounds(x, seed):
            return self.likelihood_bounds(x, tf.bitcast(seed, tf.int32))

        return {
            "sample": (sample, [tf.TensorSpec([], tf.int32, name="num_samples"), tf.TensorSpec([], tf.int64, name="seed")]),
            "encode": (encode, [tf.TensorSpec([None, *self.data_shape], tf.float32, name="x")]),
            "likelihood_bounds": (likelihood_bounds, [
                tf.TensorSpec([None, *self.data_shape], tf.float32, name="x"), tf.TensorSpec([], tf.int64, name="seed"),
            ]),
        }, (self.encoder,)

    def _network_weights(self):
        return self.encoder.trainable_weights + self.decoder.trainable_weights

    def compile(self, optimizer, **kwargs):
        """Configures training.

        Args:
            optimizer: The optimizer of both networks (under a mixed_float16
                policy Keras wraps it in a `LossScaleOptimizer` unless it is one).
            **kwargs: Passed to `keras.Model.compile` (`steps_per_execution`,
                `jit_compile`, ...). No Keras loss is set: the loss lives in
                `train_step`.
        """
        super().compile(optimizer=optimizer, **kwargs)
        # Build the slots now, outside any tf.function, so a checkpoint
        # taken before the first step already holds them.
        self.optimizer.build(self._network_weights())

    def call(self, x, training=False):
        """Reconstructs `x`: the decoder's mean at the posterior mean of z."""
        mean, _ = self.encode(x, training=training)
        return self.generator(mean, training=training)

    def encode(self, x, training=False):
        """The posterior q(z|x).

        Args:
            x: A batch of data, `(n,) + data_shape`.
            training: Run the encoder in training mode.

        Returns:
            `(mean, log_var)`, float32 tensors of shape `(n, latent_dim)`.
        """
        return _split_halves(tf.cast(self.encoder(x, training=training), tf.float32))

    def decode(self, z, training=False):
        """The parameters of p(x|z) (see `VAE`), float32.

        Args:
            z: Latents, `(n, latent_dim)`.
            training: Run the decoder in training mode.

        Returns:
            Gaussian: `(n, 2d)`, mean then raw log-scale; Bernoulli: logits
            `(n,) + data_shape`.
        """
        return tf.cast(self.decoder(z, training=training), tf.float32)

    def log_likelihood(self, x, params):
        """log p(x|z) of each example, in nats, summed over data dimensions.

        Args:
            x: Data, `(n,) + data_shape` (Bernoulli: in [-1, 1]).
            params: Decoder parameters for the same examples (`decode(z)`).

        Returns:
            A float32 tensor of shape `(n,)`.
        """
        x = tf.cast(x, tf.float32)
        if self.likelihood == "gaussian":
            loc, raw = _split_halves(params)
            log_scale = gaussian_log_scale(raw, self.min_scale)
            standardised = (x - loc) * tf.exp(-log_scale)
            return _sum_over_events(-0.5 * tf.square(standardised) - log_scale - 0.5 * LOG_2PI)
        targets = 0.5 * (x + 1.0)
        return -_sum_over_events(tf.nn.sigmoid_cross_entropy_with_logits(labels=targets, logits=params))

    def _terms(self, x, seed, training):
        """One reparameterised latent per example: (reconstruction (n,), KL per unit (n, k))."""
        mean, log_var = self.encode(x, training=training)
        eps = tf.random.stateless_normal(tf.shape(mean), seed=seed)
        z = mean + tf.exp(0.5 * log_var) * eps
        reconstruction = -self.log_likelihood(x, self.decode(z, training=training))
        return reconstruction, gaussian_kl(mean, log_var)

    def elbo(self, x, seed):
        """The ELBO of each example: log p(x|z) at one z ~ q(z|x), minus the closed-form KL.

        An unbiased one-sample estimate of E_q[log p(x|z)] - KL(q(z|x) ||
        p(z)), the lower bound on log p(x) (beta plays no part): single
        estimates scatter around it, their means over many examples do not.

        Args:
            x: A batch of data, `(n,) + data_shape`.
            seed: Stateless seed, a pair of ints.

        Returns:
            A float32 tensor of shape `(n,)`, nats.
        """
        reconstruction, kl_units = self._terms(x, _as_seed(seed), training=False)
        return -(reconstruction + tf.reduce_sum(kl_units, axis=1))

    def iwae_bound(self, x, num_importance, seed, chunk_size=8192):
        """The importance-weighted lower bound on log p(x) of each example (Burda et al. 2016).

        log (1/K) sum_j p(x, z_j) / q(z_j|x) with K latents z_j ~ q(z|x): an
        unbiased estimate of the bound L_K, which is the ELBO at K = 1 and
        rises towards log p(x) as K grows. Latent j is drawn with the seed
        `(stateless_fold_in(seed, 0)[0], j)`, so the result does not depend
        on `chunk_size`. Eagerly, or traced into a `tf.function` with an
        unknown number of examples (the export's `likelihood_bounds`): the
        latents are taken a chunk at a time in a `tf.while_loop`.

        Args:
            x: Data, `(n,) + data_shape`.
            num_importance: K >= 1 (a Python int).
            seed: Stateless seed, a pair of ints.
            chunk_size: Decoder inputs per chunk, at least n (one latent per
                example) (memory, not the result).

        Returns:
            A float32 tensor of shape `(n,)`, nats.

        Examples:
            >>> log_px = vae.iwae_bound(x_test, 1000, seed=[0, 1]).numpy().mean()
        """
        num_importance = int(num_importance)
        if num_importance < 1:
            raise ValueError(f"num_importance must be >= 1, got {num_importance}")
        x = tf.cast(x, tf.float32)
        mean, log_var = self.encode(x)
        n = tf.shape(x)[0]
        per_chunk = tf.maximum(1, int(chunk_size) // tf.maximum(n, 1))
        # stateless_fold_in(seed, j) is (h, j) with h drawn from `seed`.
        head = tf.random.experimental.stateless_fold_in(_as_seed(seed), 0)[0]

        def body(j, total):
            indices = tf.range(j, tf.minimum(num_importance, j + per_chunk))
            seeds = tf.stack([tf.fill(tf.shape(indices), head), indices], axis=1)
            eps = tf.map_fn(
                lambda pair: tf.random.stateless_normal(tf.shape(mean), seed=pair), seeds, fn_output_signature=tf.float32
            )  # (chunk, n, k)
            chunk = tf.reduce_logsumexp(self._log_weights(x, mean, log_var, eps), axis=0)
            return j + per_chunk, tf.reduce_logsumexp(tf.stack([total, chunk]), axis=0)

        start = (tf.constant(0), tf.fill([n], tf.constant(-float("inf"))))
        _, total = tf.while_loop(lambda j, _: j < num_importance, body, start)
        return total - math.log(num_importance)

    def _log_weights(self, x, mean, log_var, eps):
        """log p(x|z) + log p(z) - log q(z|x) at z = mean + exp(log_var / 2) * eps.

        `eps` is `(c, n, k)`; returns `(c, n)`.
        """
        c, n = tf.shape(eps)[0], tf.shape(eps)[1]  # dynamic: also traced with unknown n
        z = mean + tf.exp(0.5 * log_var) * eps
        params = self.decode(tf.reshape(z, [c * n, self.latent_dim]))
        x_shape = tf.shape(x)
        repeated = tf.reshape(tf.broadcast_to(x[None], tf.concat([[c], x_shape], 0)), tf.concat([[c * n], x_shape[1:]], 0))
        log_px_z = tf.reshape(self.log_likelihood(repeated, params), [c, n])
        # log N(z; 0, I) - log N(z; mean, exp(log_var)); the log(2 pi) terms cancel.
        log_ratio = tf.reduce_sum(0.5 * (tf.square(eps) - tf.square(z) + log_var), axis=-1)
        return log_px_z + log_ratio

    def likelihood_bounds(self, x, seed, num_importance=IWAE_SAMPLES):
        """The ELBO and the IWAE bound (`num_importance` latents) of each example: `elbo` and `iwae_bound`.

        Traces into a `tf.function` with an unknown number of examples (the
        export's `likelihood_bounds` endpoint).

        Args:
            x: Data, `(n,) + data_shape`.
            seed: Stateless seed, a pair of ints.
            num_importance: K >= 1.

        Returns:
            `{"elbo": (n,), "iwae": (n,)}` float32 tensors, nats.
        """
        return {"elbo": self.elbo(x, seed), "iwae": self.iwae_bound(x, num_importance, seed)}

    def fixed_samples(self, batch_size=5000):
        """What the training view draws: the model's samples at its fixed latents, as numpy.

        With the Gaussian decoder a draw from p(x|z) with a fixed noise seed
        (the decoder noise is part of the model a 2-D target is compared
        with); with the Bernoulli decoder the mean image.
        """
        outputs = []
        for start in range(0, int(self.fixed_latents.shape[0]), batch_size):
            z = self.fixed_latents[start : start + batch_size]
            params = self.decode(z)
            if self.likelihood == "gaussian":
                loc, raw = _split_halves(params)
                scale = tf.exp(gaussian_log_scale(raw, self.min_scale))
                noise = tf.random.stateless_normal(tf.shape(loc), seed=[start, 0xF1ED])
                outputs.append(loc + scale * noise)
            else:
                outputs.append(decoder_mean(params, self.likelihood))
        return tf.concat(outputs, axis=0).numpy()

    def sample(self, num_samples, seed, noisy=False):
        """Draws from the model: z from the prior, then x from the decoder.

        Args:
            num_samples: Number of samples.
            seed: Stateless seed, a pair of ints; z is
                `latent_prior.sample(num_samples, seed=seed)`.
            noisy: False: x is the decoder's mean (what `generator` returns).
                True: a draw from p(x|z): the Gaussian's mean + scale * noise,
                or Bernoulli pixels mapped to {-1, 1}.

        Returns:
            `(z, x)`: float32 tensors `(num_samples, latent_dim)` and
            `(num_samples,) + data_shape`.
        """
        seed = _as_seed(seed)
        z = self.latent_prior.sample(num_samples, seed=seed)
        params = self.decode(z)
        if not noisy:
            return z, decoder_mean(params, self.likelihood)
        noise_seed = tf.random.experimental.stateless_fold_in(seed, 1)
        if self.likelihood == "gaussian":
            loc, raw = _split_halves(params)
            scale = tf.exp(gaussian_log_scale(raw, self.min_scale))
            return z, loc + scale * tf.random.stateless_normal(tf.shape(loc), seed=noise_seed)
        uniform = tf.random.stateless_uniform(tf.shape(params), seed=noise_seed)
        return z, tf.where(uniform < tf.sigmoid(params), 1.0, -1.0)

    def _scaled_loss(self, loss, replicas):
        """The loss a replica differentiates (as `GAN._scaled_loss`).

        Optimizers sum gradients across replicas, so each replica's mean loss
        is divided by their number; `scale_loss` multiplies by the loss scale
        of a mixed-precision `LossScaleOptimizer` (by 1 otherwise), which
        `apply_gradients` divides out again.
        """
        return self.optimizer.scale_loss(loss / replicas)

    def kl_weight(self):
        """The KL term's weight at the current step: `beta`, ramped up from 0 over `kl_warmup` steps."""
        if not self.kl_warmup:
            return self.beta
        progress = tf.cast(self.global_step + 1, tf.float32) / float(self.kl_warmup)
        return self.beta * tf.minimum(1.0, progress)

    def train_step(self, data):
        """One gradient step on reconstruction + beta * KL over a batch of real samples.

        Under a distribution strategy each replica runs this on its share of
        the global batch (`batch_size / replicas`); the trackers record the
        unscaled per-example means.
        """
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        batch_size = self.batch_size // replicas
        # tfp takes stateless seeds as int32 pairs; the cast keeps the low bits.
        seeds = tf.cast(self.noise.make_seeds(2), tf.int32)
        x = self.real_source.draw(data, 0, batch_size, seeds[:, 0])
        with tf.GradientTape() as tape:
            reconstruction, kl_units = self._terms(x, seeds[:, 1], training=True)
            reconstruction = tf.reduce_mean(reconstruction)
            kl = tf.reduce_mean(tf.reduce_sum(kl_units, axis=1))
            loss = reconstruction + self.kl_weight() * kl
            scaled = self._scaled_loss(loss, replicas)
        weights = self._network_weights()
        grads = tape.gradient(scaled, weights)
        self.optimizer.apply_gradients(zip(grads, weights))
        self.global_step.assign_add(1)
        self.kl_per_unit.assign(tf.reduce_mean(kl_units, axis=0))

        self.loss_tracker.update_state(loss)
        self.reconstruction_tracker.update_state(reconstruction)
        self.kl_tracker.update_state(kl)
        self.elbo_tracker.update_state(-(reconstruction + kl))
        return training_state.reducible_results({m.name: m.result() for m in self.metrics})
