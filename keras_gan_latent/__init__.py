"""keras_gan_latent: what the latent dimension of a GAN does to what it learns.

A GAN generator is a map from a k-dimensional latent space to the sample space.
This package trains such maps (a toy MLP GAN on 2-D targets, a DCGAN on MNIST),
streams them to TensorBoard, measures them and exports them as SavedModels.

The public API, for a notebook or a script:

    import keras_gan_latent as kgl

    result = kgl.train(kgl.TrainConfig(target="eight_gaussians", latent_dim=2, steps=3000))
    sampler, config = kgl.load_export(result.export_dir)        # a plain SavedModel
    samples = kgl.sample_export(sampler, 2500, seed=0)
    report = kgl.evaluate_samples(samples, kgl.get_target("eight_gaussians"))
    print(kgl.summary_row(report))                              # JS, KL, modes covered, ...

`TrainConfig(model="vae")` and `model="cgan"` train a VAE and a class-conditional
GAN the same way (`experiments`: one module per kind of run, `get_experiment`),
and, one level down, the pieces `train` assembles: targets (`get_target`,
`register_target`, `Target`), priors (`latent_prior`, `truncate_latents`), networks
(`mlp_generator`, `mlp_discriminator`), the Keras model `GAN` with its real
sample source (`TargetSource`), what `GAN.fit` is fed (`steps_dataset`), the
summaries callback (`TensorBoardSummaries` with a `ScatterView`), the export
(`export_generator`) and the sweep (`SweepSettings`, `run_sweep`). See
`examples/` for both levels.

Importing the package is cheap: each name is imported from its module on
first use, so command-line tools can reject bad input before TensorFlow loads.
"""

from typing import TYPE_CHECKING

from keras_gan_latent.lazy import lazy_exports

__version__ = "0.1.0"

# Public name -> the module that defines it.
_API = {
    "TrainConfig": "keras_gan_latent.experiments.config",
    "train": "keras_gan_latent.experiments.run",
    "prepare": "keras_gan_latent.experiments.run",
    "Experiment": "keras_gan_latent.experiments.base",
    "get_experiment": "keras_gan_latent.experiments",
    "RunResult": "keras_gan_latent.training.loop",
    "steps_dataset": "keras_gan_latent.training.loop",
    "Target": "keras_gan_latent.data.targets",
    "get_target": "keras_gan_latent.data.targets",
    "register_target": "keras_gan_latent.data.targets",
    "target_names": "keras_gan_latent.data.targets",
    "latent_prior": "keras_gan_latent.data.priors",
    "truncate_latents": "keras_gan_latent.data.priors",
    "mlp_generator": "keras_gan_latent.models.mlp",
    "mlp_discriminator": "keras_gan_latent.models.mlp",
    "GAN": "keras_gan_latent.models.gan",
    "TargetSource": "keras_gan_latent.models.gan",
    "DatasetSource": "keras_gan_latent.models.gan",
    "ClassLabels": "keras_gan_latent.models.conditioning",
    "LabelledDatasetSource": "keras_gan_latent.models.conditioning",
    "VAE": "keras_gan_latent.models.vae",
    "TensorBoardSummaries": "keras_gan_latent.training.callbacks",
    "ScatterView": "keras_gan_latent.viz.views",
    "GridView": "keras_gan_latent.viz.views",
    "export_generator": "keras_gan_latent.training.export",
    "load_export": "keras_gan_latent.training.export",
    "sample_export": "keras_gan_latent.training.export",
    "evaluate_samples": "keras_gan_latent.evaluation.toy",
    "summary_row": "keras_gan_latent.evaluation.toy",
    "mnist_report": "keras_gan_latent.evaluation.mnist",
    "SweepSettings": "keras_gan_latent.sweep.settings",
    "run_sweep": "keras_gan_latent.sweep.runner",
    "UserError": "keras_gan_latent.errors",
}

# What type checkers see of the lazy API: the same names from the same modules (a test keeps the two equal).
if TYPE_CHECKING:
    from keras_gan_latent.experiments.config import TrainConfig as TrainConfig
    from keras_gan_latent.experiments.run import train as train, prepare as prepare
    from keras_gan_latent.experiments.base import Experiment as Experiment
    from keras_gan_latent.experiments import get_experiment as get_experiment
    from keras_gan_latent.training.loop import RunResult as RunResult, steps_dataset as steps_dataset
    from keras_gan_latent.data.targets import (
        Target as Target, get_target as get_target, register_target as register_target, target_names as target_names,
    )
    from keras_gan_latent.data.priors import (
        latent_prior as latent_prior, truncate_latents as truncate_latents,
    )
    from keras_gan_latent.models.mlp import (
        mlp_generator as mlp_generator, mlp_discriminator as mlp_discriminator,
    )
    from keras_gan_latent.models.gan import (
        GAN as GAN, TargetSource as TargetSource, DatasetSource as DatasetSource,
    )
    from keras_gan_latent.models.conditioning import (
        ClassLabels as ClassLabels, LabelledDatasetSource as LabelledDatasetSource,
    )
    from keras_gan_latent.models.vae import VAE as VAE
    from keras_gan_latent.training.callbacks import TensorBoardSummaries as TensorBoardSummaries
    from keras_gan_latent.viz.views import ScatterView as ScatterView, GridView as GridView
    from keras_gan_latent.training.export import (
        export_generator as export_generator, load_export as load_export, sample_export as sample_export,
    )
    from keras_gan_latent.evaluation.toy import (
        evaluate_samples as evaluate_samples, summary_row as summary_row,
    )
    from keras_gan_latent.evaluation.mnist import mnist_report as mnist_report
    from keras_gan_latent.sweep.settings import SweepSettings as SweepSettings
    from keras_gan_latent.sweep.runner import run_sweep as run_sweep
    from keras_gan_latent.errors import UserError as UserError

__all__ = sorted(_API)
__getattr__, __dir__ = lazy_exports(__name__, _API)
del lazy_exports, TYPE_CHECKING  # the API is `__all__`; `dir()` lists it and `__version__` only
