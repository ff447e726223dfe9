"""Translators between two toy distributions (`--model cyclegan`): CycleGAN and Augmented CycleGAN.

A GAN maps simple noise to the data; a CycleGAN maps one data distribution
to another. A deterministic translator sends each source point to one target
point, so it cannot split one source mode into several target modes; with
`--translator-noise k` > 0 it takes noise of its own (Augmented CycleGAN).
How much noise does a translator need? The runs here are scored as a GAN's
samples are (G(X) against the target's exact density: JS, modes, HQ) plus
what only a translator has: round-trip errors, the transport matrix and the
steganography probe (`evaluation.translation`).

Networks are the article's MLPs (G: 3 x 256 relu, D: 5 x 128 leaky) fed x
and z; the encoders E(x, y) -> z are 2 x 128 relu MLPs, the latent critics
2 x 64 leaky.
"""

import os

import keras

from keras_gan_latent.data import targets
from keras_gan_latent.evaluation import toy as toy_evaluation
from keras_gan_latent.evaluation.translation import translation_report
from keras_gan_latent.experiments.base import EvaluateOptions, Experiment
from keras_gan_latent.experiments.spec import CycleGanSpec
from keras_gan_latent.experiments.toy import ToyExperiment
from keras_gan_latent.models import mlp
from keras_gan_latent.models.cyclegan import CycleGAN
from keras_gan_latent.models.gan import TargetSource
from keras_gan_latent.training.export import load_export
from keras_gan_latent.training.loop import Setup, steps_dataset
from keras_gan_latent.viz import translation, views

ENCODER_WIDTH, ENCODER_DEPTH = 128, 2
LATENT_CRITIC_WIDTH, LATENT_CRITIC_DEPTH = 64, 2


class CycleGanExperiment(CycleGanSpec, Experiment):
    """CycleGAN (k = 0) or Augmented CycleGAN (k > 0) from `--source` to `--target`, both 2-D toy targets.

    Defaults: the CycleGAN paper's Adam 2e-4, beta_1 0.5 for both sides,
    least-squares adversarial loss, cycle weight 10, identity weight 0.5 x the
    cycle weight; 256 samples of each domain per step; XLA on.
    """

    title = "Translator noise: CycleGAN and Augmented CycleGAN"
    training_metrics = ("convergence/js", "cycle/x", "cycle/y", "train/d_loss", "train/g_loss")
    eval_metrics = ToyExperiment.eval_metrics + ("cycle_x", "cycle_y", "probe_excess")
    curve_tags = views.CONVERGENCE_SCALARS + ("cycle/x", "cycle/y")
    curve_metric = views.CONVERGENCE_JS
    curve_label = ToyExperiment.curve_label
    curve_limits = ToyExperiment.curve_limits
    noise_criteria = ToyExperiment.noise_criteria

    def __init__(self):
        super().__init__()
        self.toy = ToyExperiment()

    # ---------------------------------------------------------------- training

    def build(self, config, model_scope):
        """G, F, D_Y, D_X (and with k > 0 the encoders and latent critics) between `config.source` and `config.target`."""
        source, target = targets.get_target(config.source), targets.get_target(config.target)
        k = config.translator_noise
        with model_scope():
            keras.utils.set_random_seed(config.seed)
            networks = dict(
                translator=mlp.mlp_generator(source.dim + k, target.dim, config.g_width, config.g_depth, name="G"),
                translator_back=mlp.mlp_generator(target.dim + k, source.dim, config.g_width, config.g_depth, name="F"),
                critic_y=mlp.mlp_discriminator(target.dim, config.d_width, config.d_depth, name="D_Y"),
                critic_x=mlp.mlp_discriminator(source.dim, config.d_width, config.d_depth, name="D_X"),
            )
            if k:
                both = source.dim + target.dim
                networks.update(
                    encoder_y=mlp.mlp_generator(both, k, ENCODER_WIDTH, ENCODER_DEPTH, name="E_y"),
                    encoder_x=mlp.mlp_generator(both, k, ENCODER_WIDTH, ENCODER_DEPTH, name="E_x"),
                    latent_critic_y=mlp.mlp_discriminator(k, LATENT_CRITIC_WIDTH, LATENT_CRITIC_DEPTH, name="D_zy"),
                    latent_critic_x=mlp.mlp_discriminator(k, LATENT_CRITIC_WIDTH, LATENT_CRITIC_DEPTH, name="D_zx"),
                )
            model = CycleGAN(
                source=TargetSource(source),
                target=TargetSource(target),
                translator_noise=k,
                batch_size=config.batch_size,
                cycle_weight=config.cycle_weight,
                identity_weight=config.identity_weight,
                seed=config.seed,
                num_fixed=config.num_fixed_latents,
                **networks,
            )
        view = translation.TranslationView(source, target, num_real=config.num_fixed_latents, seed=config.seed)
        return Setup(model=model, make_dataset=steps_dataset, view=view, config=config,
                     make_optimizers=lambda: self.make_optimizers(config))

    # -------------------------------------------------------------- evaluation

    def evaluate(self, source, data_name, num_samples=None, seed=0, options=None):
        """The toy report of G(X) against `data_name`; for a cyclegan export also its `translation` report.

        Returns:
            `(report, samples)`; `report["translation"]` as
            `evaluation.translation.translation_report`, with the export's
            `source` and `translator_noise` beside it.
        """
        options = options or EvaluateOptions()
        report, samples = self.toy.evaluate(source, data_name, num_samples, seed, options)
        if os.path.isdir(source):
            sampler, config = load_export(source)
            if config.get("model") == self.name:
                count = toy_evaluation.MODE_PROTOCOL_SAMPLES if num_samples is None else num_samples
                report["translation"] = translation_report(
                    sampler, targets.get_target(config["source"]), targets.get_target(data_name), count, seed
                )
                report["translation"].update(source=config["source"], translator_noise=config["translator_noise"])
        return report, samples

    def summary_row(self, report):
        """The toy row, plus `cycle_x`, `cycle_y` and `probe_excess` (the round trip's rise under noise of 0.1 mode sigma)."""
        row = self.toy.summary_row(report)
        found = report.get("translation", {})
        probe = {p["scale"] / found["steganography"]["unit"]: p for p in found["steganography"]["noisy"]} if found else {}
        excess = next((p["excess"] for rel, p in probe.items() if abs(rel - 0.1) < 1e-9), None)
        row.update(cycle_x=found.get("cycle_x"), cycle_y=found.get("cycle_y"), probe_excess=excess)
        return row

    def headline(self, report):
        text = self.toy.headline(report)
        if "translation" in report:
            text += f", cycle {report['translation']['cycle_x']:.3f} / {report['translation']['cycle_y']:.3f}"
        return text

    def report_text(self, report):
        """The toy report's lines, then the round trips, the transport matrix and the probe."""
        lines = [self.toy.report_text(report)]
        found = report.get("translation")
        if found:
            lines.append(f"  translation         {found['source']} -> {report['target']}, translator noise k "
                         f"{found['translator_noise']}, {found['num_samples']} draws of each domain")
            lines.append(f"  cycle error         x: {found['cycle_x']:.4f}   y: {found['cycle_y']:.4f}   "
                         "(mean distance to the round trip)")
            if found["translator_noise"]:
                lines.append(f"  x round trip with fresh noise for F {found['cycle_x_fresh_noise']:.4f}   (how much of x "
                             "G(x) itself carries; the trained cycle hands F the encoded noise E_x(x, G(x)))")
            transport = found["transport"]
            lines.append(f"  transport           target modes each source mode feeds (>= 1 %): {transport['modes_fed']}")
            for i, row in enumerate(transport["fractions"]):
                cells = " ".join("  -  " if v is None else f"{v:5.2f}" for v in row)
                lines.append(f"    source mode {i:2d}    {cells}   (last: in no target mode)")
            probe = found["steganography"]
            lines.append(f"  steganography probe x round trip {probe['clean']:.4f} without noise; with noise added to "
                         f"G(x), in units of {probe['unit']:.3g}:")
            for rel, entry in zip(probe["relative_scales"], probe["noisy"]):
                lines.append(f"    noise {rel:g}   error {entry['error']:.4f}   excess {entry['excess']:.4f}   "
                             f"gain {entry['gain']:.2f}")
        return "\n".join(lines)

    def sample_image(self, samples, config):
        """The scatter frame of G(X) over the target's samples."""
        return self.toy.sample_image(samples, {**config, "latent_dim": f"{config['translator_noise']} (translator noise)"})

    # ------------------------------------------------------------------- sweep

    def _intrinsic_dimension(self, name, settings):
        return self.toy.intrinsic_dimension(name, settings)
