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

Between the digit domains (`--source mnist --target mnist_rot` or the
reverse, `data.mnist.domains`) the translators and critics are
`--digit-arch`'s (`models.digit_translator`: by default a scaled-down
CycleGAN ResNet and PatchGANs), and the true
translation is known: the runs are scored by `evaluation.translation.
digit_translation_report` on held-out test digits instead.
"""

import os

import keras

from keras_gan_latent.data import mnist, targets
from keras_gan_latent.data.mnist import domains
from keras_gan_latent.errors import UserError
from keras_gan_latent.evaluation import toy as toy_evaluation
from keras_gan_latent.evaluation.translation import digit_translation_report, translation_report
from keras_gan_latent.experiments.base import EvaluateOptions, Experiment, Pictures, Recipe, Scorer, adam_pair
from keras_gan_latent.experiments.mnist import Classifiers, MnistPictures
from keras_gan_latent.experiments.cyclegan_spec import CycleGanSpec
from keras_gan_latent.experiments.toy import ToyPictures, ToyScorer
from keras_gan_latent.models import digit_translator, mlp
from keras_gan_latent.models.cyclegan import CycleGAN, DigitDomain
from keras_gan_latent.models.gan import TargetSource
from keras_gan_latent.training.export import load_export, sample_export
from keras_gan_latent.training.loop import Setup, steps_dataset
from keras_gan_latent.viz import translation, views

ENCODER_WIDTH, ENCODER_DEPTH = 128, 2
LATENT_CRITIC_WIDTH, LATENT_CRITIC_DEPTH = 64, 2
VIEW_DIGITS = 500  # held-out test digits (and fixed training draws) a digit run's summaries translate
# Scalar tags its study (`sweep.cyclegan_study`) keeps of each run.
CURVE_TAGS = views.CONVERGENCE_SCALARS + ("cycle/x", "cycle/y")


class CycleGanExperiment(CycleGanSpec, Experiment):
    """CycleGAN (k = 0) or Augmented CycleGAN (k > 0) from `--source` to `--target`, both 2-D toy targets or both digit domains.

    Defaults: the CycleGAN paper's Adam 2e-4, beta_1 0.5 for both sides,
    least-squares adversarial loss, cycle weight 10, identity weight 0.5 x the
    cycle weight; 256 samples of each domain per step; XLA on.
    """

    def __init__(self):
        classifiers = Classifiers()
        super().__init__(CycleGanRecipe(self), CycleGanScorer(ToyScorer(), classifiers), None,
                         CycleGanPictures(ToyPictures(), MnistPictures()))


class CycleGanRecipe(Recipe):
    """The translators, critics and (k > 0) encoders between two toy targets or two digit domains, with their view.

    Args:
        spec: The `CycleGanSpec` that tells the kinds of domain apart and names a run.
    """

    training_metrics = ("convergence/js", "cycle/x", "cycle/y", "train/d_loss", "train/g_loss")

    def __init__(self, spec):
        self.spec = spec

    def build(self, config, model_scope):
        """G, F, D_Y, D_X (and with k > 0 the encoders and latent critics) between `config.source` and `config.target`.

        Toy domains get the MLPs and the arrows view; digit domains the
        convolutional networks, the unpaired halves of MNIST's training
        digits (`domains.training_domains`) and the view of held-out pairs;
        their export's `sample` translates held-out test digits.
        """
        k = config.translator_noise
        if self.spec.digits(config):
            x_train, _, x_test, _ = mnist.load_mnist(config.data)
            x, y = domains.training_domains(config.source, config.target, x_train)
            source, target = DigitDomain(config.source, x), DigitDomain(config.target, y)
            translator, critic = digit_translator.ARCHS[config.digit_arch]

            def encoder(name):
                return digit_translator.digit_encoder(2, k, name=name)

            view_x, view_y = domains.test_pairs(config.source, config.target, x_test[:VIEW_DIGITS])
            view = translation.DigitTranslationView(
                view_x[..., None] / 127.5 - 1.0, view_y[..., None] / 127.5 - 1.0, self.spec.run_summary(config))
            options = dict(num_fixed=VIEW_DIGITS, export_source=DigitDomain(config.source, domains.into_domain(config.source, x_test)))
        else:
            source, target = targets.get_target(config.source), targets.get_target(config.target)

            def translator(inputs, outputs, name):
                return mlp.mlp_generator(inputs, outputs, config.g_width, config.g_depth, name=name)

            def critic(inputs, name):
                return mlp.mlp_discriminator(inputs, config.d_width, config.d_depth, name=name)

            def encoder(name):
                return mlp.mlp_generator(source.dim + target.dim, k, ENCODER_WIDTH, ENCODER_DEPTH, name=name)

            view = translation.TranslationView(source, target, num_real=config.num_fixed_latents, seed=config.seed)
            options = dict(num_fixed=config.num_fixed_latents)
        dx, dy = _channels(source), _channels(target)
        with model_scope():
            keras.utils.set_random_seed(config.seed)
            networks = dict(
                translator=translator(dx + k, dy, name="G"),
                translator_back=translator(dy + k, dx, name="F"),
                critic_y=critic(dy, name="D_Y"),
                critic_x=critic(dx, name="D_X"),
            )
            if k:
                networks.update(
                    encoder_y=encoder("E_y"),
                    encoder_x=encoder("E_x"),
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
                **options,
                **networks,
            )
        return Setup(model=model, make_dataset=steps_dataset, view=view, config=config,
                     make_optimizers=lambda: adam_pair(config))


class CycleGanScorer(Scorer):
    """Toy domains: the toy scorer's report of G(X), plus round trips, transport and the steganography probe;
    digit domains: G(x) against the true translation on held-out digits.

    Args:
        toy: The `ToyScorer` of G(X) against a toy target.
        classifiers: The MNIST `Classifiers` that judge translated digits.
    """

    eval_metrics = ToyScorer.eval_metrics + ("cycle_x", "cycle_y", "probe_excess")

    def __init__(self, toy, classifiers):
        self.toy, self.classifier = toy, classifiers

    def evaluate(self, source, data_name, num_samples=None, seed=0, options=None):
        """The toy report of G(X) against `data_name`; for a cyclegan export also its `translation` report.

        Returns:
            `(report, samples)`; `report["translation"]` as
            `evaluation.translation.translation_report`, with the export's
            `source` and `translator_noise` beside it.
        """
        options = options or EvaluateOptions()
        if data_name in domains.DIGIT_DOMAINS:
            return self._evaluate_digits(source, data_name, num_samples, seed, options)
        report, samples = self.toy.evaluate(source, data_name, num_samples, seed, options)
        if os.path.isdir(source):
            sampler, config = load_export(source)
            if config.get("model") == CycleGanSpec.name:
                count = toy_evaluation.MODE_PROTOCOL_SAMPLES if num_samples is None else num_samples
                report["translation"] = translation_report(
                    sampler, targets.get_target(config["source"]), targets.get_target(data_name), count, seed
                )
                report["translation"].update(source=config["source"], translator_noise=config["translator_noise"])
        return report, samples

    def _evaluate_digits(self, source, data_name, num_samples, seed, options):
        """`digit_translation_report` of the first `num_samples` test digits (default all), and G(x) of them.

        Raises:
            UserError: for a `.npy` (a translation is scored against the
                digits it came from, which only the export can translate).
        """
        if not os.path.isdir(source):
            raise UserError(f"a translator between digit domains is scored from its export folder (its translations "
                            f"are compared with the digits they came from); {source!r} is not one")
        sampler, config = load_export(source)
        _, _, x_test, y_test = mnist.load_mnist(options.data)
        count = len(x_test) if num_samples is None else min(num_samples, len(x_test))
        cached = self.classifier(options.data, verbose=options.verbose)
        found = digit_translation_report(sampler, config["source"], data_name, x_test[:count], y_test[:count],
                                         cached.model, seed)
        found.update(source=config["source"], translator_noise=config["translator_noise"])
        report = {"target": data_name, "translation": found,
                  "classifier": {"test_accuracy": cached.info["test_accuracy"], "model_path": cached.info["model_path"]}}
        return report, sample_export(sampler, count, seed)

    def summary_row(self, report):
        """Digit domains: the translation errors, class agreements and scores (`DIGIT_METRICS`); toy: the toy row, plus `cycle_x`, `cycle_y` and `probe_excess` (the round trip's rise under noise of 0.1 mode sigma)."""
        if report["target"] in domains.DIGIT_DOMAINS:
            return {key: report["translation"][key] for key in DIGIT_METRICS}
        row = self.toy.summary_row(report)
        found = report.get("translation", {})
        probe = {p["scale"] / found["steganography"]["unit"]: p for p in found["steganography"]["noisy"]} if found else {}
        excess = next((p["excess"] for rel, p in probe.items() if abs(rel - 0.1) < 1e-9), None)
        row.update(cycle_x=found.get("cycle_x"), cycle_y=found.get("cycle_y"), probe_excess=excess)
        return row

    def headline(self, report):
        if report["target"] in domains.DIGIT_DOMAINS:
            found = report["translation"]
            return (f"error G {found['error_g']:.4f} / F {found['error_f']:.4f}, class kept "
                    f"{found['agreement_g']:.1%} / {found['agreement_f']:.1%}")
        text = self.toy.headline(report)
        if "translation" in report:
            text += f", cycle {report['translation']['cycle_x']:.3f} / {report['translation']['cycle_y']:.3f}"
        return text

    def report_text(self, report):
        """The toy report's lines, then the round trips, the transport matrix and the probe (digit domains: `digit_report_lines`)."""
        if report["target"] in domains.DIGIT_DOMAINS:
            return "\n".join(digit_report_lines(report))
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



class CycleGanPictures(Pictures):
    """The toy scatter frame of G(X), or the DCGAN's digit grid of translated digits.

    Args:
        toy: The `ToyPictures` of toy domains.
        mnist: The `MnistPictures` of digit domains.
    """

    def __init__(self, toy, mnist):
        self.toy, self.mnist = toy, mnist

    def sample_image(self, samples, config):
        """The scatter frame of G(X) over the target's samples; digits: a grid of the first translations."""
        if config["target"] in domains.DIGIT_DOMAINS:
            return self.mnist.sample_image(samples, config)
        return self.toy.sample_image(samples, {**config, "latent_dim": f"{config['translator_noise']} (translator noise)"})


# The digit domains' row of `summary_row`.
DIGIT_METRICS = ("error_g", "error_f", "cycle_x", "cycle_y", "agreement_g", "agreement_f", "classifier_score_g",
                 "classifier_score_f")


def _channels(domain):
    """The features of one sample a network maps: a toy target's dim, a digit's 1 channel."""
    return domain.shape[-1] if isinstance(domain, DigitDomain) else domain.dim


def digit_report_lines(report):
    """`evaluate.py`'s text of a digit translator's report (`digit_translation_report`)."""
    found = report["translation"]
    source, target = found["source"], report["target"]
    accuracy = report["classifier"]["test_accuracy"]
    return [
        f"translation {source} -> {target}, translator noise k {found['translator_noise']}, {found['num_samples']} "
        "held-out test digits, each in both domains",
        "  pixel errors: mean |a - b| in units of the pixel range (0 equal, 1 black against white)",
        f"  G(x) against the true translation  {found['error_g']:.4f}   (the identity map: {found['error_identity']:.4f})",
        f"  F(y) against the digit y came from {found['error_f']:.4f}",
        f"  cycle error         x: {found['cycle_x']:.4f}   y: {found['cycle_y']:.4f}   (the round trips as trained)",
        f"  class kept (the cached CNN, test accuracy {accuracy:.2%}, on digits brought back upright):",
        f"    G(x)  {found['agreement_g']:.2%}   (the true translations: {found['reference_agreement_g']:.2%})",
        f"    F(y)  {found['agreement_f']:.2%}   (the digits y came from: {found['reference_agreement_f']:.2%})",
        f"  classifier score    G(X): {found['classifier_score_g']:.3f}   F(Y): {found['classifier_score_f']:.3f}   "
        f"of 10   (the held-out digits: {found['reference_classifier_score']:.3f})",
    ]
