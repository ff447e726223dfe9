"""The CycleGAN model: building, refusals, real training steps, and the export through plain `tf.saved_model.load`."""

import json

import numpy as np
import pytest
import tensorflow as tf

from keras_gan_latent.data import targets
from keras_gan_latent.errors import UserError
from keras_gan_latent.evaluation.translation import translation_report
from keras_gan_latent.experiments.base import adam
from keras_gan_latent.models import digit_translator, mlp
from keras_gan_latent.models.cyclegan import CycleGAN, DigitDomain, SourceWithNoise, concat_noise, split_noise
from keras_gan_latent.models.gan import TargetSource
from keras_gan_latent.training.export import export_generator, load_export
from keras_gan_latent.training.loop import steps_dataset

WIDTH = 16


def networks(k, dx=2, dy=2):
    nets = dict(
        translator=mlp.mlp_generator(dx + k, dy, WIDTH, 2, name="G"),
        translator_back=mlp.mlp_generator(dy + k, dx, WIDTH, 2, name="F"),
        critic_y=mlp.mlp_discriminator(dy, WIDTH, 2, name="D_Y"),
        critic_x=mlp.mlp_discriminator(dx, WIDTH, 2, name="D_X"),
    )
    if k:
        nets.update(
            encoder_y=mlp.mlp_generator(dx + dy, k, WIDTH, 1, name="E_y"),
            encoder_x=mlp.mlp_generator(dx + dy, k, WIDTH, 1, name="E_x"),
            latent_critic_y=mlp.mlp_discriminator(k, WIDTH, 1, name="D_zy"),
            latent_critic_x=mlp.mlp_discriminator(k, WIDTH, 1, name="D_zx"),
        )
    return nets


def cyclegan(k, **kwargs):
    source, target = targets.get_target("gaussian"), targets.get_target("eight_gaussians")
    return CycleGAN(source=TargetSource(source), target=TargetSource(target), translator_noise=k, batch_size=64,
                    num_fixed=100, **networks(k), **kwargs)


def trained(k, steps=20):
    model = cyclegan(k)
    model.compile(d_optimizer=adam(2e-4, 0.5, False), g_optimizer=adam(2e-4, 0.5, False), steps_per_execution=10)
    history = model.fit(steps_dataset(), steps_per_epoch=steps, epochs=1, verbose=0, shuffle=False)
    return model, history


def test_source_with_noise_draws_a_source_sample_and_k_normal_coordinates():
    prior = SourceWithNoise(targets.get_target("eight_gaussians"), 3)
    draws = prior.sample(4000, tf.constant([0, 1])).numpy()
    assert prior.event_shape == [5] and draws.shape == (4000, 5)
    assert np.allclose(np.linalg.norm(draws[:, :2], axis=1).mean(), 2.0, atol=0.1)  # on the ring
    assert np.allclose(draws[:, 2:].std(axis=0), 1.0, atol=0.1)
    assert np.array_equal(draws, prior.sample(4000, tf.constant([0, 1])).numpy())


@pytest.mark.parametrize("k", [0, 2])
def test_training_steps_update_every_network_and_report_finite_trackers(k):
    model = cyclegan(k)
    before = {role: [w.numpy().copy() for w in net.trainable_weights] for role, net in model.networks.items()}
    model.compile(d_optimizer=adam(2e-4, 0.5, False), g_optimizer=adam(2e-4, 0.5, False), steps_per_execution=10)
    history = model.fit(steps_dataset(), steps_per_epoch=20, epochs=1, verbose=0, shuffle=False)
    expected = {"d_loss", "g_loss", "adversarial", "cycle_x", "cycle_y", "identity", "d_y_real", "d_y_fake"}
    if k:
        expected |= {"latent_cycle", "latent_adversarial"}
    assert set(history.history) == expected
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    assert int(model.global_step.numpy()) == 20
    for role, net in model.networks.items():
        assert any(not np.array_equal(a, b.numpy()) for a, b in zip(before[role], net.trainable_weights)), role
    assert set(model.networks) == ({"translator", "translator_back", "critic_y", "critic_x"}
                                   | ({"encoder_y", "encoder_x", "latent_critic_y", "latent_critic_x"} if k else set()))


@pytest.mark.parametrize("kwargs, message", [
    (dict(translator_noise=-1), "translator noise must be an integer >= 0, got -1"),
    (dict(cycle_weight=-1.0), "cycle weight must be >= 0"),
])
def test_bad_arguments_are_refused(kwargs, message):
    source, target = targets.get_target("gaussian"), targets.get_target("eight_gaussians")
    with pytest.raises(UserError, match=message):
        CycleGAN(source=TargetSource(source), target=TargetSource(target), **{**networks(0), **kwargs})


def test_networks_that_do_not_fit_the_noise_are_refused():
    source, target = targets.get_target("gaussian"), targets.get_target("eight_gaussians")
    with pytest.raises(UserError, match="needs both encoders"):
        CycleGAN(source=TargetSource(source), target=TargetSource(target), translator_noise=2,
                 **{k: v for k, v in networks(2).items() if k != "encoder_x"})
    with pytest.raises(UserError, match="belong to translator noise k > 0"):
        CycleGAN(source=TargetSource(source), target=TargetSource(target), translator_noise=0, **networks(2))
    with pytest.raises(UserError, match="G must map 4 to 2 features, got 2 to 2"):
        CycleGAN(source=TargetSource(source), target=TargetSource(target), translator_noise=2,
                 **{**networks(2), "translator": networks(0)["translator"]})


def export(model, path):
    endpoints, tracked = model.export_endpoints(model.translator)
    config = {"model": "cyclegan", "source": "gaussian", "target": "eight_gaussians",
              "translator_noise": model.noise_dim}
    export_generator(model.translator, model.latent_prior, str(path), config, endpoints=endpoints, tracked=tracked)
    return str(path)


def test_a_deterministic_export_translates_both_ways_with_plain_saved_model_load(tmp_path):
    model, _ = trained(0)
    path = export(model, tmp_path / "k0")
    loaded = tf.saved_model.load(path)
    x = tf.constant(np.random.default_rng(0).normal(size=(7, 2)), tf.float32)
    y = loaded.translate(x=x)["y"].numpy()
    assert y.shape == (7, 2)
    np.testing.assert_allclose(y, model.translator(x).numpy(), rtol=1e-4, atol=1e-5)
    back = loaded.translate_back(y=tf.constant(y))["x"].numpy()
    np.testing.assert_allclose(back, model.translator_back(tf.constant(y)).numpy(), rtol=1e-4, atol=1e-5)
    cycle = loaded.cycle(x=x)
    np.testing.assert_allclose(cycle["x"].numpy(), back, rtol=1e-4, atol=1e-5)
    out = loaded.sample(num_samples=tf.constant(50), seed=tf.constant(3, tf.int64))
    assert out["x"].shape == (50, 2) and out["source"].shape == (50, 2) and out["z"].shape == (50, 0)
    np.testing.assert_allclose(out["x"].numpy(), loaded.translate(x=out["source"])["y"].numpy(), rtol=1e-4, atol=1e-5)
    assert json.loads(loaded.config().numpy())["translator_noise"] == 0
    # The input signature refuses images, a 3-D point and a seed the deterministic translator does not take.
    for bad in (tf.zeros([2, 28, 28, 1]), tf.zeros([2, 3])):
        with pytest.raises((TypeError, ValueError)):
            loaded.translate(x=bad)
    with pytest.raises((TypeError, ValueError)):
        loaded.translate(x=x, seed=tf.constant(0, tf.int64))
    assert load_export(path)[1]["model"] == "cyclegan"  # the package's loader takes it too
    # The report of a deterministic export: its draws are the source's with the report's own seed.
    source = targets.get_target("gaussian")
    report = translation_report(loaded, source, targets.get_target("eight_gaussians"), 200)
    drawn = source.sample(200, seed=tf.constant([0, 0xC1C]))
    expected = np.mean(np.linalg.norm(loaded.cycle(x=drawn)["x"].numpy() - drawn.numpy(), axis=1))
    assert report["cycle_x"] == pytest.approx(expected, rel=1e-4)
    assert report["cycle_x_fresh_noise"] == pytest.approx(report["cycle_x"], rel=1e-4)  # no noise to refresh at k = 0
    assert sum(report["transport"]["counts"][0]) == 200 and len(report["steganography"]["noisy"]) == 5


def test_a_noisy_export_takes_a_seed_and_its_cycle_closes_through_the_encoder(tmp_path):
    model, _ = trained(2)
    path = export(model, tmp_path / "k2")
    loaded = tf.saved_model.load(path)
    x = tf.constant(np.random.default_rng(0).normal(size=(64, 2)), tf.float32)
    first = loaded.translate(x=x, seed=tf.constant(1, tf.int64))["y"].numpy()
    again = loaded.translate(x=x, seed=tf.constant(1, tf.int64))["y"].numpy()
    other = loaded.translate(x=x, seed=tf.constant(2, tf.int64))["y"].numpy()
    np.testing.assert_array_equal(first, again)
    assert not np.allclose(first, other)  # the noise reaches G
    with pytest.raises((TypeError, ValueError)):
        loaded.translate(x=x)  # k > 0: the seed is required
    cycle = loaded.cycle(x=x, seed=tf.constant(1, tf.int64))
    np.testing.assert_array_equal(cycle["y"].numpy(), first)
    encoded = model.encoder_x(tf.concat([x, tf.constant(first)], axis=1))
    expected = model.translator_back(tf.concat([tf.constant(first), encoded], axis=1)).numpy()
    np.testing.assert_allclose(cycle["x"].numpy(), expected, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(loaded.return_trip(x=x, y=tf.constant(first))["x"].numpy(), expected, rtol=1e-4, atol=1e-5)
    out = loaded.sample(num_samples=tf.constant(10), seed=tf.constant(0, tf.int64))
    assert out["z"].shape == (10, 2)
    np.testing.assert_allclose(
        out["x"].numpy(), loaded.generate(z=tf.concat([out["source"], out["z"]], axis=1))["x"].numpy(), rtol=1e-4, atol=1e-5
    )


# ------------------------------------------------------------------ digit domains


def digit_cyclegan(k):
    """An untrained CycleGAN between random 'digit' domains, with the convolutional networks."""
    rng = np.random.default_rng(0)
    x, y = (rng.integers(0, 256, (20, 28, 28), dtype=np.uint8) for _ in range(2))
    nets = dict(translator=digit_translator.resnet_translator(1 + k, name="G"),
                translator_back=digit_translator.resnet_translator(1 + k, name="F"),
                critic_y=digit_translator.patch_critic(name="D_Y"), critic_x=digit_translator.patch_critic(name="D_X"))
    if k:
        nets.update(encoder_y=digit_translator.digit_encoder(2, k, name="E_y"),
                    encoder_x=digit_translator.digit_encoder(2, k, name="E_x"),
                    latent_critic_y=mlp.mlp_discriminator(k, WIDTH, 1, name="D_zy"),
                    latent_critic_x=mlp.mlp_discriminator(k, WIDTH, 1, name="D_zx"))
    return CycleGAN(source=TargetSource(DigitDomain("mnist", x)), target=TargetSource(DigitDomain("mnist_rot", y)),
                    translator_noise=k, batch_size=4, num_fixed=6, **nets)


def test_a_digit_domain_draws_its_own_digits_in_the_unit_range():
    images = np.stack([np.full((28, 28), v, np.uint8) for v in (0, 255, 51)])
    domain = DigitDomain("mnist", images)
    draws = domain.sample(300, seed=tf.constant([0, 1])).numpy()
    assert draws.shape == (300, 28, 28, 1) and domain.shape == (28, 28, 1)
    assert np.unique(draws).tolist() == pytest.approx([-1.0, -0.6, 1.0])  # every digit, nothing else


def test_image_noise_is_k_constant_channels_and_splits_back_off():
    x = tf.random.normal([3, 28, 28, 1], seed=1)
    z = tf.constant([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    joined = concat_noise(x, z)
    assert joined.shape == (3, 28, 28, 3)
    assert np.array_equal(joined[:, 5, 9, 1:].numpy(), z.numpy()) and np.array_equal(joined[..., :1].numpy(), x.numpy())
    image, noise_back = split_noise(joined, 1)
    assert np.array_equal(image.numpy(), x.numpy()) and np.array_equal(noise_back.numpy(), z.numpy())
    assert SourceWithNoise(DigitDomain("mnist", np.zeros((2, 28, 28), np.uint8)), 2).event_shape == [28, 28, 3]


def test_an_identity_loss_between_points_and_digits_is_refused():
    with pytest.raises(UserError, match=r"the identity loss needs domains of one shape; source is \(2,\), target \(28, 28, 1\)"):
        CycleGAN(translator=mlp.mlp_generator(2, 1, WIDTH, 1), translator_back=mlp.mlp_generator(1, 2, WIDTH, 1),
                 critic_y=digit_translator.patch_critic(), critic_x=mlp.mlp_discriminator(2, WIDTH, 1),
                 source=TargetSource(targets.get_target("gaussian")),
                 target=TargetSource(DigitDomain("mnist", np.zeros((2, 28, 28), np.uint8))), num_fixed=2)


@pytest.mark.slow
def test_an_augmented_digit_translators_export_takes_images_and_a_seed(tmp_path):
    """Its training runs end to end in `tests/experiments` (a short --translator-noise 1 run from train.py)."""
    model = digit_cyclegan(2)
    loaded = tf.saved_model.load(export(model, tmp_path / "digits_k2"))
    x = tf.random.uniform([5, 28, 28, 1], -1, 1, seed=2)
    first = loaded.translate(x=x, seed=tf.constant(1, tf.int64))["y"].numpy()
    assert first.shape == (5, 28, 28, 1)
    assert not np.allclose(first, loaded.translate(x=x, seed=tf.constant(2, tf.int64))["y"].numpy())  # noise reaches G
    assert loaded.cycle_back(y=x, seed=tf.constant(1, tf.int64))["y"].shape == (5, 28, 28, 1)
    out = loaded.sample(num_samples=tf.constant(4), seed=tf.constant(0, tf.int64))
    assert out["z"].shape == (4, 2) and out["source"].shape == (4, 28, 28, 1)
    np.testing.assert_allclose(out["x"].numpy(), loaded.generate(z=concat_noise(out["source"], out["z"]))["x"].numpy(),
                               rtol=1e-4, atol=1e-5)
    with pytest.raises((TypeError, ValueError)):
        loaded.translate(x=tf.zeros([5, 2]), seed=tf.constant(1, tf.int64))
