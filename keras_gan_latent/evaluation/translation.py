"""Score a translator export (`--model cyclegan`): round trips, the transport matrix and the steganography probe.

The export's samples G(X) are scored against the target like any
generator's (`evaluation.toy`); this adds what only a translator has:

    cycle:          mean ||F(G(x)) - x|| over source draws and ||G(F(y)) - y|| over target draws
                    (with k > 0 the cycle as trained: the encoded noise closes it);
    transport:      which source mode feeds which target modes (`metrics.translation.transport_matrix`);
    steganography:  the x round trip after Gaussian noise is added to G(x), at sizes
                    relative to the target's mode scale (`metrics.translation.steganography_probe`).
"""

import numpy as np
import tensorflow as tf

from keras_gan_latent.metrics.translation import cycle_error, steganography_probe, transport_matrix

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
