"""CycleGAN and Augmented CycleGAN: translators between two distributions, one Keras model class.

A GAN maps simple noise to the data; a CycleGAN maps one data distribution X
to another Y (Zhu et al. 2017): a translator G: X -> Y and one back F: Y -> X,
each with a discriminator (least-squares loss, as the CycleGAN paper), tied by
the cycle loss |F(G(x)) - x| + |G(F(y)) - y| and, where the domains share a
space, the identity loss |G(y) - y| + |F(x) - x|.

A deterministic G sends each x to one y, so it cannot split one source mode
into several target modes without tearing. With `translator_noise` k > 0 the
translators take noise of their own, G(x, z_y) and F(y, z_x) with z ~ N(0, I_k),
and, as Augmented CycleGAN (Almahairi et al. 2018), encoders E_y(x, y) -> z_y
and E_x(x, y) -> z_x close the cycle over (x, z):

    y~ = G(x, z_y)    x' = F(y~, E_x(x, y~))  ~ x    E_y(x, y~) ~ z_y

(and the same from y), while latent discriminators keep the encoded noise
looking like N(0, I_k). Every input of G is `[x, z]` concatenated: G is a
generator whose "latent" is a source point with its noise
(`SourceWithNoise`), so the export's `generate` and the views treat it as any
generator.

A domain is a 2-D toy `Target` or images (`DigitDomain`, 28x28 digits in
[-1, 1]); for images the noise z enters as k constant channels beside the
pixels (`concat_noise`), and the encoders read x and y stacked as channels.
"""

import keras
import tensorflow as tf

from keras_gan_latent.checks import is_integer
from keras_gan_latent.errors import UserError
from keras_gan_latent.models import training_state


class DigitDomain:
    """A domain of 28x28 digits, drawn uniformly (with replacement) inside the compiled step.

    Stands where a toy domain has its `Target` (`sample`, `name`, `shape`).

    Args:
        name: The domain's name (e.g. `mnist_rot`).
        images: uint8 `(n, 28, 28)` digits of the domain.
    """

    mode_centres = mode_scale = None  # no modes: a toy report's mode protocol does not apply

    def __init__(self, name, images):
        self.name = name
        self.images = tf.constant(images, tf.uint8)
        self.shape = (*images.shape[1:], 1)

    def sample(self, num_samples, seed):
        """`num_samples` digits `(n, 28, 28, 1)` in [-1, 1] from a stateless seed (int32 pair)."""
        index = tf.random.stateless_uniform([num_samples], seed, 0, tf.shape(self.images)[0], dtype=tf.int32)
        return tf.cast(tf.gather(self.images, index), tf.float32)[..., None] / 127.5 - 1.0


def domain_shape(domain):
    """The shape of one sample of a domain: a `DigitDomain`'s `(28, 28, 1)`, a toy `Target`'s `(dim,)`."""
    return tuple(getattr(domain, "shape", None) or (domain.dim,))


class SourceWithNoise:
    """The distribution of G's input: a source sample and k noise coordinates N(0, I_k), concatenated.

    Stands where a GAN has its latent prior (`sample`, `event_shape`), so the
    fixed latents and the export's `generate(z)` work unchanged. For images
    the noise is k constant channels (`concat_noise`).

    Args:
        source: A `data.targets.Target` or `DigitDomain` (the source domain X).
        noise_dim: k >= 0.
    """

    def __init__(self, source, noise_dim):
        self.source = source
        self.noise_dim = int(noise_dim)
        shape = domain_shape(source)
        self.event_shape = tf.TensorShape([*shape[:-1], shape[-1] + self.noise_dim])

    def sample(self, num_samples, seed):
        """`num_samples` draws `[x, z]`, shape (n, dim + k), from a stateless seed (int32 pair)."""
        seed = tf.convert_to_tensor(seed, tf.int32)
        x = self.source.sample(num_samples, seed=tf.random.experimental.stateless_fold_in(seed, 0))
        return concat_noise(x, noise(num_samples, self.noise_dim, tf.random.experimental.stateless_fold_in(seed, 1)))


def noise(num_samples, noise_dim, seed):
    """z ~ N(0, I_k), shape (n, k) (k may be 0), from a stateless int32 seed pair."""
    return tf.random.stateless_normal([num_samples, noise_dim], seed=seed)


def concat_noise(points, z):
    """`[points, z]` along the features (z may have 0 columns); images `(n, h, w, c)` get z as k constant channels."""
    points = tf.cast(points, tf.float32)
    if points.shape.rank == 4:
        size = tf.shape(points)
        z = tf.broadcast_to(z[:, None, None, :], tf.stack([size[0], size[1], size[2], tf.shape(z)[1]]))
    return tf.concat([points, z], axis=-1)


def split_noise(inputs, channels):
    """`(points, z)` of G's input `[points, z]`: the first `channels` features, and the noise (n, k)."""
    z = inputs[..., channels:]
    return inputs[..., :channels], z[:, 0, 0, :] if inputs.shape.rank == 4 else z


def least_squares_d(real, fake):
    """LSGAN discriminator loss: 1/2 (E (D(real) - 1)^2 + E D(fake)^2)."""
    return 0.5 * (tf.reduce_mean(tf.square(real - 1.0)) + tf.reduce_mean(tf.square(fake)))


def least_squares_g(fake):
    """LSGAN generator loss: E (D(fake) - 1)^2."""
    return tf.reduce_mean(tf.square(fake - 1.0))


def mean_l1(a, b):
    """Mean absolute difference (the cycle and identity losses)."""
    return tf.reduce_mean(tf.abs(a - b))


class CycleGAN(keras.Model):
    """CycleGAN (k = 0) or Augmented CycleGAN (k > 0) between two domains that draw their own samples.

    Args:
        translator: G, a built Keras model `[x, z_y]` (n, dx + k) -> y (n, dy).
        translator_back: F, `[y, z_x]` (n, dy + k) -> x (n, dx).
        critic_y: D_Y, y -> logit (n, 1).
        critic_x: D_X, x -> logit (n, 1).
        source: Real-sample source of X (`gan.TargetSource`:
            `draw(data, index, num_samples, seed)`), its `Target` (or
            `DigitDomain`) as `source.target`.
        target: Real-sample source of Y, its domain as `target.target`.
        translator_noise: k >= 0; the four networks below only with k > 0.
        encoder_y: E_y, `[x, y]` -> z_y (n, k).
        encoder_x: E_x, `[x, y]` -> z_x (n, k).
        latent_critic_y: z_y -> logit, telling encoded noise from N(0, I_k).
        latent_critic_x: z_x -> logit.
        batch_size: Samples of each domain per step.
        cycle_weight: lambda of the cycle loss (the CycleGAN paper: 10).
        identity_weight: Weight of the identity loss (CycleGAN: 0.5 lambda);
            must be 0 when the domains differ in dimension.
        seed: Seeds the model's random stream and the fixed samples.
        num_fixed: Fixed source (with noise) and target draws every summary renders.
        export_source: The domain the export's `sample` draws x from (default
            the training source's): e.g. held-out digits.

    Raises:
        UserError: a negative k, encoders missing (k > 0) or given (k = 0),
            negative weights, an identity loss between domains of different
            dimensions, or networks whose shapes do not fit the domains.

    Attributes:
        fixed_latents: (num_fixed, dx + k): fixed G inputs (source samples with noise;
            images `(num_fixed, 28, 28, 1 + k)`).
        fixed_targets: (num_fixed, dy + k): fixed F inputs (target samples with noise).
        latent_prior: The `SourceWithNoise` of G's input.
    """

    def __init__(
        self,
        translator,
        translator_back,
        critic_y,
        critic_x,
        source,
        target,
        translator_noise=0,
        encoder_y=None,
        encoder_x=None,
        latent_critic_y=None,
        latent_critic_x=None,
        batch_size=256,
        cycle_weight=10.0,
        identity_weight=5.0,
        seed=0,
        num_fixed=5000,
        export_source=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        k = translator_noise
        if not is_integer(k) or k < 0:
            raise UserError(f"translator noise must be an integer >= 0, got {k!r}")
        augmented = (encoder_y, encoder_x, latent_critic_y, latent_critic_x)
        if k and any(n is None for n in augmented):
            raise UserError("translator noise k > 0 needs both encoders and both latent critics")
        if not k and any(n is not None for n in augmented):
            raise UserError("encoders and latent critics belong to translator noise k > 0, not k = 0")
        for name, weight in (("cycle weight", cycle_weight), ("identity weight", identity_weight)):
            if not weight >= 0:
                raise UserError(f"{name} must be >= 0, got {weight!r}")
        self.noise_dim = k
        self.source, self.target = source, target
        self.x_shape, self.y_shape = domain_shape(source.target), domain_shape(target.target)
        dx, dy = self.x_shape[-1], self.y_shape[-1]
        if identity_weight and self.x_shape != self.y_shape:
            raise UserError(f"the identity loss needs domains of one shape; source is {self.x_shape}, target {self.y_shape}")
        _check_shape(translator, dx + k, dy, "G")
        _check_shape(translator_back, dy + k, dx, "F")
        self.translator, self.translator_back = translator, translator_back
        self.critic_y, self.critic_x = critic_y, critic_x
        self.encoder_y, self.encoder_x = encoder_y, encoder_x
        self.latent_critic_y, self.latent_critic_x = latent_critic_y, latent_critic_x
        self.batch_size = int(batch_size)
        self.cycle_weight = float(cycle_weight)
        self.identity_weight = float(identity_weight)
        self.latent_prior = SourceWithNoise(source.target, k)
        self.export_source = export_source or source.target
        self.noise = training_state.random_stream(seed)
        self.global_step = training_state.step_counter()
        self.fixed_latents = training_state.fixed_latents(self.latent_prior, num_fixed, seed)
        self.fixed_targets = training_state.fixed_latents(SourceWithNoise(target.target, k), num_fixed, seed + 1)
        names = ["d_loss", "g_loss", "adversarial", "cycle_x", "cycle_y", "identity", "d_y_real", "d_y_fake"]
        if k:
            names += ["latent_cycle", "latent_adversarial"]
        self._trackers = {name: keras.metrics.Mean(name=name) for name in names}
        self.built = True

    @property
    def metrics(self):
        """The trackers, so Keras resets them at each epoch.

        `d_loss` (all discriminators' LSGAN losses), `g_loss` (the translators'
        and encoders' objective), `adversarial` (its LSGAN part), `cycle_x`,
        `cycle_y` (mean |F(G(x)) - x| and |G(F(y)) - y| per coordinate),
        `identity`, `d_y_real`, `d_y_fake` (mean D_Y outputs; LSGAN targets
        1 and 0), and with k > 0 `latent_cycle` (mean |E(x, G(x, z)) - z|,
        both ways) and `latent_adversarial`.
        """
        return list(self._trackers.values())

    @property
    def networks(self):
        """The networks by role (weights in TensorBoard, the divergence guard)."""
        networks = {"translator": self.translator, "translator_back": self.translator_back,
                    "critic_y": self.critic_y, "critic_x": self.critic_x}
        if self.noise_dim:
            networks.update(encoder_y=self.encoder_y, encoder_x=self.encoder_x,
                            latent_critic_y=self.latent_critic_y, latent_critic_x=self.latent_critic_x)
        return networks

    @property
    def sampling_generator(self):
        """G, the network the views and the export draw G(X) from (input `[x, z]`)."""
        return self.translator

    @property
    def latent_dim(self):
        """The width of G's input, dx + k (what a view's title calls the latent)."""
        return int(self.latent_prior.event_shape[-1])

    def _generator_side(self):
        return [n for role, n in self.networks.items() if role in ("translator", "translator_back", "encoder_y", "encoder_x")]

    def _critic_side(self):
        return [n for role, n in self.networks.items() if "critic" in role]

    @staticmethod
    def _weights(networks):
        return [w for n in networks for w in n.trainable_weights]

    def checkpoint_items(self):
        """What a checkpoint holds to continue exactly: every network, both optimizers, the step, the stream, the fixed draws."""
        return dict(
            **self.networks,
            d_optimizer=self.d_optimizer,
            g_optimizer=self.g_optimizer,
            global_step=self.global_step,
            noise=self.noise,
            fixed_latents=self.fixed_latents,
            fixed_targets=self.fixed_targets,
        )

    def compile(self, d_optimizer, g_optimizer, **kwargs):
        """Configures training: `g_optimizer` updates G, F (and the encoders), `d_optimizer` every critic."""
        super().compile(optimizer=None, **kwargs)
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer
        d_optimizer.build(self._weights(self._critic_side()))
        g_optimizer.build(self._weights(self._generator_side()))

    def call(self, inputs, training=False):
        """G on `[x, z]` (n, dx + k)."""
        return self.translator(inputs, training=training)

    # ------------------------------------------------------------ translation

    def translate(self, x, seed):
        """G(x, z) with z ~ N(0, I_k) drawn from the stateless `seed` (an int32 pair)."""
        z = noise(tf.shape(x)[0], self.noise_dim, seed)
        return self.translator(concat_noise(x, z), training=False)

    def translate_back(self, y, seed):
        """F(y, z) with z ~ N(0, I_k) drawn from the stateless `seed`."""
        z = noise(tf.shape(y)[0], self.noise_dim, seed)
        return self.translator_back(concat_noise(y, z), training=False)

    def round_trip(self, x, seed):
        """F(G(x, z), E_x(x, G(x, z))): the cycle as trained (k = 0: F(G(x)))."""
        return self.return_trip(x, self.translate(x, seed))

    def round_trip_back(self, y, seed):
        """G(F(y, z), E_y(F(y, z), y)) (k = 0: G(F(y)))."""
        x = self.translate_back(y, seed)
        return self.translator(concat_noise(x, self._encode_y(x, y, training=False)), training=False)

    def _encode_x(self, x, y, training):
        if not self.noise_dim:
            return tf.zeros([tf.shape(x)[0], 0])
        return self.encoder_x(tf.concat([x, y], axis=-1), training=training)

    def _encode_y(self, x, y, training):
        if not self.noise_dim:
            return tf.zeros([tf.shape(x)[0], 0])
        return self.encoder_y(tf.concat([x, y], axis=-1), training=training)

    def return_trip(self, x, y):
        """F(y, E_x(x, y)): the back half of the trained cycle from any y (k = 0: F(y))."""
        return self.translator_back(concat_noise(y, self._encode_x(x, y, training=False)), training=False)

    def export_endpoints(self, generator):
        """The export's endpoints (`training.export`): `sample`, `translate`, `translate_back` and the round trips.

        `sample(num_samples, seed)` returns `x` = G(source sample, z) (so the
        export is scored against the target like any generator's samples),
        `source` and `z`. `translate(x[, seed])` returns `{"y"}`,
        `translate_back(y[, seed])` `{"x"}`; `cycle(x[, seed])` returns G(x)
        as `y` and the trained round trip F(G(x), E_x(x, G(x))) as `x`;
        `cycle_back(y[, seed])` F(y) as `x` and G(F(y), E_y(F(y), y)) as `y`;
        `return_trip(x, y)` the back half from any y, F(y, E_x(x, y)), as
        `x`. The seed (an int64 scalar) is part of the signatures with k > 0 only.
        x and y are `(n, 2)` points or `(n, 28, 28, 1)` digits in [-1, 1],
        as the domains are; `generate` takes G's whole input in that shape.

        Args:
            generator: The G the export holds.

        Returns:
            `(endpoints, tracked)`: `{name: (function, input_signature)}` and
            the networks beyond G (F and, with k > 0, the encoders).
        """
        k = self.noise_dim
        prior = SourceWithNoise(self.export_source, k)
        x_spec = tf.TensorSpec([None, *self.x_shape], tf.float32, name="x")
        y_spec = tf.TensorSpec([None, *self.y_shape], tf.float32, name="y")
        seed_spec = tf.TensorSpec([], tf.int64, name="seed")

        def sample(num_samples, seed):
            inputs = prior.sample(num_samples, tf.bitcast(seed, tf.int32))
            source, z = split_noise(inputs, self.x_shape[-1])
            return {"x": generator(inputs, training=False), "source": source, "z": z}

        def generate(z):
            return {"x": generator(z, training=False)}

        # The exported functions' argument names are what callers pass: x, y, seed.
        def translate(x, seed=None):
            return {"y": self.translate(x, _stateless(seed))}

        def translate_back(y, seed=None):
            return {"x": self.translate_back(y, _stateless(seed))}

        def cycle(x, seed=None):
            seed = _stateless(seed)
            return {"y": self.translate(x, seed), "x": self.round_trip(x, seed)}

        def cycle_back(y, seed=None):
            seed = _stateless(seed)
            return {"x": self.translate_back(y, seed), "y": self.round_trip_back(y, seed)}

        def return_trip(x, y):
            return {"x": self.return_trip(x, y)}

        seeded = [seed_spec] if k else []
        endpoints = {
            "translate": (translate, [x_spec, *seeded]),
            "translate_back": (translate_back, [y_spec, *seeded]),
            "cycle": (cycle, [x_spec, *seeded]),
            "cycle_back": (cycle_back, [y_spec, *seeded]),
            "return_trip": (return_trip, [x_spec, y_spec]),
        }
        endpoints["sample"] = (sample, [tf.TensorSpec([], tf.int32, name="num_samples"), seed_spec])
        endpoints["generate"] = (generate, [tf.TensorSpec([None, *prior.event_shape], tf.float32, name="z")])
        tracked = [self.translator_back] + ([self.encoder_x, self.encoder_y] if k else [])
        return endpoints, tuple(tracked)

    # ---------------------------------------------------------------- training

    def train_step(self, data):
        """One update of every critic and of the translators (and encoders), from the same forward pass.

        Draws x ~ X, y ~ Y and the noise inside the step; the critics are
        updated on the translations with their gradient stopped.
        """
        n, k = self.batch_size, self.noise_dim
        seeds = tf.cast(self.noise.make_seeds(4), tf.int32)
        x = tf.cast(self.source.draw(data, 0, n, seeds[:, 0]), tf.float32)
        y = tf.cast(self.target.draw(data, 0, n, seeds[:, 1]), tf.float32)
        z_y, z_x = noise(n, k, seeds[:, 2]), noise(n, k, seeds[:, 3])
        with tf.GradientTape(persistent=True) as tape:
            fake_y = self.translator(concat_noise(x, z_y), training=True)
            fake_x = self.translator_back(concat_noise(y, z_x), training=True)
            # The cycle closes over (x, z): the encoders carry what G(x) does not say of x.
            enc_x = self._encode_x(x, fake_y, training=True)
            enc_y = self._encode_y(fake_x, y, training=True)
            cycle_x = mean_l1(self.translator_back(concat_noise(fake_y, enc_x), training=True), x)
            cycle_y = mean_l1(self.translator(concat_noise(fake_x, enc_y), training=True), y)
            d_y_fake, d_x_fake = self.critic_y(fake_y, training=True), self.critic_x(fake_x, training=True)
            adversarial = least_squares_g(d_y_fake) + least_squares_g(d_x_fake)
            d_y_real = self.critic_y(y, training=True)
            d_loss = least_squares_d(d_y_real, self.critic_y(tf.stop_gradient(fake_y), training=True)) + least_squares_d(
                self.critic_x(x, training=True), self.critic_x(tf.stop_gradient(fake_x), training=True)
            )
            cycle = cycle_x + cycle_y
            identity = tf.constant(0.0)
            if self.identity_weight:
                identity = mean_l1(self.translator(concat_noise(y, z_y), training=True), y) + mean_l1(
                    self.translator_back(concat_noise(x, z_x), training=True), x
                )
            if k:
                latent_cycle = mean_l1(self._encode_y(x, fake_y, training=True), z_y) + mean_l1(
                    self._encode_x(fake_x, y, training=True), z_x
                )
                latent_adversarial = least_squares_g(self.latent_critic_x(enc_x, training=True)) + least_squares_g(
                    self.latent_critic_y(enc_y, training=True)
                )
                d_loss += least_squares_d(
                    self.latent_critic_x(z_x, training=True), self.latent_critic_x(tf.stop_gradient(enc_x), training=True)
                ) + least_squares_d(
                    self.latent_critic_y(z_y, training=True), self.latent_critic_y(tf.stop_gradient(enc_y), training=True)
                )
                cycle += latent_cycle
                adversarial += latent_adversarial
            g_loss = adversarial + self.cycle_weight * cycle + self.identity_weight * identity
        g_weights = self._weights(self._generator_side())
        d_weights = self._weights(self._critic_side())
        self.g_optimizer.apply_gradients(zip(tape.gradient(g_loss, g_weights), g_weights))
        self.d_optimizer.apply_gradients(zip(tape.gradient(d_loss, d_weights), d_weights))
        del tape
        self.global_step.assign_add(1)
        values = dict(d_loss=d_loss, g_loss=g_loss, adversarial=adversarial, cycle_x=cycle_x, cycle_y=cycle_y,
                      identity=identity, d_y_real=tf.reduce_mean(d_y_real), d_y_fake=tf.reduce_mean(d_y_fake))
        if k:
            values.update(latent_cycle=latent_cycle, latent_adversarial=latent_adversarial)
        for name, value in values.items():
            self._trackers[name].update_state(value)
        return training_state.reducible_results({m.name: m.result() for m in self.metrics})


def _stateless(seed):
    """An exported int64 seed as the int32 pair the stateless ops take (None, with k = 0: zeros)."""
    return tf.zeros([2], tf.int32) if seed is None else tf.bitcast(seed, tf.int32)


def _check_shape(network, inputs, outputs, role):
    """Raises `UserError` unless `network` maps (n, inputs) to (n, outputs)."""
    have = (int(network.inputs[0].shape[-1]), int(network.outputs[0].shape[-1]))
    if have != (inputs, outputs):
        raise UserError(f"{role} must map {inputs} to {outputs} features, got {have[0]} to {have[1]}")
