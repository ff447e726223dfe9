"""Intrinsic dimension of the 2-D toy targets and of the MNIST training digits.

For every 2-D target in `keras_gan_latent.data.targets` (the registry's names,
sampled with the stateless seed [0, 1]) and for MNIST training digits
(flattened to 784 pixels scaled to [0, 1]; `--mnist-digits` of the 60,000,
drawn by `metrics.intrinsic_dimension`'s reproducible subsampling) prints the
TwoNN and Levina-Bickel (k nearest neighbours) estimates.

Both estimators look at the data at the scale of their nearest neighbours,
and that scale shrinks as the sample grows. To show what a coarser view
gives, each toy target is also estimated on `--coarse` points: the median
over 20 subsamples of that size (seeds 0..19). The spiral, for instance, is a
band of width 0.1: a thin curve from afar, an area from close up.

    python -m keras_gan_latent.benchmarks.intrinsic_dimension_targets [--samples 10000] [--mnist-digits 10000]
        [--k 10] [--discard-fraction 0.1] [--coarse 200] [--no-mnist] [--data PATH] [--out FILE]

`--out FILE` also writes every report (the dicts of
`metrics.intrinsic_dimension`) as JSON. The first MNIST load may take a
minute (see `keras_gan_latent.data.mnist`), and the k-d tree searches in
784 dimensions are close to brute force: minutes on 2 cores.
"""

import argparse
import os
import time

import numpy as np

from keras_gan_latent.fileio import atomic_write_json
from keras_gan_latent.metrics import intrinsic_dimension

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

METHODS = ("two_nn", "levina_bickel")
COARSE_REPEATS = 20


def estimate_both(points, max_points, args, seed=0):
    """{method: report} for both estimators on (a subsample of) `points`."""
    return {
        method: intrinsic_dimension(
            points,
            method=method,
            max_points=max_points,
            seed=seed,
            discard_fraction=args.discard_fraction,
            k=args.k,
        )
        for method in METHODS
    }


def coarse_medians(points, args):
    """Median estimate of each method over COARSE_REPEATS subsamples of args.coarse points."""
    runs = [estimate_both(points, args.coarse, args, seed) for seed in range(COARSE_REPEATS)]
    return {
        method: float(np.median([run[method]["estimate"] for run in runs])) for method in METHODS
    }


def print_row(name, num_points, fine, coarse=None):
    line = (
        f"{name:16s} {num_points:7d}  {fine['two_nn']['estimate']:7.2f}"
        f"  {fine['levina_bickel']['estimate']:7.2f}"
    )
    if coarse is not None:
        line += f"      {coarse['two_nn']:7.2f}  {coarse['levina_bickel']:7.2f}"
    print(line, flush=True)


def main(argv=None):
    """Prints the estimates; returns the reports (what `--out` writes)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=10_000, help="points per toy target")
    parser.add_argument("--mnist-digits", type=int, default=10_000, help="training digits used")
    parser.add_argument("--k", type=int, default=10, help="Levina-Bickel neighbours")
    parser.add_argument("--discard-fraction", type=float, default=0.1, help="TwoNN censored share")
    parser.add_argument(
        "--coarse", type=int, default=200, help="points of the coarse view (0: off)"
    )
    parser.add_argument("--no-mnist", action="store_true", help="toy targets only")
    parser.add_argument("--data", help="MNIST .npz to use instead of the default sources")
    parser.add_argument("--out", help="write the reports as JSON to this file")
    args = parser.parse_args(argv)

    import tensorflow as tf

    from keras_gan_latent.data import targets

    results = {
        "settings": {
            "samples": args.samples,
            "k": args.k,
            "discard_fraction": args.discard_fraction,
            "coarse": args.coarse,
            "coarse_repeats": COARSE_REPEATS,
            "target_seed": [0, 1],
        },
        "targets": {},
    }
    lb_label = f"LB k={args.k}"
    coarse_header = f"   {args.coarse}-pt median: two_nn  {lb_label}" if args.coarse else ""
    print(f"{'data':16s} {'points':>7s}  {'two_nn':>7s}  {lb_label:>7s}{coarse_header}")
    for name in targets.target_names():
        target = targets.get_target(name)
        if target.dim != 2:
            continue
        points = target.sample(args.samples, seed=tf.constant([0, 1])).numpy()
        fine = estimate_both(points, args.samples, args)
        coarse = coarse_medians(points, args) if args.coarse else None
        results["targets"][name] = {"full": fine, "coarse_median": coarse}
        print_row(name, args.samples, fine, coarse)

    if not args.no_mnist:
        from keras_gan_latent.data.mnist import load_mnist

        start = time.perf_counter()
        x_train = load_mnist(args.data)[0]
        load_s = time.perf_counter() - start
        digits = x_train.reshape(len(x_train), -1).astype(np.float64) / 255.0
        start = time.perf_counter()
        fine = estimate_both(digits, args.mnist_digits, args)
        estimate_s = time.perf_counter() - start
        results["mnist_train"] = fine
        print_row("mnist (784-D)", fine["two_nn"]["num_points"], fine)
        print(f"  MNIST: loaded in {load_s:.1f} s, both estimates in {estimate_s:.1f} s; "
              f"{fine['two_nn']['num_distinct_points']} distinct digits of {len(digits)}")

    if args.out:
        atomic_write_json(args.out, results)
        print(f"wrote {args.out}")
    return results


if __name__ == "__main__":
    main()
