"""MNIST evaluation of image generators: mnist_report, evaluate.py and sample.py on
digits, and the mode report GridView writes during training.

Everything runs on the real digits and the real cached classifier. The reports
classify 20,000 real reference digits, which `evaluation` memoises per
classifier, so after the first report each one costs only its own samples.
"""

import json
import math

import numpy as np
import pytest
from PIL import Image

from keras_gan_latent import evaluation
from keras_gan_latent.data import priors
from keras_gan_latent.models import dcgan
from keras_gan_latent.viz import views
from keras_gan_latent.cli import evaluate as evaluate_cli
from keras_gan_latent.cli import sample as sample_cli
from keras_gan_latent.cli.common import run
from keras_gan_latent.errors import UserError
from keras_gan_latent.training.export import export_generator
from keras_gan_latent.metrics.mnist_modes import DEFAULT_SIGMAS, PARZEN_CAVEAT
from keras_gan_latent.evaluation.mnist import MODE_SCALARS, DigitModeReporter

REPORT_KEYS = {
    "num_samples", "class_histogram", "class_shares", "classes_covered", "classes_with_any",
    "kl_uniform", "classifier_score", "mean_confidence", "frechet_distance", "reference",
    "marginal_entropy", "mean_entropy", "class_mean_entropy", "class_runner_up",
}


@pytest.fixture(scope="module")
def real_1000(mnist):
    """1,000 real test digits, uint8 (n, 28, 28): all ten classes, about 10 % each."""
    return mnist[2][:1000]


def _as_generator_output(uint8_images):
    """Real digits as a tanh generator writes them: float32 (n, 28, 28, 1) in [-1, 1]."""
    return (uint8_images.astype(np.float32) / 127.5 - 1.0)[..., None]


@pytest.fixture(scope="module")
def image_export(tmp_path_factory):
    """An untrained light DCGAN generator, exported as train.py would."""
    path = str(tmp_path_factory.mktemp("exports") / "dcgan")
    config = {"model": "dcgan", "target": "mnist", "latent_dim": 8, "prior": "normal"}
    export_generator(dcgan.dcgan_generator(8, "light"), priors.latent_prior("normal", 8), path, config)
    return path


# ---------------------------------------------------------------- mnist_report


def test_real_digits_cover_all_classes_in_any_encoding(real_1000, classifier):
    # The same digits as uint8 (n, 28, 28) and as generator floats (n, 28, 28, 1).
    as_uint8 = evaluation.mnist_report(real_1000, classifier, parzen=False)
    as_floats = evaluation.mnist_report(_as_generator_output(real_1000), classifier, parzen=False)
    assert set(as_uint8) == REPORT_KEYS
    assert as_uint8["num_samples"] == 1000 and sum(as_uint8["class_histogram"]) == 1000
    assert as_uint8["classes_covered"] == 10 and as_uint8["classes_with_any"] == 10
    assert as_uint8["kl_uniform"] < 0.02
    assert as_uint8["classifier_score"] > 9.0 and as_uint8["mean_confidence"] > 0.97
    # 1,000 real digits are close to the real test set, far closer than noise.
    assert 0.0 < as_uint8["frechet_distance"] < 10.0
    reference = as_uint8["reference"]
    assert reference["num_samples"] == 10_000 and reference["classifier_score"] > 9.5
    # Real digits are balanced and unambiguous: H(p(y)) near log 10, E H(p(y|x)) near 0.
    assert as_uint8["marginal_entropy"] > math.log(10) - 0.02 and reference["mean_entropy"] < 0.1
    assert math.exp(as_uint8["marginal_entropy"] - as_uint8["mean_entropy"]) == pytest.approx(
        as_uint8["classifier_score"], rel=1e-6)
    assert 0.0 < reference["frechet_distance_train_vs_test"] < as_uint8["frechet_distance"]
    # /127.5 - 1 then (x + 1) / 2 is x / 255 up to float rounding: the same report.
    assert as_floats["class_histogram"] == as_uint8["class_histogram"]
    for key in ("kl_uniform", "classifier_score", "mean_confidence", "frechet_distance"):
        assert as_floats[key] == pytest.approx(as_uint8[key], rel=1e-4), key
    json.dumps(as_uint8, allow_nan=False)


def test_the_two_shapes_of_one_encoding_are_the_same_images(real_1000):
    floats = _as_generator_output(real_1000)
    np.testing.assert_array_equal(evaluation.check_digit_images(floats),
                                  evaluation.check_digit_images(floats[..., 0]))
    np.testing.assert_array_equal(evaluation.check_digit_images(real_1000),
                                  evaluation.check_digit_images(real_1000[..., None]))


def test_digits_of_one_class_cover_one_class_at_kl_log_10(mnist, classifier):
    _, _, x_test, y_test = mnist
    ones = x_test[y_test == 1]  # 1,135 real ones
    report = evaluation.mnist_report(ones, classifier, parzen=False)
    assert report["classes_covered"] == 1
    assert int(np.argmax(report["class_histogram"])) == 1
    # A handful of misread ones keep the KL a hair below log 10.
    assert report["kl_uniform"] == pytest.approx(math.log(10), abs=0.05)
    assert report["classifier_score"] < 1.1
    assert report["frechet_distance"] > 20.0  # one class is far from all ten


def test_parzen_scores_real_digits_far_above_noise(mnist, classifier):
    x_train = mnist[0]
    real = x_train[:200]  # training digits: neither in the validation split nor the test set
    noise = np.random.default_rng(0).uniform(-1.0, 1.0, size=(200, 28, 28)).astype(np.float32)
    real_parzen = evaluation.mnist_report(real, classifier)["parzen"]
    noise_parzen = evaluation.mnist_report(noise, classifier)["parzen"]
    for p in (real_parzen, noise_parzen):
        assert np.isclose(DEFAULT_SIGMAS, p["sigma"]).any()  # one of the paper's grid
        assert p["standard_error"] > 0 and math.isfinite(p["mean"])
        assert p["num_samples"] == 200 and p["num_valid"] == 10_000 and p["num_test"] == 10_000
        assert p["caveat"] == PARZEN_CAVEAT and "Theis" in p["caveat"]
    assert real_parzen["mean"] > noise_parzen["mean"] + 100.0


BAD_IMAGES = [
    (lambda x: x[:, :, :27], "images have shape (100, 28, 27)"),
    (lambda x: x.reshape(len(x), -1), "images have shape (100, 784)"),
    (lambda x: _as_generator_output(x) * 3.0, "float images range from -3 to 3"),
    (lambda x: np.where(x > 128, np.nan, _as_generator_output(x)[..., 0]), "NaN or infinite"),
    (lambda x: x.astype(np.int64), "dtype int64"),
    (lambda x: x[:10], "10 images are too few"),
]


@pytest.mark.parametrize("make, message", BAD_IMAGES)
def test_bad_images_are_one_line_errors(make, message, real_1000, classifier):
    with pytest.raises(UserError) as info:
        evaluation.mnist_report(make(real_1000[:100]), classifier)
    assert message in str(info.value) and len(str(info.value).splitlines()) == 1, str(info.value)


# ------------------------------------------------------------------ evaluate.py


def test_evaluate_cli_reads_a_npy_of_real_digits(real_1000, tmp_path, capsys):
    path = str(tmp_path / "digits.npy")
    np.save(path, _as_generator_output(real_1000[:500]))
    assert run(evaluate_cli.main, "evaluate.py", [path, "--target", "mnist", "--json", "--no-parzen"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["target"] == "mnist" and report["num_samples"] == 500
    assert report["classes_covered"] == 10 and "parzen" not in report
    assert report["classifier"]["test_accuracy"] >= 0.99


def test_evaluate_cli_prints_the_report_and_plots_an_export(image_export, tmp_path, capsys):
    plot = str(tmp_path / "report.png")
    args = [image_export, "--target", "mnist", "-n", "100", "--no-parzen", "--plot", plot]
    assert run(evaluate_cli.main, "evaluate.py", args) == 0
    out = capsys.readouterr().out
    assert out.startswith("target mnist, 100 digits")
    histogram = [line for line in out.splitlines() if line.startswith("    ") and line.strip()[:1].isdigit()]
    assert [line.split()[0] for line in histogram] == [str(d) for d in range(10)]
    assert sum(int(line.split()[-1]) for line in histogram) == 100
    for label in ("classes covered", "KL(hist || uniform)", "classifier score", "mean confidence", "Frechet distance"):
        assert label in out, label
    # The grid of 25 digits beside the chart: wider than tall, and not blank.
    picture = np.asarray(Image.open(plot).convert("L"))
    assert picture.shape[1] > picture.shape[0] > 200 and picture.std() > 10


BAD_EVALUATE = [
    (lambda d: np.save(d / "x.npy", np.zeros((100, 2))), ["x.npy", "--target", "mnist"], "images have shape (100, 2)"),
    (lambda d: np.save(d / "x.npy", np.full((100, 28, 28), 2.0)), ["x.npy", "--target", "mnist"], "float images range from 2 to 2"),
    (lambda d: np.save(d / "x.npy", np.full((100, 28, 28), np.nan)), ["x.npy", "--target", "mnist"], "NaN"),
    (lambda d: np.save(d / "x.npy", np.zeros((10, 28, 28), np.uint8)), ["x.npy", "--target", "mnist"], "too few"),
    (lambda d: None, ["missing.npy", "--target", "mnist"], "is neither an export folder nor a .npy file"),
    (lambda d: None, ["{toy}", "--target", "mnist"], "was trained on --target eight_gaussians, not mnist; leave --target out"),
    (lambda d: None, ["{image}", "--target", "eight_gaussians"], "was trained on --target mnist, not eight_gaussians"),
    (lambda d: None, ["{image}", "--target", "mnist", "-n", "10"], "-n must be at least 50"),
    (lambda d: np.save(d / "x.npy", np.zeros((100, 28, 28, 1))), ["x.npy", "--target", "spiral"], "use --target mnist"),
    (lambda d: None, ["x.npy", "--target", "digits"], "unknown target 'digits'; valid targets: eight_gaussians, gaussian, grid25, normal1d, spiral, mnist"),
    (lambda d: None, ["x.npy", "--target", "mnist", "-n", "0"], "-n must be a positive integer"),
]


@pytest.mark.parametrize("make, args, message", BAD_EVALUATE)
def test_evaluate_bad_input_is_one_line(make, args, message, image_export, toy_export, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make(tmp_path)
    args = [a.format(toy=toy_export, image=image_export) for a in args]
    status = run(evaluate_cli.main, "evaluate.py", args)
    err = capsys.readouterr().err.strip()
    assert status == 2 and len(err.splitlines()) == 1 and message in err, err


# -------------------------------------------------------------------- sample.py


@pytest.mark.parametrize("n, rows, cols", [(30, 3, 10), (150, 10, 10)])
def test_sample_cli_plots_an_image_export_as_a_grid(n, rows, cols, image_export, tmp_path):
    out, plot = str(tmp_path / "digits.npy"), str(tmp_path / "digits.png")
    assert run(sample_cli.main, "sample.py", [image_export, "-n", str(n), "--out", out, "--plot", plot]) == 0
    x = np.load(out)
    assert x.shape == (n, 28, 28, 1) and x.dtype == np.float32
    assert -1.0 <= x.min() and x.max() <= 1.0
    # mnist_plots.image_grid: 28-pixel cells, 2-pixel padding.
    assert Image.open(plot).size == (cols * 30 + 2, rows * 30 + 2)


# --------------------------------------------------------------------- GridView


@pytest.fixture(scope="module")
def untrained_dcgan():
    from keras_gan_latent.models.gan import GAN, DatasetSource

    return GAN(dcgan.dcgan_generator(8, "light"), dcgan.dcgan_discriminator("light"),
               priors.latent_prior("normal", 8), DatasetSource(), batch_size=64, num_fixed_latents=300)


def test_grid_view_reports_modes_of_all_fixed_latents(untrained_dcgan, mnist, classifier):
    x_test = mnist[2]
    # 2,000 reference digits keep this plumbing test quick (training uses 10,000).
    view = views.GridView(x_test[:25], mode_report=DigitModeReporter(classifier, x_test[:2000]))
    scalars, images, histograms = view.summaries(untrained_dcgan, step=0)
    assert set(scalars) == {f"modes/{key}" for key in MODE_SCALARS}
    assert 1 <= scalars["modes/classes_covered"] <= scalars["modes/classes_with_any"] <= 10
    assert 0.0 <= scalars["modes/kl_uniform"] <= math.log(10) + 1e-9
    assert 1.0 <= scalars["modes/classifier_score"] <= 10.0
    assert 0.1 <= scalars["modes/mean_confidence"] <= 1.0
    # Untrained digits are blurs: far from real ones in the classifier's features.
    assert scalars["modes/frechet_distance"] > 50.0
    chart = images["modes/class_histogram"]
    assert chart.dtype == np.uint8 and chart.ndim == 3 and chart.shape[2] == 3
    assert images["samples/grid"].shape == (152, 152, 3) and "samples/real_grid" in images
    assert histograms["generated/pixels"].shape == (25 * 28 * 28,)
    # The same report of real digits: all classes, far closer to the reference
    # (300 against 2,000 digits: small-sample bias keeps it well above 0).
    real_scalars, counts = view.mode_report(_as_generator_output(x_test[5000:5300]))
    assert real_scalars["classes_covered"] == 10 and sum(counts) == 300
    assert real_scalars["frechet_distance"] < 0.2 * scalars["modes/frechet_distance"]


def test_grid_view_without_a_mode_report_generates_only_the_grid(untrained_dcgan, mnist):
    view = views.GridView(mnist[2][:25])
    scalars, images, histograms = view.summaries(untrained_dcgan, step=0)
    assert scalars == {} and set(images) == {"samples/grid", "samples/real_grid"}
    assert histograms["generated/pixels"].shape == (25 * 28 * 28,)
    assert set(view.summaries(untrained_dcgan, step=1)[1]) == {"samples/grid"}  # real grid once


def test_mnist_setup_draws_the_mode_report_latents():
    from keras_gan_latent import experiments
    from keras_gan_latent.experiments.config import TrainConfig

    with_report = experiments.build_setup(TrainConfig(model="dcgan", latent_dim=4, mode_report_samples=300))
    assert with_report.model.fixed_latents.shape == (300, 4)
    assert with_report.view.mode_report.reference_features.shape[0] == 10_000
    without = experiments.build_setup(TrainConfig(model="dcgan", latent_dim=4, mode_report_samples=0))
    assert without.model.fixed_latents.shape == (views.GRID_SIZE**2, 4)
    assert without.view.mode_report is None


def test_coded_mode_report_finds_the_classes_a_code_stands_for_under_any_naming(real_1000, mnist, classifier):
    from keras_gan_latent.evaluation.mnist import CODED_SCALARS, CodedDigitModeReporter

    labels = mnist[3][:1000]
    report = CodedDigitModeReporter(classifier, mnist[2][:2000], num_codes=10)
    digits = _as_generator_output(real_1000)
    # Codes that are the classes under another name: the one-to-one assignment undoes the renaming.
    renamed, counts = report(digits, (labels + 3) % 10)
    assert set(renamed) == set(CODED_SCALARS) and sum(counts) == 1000
    assert renamed["code_accuracy"] >= 0.95 and renamed["code_majority_accuracy"] >= renamed["code_accuracy"]
    # Codes drawn independently of the digit say nothing of its class.
    noise, _ = report(digits, np.random.default_rng(0).integers(0, 10, size=1000))
    assert noise["code_accuracy"] < 0.3
    for key in MODE_SCALARS:  # the rest of the report does not depend on the codes
        assert noise[key] == pytest.approx(renamed[key], rel=1e-6)


def test_a_coded_dcgan_setup_reports_class_discovery_during_training():
    from keras_gan_latent import experiments
    from keras_gan_latent.evaluation.mnist import CodedDigitModeReporter
    from keras_gan_latent.experiments.config import TrainConfig

    setup = experiments.build_setup(TrainConfig(model="dcgan", latent_dim=4, latent_code=3, mode_report_samples=300))
    assert isinstance(setup.view, views.CodeGridView) and isinstance(setup.view.mode_report, CodedDigitModeReporter)
    scalars, _, _ = setup.view.summaries(setup.model, step=0)
    codes = views.fixed_codes(setup.model)
    assert sorted(set(codes.tolist())) == [0, 1, 2]
    # Three codes can be matched to at most three of the ten digits.
    assert 0.0 <= scalars["modes/code_accuracy"] <= scalars["modes/code_majority_accuracy"] <= 1.0
