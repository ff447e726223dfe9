"""Score a translator export (`--model cyclegan`): round trips, the transport matrix and the steganography probe.

The export's samples G(X) are scored against the target like any
generator's (`evaluation.toy`); this adds what only a translator has:

    cycle:          mean ||F(G(x)) - x|| over source draws and ||G(F(y)) - y|| over target draws
                    (with k > 0 the cycle as trained: the encoded noise closes it);
    transport:      which source mode feeds which target modes (`metrics.translation.transport_matrix`);
    steganography:  the x round trip after Gaussian noise is added to G(x), at sizes
                    relative to the target's mode scale (`metrics.translation.steganography_probe`).

A translator between digit domains (`data.mnist.domains`) has a known answer
instead: `digit_translation_report` scores G(x) against the true
translation of held-out digits, F(y) against the digit y came from, and
whether the digit's class survives (the MNIST classifier).
"""

import numpy as np
import tensorflow as tf

from keras_gan_latent.data.mnist import domains, to_unit_range
from keras_gan_latent.evaluation.conditional import label_agreement
from keras_gan_latent.metrics.mnist_modes import classifier_score
from keras_gan_latent.metrics.translation import cycle_error, pixel_error, steganography_probe, transport_matrix
from keras_gan_latent.models.classifier import classify

TRANSLATE_BATCH = 500  # digits per call of the export (bounds the translators' activations)

# Noise added to G(x) by the probe, in units of the target's mode standard deviation
# (or of its per-coordinate standard deviation for a target without modes).
PROBE_SCALES = (0.01, 0.03, 0.1, 0.3, 1.0)


def noise_unit(target, seed=0):
    """The probe's unit of noise for `target`: its mode sigma, or its samples' mean per-coordinate std."""
    if target.mode_scale is not None:
        return float(target.mode_scale)
    points = target.sample(10_000, seed=tf.constant([seed, 0x57E6])).numpy()
    return float(np.mean(np.std(points, axis=0)))


def translation_report(sampler, source, target, num_samples=2500, seed=0):
    """What a translator export does beyond its samples.

    Args:
        sampler: A loaded cyclegan export (`translate`, `cycle`, `cycle_back`, `return_trip`).
        source: The `Target` of X.
        target: The `Target` of Y.
        num_samples: Source and target draws.
        seed: Seed of the draws, the translators' noise and the probe's.

    Returns:
        A JSON-safe dict: `cycle_x`, `cycle_y` (mean Euclidean round-trip
        errors), `cycle_x_fresh_noise` (the x round trip with F given fresh
        noise instead of the encoded one: how much of x G(x) itself carries;
        for k = 0 the same as `cycle_x`), `transport` (the matrix over source modes x target modes,
        or one row for a source without modes), and `steganography`: the
        probe at `PROBE_SCALES` times `noise_unit` (its `unit`).
    """
    noisy = "seed" in _input_names(sampler.translate)
    extra = {"seed": tf.constant(seed, tf.int64)} if noisy else {}
    x = source.sample(num_samples, seed=tf.constant([seed, 0xC1C]))
    y = target.sample(num_samples, seed=tf.constant([seed, 0xC1D]))
    there = sampler.cycle(x=x, **extra)
    back = sampler.cycle_back(y=y, **extra)
    x_np, gx = x.numpy(), there["y"].numpy()
    unit = noise_unit(target, seed)

    def return_trip(points):
        return sampler.return_trip(x=x, y=tf.constant(points, tf.float32))["x"].numpy()

    probe = steganography_probe(x_np, gx, return_trip, [s * unit for s in PROBE_SCALES], seed=seed)
    probe.update(unit=unit, relative_scales=list(PROBE_SCALES))
    # With k > 0 the trained cycle hands F the encoded noise E_x(x, G(x)), which is computed from x:
    # F on G(x) with fresh noise instead says how much of x G(x) itself carries (k = 0: the same cycle).
    fresh = {"seed": tf.constant(seed + 1, tf.int64)} if noisy else {}
    return {
        "num_samples": int(num_samples),
        "cycle_x": cycle_error(x_np, there["x"].numpy()),
        "cycle_x_fresh_noise": cycle_error(x_np, sampler.translate_back(y=there["y"], **fresh)["x"].numpy()),
        "cycle_y": cycle_error(y.numpy(), back["y"].numpy()),
        "transport": transport_matrix(
            x_np, gx, (source.mode_centres, source.mode_scale), (target.mode_centres, target.mode_scale)
        ),
        "steganography": probe,
    }


def _input_names(function):
    """The argument names of an exported endpoint's signature (an argument left at its default is None there)."""
    spec = function.concrete_functions[0].structured_input_signature
    return [s.name for s in tf.nest.flatten(spec) if s is not None]


def digit_translation_report(sampler, source, target, digits, labels, classifier, seed=0):
    """What a translator between two digit domains does to held-out digits whose true translation is known.

    Each upright digit u gives a pair, x = u in the source domain and y = u
    in the target domain (`domains.test_pairs`): y is the true translation
    of x, and x the digit y came from. The classifier knows upright digits
    only, so translations into a transformed domain are brought back upright
    by the transform's pseudo-inverse (`domains.upright`) before it judges
    them; the same is done to the true translations, whose agreement is the
    ceiling a perfect translator reaches (the pseudo-inverse fills gaps
    narrower than its filter).

    Args:
        sampler: A loaded cyclegan export between digit domains (`cycle`, `cycle_back`, `translate`).
        source: The source domain's name (`domains.DIGIT_DOMAINS`).
        target: The target domain's name.
        digits: uint8 `(n, 28, 28)` upright held-out digits.
        labels: Their classes `(n,)`.
        classifier: The MNIST classifier (`models.classifier`).
        seed: Seed of the translators' noise (k > 0).

    Returns:
        A JSON-safe dict; pixel errors are mean absolute differences in units
        of the pixel range (`metrics.translation.pixel_error`): `error_g`
        (G(x) against the true translation), `error_f` (F(y) against the
        digit y came from), `error_identity` (x against y: what the identity
        map scores), `cycle_x`, `cycle_y` (the trained round trips);
        `agreement_g`, `agreement_f` (share of translations the classifier
        gives the source digit's label), `reference_agreement_g`,
        `reference_agreement_f` (the same of the true translations), and
        `classifier_score_g`, `classifier_score_f`,
        `reference_classifier_score` (of the upright held-out digits).
    """
    labels = np.asarray(labels)
    x, y = (to_unit_range(d) for d in domains.test_pairs(source, target, digits))
    noisy = "seed" in _input_names(sampler.translate)
    extra = {"seed": tf.constant(seed, tf.int64)} if noisy else {}
    there = _in_batches(sampler.cycle, "x", x, extra)
    back = _in_batches(sampler.cycle_back, "y", y, extra)

    def judged(domain, images):
        return classify(classifier, domains.upright(domain, images))[0]

    probs_g, probs_f = judged(target, there["y"]), judged(source, back["x"])
    real = classify(classifier, digits)[0]
    return {
        "num_samples": int(len(digits)),
        "error_g": pixel_error(there["y"], y),
        "error_f": pixel_error(back["x"], x),
        "error_identity": pixel_error(x, y),
        "cycle_x": pixel_error(there["x"], x),
        "cycle_y": pixel_error(back["y"], y),
        "agreement_g": label_agreement(probs_g, labels),
        "agreement_f": label_agreement(probs_f, labels),
        "reference_agreement_g": label_agreement(judged(target, y), labels),
        "reference_agreement_f": label_agreement(judged(source, x), labels),
        "classifier_score_g": classifier_score(probs_g),
        "classifier_score_f": classifier_score(probs_f),
        "reference_classifier_score": classifier_score(real),
    }


def _in_batches(endpoint, name, images, extra):
    """`endpoint(name=images, **extra)` over `TRANSLATE_BATCH` images at a time, its outputs concatenated (numpy)."""
    parts = [endpoint(**{name: tf.constant(images[i:i + TRANSLATE_BATCH])}, **extra)
             for i in range(0, len(images), TRANSLATE_BATCH)]
    return {key: np.concatenate([p[key].numpy() for p in parts]) for key in parts[0]}
