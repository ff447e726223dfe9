"""The self-conditioned experiment (`--model selfcond`): a DCGAN on MNIST conditioned on clusters of its own D's features.

Liu et al. (2020) give a GAN the discrete choice a class label gives a cGAN
without any label: the real digits are clustered in the discriminator's
features (k-means, `--clusters K`), and G and D are conditioned on the
cluster as the cGAN's networks are on the class (`models.cgan`, the
projection discriminator). The clusters are recomputed from D's current
features every `--recluster-every` steps (`models.self_conditioning`).

It is the cGAN's networks and the DCGAN's everything else: the architectures
and their defaults, the unconditional MNIST report of the export's `sample`
(clusters drawn in proportion to their sizes), the sweep's files. What the
clusters make measurable is the DCGAN's class discovery of a coded latent:
how well the clusters G draws from match the digits the classifier sees,
during training (`modes/code_accuracy`) and in `evaluate.py`'s report.
"""

import numpy as np

from keras_gan_latent.data import mnist
from keras_gan_latent.evaluation import mnist as mnist_evaluation
from keras_gan_latent.experiments.base import Experiment
from keras_gan_latent.experiments.mnist import (
    CODE_GRID_COLUMNS, Classifiers, MnistPictures, MnistRecipe, MnistScorer, MnistSweep,
)
from keras_gan_latent.experiments.selfcond_spec import SelfcondSpec
from keras_gan_latent.models import cgan
from keras_gan_latent.models.self_conditioning import ClusterLabels, Recluster
from keras_gan_latent.viz import views


class SelfcondExperiment(SelfcondSpec, Experiment):
    """The self-conditioned DCGAN on real MNIST digits: the DCGAN's scorer, sweep and pictures, the cGAN's networks."""

    def __init__(self):
        classifiers = Classifiers()
        scorer = MnistScorer(classifiers)
        super().__init__(SelfcondRecipe(classifiers), scorer, MnistSweep(scorer), MnistPictures())


class SelfcondRecipe(MnistRecipe):
    """The DCGAN's recipe with K clusters for classes (its hooks below).

    The digit stream yields each step's digits with their row in the
    training set; the label path (`ClusterLabels`) looks their clusters up,
    and `Recluster` recomputes the clusters from D's features.
    """

    training_metrics = MnistRecipe.training_metrics + (
        f"{views.MODE_PREFIX}code_accuracy", f"{views.MODE_PREFIX}code_majority_accuracy",
    )

    def networks(self, config):
        """The cGAN's networks of `config.arch` with `config.clusters` classes (D spectrally normalised with `config.spectral_norm`)."""
        return (
            cgan.conditional_dcgan_generator(config.latent_dim, config.arch, num_classes=config.clusters),
            cgan.conditional_dcgan_discriminator(config.arch, num_classes=config.clusters, spectral_norm=config.spectral_norm),
        )

    def model_options(self, config, x_train):
        """K clusters of the training digits as the classes (a `GAN` composed with the label path `ClusterLabels`)."""
        return {"conditioning": ClusterLabels(config.clusters, len(x_train))}

    def stream_labels(self, y_train):
        """The stream yields each step's digits with their rows in the training set (the clusters' keys)."""
        return np.arange(len(y_train))

    def callbacks(self, config, model, x_train):
        """`Recluster`: the clusters of the training digits in D's features, at step 0 and every `config.recluster_every` steps."""
        return (
            Recluster(
                model.conditioning,
                cgan.discriminator_feature_model(model.discriminator),
                mnist.to_unit_range(x_train),
                config.recluster_every,
                config.seed,
                lambda: int(model.global_step.numpy()),
            ),
        )

    def grid_view(self, config, x_test, y_test=None):
        """One row of digits per cluster; the mode report adds class discovery of the clusters (`modes/code_accuracy`).

        The fixed latents carry clusters `i % K`, so the report's digits are
        drawn evenly from the clusters. Loads the classifier before the GAN
        is seeded (see `MnistExperiment.grid_view`).
        """
        del y_test
        mode_report = None
        if config.mode_report_samples > 0:
            classifier = self.classifier(config.data).model
            mode_report = mnist_evaluation.CodedDigitModeReporter(classifier, x_test, config.clusters)
        rows = np.arange(len(x_test)) % config.clusters  # the real grid: K rows of test digits, in their order
        return views.ClassGridView(x_test, rows, config.clusters, CODE_GRID_COLUMNS, mode_report=mode_report)
