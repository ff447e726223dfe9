"""The latent code: `NoCode`, `DiscreteCode` and `InfoCode`, the part a `GAN` asks instead of branching on a code."""

import keras
import numpy as np
import pytest
import tensorflow as tf

from keras_gan_latent.data import priors, targets
from keras_gan_latent.errors import UserError
from keras_gan_latent.models import mlp
from keras_gan_latent.models.conditioning import ClassLabels
from keras_gan_latent.models.gan import GAN, NoLabels, TargetSource, pack_samples, steps_only_dataset
from keras_gan_latent.models.latent_code import DiscreteCode, InfoCode, NoCode, make_code

CONTINUOUS = 2  # the continuous part's dimension in these tests
WIDTH = 16


def _gan(num_codes, info_weight, pack=1, seed=0, **options):
    """A small toy GAN on grid25 with a code of `num_codes` values (0: none)."""
    keras.utils.set_random_seed(seed)
    prior = priors.latent_prior("normal", CONTINUOUS)
    if num_codes:
        prior = priors.coded_prior(prior, num_codes)
    if "latent_code" not in options:
        options = dict(num_codes=num_codes, info_weight=info_weight)
    return GAN(mlp.mlp_generator(num_codes + CONTINUOUS, 2, WIDTH, 2), mlp.mlp_discriminator(2, WIDTH, 2, pack=pack),
               prior, TargetSource(targets.get_target("grid25")), batch_size=16, seed=seed, num_fixed_latents=8,
               pack=pack, **options)


@pytest.mark.parametrize(
    "num_codes, info_weight, kind, weight",
    [(0, 0.0, NoCode, 0.0), (4, 0, DiscreteCode, 0.0), (4, 0.5, InfoCode, 0.5), (np.int64(3), 2, InfoCode, 2.0)],
)
def test_make_code_gives_the_part_the_settings_ask_for(num_codes, info_weight, kind, weight):
    code = make_code(num_codes, info_weight)
    assert type(code) is kind and code.num_codes == int(num_codes) and code.info_weight == weight
    assert isinstance(code.info_weight, float) and isinstance(code.num_codes, int)


@pytest.mark.parametrize(
    "num_codes, info_weight, message",
    [
        (1, 0.0, "latent code must have at least 2 values"),
        (2.5, 0.0, "latent code must have at least 2 values"),
        (True, 0.0, "latent code must have at least 2 values"),
        (2, -1.0, "info weight must be a finite number >= 0"),
        (2, float("nan"), "info weight must be a finite number >= 0"),
        (2, "1", "info weight must be a finite number >= 0"),
        (0, 1.0, r"an info weight needs a latent code \(num_codes >= 2\)"),
    ],
)
def test_make_code_refuses_what_is_no_code_in_one_line(num_codes, info_weight, message):
    with pytest.raises(UserError, match=message) as error:
        make_code(num_codes, info_weight)
    assert "\n" not in str(error.value)


def test_info_code_needs_a_weight_above_zero():
    with pytest.raises(UserError, match="needs an info weight above 0"):
        InfoCode(3, 0.0)


def test_a_code_checks_the_generator_and_the_label_path():
    NoCode().check(1, ClassLabels(10))  # no code: anything goes
    DiscreteCode(4).check(5, NoLabels())
    with pytest.raises(UserError, match="the generator takes 4 latent numbers; a code of 4 values needs more"):
        DiscreteCode(4).check(4, NoLabels())
    with pytest.raises(UserError, match="a latent code applies to unconditional GANs only"):
        InfoCode(4, 1.0).check(6, ClassLabels(10))


def test_without_q_the_hooks_add_nothing():
    d = mlp.mlp_discriminator(2, WIDTH, 2)
    logits, z = tf.ones([4, 1]), tf.ones([4, 5])
    for code in (NoCode(), DiscreteCode(3)):
        code.build(d, 1)
        assert code.head is None and code.critic is None and tuple(code.metrics) == ()
        assert code.critic_network(d) is d
        assert code.split(logits) == (logits, None)
        assert code.generated_rows(None, z) is None and code.loss(None, z) is None
        assert code.objective(logits, None) is logits  # the very tensor: no op added
        assert code.checkpoint_items() == {}
        code.track(None)
    assert NoCode().export_endpoints(None, None) == {}


def test_the_two_orders_of_judging_apart():
    # D's BatchNorm statistics follow the call order, so each part keeps the order its runs were trained in.
    for code, order in ((NoCode(), ["real", "generated"]), (InfoCode(3, 1.0), ["generated", "real"])):
        calls = []
        real = lambda: calls.append("real") or "r"  # noqa: E731
        generated = lambda: calls.append("generated") or ("g", "q")  # noqa: E731
        assert code.judge_apart(real, generated) == ("r", "g", "q")
        assert calls == order


def test_q_sits_on_d_penultimate_features_one_row_per_sample():
    d = mlp.mlp_discriminator(2, WIDTH, 2, pack=2)
    code = InfoCode(3, 0.5)
    code.build(d, pack=2)
    assert code.head.units == 6 and code.head.name == "q_logits" and code.head.dtype == "float32"
    assert code.critic_network(d) is code.critic and code.critic.inputs == d.inputs
    # Q reads the input of D's last layer; the critic's weights are D's, then Q's (the order D's optimizer builds in).
    assert [w.path for w in code.critic.trainable_weights] == [w.path for w in d.trainable_weights] + [
        "q_logits/kernel", "q_logits/bias"]
    logits, q = code.split(code.critic(tf.zeros([5, 4])))
    assert logits.shape == (5, 1) and q.shape == (10, 3)  # 5 packs of 2 samples, K = 3 each
    z = tf.constant([[0.0, 0.0, 1.0, 9.0]] * 4)
    np.testing.assert_array_equal(code.generated_rows(tf.reshape(tf.range(30.0), [10, 3]), z).numpy()[:, 0],
                                  [12.0, 15.0, 18.0, 21.0, 24.0, 27.0])
    assert code.checkpoint_items() == {"info_head": code.head}
    with pytest.raises(UserError, match="last layer reads one feature vector"):
        conv = keras.Input((4, 4, 1))
        InfoCode(3, 1.0).build(keras.Model(conv, keras.layers.Conv2D(1, 4)(conv)), 1)


def test_info_loss_is_q_cross_entropy_against_the_code_and_weighs_into_the_objective():
    code = InfoCode(3, 0.25)
    z = tf.constant([[1.0, 0.0, 0.0, 7.0], [0.0, 0.0, 1.0, -7.0]])
    q = tf.constant([[2.0, 0.0, -1.0], [0.5, 0.5, 0.5]])
    log_softmax = q.numpy() - np.log(np.exp(q.numpy()).sum(axis=1, keepdims=True))
    expected = -(log_softmax[0, 0] + log_softmax[1, 2]) / 2  # the continuous part plays no role
    assert code.loss(q, z).numpy() == pytest.approx(expected, rel=1e-5)
    assert code.objective(tf.constant(1.5), code.loss(q, z)).numpy() == pytest.approx(1.5 + 0.25 * expected, rel=1e-5)


def test_coded_export_samples_by_code():
    prior = priors.coded_prior(priors.latent_prior("normal", CONTINUOUS), 3)
    generator = mlp.mlp_generator(3 + CONTINUOUS, 2, WIDTH, 1)
    endpoints = DiscreteCode(3).export_endpoints(generator, prior)
    assert list(endpoints) == ["sample", "sample_code"]
    sample, sample_code = endpoints["sample"][0], endpoints["sample_code"][0]
    seed = tf.constant(7, tf.int64)
    drawn = sample(tf.constant(50), seed)
    np.testing.assert_array_equal(drawn["z"].numpy(), prior.sample(50, seed=tf.bitcast(seed, tf.int32)).numpy())
    np.testing.assert_array_equal(drawn["code"].numpy(), np.argmax(drawn["z"].numpy()[:, :3], axis=1))
    coded = sample_code(tf.constant(20), seed, tf.constant(2))
    assert coded["code"].numpy().tolist() == [2] * 20
    np.testing.assert_array_equal(coded["z"].numpy()[:, :3], np.tile([0.0, 0.0, 1.0], (20, 1)))
    continuous = prior.distributions[1].sample(20, seed=tf.bitcast(seed, tf.int32)).numpy()
    np.testing.assert_array_equal(coded["z"].numpy()[:, 3:], continuous)  # the same continuous part for every code
    np.testing.assert_allclose(coded["x"].numpy(), generator(coded["z"]).numpy(), rtol=1e-5, atol=1e-6)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"code must be in 0\.\.2"):
        sample_code(tf.constant(4), seed, tf.constant(3))


def test_the_gan_asks_its_code_for_checkpoint_metrics_and_endpoints():
    plain, concatenated, informed = _gan(0, 0.0), _gan(3, 0.0), _gan(3, 1.0)
    for model in (plain, concatenated, informed):
        model.compile(keras.optimizers.Adam(), keras.optimizers.Adam())
    assert isinstance(plain.latent_code, NoCode) and (plain.num_codes, plain.info_weight) == (0, 0.0)
    assert type(concatenated.latent_code) is DiscreteCode and concatenated.num_codes == 3
    assert informed.info_weight == 1.0 and informed.latent_code.head is not None
    assert "info_head" not in plain.checkpoint_items() and "info_head" not in concatenated.checkpoint_items()
    assert informed.checkpoint_items()["info_head"] is informed.latent_code.head
    assert [m.name for m in informed.metrics][-1] == "info_loss"
    assert "info_loss" not in [m.name for m in concatenated.metrics + plain.metrics]
    assert plain.export_endpoints(plain.generator) == ({}, ())
    assert list(informed.export_endpoints(informed.generator)[0]) == ["sample", "sample_code"]


def test_a_code_given_as_an_object_is_the_code_given_by_its_settings():
    by_settings, by_object = _gan(3, 0.5, pack=2), _gan(3, 0.5, pack=2, latent_code=InfoCode(3, 0.5))
    assert type(by_object.latent_code) is InfoCode and by_object.info_weight == 0.5
    for a, b in zip(by_settings.latent_code.critic.weights + by_settings.generator.weights,
                    by_object.latent_code.critic.weights + by_object.generator.weights):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    with pytest.raises(UserError, match="give a GAN its latent code once"):
        GAN(mlp.mlp_generator(5, 2, WIDTH, 1), mlp.mlp_discriminator(2, WIDTH, 1), priors.latent_prior("normal", 5),
            TargetSource(targets.get_target("grid25")), batch_size=16, num_fixed_latents=8,
            latent_code=InfoCode(3, 0.5), num_codes=3)
    with pytest.raises(UserError, match="a code of 4 values needs more"):
        GAN(mlp.mlp_generator(4, 2, WIDTH, 1), mlp.mlp_discriminator(2, WIDTH, 1), priors.latent_prior("normal", 4),
            TargetSource(targets.get_target("grid25")), batch_size=16, num_fixed_latents=8, latent_code=DiscreteCode(4))


def test_a_coded_checkpoint_keeps_the_variables_it_always_kept(tmp_path):
    # The checkpoint's names are its structure: Q's layer is kept as `info_head`, D's variables reach it through
    # D's optimizer (its first ones, in D's order), and the optimizer's slots follow D's and Q's variables.
    model = _gan(3, 1.0, pack=2)
    model.compile(keras.optimizers.Adam(1e-3), keras.optimizers.Adam(1e-3))
    path = tf.train.Checkpoint(**model.checkpoint_items()).write(str(tmp_path / "ckpt"))
    names = {name for name, _ in tf.train.list_variables(path)} - {"_CHECKPOINTABLE_OBJECT_GRAPH"}
    d_weights = model.discriminator.trainable_weights
    q_weights = [model.latent_code.head.kernel, model.latent_code.head.bias]
    g_weights = model.generator.trainable_weights
    expected = {f"{name}/.ATTRIBUTES/VARIABLE_VALUE" for name in (
        "fixed_latents", "global_step", "noise/_state_var", "info_head/_kernel", "info_head/bias",
        *(f"{opt}/{v}" for opt in ("d_optimizer", "g_optimizer") for v in ("_iterations", "_learning_rate")),
        *(f"d_optimizer/_trainable_variables/{i}" for i in range(len(d_weights))),
        *(f"g_optimizer/_trainable_variables/{i}" for i in range(len(g_weights))),
        *(f"d_optimizer/_variables/{i}" for i in range(2, 2 + 2 * len(d_weights + q_weights))),  # Adam's m, v
        *(f"g_optimizer/_variables/{i}" for i in range(2, 2 + 2 * len(g_weights))),
    )}
    assert names == expected
    for i, weight in enumerate(d_weights):
        saved = tf.train.load_variable(path, f"d_optimizer/_trainable_variables/{i}/.ATTRIBUTES/VARIABLE_VALUE")
        np.testing.assert_array_equal(saved, weight.numpy())
    np.testing.assert_array_equal(tf.train.load_variable(path, "info_head/_kernel/.ATTRIBUTES/VARIABLE_VALUE"),
                                  q_weights[0].numpy())


@pytest.mark.parametrize("num_codes, info_weight, pack", [(0, 0.0, 1), (3, 0.0, 2), (3, 0.5, 2), (4, 2.0, 1)])
def test_one_step_is_the_objective_written_out(num_codes, info_weight, pack):
    # SGD makes each update the gradient itself: the step's updates and logged losses against the same
    # computation done here by hand from the step's own seeds (D's step with Q's term on the generated
    # half-batch, then G's on a fresh batch against the updated D).
    model = _gan(num_codes, info_weight, pack=pack, seed=5)
    lr = 0.1
    model.compile(keras.optimizers.SGD(lr), keras.optimizers.SGD(lr))
    critic = model.latent_code.critic or model.discriminator
    d_before = [w.numpy() for w in critic.trainable_weights]
    g_before = [w.numpy() for w in model.generator.trainable_weights]
    seeds = tf.cast(tf.random.Generator.from_state(model.noise.state.numpy(), model.noise.algorithm).make_seeds(3), tf.int32)
    history = model.fit(steps_only_dataset().take(1), steps_per_epoch=1, verbose=0).history
    assert ("info_loss" in history) == bool(info_weight)

    def judge(x):  # D's logits and Q's code logits (one row per sample) on packs of x
        outputs = critic(pack_samples(x, pack))
        if not info_weight:
            return outputs, None
        return outputs[0], tf.reshape(outputs[1], [-1, num_codes])

    def cross_entropy(q, z):
        return -tf.reduce_mean(tf.reduce_sum(z[:, :num_codes] * tf.nn.log_softmax(q), axis=1))

    after = [w.numpy() for w in critic.trainable_weights]
    g_after = [w.numpy() for w in model.generator.trainable_weights]
    for w, value in zip(critic.trainable_weights + model.generator.trainable_weights, d_before + g_before):
        w.assign(value)  # back to the step's start
    real = model.real_source.target.sample(8, seed=seeds[:, 0])
    z = model.latent_prior.sample(8, seed=seeds[:, 1])
    with tf.GradientTape() as tape:
        logits, q = judge(tf.concat([real, model.generator(z)], axis=0))
        half = 8 // pack
        d_loss = tf.reduce_mean(tf.nn.softplus(-logits[:half])) + tf.reduce_mean(tf.nn.softplus(logits[half:]))
        d_objective = d_loss + info_weight * cross_entropy(q[8:], z) if info_weight else d_loss
    grads = tape.gradient(d_objective, critic.trainable_weights)
    assert history["d_loss"][0] == pytest.approx(float(d_loss), rel=1e-4, abs=1e-6)
    for before, grad, updated in zip(d_before, grads, after):
        np.testing.assert_allclose(updated, before - lr * grad.numpy(), rtol=1e-4, atol=1e-6)
    for w, value in zip(critic.trainable_weights, after):
        w.assign(value)  # G's update judges with the updated D
    z = model.latent_prior.sample(16, seed=seeds[:, 2])
    with tf.GradientTape() as tape:
        logits, q = judge(model.generator(z))
        g_loss = tf.reduce_mean(tf.nn.softplus(-logits))
        info_loss = cross_entropy(q, z) if info_weight else 0.0
        g_objective = g_loss + info_weight * info_loss
    grads = tape.gradient(g_objective, model.generator.trainable_weights)
    assert history["g_loss"][0] == pytest.approx(float(g_loss), rel=1e-4, abs=1e-6)
    if info_weight:
        assert history["info_loss"][0] == pytest.approx(float(info_loss), rel=1e-4, abs=1e-6)
    for before, grad, updated in zip(g_before, grads, g_after):
        np.testing.assert_allclose(updated, before - lr * grad.numpy(), rtol=1e-4, atol=1e-6)
