"""The VAE: its bounds against closed forms, its training step, and the GAN attributes it carries."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf
import tensorflow_probability as tfp
from scipy import stats

from keras_gan_latent.data.targets import get_target
from keras_gan_latent.errors import UserError
from keras_gan_latent.models import vae_networks
from keras_gan_latent.models.gan import DatasetSource, TargetSource
from keras_gan_latent.models.vae import VAE, gaussian_kl, gaussian_log_scale
from keras_gan_latent.training.export import export_generator, load_export, sample_export
from keras_gan_latent.training.loop import steps_dataset
from keras_gan_latent.viz.views import generate_in_batches


def _toy_vae(init=0, latent_dim=2, width=16, depth=2, **kwargs):
    """A tiny Gaussian VAE on the 2-D Gaussian target; `init` seeds its initial weights (and `seed`, unless given)."""
    keras.utils.set_random_seed(init)
    return VAE(
        vae_networks.mlp_encoder(2, latent_dim, width, depth),
        vae_networks.mlp_decoder(latent_dim, 2, width, depth),
        TargetSource(get_target("gaussian")),
        "gaussian",
        **{"batch_size": 64, "num_fixed_latents": 100, "seed": init, **kwargs},
    )


def _digit_vae(latent_dim=3, **kwargs):
    keras.utils.set_random_seed(0)
    return VAE(
        vae_networks.conv_encoder(latent_dim),
        vae_networks.conv_decoder(latent_dim),
        DatasetSource(),
        "bernoulli",
        **{"batch_size": 8, "num_fixed_latents": 30, **kwargs},
    )


def _images(n, seed=0):
    """Grey images in [-1, 1] with some pixels exactly at -1 and 1."""
    rng = np.random.default_rng(seed)
    return np.clip(rng.normal(0.0, 1.0, size=(n, 28, 28, 1)), -1.0, 1.0).astype("float32")


def _train(model, steps, steps_per_execution=1, jit_compile=False, dataset=None):
    model.compile(keras.optimizers.Adam(1e-3), steps_per_execution=steps_per_execution, jit_compile=jit_compile)
    dataset = steps_dataset() if dataset is None else dataset
    return model.fit(dataset.take(steps), steps_per_epoch=steps, verbose=0, shuffle=False).history


# A linear-Gaussian model, p(z) = N(0, I_2), p(x|z) = N(W z + b, sigma^2 I_3),
# whose exact posterior is a diagonal Gaussian because W's columns are
# orthogonal: q(z|x) = N(A x + c, diag(post_var)).
LINEAR_SIGMA = 0.5
LINEAR_MIN_SCALE = 1e-3


def _linear_gaussian():
    rng = np.random.default_rng(0)
    q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
    w = q[:, :2] * np.array([1.5, 0.7])
    b = np.array([0.3, -0.2, 0.1])
    post_var = 1.0 / (1.0 + np.sum(w**2, axis=0) / LINEAR_SIGMA**2)
    a = post_var[:, None] * w.T / LINEAR_SIGMA**2
    return w, b, a, -a @ b, post_var


def _dense_network(in_dim, kernel, bias, name):
    x = keras.Input(shape=(in_dim,))
    layer = keras.layers.Dense(kernel.shape[1], dtype="float32")
    model = keras.Model(x, layer(x), name=name)
    layer.set_weights([kernel.astype("float32"), bias.astype("float32")])
    return model


def _linear_vae(mean_shift=0.0, log_var=None):
    """The linear-Gaussian model as a VAE; its encoder is the exact posterior unless shifted."""
    w, b, a, c, post_var = _linear_gaussian()
    log_var = np.log(post_var) if log_var is None else np.asarray(log_var, np.float64)
    encoder = _dense_network(
        3, np.concatenate([a.T, np.zeros((3, 2))], 1), np.concatenate([c + mean_shift, log_var]), "encoder"
    )
    raw = math.log(LINEAR_SIGMA - LINEAR_MIN_SCALE)  # the scale is min_scale + exp(raw)
    decoder = _dense_network(
        2, np.concatenate([w.T, np.zeros((2, 3))], 1), np.concatenate([b, np.full(3, raw)]), "decoder"
    )
    return VAE(encoder, decoder, DatasetSource(), "gaussian", num_fixed_latents=10, min_scale=LINEAR_MIN_SCALE)


def _linear_data(n):
    """Samples of the linear model's marginal N(b, W W^T + sigma^2 I) and their exact log-density."""
    w, b, *_ = _linear_gaussian()
    marginal = stats.multivariate_normal(b, w @ w.T + LINEAR_SIGMA**2 * np.eye(3))
    x = marginal.rvs(size=n, random_state=1).astype("float32")
    return x, marginal.logpdf(x)


@pytest.fixture(scope="module")
def toy_vae():
    return _toy_vae(latent_dim=3)


@pytest.fixture(scope="module")
def digit_vae():
    return _digit_vae()


def test_toy_outputs_have_the_documented_shapes(toy_vae):
    vae, n = toy_vae, 7
    x = get_target("gaussian").sample(n, seed=tf.constant([0, 1]))
    mean, log_var = vae.encode(x)
    assert mean.shape == log_var.shape == (n, 3) and vae.latent_dim == 3 and vae.data_shape == (2,)
    params = vae.decode(mean)
    assert params.shape == (n, 4) and params.dtype == tf.float32
    assert vae.log_likelihood(x, params).shape == (n,)
    assert vae.elbo(x, [0, 2]).shape == (n,) and vae.elbo(x, [0, 2]).dtype == tf.float32
    assert vae.iwae_bound(x, 5, [0, 3]).shape == (n,)
    assert vae(x).shape == (n, 2)
    for noisy in (False, True):
        z, samples = vae.sample(11, [0, 4], noisy=noisy)
        assert z.shape == (11, 3) and samples.shape == (11, 2)
    assert vae.fixed_latents.shape == (100, 3) and vae.kl_per_unit.shape == (3,)
    assert vae.latent_prior.event_shape == [3] and vae.global_step.dtype == tf.int64
    assert generate_in_batches(vae.generator, vae.fixed_latents, batch_size=40).shape == (100, 2)
    assert set(vae.networks) == {"encoder", "decoder"} and vae.networks["decoder"] is vae.decoder
    assert [m.name for m in vae.metrics] == ["loss", "reconstruction", "kl", "elbo"]


def test_digit_outputs_have_the_documented_shapes(digit_vae):
    vae, n = digit_vae, 5
    x = _images(n)
    mean, log_var = vae.encode(x)
    assert mean.shape == log_var.shape == (n, 3) and vae.data_shape == (28, 28, 1)
    assert vae.decode(mean).shape == (n, 28, 28, 1)
    assert vae.log_likelihood(x, vae.decode(mean)).shape == (n,)
    assert vae.elbo(x, [1, 2]).shape == (n,) and vae.iwae_bound(x, 3, [1, 3]).shape == (n,)
    assert vae(x).shape == (n, 28, 28, 1)
    for noisy in (False, True):
        z, samples = vae.sample(4, [1, 4], noisy=noisy)
        assert z.shape == (4, 3) and samples.shape == (4, 28, 28, 1)
    assert vae.generator.output_shape == (None, 28, 28, 1)
    encoder, decoder = vae_networks.conv_encoder(3), vae_networks.conv_decoder(3)
    assert encoder.output_shape == (None, 6) and decoder.output_shape == (None, 28, 28, 1)
    assert vae_networks.mlp_decoder(3, 5).output_shape == (None, 10)


def test_kl_matches_the_closed_form_of_diagonal_gaussians():
    rng = np.random.default_rng(0)
    mean = rng.normal(0.0, 2.0, size=(50, 6))
    log_var = rng.normal(0.0, 1.5, size=(50, 6))
    var = np.exp(log_var)
    # KL(N(m, s^2) || N(0, 1)) = log(1 / s) + (s^2 + m^2) / 2 - 1/2, per unit.
    expected = -0.5 * log_var + 0.5 * (var + mean**2) - 0.5
    kl = gaussian_kl(mean.astype("float32"), log_var.astype("float32")).numpy()
    np.testing.assert_allclose(kl, expected, rtol=1e-5, atol=1e-6)
    tfd = tfp.distributions
    posterior = tfd.MultivariateNormalDiag(loc=mean, scale_diag=np.sqrt(var))
    total = tfd.kl_divergence(posterior, tfd.MultivariateNormalDiag(loc=np.zeros(6))).numpy()
    np.testing.assert_allclose(kl.sum(axis=1), total, rtol=1e-5)


def test_log_likelihoods_match_scipy_and_the_scale_floor_holds(toy_vae, digit_vae):
    rng = np.random.default_rng(1)
    x = rng.normal(size=(20, 2)).astype("float32")
    loc = rng.normal(size=(20, 2)).astype("float32")
    raw = rng.uniform(-3.0, 2.0, size=(20, 2)).astype("float32")
    params = np.concatenate([loc, raw], axis=1)
    scale = np.exp(gaussian_log_scale(raw, toy_vae.min_scale).numpy())
    expected = stats.norm.logpdf(x, loc, scale).sum(axis=1)
    np.testing.assert_allclose(toy_vae.log_likelihood(x, params).numpy(), expected, rtol=1e-5, atol=1e-5)
    # The scale is min_scale + exp(raw): the raw output is the log-scale above the floor.
    raw = np.float32([3.0, 0.0, -2.0, -6.0, -9.0])
    scale = np.exp(gaussian_log_scale(raw, 1e-3).numpy())
    np.testing.assert_allclose(scale, 1e-3 + np.exp(raw.astype(np.float64)), rtol=1e-5)
    floored = np.exp(gaussian_log_scale(np.float32([-50.0, -1e4]), 1e-3).numpy())
    np.testing.assert_allclose(floored, 1e-3, rtol=1e-6)  # the floor, to float32 rounding
    best = toy_vae.log_likelihood(np.zeros((1, 2), "float32"), np.float32([[0.0, 0.0, -1e4, -1e4]])).numpy()
    np.testing.assert_allclose(best, 2 * (-math.log(1e-3) - 0.5 * math.log(2 * math.pi)), rtol=1e-5)

    images = _images(3)
    logits = rng.normal(0.0, 3.0, size=(3, 28, 28, 1)).astype("float32")
    t = (images.astype(np.float64) + 1.0) / 2.0
    p = 1.0 / (1.0 + np.exp(-logits.astype(np.float64)))
    expected = (t * np.log(p) + (1.0 - t) * np.log1p(-p)).sum(axis=(1, 2, 3))
    np.testing.assert_allclose(digit_vae.log_likelihood(images, logits).numpy(), expected, rtol=1e-5)


def test_linear_gaussian_bounds_equal_the_exact_log_evidence():
    vae = _linear_vae()
    x, log_px = _linear_data(2000)
    # With the exact posterior every importance weight p(x, z) / q(z|x) is p(x):
    # the bound is log p(x) for each example and any number of samples.
    for k in (1, 7):
        np.testing.assert_allclose(vae.iwae_bound(x, k, [2, k]).numpy(), log_px, rtol=1e-5, atol=1e-4)
    # The ELBO's expectation over z is log p(x); the one-sample estimates scatter around it.
    gap = vae.elbo(x, [3, 0]).numpy() - log_px
    assert abs(gap.mean()) < 4 * gap.std() / math.sqrt(len(gap)) + 1e-3, (gap.mean(), gap.std())


def test_elbo_of_a_point_posterior_is_the_likelihood_at_its_mean_minus_the_kl():
    w, b, a, c, _ = _linear_gaussian()
    log_var = np.full(2, -30.0)  # q(z|x) is a point at A x + c, up to e^-15
    vae = _linear_vae(log_var=log_var)
    x, _ = _linear_data(50)
    mean = x.astype(np.float64) @ a.T + c
    reconstruction = stats.norm.logpdf(x, mean @ w.T + b, LINEAR_SIGMA).sum(axis=1)
    kl = (0.5 * (mean**2 + np.exp(log_var) - 1.0 - log_var)).sum(axis=1)
    np.testing.assert_allclose(vae.elbo(x, [4, 0]).numpy(), reconstruction - kl, rtol=1e-5, atol=1e-4)


def test_iwae_bound_rises_from_the_elbo_towards_the_log_evidence_with_k():
    # A posterior shifted off the exact one: the ELBO is about 1.6 nats below
    # log p(x); the bound closes about 1.2 of them at K = 10 and 0.3 more at
    # K = 100, far beyond the standard errors of the means (0.06 at most).
    vae = _linear_vae(mean_shift=0.5)
    x, log_px = _linear_data(2000)
    elbo = vae.elbo(x, [5, 0]).numpy()
    bounds = {k: vae.iwae_bound(x, k, [5, k]).numpy() for k in (1, 10, 100)}

    def stderr(values):
        return values.std() / math.sqrt(len(values))

    assert bounds[1].mean() > elbo.mean() - 4 * stderr(bounds[1] - elbo)
    assert bounds[10].mean() > bounds[1].mean() + 0.6
    assert bounds[100].mean() > bounds[10].mean() + 0.1
    assert bounds[10].mean() > elbo.mean() + 0.6
    assert bounds[100].mean() < log_px.mean() + 4 * stderr(bounds[100] - log_px)


def test_iwae_bound_does_not_depend_on_the_chunk_size(toy_vae):
    x = get_target("gaussian").sample(12, seed=tf.constant([0, 5]))
    whole = toy_vae.iwae_bound(x, 13, [6, 0]).numpy()
    for chunk_size in (1, 7, 64):
        chunked = toy_vae.iwae_bound(x, 13, [6, 0], chunk_size=chunk_size).numpy()
        np.testing.assert_allclose(chunked, whole, rtol=1e-5, atol=1e-5)
    assert not np.allclose(toy_vae.iwae_bound(x, 13, [6, 1]).numpy(), whole)


def test_training_on_the_gaussian_target_raises_the_elbo():
    vae = _toy_vae(init=1, width=32, batch_size=128)
    x = get_target("gaussian").sample(2000, seed=tf.constant([9, 9]))
    before = float(vae.elbo(x, [7, 0]).numpy().mean())
    history = _train(vae, 300, steps_per_execution=50, jit_compile=True)
    after = float(vae.elbo(x, [7, 0]).numpy().mean())
    assert int(vae.global_step.numpy()) == 300 and int(vae.optimizer.iterations.numpy()) == 300
    assert all(np.isfinite(v[-1]) for v in history.values())
    # log p(x) of N(0, I_2) averages -(1 + log 2 pi) = -2.84 nats, the most an
    # ELBO can reach; the untrained model sits a few tenths of a nat below, and
    # 300 steps bring it to within a few hundredths.
    assert after > before + 0.1, (before, after)
    assert after > -2.84 - 0.1, after
    assert history["elbo"][-1] > -2.84 - 0.15


def test_same_seed_gives_the_same_weights():
    def trained_weights(seed):
        vae = _toy_vae(init=0, seed=seed)  # the same initial weights
        _train(vae, 20, steps_per_execution=10)
        return [w.numpy() for w in vae.encoder.weights + vae.decoder.weights]

    first, again, other = trained_weights(3), trained_weights(3), trained_weights(4)
    for a, b in zip(first, again):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    assert any(not np.allclose(a, b) for a, b in zip(first, other))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"beta": 0.0}, "beta must be a finite number > 0"),
        ({"beta": -1.0}, "beta must be a finite number > 0"),
        ({"beta": float("nan")}, "beta must be a finite number > 0"),
        ({"beta": float("inf")}, "beta must be a finite number > 0"),
        ({"beta": "1"}, "beta must be a finite number > 0"),
        ({"min_scale": 0.0}, "min_scale must be a finite number > 0"),
        ({"likelihood": "poisson"}, "valid likelihoods: gaussian, bernoulli"),
        ({"likelihood": "bernoulli"}, "encoder takes data of shape"),
    ],
)
def test_bad_input_raises_one_line_user_error(kwargs, message):
    settings = {"likelihood": "gaussian", **kwargs}
    encoder, decoder = vae_networks.mlp_encoder(2, 2, 8, 1), vae_networks.mlp_decoder(2, 2, 8, 1)
    with pytest.raises(UserError, match=message) as info:
        VAE(encoder, decoder, DatasetSource(), **settings)
    assert "\n" not in str(info.value)


def test_mismatched_networks_raise_user_error():
    with pytest.raises(UserError, match="decoder takes latents of dim 3"):
        VAE(vae_networks.mlp_encoder(2, 2, 8, 1), vae_networks.mlp_decoder(3, 2, 8, 1), DatasetSource(), "gaussian")
    with pytest.raises(UserError, match="encoder takes data of shape"):
        VAE(vae_networks.mlp_encoder(3, 2, 8, 1), vae_networks.mlp_decoder(2, 2, 8, 1), DatasetSource(), "gaussian")


def test_generator_is_the_decoder_mean_on_the_decoders_weights(toy_vae, digit_vae):
    z = toy_vae.latent_prior.sample(9, seed=tf.constant([8, 0]))
    np.testing.assert_allclose(toy_vae.generator(z).numpy(), toy_vae.decode(z).numpy()[:, :2], rtol=1e-6, atol=1e-6)
    for vae in (toy_vae, digit_vae):
        assert [id(w) for w in vae.generator.weights] == [id(w) for w in vae.decoder.weights]

    z = tf.random.stateless_normal([6, 3], seed=[8, 1], stddev=3.0)
    images = digit_vae.generator(z).numpy()
    np.testing.assert_allclose(images, 2.0 / (1.0 + np.exp(-digit_vae.decode(z).numpy())) - 1.0, rtol=1e-5, atol=1e-6)
    assert images.min() >= -1.0 and images.max() <= 1.0
    # Large logits saturate at the ends of [-1, 1], as a tanh image would.
    logits = digit_vae.decoder.get_layer("logits")
    kernel, bias = logits.get_weights()
    try:
        logits.set_weights([kernel, bias + 50.0])
        np.testing.assert_array_equal(digit_vae.generator(z).numpy(), 1.0)
    finally:
        logits.set_weights([kernel, bias])


def test_samples_follow_the_prior_and_the_decoder(toy_vae, digit_vae):
    z, mean = toy_vae.sample(4000, [9, 0])
    np.testing.assert_array_equal(z.numpy(), toy_vae.latent_prior.sample(4000, seed=tf.constant([9, 0])).numpy())
    np.testing.assert_allclose(mean.numpy(), toy_vae.generator(z).numpy(), rtol=1e-6, atol=1e-6)
    z_noisy, noisy = toy_vae.sample(4000, [9, 0], noisy=True)
    np.testing.assert_array_equal(z_noisy.numpy(), z.numpy())
    np.testing.assert_array_equal(noisy.numpy(), toy_vae.sample(4000, [9, 0], noisy=True)[1].numpy())
    scale = np.exp(gaussian_log_scale(toy_vae.decode(z).numpy()[:, 2:], toy_vae.min_scale).numpy())
    standardised = (noisy.numpy() - mean.numpy()) / scale
    assert abs(standardised.mean()) < 0.1 and abs(standardised.std() - 1.0) < 0.05

    _, image_mean = digit_vae.sample(64, [9, 1])
    _, pixels = digit_vae.sample(64, [9, 1], noisy=True)
    assert set(np.unique(pixels.numpy())) <= {-1.0, 1.0}
    assert abs(pixels.numpy().mean() - image_mean.numpy().mean()) < 0.02


def test_trackers_and_kl_per_unit_describe_the_batch():
    vae = _toy_vae(init=2, latent_dim=4, beta=0.5)
    history = _train(vae, 1)
    kl, reconstruction = history["kl"][-1], history["reconstruction"][-1]
    assert vae.kl_per_unit.shape == (4,) and np.all(vae.kl_per_unit.numpy() >= 0.0)
    np.testing.assert_allclose(vae.kl_per_unit.numpy().sum(), kl, rtol=1e-5)
    np.testing.assert_allclose(history["elbo"][-1], -(reconstruction + kl), rtol=1e-5)
    np.testing.assert_allclose(history["loss"][-1], reconstruction + 0.5 * kl, rtol=1e-5)


def test_digit_vae_trains_on_fed_images_and_under_a_strategy():
    images = tf.data.Dataset.from_tensors(_images(8)).repeat()
    vae = _digit_vae()
    history = _train(vae, 2, dataset=images)
    assert int(vae.global_step.numpy()) == 2 and all(np.isfinite(v[-1]) for v in history.values())

    strategy = tf.distribute.MirroredStrategy(["/cpu:0"])
    with strategy.scope():
        vae = _toy_vae(init=3)
        _train(vae, 3)
    assert int(vae.global_step.numpy()) == 3
    assert np.all(np.isfinite(vae.kl_per_unit.numpy()))


def test_generator_exports_like_a_gans(toy_vae, tmp_path):
    path = export_generator(toy_vae.generator, toy_vae.latent_prior, str(tmp_path / "generator"), {"model": "vae"})
    sampler, config = load_export(path)
    assert config == {"model": "vae"}
    seed_pair = tf.bitcast(tf.constant(3, tf.int64), tf.int32)
    _, expected = toy_vae.sample(10, seed_pair)
    np.testing.assert_allclose(sample_export(sampler, 10, seed=3), expected.numpy(), rtol=1e-5, atol=1e-6)
