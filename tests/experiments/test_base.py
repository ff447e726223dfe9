"""The experiment contract: four narrow protocols, each member declared once, each experiment built of parts."""

import pytest

from keras_gan_latent import experiments
from keras_gan_latent.errors import UserError
from keras_gan_latent.experiments.base import Pictures, Recipe, Scorer, SweepPresenter

# What an experiment must supply of each part: the abstract members, all declared in base.py.
ABSTRACT = {
    Recipe: {"build"},
    Scorer: {"evaluate", "summary_row", "headline", "report_text"},
    SweepPresenter: {"describe", "evaluate_cell", "notes", "section_title", "data_intrinsic_dimension"},
    Pictures: {"sample_image"},
}


def test_each_protocol_declares_what_an_experiment_must_supply():
    for protocol, members in ABSTRACT.items():
        assert protocol.__abstractmethods__ == members, protocol.__name__
        with pytest.raises(TypeError, match="abstract"):
            type("Incomplete", (protocol,), {})()


@pytest.mark.parametrize("name", experiments.EXPERIMENT_NAMES)
def test_each_experiment_is_built_of_the_four_parts(name):
    """Every part implements its protocol; only an experiment without a latent sweep has none (its spec refuses one)."""
    experiment = experiments.get_experiment(name)
    assert isinstance(experiment.recipe, Recipe) and isinstance(experiment.scorer, Scorer)
    assert isinstance(experiment.pictures, Pictures)
    assert isinstance(experiment.sweep, SweepPresenter) == bool(experiment.sweep_defaults)
    assert experiment.scorer.eval_metrics and experiment.recipe.training_metrics
    # The spec names the experiment's class (one registry): it is that class, and the experiment has that spec.
    module, cls = experiments.get_spec(name).experiment.split(":")
    assert (type(experiment).__module__, type(experiment).__name__) == (module, cls)
    assert experiment.name == name


def test_shared_parts_are_composed_not_copied():
    """The VAE and the CycleGAN score G's samples with the toy scorer; the VAE's sweep draws the toy sweep's figures."""
    toy, vae, cyclegan = (experiments.get_experiment(n) for n in ("mlp", "vae", "cyclegan"))
    assert type(vae.scorer.toy) is type(toy.scorer) and type(cyclegan.scorer.toy) is type(toy.scorer)
    assert vae.sweep.figure_files() == toy.sweep.figure_files() == ("grid.png", "latent_views.png")
    assert set(toy.scorer.eval_metrics) < set(vae.scorer.eval_metrics)


@pytest.mark.parametrize("name", ("mlp", "dcgan", "vae", "cyclegan"))
def test_an_unconditional_experiment_takes_no_class(name):
    """`sample.py --label` is refused in one line and the command-line tools get no class rows."""
    pictures = experiments.get_experiment(name).pictures
    assert pictures.image_labels((4, 1)) is None
    with pytest.raises(UserError, match=rf"^--label needs a class-conditional export \(--model cgan\); 'x' was trained "
                                        rf"with --model {name} and has no sample_label$"):
        pictures.label_sampler(None, 3, "x", {"model": name})


def test_the_conditional_experiment_labels_rows_by_class_and_refuses_digits():
    pictures = experiments.get_experiment("cgan").pictures
    assert pictures.image_labels((12, 1)).ravel().tolist() == [i % 10 for i in range(12)]
    assert pictures.image_labels((10,)).tolist() == list(range(10))
    with pytest.raises(UserError, match="^--digits applies to unconditional exports only"):
        pictures.digit_walk((7, 1), "x", {"model": "cgan"})
    with pytest.raises(UserError, match="label must be an integer in 0..9, got 10"):
        pictures.label_sampler(None, 10, "x", {"model": "cgan"})


def test_a_toy_experiment_draws_no_digit_walk():
    with pytest.raises(UserError, match="draws no digits"):
        experiments.get_experiment("mlp").pictures.digit_walk(None, "x", {"model": "mlp"})
