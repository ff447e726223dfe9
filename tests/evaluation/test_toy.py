"""Evaluation of toy generators: the acceptance figures of the metrics, and evaluate.py."""

import json
import os

import numpy as np
import pytest
import tensorflow as tf

from keras_gan_latent import evaluation
from keras_gan_latent.data import priors, targets
from keras_gan_latent.cli import evaluate as evaluate_cli
from keras_gan_latent.cli.common import run
from keras_gan_latent.training.export import export_generator
from keras_gan_latent.models.quantile import QuantileGenerator


def _target_samples(name, n, seed):
    return targets.get_target(name).sample(n, seed=tf.constant([seed, 99])).numpy()


@pytest.mark.slow
@pytest.mark.parametrize("name", ["eight_gaussians", "spiral", "gaussian"])
def test_samples_of_the_target_itself_score_kl_near_zero(name):
    target = targets.get_target(name)
    samples = _target_samples(name, 2500, 1)
    report = evaluation.evaluate_samples(samples, target, seed=2)
    # The bootstrap CI holds the k-NN densities fixed and runs 10-20 % narrow
    # (metrics.divergence_report), so a single run can miss 0 by a few
    # hundredths; what matters is that the target scores near 0 and far below
    # a generator that is only slightly off.
    shifted = evaluation.evaluate_samples(samples + 1.0, target, seed=2)
    for key in ("kl_g_data", "js"):
        entry = report["divergences"][key]
        assert abs(entry["estimate"]) < 0.1, (key, entry)
        off = shifted["divergences"][key]["estimate"]
        assert off is None or off > entry["estimate"] + 0.05, (key, off)
    assert report["divergences"]["outside_support_fraction"] == 0.0


def test_ring_target_covers_all_modes_at_the_three_sigma_mass():
    target = targets.get_target("eight_gaussians")
    report = evaluation.evaluate_samples(_target_samples("eight_gaussians", 2500, 3), target)
    modes = report["modes"]
    assert modes["modes_covered"] == 8 and modes["num_modes"] == 8
    # 1 - exp(-4.5) = 98.89 %; binomial s.e. at 2,500 samples is 0.2 %.
    assert modes["high_quality_fraction"] == pytest.approx(1 - np.exp(-4.5), abs=0.007)
    assert modes["reverse_kl_to_uniform"] < 0.01


@pytest.mark.slow
def test_one_ring_mode_only_scores_one_mode_and_log_8():
    target = targets.get_target("eight_gaussians")
    rng = np.random.default_rng(0)
    one_mode = target.mode_centres[3] + 0.2 * rng.normal(size=(2500, 2))
    report = evaluation.evaluate_samples(one_mode, target)
    assert report["modes"]["modes_covered"] == 1
    assert report["modes"]["reverse_kl_to_uniform"] == pytest.approx(np.log(8), abs=1e-9)
    assert report["divergences"]["kl_g_data"]["estimate"] == pytest.approx(np.log(8), abs=0.1)


def test_spiral_mass_off_the_support_makes_kl_undefined_not_a_number():
    target = targets.get_target("spiral")
    samples = 1.1 * _target_samples("spiral", 2500, 4)
    report = evaluation.evaluate_samples(samples, target)
    div = report["divergences"]
    assert div["outside_support_fraction"] > 0.05
    assert div["kl_g_data"]["estimate"] is None and "infinite" in div["kl_g_data"]["reason"]
    json.dumps(report, allow_nan=False)


def test_quantile_baseline_scores_ks_near_zero_and_matches_the_quantile_map(tmp_path, capsys):
    target = targets.get_target("normal1d")
    path = str(tmp_path / "quantile")
    export_generator(QuantileGenerator(target), priors.latent_prior("uniform", 1), path,
                     {"target": "normal1d", "latent_dim": 1, "prior": "uniform"})
    plot = str(tmp_path / "map.png")
    assert run(evaluate_cli.main, "evaluate.py", [path, "--target", "normal1d", "--json", "--plot", plot]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["ks"]["statistic"] < 0.03 and report["ks"]["pvalue"] > 1e-3
    assert report["quantile_map"]["distance"] < 1e-3 and report["quantile_map"]["orientation"] == "Q(u)"
    assert os.path.getsize(plot) > 1000


def test_evaluate_cli_takes_the_target_from_the_export(toy_export, capsys):
    """An export records its target: evaluate.py needs no --target, and the same one given changes nothing."""
    few = ["--json", "-n", "500", "--resamples", "10"]  # which target, not the protocol's sample size, is the point
    assert run(evaluate_cli.main, "evaluate.py", [toy_export, *few]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["target"] == "eight_gaussians" and "modes" in report
    assert run(evaluate_cli.main, "evaluate.py", [toy_export, *few, "--target", "eight_gaussians"]) == 0
    assert json.loads(capsys.readouterr().out) == report


def test_evaluate_cli_refuses_another_target_than_the_exports(toy_export, capsys):
    status = run(evaluate_cli.main, "evaluate.py", [toy_export, "--target", "spiral"])
    captured = capsys.readouterr()
    assert status == 2 and captured.out == ""
    assert captured.err.strip() == (
        f"evaluate.py: error: {toy_export!r} was trained on --target eight_gaussians, not spiral; "
        "leave --target out to score it against its own"
    )


def test_evaluate_cli_reads_npy_samples(tmp_path, capsys):
    path = str(tmp_path / "ring.npy")
    np.save(path, _target_samples("eight_gaussians", 1000, 5))
    assert run(evaluate_cli.main, "evaluate.py", [path, "--target", "eight_gaussians"]) == 0
    out = capsys.readouterr().out
    assert "modes covered       8/8" in out and "KL(p_g || p_data)" in out


@pytest.mark.parametrize(
    "make, args, message",
    [
        (lambda d: np.save(d / "x.npy", np.zeros((100, 2))), ["x.npy", "--target", "nine_gaussians"], "unknown target 'nine_gaussians'; valid targets:"),
        (lambda d: None, ["missing.npy", "--target", "spiral"], "is neither an export folder nor a .npy file"),
        (lambda d: (d / "x.txt").write_text("not numbers"), ["x.txt", "--target", "spiral"], "cannot read"),
        (lambda d: np.save(d / "x.npy", np.zeros((100, 3))), ["x.npy", "--target", "spiral"], "needs shape (n, 2)"),
        (lambda d: np.save(d / "x.npy", np.zeros((10, 2))), ["x.npy", "--target", "spiral"], "too few"),
        (lambda d: np.save(d / "x.npy", np.full((100, 2), np.nan)), ["x.npy", "--target", "spiral"], "finite"),
        (lambda d: (d / "sub").mkdir(), ["sub", "--target", "spiral"], "is not a SavedModel folder"),
        (lambda d: None, [".", "--target", "spiral", "-n", "0"], "-n must be a positive integer"),
        (lambda d: np.save(d / "x.npy", np.zeros((100, 2))), ["x.npy"], "'x.npy' records no target: give --target, one of eight_gaussians, gaussian, grid25, normal1d, spiral, mnist"),
    ],
)
def test_evaluate_bad_input_is_one_line(make, args, message, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    make(tmp_path)
    status = run(evaluate_cli.main, "evaluate.py", args)
    err = capsys.readouterr().err.strip()
    assert status == 2 and len(err.splitlines()) == 1 and message in err, err
