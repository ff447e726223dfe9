"""What every command shares: --verbose, TensorFlow's start-up lines hidden, and no TensorFlow for help or refusals."""

import os
import re
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT, checkout_env, script
from keras_gan_latent.cli import evaluate, interpolate, results_pages, sample, sweep, train, train_classifier

COMMANDS = {"train": train, "sample": sample, "evaluate": evaluate, "interpolate": interpolate, "sweep": sweep,
            "train_classifier": train_classifier, "results_pages": results_pages}
# A line of TensorFlow's C++ logging, e.g. "I0000 00:00:1796541253.895511    9399 port.cc:153] oneDNN ...".
CPP_LOG_LINE = re.compile(r"^[IWE]\d{4} [\d:.]+ +\d+ [\w.-]+:\d+\] ", re.MULTILINE)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_verbose(name):
    assert "--verbose" in COMMANDS[name].build_parser().format_help()


def _python(code, *args, env=None):
    """Runs `python -c code args` from the repository root; returns the CompletedProcess."""
    return subprocess.run([sys.executable, "-c", code, *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=300)


# Each: a command and its arguments, and what its first line of output says.
WITHOUT_TENSORFLOW = [
    ("train", ["--help"], "usage: train.py"),
    ("train", ["--target", "nope"], "unknown target 'nope'; valid targets: eight_gaussians"),
    ("train", ["--model", "vae", "--target", "nope"], "unknown target 'nope'"),
    ("train", ["--model", "dcgan", "--batch-size", "3"], "batch size must be even"),
    ("sample", ["/nonexistent"], "export dir '/nonexistent' does not exist"),
    ("sample", ["--help"], "usage: sample.py"),
    ("evaluate", ["/nonexistent"], "is neither an export folder nor a .npy file"),
    ("evaluate", ["/nonexistent.npy", "--target", "nope"], "unknown target 'nope'; valid targets: eight_gaussians"),
    ("evaluate", ["/nonexistent.npy", "--target", "spiral"], "is neither an export folder nor a .npy file"),
    ("evaluate", ["{npy}", "--target", "nope"], "unknown target 'nope'; valid targets: eight_gaussians"),
    ("evaluate", ["{npy}"], "records no target: give --target, one of eight_gaussians"),
    ("sweep", ["--help"], "usage: sweep.py"),
    ("sweep", ["--targets", "nope"], "unknown target 'nope' for --model mlp"),
    ("interpolate", ["--help"], "usage: interpolate.py"),
    ("train_classifier", ["--help"], "usage: train_classifier.py"),
    ("results_pages", ["--help"], "usage: results_pages"),
]


@pytest.mark.parametrize("name, args, first_line", WITHOUT_TENSORFLOW)
def test_help_and_refusals_do_not_import_tensorflow(name, args, first_line, tmp_path):
    """`--help` and the refusal of bad input take a fraction of a second: TensorFlow is never imported."""
    npy = tmp_path / "x.npy"
    np.save(npy, np.zeros((100, 2), np.float32))
    code = (
        "import sys\n"
        f"from keras_gan_latent.cli import {name} as command\n"
        "from keras_gan_latent.cli.common import run\n"
        "try:\n"
        f"    status = run(command.main, {name!r}, sys.argv[1:])\n"
        "except SystemExit as exc:\n"
        "    status = exc.code\n"
        "print('status', status, 'tensorflow' in sys.modules, file=sys.stderr)\n"
    )
    result = _python(code, *[a.format(npy=npy) for a in args])
    output = (result.stdout + result.stderr).strip()
    assert first_line in output.splitlines()[0], output
    assert output.splitlines()[-1] == f"status {0 if '--help' in args else 2} False", output


def test_tensorflow_start_up_lines_are_hidden_unless_verbose(tmp_path):
    """A command that loads TensorFlow prints none of its C++ start-up lines; --verbose shows them."""
    npy = tmp_path / "x.npy"
    np.save(npy, np.random.default_rng(0).normal(size=(200, 2)).astype(np.float32))
    env = checkout_env({k: v for k, v in os.environ.items() if k != "TF_CPP_MIN_LOG_LEVEL"})
    command = script("evaluate") + [str(npy), "--target", "gaussian", "--resamples", "10"]
    quiet = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert quiet.returncode == 0 and "target gaussian, 200 samples" in quiet.stdout, quiet.stderr
    assert quiet.stderr == ""
    verbose = subprocess.run(command + ["--verbose"], env=env, capture_output=True, text=True,
                             timeout=300)
    assert verbose.returncode == 0 and verbose.stdout == quiet.stdout
    assert CPP_LOG_LINE.search(verbose.stderr), verbose.stderr
