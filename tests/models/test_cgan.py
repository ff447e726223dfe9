"""The class-conditional GAN: its networks, the labelled train step, fixed labels and label checks."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan_latent.data import priors
from keras_gan_latent.data.mnist import mnist_dataset
from keras_gan_latent.errors import UserError
from keras_gan_latent.models import cgan, dcgan
from keras_gan_latent.models.conditioning import ClassLabels, LabelledDatasetSource
from keras_gan_latent.models.gan import GAN
from keras_gan_latent.training import checkpoints

from conftest import conditional_gan

LATENT_DIM = 3


def _conditional_gan(seed=0, batch_size=16, d_steps=2, num_fixed_latents=30):
    return conditional_gan(LATENT_DIM, seed, batch_size, d_steps, num_fixed_latents)


def _compile(model, steps_per_execution=1):
    model.compile(
        keras.optimizers.Adam(2e-4, beta_1=0.5),
        keras.optimizers.Adam(2e-4, beta_1=0.5),
        steps_per_execution=steps_per_execution,
    )


def _fake_labelled_digits(n=64, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, 28, 28), dtype=np.uint8), rng.integers(0, 10, n).astype(np.uint8)


@pytest.mark.parametrize("arch", ["light", "seed"])
def test_networks_shapes_and_shared_dcgan_layers(arch):
    generator = cgan.conditional_dcgan_generator(LATENT_DIM, arch)
    discriminator = cgan.conditional_dcgan_discriminator(arch)
    assert generator.input_shape == [(None, LATENT_DIM), (None,)]
    assert discriminator.input_shape == [(None, 28, 28, 1), (None,)]
    z = tf.random.stateless_normal([3, LATENT_DIM], seed=[1, 2])
    labels = tf.constant([0, 4, 9], tf.int32)
    images = generator([z, labels])
    assert images.shape == (3, 28, 28, 1) and images.dtype == tf.float32
    assert float(tf.reduce_min(images)) >= -1.0 and float(tf.reduce_max(images)) <= 1.0
    assert discriminator([images, labels]).shape == (3, 1)
    # The DCGAN's layers after the input, only wider where the label joins.
    plain_g = {w.path: tuple(w.shape) for w in dcgan.dcgan_generator(LATENT_DIM, arch).weights}
    cond_g = {w.path: tuple(w.shape) for w in generator.weights}
    assert cond_g.pop("label_embedding/embeddings") == (10, cgan.EMBEDDING_DIM)
    assert cond_g.pop("dense_0/kernel")[0] == LATENT_DIM + cgan.EMBEDDING_DIM
    plain_g.pop("dense_0/kernel")
    assert cond_g == plain_g
    # The projection discriminator (the default): the DCGAN discriminator plus one vector per class.
    plain_d = {w.path: tuple(w.shape) for w in dcgan.dcgan_discriminator(arch).weights}
    cond_d = {w.path: tuple(w.shape) for w in discriminator.weights}
    features = 3136 if arch == "light" else 256
    assert cond_d.pop("class_projection/embeddings") == (10, features)
    assert cond_d == plain_d
    # The label-map discriminator: the label as a second input channel.
    label_map = cgan.conditional_dcgan_discriminator(arch, conditioning="label_map")
    map_d = {w.path: tuple(w.shape) for w in label_map.weights}
    assert map_d.pop("conv_0/kernel")[2] == 2  # image and label map
    plain_d.pop("conv_0/kernel")
    assert {k: v for k, v in map_d.items() if not k.startswith("label_")} == plain_d


def test_output_layers_stay_float32_under_mixed_precision():
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy("mixed_float16")
    try:
        generator = cgan.conditional_dcgan_generator(LATENT_DIM)
        discriminator = cgan.conditional_dcgan_discriminator()
    finally:
        keras.config.set_dtype_policy(previous)
    labels = tf.constant([1, 2], tf.int32)
    images = generator([tf.zeros([2, LATENT_DIM]), labels])
    assert images.dtype == tf.float32 and discriminator([images, labels]).dtype == tf.float32


def test_outputs_depend_on_the_label():
    keras.utils.set_random_seed(0)
    generator = cgan.conditional_dcgan_generator(LATENT_DIM)
    discriminator = cgan.conditional_dcgan_discriminator()
    z = tf.repeat(tf.random.stateless_normal([1, LATENT_DIM], seed=[3, 4]), 10, axis=0)
    labels = tf.range(10, dtype=tf.int32)
    images = generator([z, labels]).numpy().reshape(10, -1)
    # Same z, ten labels: ten different images (float noise is ~1e-7; an
    # untrained generator's label effect is orders of magnitude larger).
    gaps = np.abs(images[:, None] - images[None]).max(axis=-1)
    assert gaps[~np.eye(10, dtype=bool)].min() > 1e-5
    same_image = tf.repeat(tf.constant(images[:1].reshape(1, 28, 28, 1)), 10, axis=0)
    # One image, ten labels: D's logits spread (by ~1e-3 untrained, float noise ~1e-7).
    logits = discriminator([same_image, labels]).numpy().ravel()
    assert np.ptp(logits) > 1e-5


def test_conditional_gan_trains_on_a_labelled_stream():
    model = _conditional_gan()
    assert model.conditional and model.num_classes == 10 and model.latent_dim == LATENT_DIM
    assert model.networks == {"generator": model.generator, "discriminator": model.discriminator}
    x, y = _fake_labelled_digits()
    _compile(model, steps_per_execution=2)
    label_layers = {"generator": "label_embedding", "discriminator": "class_projection"}
    embeddings = {role: net.get_layer(label_layers[role]).embeddings.numpy().copy() for role, net in model.networks.items()}
    # D takes d_steps half-batches of real digits (with their labels) per step.
    data = mnist_dataset(x, model.d_steps * model.batch_size // 2, seed=0, y_uint8=y)
    history = model.fit(data.take(4), steps_per_epoch=4, verbose=0, shuffle=False)
    assert set(history.history) == {m.name for m in model.metrics}
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    assert int(model.global_step.numpy()) == 4
    assert int(model.d_optimizer.iterations.numpy()) == 8 and int(model.g_optimizer.iterations.numpy()) == 4
    for role, net in model.networks.items():  # the label reaches both networks' gradients
        assert not np.allclose(embeddings[role], net.get_layer(label_layers[role]).embeddings.numpy()), role
    images = model([model.fixed_latents[:10], model.fixed_labels[:10]])
    assert images.shape == (10, 28, 28, 1)


def test_fixed_labels_cover_every_class():
    model = _conditional_gan(num_fixed_latents=25)
    labels = model.fixed_labels.numpy()
    assert model.fixed_labels.dtype == tf.int32 and not model.fixed_labels.trainable
    assert labels.tolist() == [i % 10 for i in range(25)]
    assert set(labels[:10]) == set(range(10))  # a grid's first row shows every digit
    assert model.fixed_latents.shape == (25, LATENT_DIM)


def test_checkpoint_round_trip_keeps_fixed_labels(tmp_path):
    saved = _conditional_gan(seed=1)
    _compile(saved)
    chosen = np.arange(30, dtype=np.int32)[::-1] % 10  # labels other than the default ones
    saved.fixed_labels.assign(chosen)
    manager = checkpoints.checkpoint_manager(saved, str(tmp_path))
    manager.save(checkpoint_number=0)
    restored = _conditional_gan(seed=2)
    _compile(restored)
    assert not np.array_equal(restored.fixed_labels.numpy(), chosen)
    assert checkpoints.restore_latest(checkpoints.checkpoint_manager(restored, str(tmp_path))) == 0
    np.testing.assert_array_equal(restored.fixed_labels.numpy(), chosen)
    np.testing.assert_array_equal(restored.fixed_latents.numpy(), saved.fixed_latents.numpy())
    for a, b in zip(restored.generator.weights, saved.generator.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


@pytest.mark.parametrize("label, shown", [(10, "10"), (-1, "-1"), (2.5, "2.5"), ([3, 10], "10"),
                                          (np.array([1, 12], np.uint8), "12"), (True, "True")])
def test_check_labels_refuses_what_is_no_class(label, shown):
    with pytest.raises(UserError) as excinfo:
        cgan.check_labels(label, 10)
    assert str(excinfo.value) == f"label must be an integer in 0..9, got {shown}"


def test_check_labels_returns_int32_labels():
    checked = cgan.check_labels([0, 9, np.uint8(4)], 10)
    assert checked.dtype == np.int32 and checked.tolist() == [0, 9, 4]
    assert cgan.check_labels(2, num_classes=3).tolist() == 2


@pytest.mark.parametrize("options", [
    dict(ema=0.9),
    dict(spectral_norm=True, loss="hinge"),
    dict(arch="tutorial"),
    dict(r1=10.0),
])
def test_conditional_gan_trains_with_each_quality_option(options):
    from keras_gan_latent.viz import views

    model = conditional_gan(LATENT_DIM, batch_size=8, num_fixed_latents=20, **options)
    x, y = _fake_labelled_digits()
    _compile(model)
    data = mnist_dataset(x, model.batch_size // 2, seed=0, y_uint8=y)
    history = model.fit(data.take(2), steps_per_epoch=2, verbose=0, shuffle=False)
    assert int(model.global_step.numpy()) == 2
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    assert ("r1" in history.history) == ("r1" in options)
    if "ema" in options:  # the class grid is drawn by the average
        assert model.sampling_generator is model.generator_average
        grid = views.ClassGridView(x, y, num_classes=10, columns=2).grid_samples(model)
        z, labels = tf.tile(model.fixed_latents[:2], [10, 1]), tf.repeat(tf.range(10, dtype=tf.int32), 2)
        np.testing.assert_allclose(grid, model.generator_average([z, labels], training=False).numpy(), rtol=1e-5, atol=1e-5)
        assert not np.allclose(grid, model.generator([z, labels], training=False).numpy(), atol=1e-6)


def test_spectral_norm_reaches_every_conditional_discriminator_weight_layer_but_the_embeddings():
    keras.utils.set_random_seed(0)
    projection = cgan.conditional_dcgan_discriminator(spectral_norm=True)
    wrapped = {layer.name for layer in projection.layers if isinstance(layer, keras.layers.SpectralNormalization)}
    assert wrapped == {"sn_conv_0", "sn_conv_1", "sn_logit"}
    assert isinstance(projection.get_layer("class_projection"), keras.layers.Embedding)
    label_map = cgan.conditional_dcgan_discriminator(conditioning="label_map", spectral_norm=True)
    wrapped = {layer.name for layer in label_map.layers if isinstance(layer, keras.layers.SpectralNormalization)}
    assert wrapped == {"sn_label_map", "sn_conv_0", "sn_conv_1", "sn_logit"}
    labels = tf.constant([0, 9], tf.int32)
    for discriminator in (projection, label_map):
        logits = discriminator([tf.zeros([2, 28, 28, 1]), labels], training=True)
        assert logits.shape == (2, 1) and logits.dtype == tf.float32


def test_fit_on_labelled_digits_as_arrays_and_as_a_dataset(mnist):
    """A conditional GAN's default source is the fed (digits, labels): `fit(x, y)` or a dataset of pairs."""
    x_train, y_train = mnist[0][:96], mnist[1][:96]
    digits = (x_train.astype(np.float32)[..., None] / 127.5 - 1.0)
    keras.utils.set_random_seed(0)
    model = GAN(
        cgan.conditional_dcgan_generator(LATENT_DIM, "light"), cgan.conditional_dcgan_discriminator("light"),
        priors.latent_prior("normal", LATENT_DIM), batch_size=16, num_fixed_latents=30, conditioning=ClassLabels(cgan.NUM_CLASSES),
    )
    assert isinstance(model.real_source, LabelledDatasetSource) and model.real_per_step == 8
    _compile(model)
    history = model.fit(digits, y_train.astype(np.int32), epochs=1, verbose=0)
    assert int(model.global_step.numpy()) == 96 // 8 and np.isfinite(history.history["d_loss"][0])
    dataset = tf.data.Dataset.from_tensor_slices((digits, y_train.astype(np.int32))).batch(8)
    model.fit(dataset, epochs=1, verbose=0)
    assert int(model.global_step.numpy()) == 2 * 96 // 8
