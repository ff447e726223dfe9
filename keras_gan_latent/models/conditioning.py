"""A GAN's label path: the piece a `GAN` is composed with to be class-conditional (Mirza & Osindero, 2014).

Everything a conditional GAN does with labels is here, in `ClassLabels`: the
check that the networks take `[input, label]` and that the real samples come
with labels, where the real labels come from (`LabelledDatasetSource`), the
labels drawn for generated samples, how labels join the networks' inputs
and D's packs, the fixed labels of the fixed latents, and the export's
labelled endpoints. The unconditional GAN's path, `gan.NoLabels`, does the
same things with no labels: the GAN's step calls the path and holds no
branch on whether it is conditional.
"""

import tensorflow as tf

from keras_gan_latent.checks import is_integer
from keras_gan_latent.errors import UserError


def check_num_classes(num_classes, kind="classes"):
    """Returns `num_classes` as an int; raises `UserError` unless it is an integer >= 2 (`kind` names them in the message)."""
    if not is_integer(num_classes) or num_classes < 2:
        raise UserError(f"number of {kind} must be an integer of at least 2, got {num_classes!r}")
    return int(num_classes)


class LabelledDatasetSource:
    """Real samples and their class labels, from the batch `fit` feeds: a conditional GAN's source.

    The dataset must yield `(samples, labels)` per step (e.g.
    `mnist_dataset(..., y_uint8=y)`), each with `d_steps * batch_size // 2`
    rows, labels int32 class indices; the i-th discriminator step uses the
    i-th slice of both.
    """

    labelled = True

    def draw(self, data, index, num_samples, seed):
        """Returns the `index`-th slices `(samples, labels)` of `data = (samples, labels)`."""
        del seed
        if not isinstance(data, (tuple, list)) or len(data) != 2:
            raise ValueError(
                "a conditional GAN must be fed (samples, labels) per step, "
                f"e.g. mnist_dataset(..., y_uint8=labels); got {data!r}"
            )
        rows = slice(index * num_samples, (index + 1) * num_samples)
        return data[0][rows], tf.cast(data[1][rows], tf.int32)


class ClassLabels:
    """The label path of a class-conditional GAN with C classes.

    G maps `[z, labels]` and D maps `[x, labels]`, labels int32 class indices
    of shape (n,) in 0..C-1: D sees the real samples with their labels and
    the generated ones with the labels they were generated for, drawn
    uniformly over the classes.

    Args:
        num_classes: C >= 2.

    Raises:
        UserError: a `num_classes` that is not an integer >= 2.
    """

    conditional = True
    kind = "classes"  # what the classes are, in messages

    def __init__(self, num_classes):
        self.num_classes = check_num_classes(num_classes, self.kind)

    def default_source(self):
        """The real-sample source when none is given: the labelled data `fit` is fed."""
        return LabelledDatasetSource()

    def check(self, generator, discriminator, real_source):
        """Raises `UserError` unless both networks take two inputs and the source is labelled."""
        if not getattr(real_source, "labelled", False):
            raise UserError("a conditional GAN needs a labelled real-sample source (LabelledDatasetSource)")
        for role, network, inputs in (("generator", generator, "[z, labels]"), ("discriminator", discriminator, "[x, labels]")):
            if len(network.inputs) != 2:
                raise UserError(f"a conditional GAN's {role} must take {inputs}; it has {len(network.inputs)} input(s)")

    def check_code(self, num_codes):
        """Raises `UserError`: a conditional GAN takes no latent code of `num_codes` >= 2 values."""
        del num_codes
        raise UserError("a latent code applies to unconditional GANs only (a conditional GAN's class is its discrete input)")

    def fixed_labels(self, num_fixed_latents):
        """The labels the fixed latents are rendered with: a non-trainable int32 variable, `i % C` for the i-th.

        Any C consecutive ones (e.g. the first row of a grid) hold every class once.
        """
        return tf.Variable(
            tf.range(num_fixed_latents, dtype=tf.int32) % self.num_classes, trainable=False, name="fixed_labels"
        )

    def split(self, drawn):
        """A draw of the real source as `(samples, labels)`: the labelled source's pair as it is."""
        samples, labels = drawn
        return samples, labels

    def sample(self, num_samples, seed):
        """Class labels uniform over 0..C-1 from a stateless seed (int32, (n,))."""
        return tf.random.stateless_uniform([num_samples], seed, minval=0, maxval=self.num_classes, dtype=tf.int32)

    def draw(self, num_samples, latent_seed):
        """The labels of `num_samples` generated samples whose latents were drawn with `latent_seed`.

        Uniform over the classes, from a seed folded from `latent_seed`, so a
        conditional GAN takes nothing more from the model's random generator
        than an unconditional one.
        """
        return self.sample(num_samples, tf.random.experimental.stateless_fold_in(latent_seed, 1))

    def inputs(self, x, labels):
        """A network's input: `[x, labels]`."""
        return [x, labels]

    def join(self, first, second):
        """The labels of two batches concatenated (as their samples are)."""
        return tf.concat([first, second], axis=0)

    def head(self, labels, rows):
        """The labels of the first `rows` samples."""
        return labels[:rows]

    def pack(self, labels, pack):
        """The labels of packs of `pack` samples: (n / pack, pack)."""
        return tf.reshape(labels, [-1, pack])

    def checkpoint_items(self, fixed_labels):
        """What a checkpoint keeps of the path: the fixed labels."""
        return {"fixed_labels": fixed_labels}

    def export_endpoints(self, generator, prior, latent_dim):
        """The export's labelled endpoints (`GAN.export_endpoints`).

        Args:
            generator: The generator the export holds, `[z, label]` -> x.
            prior: The latent prior.
            latent_dim: k.

        Returns:
            `{name: (function, input_signature)}`: `sample(num_samples, seed)`
            with uniform labels, `sample_label(num_samples, seed, label)` and
            `generate(z, label)`, each returning `z`/`label`/`x` (`generate`: `x`).
        """

        def sample(num_samples, seed):
            pair = tf.bitcast(seed, tf.int32)
            z = prior.sample(num_samples, seed=pair)
            labels = self.sample(num_samples, tf.random.experimental.stateless_fold_in(pair, 1))
            return {"z": z, "label": labels, "x": generator([z, labels], training=False)}

        def sample_label(num_samples, seed, label):
            z = prior.sample(num_samples, seed=tf.bitcast(seed, tf.int32))
            labels = tf.fill([num_samples], label)
            return {"z": z, "label": labels, "x": generator([z, labels], training=False)}

        def generate(z, label):
            return {"x": generator([z, label], training=False)}

        count = tf.TensorSpec([], tf.int32, name="num_samples")
        seed = tf.TensorSpec([], tf.int64, name="seed")
        return {
            "sample": (sample, [count, seed]),
            "sample_label": (sample_label, [count, seed, tf.TensorSpec([], tf.int32, name="label")]),
            "generate": (generate, [
                tf.TensorSpec([None, latent_dim], tf.float32, name="z"),
                tf.TensorSpec([None], tf.int32, name="label"),
            ]),
        }
