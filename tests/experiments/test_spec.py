"""The experiments' specs: their settings side, declared once, without TensorFlow."""

import subprocess
import sys

import pytest

from conftest import ROOT
from keras_gan_latent import experiments
from keras_gan_latent.experiments.spec import SPECS
from keras_gan_latent.training.config import TrainConfig


@pytest.mark.parametrize("name", experiments.EXPERIMENT_NAMES)
def test_each_experiment_is_its_spec(name):
    """An experiment inherits its spec, so the two cannot disagree on a default, a check or a name."""
    experiment = experiments.get_experiment(name)
    assert isinstance(experiment, type(SPECS[name])) and experiment.name == name
    assert experiment.variant_defaults is SPECS[name].variant_defaults
    assert experiment.sweep_defaults is SPECS[name].sweep_defaults


def test_specs_are_listed_in_the_experiments_order():
    assert tuple(SPECS) == experiments.EXPERIMENT_NAMES


def test_resolving_configs_and_sweeps_imports_no_tensorflow():
    """Every model's config resolves (defaults, checks, run name) and every sweep's settings with it, TensorFlow unloaded."""
    code = (
        "import sys\n"
        "from keras_gan_latent.sweep.settings import SweepSettings\n"
        "from keras_gan_latent.training.config import TrainConfig\n"
        "for model in ('mlp', 'dcgan', 'vae', 'cgan'):\n"
        "    config = TrainConfig(model=model).resolved()\n"
        "    print(config.default_run_name(), config.batch_size, config.prior)\n"
        "    SweepSettings(model=model).resolved()\n"
        "print(TrainConfig(model='vae', target='mnist').resolved().batch_size)\n"
        "print('tensorflow' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n") == [
        "eight_gaussians_z2_normal_s0 512 normal",
        "mnist_light_z2_normal_s0 64 normal",
        "vae_eight_gaussians_z2_beta1_s0 512 normal",
        "cgan_light_z2_normal_s0 64 normal",
        "64",
        "False",
        "",
    ]


def test_model_for_data_names_every_target_when_refusing():
    assert experiments.model_for_data("spiral") == "mlp" and experiments.model_for_data("mnist") == "dcgan"
    with pytest.raises(Exception, match="unknown target 'digits'; valid targets: eight_gaussians, gaussian, grid25, normal1d, spiral, mnist"):
        experiments.model_for_data("digits")


def test_uses_classifier_only_for_digit_runs_with_a_mode_report():
    assert not SPECS["mlp"].uses_classifier(TrainConfig().resolved())
    for model in ("dcgan", "cgan"):
        assert SPECS[model].uses_classifier(TrainConfig(model=model).resolved())
        assert not SPECS[model].uses_classifier(TrainConfig(model=model, mode_report_samples=0).resolved())
    assert SPECS["vae"].uses_classifier(TrainConfig(model="vae", target="mnist").resolved())
    assert not SPECS["vae"].uses_classifier(TrainConfig(model="vae").resolved())
