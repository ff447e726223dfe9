"""The conditional experiment (`--model cgan`): a class-conditional DCGAN on MNIST that draws the digit you ask for.

It is the DCGAN experiment (`MnistExperiment`: the same architectures and
defaults, the same classifier, MNIST report, montage and sweep files) with
the class given to both networks (Mirza & Osindero, 2014; the networks are
`models.cgan`'s). What differs is here: the labelled MNIST stream and the
conditional `GAN`, the class grid of the training view with the label
agreement of the mode report, and the evaluation, which adds to the MNIST
report what the labels make measurable (`evaluation.conditional`): label
agreement, the Frechet distance of each class against that class's real
digits, and within-class diversity, the answer to "with the class given,
how small can the latent get before each class collapses to one drawing?".
"""

import numpy as np
import tensorflow as tf

from keras_gan_latent.data import mnist
from keras_gan_latent.errors import UserError
from keras_gan_latent.evaluation import conditional, interpolation
from keras_gan_latent.evaluation import mnist as mnist_evaluation
from keras_gan_latent.experiments.base import INTRINSIC_DIMENSION_SAMPLES, Experiment
from keras_gan_latent.experiments.mnist import (
    MNIST_COLUMN_NOTES, MNIST_TARGET, Classifiers, MnistPictures, MnistRecipe, MnistScorer, MnistSweep,
)
from keras_gan_latent.experiments.cgan_spec import CganSpec
from keras_gan_latent.metrics import intrinsic_dimension
from keras_gan_latent.models import cgan
from keras_gan_latent.models.conditioning import ClassLabels
from keras_gan_latent.viz import views
from keras_gan_latent.viz.digits import image_grid as digits_grid

CLASS_GRID_COLUMNS = 10  # the training view's grid: 10 classes x 10 fixed latents


class CganExperiment(CganSpec, Experiment):
    """The class-conditional DCGAN on real MNIST digits, judged by the cached MNIST classifier.

    Architectures and their defaults are the DCGAN's (`arch`). Each step's
    real digits come with their labels; the generated half-batch gets
    labels drawn uniformly over the ten classes, and G's update does too.
    The fixed latents carry fixed labels, `i % 10` for the i-th.
    """

    def __init__(self):
        classifiers = Classifiers()
        scorer = CganScorer(classifiers)
        super().__init__(CganRecipe(classifiers), scorer, CganSweep(scorer), CganPictures())


class CganRecipe(MnistRecipe):
    """The DCGAN's recipe with the class given to both networks and to the training view (its hooks below)."""

    training_metrics = MnistRecipe.training_metrics + (f"{views.MODE_PREFIX}label_agreement",)

    def networks(self, config):
        """The conditional DCGAN of `config.arch`: G([z, label]) and D([x, label]) (spectrally normalised with `config.spectral_norm`)."""
        return (
            cgan.conditional_dcgan_generator(config.latent_dim, config.arch),
            cgan.conditional_dcgan_discriminator(config.arch, spectral_norm=config.spectral_norm, pack=config.pack),
        )

    def model_options(self, config, x_train):
        """Real digits with their labels; ten classes (a `GAN` composed with the label path `ClassLabels`)."""
        del config, x_train
        return {"conditioning": ClassLabels(cgan.NUM_CLASSES)}

    def stream_labels(self, y_train):
        """The stream yields each step's digits with their labels."""
        return y_train

    def grid_view(self, config, x_test, y_test=None):
        """The class grid (rows: classes; columns: fixed latents), with the mode report and label agreement.

        Loads the classifier for the mode report (before the GAN is seeded, see `MnistExperiment.grid_view`).
        """
        mode_report = None
        if config.mode_report_samples > 0:
            mode_report = conditional.ConditionalDigitModeReporter(self.classifier(config.data).model, x_test, y_test)
        return views.ClassGridView(x_test, y_test, cgan.NUM_CLASSES, CLASS_GRID_COLUMNS, mode_report=mode_report)



class CganScorer(MnistScorer):
    """The MNIST report of digits drawn with uniform labels, plus what the labels make measurable."""

    eval_metrics = (
        "label_agreement", "mean_class_frechet_distance", "within_class_diversity",
    ) + MnistScorer.eval_metrics

    def score(self, source, num_samples, seed, data=None, parzen=True, verbose=2):
        """The MNIST report of digits drawn with uniform labels, plus `evaluation.conditional_report`.

        Args:
            source: The export folder of a conditional run (a `.npy` holds no labels).

        Returns:
            `(report, images, draw)`; `draw(title)` pictures ten digits of
            each requested class beside the class histogram.
        """
        images, labels, _ = conditional.load_labelled_images(source, num_samples, seed)
        classifier = self.classifier(data, verbose=verbose).model
        report = mnist_evaluation.mnist_report(images, classifier, parzen=parzen, data_path=data)
        report.update(conditional.conditional_report(images, labels, classifier, data_path=data))
        return report, images, lambda title: conditional.conditional_report_image(images, labels, report, title=title)

    def plot_title(self, report):
        return f"{report['num_samples']} digits, label agreement {report['label_agreement']:.1%}"

    def summary_row(self, report):
        """The MNIST report's numbers and the conditional ones (`eval_metrics`)."""
        return {
            "label_agreement": report["label_agreement"],
            "mean_class_frechet_distance": report["mean_class_frechet_distance"],
            "within_class_diversity": report["within_class_diversity"],
            **super().summary_row(report),
        }

    def headline(self, report):
        """Label agreement, mean per-class Frechet distance and diversity, then the MNIST headline."""
        fd, diversity = report["mean_class_frechet_distance"], report["within_class_diversity"]
        text = f"label agreement {report['label_agreement']:.1%}"
        if fd is not None:
            text += f", per-class Frechet {fd:.1f}, diversity {diversity:.2f} of real"
        return f"{text}; {super().headline(report)}"

    def report_text(self, report):
        """The MNIST report's text, then label agreement and one line per requested class."""
        real = report["conditional_reference"]
        lines = [
            super().report_text(report),
            f"  label agreement     {report['label_agreement']:.2%}   (classifier argmax == the requested label; "
            "the classifier's test accuracy is the ceiling)",
            f"  per-class Frechet   {_number(report['mean_class_frechet_distance'])}   (mean over classes, each against "
            f"that class's real test digits; real training digits: {_number(real['mean_class_frechet_distance'])})",
            f"  within-class div.   {_number(report['within_class_diversity'], '.2f')} of real in features, "
            f"{_number(report['within_class_pixel_diversity'], '.2f')} in pixels   (mean pairwise distance of each "
            "class's digits / that of its real test digits; 1 as varied as real, near 0 one drawing per class)",
            "  per class: requested   n   agreement   Frechet [real]   diversity features / pixels (of real)",
        ]
        for entry in report["per_class"]:
            agreement = "n/a" if entry["label_agreement"] is None else f"{entry['label_agreement']:.1%}"
            lines.append(
                f"    {entry['label']}  {entry['num_samples']:6d}  {agreement:>7}   {_number(entry['frechet_distance'], '6.2f')} "
                f"[{entry['frechet_distance_real']:.2f}]   {_number(entry['feature_diversity_ratio'], '.2f')} / "
                f"{_number(entry['pixel_diversity_ratio'], '.2f')}"
            )
        return "\n".join(lines)



class CganSweep(MnistSweep):
    """The DCGAN sweep's files and montage; its own description, notes and intrinsic dimension."""

    title = "Latent-dimension sweep: class-conditional DCGAN on MNIST"
    curve_tags = tuple(f"{views.MODE_PREFIX}{key}" for key in conditional.CONDITIONAL_SCALARS)
    noise_criteria = (("label_agreement", "higher"), ("mean_class_frechet_distance", "lower"))

    def describe(self, settings):
        return f"{settings.arch} conditional DCGAN on {MNIST_TARGET}"

    def data_intrinsic_dimension(self, name, settings):
        """The mean over classes of the TwoNN intrinsic dimension of one class's digits.

        The class is given, so the latent only has to cover the variation
        within a class: among the first `INTRINSIC_DIMENSION_SAMPLES`
        training digits, in [0, 1]^784.
        """
        x_train, y_train = mnist.load_mnist(settings.data)[:2]
        x, y = x_train[:INTRINSIC_DIMENSION_SAMPLES], np.asarray(y_train)[:INTRINSIC_DIMENSION_SAMPLES]
        estimates = [
            intrinsic_dimension(x[y == c].reshape(-1, 28 * 28).astype(np.float64) / 255.0, method="two_nn")["estimate"]
            for c in range(cgan.NUM_CLASSES)
        ]
        return float(np.mean(estimates))

    def notes(self, settings):
        """What the table's entries mean, after the shared first sentences."""
        return (
            f"Conditional DCGAN `{settings.arch}`, digits drawn with uniform labels. label_agreement: share of "
            "digits the classifier assigns to the requested label (its test accuracy 99.26 % is the ceiling); "
            "mean_class_frechet_distance: mean over classes of the Frechet distance in classifier features of "
            "the digits asked for as a class against that class's real test digits (real training digits: "
            "2.82); within_class_diversity: mean over classes of the mean pairwise feature distance of a "
            "class's digits over that of its real test digits (1: as varied as real digits; near 0: the "
            f"class collapsed to one drawing). {MNIST_COLUMN_NOTES} The intrinsic dimension is the mean over "
            "classes of one class's digits' (the latent need not code the class)."
        )



class CganPictures(MnistPictures):
    """The DCGAN's digit grid; samples of one class (`sample.py --label`); `interpolate.py`'s styles across classes."""

    def label_sampler(self, sampler, label, export_dir, config):
        """The export's `sample_label` at `label` (refused unless one of the ten classes)."""
        label = tf.constant(int(cgan.check_labels(label)), tf.int32)
        return lambda count, seed: sampler.sample_label(num_samples=count, seed=seed, label=label)

    def image_labels(self, shape):
        """Row i (the first axis) at class i mod 10, broadcastable over the rest of `shape`."""
        return (np.arange(shape[0]) % cgan.NUM_CLASSES).reshape((shape[0],) + (1,) * (len(shape) - 1))

    def digit_walk(self, digits, export_dir, config):
        """`styles.png`: one row per inverted test digit, the real digit then G(z*, c) for every class c.

        What the latent keeps besides the class (slant, thickness) is seen across classes.

        Raises:
            UserError: for `--digits` (the real-digit path is the unconditional exports' figure).
        """
        if digits is not None:
            raise UserError(f"--digits applies to unconditional exports only; {export_dir!r} is class-conditional "
                            f"(--model {config.get('model')}), for which interpolate.py draws styles.png instead")
        classes = np.arange(cgan.NUM_CLASSES)

        def walk(generate, inversion, real, frames, prior):
            del frames, prior
            styles = interpolation.generate_images(
                generate, np.repeat(inversion.z[:, None], cgan.NUM_CLASSES, axis=1), labels=classes[None, :]
            ).reshape(cgan.NUM_CLASSES, cgan.NUM_CLASSES, 28, 28)
            name = "styles.png"
            image = digits_grid(np.concatenate([real[:, None], styles], axis=1).reshape(-1, 28, 28),
                                cgan.NUM_CLASSES, cgan.NUM_CLASSES + 1)
            return name, image, {"file": name, "rows": "test digits 0-9", "columns": "the real digit, then classes 0-9"}

        return walk

def _number(value, spec=".3f"):
    """A report number, or "n/a" for None."""
    return "n/a" if value is None else format(value, spec)
