"""Class-conditional DCGAN networks for MNIST (Mirza & Osindero, 2014).

Both networks take the digit's class as a second input and otherwise are
the DCGAN networks of `dcgan` (any of `ARCH_NAMES`), whose layers they
reuse through `dcgan.generator_body` and `dcgan.discriminator_body`:

  * G([z, label]): a learned label embedding (`embedding_dim` numbers per
    class) is concatenated to z, and the DCGAN generator maps the
    concatenation to a (28, 28, 1) tanh image in [-1, 1].
  * D([image, label]): the projection discriminator of Miyato & Koyama
    (2018) on the DCGAN discriminator's features (the default), or the
    classic label map: a learned embedding projected onto a 28x28 map,
    concatenated to the image as a second channel. Labels are int32 class indices of shape (n,). The
networks cannot check them inside a graph: Keras's embedding lookup wraps a
negative label around (-1 gives class C-1) and fails on a label of C or
more on a CPU (TensorFlow's gather gives zeros there on a GPU), so labels
from users go through `check_labels` first. The output layers are float32
even under a mixed_float16 policy, as in `dcgan`. A `GAN` trains them
composed with the label path `conditioning.ClassLabels`.
"""

import keras
import numpy as np

from keras_gan_latent.checks import is_integer
from keras_gan_latent.data.mnist import NUM_CLASSES
from keras_gan_latent.errors import UserError
from keras_gan_latent.models.dcgan import (
    check_arch,
    discriminator_body,
    discriminator_features,
    generator_body,
    logit_layer,
    normalised,
)
from keras_gan_latent.models.conditioning import check_num_classes

EMBEDDING_DIM = 50
CONDITIONING_NAMES = ("projection", "label_map")  # how D takes the label


def check_labels(labels, num_classes=NUM_CLASSES):
    """Checks class labels given by a user, before they reach a network.

    Args:
        labels: An integer, or an array-like of integers, each a class index.
        num_classes: The number of classes C; valid labels are 0..C-1.

    Returns:
        The labels as an int32 numpy array of the same shape.

    Raises:
        UserError: (one line, naming the first bad value) if a label is not
            an integer (a float such as 2.5 or 2.0, a bool, a string) or is
            outside 0..C-1, e.g. "label must be an integer in 0..9, got 10".
    """
    num_classes = check_num_classes(num_classes)
    expected = f"label must be an integer in 0..{num_classes - 1}"
    try:
        array = np.asarray(labels)
    except ValueError:  # ragged nesting
        raise UserError(f"{expected}, got {labels!r}") from None
    flat = array.reshape(-1)
    if array.dtype.kind in "iu":
        bad = np.flatnonzero((flat < 0) | (flat >= num_classes))
    else:  # floats, bools, strings, objects: the first value that is no integer or out of range
        bad = [
            i
            for i, v in enumerate(flat.tolist())
            if not is_integer(v) or not 0 <= v < num_classes
        ]
    if len(bad):
        value = flat[bad[0]]
        value = value.item() if isinstance(value, np.generic) else value
        raise UserError(f"{expected}, got {value!r}")
    return array.astype(np.int32)


def _label_input(pack=1):
    """The label input: (n,) class indices, or (n, pack) for a discriminator of packs."""
    return keras.Input(shape=() if pack == 1 else (pack,), dtype="int32", name="label")


def conditional_dcgan_generator(
    latent_dim, arch="light", num_classes=NUM_CLASSES, embedding_dim=EMBEDDING_DIM, name="generator"
):
    """Builds G: (z, label) -> (28, 28, 1) images in [-1, 1].

    Args:
        latent_dim: Latent dimension k.
        arch: One of `ARCH_NAMES`: the layers of `dcgan.dcgan_generator`
            after its input, whose first layer takes k + `embedding_dim`
            numbers.
        num_classes: Number of classes C; labels are 0..C-1.
        embedding_dim: Size of the learned label embedding concatenated to z.
        name: Model name.

    Returns:
        A built functional `keras.Model` with inputs `[z, label]`, z float
        (n, k) and label int32 (n,), returning float32 images (n, 28, 28, 1).

    Raises:
        UserError: an unknown `arch` or fewer than 2 classes.
    """
    check_arch(arch)
    num_classes = check_num_classes(num_classes)
    layers = keras.layers
    z = keras.Input(shape=(latent_dim,), name="z")
    label = _label_input()
    embedded = layers.Embedding(num_classes, embedding_dim, name="label_embedding")(label)
    h = layers.Concatenate(name="z_and_label")([z, embedded])
    return keras.Model([z, label], generator_body(h, arch), name=name)


def conditional_dcgan_discriminator(
    arch="light",
    num_classes=NUM_CLASSES,
    embedding_dim=EMBEDDING_DIM,
    name="discriminator",
    conditioning="projection",
    spectral_norm=False,
    pack=1,
):
    """Builds D: (image, label) -> logit, or with `pack` > 1 (images, labels of a pack) -> logit.

    Args:
        arch: One of `ARCH_NAMES`: the layers of `dcgan.dcgan_discriminator`.
        num_classes: Number of classes C; labels are 0..C-1.
        embedding_dim: Size of the learned label embedding of the label map
            (`conditioning="label_map"`).
        name: Model name.
        conditioning: How the label enters D. `"projection"` (Miyato &
            Koyama 2018): logit = w . phi(x) + b + e_y . phi(x), phi the
            DCGAN discriminator's features and e_y a learned per-class vector,
            so D scores how well the image fits the class it is asked about.
            `"label_map"`: a learned label embedding projected onto a 28x28
            map, the image's second input channel (the classic conditional
            DCGAN).
        spectral_norm: Spectrally normalise D's Conv2D and Dense layers
            (`dcgan.normalised`): the DCGAN discriminator's, the logit and
            the label map's projection. Label embeddings stay as they are
            (Keras's wrapper would cast their output to the labels' int32).
        pack: m, the images a pack holds (PacGAN): D takes them as m
            channels and their labels as int32 (n, m); the projection adds
            the m labels' class vectors, the label map makes one channel per
            label. 1: one image and its label, the networks above.

    Returns:
        A built functional `keras.Model` with inputs `[image, label]`,
        image float (n, 28, 28, 1) and label int32 (n,), returning float32
        logits (n, 1).

    Raises:
        UserError: an unknown `arch` or `conditioning`, or fewer than 2 classes.
    """
    check_arch(arch)
    num_classes = check_num_classes(num_classes)
    if conditioning not in CONDITIONING_NAMES:
        raise UserError(f"unknown conditioning {conditioning!r}; valid: {', '.join(CONDITIONING_NAMES)}")
    layers = keras.layers
    x = keras.Input(shape=(28, 28, pack), name="x")
    label = _label_input(pack)
    if conditioning == "label_map":
        embedded = layers.Embedding(num_classes, embedding_dim, name="label_embedding")(label)
        maps = normalised(layers.Dense(28 * 28, name="label_map"), spectral_norm)(embedded)
        if pack > 1:  # (n, m, 784) -> (n, 784, m): one map per label, as channels
            maps = layers.Permute((2, 1))(maps)
        label_map = layers.Reshape((28, 28, pack))(maps)
        h = layers.Concatenate(name="image_and_label")([x, label_map])
        return keras.Model([x, label], discriminator_body(h, arch, spectral_norm), name=name)
    features = discriminator_features(x, arch, spectral_norm)
    logit = logit_layer(spectral_norm)(features)
    class_vector = layers.Embedding(num_classes, int(features.shape[-1]), name="class_projection")(label)
    if pack > 1:  # the pack's labels' class vectors, summed: (n, m, d) -> (n, d)
        class_vector = layers.Lambda(lambda v: keras.ops.sum(v, axis=1), name="pack_class_vectors")(class_vector)
    projection = layers.Dot(axes=1, name="projection", dtype="float32")([class_vector, features])
    return keras.Model([x, label], layers.Add(name="conditional_logit", dtype="float32")([logit, projection]), name=name)


def discriminator_feature_model(discriminator):
    """The features phi(x) a projection discriminator's logit reads, as a model: images -> (n, d).

    Its layers are the discriminator's (no copy): the model follows D as it
    trains. The label does not enter phi, so the features are those of the
    image alone (a self-conditioned GAN clusters them).

    Args:
        discriminator: A `conditional_dcgan_discriminator` with
            `conditioning="projection"` and `pack=1`.

    Returns:
        A `keras.Model` from D's image input to its features, float (n, d).

    Raises:
        UserError: a discriminator without the projection layer (the label map).
    """
    try:
        projection = discriminator.get_layer("projection")
    except ValueError:
        raise UserError("the features of a conditional discriminator need its projection (conditioning='projection')") from None
    return keras.Model(discriminator.inputs[0], projection.input[1], name="discriminator_features")
