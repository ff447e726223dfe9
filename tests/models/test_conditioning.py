"""The label path: `ClassLabels` (a conditional GAN's labels) beside `NoLabels` (an unconditional GAN's none)."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan_latent.data import priors
from keras_gan_latent.errors import UserError
from keras_gan_latent.models import cgan, dcgan
from keras_gan_latent.models.conditioning import ClassLabels, LabelledDatasetSource, check_num_classes
from keras_gan_latent.models.gan import GAN, DatasetSource, NoLabels

LATENT_DIM = 3


def test_labelled_source_slices_samples_and_labels_alike():
    x = tf.reshape(tf.range(8 * 2, dtype=tf.float32), [8, 2])
    y = tf.constant([0, 1, 2, 3, 4, 5, 6, 7], tf.uint8)
    samples, labels = LabelledDatasetSource().draw((x, y), 1, 4, seed=None)
    np.testing.assert_array_equal(samples.numpy(), x.numpy()[4:8])
    assert labels.dtype == tf.int32 and labels.numpy().tolist() == [4, 5, 6, 7]
    with pytest.raises(ValueError, match=r"must be fed \(samples, labels\)"):
        LabelledDatasetSource().draw(x, 0, 4, seed=None)


def test_sampled_labels_are_uniform_over_the_classes_and_seeded():
    path = ClassLabels(10)
    labels = path.sample(2000, tf.constant([5, 6], tf.int32)).numpy()
    assert labels.dtype == np.int32 and labels.min() == 0 and labels.max() == 9
    # Each class has probability 1/10: counts 200 +- 13.4 (one sd); 140..260 is 4.5 sd.
    assert all(140 <= c <= 260 for c in np.bincount(labels, minlength=10))
    np.testing.assert_array_equal(labels, path.sample(2000, tf.constant([5, 6], tf.int32)).numpy())
    # The labels of generated samples come from a seed folded from their latents' seed.
    seed = tf.constant([5, 6], tf.int32)
    np.testing.assert_array_equal(
        path.draw(50, seed).numpy(), path.sample(50, tf.random.experimental.stateless_fold_in(seed, 1)).numpy()
    )


def test_the_two_paths_carry_labels_or_none_through_the_same_hooks():
    x, labels = tf.ones([4, 2]), tf.constant([0, 1, 2, 3], tf.int32)
    with_labels, without = ClassLabels(5), NoLabels()
    assert (with_labels.conditional, with_labels.num_classes) == (True, 5)
    assert (without.conditional, without.num_classes) == (False, None)
    assert isinstance(with_labels.default_source(), LabelledDatasetSource)
    assert isinstance(without.default_source(), DatasetSource)
    assert with_labels.split((x, labels)) == (x, labels) and without.split(x) == (x, None)
    assert with_labels.inputs(x, labels) == [x, labels] and without.inputs(x, None) is x
    assert with_labels.join(labels, labels).numpy().tolist() == [0, 1, 2, 3] * 2
    assert with_labels.pack(labels, 2).numpy().tolist() == [[0, 1], [2, 3]]
    assert with_labels.head(labels, 3).numpy().tolist() == [0, 1, 2]
    assert all(v is None for v in (without.join(None, None), without.pack(None, 2), without.head(None, 3),
                                   without.draw(4, tf.constant([1, 2])), without.fixed_labels(7)))
    fixed = with_labels.fixed_labels(7)
    assert fixed.numpy().tolist() == [0, 1, 2, 3, 4, 0, 1] and not fixed.trainable
    assert with_labels.checkpoint_items(fixed) == {"fixed_labels": fixed} and without.checkpoint_items(None) == {}
    assert without.export_endpoints(None, None, 3) == {}


@pytest.mark.parametrize("value", [1, 0, 2.0, True, "10", None])
def test_check_num_classes_refuses_what_is_no_number_of_classes(value):
    with pytest.raises(UserError, match="number of classes must be an integer of at least 2"):
        check_num_classes(value)
    assert check_num_classes(np.int64(3)) == 3


def test_mismatched_parts_are_refused():
    keras.utils.set_random_seed(0)
    prior = priors.latent_prior("normal", LATENT_DIM)
    g, d = cgan.conditional_dcgan_generator(LATENT_DIM), cgan.conditional_dcgan_discriminator()
    with pytest.raises(UserError, match="labelled real-sample source"):
        GAN(g, d, prior, DatasetSource(), conditioning=ClassLabels(10), num_fixed_latents=10)
    with pytest.raises(UserError, match="needs a conditional GAN"):
        GAN(g, d, prior, LabelledDatasetSource(), num_fixed_latents=10)
    with pytest.raises(UserError, match="generator must take"):
        GAN(dcgan.dcgan_generator(LATENT_DIM), d, prior, conditioning=ClassLabels(10), num_fixed_latents=10)
    with pytest.raises(UserError, match="at least 2"):
        ClassLabels(1)
    coded_prior = priors.coded_prior(priors.latent_prior("normal", LATENT_DIM), 4)
    with pytest.raises(UserError, match="a latent code applies to unconditional GANs only"):
        GAN(cgan.conditional_dcgan_generator(LATENT_DIM + 4), d, coded_prior, conditioning=ClassLabels(10),
            num_codes=4, num_fixed_latents=10)


def test_a_gan_composed_with_class_labels_is_conditional_and_keeps_its_fixed_labels_in_checkpoints():
    keras.utils.set_random_seed(0)
    model = GAN(
        cgan.conditional_dcgan_generator(LATENT_DIM), cgan.conditional_dcgan_discriminator(),
        priors.latent_prior("normal", LATENT_DIM), conditioning=ClassLabels(10), num_fixed_latents=12,
    )
    assert model.conditional and model.num_classes == 10
    assert isinstance(model.real_source, LabelledDatasetSource)
    model.compile(keras.optimizers.SGD(0.1), keras.optimizers.SGD(0.1))
    assert model.checkpoint_items()["fixed_labels"] is model.fixed_labels
    endpoints, tracked = model.export_endpoints(model.generator)
    assert set(endpoints) == {"sample", "sample_label", "generate"} and tracked == ()
    sampled = endpoints["sample_label"][0](tf.constant(4), tf.constant(7, tf.int64), tf.constant(3))
    assert sampled["label"].numpy().tolist() == [3] * 4 and sampled["x"].shape == (4, 28, 28, 1)
