"""`--model cgan` end to end: settings, the class-grid view, the conditional report, sample.py --label, a tiny run and sweep.

The fast tests use untrained exports and the real cached classifier; the
`slow` ones train (a few dozen steps of the light conditional DCGAN).
"""

import contextlib
import csv
import io
import json
import os

import numpy as np
import pytest
import tensorflow as tf
from PIL import Image

from conftest import conditional_gan
from keras_gan_latent import experiments
from keras_gan_latent.cli import evaluate as evaluate_cli
from keras_gan_latent.cli import sample as sample_cli
from keras_gan_latent.cli import sweep as sweep_cli
from keras_gan_latent.cli.common import run
from keras_gan_latent.errors import UserError
from keras_gan_latent.evaluation import conditional
from keras_gan_latent.experiments.base import EvaluateOptions
from keras_gan_latent.experiments.config import TrainConfig
from keras_gan_latent.training.export import export_generator
from keras_gan_latent.viz import views

LATENT_DIM = 3
GRID_PIXELS = 10 * 30 + 2  # ten 28-pixel digits and their 2-pixel borders


@pytest.fixture(scope="module")
def cgan_export(tmp_path_factory):
    """An untrained conditional generator, exported as train.py exports a cGAN run."""
    path = str(tmp_path_factory.mktemp("exports") / "cgan")
    model = conditional_gan(LATENT_DIM)
    endpoints, tracked = model.export_endpoints(model.generator)
    config = {"model": "cgan", "target": "mnist", "latent_dim": LATENT_DIM, "prior": "normal"}
    export_generator(model.generator, model.latent_prior, path, config, endpoints=endpoints, tracked=tracked)
    return path


# ---------------------------------------------------------------- settings


def test_cgan_config_takes_the_dcgan_defaults_and_its_own_run_name():
    config = TrainConfig(model="cgan", latent_dim=10).resolved()
    assert (config.target, config.arch, config.prior, config.batch_size, config.lr_d) == ("mnist", "light", "normal", 64, 2e-4)
    assert config.default_run_name() == "cgan_light_z10_normal_s0"
    assert TrainConfig(model="cgan", latent_dim=2, arch="seed", seed=1).resolved().default_run_name() == "cgan_seed_z2_normal_s1"
    # mnist is the target it is forced to: giving it is no error.
    assert TrainConfig(model="cgan", target="mnist").resolved().target == "mnist"


@pytest.mark.parametrize("settings, message", [
    # A toy target is refused, not silently replaced by mnist.
    (dict(target="spiral"), "--target applies to --model mlp or vae or cyclegan only, not --model cgan"),
    (dict(beta=2.0), "--beta applies to --model vae only, not --model cgan"),
    (dict(g_width=64), "--g-width applies to --model mlp or vae or cyclegan only, not --model cgan"),
    (dict(batch_size=63), "batch size must be even"),
])
def test_cgan_config_refuses_settings_of_other_models(settings, message):
    with pytest.raises(UserError, match="^" + message.replace(".", r"\.")):
        TrainConfig(model="cgan", **settings).resolved()


def test_cgan_sweep_defaults_are_the_issues_latent_dims():
    from keras_gan_latent.sweep import SweepSettings

    settings = SweepSettings(model="cgan").resolved()
    assert settings.latent_dims == (100, 10, 2, 1) and settings.targets == ("mnist",)
    assert settings.steps == 5000 and settings.arch == "light"
    assert settings.train_config("mnist", 2, 0).resolved().default_run_name() == "cgan_light_z2_normal_s0"


def test_evaluate_cli_scores_a_cgan_export_by_its_labels_and_a_npy_without(cgan_export, tmp_path, capsys):
    args = ["--target", "mnist", "-n", "100", "--no-parzen", "--json"]
    assert run(evaluate_cli.main, "evaluate.py", [cgan_export, *args]) == 0
    report = json.loads(capsys.readouterr().out)
    assert {"label_agreement", "mean_class_frechet_distance", "within_class_diversity", "per_class"} <= set(report)
    # A .npy of digits holds no labels: the unconditional MNIST report.
    path = str(tmp_path / "digits.npy")
    np.save(path, np.zeros((100, 28, 28), np.uint8))
    assert run(evaluate_cli.main, "evaluate.py", [path, *args]) == 0
    report = json.loads(capsys.readouterr().out)
    assert "classes_covered" in report and "label_agreement" not in report


# --------------------------------------------------------------------- view


def test_class_grid_view_renders_each_class_from_the_same_latents(mnist):
    model = conditional_gan(LATENT_DIM)
    _, _, x_test, y_test = mnist
    calls = []

    def mode_report(images, labels):
        calls.append((images, labels))
        return {"label_agreement": 0.5}, [3] * 10

    view = views.ClassGridView(x_test, y_test, num_classes=10, columns=10, mode_report=mode_report)
    grid = view.grid_samples(model)
    # Row c, column j: the j-th fixed latent with label c.
    z = model.fixed_latents[:10]
    for c in (0, 7):
        expected = model.generator([z, tf.fill([10], c)], training=False).numpy()
        np.testing.assert_allclose(grid[10 * c : 10 * c + 10], expected, atol=1e-5)
    assert view.frame(model, 0).shape == (GRID_PIXELS, GRID_PIXELS, 3)

    scalars, images, histograms = view.summaries(model, 5)
    assert scalars == {"modes/label_agreement": 0.5}
    assert images["samples/grid"].shape == images["samples/real_grid"].shape == (GRID_PIXELS, GRID_PIXELS, 3)
    assert "modes/class_histogram" in images and histograms["generated/pixels"].size == 100 * 28 * 28
    # The mode report sees every fixed latent with its fixed label, i % 10.
    (images_seen, labels_seen), = calls
    assert len(images_seen) == 30 and labels_seen.tolist() == [i % 10 for i in range(30)]
    expected = model.generator([model.fixed_latents, model.fixed_labels], training=False).numpy()
    np.testing.assert_allclose(images_seen, expected, atol=1e-5)
    assert "samples/real_grid" not in view.summaries(model, 6)[1]  # once


def test_grid_view_renders_a_conditional_model_with_its_fixed_labels():
    model = conditional_gan(LATENT_DIM)
    view = views.GridView(np.zeros((25, 28, 28), np.uint8))
    expected = model.generator([model.fixed_latents[:25], model.fixed_labels[:25]], training=False).numpy()
    np.testing.assert_allclose(view.grid_samples(model), expected, atol=1e-5)


# --------------------------------------------------------------- evaluation


def test_real_digits_with_their_labels_score_as_a_perfect_conditional_generator(mnist, classifier):
    """The yardsticks: real training digits asked for as their own label."""
    x_train, y_train = mnist[0][:2000], mnist[1][:2000]
    report = conditional.conditional_report(x_train, y_train, classifier)
    json.dumps(report, allow_nan=False)
    assert report["label_agreement"] > 0.97
    assert report["classes_scored"] == 10 and len(report["per_class"]) == 10
    # About 200 real digits per class against that class's test digits: near the real yardstick (2.8 at 1,000).
    assert report["mean_class_frechet_distance"] < 4 * report["conditional_reference"]["mean_class_frechet_distance"]
    assert 0.85 < report["within_class_diversity"] < 1.15 and 0.85 < report["within_class_pixel_diversity"] < 1.15
    for entry in report["per_class"]:
        assert entry["num_samples"] == int(np.sum(y_train == entry["label"]))

    # The same digits asked for as the next class: the classifier disagrees, the distances grow.
    shifted = conditional.conditional_report(x_train, (y_train + 1) % 10, classifier)
    assert shifted["label_agreement"] < 0.05
    assert shifted["mean_class_frechet_distance"] > 5 * report["mean_class_frechet_distance"]


def test_one_drawing_per_class_has_no_within_class_diversity(mnist, classifier):
    x_test, y_test = mnist[2], mnist[3]
    firsts = np.stack([x_test[y_test == c][0] for c in range(10)])
    labels = np.repeat(np.arange(10), 20)
    report = conditional.conditional_report(np.repeat(firsts, 20, axis=0), labels, classifier)
    assert report["label_agreement"] == 1.0
    assert report["within_class_diversity"] < 1e-3 and report["within_class_pixel_diversity"] < 1e-3
    assert report["least_diverse_class"]["feature_diversity_ratio"] < 1e-3


def test_a_missing_class_is_none_not_nan(mnist, classifier):
    x_test, y_test = mnist[2][:300], mnist[3][:300]
    keep = y_test != 4
    report = conditional.conditional_report(x_test[keep], y_test[keep], classifier)
    json.dumps(report, allow_nan=False)
    four = report["per_class"][4]
    assert four["num_samples"] == 0 and four["frechet_distance"] is None and four["feature_diversity_ratio"] is None
    assert report["classes_scored"] == 9 and report["mean_class_frechet_distance"] is not None


@pytest.mark.parametrize("labels, message", [
    (np.full(100, 10), "label must be an integer in 0..9, got 10"),
    (np.zeros(99, int), "100 digits but 99 labels"),
])
def test_conditional_report_bad_labels_are_one_line(mnist, classifier, labels, message):
    with pytest.raises(UserError, match=message):
        conditional.conditional_report(mnist[2][:100], labels, classifier)


def test_training_reporter_adds_label_agreement_and_diversity(mnist, classifier):
    x_test, y_test = mnist[2], mnist[3]
    reporter = conditional.ConditionalDigitModeReporter(classifier, x_test, y_test)
    digits = mnist[0][:1000].astype(np.float32) / 127.5 - 1.0
    scalars, counts = reporter(digits, mnist[1][:1000])
    assert set(scalars) == set(conditional.CONDITIONAL_SCALARS) and sum(counts) == 1000
    assert scalars["label_agreement"] > 0.97 and 0.85 < scalars["within_class_diversity"] < 1.15
    collapsed, _ = reporter(np.repeat(digits[:1], 100, axis=0), np.full(100, mnist[1][0]))
    assert collapsed["within_class_diversity"] < 1e-3


def test_mean_pairwise_distance():
    assert conditional.mean_pairwise_distance(np.array([[0.0, 0.0], [3.0, 4.0]])) == pytest.approx(5.0)
    assert conditional.mean_pairwise_distance(np.ones((5, 3))) == 0.0


def test_cgan_evaluate_of_an_untrained_export_is_json_safe_and_pictured(cgan_export, tmp_path):
    experiment = experiments.get_experiment("cgan")
    plot = str(tmp_path / "report.png")
    report, images = experiment.scorer.evaluate(cgan_export, "mnist", 200, 1, EvaluateOptions(parzen=False, plot=plot, verbose=0))
    json.dumps(report, allow_nan=False)
    assert images.shape == (200, 28, 28, 1) and report["num_samples"] == 200
    assert sum(e["num_samples"] for e in report["per_class"]) == 200
    assert set(experiment.scorer.summary_row(report)) == set(experiment.scorer.eval_metrics)
    assert 0.0 <= report["label_agreement"] <= 1.0
    assert "label agreement" in experiment.scorer.report_text(report) and "label agreement" in experiment.scorer.headline(report)
    with Image.open(plot) as image:
        assert image.size[0] > image.size[1] > 0


def test_cgan_evaluate_refuses_sources_without_labels(image_npy, toy_export):
    experiment = experiments.get_experiment("cgan")
    with pytest.raises(UserError, match="needs the labels the digits were asked for"):
        experiment.scorer.evaluate(image_npy, "mnist", 100)
    with pytest.raises(UserError, match="not 28x28 digits"):
        experiment.scorer.evaluate(toy_export, "mnist", 100)


@pytest.fixture
def image_npy(tmp_path):
    path = str(tmp_path / "digits.npy")
    np.save(path, np.zeros((100, 28, 28), np.uint8))
    return path


# --------------------------------------------------------------- sample.py


def test_sample_label_writes_only_that_digit_and_a_plot(cgan_export, tmp_path, capsys):
    out, plot = str(tmp_path / "sevens.npy"), str(tmp_path / "sevens.png")
    assert run(sample_cli.main, "sample.py", [cgan_export, "--label", "7", "-n", "100", "--out", out, "--plot", plot]) == 0
    assert "wrote 100 samples of label 7" in capsys.readouterr().out
    x = np.load(out)
    sampler = tf.saved_model.load(cgan_export)
    expected = sampler.sample_label(num_samples=tf.constant(100), seed=tf.constant(0, tf.int64), label=tf.constant(7))
    np.testing.assert_allclose(x, expected["x"].numpy(), atol=1e-6)
    with Image.open(plot) as image:
        assert image.size == (GRID_PIXELS, GRID_PIXELS)
    # Without --label: the export's sample, uniform labels (the existing behaviour).
    assert run(sample_cli.main, "sample.py", [cgan_export, "-n", "50", "--out", out]) == 0
    np.testing.assert_allclose(
        np.load(out), sampler.sample(num_samples=tf.constant(50), seed=tf.constant(0, tf.int64))["x"].numpy(), atol=1e-6
    )


def test_sample_label_with_truncation_keeps_the_label_and_pulls_the_latents(cgan_export, tmp_path, capsys):
    out, latents = str(tmp_path / "sevens.npy"), str(tmp_path / "z.npy")
    args = [cgan_export, "--label", "7", "-n", "40", "--truncation", "0.5", "--out", out, "--latents-out", latents]
    assert run(sample_cli.main, "sample.py", args) == 0
    assert "wrote 40 samples of label 7 at truncation 0.5" in capsys.readouterr().out
    sampler = tf.saved_model.load(cgan_export)
    drawn = sampler.sample_label(num_samples=tf.constant(40), seed=tf.constant(0, tf.int64), label=tf.constant(7))
    np.testing.assert_allclose(np.load(latents), 0.5 * drawn["z"].numpy(), rtol=1e-6, atol=1e-7)
    expected = sampler.generate(z=tf.constant(np.load(latents)), label=tf.fill([40], 7))["x"].numpy()
    np.testing.assert_allclose(np.load(out), expected, rtol=1e-5, atol=1e-5)
    # Without --label: the uniform labels of the export's sample are kept.
    assert run(sample_cli.main, "sample.py", [cgan_export, "-n", "40", "--truncation", "0.5", "--out", out]) == 0
    drawn = sampler.sample(num_samples=tf.constant(40), seed=tf.constant(0, tf.int64))
    expected = sampler.generate(z=tf.constant(0.5 * drawn["z"].numpy()), label=drawn["label"])["x"].numpy()
    np.testing.assert_allclose(np.load(out), expected, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("which, label, message", [
    ("cgan", "10", "label must be an integer in 0..9, got 10"),
    ("cgan", "-1", "label must be an integer in 0..9, got -1"),
    ("toy", "7", "--label needs a class-conditional export (--model cgan)"),
])
def test_sample_bad_label_is_one_line_and_writes_nothing(which, label, message, cgan_export, toy_export, tmp_path, capsys):
    export = cgan_export if which == "cgan" else toy_export
    out, plot = tmp_path / "out.npy", tmp_path / "out.png"
    status = run(sample_cli.main, "sample.py", [export, "--label", label, "--out", str(out), "--plot", str(plot)])
    err = capsys.readouterr().err
    assert status == 2
    assert err.count("\n") == 1 and err.startswith("sample.py: error: ") and message in err, err
    assert not out.exists() and not plot.exists()


# ----------------------------------------------------------- a trained run


@pytest.fixture(scope="module")
def cgan_run(tmp_path_factory):
    """30 steps of the light conditional DCGAN with the mode report on, and its resolved config."""
    run_dir = tmp_path_factory.mktemp("cgan") / "run"
    config = TrainConfig(
        model="cgan", latent_dim=LATENT_DIM, steps=30, batch_size=16, seed=3, run_dir=str(run_dir), scalar_every=5,
        image_every=15, checkpoint_every=15, steps_per_execution=5, mode_report_samples=100,
    )
    setup = experiments.prepare(config)
    result = experiments.train(config, verbose=0, setup=setup)
    return setup.config, result


@pytest.mark.slow
def test_cgan_run_writes_the_class_grid_and_label_agreement(cgan_run):
    from conftest import read_event_image_sizes, read_event_scalars, read_event_steps

    config, result = cgan_run
    assert result.steps == 30
    steps = read_event_steps(config.run_dir)
    for tag in ("modes/label_agreement", "modes/within_class_diversity", "modes/classes_covered", "samples/grid"):
        assert steps[tag] == [0, 15, 30], tag
    assert all(0.0 <= v <= 1.0 for _, v in read_event_scalars(config.run_dir, "modes/label_agreement"))
    assert read_event_image_sizes(config.run_dir)["samples/grid"] == (GRID_PIXELS, GRID_PIXELS)
    with Image.open(os.path.join(config.run_dir, "final_frame.png")) as frame:
        assert frame.size == (GRID_PIXELS, GRID_PIXELS)


@pytest.mark.slow
def test_cgan_export_samples_by_label_with_plain_tensorflow(cgan_run):
    config, result = cgan_run
    sampler = tf.saved_model.load(result.export_dir)
    out = sampler.sample_label(num_samples=tf.constant(8), seed=tf.constant(5, tf.int64), label=tf.constant(3))
    assert out["x"].shape == (8, 28, 28, 1) and out["label"].numpy().tolist() == [3] * 8
    again = sampler.generate(z=out["z"], label=out["label"])["x"]
    np.testing.assert_allclose(again.numpy(), out["x"].numpy(), atol=1e-5)
    drawn = sampler.sample(num_samples=tf.constant(200), seed=tf.constant(0, tf.int64))
    assert set(drawn["label"].numpy().tolist()) == set(range(10))
    assert json.loads(sampler.config().numpy().decode())["model"] == "cgan"


@pytest.mark.slow
def test_evaluate_cli_scores_a_cgan_export_with_its_labels(cgan_run, tmp_path, capsys):
    _, result = cgan_run
    args = [result.export_dir, "--target", "mnist", "-n", "200", "--no-parzen"]
    assert run(evaluate_cli.main, "evaluate.py", args + ["--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["target"] == "mnist" and report["num_samples"] == 200
    assert {"label_agreement", "mean_class_frechet_distance", "within_class_diversity", "per_class"} <= set(report)
    assert run(evaluate_cli.main, "evaluate.py", args) == 0
    text = capsys.readouterr().out
    assert "label agreement" in text and "per class" in text and "class histogram" in text


DCGAN_COLUMNS = ["classes_covered", "kl_uniform", "classifier_score", "frechet_distance", "parzen_ll"]


@pytest.mark.slow
def test_cgan_sweep_tables_label_agreement_and_per_class_distance(tmp_path):
    out = str(tmp_path / "sweep")
    stdout = io.StringIO()
    with contextlib.redirect_stdout(stdout):
        status = run(sweep_cli.main, "sweep.py", [
            "--model", "cgan", "--latent-dims", "2", "--seeds", "0", "--steps", "20", "-n", "200", "--out", out, "--quiet",
        ])
    assert status == 0, stdout.getvalue()
    assert "light conditional DCGAN on mnist x seeds 0 = 1 runs of 20 steps" in stdout.getvalue()
    with open(os.path.join(out, "results.csv")) as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["target", "latent_dim", "seed", "label_agreement", "mean_class_frechet_distance",
                             "within_class_diversity", *DCGAN_COLUMNS, "late_frechet_distance"]
    with open(os.path.join(out, "results", "mnist_z2_s0", "evaluation.json")) as f:
        report = json.load(f)
    assert float(rows[0]["label_agreement"]) == report["label_agreement"]
    assert float(rows[0]["mean_class_frechet_distance"]) == report["mean_class_frechet_distance"]
    for name in ("results.md", "montage.png", "convergence.png", "results/mnist_z2_s0/mnist_report.png"):
        assert os.path.isfile(os.path.join(out, name)), name
    with open(os.path.join(out, "results.md")) as f:
        markdown = f.read()
    assert "class-conditional DCGAN" in markdown and "label_agreement" in markdown
