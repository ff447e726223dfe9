"""A likelihood-trained generator (`--model vae`): the (beta-)VAE on a toy target or on MNIST.

The question beside the GAN's: does a VAE's sample quality depend on the
latent dimension the way a GAN's does, and how many latent units does it use?
So the VAE is measured the way the GAN is: the same targets, the same views
(with each unit's KL added), the same export signatures (plus `encode` and
`likelihood_bounds`), the same reports (plus the ELBO and IWAE bound beside
the target's true entropy for the toy targets) and the same sweep.

The data side (target registry, scatter view, report; MNIST stream, digit
grid, classifier report) is the GAN experiments', composed here.
"""

import math
import os

import keras
import numpy as np
import tensorflow as tf

from keras_gan_latent.data import mnist, priors, targets
from keras_gan_latent.experiments.base import EvaluateOptions, Experiment, Pictures, Recipe, Scorer, adam
from keras_gan_latent.experiments.mnist import MNIST_TARGET, Classifiers, MnistPictures, MnistRecipe, MnistScorer
from keras_gan_latent.experiments.vae_spec import VaeSpec
from keras_gan_latent.experiments.toy import ToyPictures, ToyScorer, ToySweep
from keras_gan_latent.models import vae_networks
from keras_gan_latent.models.gan import DatasetSource, TargetSource
from keras_gan_latent.models.vae import IWAE_SAMPLES, VAE, gaussian_kl
from keras_gan_latent.training.export import load_export
from keras_gan_latent.training.loop import Setup, steps_dataset
from keras_gan_latent.viz import views

# Held-out points the toy report's ELBO and IWAE bound are averaged over.
LIKELIHOOD_POINTS = 2500
# Test digits of the MNIST report's bounds (each costs IWAE_SAMPLES decodes).
MNIST_LIKELIHOOD_DIGITS = 1000


class VaeExperiment(VaeSpec, Experiment):
    """The beta-VAE: MLP encoder/decoder with a learned Gaussian decoder on a toy target,
    convolutional with a Bernoulli decoder on MNIST.

    Defaults: on a toy target batch 512 and Adam 1e-3 (the article's batch,
    Adam's usual rate), XLA on; on MNIST batch 64 and Adam 1e-3, XLA off.
    The prior is N(0, I) for both. `beta` weighs the KL term (1: the VAE),
    reached after a linear warm-up over the first half of the steps.
    """

    def __init__(self):
        classifiers = Classifiers()
        scorer = VaeScorer(ToyScorer(), MnistScorer(classifiers))
        super().__init__(VaeRecipe(MnistRecipe(classifiers)), scorer, VaeSweep(scorer), VaePictures())


class VaeRecipe(Recipe):
    """The VAE's networks and model; on MNIST the DCGAN's digit stream and grid view (its `MnistRecipe`).

    Args:
        mnist: The `MnistRecipe` whose digit stream, grid view and fixed latents a VAE on MNIST takes.
    """

    training_metrics = ("train/loss", "train/reconstruction", "train/kl", "train/elbo", "latent/active_units")

    def __init__(self, mnist):
        self.mnist = mnist

    def build(self, config, model_scope):
        """The VAE on `config.target`: MLPs and a Gaussian decoder, or convolutions and a Bernoulli one on MNIST."""
        if config.target == MNIST_TARGET:
            x_train, _, x_test, _ = mnist.load_mnist(config.data)
            view = self.mnist.grid_view(config, x_test)  # before the VAE is seeded
            make_dataset = self.mnist.digit_stream(config, x_train, config.batch_size)
            source, likelihood = DatasetSource(), "bernoulli"
            num_fixed = self.mnist.num_fixed_latents(config)

            def networks():
                return vae_networks.conv_encoder(config.latent_dim), vae_networks.conv_decoder(config.latent_dim)
        else:
            target = targets.get_target(config.target)
            view = views.ScatterView(target, num_real=config.num_fixed_latents, seed=config.seed)
            make_dataset, source, likelihood = steps_dataset, TargetSource(target), "gaussian"
            num_fixed = config.num_fixed_latents

            def networks():
                width, depth = config.g_width, config.g_depth
                return (
                    vae_networks.mlp_encoder(target.dim, config.latent_dim, width=width, depth=depth),
                    vae_networks.mlp_decoder(config.latent_dim, target.dim, width=width, depth=depth),
                )
        with model_scope():
            keras.utils.set_random_seed(config.seed)
            encoder, decoder = networks()
            model = VAE(encoder, decoder, source, likelihood, batch_size=config.batch_size, beta=config.beta,
                        seed=config.seed, num_fixed_latents=num_fixed, kl_warmup=config.kl_warmup)
        # One Adam (beta_1 0.9, Keras' default) for the encoder and the decoder.
        return Setup(model=model, make_dataset=make_dataset, view=views.LatentUsageView(view), config=config,
                     make_optimizers=lambda: {"optimizer": adam(config.lr, 0.9, config.mixed_precision)})


class VaeScorer(Scorer):
    """The data's report (toy or MNIST) of the export's samples, plus the VAE's likelihood bounds and latent usage.

    Args:
        toy: The `Scorer` of the toy targets.
        mnist: The `Scorer` of MNIST.
    """

    # The metric names of a sweep's tables: the toy report's, plus the VAE's own.
    eval_metrics = ToyScorer.eval_metrics + ("elbo", "iwae", "active_units")

    def __init__(self, toy, mnist):
        self.toy, self.mnist = toy, mnist

    def data_scorer(self, data_name):
        """The scorer of `data_name`'s samples."""
        return self.mnist if data_name == MNIST_TARGET else self.toy

    def evaluate(self, source, data_name, num_samples=None, seed=0, options=None):
        """The data's report of the export's samples, plus the VAE's likelihood bounds and latent usage.

        Samples are the export's `sample` (Gaussian decoder: with its noise;
        Bernoulli: the mean image). With a VAE export, `likelihood` holds the
        mean ELBO and IWAE bound (nats) of held-out data, `LIKELIHOOD_POINTS`
        fresh target samples or `MNIST_LIKELIHOOD_DIGITS` test digits; on a
        toy target beside E log p_data (minus the target's entropy): the
        model's expected log-likelihood is at most that, and the gap is
        KL(p_data || p_model) plus the bound's own slack. `latent_usage`
        holds the KL of each unit on those points and how many exceed
        `views.ACTIVE_UNIT_KL`.
        """
        options = options or EvaluateOptions()
        report, samples = self.data_scorer(data_name).evaluate(source, data_name, num_samples, seed, options)
        if os.path.isdir(source):
            sampler, _ = load_export(source)
            if hasattr(sampler, "likelihood_bounds"):
                report.update(self.likelihood_report(sampler, data_name, seed, options.data))
        return report, samples

    def likelihood_report(self, sampler, data_name, seed, data_path):
        """`likelihood` and `latent_usage` of an export on held-out data."""
        if data_name == MNIST_TARGET:
            x_test = mnist.load_mnist(data_path)[2][:MNIST_LIKELIHOOD_DIGITS]
            points = mnist.to_unit_range(x_test)
            entropy = None
        else:
            target = targets.get_target(data_name)
            points = target.sample(LIKELIHOOD_POINTS, seed=tf.constant([seed, 0x11D])).numpy()
            entropy = float(-np.mean(target.log_prob(points).numpy()))
        x = tf.constant(points, tf.float32)
        bounds = sampler.likelihood_bounds(x=x, seed=tf.constant(seed, tf.int64))
        elbo, iwae = (bounds[k].numpy().astype(np.float64) for k in ("elbo", "iwae"))
        posterior = sampler.encode(x=x)
        mean, log_var = posterior["mean"].numpy(), posterior["log_var"].numpy()
        kl_units = np.mean(gaussian_kl(mean, log_var).numpy(), axis=0)
        likelihood = {
            "num_points": int(len(points)),
            "elbo": float(np.mean(elbo)),
            "iwae": float(np.mean(iwae)),
            "iwae_samples": IWAE_SAMPLES,
            "standard_error": float(np.std(iwae, ddof=1) / math.sqrt(len(iwae))),
        }
        if entropy is not None:
            # E log p_data = -H; the model's log-likelihood is at most that, the gap is KL(p_data || p_model).
            likelihood.update(data_entropy=entropy, gap_to_entropy=float(-entropy - np.mean(iwae)))
        usage = {
            "kl_per_unit": [float(v) for v in kl_units],
            "active_units": int(np.sum(kl_units > views.ACTIVE_UNIT_KL)),
            "active_threshold_nats": views.ACTIVE_UNIT_KL,
        }
        return {"likelihood": likelihood, "latent_usage": usage}

    def summary_row(self, report):
        """The data report's row, plus `elbo`, `iwae` and `active_units` (None without an export's bounds)."""
        row = self.data_scorer(report.get("target")).summary_row(report)
        likelihood, usage = report.get("likelihood", {}), report.get("latent_usage", {})
        row.update(elbo=likelihood.get("elbo"), iwae=likelihood.get("iwae"), active_units=usage.get("active_units"))
        return row

    def headline(self, report):
        text = self.data_scorer(report.get("target")).headline(report)
        if "likelihood" in report:
            text += f", IWAE {report['likelihood']['iwae']:.3f}, {report['latent_usage']['active_units']} active units"
        return text

    def report_text(self, report):
        """The data report's text, then the likelihood bounds and the units in use."""
        lines = [self.data_scorer(report.get("target")).report_text(report)]
        if "likelihood" in report:
            lk, usage = report["likelihood"], report["latent_usage"]
            lines.append(f"  ELBO                {lk['elbo']:.4f} nats   (mean over {lk['num_points']} held-out points)")
            lines.append(f"  IWAE bound (K={lk['iwae_samples']})  {lk['iwae']:.4f} +- {lk['standard_error']:.4f} nats")
            if "data_entropy" in lk:
                lines.append(f"  E log p_data        {-lk['data_entropy']:.4f} nats   (the target's negative entropy; "
                             f"gap to the IWAE bound {lk['gap_to_entropy']:.4f}: at least KL(p_data || p_model))")
            lines.append(f"  active latent units {usage['active_units']}/{len(usage['kl_per_unit'])}   (KL above "
                         f"{usage['active_threshold_nats']} nats; per unit: "
                         + ", ".join(f"{v:.3f}" for v in usage["kl_per_unit"][:16])
                         + (" ..." if len(usage["kl_per_unit"]) > 16 else "") + ")")
        return "\n".join(lines)



class VaeSweep(ToySweep):
    """A toy sweep's files and figures (the GAN's panels), the report with the VAE's bounds.

    Args:
        scorer: The `VaeScorer`; the grid's panels show its toy scorer's headline.
    """

    title = "Latent-dimension sweep: VAE"

    def __init__(self, scorer):
        super().__init__(scorer.toy)
        self.vae = scorer

    def describe(self, settings):
        return f"VAE (beta 1) on {','.join(settings.targets)}"

    def evaluate_cell(self, config, settings, result_dir):
        """The toy sweep's files of the cell, and the report with the VAE's bounds."""
        report = super().evaluate_cell(config, settings, result_dir)
        report.update(self.vae.likelihood_report(load_export(config.export_dir)[0], config.target, config.seed, None))
        return report

    def notes(self, settings):
        return (
            "elbo, iwae: mean ELBO and IWAE bound (nats) of 2,500 fresh target samples; active_units: latent "
            "units whose mean KL exceeds 0.01 nats. " + super().notes(settings)
        )

    def section_title(self, name, settings):
        return f"{name} (VAE, prior N(0, I))"


class VaePictures(Pictures):
    """The pictures of the data it was trained on: the toy scatter frame, or the DCGAN's digit grid and walk."""

    def __init__(self):
        self.toy, self.mnist = ToyPictures(), MnistPictures()

    def data_pictures(self, data_name):
        """The `Pictures` of `data_name`'s samples."""
        return self.mnist if data_name == MNIST_TARGET else self.toy

    def sample_image(self, samples, config):
        return self.data_pictures(config.get("target")).sample_image(samples, config)

    def digit_walk(self, digits, export_dir, config):
        return self.data_pictures(config.get("target")).digit_walk(digits, export_dir, config)
