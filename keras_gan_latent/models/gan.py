"""The GAN model: one Keras model class for every generator/discriminator pair.

`GAN` owns the two networks, the latent prior, a source of real samples and
its own random number generator, and overrides `train_step` with Algorithm 1
of Goodfellow et al. (2014): k discriminator steps, then one generator step.
Real samples and latents are both drawn inside the compiled step, so with
`steps_per_execution` a whole block of steps runs without returning to
Python. Only the networks and the real-sample source differ between the toy
MLP GAN and the DCGAN on MNIST.

The adversarial loss is an object from the registry of `losses`, chosen by
name. Labels travel through a label path the GAN is composed with: `NoLabels`
(the default, an unconditional GAN) or `conditioning.ClassLabels` (a
class-conditional GAN, Mirza & Osindero 2014: a real draw is images and their
labels, the generated half-batch gets labels drawn uniformly over the
classes, and both networks take `[x, label]` inputs). The losses, the seeds
and the order of the updates are the same for both.

Two levers against mode dropping change what D sees and what G is fed.
Packing (`pack=m`, PacGAN, Lin et al. 2018): D judges packs of m samples
concatenated along the feature axis (`pack_samples`), real packs of m real
samples and fake packs of m generated ones. A latent with a discrete
part (`num_codes=K`, InfoGAN, Chen et al. 2016): the prior is
`data.priors.coded_prior`, z = (one-hot code, continuous part), and with
`info_weight > 0` a head Q on D's body predicts the code of generated
samples, its cross-entropy added to both players' losses. The code is a part
the GAN is composed with, as its labels are (`latent_code`: `NoCode`,
`DiscreteCode` or `InfoCode`), whose hooks the step calls. At `pack=1`,
`num_codes=0` the step is the plain one, op for op.
"""

import keras
import numpy as np
import tensorflow as tf

from keras_gan_latent.checks import check_number, is_integer
from keras_gan_latent.errors import UserError
from keras_gan_latent.models import training_state
from keras_gan_latent.models.latent_code import make_code
from keras_gan_latent.models.losses import get_loss, smoothing_loss_error


def pack_samples(x, pack):
    """Packs of `pack` consecutive samples, concatenated along the feature axis (PacGAN).

    Rows `j * pack .. j * pack + pack - 1` of `x` become row j: vectors
    `(n, d)` become `(n / pack, pack * d)`; images `(n, h, w, c)` become
    `(n / pack, h, w, pack * c)`, sample i of the pack in channels
    `i * c .. i * c + c - 1`. `n` must divide by `pack`.

    Args:
        x: A tensor of `n` samples.
        pack: m >= 1 (1: `x` unchanged).

    Returns:
        The packed tensor.
    """
    if pack == 1:
        return x
    if x.shape.rank == 2:
        return tf.reshape(x, [-1, pack * x.shape[-1]])
    inner = x.shape[1:]
    grouped = tf.reshape(x, [-1, pack, *inner])  # (packs, m, h, w, c)
    last = len(inner) + 1  # the channel axis of `grouped`
    moved = tf.transpose(grouped, [0, *range(2, last), 1, last])  # (packs, h, w, m, c)
    return tf.reshape(moved, [-1, *inner[:-1], pack * inner[-1]])


class TargetSource:
    """Real samples drawn from a tfp target inside the compiled step.

    Args:
        target: A `keras_gan_latent.data.targets.Target`.
    """

    labelled = False  # draws samples only; see LabelledDatasetSource

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

    labelled = False

    def draw(self, data, index, num_samples, seed):
        """Returns the `index`-th slice of `num_samples` samples of `data`."""
        del seed
        return data[index * num_samples : (index + 1) * num_samples]


class NoLabels:
    """The label path of an unconditional GAN: no labels anywhere.

    A `GAN` calls its label path wherever a conditional GAN's labels would
    travel (`conditioning.ClassLabels` is the other path, and documents each
    method); this one passes samples through and gives None for labels, so
    the unconditional step's computation is the one without labels.
    """

    conditional = False
    num_classes = None

    def default_source(self):
        """The real-sample source when none is given: the data `fit` is fed."""
        return DatasetSource()

    def check(self, generator, discriminator, real_source):
        """Raises `UserError` for a labelled real-sample source."""
        del generator, discriminator
        if getattr(real_source, "labelled", False):
            raise UserError("a labelled real-sample source needs a conditional GAN (conditioning=ClassLabels(C))")

    def check_code(self, num_codes):
        """Nothing to refuse: an unconditional GAN may have a latent code."""
        del num_codes

    def fixed_labels(self, num_fixed_latents):
        """None: the fixed latents have no labels."""
        del num_fixed_latents
        return None

    def split(self, drawn):
        """A draw of the real source as `(samples, None)`."""
        return drawn, None

    def draw(self, num_samples, latent_seed):
        """None: generated samples have no labels."""
        del num_samples, latent_seed
        return None

    def inputs(self, x, labels):
        """A network's input: `x`."""
        del labels
        return x

    def join(self, first, second):
        """None."""
        del first, second
        return None

    def head(self, labels, rows):
        """None."""
        del labels, rows
        return None

    def pack(self, labels, pack):
        """None."""
        del labels, pack
        return None

    def checkpoint_items(self, fixed_labels):
        """Nothing to keep."""
        del fixed_labels
        return {}

    def export_endpoints(self, generator, prior, latent_dim):
        """No endpoints beyond the plain generator's."""
        del generator, prior, latent_dim
        return {}


def steps_only_dataset():
    """What `fit` is fed when the GAN draws its real samples itself (`TargetSource`): one zero per step."""
    return tf.data.Dataset.from_tensors(tf.zeros([1])).repeat()


class GAN(keras.Model):
    """A GAN trained by a custom `train_step`.

    Unconditional (the default label path, `NoLabels`), G maps latents z to
    samples and D samples to logits. Conditional
    (`conditioning=conditioning.ClassLabels(C)`), G maps `[z, labels]` and D
    maps `[x, labels]`, labels int32 class indices of shape (n,) in 0..C-1:
    D sees the real samples with their labels and the generated ones with
    the labels they were generated for, and G's update draws its labels like
    D's fake half. Nothing else changes (see `train_step`).

    Args:
        generator: Built Keras model z -> x; if conditional, `[z, labels]`
            -> x with z its first input.
        discriminator: Built Keras model x -> logit, shape (n, 1); if
            conditional, `[x, labels]` -> logit.
        latent_prior: tfp distribution with event shape `[latent_dim]`.
        real_source: Where real samples come from: None (the default), the
            data `fit` is fed (the label path's `default_source`:
            `DatasetSource`; if conditional, its `(samples, labels)`,
            `conditioning.LabelledDatasetSource`); or a
            `TargetSource`, drawn inside the compiled step (the fast path:
            `fit` needs no data).
        batch_size: Even global batch size: D sees half real and half fake
            samples per step, G sees `batch_size` latents. Under a strategy
            with r replicas each replica takes `batch_size / r`.
        d_steps: Discriminator steps per generator step (k in Algorithm 1).
        loss: The name of a registered loss (`losses.LOSS_NAMES`, or one
            added with `losses.register`): the object that gives D's and
            G's losses, held as `adversarial_loss`.
        seed: Seeds the model's own random generator (latents, real samples)
            and the fixed evaluation latents.
        num_fixed_latents: Size of the fixed latent batch, drawn once per run,
            that every image summary and animation frame is rendered from.
        separate_d_batches: Show D the real and the generated half-batch in
            two calls. Default: only if D has a BatchNormalization layer.
        conditioning: The label path: None (`NoLabels`, an unconditional
            GAN) or `conditioning.ClassLabels(C)` for a conditional one.
        r1: gamma of the R1 gradient penalty (Mescheder et al. 2018), >= 0:
            D's loss gains gamma/2 * E ||grad_x D(x)||^2 on the real
            half-batch (of a conditional GAN: the gradient with respect to
            the image, not the label); 0: off, the step is the one without it.
        ema: Momentum m in [0, 1) of the generator's weight average
            (Yazici et al. 2019); 0: off. On, the GAN keeps a second network
            of G's architecture, `generator_average`, starting from G's
            initial weights; after every generator update, inside the
            compiled step, each of its weights becomes m * average +
            (1 - m) * G's weight for G's trainable weights, and a copy of G's
            for the others (BatchNorm's moving statistics are copied, not
            averaged: they describe the live G's activations). Samples come
            from it (`sampling_generator`): `call`, the views' pictures and
            mode reports, and the export. Under a distribution strategy it is
            updated in cross-replica context (`strategy.extended.update`, as
            Keras's optimizers update their variables), each replica's copy
            from that replica's G.
        pack: m >= 1, PacGAN's packing (Lin et al. 2018): D sees packs of
            m samples concatenated along the feature axis (`pack_samples`),
            so its input is m times wider (images: m channels; a
            conditional D takes labels of shape (n, m)). `batch_size` still
            counts samples and must divide by 2m: each D update sees
            batch/2/m real and batch/2/m generated packs, G's update batch/m
            packs. The logged D(x), D(G(z)) and accuracy are per pack. With
            `r1`, the penalty is the mean over real samples of the squared
            gradient of their pack's logit. 1: no packing, the plain step.
        num_codes: K, a latent with a discrete part (InfoGAN, Chen et al.
            2016): `latent_prior` must be `data.priors.coded_prior(.., K)`,
            so z's first K numbers are a one-hot code; 0: no code.
            Unconditional GANs only.
        info_weight: lambda >= 0 of InfoGAN's mutual-information term, with
            `num_codes`: a head Q (`latent_code.head`, Dense(m * K) on the
            input of D's last layer, D's penultimate features) predicts the
            codes of the generated samples of each pack; lambda times the
            cross-entropy of Q's prediction is added to D's loss (training
            D's body and Q) and to G's. 0: no Q, the code is plain
            concatenation. The GAN holds both as its `latent_code` part
            (`latent_code.make_code(num_codes, info_weight)`).
        latent_code: The latent's discrete part as an object instead of
            `num_codes` and `info_weight` (`latent_code.NoCode`,
            `DiscreteCode(K)`, `InfoCode(K, lambda)`, or another with their
            hooks); None: `make_code(num_codes, info_weight)`.

    Attributes:
        adversarial_loss: The loss object (`losses.get_loss(loss)`; not
            `loss`, which Keras's `compile` sets).
        conditioning: The label path (`NoLabels` or `conditioning.ClassLabels`).
        fixed_latents: Non-trainable variable, the fixed latent batch.
        fixed_labels: Conditional only (None otherwise): non-trainable int32
            variable of the labels the fixed latents are rendered with,
            `i % C` for the i-th, so any C consecutive ones (e.g. the first
            row of a grid) hold every class once. Checkpoints keep both.
        generator_average: With `ema > 0`, the averaged generator, a
            functional model named `<generator name>_average` (checkpoints
            keep it); None otherwise.
        latent_code: The latent's discrete part (`latent_code.NoCode`,
            `DiscreteCode` or `InfoCode`). With `info_weight > 0` its
            `head` is Q's Dense layer and its `critic` a functional model
            sharing D's layers, x -> (D's logit, Q's code logits (n, m * K)).

    Raises:
        UserError: an unknown loss, networks and source that do not match
            the label path (a conditional GAN needs two-input networks and a
            labelled source; an unconditional one an unlabelled source), an `r1`, `ema`
            or `label_smoothing` out of range, label smoothing with the
            hinge loss, a `pack` that is not an integer >= 1 dividing
            `batch_size / 2`, or a code (`num_codes` not 0 or >= 2, a code
            with a conditional GAN, an `info_weight` without a code, both
            `latent_code` and `num_codes` or `info_weight`).
    """

    def __init__(
        self,
        generator,
        discriminator,
        latent_prior,
        real_source=None,
        batch_size=512,
        d_steps=1,
        loss="non_saturating",
        seed=0,
        num_fixed_latents=5000,
        separate_d_batches=None,
        conditioning=None,
        r1=0.0,
        ema=0.0,
        label_smoothing=0.0,
        pack=1,
        num_codes=0,
        info_weight=0.0,
        latent_code=None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.adversarial_loss = get_loss(loss)
        self.conditioning = NoLabels() if conditioning is None else conditioning
        if real_source is None:  # real samples from the data fit is fed
            real_source = self.conditioning.default_source()
        self.conditioning.check(generator, discriminator, real_source)
        self.generator = generator
        self.discriminator = discriminator
        self.latent_prior = latent_prior
        self.real_source = real_source
        self.batch_size = int(batch_size)
        self.d_steps = int(d_steps)
        self.loss_name = loss  # the registered name of `adversarial_loss`
        self.r1 = check_number(r1, "r1")
        self.ema = check_number(ema, "ema", below=1)
        self.label_smoothing = _check_label_smoothing(label_smoothing, loss)
        if separate_d_batches is None:
            separate_d_batches = any(
                isinstance(layer, keras.layers.BatchNormalization) for layer in discriminator._flatten_layers()
            )
        self.separate_d_batches = bool(separate_d_batches)
        self.latent_dim = int(generator.inputs[0].shape[-1])
        self.pack = _check_pack(pack, self.batch_size)
        if latent_code is None:
            latent_code = make_code(num_codes, info_weight)
        elif num_codes or info_weight:
            raise UserError("give a GAN its latent code once: latent_code=..., or num_codes and info_weight")
        self.latent_code = latent_code
        self.latent_code.check(self.latent_dim, self.conditioning)
        self.noise = training_state.random_stream(seed)
        self.global_step = training_state.step_counter()
        self.fixed_latents = training_state.fixed_latents(latent_prior, num_fixed_latents, seed)
        # Cloned after the networks, the model's random stream and the fixed
        # latents, so switching it on changes none of them.
        self.generator_average = _average_copy(generator) if self.ema else None
        # Q is built last, so a run with it draws everything else as one without.
        self.latent_code.build(discriminator, self.pack)
        self.fixed_labels = self.conditioning.fixed_labels(num_fixed_latents)
        self.d_loss_tracker = keras.metrics.Mean(name="d_loss")
        self.g_loss_tracker = keras.metrics.Mean(name="g_loss")
        self.d_real_tracker = keras.metrics.Mean(name="d_real")
        self.d_fake_tracker = keras.metrics.Mean(name="d_fake")
        self.d_accuracy_tracker = keras.metrics.Mean(name="d_accuracy")
        # Only with the penalty on: off, the trackers (and results) are the plain GAN's.
        self.r1_tracker = keras.metrics.Mean(name="r1") if self.r1 else None
        # Both networks are built (functional models with Inputs); marking
        # the wrapper built lets checkpoints and BackupAndRestore see it.
        self.built = True

    @property
    def conditional(self):
        """Whether the networks take class labels (the label path's)."""
        return self.conditioning.conditional

    @property
    def num_classes(self):
        """The number of classes C of a conditional GAN; None for an unconditional one."""
        return self.conditioning.num_classes

    @property
    def num_codes(self):
        """K, the number of values of the latent's discrete part (the latent code's); 0 without a code."""
        return self.latent_code.num_codes

    @property
    def info_weight(self):
        """InfoGAN's lambda (the latent code's); 0 without Q."""
        return self.latent_code.info_weight

    @property
    def networks(self):
        """The networks by role: `{"generator": G, "discriminator": D}`, and `"generator_average"` with `ema > 0`."""
        networks = {"generator": self.generator, "discriminator": self.discriminator}
        if self.generator_average is not None:
            networks["generator_average"] = self.generator_average
        return networks

    @property
    def sampling_generator(self):
        """The network samples are drawn from: `generator_average` with `ema > 0`, else the trained generator."""
        return self.generator if self.generator_average is None else self.generator_average

    def checkpoint_items(self):
        """What a checkpoint holds to continue training exactly: `{name: trackable}` of a compiled GAN.

        Both networks and optimizers, the step, the random generator, the
        fixed latents (and a conditional GAN's fixed labels, with `ema > 0`
        the averaged generator, and with an info weight Q's layer).
        """
        items = dict(
            generator=self.generator,
            discriminator=self.discriminator,
            d_optimizer=self.d_optimizer,
            g_optimizer=self.g_optimizer,
            global_step=self.global_step,
            noise=self.noise,
            fixed_latents=self.fixed_latents,
        )
        items.update(self.conditioning.checkpoint_items(self.fixed_labels))
        if self.generator_average is not None:
            items["generator_average"] = self.generator_average
        items.update(self.latent_code.checkpoint_items())
        return items

    def export_endpoints(self, generator):
        """The export's endpoints that differ from the unconditional generator's (`training.export`).

        Args:
            generator: The generator the export holds (this one, or a copy
                built outside a distribution strategy).

        Returns:
            `(endpoints, tracked)`: `{name: (function, input_signature)}`,
            the label path's and the latent code's: nothing for an
            unconditional GAN without a code; for a conditional one
            `sample(num_samples, seed)` with uniform labels,
            `sample_label(num_samples, seed, label)` and `generate(z, label)`,
            each returning `z`/`label`/`x`; for a GAN with a latent code
            `sample(num_samples, seed)` (codes uniform) and
            `sample_code(num_samples, seed, code)`, each returning
            `z`/`code`/`x` (a code outside 0..K-1 fails with an
            InvalidArgumentError); and the networks they use beyond
            `generator` (none).
        """
        endpoints = self.conditioning.export_endpoints(generator, self.latent_prior, self.latent_dim)
        endpoints.update(self.latent_code.export_endpoints(generator, self.latent_prior))
        return endpoints, ()

    @property
    def metrics(self):
        """The trackers, so Keras resets them at each epoch.

        `d_loss`, `g_loss` (the adversarial losses, without any penalty),
        `d_real`, `d_fake` (mean sigmoid of D's outputs, whatever the loss),
        `d_accuracy`, and with `r1 > 0` also `r1`: E ||grad_x D(x)||^2 on the
        real half-batch of the step's last D update (D's loss adds
        `r1 / 2` times it), and with an info head `info_loss`: the
        cross-entropy of Q's code prediction on G's update's batch (log K
        when Q guesses; G's and D's losses add `info_weight` times it).
        """
        trackers = [
            self.d_loss_tracker,
            self.g_loss_tracker,
            self.d_real_tracker,
            self.d_fake_tracker,
            self.d_accuracy_tracker,
        ]
        return trackers + [t for t in (self.r1_tracker,) if t is not None] + list(self.latent_code.metrics)

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
        d_optimizer.build(self._critic_network().trainable_variables)
        g_optimizer.build(self.generator.trainable_variables)

    @property
    def real_per_step(self):
        """Real samples a training step takes: `d_steps` half-batches, `d_steps * batch_size // 2`."""
        return self.d_steps * (self.batch_size // 2)

    def fit(self, x=None, y=None, batch_size=None, epochs=1, **kwargs):
        """Trains the GAN, as `keras.Model.fit`: on a dataset of real samples, or from its `TargetSource`.

        With the default real-sample source, the real samples are the data:
        `gan.fit(dataset, epochs=5)` with a `tf.data.Dataset` whose batches
        hold `real_per_step` samples (`dataset.batch(gan.real_per_step)`; a
        shorter last batch is a step with fewer real samples), or arrays
        `gan.fit(x, epochs=5)`, batched so by default (a packing GAN uses
        the whole packs of a short last batch). A conditional GAN
        takes `(samples, labels)` batches, or `gan.fit(x, labels)`. A GAN
        with a `TargetSource` draws its real samples inside the compiled
        step: `gan.fit(epochs=1, steps_per_epoch=1000)`, no data (data given
        only counts the steps).

        Args:
            x: A `tf.data.Dataset`, arrays of real samples, or None (a `TargetSource` GAN).
            y: A conditional GAN's labels, when `x` is an array.
            batch_size: Real samples per step from arrays (default `real_per_step`).
            epochs: Passes over the data.
            **kwargs: Passed to `keras.Model.fit`: `steps_per_epoch`
                (needed without data), `callbacks`, ... `shuffle` defaults
                to False for a `tf.data.Dataset` (it shuffles itself, and
                Keras warns otherwise).

        Returns:
            The `keras.callbacks.History`.

        Raises:
            UserError: no data for a GAN whose real samples are the data;
                no `steps_per_epoch` for a `TargetSource` GAN without data.
        """
        if x is None:
            if not isinstance(self.real_source, TargetSource):
                raise UserError(
                    "this GAN's real samples are the data fit is fed: gan.fit(dataset, epochs=...), or give "
                    "GAN(..., real_source=TargetSource(target)) to draw them from a target"
                )
            if kwargs.get("steps_per_epoch") is None:
                raise UserError(
                    "a GAN that draws its real samples from its TargetSource is fed no data: give "
                    "steps_per_epoch, e.g. gan.fit(epochs=1, steps_per_epoch=1000)"
                )
            x = steps_only_dataset()
        if isinstance(x, tf.data.Dataset):
            kwargs.setdefault("shuffle", False)
        elif batch_size is None and isinstance(x, (np.ndarray, tf.Tensor)):
            batch_size = self.real_per_step
        return super().fit(x, y, batch_size, epochs, **kwargs)

    def call(self, z, training=False):
        """Generates samples: `sampling_generator` (the trained generator, or its average) applied to its input.

        Args:
            z: Latents (n, latent_dim); for a conditional GAN `[z, labels]`,
                labels int32 (n,) in 0..num_classes-1 (unchecked: see
                `cgan.check_labels`).
            training: Passed to the generator.

        Returns:
            The generated samples.
        """
        return self.sampling_generator(z, training=training)

    def _generate(self, z, labels, training):
        """G on latents `z` and, for a conditional GAN, `labels` (None otherwise)."""
        return self.generator(self.conditioning.inputs(z, labels), training=training)

    def _critic_network(self):
        """The network D's update trains: D, or with Q the model returning D's and Q's logits (the latent code's)."""
        return self.latent_code.critic_network(self.discriminator)

    def _critic(self, x, labels, training, with_q=False):
        """D's logits on samples `x` (packed by `pack`) and, for a conditional GAN, their `labels`.

        With `with_q`, returns `(logits, q_logits)`: Q's code logits one row
        per sample `(n, num_codes)`, None without Q (the latent code's `split`).
        """
        if self.pack > 1:
            x = pack_samples(x, self.pack)
            labels = self.conditioning.pack(labels, self.pack)
        network = self._critic_network() if with_q else self.discriminator
        outputs = network(self.conditioning.inputs(x, labels), training=training)
        return self.latent_code.split(outputs) if with_q else outputs

    def _draw_real(self, data, index, num_samples, seed):
        """The real half-batch: `(samples, labels)`, labels None for an unconditional GAN.

        A packing GAN fed data keeps the whole packs of a short last batch
        (the rest would make a pack straddle the real and generated halves).
        """
        real, labels = self.conditioning.split(self.real_source.draw(data, index, num_samples, seed))
        if self.pack > 1 and not isinstance(self.real_source, TargetSource):
            whole = tf.shape(real)[0] // self.pack * self.pack
            real, labels = real[:whole], self.conditioning.head(labels, whole)
        return real, labels

    def _generator_input(self, num_samples, seed):
        """G's input for `num_samples` samples: `(z, labels)`, labels None if unconditional.

        z is `sample_latents(num_samples, seed)` whatever the label path; the
        labels are the path's `draw` for that seed (a conditional GAN's are
        uniform over the classes, from a seed folded from `seed`, so it takes
        nothing more from the model's random generator).
        """
        return self.sample_latents(num_samples, seed), self.conditioning.draw(num_samples, seed)

    def _discriminate(self, real, fake, real_labels=None, fake_labels=None):
        """D's logits on the real and the generated half-batch (with their labels if conditional), and Q's.

        Returns `(real_logits, fake_logits, fake_q)`, `fake_q` Q's code
        logits of the generated samples (None without Q).

        One call on the concatenated batch is one set of larger matrix
        products instead of two (about 1.5x faster for the toy networks) and
        is the same computation for a discriminator without batch
        statistics. A discriminator with BatchNorm must see real and fake
        batches separately (`separate_d_batches=True`), or its statistics
        mix the two and leak which half is which.
        """
        if self.separate_d_batches:  # the latent code orders the two calls
            return self.latent_code.judge_apart(
                lambda: self._critic(real, real_labels, training=True),
                lambda: self._critic(fake, fake_labels, training=True, with_q=True),
            )
        labels = self.conditioning.join(real_labels, fake_labels)
        logits, q_logits = self._critic(tf.concat([real, fake], axis=0), labels, training=True, with_q=True)
        half = tf.shape(real)[0]
        if self.pack > 1:
            half //= self.pack  # packs never straddle the halves: each divides by pack
        return logits[:half], logits[half:], self.latent_code.generated_rows(q_logits, real)

    def _discriminate_with_r1(self, real, fake, real_labels=None, fake_labels=None):
        """`_discriminate`'s logits and the R1 penalty E ||grad_x D(x)||^2 over the real samples.

        The gradient is taken of the same forward pass, so a GradientTape
        around this call differentiates the penalty too (double backprop).
        """
        with tf.GradientTape(watch_accessed_variables=False) as input_tape:
            input_tape.watch(real)
            outputs = self._discriminate(real, fake, real_labels, fake_labels)
            # Each sample's logit depends only on that sample (no batch
            # statistics in D), so the gradient of the sum is every sample's
            # own (packed: its pack's logit's).
            total = tf.reduce_sum(outputs[0])
        gradients = tf.cast(input_tape.gradient(total, real), tf.float32)
        squared_norms = tf.reduce_sum(tf.reshape(tf.square(gradients), [tf.shape(gradients)[0], -1]), axis=1)
        return (*outputs, tf.reduce_mean(squared_norms))

    def _update_average(self):
        """One step of `generator_average`: the moving average of G's trainable weights, a copy of the rest.

        Runs in cross-replica context (a merge call in a replica's step),
        where `strategy.extended.update` applies it to every replica's copy.
        """
        pairs = [
            (average.value, weight.value, weight.trainable)
            for average, weight in zip(self.generator_average.weights, self.generator.weights)
        ]

        def update(strategy, pairs):
            for average, weight, trainable in pairs:
                strategy.extended.update(
                    average, _moving_average if trainable else _copy, args=(weight, self.ema), group=False
                )

        context = tf.distribute.get_replica_context()
        if context is None:  # already in cross-replica context
            update(tf.distribute.get_strategy(), pairs)
        else:
            context.merge_call(update, args=(pairs,))

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

        A conditional GAN runs the same step through the label path's hooks:
        `_draw_real` also returns the real samples' labels, `_generator_input`
        also draws labels for the generated samples (uniform over the classes,
        from the same seed as their latents), and `_generate`/`_critic` pass
        the labels to G and D. The unconditional GAN's computation is the one
        without the hooks: the same seeds in the same order, the same ops.
        """
        replicas = tf.distribute.get_strategy().num_replicas_in_sync
        batch_size = self.batch_size // replicas
        half = batch_size // 2
        # tfp takes stateless seeds as int32 pairs; the cast keeps the low bits.
        # Created in a strategy's scope, the generator gives each replica its
        # own stream.
        seeds = tf.cast(self.noise.make_seeds(2 * self.d_steps + 1), tf.int32)
        for i in range(self.d_steps):
            real, real_labels = self._draw_real(data, i, half, seeds[:, 2 * i])
            z, fake_labels = self._generator_input(half, seeds[:, 2 * i + 1])
            # No gradient flows into G during D's update.
            fake = tf.stop_gradient(self._generate(z, fake_labels, training=True))
            with tf.GradientTape() as tape:
                if self.r1:
                    real_logits, fake_logits, fake_q, r1_penalty = self._discriminate_with_r1(
                        real, fake, real_labels, fake_labels
                    )
                else:
                    real_logits, fake_logits, fake_q = self._discriminate(real, fake, real_labels, fake_labels)
                d_loss = self.adversarial_loss.discriminator(real_logits, fake_logits, self.label_smoothing)
                d_objective = d_loss + 0.5 * self.r1 * r1_penalty if self.r1 else d_loss
                d_objective = self.latent_code.objective(d_objective, self.latent_code.loss(fake_q, z))
                scaled = self._scaled_loss(d_objective, self.d_optimizer, replicas)
            d_weights = self._critic_network().trainable_weights
            grads = tape.gradient(scaled, d_weights)
            self.d_optimizer.apply_gradients(zip(grads, d_weights))

        z, labels = self._generator_input(batch_size, seeds[:, -1])
        with tf.GradientTape() as tape:
            generated = self._generate(z, labels, training=True)
            g_logits, g_q = self._critic(generated, labels, training=True, with_q=True)
            g_loss = self.adversarial_loss.generator(g_logits)
            info_loss = self.latent_code.loss(g_q, z)  # None without Q
            g_objective = self.latent_code.objective(g_loss, info_loss)
            scaled = self._scaled_loss(g_objective, self.g_optimizer, replicas)
        g_weights = self.generator.trainable_weights
        grads = tape.gradient(scaled, g_weights)
        self.g_optimizer.apply_gradients(zip(grads, g_weights))
        if self.generator_average is not None:
            self._update_average()
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
        if self.r1:
            self.r1_tracker.update_state(r1_penalty)
        self.latent_code.track(info_loss)
        return training_state.reducible_results({m.name: m.result() for m in self.metrics})


def _check_pack(pack, batch_size):
    """Returns `pack` as an int; raises `UserError` unless it is an integer >= 1 and 2 x pack divides the batch.

    Packing under a distribution strategy (the GAN is built in its scope):
    each replica's share of the batch must divide by 2 x pack.
    """
    if not is_integer(pack) or pack < 1:
        raise UserError(f"pack must be an integer >= 1 (1: no packing), got {pack!r}")
    replicas = tf.distribute.get_strategy().num_replicas_in_sync if pack > 1 else 1
    if batch_size % (2 * pack * replicas):
        per = f" on each of {replicas} replicas" if replicas > 1 else ""
        raise UserError(
            f"batch size must divide by 2 x pack = {2 * pack}{per} (D sees batch/2/m real and as many generated "
            f"packs of m samples), got {batch_size}"
        )
    return int(pack)


def _average_copy(generator):
    """A second network of `generator`'s architecture holding its current weights, named `<name>_average`."""
    copy = keras.models.clone_model(generator)
    for average, weight in zip(copy.weights, generator.weights):
        average.assign(weight)
    average = keras.Model(copy.input, copy.output, name=f"{generator.name}_average")
    average.trainable = False  # no optimizer updates it: `GAN._update_average` does
    return average


def _moving_average(average, weight, momentum):
    """average <- momentum * average + (1 - momentum) * weight."""
    return average.assign(momentum * average + (1.0 - momentum) * weight)


def _copy(average, weight, momentum):
    """average <- weight (`momentum` unused)."""
    del momentum
    return average.assign(weight)


def _check_label_smoothing(label_smoothing, loss):
    """Returns the smoothing as a float; raises `UserError` unless it is in [0, 1) and the loss is a cross-entropy."""
    value = check_number(label_smoothing, "label smoothing", below=1)
    error = smoothing_loss_error(value, loss)
    if error:
        raise UserError(error)
    return value
