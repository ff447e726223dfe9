"""training.run: the loop's entry points build whatever recipe they are handed, after the config's checks."""

import pytest

from keras_gan_latent import experiments
from keras_gan_latent.errors import UserError
from keras_gan_latent.experiments.base import Recipe
from keras_gan_latent.training import run
from keras_gan_latent.experiments.config import TrainConfig


class RecordingRecipe(Recipe):
    """The toy recipe, recording the config and scope it is given."""

    def __init__(self):
        self.calls = []

    def build(self, config, model_scope):
        self.calls.append(config)
        return experiments.get_experiment("mlp").recipe.build(config, model_scope)


def test_prepare_builds_the_recipe_it_is_handed_with_the_resolved_config(tmp_path):
    recipe = RecordingRecipe()
    setup = run.prepare(TrainConfig(steps=20, logdir=str(tmp_path)), recipe)
    (config,) = recipe.calls
    assert config.is_resolved and config.run_dir == str(tmp_path / "eight_gaussians_z2_normal_s0")
    assert setup.config is config and setup.strategy is not None
    assert not list(tmp_path.iterdir())  # prepare writes nothing


def test_prepare_refuses_a_bad_config_before_the_recipe_builds():
    recipe = RecordingRecipe()
    with pytest.raises(UserError, match="^--spectral-norm applies to --model dcgan or cgan or selfcond only, not --model mlp$"):
        run.prepare(TrainConfig(spectral_norm=True), recipe)
    assert recipe.calls == []
