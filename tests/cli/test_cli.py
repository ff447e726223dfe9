"""The command-line programs end to end, and every bad input they must refuse."""

import json
import os
import stat
import subprocess
import sys

import numpy as np
import pytest

from conftest import CONFIG_JSON_KEYS, ROOT, checkout_env, read_event_image_sizes, read_event_scalars, read_event_steps, script
from keras_gan_latent.cli import sample as sample_cli
from keras_gan_latent.cli import train as train_cli
from keras_gan_latent.cli.common import run


@pytest.fixture(scope="module")
def trained_run(tmp_path_factory):
    logdir = str(tmp_path_factory.mktemp("logs"))
    status = run(
        train_cli.main,
        "train.py",
        ["--latent-dim", "2", "--steps", "300", "--image-every", "100", "--scalar-every", "50", "--logdir", logdir, "--quiet"],
    )
    assert status == 0
    return logdir, os.path.join(logdir, "eight_gaussians_z2_normal_s0")


def test_train_writes_config_events_frame_and_export(trained_run):
    logdir, run_dir = trained_run
    with open(os.path.join(run_dir, "config.json")) as f:
        config = json.load(f)
    assert sorted(config) == sorted(CONFIG_JSON_KEYS)
    assert config["batch_size"] == 512 and config["lr_d"] == 1e-3 and config["jit_compile"] is True  # resolved
    assert config["latent_dim"] == 2 and config["target"] == "eight_gaussians" and config["prior"] == "normal"
    assert config["steps"] == 300
    assert os.path.isfile(os.path.join(run_dir, "final_frame.png"))
    assert os.path.isfile(os.path.join(run_dir, "generator", "saved_model.pb"))


def test_event_files_carry_the_true_training_steps(trained_run):
    _, run_dir = trained_run
    steps = read_event_steps(run_dir)
    for tag in ("train/d_loss", "train/g_loss", "train/d_real", "train/d_fake", "train/d_accuracy"):
        assert steps[tag] == [50, 100, 150, 200, 250, 300], tag
    for tag in (
        "samples/frame",
        "discriminator/heatmap",
        "fidelity/mean_log_prob",
        "generated/x0",
        "generated/x1",
        "optimal_discriminator/gap",
        "optimal_discriminator/value",
        "optimal_discriminator/accuracy",
    ):
        assert steps[tag] == [0, 100, 200, 300], tag
    weight_tags = [t for t in steps if t.startswith(("generator/", "discriminator/")) and t != "discriminator/heatmap"]
    assert any(t.startswith("generator/") for t in weight_tags)
    assert any(t.startswith("discriminator/") for t in weight_tags)
    assert all(steps[t] == [0, 100, 200, 300] for t in weight_tags)
    fidelity = dict(read_event_scalars(run_dir, "fidelity/mean_log_prob"))
    assert fidelity[300] > fidelity[0] + 10  # samples moved toward the ring
    accuracy = [v for _, v in read_event_scalars(run_dir, "train/d_accuracy")]
    assert all(0.0 <= v <= 1.0 for v in accuracy)
    gaps = [v for _, v in read_event_scalars(run_dir, "optimal_discriminator/gap")]
    assert all(0.0 <= v <= 1.0 for v in gaps)
    values = [v for _, v in read_event_scalars(run_dir, "optimal_discriminator/value")]
    assert all(v < 0.0 for v in values)  # E log D + E log(1 - D) is always negative


def test_heatmap_is_the_size_of_the_frame(trained_run):
    """TensorBoard shows images side by side at one scale: D(x), D*(x) and the colour bar as large as the frame."""
    _, run_dir = trained_run
    sizes = read_event_image_sizes(run_dir)
    assert sizes["discriminator/heatmap"] == sizes["samples/frame"] == (320, 320)


def test_same_settings_get_a_new_run_folder(trained_run, tmp_path):
    logdir, run_dir = trained_run
    status = run(train_cli.main, "train.py", ["--latent-dim", "2", "--steps", "2", "--steps-per-execution", "1", "--logdir", logdir, "--quiet"])
    assert status == 0
    assert os.path.isfile(os.path.join(run_dir + "_2", "config.json"))


@pytest.mark.slow
def test_animation_writes_one_frame_per_step(tmp_path):
    from PIL import Image

    status = run(
        train_cli.main,
        "train.py",
        ["--target", "spiral", "--latent-dim", "1", "--steps", "30", "--animate", "--logdir", str(tmp_path), "--quiet"],
    )
    assert status == 0
    gif = Image.open(os.path.join(str(tmp_path), "spiral_z1_normal_s0", "animation.gif"))
    assert gif.n_frames == 31  # the untrained generator, then one frame per step


def test_sample_cli_writes_repeatable_samples_and_plot(trained_run, tmp_path):
    _, run_dir = trained_run
    export_dir = os.path.join(run_dir, "generator")
    out_a, out_b, plot = (str(tmp_path / n) for n in ("a.npy", "b.npy", "a.png"))
    assert run(sample_cli.main, "sample.py", [export_dir, "-n", "1000", "--seed", "0", "--out", out_a, "--plot", plot]) == 0
    assert run(sample_cli.main, "sample.py", [export_dir, "-n", "1000", "--seed", "0", "--out", out_b]) == 0
    a, b = np.load(out_a), np.load(out_b)
    assert a.shape == (1000, 2)
    np.testing.assert_array_equal(a, b)
    assert os.path.getsize(plot) > 1000


def test_sample_truncation_pulls_the_latents_toward_the_prior_centre(toy_export, tmp_path, capsys):
    import tensorflow as tf

    files = {name: str(tmp_path / f"{name}.npy") for name in ("x", "z", "x1", "z1")}
    assert run(sample_cli.main, "sample.py", [toy_export, "-n", "500", "--out", files["x1"], "--latents-out", files["z1"]]) == 0
    args = [toy_export, "-n", "500", "--truncation", "0.25", "--out", files["x"], "--latents-out", files["z"]]
    assert run(sample_cli.main, "sample.py", args) == 0
    assert "at truncation 0.25" in capsys.readouterr().out
    z, z_full = np.load(files["z"]), np.load(files["z1"])  # the toy export's prior is N(0, I)
    np.testing.assert_allclose(z, 0.25 * z_full, rtol=1e-6, atol=1e-7)
    sampler = tf.saved_model.load(toy_export)
    np.testing.assert_allclose(np.load(files["x"]), sampler.generate(z=tf.constant(z))["x"].numpy(), rtol=1e-5, atol=1e-5)
    assert not np.allclose(np.load(files["x"]), np.load(files["x1"]), atol=1e-3)
    # psi = 1 is the prior itself: the same samples as without the flag.
    assert run(sample_cli.main, "sample.py", [toy_export, "-n", "500", "--truncation", "1", "--out", files["x"]]) == 0
    np.testing.assert_array_equal(np.load(files["x"]), np.load(files["x1"]))


BAD_TRAIN_ARGS = [
    (["--latent-dim", "0"], "latent dim must be an integer >= 1"),
    (["--latent-dim", "-3"], "latent dim must be an integer >= 1"),
    (["--latent-dim", "1.5"], "invalid int value: '1.5'"),
    (["--latent-dim", "two"], "invalid int value: 'two'"),
    (["--target", "nine_gaussians"], "unknown target 'nine_gaussians'; valid targets: eight_gaussians, gaussian, grid25, normal1d, spiral"),
    (["--prior", "cauchy"], "unknown prior 'cauchy'; valid priors: normal, uniform"),
    (["--loss", "wasserstein"], "unknown loss 'wasserstein'; valid losses: non_saturating, minimax"),
    (["--steps", "0"], "steps must be an integer >= 1"),
    (["--batch-size", "1"], "batch size must be an integer >= 2"),
    (["--batch-size", "511"], "batch size must be even"),
    (["--d-steps", "0"], "d-steps must be an integer >= 1"),
    (["--lr-g", "0"], "lr-g must be a positive number"),
    (["--lr-d=-1e-3"], "lr-d must be a positive number"),
    (["--lr-g", "inf"], "lr-g must be a finite positive number, got inf"),
    (["--lr-d", "nan"], "lr-d must be a finite positive number, got nan"),
    (["--beta1-g", "1"], "beta1-g must be a number in [0, 1), got 1.0"),
    (["--latent-dim", "5000"], "latent dim must be at most 4096 (the fixed latents and the generator's first layer grow with it)"),
    (["--seed", "-1"], "seed must be an integer >= 0, got -1"),
    (["--seed", "2147483648"], "seed must be at most 2147483647"),
    (["--d-steps", "101"], "d-steps must be at most 100"),
    (["--batch-size", "2097152"], "batch size must be at most 1048576"),
    (["--model", "dcgan", "--batch-size", "200000"], "100000 real digits a step; must be at most 60000"),
    (["--model", "dcgan", "--g-width", "64"], "--g-width applies to --model mlp or vae or cyclegan only, not --model dcgan"),
    (["--model", "dcgan", "--target", "spiral"], "--target applies to --model mlp or vae or cyclegan only"),
    (["--model", "mlp", "--data", "x.npz"], "--data applies to --model dcgan or vae or cgan or selfcond or cyclegan only, not --model mlp"),
    (["--arch", "seed"], "unknown arch 'seed' for --model mlp; valid archs: article, pacgan"),
    (["--mode-report-samples", "0"], "--mode-report-samples applies to --model dcgan or vae or cgan or selfcond only"),
    (["--model", "dcgan", "--ema", "1"], "ema must be a number in [0, 1), got 1.0"),
    (["--model", "dcgan", "--ema", "-0.1"], "ema must be a number in [0, 1), got -0.1"),
    (["--model", "dcgan", "--r1", "-1"], "r1 must be a number >= 0, got -1.0"),
    (["--model", "mlp", "--spectral-norm"], "--spectral-norm applies to --model dcgan or cgan or selfcond only, not --model mlp"),
    (["--model", "mlp", "--arch", "tutorial"], "unknown arch 'tutorial' for --model mlp; valid archs: article, pacgan"),
    (["--model", "vae", "--ema", "0.999"], "--ema applies to --model mlp or dcgan or cgan or selfcond only, not --model vae"),
    (["--pack", "0"], "pack must be an integer >= 1, got 0"),
    (["--pack", "3"], "batch size must divide by 2 x --pack = 6"),
    (["--model", "dcgan", "--pack", "3"], "batch size must divide by 2 x --pack = 6"),
    (["--pack", "65"], "pack must be at most 64"),
    (["--model", "vae", "--pack", "2"], "--pack applies to --model mlp or dcgan or cgan or selfcond only, not --model vae"),
    (["--latent-code", "1"], "--latent-code must be 0 (no code) or at least 2"),
    (["--latent-code", "-3"], "latent code must be an integer >= 0, got -3"),
    (["--info-weight", "1"], "--info-weight applies with --latent-code K (K >= 2) only"),
    (["--latent-code", "4", "--info-weight", "-1"], "info weight must be a number >= 0, got -1.0"),
    (["--model", "cgan", "--latent-code", "10"], "--latent-code applies to --model mlp or dcgan only, not --model cgan"),
    (["--model", "vae", "--beta", "1e308"], "beta must be at most 1000 (a heavier KL term only collapses the posterior"),
    (["--model", "vae", "--steps", "100", "--kl-warmup", "101"],
     "kl-warmup must be at most --steps 100 (the KL weight would never reach beta 1), got 101"),
]


@pytest.mark.parametrize("args, message", BAD_TRAIN_ARGS)
def test_train_bad_input_is_one_line_and_writes_nothing(args, message, tmp_path, capsys):
    logdir = tmp_path / "logs"
    try:
        status = run(train_cli.main, "train.py", args + ["--logdir", str(logdir)])
    except SystemExit as exc:  # argparse's own type errors
        status = exc.code
    err = capsys.readouterr().err.strip()
    assert status == 2
    assert len(err.splitlines()) == 1, err
    assert message in err
    assert not logdir.exists()


def test_unwritable_logdir_is_refused(tmp_path, capsys):
    if os.geteuid() == 0:
        # root ignores permission bits; a path through a regular file can never be created.
        blocker = tmp_path / "file"
        blocker.write_text("x")
        logdir = blocker / "logs"
    else:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
        logdir = locked / "logs"
    status = run(train_cli.main, "train.py", ["--logdir", str(logdir), "--steps", "5"])
    err = capsys.readouterr().err.strip()
    assert status == 2 and len(err.splitlines()) == 1 and "logdir" in err, err


def test_non_empty_export_dir_is_refused_with_or_without_overwrite(tmp_path, capsys):
    export_dir = tmp_path / "export"
    export_dir.mkdir()
    (export_dir / "keep.txt").write_text("precious")
    for extra in ([], ["--overwrite"]):
        status = run(train_cli.main, "train.py", ["--logdir", str(tmp_path / "logs"), "--export-dir", str(export_dir), "--steps", "5"] + extra)
        err = capsys.readouterr().err.strip()
        assert status == 2 and "is not an export of keras_gan_latent" in err and "delete it yourself" in err, err
    assert (export_dir / "keep.txt").read_text() == "precious"
    assert not (tmp_path / "logs").exists()


@pytest.mark.parametrize(
    "make_args, message",
    [
        (lambda tmp: [str(tmp / "missing")], "does not exist"),
        (lambda tmp: [str(tmp)], "is not a SavedModel folder"),
        (lambda tmp: [str(tmp), "-n", "0"], "-n must be a positive integer"),
        (lambda tmp: [str(tmp), "-n", "-5"], "-n must be a positive integer"),
        (lambda tmp: [str(tmp), "--truncation", "0"], "truncation psi must be in (0, 1] (1: no truncation), got 0"),
        (lambda tmp: [str(tmp), "--truncation", "1.5"], "truncation psi must be in (0, 1] (1: no truncation), got 1.5"),
        (lambda tmp: [str(tmp), "-n", "2147483648"], "-n must be at most 2147483647 (the export counts samples in int32)"),
        (lambda tmp: [str(tmp), "--latents-out", str(tmp)], "--latents-out '%s' is a folder; give a file name"),
        (lambda tmp: [str(tmp), "--plot", str(tmp / "out.npy")], "--out and --plot both name"),
    ],
)
def test_sample_bad_input(make_args, message, tmp_path, capsys):
    status = run(sample_cli.main, "sample.py", make_args(tmp_path) + ["--out", str(tmp_path / "out.npy")])
    err = capsys.readouterr().err.strip()
    message = message.replace("%s", str(tmp_path))
    assert status == 2 and len(err.splitlines()) == 1 and message in err, err
    assert not (tmp_path / "out.npy").exists()


def test_sample_out_folder_and_one_file_for_two_outputs_are_refused_before_tensorflow(tmp_path, capsys):
    code = ("import sys; from keras_gan_latent.cli import sample; from keras_gan_latent.cli.common import run; "
            "status = run(sample.main, 'sample.py', sys.argv[1:]); assert 'tensorflow' not in sys.modules; sys.exit(status)")
    same = str(tmp_path / "same.npy")
    for args, message in (([str(tmp_path), "--out", str(tmp_path)], "--out '%s' is a folder" % tmp_path),
                          ([str(tmp_path), "--out", same, "--latents-out", same], "--out and --latents-out both name")):
        result = subprocess.run([sys.executable, "-c", code] + args, cwd=ROOT, capture_output=True, text=True, timeout=120)
        assert result.returncode == 2 and message in result.stderr, result.stderr
    assert os.listdir(tmp_path) == []


def test_sample_more_than_fits_in_memory_is_one_line(toy_export, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(sample_cli, "available_memory", lambda: 10**9)
    out = tmp_path / "x.npy"
    status = run(sample_cli.main, "sample.py", [toy_export, "-n", "1000000000", "--out", str(out)])
    err = capsys.readouterr().err.strip()
    assert status == 2 and len(err.splitlines()) == 1, err
    assert "-n 1000000000 needs 16.0 GB for its samples and latents (16 bytes each)" in err and "at most 50000000 fit" in err
    assert not out.exists()


def test_sample_in_chunks_keeps_the_first_chunk_and_repeats_per_seed(toy_export, tmp_path):
    files = {name: str(tmp_path / f"{name}.npy") for name in ("small", "big", "again", "other")}
    n = sample_cli.CHUNK + 500
    assert run(sample_cli.main, "sample.py", [toy_export, "-n", "1000", "--out", files["small"]]) == 0
    for name, seed in (("big", "0"), ("again", "0"), ("other", "1")):
        assert run(sample_cli.main, "sample.py", [toy_export, "-n", str(n), "--seed", seed, "--out", files[name]]) == 0
    small, big, again, other = (np.load(files[name]) for name in ("small", "big", "again", "other"))
    assert big.shape == (n, 2) and np.array_equal(big[:1000], small) and np.array_equal(big, again)
    assert not np.array_equal(big[sample_cli.CHUNK:], other[sample_cli.CHUNK:])
    assert len(np.unique(big[:, 0])) > 0.99 * n  # the chunks are not copies of one another


def test_interpolate_frames_beyond_memory_is_one_line_before_tensorflow(tmp_path):
    code = ("import sys; from keras_gan_latent.cli import interpolate; from keras_gan_latent.cli.common import run; "
            "status = run(interpolate.main, 'interpolate.py', sys.argv[1:]); assert 'tensorflow' not in sys.modules; "
            "sys.exit(status)")
    result = subprocess.run([sys.executable, "-c", code, str(tmp_path), "--out", str(tmp_path / "o"), "--frames", "100000000"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "--frames 100000000 need about 40000.0 GB for their figures" in result.stderr and "at most --frames" in result.stderr
    assert not (tmp_path / "o").exists()


def test_scripts_run_as_programs_with_one_line_errors(tmp_path):
    env = checkout_env(TF_CPP_MIN_LOG_LEVEL="2")
    result = subprocess.run(
        script("train") + ["--latent-dim", "0"],
        cwd=str(tmp_path), env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.strip() == "train.py: error: latent dim must be an integer >= 1, got 0"
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_divergence_stops_with_one_line_naming_the_step_and_exports_nothing(tmp_path, capsys):
    logdir = tmp_path / "logs"
    status = run(
        train_cli.main,
        "train.py",
        ["--steps", "400", "--lr-d", "1e9", "--lr-g", "1e9", "--steps-per-execution", "20", "--logdir", str(logdir), "--quiet"],
    )
    err = capsys.readouterr().err.strip()
    assert status == 2 and len(err.splitlines()) == 1, err
    assert "training diverged by step" in err and "non-finite" in err
    step = int(err.split("by step ")[1].split(":")[0])
    assert 0 < step < 400 and step % 20 == 0
    run_dir = logdir / "eight_gaussians_z2_normal_s0"
    assert (run_dir / "config.json").exists()
    assert not (run_dir / "generator").exists()


@pytest.fixture(scope="module")
def lever_runs(tmp_path_factory):
    """Two short toy runs from the command line: one packing (--pack 2), one with a code of 5 values."""
    logdir = str(tmp_path_factory.mktemp("levers"))
    common = ["--target", "grid25", "--latent-dim", "2", "--steps", "300", "--image-every", "150", "--scalar-every", "50",
              "--batch-size", "256", "--logdir", logdir, "--quiet"]
    runs = {}
    for name, flags in (("pack", ["--pack", "2"]), ("code", ["--latent-code", "5"])):
        assert run(train_cli.main, "train.py", common + flags) == 0
        runs[name] = os.path.join(logdir, f"grid25_z2_normal_s0{'_pack2' if name == 'pack' else '_c5_info1'}")
    return runs


@pytest.mark.slow
def test_lever_runs_train_write_their_summaries_and_export(lever_runs):
    for name, run_dir in lever_runs.items():
        with open(os.path.join(run_dir, "config.json")) as f:
            config = json.load(f)
        steps = read_event_steps(run_dir)
        assert steps["samples/frame"] == [0, 150, 300], name
        assert read_event_image_sizes(run_dir)["samples/frame"] == (320, 320)
        assert os.path.isfile(os.path.join(run_dir, "generator", "saved_model.pb"))
        if name == "pack":
            assert config["pack"] == 2 and config["latent_code"] == 0 and config["info_weight"] is None
            assert "discriminator/heatmap" not in steps  # D judges pairs: no D(x) of one point
        else:
            assert config["latent_code"] == 5 and config["info_weight"] == 1.0 and config["pack"] == 1
            info = [v for _, v in read_event_scalars(run_dir, "train/info_loss")]
            assert len(info) == 6 and info[-1] < info[0], info  # Q learns to read the code


@pytest.mark.slow
def test_sample_cli_draws_one_code_and_refuses_codes_it_does_not_have(lever_runs, trained_run, tmp_path, capsys):
    export_dir = os.path.join(lever_runs["code"], "generator")
    out, latents = str(tmp_path / "c2.npy"), str(tmp_path / "z2.npy")
    assert run(sample_cli.main, "sample.py", [export_dir, "--code", "2", "-n", "300", "--out", out, "--latents-out", latents]) == 0
    assert "of code 2" in capsys.readouterr().out
    assert np.load(out).shape == (300, 2) and np.all(np.load(latents)[:, :5].argmax(axis=1) == 2)
    for args, message in (
        ([export_dir, "--code", "5"], "--code must be in 0..4 (the export's 5 codes), got 5"),
        ([export_dir, "--code", "-1"], "--code must be in 0..4"),
        ([export_dir, "--truncation", "0.5"], "latent has a discrete code"),
        ([os.path.join(trained_run[1], "generator"), "--code", "0"], "--code needs an export whose latent has a discrete part"),
    ):
        bad = str(tmp_path / "bad.npy")
        status = run(sample_cli.main, "sample.py", args + ["--out", bad])
        err = capsys.readouterr().err.strip()
        assert status == 2 and len(err.splitlines()) == 1 and message in err, (args, err)
        assert not os.path.exists(bad)
