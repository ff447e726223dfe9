"""Export round trip: generate equals the in-memory generator, sample is repeatable,
and plain TensorFlow loads it without keras_gan_latent."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
import tensorflow as tf
from scipy import stats

from conftest import checkout_env, script

from keras_gan_latent.data import priors, targets
from keras_gan_latent.models import mlp
from keras_gan_latent.errors import UserError
from keras_gan_latent.training import ownership
from keras_gan_latent.training.export import export_generator, load_export, sample_export
from keras_gan_latent.models.quantile import QuantileGenerator


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    path = str(tmp_path_factory.mktemp("export") / "generator")
    generator = mlp.mlp_generator(3, 2, width=32)
    prior = priors.latent_prior("normal", 3)
    export_generator(generator, prior, path, {"target": "eight_gaussians", "latent_dim": 3})
    return path, generator


def test_generate_matches_in_memory_generator(exported):
    path, generator = exported
    loaded = tf.saved_model.load(path)
    z = np.random.default_rng(0).normal(size=(17, 3)).astype(np.float32)
    # The export's graph and eager Keras may pick other float32 kernels or fusions.
    np.testing.assert_allclose(loaded.generate(tf.constant(z))["x"].numpy(), generator(z).numpy(), rtol=1e-5, atol=1e-5)


def test_sample_is_repeatable_per_seed_and_follows_the_prior(exported):
    path, generator = exported
    loaded = tf.saved_model.load(path)
    a = loaded.sample(num_samples=tf.constant(4000), seed=tf.constant(7, tf.int64))
    b = loaded.sample(num_samples=tf.constant(4000), seed=tf.constant(7, tf.int64))
    c = loaded.sample(num_samples=tf.constant(4000), seed=tf.constant(8, tf.int64))
    np.testing.assert_array_equal(a["x"].numpy(), b["x"].numpy())
    assert not np.allclose(a["z"].numpy(), c["z"].numpy())
    assert a["z"].shape == (4000, 3) and a["x"].shape == (4000, 2)
    np.testing.assert_allclose(a["x"].numpy(), generator(a["z"].numpy()).numpy(), rtol=1e-5, atol=1e-5)
    assert stats.kstest(a["z"].numpy()[:, 0], "norm").pvalue > 1e-3


def test_sample_export_with_truncation_maps_the_pulled_latents(toy_export):
    sampler, _ = load_export(toy_export)  # prior normal
    drawn = sampler.sample(num_samples=tf.constant(300), seed=tf.constant(4, tf.int64))
    np.testing.assert_allclose(sample_export(sampler, 300, seed=4), drawn["x"].numpy(), rtol=1e-5, atol=1e-5)
    expected = sampler.generate(z=tf.constant(0.3 * drawn["z"].numpy()))["x"].numpy()
    np.testing.assert_allclose(sample_export(sampler, 300, seed=4, truncation=0.3), expected, rtol=1e-5, atol=1e-5)
    with pytest.raises(UserError, match=r"truncation psi must be in \(0, 1\]"):
        sample_export(sampler, 10, truncation=2.0)


def test_truncation_refuses_an_export_that_does_not_record_its_prior(exported):
    sampler, _ = load_export(exported[0])  # its config names no prior
    with pytest.raises(UserError, match="this export's run config does not record one"):
        sample_export(sampler, 10, truncation=0.5)


def test_config_travels_with_the_export(exported):
    path, _ = exported
    sampler, config = load_export(path)
    assert config == {"target": "eight_gaussians", "latent_dim": 3}
    with open(os.path.join(path, "assets.extra", "run_config.json")) as f:
        assert json.load(f) == config


def test_loads_in_a_process_that_never_imports_keras_gan_latent(exported, tmp_path):
    path, _ = exported
    code = (
        "import sys, tensorflow as tf\n"
        f"m = tf.saved_model.load({path!r})\n"
        "x = m.sample(num_samples=tf.constant(5), seed=tf.constant(1, tf.int64))['x']\n"
        "assert x.shape == (5, 2)\n"
        "assert 'keras_gan_latent' not in sys.modules and 'tensorflow_probability' not in sys.modules\n"
        "print('ok', x.numpy().sum())\n"
    )
    env = dict(os.environ, PYTHONPATH="", TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run([sys.executable, "-c", code], cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.startswith("ok")


def test_existing_export_is_replaced_only_with_overwrite_or_by_its_own_run(exported):
    path, generator = exported
    with pytest.raises(UserError, match="holds the export of another run; pass --overwrite"):
        export_generator(generator, priors.latent_prior("normal", 3), path, {})
    with pytest.raises(UserError, match="holds the export of another run"):
        export_generator(generator, priors.latent_prior("normal", 3), path, {}, run_id="another run")


def test_a_folder_without_the_export_marker_is_never_replaced(tmp_path):
    generator, prior = mlp.mlp_generator(2, 2, width=8), priors.latent_prior("normal", 2)
    legacy = str(tmp_path / "legacy")
    export_generator(generator, prior, legacy, {"version": 1})
    os.remove(os.path.join(legacy, ownership.EXPORT_MARKER))  # as written before markers
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "keep.txt").write_text("precious")
    for path, what in ((legacy, "holds a SavedModel without the marker file"), (str(notes), "is not an export")):
        with pytest.raises(UserError, match=what + ".*delete it yourself"):
            export_generator(generator, prior, path, {}, overwrite=True)
    assert (notes / "keep.txt").read_text() == "precious"
    assert os.path.isfile(os.path.join(legacy, "saved_model.pb"))


def test_quantile_baseline_is_exact_and_exports_like_a_generator(tmp_path):
    target = targets.get_target("normal1d")
    baseline = QuantileGenerator(target)
    u = tf.random.stateless_uniform([20000, 1], seed=[0, 1])
    x = baseline(u).numpy()[:, 0]
    assert stats.kstest(x, "norm").statistic < 0.012
    path = str(tmp_path / "quantile")
    export_generator(baseline, priors.latent_prior("uniform", 1), path, {"target": "normal1d", "latent_dim": 1})
    sampler, _ = load_export(path)
    samples = sampler.sample(num_samples=tf.constant(20000), seed=tf.constant(3, tf.int64))
    assert stats.kstest(samples["x"].numpy()[:, 0], "norm").statistic < 0.012
    np.testing.assert_allclose(samples["x"].numpy()[:, 0], stats.norm.ppf(samples["z"].numpy()[:, 0]), atol=1e-4)


def test_truncated_export_is_one_clear_line(exported, tmp_path):
    import shutil

    path = str(tmp_path / "generator")
    shutil.copytree(exported[0], path)
    data = os.path.join(path, "variables", "variables.data-00000-of-00001")
    with open(data, "rb") as f:
        head = f.read(64)
    with open(data, "wb") as f:
        f.write(head)  # cut short, as by a full disk or an interrupted copy
    done = subprocess.run(script("sample") + [path, "-n", "10", "--out", str(tmp_path / "s.npy")], env=checkout_env(),
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 2
    lines = [line for line in done.stderr.splitlines() if line.startswith("sample.py: error:")]
    assert len(lines) == 1 and path in lines[0] and "Traceback" not in done.stderr
    assert not (tmp_path / "s.npy").exists()


def test_overwriting_an_export_replaces_it_whole(tmp_path):
    path = str(tmp_path / "generator")
    prior = priors.latent_prior("normal", 2)
    export_generator(mlp.mlp_generator(2, 2, width=8), prior, path, {"version": 1}, run_id="a")
    assert ownership.read_marker(path, "export")["run_id"] == "a"
    export_generator(mlp.mlp_generator(2, 2, width=8), prior, path, {"version": 2}, overwrite=True, run_id="b")
    assert load_export(path)[1] == {"version": 2}
    export_generator(mlp.mlp_generator(2, 2, width=8), prior, path, {"version": 3}, run_id="b")  # its own run's
    assert load_export(path)[1] == {"version": 3}
    assert sorted(os.listdir(tmp_path)) == ["generator"]  # no staging or retired folder left behind


@pytest.fixture(scope="module")
def coded_export(tmp_path_factory):
    """The export of an (untrained) MLP GAN with a latent code of 3 values and 2 continuous numbers."""
    from keras_gan_latent.experiments import build_setup
    from keras_gan_latent.experiments.config import TrainConfig

    config = TrainConfig(target="grid25", latent_dim=2, latent_code=3, batch_size=64, num_fixed_latents=10).resolved()
    model = build_setup(config).model
    path = str(tmp_path_factory.mktemp("coded") / "generator")
    endpoints, tracked = model.export_endpoints(model.generator)
    export_generator(model.generator, model.latent_prior, path, config.to_dict(), endpoints=endpoints, tracked=tracked)
    return path, model


def test_coded_export_samples_per_code_with_plain_tensorflow(coded_export):
    path, model = coded_export
    loaded = tf.saved_model.load(path)
    n, seed = tf.constant(500), tf.constant(7, tf.int64)
    by_code = [loaded.sample_code(num_samples=n, seed=seed, code=tf.constant(c)) for c in range(3)]
    for c, out in enumerate(by_code):
        assert out["z"].shape == (500, 5) and out["x"].shape == (500, 2)
        assert np.all(out["code"].numpy() == c) and np.all(out["z"].numpy()[:, :3].argmax(axis=1) == c)
        again = loaded.sample_code(num_samples=n, seed=seed, code=tf.constant(c))
        np.testing.assert_array_equal(again["x"].numpy(), out["x"].numpy())  # same seed, same samples
    # The same continuous parts under another code: other samples.
    np.testing.assert_array_equal(by_code[0]["z"].numpy()[:, 3:], by_code[1]["z"].numpy()[:, 3:])
    assert np.abs(by_code[0]["x"].numpy() - by_code[1]["x"].numpy()).mean() > 1e-3
    drawn = loaded.sample(num_samples=tf.constant(3000), seed=seed)
    codes = drawn["code"].numpy()
    assert set(codes) == {0, 1, 2} and np.all(np.abs(np.bincount(codes) / 3000 - 1 / 3) < 0.05)
    np.testing.assert_array_equal(drawn["z"].numpy()[:, :3].argmax(axis=1), codes)
    # generate takes the full latent (code, then continuous part).
    np.testing.assert_allclose(loaded.generate(drawn["z"][:20])["x"].numpy(), drawn["x"].numpy()[:20], rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("code", [3, -1])
def test_coded_export_refuses_a_code_out_of_range(coded_export, code):
    loaded = tf.saved_model.load(coded_export[0])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"code must be in 0\.\.2"):
        loaded.sample_code(num_samples=tf.constant(5), seed=tf.constant(0, tf.int64), code=tf.constant(code))


def test_truncation_refuses_a_coded_latent(coded_export):
    sampler, _ = load_export(coded_export[0])
    with pytest.raises(UserError, match="latent has a discrete code"):
        sample_export(sampler, 10, seed=0, truncation=0.5)
