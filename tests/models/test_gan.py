"""The GAN model: a short run on the ring measurably moves samples toward the target."""

import numpy as np
import pytest
import tensorflow as tf

from keras_gan_latent.experiments.config import TrainConfig
from keras_gan_latent.experiments import build_setup
from keras_gan_latent.training.loop import plan_segments


def _mean_log_prob(setup):
    samples = setup.view.fixed_samples(setup.model)
    return float(setup.view.target.log_prob(samples).numpy().mean())


def _compile(model, config, steps_per_execution=50):
    import keras

    model.compile(
        keras.optimizers.Adam(config.lr_d, beta_1=config.beta1_d),
        keras.optimizers.Adam(config.lr_g, beta_1=config.beta1_g),
        steps_per_execution=steps_per_execution,
    )


def test_short_run_raises_mean_target_log_likelihood():
    setup = build_setup(TrainConfig(target="eight_gaussians", latent_dim=2, seed=1, num_fixed_latents=2000))
    before = _mean_log_prob(setup)
    _compile(setup.model, setup.config)
    setup.model.fit(setup.make_dataset(0).take(400), steps_per_epoch=400, verbose=0, shuffle=False)
    after = _mean_log_prob(setup)
    assert int(setup.model.global_step.numpy()) == 400
    # The untrained generator puts its mass near the origin, where the ring's
    # density is ~e^-45; 400 steps bring samples onto the ring.
    assert after > before + 20, (before, after)
    assert after > -6.0


@pytest.mark.parametrize("loss", ["minimax", "non_saturating"])
def test_d_steps_and_losses_count_generator_steps(loss):
    setup = build_setup(TrainConfig(target="spiral", latent_dim=3, d_steps=3, loss=loss, batch_size=64, num_fixed_latents=100))
    d_before = [w.numpy().copy() for w in setup.model.discriminator.trainable_weights]
    _compile(setup.model, setup.config, steps_per_execution=5)
    history = setup.model.fit(setup.make_dataset(0).take(10), steps_per_epoch=10, verbose=0, shuffle=False)
    assert int(setup.model.global_step.numpy()) == 10  # generator steps, not D steps
    assert int(setup.model.d_optimizer.iterations.numpy()) == 30  # k = 3 D steps each
    assert int(setup.model.g_optimizer.iterations.numpy()) == 10
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    assert any(not np.allclose(a, w.numpy()) for a, w in zip(d_before, setup.model.discriminator.trainable_weights))


def test_default_prior_follows_the_article():
    assert build_setup(TrainConfig(target="gaussian", latent_dim=1, num_fixed_latents=10)).model.latent_prior.event_shape == [1]
    config = TrainConfig(target="gaussian", latent_dim=2, num_fixed_latents=500)
    setup = build_setup(config)
    assert setup.config.prior == "uniform" and config.prior is None  # resolved into a new config
    z = setup.model.fixed_latents.numpy()
    assert z.min() >= 0.0 and z.max() < 1.0
    assert build_setup(TrainConfig(target="eight_gaussians", latent_dim=2, num_fixed_latents=500)).config.prior == "normal"


def test_plan_segments_keeps_frames_on_execution_boundaries():
    assert plan_segments(30000, 100) == [(30000, 100)]
    assert plan_segments(30000, 100, animate_steps=600, animate_every=1) == [(600, 1), (29400, 100)]
    assert plan_segments(30000, 100, animate_steps=30000, animate_every=50) == [(30000, 50)]
    assert plan_segments(300, 100, animate_steps=600, animate_every=1) == [(300, 1)]


def test_train_step_is_algorithm_1_written_out():
    # Pins the unconditional step: the seeds it takes from the model's random
    # generator (how many, in which order, for what), the losses and the
    # updates, against Algorithm 1 written out eagerly on copies of the networks.
    # Plain SGD, whose updates are proportional to the gradients (Adam's first
    # steps are about lr * sign(gradient), which would hide a wrong gradient).
    import keras

    config = TrainConfig(target="spiral", latent_dim=2, d_steps=2, batch_size=16, g_width=8, g_depth=1,
                         d_width=8, d_depth=1, num_fixed_latents=10, seed=7)
    setup = build_setup(config)
    model, config = setup.model, setup.config
    assert model.networks == {"generator": model.generator, "discriminator": model.discriminator}
    assert model.fixed_labels is None and not model.conditional
    g, d = (keras.models.clone_model(net) for net in (model.generator, model.discriminator))
    g.set_weights(model.generator.get_weights())
    d.set_weights(model.discriminator.get_weights())
    noise = tf.random.Generator.from_state(model.noise.state.numpy(), model.noise.algorithm)
    model.compile(keras.optimizers.SGD(0.5), keras.optimizers.SGD(0.5), steps_per_execution=2)
    history = model.fit(setup.make_dataset(0).take(2), steps_per_epoch=2, verbose=0, shuffle=False)

    d_opt, g_opt = keras.optimizers.SGD(0.5), keras.optimizers.SGD(0.5)
    softplus_mean = lambda t: tf.reduce_mean(tf.nn.softplus(t))  # noqa: E731
    losses = []
    for _ in range(2):
        seeds = tf.cast(noise.make_seeds(2 * 2 + 1), tf.int32)
        for i in range(2):
            real = setup.view.target.sample(8, seed=seeds[:, 2 * i])
            fake = g(model.latent_prior.sample(8, seed=seeds[:, 2 * i + 1]), training=True)
            with tf.GradientTape() as tape:
                logits = d(tf.concat([real, fake], axis=0), training=True)
                d_loss = softplus_mean(-logits[:8]) + softplus_mean(logits[8:])
            d_opt.apply_gradients(zip(tape.gradient(d_loss, d.trainable_weights), d.trainable_weights))
        z = model.latent_prior.sample(16, seed=seeds[:, 4])
        with tf.GradientTape() as tape:
            g_loss = softplus_mean(-d(g(z, training=True), training=True))
        g_opt.apply_gradients(zip(tape.gradient(g_loss, g.trainable_weights), g.trainable_weights))
        losses.append((float(d_loss), float(g_loss)))

    np.testing.assert_array_equal(model.noise.state.numpy(), noise.state.numpy())
    for ours, written_out in zip(model.generator.weights + model.discriminator.weights, g.weights + d.weights):
        np.testing.assert_allclose(ours.numpy(), written_out.numpy(), rtol=1e-5, atol=1e-5)
    # The trackers average the epoch's steps.
    assert history.history["d_loss"][-1] == pytest.approx(np.mean([l[0] for l in losses]), rel=1e-5)
    assert history.history["g_loss"][-1] == pytest.approx(np.mean([l[1] for l in losses]), rel=1e-5)


@pytest.mark.parametrize("options, message", [(dict(label_smoothing=1.0), r"label smoothing must be a number in \[0, 1\)"),
                                              (dict(label_smoothing=0.1, loss="hinge"), "not to hinge")])
def test_gan_refuses_bad_label_smoothing(options, message):
    from keras_gan_latent.errors import UserError

    with pytest.raises(UserError, match=message):
        _toy_gan(**options)


def test_train_step_uses_the_smoothed_loss():
    # A D that scores everything b (zero weights, output bias b): the plain real term is softplus(-b),
    # the smoothed one (1 - s) softplus(-b) + s softplus(b); the fake term is softplus(b) for both.
    # The output bias's gradient is -(1 - s) sigmoid(-b) + s sigmoid(b) on the real half plus sigmoid(b)
    # on the fake half, so one SGD step (lr 0.1) moves the two biases apart by 0.1 s (sigmoid(-b) + sigmoid(b)) = 0.1 s.
    s, b = 0.2, 0.5
    plain, smoothed = _toy_gan(), _toy_gan(label_smoothing=s)
    for model in (plain, smoothed):
        for weight in model.discriminator.trainable_weights:
            weight.assign(tf.zeros_like(weight))
        model.discriminator.trainable_weights[-1].assign(tf.fill(model.discriminator.trainable_weights[-1].shape, b))
    plain_history, history = _fit_sgd(plain, 1), _fit_sgd(smoothed, 1)
    softplus = lambda t: np.logaddexp(0.0, t)  # noqa: E731
    assert plain_history.history["d_loss"][-1] == pytest.approx(softplus(-b) + softplus(b), rel=1e-5)
    assert history.history["d_loss"][-1] == pytest.approx((1 - s) * softplus(-b) + s * softplus(b) + softplus(b), rel=1e-5)
    bias_plain = plain.discriminator.trainable_weights[-1].numpy()
    bias_smoothed = smoothed.discriminator.trainable_weights[-1].numpy()
    np.testing.assert_allclose(bias_plain - bias_smoothed, 0.1 * s, rtol=1e-4, atol=1e-6)


def _toy_gan(latent_dim=2, batch_size=16, seed=0, d_depth=1, **options):
    """A tiny MLP GAN on the ring (seeded), with `GAN` options such as loss, r1 or ema."""
    import keras

    from keras_gan_latent.data import priors, targets
    from keras_gan_latent.models import mlp
    from keras_gan_latent.models.gan import GAN, TargetSource

    keras.utils.set_random_seed(seed)
    return GAN(
        mlp.mlp_generator(latent_dim, 2, width=8, depth=1),
        mlp.mlp_discriminator(2, width=8, depth=d_depth),
        priors.latent_prior("normal", latent_dim),
        TargetSource(targets.get_target("eight_gaussians")),
        batch_size=batch_size,
        seed=seed,
        num_fixed_latents=10,
        **options,
    )


def _fit_sgd(model, steps, learning_rate=0.1, callbacks=()):
    """Trains `steps` steps with plain SGD (updates proportional to the gradients), one step per execution."""
    import keras

    from keras_gan_latent.training.loop import steps_dataset

    model.compile(keras.optimizers.SGD(learning_rate), keras.optimizers.SGD(learning_rate), steps_per_execution=1)
    return model.fit(steps_dataset().take(steps), steps_per_epoch=steps, verbose=0, shuffle=False,
                     callbacks=list(callbacks))


@pytest.mark.parametrize("loss, first_d_loss", [("hinge", 2.0), ("non_saturating", 2 * np.log(2.0))])
def test_train_step_gives_d_the_loss_it_is_asked_for(loss, first_d_loss):
    # A zero discriminator scores everything 0: hinge 1 + 1, the GAN paper's log 2 + log 2.
    model = _toy_gan(loss=loss)
    for weight in model.discriminator.trainable_weights:
        weight.assign(tf.zeros_like(weight))
    history = _fit_sgd(model, 1)
    assert history.history["d_loss"][-1] == pytest.approx(first_d_loss, rel=1e-5)
    assert np.isfinite(history.history["g_loss"][-1])


def test_r1_penalty_of_a_linear_discriminator_is_the_squared_weight_norm():
    # D(x) = w.x + b: grad_x D = w for every x, so the penalty is ||w||^2 and
    # its gradient gamma * w: one SGD step moves w by -lr * gamma * w beyond
    # the unpenalised step (same seeds, same samples), and leaves b alone.
    gamma, learning_rate = 10.0, 0.01
    plain, penalised = _toy_gan(d_depth=0), _toy_gan(d_depth=0, r1=gamma)
    w0, b0 = (v.numpy().copy() for v in penalised.discriminator.trainable_weights)
    np.testing.assert_array_equal(w0, plain.discriminator.trainable_weights[0].numpy())
    assert [m.name for m in plain.metrics] == ["d_loss", "g_loss", "d_real", "d_fake", "d_accuracy"]
    assert [m.name for m in penalised.metrics][-1] == "r1"
    plain_history = _fit_sgd(plain, 1, learning_rate)
    history = _fit_sgd(penalised, 1, learning_rate)
    assert "r1" not in plain_history.history
    assert history.history["r1"][-1] == pytest.approx(float(np.sum(w0**2)), rel=1e-5)
    assert history.history["d_loss"][-1] == pytest.approx(plain_history.history["d_loss"][-1], rel=1e-6)
    w_plain, b_plain = (v.numpy() for v in plain.discriminator.trainable_weights)
    w_pen, b_pen = (v.numpy() for v in penalised.discriminator.trainable_weights)
    np.testing.assert_allclose(w_pen - w_plain, -learning_rate * gamma * w0, rtol=1e-4, atol=1e-7)
    np.testing.assert_allclose(b_pen, b_plain, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize("r1", [-1.0, float("nan"), True])
def test_gan_refuses_a_bad_r1(r1):
    from keras_gan_latent.errors import UserError

    with pytest.raises(UserError, match="r1 must be a finite number >= 0"):
        _toy_gan(r1=r1)


def test_weight_average_is_exported_pictured_and_checkpointed(tmp_path):
    # A whole (tiny) run through the experiment, XLA on: the export, the view
    # and the resumable state all take the generator's weight average.
    import keras

    from keras_gan_latent import experiments
    from keras_gan_latent.training import checkpoints

    settings = dict(ema=0.9, r1=1.0, loss="hinge", steps=20, batch_size=32, g_width=16, d_width=16, g_depth=1,
                    d_depth=1, num_fixed_latents=200, scalar_every=10, image_every=10, checkpoint_every=10,
                    steps_per_execution=10, run_dir=str(tmp_path / "run"))
    config = TrainConfig(**settings)
    setup = experiments.prepare(config)
    experiments.train(config, verbose=0, setup=setup)
    model = setup.model
    assert setup.config.jit_compile and model.ema == 0.9 and model.r1 == 1.0
    average = model.generator_average
    z = tf.random.stateless_normal([64, 2], seed=[5, 6])
    sampler = tf.saved_model.load(setup.config.export_dir)  # kept: its variables live as long as it does
    exported = sampler.generate(z)["x"].numpy()
    np.testing.assert_allclose(exported, average(z).numpy(), rtol=1e-5, atol=1e-5)
    assert not np.allclose(exported, model.generator(z).numpy(), atol=1e-3)  # the average, not G
    np.testing.assert_allclose(setup.view.fixed_samples(model), average(model.fixed_latents).numpy(), rtol=1e-5, atol=1e-5)

    fresh = experiments.prepare(TrainConfig(**{**settings, "run_dir": str(tmp_path / "fresh")}))
    fresh.model.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    assert checkpoints.restore_latest(checkpoints.checkpoint_manager(fresh.model, setup.config.run_dir)) == 20
    for restored, trained in zip(fresh.model.generator_average.weights, average.weights):
        np.testing.assert_array_equal(restored.numpy(), trained.numpy(), err_msg=trained.path)


@pytest.mark.parametrize("ema", [1.0, -0.1, float("nan"), True])
def test_gan_refuses_an_ema_momentum_outside_0_1(ema):
    from keras_gan_latent.errors import UserError

    with pytest.raises(UserError, match=r"ema must be a number in \[0, 1\)"):
        _toy_gan(ema=ema)


# ------------------------------------------------------- fit, as keras-io users call it


def _small_gan(real_source=None, batch_size=128, seed=0, **options):
    import keras

    from keras_gan_latent.data import priors
    from keras_gan_latent.models import mlp
    from keras_gan_latent.models.gan import GAN

    keras.utils.set_random_seed(seed)
    gan = GAN(mlp.mlp_generator(2, 2, width=32, depth=2), mlp.mlp_discriminator(2, width=32, depth=2),
              priors.latent_prior("normal", 2), real_source, batch_size=batch_size, seed=seed, **options)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5), g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    return gan


def _ring_samples(n, seed=0):
    from keras_gan_latent.data import targets

    return targets.get_target("eight_gaussians").sample(n, seed=tf.constant([seed, 7])).numpy()


def test_fit_on_a_dataset_of_real_samples_for_epochs():
    """`gan.fit(dataset, epochs=...)`: the batches are the real samples, one step each, no Keras warning."""
    import warnings

    gan = _small_gan()
    dataset = tf.data.Dataset.from_tensor_slices(_ring_samples(1024)).shuffle(1024, seed=0).batch(gan.real_per_step)
    assert gan.real_per_step == 64
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        history = gan.fit(dataset, epochs=3, verbose=0)
    assert not [w for w in caught if "shuffle" in str(w.message)], [str(w.message) for w in caught]
    assert int(gan.global_step.numpy()) == 3 * 1024 // 64
    for name in ("d_loss", "g_loss", "d_real", "d_fake", "d_accuracy"):
        assert len(history.history[name]) == 3 and np.all(np.isfinite(history.history[name])), name


def test_fit_on_arrays_batches_them_by_the_real_samples_a_step_takes():
    gan = _small_gan()
    history = gan.fit(_ring_samples(640), epochs=2, verbose=0)
    assert int(gan.global_step.numpy()) == 2 * 640 // 64
    assert np.all(np.isfinite(history.history["d_loss"]))


def test_fed_real_samples_are_what_d_sees():
    """D's real half is the fed batch: fed points far off the ring, D learns to call them real there."""
    gan = _small_gan()
    far = np.full((640, 2), 8.0, np.float32)
    gan.fit(far, epochs=5, verbose=0)
    assert float(tf.sigmoid(gan.discriminator(far[:10])).numpy().mean()) > 0.9


@pytest.mark.parametrize("options", [dict(pack=2), dict(num_codes=3, info_weight=1.0)])
def test_the_levers_fit_on_real_samples_with_a_short_last_batch(options):
    """A packing or coded GAN fed data: 101 samples are a batch of 64 and one of 37 (a packing GAN uses 36)."""
    import keras

    from keras_gan_latent.data import priors
    from keras_gan_latent.models import mlp
    from keras_gan_latent.models.gan import GAN

    keras.utils.set_random_seed(0)
    codes = options.get("num_codes", 0)
    prior = priors.latent_prior("normal", 2)
    gan = GAN(mlp.mlp_generator(2 + codes, 2, width=32, depth=2),
              mlp.mlp_discriminator(2, width=32, depth=2, pack=options.get("pack", 1)),
              priors.coded_prior(prior, codes) if codes else prior, batch_size=128, seed=0, **options)
    gan.compile(d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5), g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5))
    history = gan.fit(_ring_samples(101), epochs=2, verbose=0)
    assert int(gan.global_step.numpy()) == 4
    for name, values in history.history.items():
        assert np.all(np.isfinite(values)), name


def test_fit_without_data_draws_from_the_target_source():
    from keras_gan_latent.data import targets
    from keras_gan_latent.models.gan import TargetSource

    gan = _small_gan(TargetSource(targets.get_target("eight_gaussians")))
    history = gan.fit(epochs=2, steps_per_epoch=10, verbose=0)
    assert int(gan.global_step.numpy()) == 20 and np.all(np.isfinite(history.history["g_loss"]))


@pytest.mark.parametrize("fit_args, source, message", [
    (dict(epochs=1), None, "this GAN's real samples are the data fit is fed: gan.fit(dataset, epochs=...)"),
    (dict(epochs=1), "target", "give steps_per_epoch, e.g. gan.fit(epochs=1, steps_per_epoch=1000)"),
])
def test_fit_without_data_is_refused_in_one_line(fit_args, source, message):
    from keras_gan_latent.data import targets
    from keras_gan_latent.errors import UserError
    from keras_gan_latent.models.gan import TargetSource

    gan = _small_gan(TargetSource(targets.get_target("eight_gaussians")) if source else None)
    with pytest.raises(UserError, match=message.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")):
        gan.fit(**fit_args)


# ------------------------------------------- the levers: packing and a latent code


def test_pack_samples_concatenates_consecutive_samples_along_the_feature_axis():
    from keras_gan_latent.models.gan import pack_samples

    x = tf.reshape(tf.range(12, dtype=tf.float32), [6, 2])
    np.testing.assert_array_equal(pack_samples(x, 3).numpy(), [[0, 1, 2, 3, 4, 5], [6, 7, 8, 9, 10, 11]])
    assert pack_samples(x, 1) is x
    images = tf.random.stateless_normal([4, 5, 5, 1], seed=[1, 2])
    packed = pack_samples(images, 2).numpy()
    assert packed.shape == (2, 5, 5, 2)
    for pack in range(2):
        for member in range(2):  # sample i of a pack in channel i
            np.testing.assert_array_equal(packed[pack, :, :, member], images.numpy()[2 * pack + member, :, :, 0])


def test_packing_d_judges_packs_of_m_samples_and_trains():
    setup = build_setup(TrainConfig(target="grid25", latent_dim=2, pack=4, batch_size=64, num_fixed_latents=100))
    model = setup.model
    assert model.discriminator.inputs[0].shape[-1] == 8  # 4 samples x 2 coordinates
    real, fake = tf.zeros([32, 2]), tf.ones([32, 2])
    real_logits, fake_logits, fake_q = model._discriminate(real, fake)
    assert real_logits.shape == (8, 1) and fake_logits.shape == (8, 1)  # batch/2/m packs each
    assert fake_q is None  # no code, no Q
    _compile(model, setup.config, steps_per_execution=5)
    history = model.fit(setup.make_dataset(0).take(10), steps_per_epoch=10, verbose=0, shuffle=False)
    assert int(model.global_step.numpy()) == 10
    assert all(np.isfinite(v[-1]) for v in history.history.values())
    # The view draws the frame but no D(x) heat map: D judges packs, not points.
    scalars, images, _ = setup.view.summaries(model, 10)
    assert "samples/frame" in images and "discriminator/heatmap" not in images
    assert not any(tag.startswith("optimal_discriminator/") for tag in scalars)


def test_pack_one_and_no_code_train_exactly_the_plain_gan():
    # The plain GAN built as before the levers (no new arguments), and through the
    # experiment with --pack 1 --latent-code 0: the same networks, random
    # streams and updates, so bit-identical weights and samples.
    import keras

    from keras_gan_latent.data import priors, targets
    from keras_gan_latent.models import mlp
    from keras_gan_latent.models.gan import GAN, TargetSource

    config = TrainConfig(target="grid25", latent_dim=2, pack=1, latent_code=0, batch_size=64, num_fixed_latents=200,
                         seed=4).resolved()
    setup = build_setup(config)
    keras.utils.set_random_seed(4)
    plain = GAN(mlp.mlp_generator(2, 2), mlp.mlp_discriminator(2), priors.latent_prior("normal", 2),
                TargetSource(targets.get_target("grid25")), batch_size=64, seed=4, num_fixed_latents=200)
    results = []
    for model in (setup.model, plain):
        _compile(model, config, steps_per_execution=10)
        history = model.fit(setup.make_dataset(0).take(30), steps_per_epoch=30, verbose=0, shuffle=False)
        results.append((model, history.history))
    (coded, coded_history), (reference, reference_history) = results
    assert coded_history == reference_history  # the same trackers, the same values
    for a, b in zip(coded.generator.weights + coded.discriminator.weights, reference.generator.weights + reference.discriminator.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    np.testing.assert_array_equal(coded(coded.fixed_latents).numpy(), reference(reference.fixed_latents).numpy())


def test_info_head_learns_to_read_the_code_in_a_short_toy_run():
    config = TrainConfig(target="grid25", latent_dim=2, latent_code=5, batch_size=128, num_fixed_latents=100, seed=2)
    setup = build_setup(config)
    model = setup.model
    assert model.generator.inputs[0].shape[-1] == 7 and model.num_codes == 5 and model.info_weight == 1.0
    assert model.latent_code.critic.outputs[1].shape[-1] == 5
    q_before = model.latent_code.head.kernel.numpy().copy()
    _compile(model, setup.config, steps_per_execution=10)
    first = model.fit(setup.make_dataset(0).take(10), steps_per_epoch=10, verbose=0, shuffle=False).history
    model.fit(setup.make_dataset(0).take(290), steps_per_epoch=290, verbose=0, shuffle=False)
    last = model.fit(setup.make_dataset(0).take(20), steps_per_epoch=20, verbose=0, shuffle=False).history
    start, end = first["info_loss"][-1], last["info_loss"][-1]
    # Q guesses at first (log 5 = 1.61 nats); G and Q agree on a code within 300 steps.
    assert start > 1.2, start
    assert end < 0.5 * np.log(5), (start, end)
    assert not np.allclose(q_before, model.latent_code.head.kernel.numpy())  # Q trains with D's optimizer
    assert "info_head" in model.checkpoint_items()


def test_plain_concatenation_has_no_q_and_no_info_loss():
    setup = build_setup(TrainConfig(target="grid25", latent_dim=2, latent_code=4, info_weight=0.0, batch_size=64,
                                    num_fixed_latents=50))
    model = setup.model
    assert model.latent_code.head is None and model.latent_code.critic is None
    assert model.generator.inputs[0].shape[-1] == 6
    _compile(model, setup.config, steps_per_execution=5)
    history = model.fit(setup.make_dataset(0).take(5), steps_per_epoch=5, verbose=0, shuffle=False).history
    assert "info_loss" not in history


@pytest.mark.parametrize(
    "options, message",
    [
        (dict(pack=0), "pack must be an integer >= 1"),
        (dict(pack=3), "batch size must divide by 2 x pack = 6"),
        (dict(num_codes=1), "latent code must have at least 2 values"),
        (dict(num_codes=2, info_weight=-1.0), "info weight must be a finite number >= 0"),
        (dict(info_weight=1.0), "an info weight needs a latent code"),
        (dict(num_codes=4), "a code of 4 values needs more"),
    ],
)
def test_gan_refuses_bad_levers(options, message):
    from keras_gan_latent.data import priors, targets
    from keras_gan_latent.errors import UserError
    from keras_gan_latent.models import mlp
    from keras_gan_latent.models.gan import GAN, TargetSource

    with pytest.raises(UserError, match=message):
        GAN(mlp.mlp_generator(4, 2), mlp.mlp_discriminator(2), priors.latent_prior("normal", 4),
            TargetSource(targets.get_target("grid25")), batch_size=64, num_fixed_latents=10, **options)
