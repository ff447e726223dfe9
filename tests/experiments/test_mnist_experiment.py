"""The DCGAN experiment's report of a coded export (`--latent-code`): class discovery in evaluate.py."""

import json
import os

import pytest

from keras_gan_latent.cli import evaluate as evaluate_cli
from keras_gan_latent.cli import train as train_cli
from keras_gan_latent.cli.common import run
from keras_gan_latent.errors import UserError
from keras_gan_latent.evaluation import mnist as mnist_evaluation
from keras_gan_latent.experiments import mnist as mnist_experiment

NUM_CODES = 10


@pytest.fixture(scope="module")
def coded_dcgan_run(tmp_path_factory):
    """A 20-step light DCGAN with a 10-way code beside 4 continuous numbers (InfoGAN's lambda 1).

    The report's bookkeeping is read, not what the code has learnt: few steps, two image summaries.
    """
    run_dir = str(tmp_path_factory.mktemp("coded") / "run")
    args = ["--model", "dcgan", "--latent-dim", "4", "--latent-code", str(NUM_CODES), "--steps", "20",
            "--image-every", "20", "--mode-report-samples", "0", "--run-dir", run_dir, "--quiet"]
    assert run(train_cli.main, "train.py", args) == 0
    return run_dir


@pytest.mark.slow
def test_evaluate_reports_class_discovery_of_a_coded_export(coded_dcgan_run, capsys):
    export = os.path.join(coded_dcgan_run, "generator")
    assert run(evaluate_cli.main, "evaluate.py", [export, "-n", "500", "--no-parzen", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    found = report["code_discovery"]
    assert found["num_codes"] == NUM_CODES and found["samples_per_code_drawn"] == 50
    assert found["samples_per_code"] == [50] * NUM_CODES and found["num_samples"] == 500
    assert [sum(row) for row in found["confusion"]] == [50] * NUM_CODES
    assert sorted(found["assignment"]) == list(range(10))  # one-to-one: every code a different digit
    # The best of the 10! assignments beats their average, a tenth of the digits.
    assert 0.1 <= found["accuracy"] <= found["majority_accuracy"] <= 1.0
    for row, majority, purity in zip(found["confusion"], found["majority"], found["purity"]):
        assert row[majority] == max(row) and purity == pytest.approx(max(row) / 50)

    assert run(evaluate_cli.main, "evaluate.py", [export, "-n", "500", "--no-parzen"]) == 0
    text = capsys.readouterr().out
    assert f"class discovery     {found['accuracy']:.2%} of 500 digits (50 per code)" in text
    assert len([line for line in text.splitlines() if line.startswith("    ") and line.split()[0].isdigit()
                and len(line.split()) == 14]) == NUM_CODES  # code, assigned, majority, purity, 10 counts


def test_a_npy_or_an_export_without_a_code_has_no_codes_to_discover():
    assert mnist_experiment.export_num_codes(None) == 0  # a .npy source
    assert mnist_experiment.export_num_codes(object()) == 0  # an export without sample_code
    with pytest.raises(UserError, match="needs an export whose latent has a discrete part"):
        mnist_evaluation.code_discovery_report(None, classifier=None, num_codes=10, samples_per_code=10)
