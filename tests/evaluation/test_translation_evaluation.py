"""A digit translator's report on a hand-made case with a known answer: translators that are the true transform.

G is T itself (rotate by 90 degrees, 3x3 maximum filter) and F its
pseudo-inverse, built as Keras layers, exported as train.py exports a
CycleGAN and loaded with plain `tf.saved_model.load`: G's translation error
must be 0 and the class it keeps that of the true translations.
"""

import json

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan_latent.data.mnist import domains
from keras_gan_latent.evaluation.translation import digit_translation_report
from keras_gan_latent.models import digit_translator
from keras_gan_latent.models.classifier import classify
from keras_gan_latent.models.cyclegan import CycleGAN, DigitDomain
from keras_gan_latent.models.gan import TargetSource
from keras_gan_latent.training.export import export_generator

NUM_DIGITS = 300


def transform_model(inverse, name):
    """T (or with `inverse` its pseudo-inverse) as a Keras model on (n, 28, 28, 1) digits in [-1, 1]."""
    x = keras.Input((28, 28, 1))
    pool = keras.layers.MaxPooling2D(3, strides=1, padding="same")
    if inverse:  # erode, then rotate back
        h = keras.layers.Lambda(lambda v: tf.image.rot90(-pool(-v), k=3))(x)
    else:
        h = pool(keras.layers.Lambda(lambda v: tf.image.rot90(v, k=1))(x))
    return keras.Model(x, h, name=name)


@pytest.fixture(scope="module")
def true_transform_export(tmp_path_factory, mnist):
    """A CycleGAN export whose G is T and F T's pseudo-inverse (mnist -> mnist_rot), loaded with tf.saved_model.load."""
    x_train, _, x_test, _ = mnist
    model = CycleGAN(
        translator=transform_model(False, "G"), translator_back=transform_model(True, "F"),
        critic_y=digit_translator.patch_critic(name="D_Y"), critic_x=digit_translator.patch_critic(name="D_X"),
        source=TargetSource(DigitDomain("mnist", x_train[:100])),
        target=TargetSource(DigitDomain("mnist_rot", domains.rotate_thicken(x_train[100:200]))),
        num_fixed=10, export_source=DigitDomain("mnist", x_test[:100]),
    )
    path = str(tmp_path_factory.mktemp("exports") / "true_transform")
    endpoints, tracked = model.export_endpoints(model.translator)
    export_generator(model.translator, model.latent_prior, path, {"model": "cyclegan", "source": "mnist",
                     "target": "mnist_rot", "translator_noise": 0}, endpoints=endpoints, tracked=tracked)
    return tf.saved_model.load(path)


def test_the_export_translates_digits_with_plain_tensorflow_and_refuses_points(true_transform_export, mnist):
    digits = mnist[2][:8]
    y = true_transform_export.translate(x=tf.constant(digits[..., None] / 127.5 - 1.0, tf.float32))["y"].numpy()
    assert np.allclose(y[..., 0], domains.rotate_thicken(digits) / 127.5 - 1.0, atol=1e-5)
    assert true_transform_export.translate_back(y=tf.constant(y))["x"].shape == (8, 28, 28, 1)
    out = true_transform_export.sample(num_samples=tf.constant(5), seed=tf.constant(0, tf.int64))
    assert out["x"].shape == (5, 28, 28, 1) and out["source"].shape == (5, 28, 28, 1) and out["z"].shape == (5, 0)
    assert json.loads(true_transform_export.config().numpy())["target"] == "mnist_rot"
    with pytest.raises((TypeError, ValueError)):
        true_transform_export.translate(x=tf.zeros([4, 2]))


def test_the_true_transform_scores_error_zero_and_keeps_every_class_the_truth_shows(true_transform_export, mnist,
                                                                                     classifier):
    digits = mnist[2][:NUM_DIGITS]
    # Labels as the classifier reads the true translations: a translator that is T agrees on all of them.
    truth = domains.upright("mnist_rot", domains.rotate_thicken(digits))
    labels = np.argmax(classify(classifier, truth)[0], axis=1)
    report = digit_translation_report(true_transform_export, "mnist", "mnist_rot", digits, labels, classifier)
    assert report["num_samples"] == NUM_DIGITS
    assert report["error_g"] < 1e-6 and report["cycle_y"] < 1e-6  # G(F(y)) = T(closing) = y: T is idempotent there
    assert report["agreement_g"] == 1.0 == report["reference_agreement_g"]
    # F is only a pseudo-inverse: it returns the closing of x, a little off x, never further than the identity map.
    assert 0 < report["error_f"] < 0.05 < report["error_identity"]
    assert report["cycle_x"] == pytest.approx(report["error_f"], abs=1e-6)
    assert report["agreement_f"] > 0.9 and 1 <= report["classifier_score_g"] <= 10


def test_a_translator_that_keeps_digits_upright_scores_the_identity_maps_error(mnist, classifier, tmp_path):
    """G = F = the identity: its error is the identity map's and the classifier, undoing T, sees turned digits."""
    x_train, _, x_test, y_test = mnist
    identity = dict(translator=keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Identity()], name="G"),
                    translator_back=keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Identity()], name="F"))
    model = CycleGAN(**identity, critic_y=digit_translator.patch_critic(name="D_Y"),
                     critic_x=digit_translator.patch_critic(name="D_X"),
                     source=TargetSource(DigitDomain("mnist", x_train[:50])),
                     target=TargetSource(DigitDomain("mnist_rot", x_train[50:100])), num_fixed=5)
    endpoints, tracked = model.export_endpoints(model.translator)
    path = str(tmp_path / "identity")
    export_generator(model.translator, model.latent_prior, path, {"model": "cyclegan"}, endpoints=endpoints,
                     tracked=tracked)
    report = digit_translation_report(tf.saved_model.load(path), "mnist", "mnist_rot", x_test[:NUM_DIGITS],
                                      y_test[:NUM_DIGITS], classifier)
    assert report["error_g"] == pytest.approx(report["error_identity"], abs=1e-6)
    assert report["cycle_x"] < 1e-6 and report["agreement_g"] < report["reference_agreement_g"] - 0.3
