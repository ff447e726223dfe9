"""The type stub of experiments.config: generated from the declarations, and what a type checker then accepts."""

import ast
import os
import subprocess
import sys

import keras_gan_latent
from keras_gan_latent.experiments import config_stub

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_the_committed_stub_is_what_the_declarations_give():
    with open(config_stub.STUB_PATH) as f:
        committed = f.read()
    assert committed == config_stub.type_stub(), (
        "keras_gan_latent/experiments/config.pyi is stale: run `python -m keras_gan_latent.experiments.config_stub`")


def test_a_type_checker_takes_every_setting_as_a_keyword_and_refuses_a_typo_or_a_wrong_type(tmp_path):
    good = tmp_path / "good.py"
    good.write_text(
        "import keras_gan_latent as kgl\n"
        "from keras_gan_latent.experiments.config import TrainConfig\n"
        "a = kgl.TrainConfig(target='grid25', latent_code=25, steps=100, bfloat16=True, cycle_weight=2.0)\n"
        "b: TrainConfig = TrainConfig(model='dcgan', arch='seed').resolved()\n"
        "k: int = b.latent_dim\n"
    )
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import keras_gan_latent as kgl\n"
        "a = kgl.TrainConfig(targett='grid25')\n"
        "b = kgl.TrainConfig(steps='many')\n"
    )
    command = [sys.executable, "-m", "mypy", "--cache-dir", str(tmp_path / "cache"), "--ignore-missing-imports",
               "--follow-imports=silent", "--no-error-summary"]
    env = dict(os.environ, MYPYPATH=REPO)
    accepted = subprocess.run(command + [str(good)], capture_output=True, text=True, env=env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    refused = subprocess.run(command + [str(bad)], capture_output=True, text=True, env=env)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert 'bad.py:2: error: Unexpected keyword argument "targett" for "TrainConfig"' in refused.stdout
    assert 'bad.py:3: error: Argument "steps" to "TrainConfig" has incompatible type "str"; expected "int"' in refused.stdout


def test_type_checkers_see_the_lazy_api_name_for_name():
    """The TYPE_CHECKING imports of the package give each name of `__all__` from the module the lazy API loads it from."""
    with open(keras_gan_latent.__file__) as f:
        tree = ast.parse(f.read())
    block = next(node for node in tree.body if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING")
    seen = {alias.asname: node.module for node in block.body for alias in node.names}
    assert all(alias.name == alias.asname for node in block.body for alias in node.names)
    assert seen == keras_gan_latent._API
