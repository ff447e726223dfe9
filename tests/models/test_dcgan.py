"""The DCGAN networks: the seed generator's fast convolutions compute the published layers."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan_latent.models import dcgan


@pytest.mark.parametrize("filters, kernel_size, channels", [(64, 5, 128), (1, 5, 64), (8, 3, 4), (4, 7, 2)])
def test_upsampled_conv_equals_conv_after_upsampling(filters, kernel_size, channels):
    rng = np.random.default_rng(0)
    x = tf.constant(rng.normal(size=(3, 7, 9, channels)).astype("float32"))
    upsampled = keras.layers.UpSampling2D()(x)
    plain = keras.layers.Conv2D(filters, kernel_size, padding="same")
    fast = dcgan.UpsampledConv2D(filters, kernel_size, padding="same")
    plain.build(upsampled.shape)
    fast.build(upsampled.shape)
    kernel = rng.normal(size=plain.kernel.shape).astype("float32")
    bias = rng.normal(size=plain.bias.shape).astype("float32")
    plain.set_weights([kernel, bias])
    fast.set_weights([kernel, bias])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(upsampled)
        y_plain, y_fast = plain(upsampled), fast(upsampled)
        loss_plain, loss_fast = tf.reduce_sum(y_plain**2), tf.reduce_sum(y_fast**2)
    scale = float(tf.reduce_max(tf.abs(y_plain)))
    np.testing.assert_allclose(y_fast.numpy(), y_plain.numpy(), atol=1e-5 * scale)
    g_plain = tape.gradient(loss_plain, plain.kernel)
    g_fast = tape.gradient(loss_fast, fast.kernel)
    np.testing.assert_allclose(g_fast.numpy(), g_plain.numpy(), rtol=1e-4, atol=1e-4 * float(tf.reduce_max(tf.abs(g_plain))))


def test_seed_generator_has_the_published_layers_and_shapes():
    generator = dcgan.dcgan_generator(100, "seed")
    shapes = [(w.path, tuple(w.shape)) for w in generator.trainable_weights]
    assert shapes == [
        ("dense_0/kernel", (100, 1024)), ("dense_0/bias", (1024,)), ("bn_0/gamma", (1024,)), ("bn_0/beta", (1024,)),
        ("dense_1/kernel", (1024, 6272)), ("dense_1/bias", (6272,)), ("bn_1/gamma", (6272,)), ("bn_1/beta", (6272,)),
        ("conv_0/kernel", (5, 5, 128, 64)), ("conv_0/bias", (64,)), ("bn_2/gamma", (64,)), ("bn_2/beta", (64,)),
        ("image/kernel", (5, 5, 64, 1)), ("image/bias", (1,)),
    ]
    assert generator.output_shape == (None, 28, 28, 1)


def test_upsampled_conv_refuses_what_it_cannot_compute():
    with pytest.raises(ValueError, match="padding='same'"):
        dcgan.UpsampledConv2D(4, 5, padding="valid")
    with pytest.raises(ValueError, match="odd kernel sizes"):
        dcgan.UpsampledConv2D(4, 4, padding="same")


def _largest_singular_values(discriminator):
    """The largest singular value of each spectrally normalised kernel, reshaped to (-1, units) as the wrapper does."""
    values = {}
    for layer in discriminator.layers:
        if isinstance(layer, keras.layers.SpectralNormalization):
            matrix = layer.layer.kernel.numpy().astype(np.float64).reshape(-1, layer.layer.kernel.shape[-1])
            # sqrt of the Gram matrix's largest eigenvalue: the (units x units) problem, not a full SVD.
            values[layer.name] = float(np.sqrt(np.linalg.eigvalsh(matrix.T @ matrix)[-1]))
    return values


@pytest.mark.parametrize("arch, wrapped", [
    ("light", {"sn_conv_0", "sn_conv_1", "sn_logit"}),
    ("seed", {"sn_conv_0", "sn_conv_1", "sn_dense_0", "sn_logit"}),
])
def test_spectral_norm_wraps_every_d_weight_layer_and_bounds_its_kernel(arch, wrapped):
    keras.utils.set_random_seed(0)
    plain = dcgan.dcgan_discriminator(arch)
    normalised = dcgan.dcgan_discriminator(arch, spectral_norm=True)
    # The same layers and kernels, each with its power-iteration vector.
    assert {w.path.split("/", 1)[1] for w in normalised.weights if "vector_u" not in w.path} == {w.path for w in plain.weights}
    assert {w.path.split("/")[0] for w in normalised.weights if w.path.endswith("vector_u")} == wrapped
    assert not any(isinstance(layer, keras.layers.SpectralNormalization) for layer in plain.layers)
    before = _largest_singular_values(normalised)
    assert max(before.values()) > 1.1  # Glorot-initialised convolutions start above 1
    x = tf.random.stateless_normal([2, 28, 28, 1], seed=[0, 1])
    kernels = [w.numpy().copy() for w in normalised.weights if w.path.endswith("kernel")]
    normalised(x, training=False)  # inference leaves the kernels alone
    for a, w in zip(kernels, (w for w in normalised.weights if w.path.endswith("kernel"))):
        np.testing.assert_array_equal(a, w.numpy())
    for _ in range(20):  # one power iteration per training call
        normalised(x, training=True)
    after = _largest_singular_values(normalised)
    assert set(after) == wrapped
    for name, value in after.items():
        assert value == pytest.approx(1.0, abs=0.05), (name, before[name], value)
    assert normalised(x).shape == (2, 1) and normalised(x).dtype == tf.float32


def _dcgan(arch="light", latent_dim=3, batch_size=8, seed=0, spectral_norm=False, **options):
    """An untrained unconditional DCGAN on MNIST-shaped digits (seeded)."""
    from keras_gan_latent.data import priors
    from keras_gan_latent.models.gan import GAN, DatasetSource

    keras.utils.set_random_seed(seed)
    return GAN(
        dcgan.dcgan_generator(latent_dim, arch),
        dcgan.dcgan_discriminator(arch, spectral_norm=spectral_norm),
        priors.latent_prior("normal", latent_dim),
        DatasetSource(),
        batch_size=batch_size,
        seed=seed,
        num_fixed_latents=10,
        **options,
    )


def _fit(model, steps=2, callbacks=()):
    """Trains `steps` steps (one per execution) on random uint8 digits with the light DCGAN's Adam settings."""
    from keras_gan_latent.data.mnist import mnist_dataset

    model.compile(keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(2e-4, beta_1=0.5), steps_per_execution=1)
    digits = np.random.default_rng(0).integers(0, 256, (64, 28, 28), dtype=np.uint8)
    data = mnist_dataset(digits, model.d_steps * model.batch_size // 2, seed=0)
    return model.fit(data.take(steps), steps_per_epoch=steps, verbose=0, shuffle=False, callbacks=list(callbacks))


def test_spectrally_normalised_dcgan_trains_and_checkpoints_its_power_iteration(tmp_path):
    from keras_gan_latent.training import checkpoints

    model = _dcgan(spectral_norm=True, loss="hinge")
    history = _fit(model)
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    assert int(model.global_step.numpy()) == 2
    vectors = {w.path: w.numpy().copy() for w in model.discriminator.weights if w.path.endswith("vector_u")}
    assert len(vectors) == 3
    checkpoints.checkpoint_manager(model, str(tmp_path)).save(checkpoint_number=2)
    restored = _dcgan(spectral_norm=True, loss="hinge", seed=1)
    restored.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    assert not np.array_equal(restored.discriminator.get_layer("sn_conv_1").vector_u.numpy(), vectors["sn_conv_1/vector_u"])
    assert checkpoints.restore_latest(checkpoints.checkpoint_manager(restored, str(tmp_path))) == 2
    for weight in restored.discriminator.weights:
        if weight.path in vectors:
            np.testing.assert_array_equal(weight.numpy(), vectors[weight.path])


def test_tutorial_networks_have_the_tutorials_layers_and_train():
    generator, discriminator = dcgan.dcgan_generator(10, "tutorial"), dcgan.dcgan_discriminator("tutorial")
    assert [(w.path, tuple(w.shape)) for w in generator.trainable_weights] == [
        ("dense_0/kernel", (10, 7 * 7 * 256)), ("bn_0/gamma", (12544,)), ("bn_0/beta", (12544,)),
        ("deconv_0/kernel", (5, 5, 128, 256)), ("bn_1/gamma", (128,)), ("bn_1/beta", (128,)),
        ("deconv_1/kernel", (5, 5, 64, 128)), ("bn_2/gamma", (64,)), ("bn_2/beta", (64,)),
        ("image/kernel", (5, 5, 1, 64)),
    ]
    shapes = [layer.output.shape for layer in generator.layers if layer.name.startswith(("deconv", "image"))]
    assert shapes == [(None, 7, 7, 128), (None, 14, 14, 64), (None, 28, 28, 1)]
    assert [(w.path, tuple(w.shape)) for w in discriminator.weights] == [
        ("conv_0/kernel", (5, 5, 1, 64)), ("conv_0/bias", (64,)), ("conv_1/kernel", (5, 5, 64, 128)),
        ("conv_1/bias", (128,)), ("logit/kernel", (7 * 7 * 128, 1)), ("logit/bias", (1,)),
    ]
    assert sum(isinstance(layer, keras.layers.Dropout) and layer.rate == 0.3 for layer in discriminator.layers) == 2
    assert all(layer.negative_slope == pytest.approx(0.3) for layer in generator.layers + discriminator.layers
               if isinstance(layer, keras.layers.LeakyReLU))
    model = _dcgan("tutorial")
    history = _fit(model)
    assert int(model.global_step.numpy()) == 2 and all(np.isfinite(v[-1]) for v in history.history.values())
    assert model(model.fixed_latents[:3]).shape == (3, 28, 28, 1)


class _GeneratorSnapshots(keras.callbacks.Callback):
    """G's weights after every step (one step per execution)."""

    def __init__(self):
        super().__init__()
        self.steps = []

    def on_train_batch_end(self, batch, logs=None):
        self.steps.append([w.numpy().copy() for w in self.model.generator.weights])


def test_weight_average_is_the_moving_average_of_the_generators_weights():
    momentum = 0.3  # both terms count at every step, and unequally (a swapped m and 1 - m would show)
    model = _dcgan(ema=momentum)
    average, generator = model.generator_average, model.generator
    assert [w.path for w in average.weights] == [w.path for w in generator.weights]
    assert average.name == "generator_average" and model.sampling_generator is average
    assert model.networks == {"generator": generator, "discriminator": model.discriminator, "generator_average": average}
    expected = [w.numpy().copy() for w in generator.weights]  # starts at G's initial weights
    for a, w in zip(average.weights, expected):
        np.testing.assert_array_equal(a.numpy(), w)
    snapshots = _GeneratorSnapshots()
    _fit(model, steps=3, callbacks=[snapshots])
    assert len(snapshots.steps) == 3
    for step in snapshots.steps:
        expected = [momentum * a + (1 - momentum) * w if weight.trainable else w
                    for a, w, weight in zip(expected, step, generator.weights)]
    for a, e, weight in zip(average.weights, expected, generator.weights):
        if weight.trainable:
            np.testing.assert_allclose(a.numpy(), e, rtol=1e-5, atol=1e-7, err_msg=weight.path)
        else:  # BatchNorm's moving statistics: the live generator's
            np.testing.assert_array_equal(a.numpy(), weight.numpy(), err_msg=weight.path)
    assert any(not np.allclose(a.numpy(), w.numpy()) for a, w in zip(average.weights, generator.trainable_weights))
    z = model.fixed_latents[:4]
    np.testing.assert_allclose(model(z).numpy(), average(z, training=False).numpy(), rtol=1e-5, atol=1e-6)


def test_without_ema_the_gan_keeps_no_average():
    model = _dcgan()
    assert model.generator_average is None and model.sampling_generator is model.generator
    assert set(model.networks) == {"generator", "discriminator"}
