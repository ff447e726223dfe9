"""The public Python API (`import keras_gan_latent as kgl`) and the examples that use it."""

import importlib.util
import os
import subprocess
import sys

import numpy as np
import pytest

from conftest import ROOT

import keras_gan_latent as kgl


def test_every_public_name_resolves_and_unknown_names_fail():
    for name in kgl.__all__:
        assert getattr(kgl, name) is not None, name
    assert set(kgl.__all__) <= set(dir(kgl))
    with pytest.raises(AttributeError, match="no attribute 'trian'"):
        kgl.trian  # noqa: B018


def test_dir_lists_the_public_api_only():
    assert dir(kgl) == sorted(kgl.__all__ + ["__version__"])
    kgl.train  # noqa: B018 (a name resolved on first use stays listed once)
    assert dir(kgl) == sorted(kgl.__all__ + ["__version__"])


TYPED_FUNCTIONS = [
    "train", "prepare", "load_export", "sample_export", "evaluate_samples", "summary_row", "get_target",
    "register_target", "target_names", "latent_prior", "truncate_latents", "mlp_generator", "mlp_discriminator",
    "export_generator", "mnist_report", "run_sweep", "get_experiment", "steps_dataset",
]


@pytest.mark.parametrize("name", TYPED_FUNCTIONS)
def test_public_functions_carry_type_hints(name):
    import inspect

    function = getattr(kgl, name)
    hints = function.__annotations__
    assert "return" in hints, name
    assert all(p.name in hints for p in inspect.signature(function).parameters.values()), name


def test_package_is_marked_typed_and_ships_the_marker():
    assert os.path.isfile(os.path.join(os.path.dirname(kgl.__file__), "py.typed"))
    with open(os.path.join(ROOT, "setup.py")) as f:
        assert '"py.typed"' in f.read()


def test_importing_the_package_does_not_import_tensorflow():
    code = "import sys, keras_gan_latent as kgl; kgl.__version__; print('tensorflow' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "False", result.stderr


def load_example(name):
    spec = importlib.util.spec_from_file_location(name, os.path.join(ROOT, "examples", f"{name}.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_quickstart_example_runs_as_written(tmp_path):
    row = load_example("quickstart").main(["--steps", "200", "--logdir", str(tmp_path)])
    assert 0 <= row["js"] <= np.log(2) + 1e-6 and 0 <= row["modes_covered"] <= 8
    (run,) = os.listdir(tmp_path)
    assert os.path.isfile(os.path.join(tmp_path, run, "generator", "saved_model.pb"))


@pytest.mark.slow
def test_custom_target_and_generator_example_runs_as_written(tmp_path, monkeypatch):
    from keras_gan_latent.data import targets

    # The example registers a target: keep it out of the registry the other tests see.
    monkeypatch.setattr(targets, "_TARGET_BUILDERS", dict(targets._TARGET_BUILDERS))
    monkeypatch.setattr(targets, "_DEFAULT_PRIORS", dict(targets._DEFAULT_PRIORS))
    row = load_example("custom_target_and_generator").main(["--steps", "200", "--logdir", str(tmp_path)])
    assert 0 <= row["modes_covered"] <= 3
    assert "three_modes" in kgl.target_names()
    sampler, config = kgl.load_export(str(tmp_path / "three_modes_custom" / "generator"))
    assert config == {"target": "three_modes"}
    first, again = kgl.sample_export(sampler, 10, seed=3), kgl.sample_export(sampler, 10, seed=3)
    assert first.shape == (10, 2) and np.array_equal(first, again)  # same seed, same samples
    assert any(name.startswith("events.out.tfevents") for name in os.listdir(tmp_path / "three_modes_custom"))
