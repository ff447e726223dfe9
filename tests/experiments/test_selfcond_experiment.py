"""`--model selfcond` end to end: settings, a short real run that re-clusters, resumes and exports, and its report.

The `slow` tests train the light self-conditioned DCGAN for a few dozen steps on real MNIST.
"""

import dataclasses
import json

import numpy as np
import pytest
import tensorflow as tf

from keras_gan_latent import experiments
from keras_gan_latent.cli import evaluate as evaluate_cli
from keras_gan_latent.cli import sample as sample_cli
from keras_gan_latent.cli.common import run
from keras_gan_latent.errors import UserError
from keras_gan_latent.experiments.config import TrainConfig

LATENT_DIM = 3
CLUSTERS = 4

# ---------------------------------------------------------------- settings


def test_selfcond_config_takes_the_dcgan_defaults_and_names_its_clusters():
    config = TrainConfig(model="selfcond", latent_dim=10).resolved()
    assert (config.target, config.arch, config.prior, config.batch_size, config.lr_d) == ("mnist", "light", "normal", 64, 2e-4)
    assert (config.clusters, config.recluster_every) == (10, 2000)
    assert config.default_run_name() == "selfcond_light_z10_normal_s0_k10_every2000"
    assert experiments.num_codes_of(config.to_dict()) == 10  # the clusters are the export's discrete part
    assert experiments.num_codes_of(TrainConfig(model="dcgan", latent_dim=12, latent_code=10).resolved().to_dict()) == 10
    assert experiments.num_codes_of(TrainConfig(model="cgan").resolved().to_dict()) == 0


@pytest.mark.parametrize("settings, message", [
    (dict(pack=2), "--pack 2 does not apply to --model selfcond: each real digit is clustered on its own"),
    (dict(clusters=1), "clusters must be an integer >= 2, got 1"),
    (dict(recluster_every=0), "must be an integer >= 1, got 0"),
    (dict(latent_code=10), "--latent-code applies to --model mlp or dcgan only, not --model selfcond"),
    (dict(model="dcgan", clusters=5), "--clusters applies to --model selfcond only, not --model dcgan"),
])
def test_selfcond_bad_settings_are_one_line(settings, message):
    with pytest.raises(UserError, match=message) as refused:
        TrainConfig(**{"model": "selfcond", **settings}).resolved()
    assert "\n" not in str(refused.value)


# ----------------------------------------------------------- a trained run


@pytest.fixture(scope="module")
def selfcond_run(tmp_path_factory):
    """30 steps of the light self-conditioned DCGAN, re-clustering every 10, then resumed to 40."""
    run_dir = tmp_path_factory.mktemp("selfcond") / "run"
    config = TrainConfig(
        model="selfcond", latent_dim=LATENT_DIM, clusters=CLUSTERS, recluster_every=10, steps=30, batch_size=16, seed=2,
        run_dir=str(run_dir), scalar_every=5, image_every=15, checkpoint_every=15, steps_per_execution=5,
        mode_report_samples=100,
    )
    setup = experiments.prepare(config)
    first = experiments.train(config, verbose=0, setup=setup)
    at_30 = checkpoint_values(setup.config.run_dir)
    resumed = dataclasses.replace(config, steps=40, resume=True)
    result = experiments.train(resumed, verbose=0)
    return setup.config, first, at_30, result


def checkpoint_values(run_dir):
    """The cluster variables of a run's latest checkpoint: `{name: value}`."""
    reader = tf.train.load_checkpoint(tf.train.latest_checkpoint(f"{run_dir}/checkpoints"))
    values = {}
    for key in reader.get_variable_to_shape_map():
        for name in ("clustered_at", "cluster_assignments", "cluster_sizes"):
            if key.startswith(f"{name}/"):
                values[name] = reader.get_tensor(key)
    return values


@pytest.mark.slow
def test_a_run_clusters_the_digits_and_a_checkpoint_keeps_the_clusters(selfcond_run):
    from conftest import read_event_scalars, read_event_steps

    config, first, at_30, result = selfcond_run
    assert (first.steps, result.steps) == (30, 10)
    # Clustered at 0, 10, 20 and 30 (the last before the checkpoint at 30 was taken), then at 40 after the resume.
    assert int(at_30["clustered_at"]) == 30
    assigned = at_30["cluster_assignments"]
    assert assigned.shape == (60000,) and set(np.unique(assigned)) <= set(range(CLUSTERS))
    assert not np.array_equal(assigned, np.arange(60000) % CLUSTERS)  # no longer the placeholder before clustering
    np.testing.assert_array_equal(at_30["cluster_sizes"], np.bincount(assigned, minlength=CLUSTERS))
    assert int(checkpoint_values(config.run_dir)["clustered_at"]) == 40
    steps = read_event_steps(config.run_dir)
    for tag in ("modes/code_accuracy", "modes/code_majority_accuracy", "modes/classes_covered", "samples/grid"):
        assert steps[tag] == [0, 15, 30, 40], tag  # a run summarises its last step too
    assert all(0.0 <= v <= 1.0 for _, v in read_event_scalars(config.run_dir, "modes/code_accuracy"))


@pytest.mark.slow
def test_the_export_samples_by_cluster_with_plain_tensorflow(selfcond_run):
    config, _, _, result = selfcond_run
    sampler = tf.saved_model.load(result.export_dir)
    out = sampler.sample_code(num_samples=tf.constant(8), seed=tf.constant(5, tf.int64), code=tf.constant(2))
    assert out["x"].shape == (8, 28, 28, 1) and out["code"].numpy().tolist() == [2] * 8
    again = sampler.generate(z=out["z"], code=out["code"])["x"]
    np.testing.assert_allclose(again.numpy(), out["x"].numpy(), atol=1e-4)
    drawn = sampler.sample(num_samples=tf.constant(4000), seed=tf.constant(0, tf.int64))["code"].numpy()
    sizes = checkpoint_values(config.run_dir)["cluster_sizes"]
    # Clusters in proportion to their sizes at export time (the binomial's 4.5 sigma: about 0.035 at 4,000 draws).
    np.testing.assert_allclose(np.bincount(drawn, minlength=CLUSTERS) / len(drawn), sizes / sizes.sum(), atol=0.04)
    assert json.loads(sampler.config().numpy().decode())["clusters"] == CLUSTERS


@pytest.mark.slow
def test_evaluate_reports_class_discovery_of_the_clusters_and_sample_draws_one(selfcond_run, tmp_path, capsys):
    _, _, _, result = selfcond_run
    assert run(evaluate_cli.main, "evaluate.py", [result.export_dir, "-n", "200", "--no-parzen", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    found = report["code_discovery"]
    assert found["num_codes"] == CLUSTERS and found["samples_per_code_drawn"] == 50
    assert 0.0 <= found["accuracy"] <= found["majority_accuracy"] <= 1.0
    out = tmp_path / "three.npy"
    assert run(sample_cli.main, "sample.py", [result.export_dir, "-n", "7", "--code", "3", "--out", str(out)]) == 0
    assert np.load(out).shape == (7, 28, 28, 1)
    assert run(sample_cli.main, "sample.py", [result.export_dir, "-n", "7", "--code", "4", "--out", str(tmp_path / "x.npy")]) == 2
    assert "--code must be in 0..3 (the export's 4 codes), got 4" in capsys.readouterr().err
    assert not (tmp_path / "x.npy").exists()
