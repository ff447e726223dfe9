"""The experiments' specs: their settings side, declared once, without TensorFlow."""

import subprocess
import sys

import pytest

from conftest import ROOT
from keras_gan_latent import experiments
from keras_gan_latent.errors import UserError
from keras_gan_latent.experiments import spec
from keras_gan_latent.experiments import SPECS
from keras_gan_latent.experiments.config import SETTINGS_BY_NAME, TrainConfig


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
        "from keras_gan_latent.experiments.config import TrainConfig\n"
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


def test_every_setting_a_spec_claims_is_a_config_field():
    fields = set(TrainConfig.__dataclass_fields__)
    for spec in SPECS.values():
        assert set(spec.setting_names()) <= fields, spec.name


@pytest.mark.parametrize("name", experiments.EXPERIMENT_NAMES)
def test_a_setting_another_experiment_claims_is_refused_in_one_line(name):
    """Each setting some spec claims but `name`'s does not is refused for `name`, naming the models that take it."""
    others = {s for spec in SPECS.values() for s in spec.setting_names()} - set(SPECS[name].setting_names())
    values = {"arch": "seed", "data": "x.npz", "target": "spiral", "source": "spiral", "loss": "hinge", "prior": "uniform",
              "spectral_norm": True, "beta1_g": 0.3, "beta1_d": 0.3, "label_smoothing": 0.1, "ema": 0.5, "digit_arch": "dense"}
    forced = SPECS[name].forced
    # --info-weight without --latent-code is refused first, by its own line (test_config).
    for setting in sorted(others - set(forced) - {"info_weight"}):
        declared = TrainConfig.__dataclass_fields__[setting].default
        value = values.get(setting, 3 if declared is None or declared in (0, 1, 0.0) else declared * 2)
        owners = " or ".join(m for m, spec in SPECS.items() if setting in spec.setting_names())
        flag = SETTINGS_BY_NAME[setting].flag or setting
        with pytest.raises(UserError, match=rf"^{flag} applies to --model {owners} only, not --model {name}$"):
            TrainConfig(model=name, **{setting: value}).resolved()


def test_a_gan_run_name_records_its_game_and_the_others_need_not():
    """The GAN experiments' names add the game's settings away from their defaults; the VAE's and the CycleGAN's take none."""
    config = TrainConfig(model="cgan", loss="hinge", d_steps=2, pack=2, spectral_norm=True, ema=0.999).resolved()
    assert config.default_run_name() == "cgan_light_z2_normal_s0_hinge_k2_sn_ema0.999_pack2"
    coded = TrainConfig(latent_code=10).resolved()
    assert coded.default_run_name() == "eight_gaussians_z2_normal_s0_c10_info1"
    assert spec.GanSettings not in SPECS["vae"].settings + SPECS["cyclegan"].settings
