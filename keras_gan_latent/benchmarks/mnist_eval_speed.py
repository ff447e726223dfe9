"""Times the MNIST evaluation: mode report, Parzen protocol, classifier training.

Targets on the 2-core CPU: the mode report of 10,000 samples, classification
included, under 20 s; the full Parzen protocol (10,000 samples, sigma searched
on the 10,000 validation digits, then 10,000 test digits) under 2 minutes.

Real training digits stand in for generated samples, passed as floats in
[-1, 1] like a tanh generator's, so the rescaling path is timed too (and the
numbers double as a reference: a perfect generator scores about this).

The classifier training time is read from the cache's JSON (measured when it
was trained); ``--train`` trains a fresh model, without caching it, and times
that instead (about 2-4 minutes).

`--samples N` uses N samples, N validation and N test digits instead of
10,000 each (the targets are for 10,000).

    python -m keras_gan_latent.benchmarks.mnist_eval_speed [--train] [--samples 10000]
"""

import argparse
import os
import time

import numpy as np

from keras_gan_latent.data.mnist import load_mnist
from keras_gan_latent.metrics import mnist_modes
from keras_gan_latent.models import classifier

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

NUM_SAMPLES = 10_000
VALID_START = 50_000  # the GAN paper's validation split: the last 10,000 training digits
MODE_TARGET_S, PARZEN_TARGET_S = 20.0, 120.0


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def verdict(seconds, target):
    return f"{seconds:6.1f} s  (target < {target:.0f} s: {'ok' if seconds < target else 'MISSED'})"


def main(argv=None):
    """Prints the timings; returns the seconds of "mode_report" and "parzen" and the "classifier_training" seconds."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--train", action="store_true", help="time a fresh classifier training run")
    parser.add_argument("--samples", type=int, default=NUM_SAMPLES, help="samples, validation and test digits each")
    args = parser.parse_args(argv)

    x_train, y_train, x_test, _ = load_mnist()
    x_test = x_test[:args.samples]
    samples = x_train[:args.samples].astype(np.float32) / 127.5 - 1.0  # as a tanh generator's
    (model, info), load_s = timed(lambda: classifier.load_or_train_classifier(verbose=2))
    print(f"classifier: {info['model_path']} ({'loaded' if info['from_cache'] else 'trained'} "
          f"in {load_s:.1f} s; test accuracy {100 * info['test_accuracy']:.2f} %)")

    (_, reference), ref_s = timed(lambda: classifier.classify(model, x_test))
    print(f"reference features of the {len(x_test)} test digits (once per evaluation): {ref_s:.1f} s")

    def mode_report():
        probs, features = classifier.classify(model, samples)
        return mnist_modes.mode_report(probs, features, reference)

    report, mode_s = timed(mode_report)
    print(f"mode report, {len(samples)} samples incl. classification: {verdict(mode_s, MODE_TARGET_S)}")
    print(f"  classes {report['classes_covered_1pct']}/10, KL {report['kl_to_uniform']:.4f}, "
          f"score {report['classifier_score']:.3f}, Frechet vs test {report['frechet_distance']:.3f}")

    valid = x_train[VALID_START:VALID_START + args.samples]
    parzen, parzen_s = timed(lambda: mnist_modes.parzen_protocol(samples, valid, x_test))
    print(f"Parzen protocol ({len(parzen['sigmas'])} sigmas on {parzen['num_valid']} validation "
          f"digits, then {parzen['num_test']} test digits): {verdict(parzen_s, PARZEN_TARGET_S)}")
    print(f"  sigma {parzen['sigma']:.4f}, test log-likelihood {parzen['mean']:.1f} "
          f"+- {parzen['stderr']:.1f}")

    if args.train:
        _, train_s = classifier.train_classifier(x_train, y_train, verbose=2)
        print(f"classifier training (fresh, {classifier.CONFIG['epochs']} epochs): {train_s:.1f} s")
    else:
        train_s = info["train_seconds"]
        print(f"classifier training (recorded when cached): {train_s:.1f} s")
    print(f"load average: {', '.join(f'{v:.1f}' for v in os.getloadavg())} "
          "(timings grow with other load on the 2 cores)")
    return {"mode_report": mode_s, "parzen": parzen_s, "classifier_training": train_s}


if __name__ == "__main__":
    main()
