"""`python scripts/evaluate.py SOURCE --target NAME`: score a generator against its target.

    python scripts/evaluate.py logs/<run>/generator --target eight_gaussians
    python scripts/evaluate.py samples.npy --target spiral --json
    python scripts/evaluate.py logs/<dcgan run>/generator --target mnist --plot report.png
    python scripts/evaluate.py logs/<cgan run>/generator --target mnist   # adds label agreement, per-class figures

An export is scored by the experiment that trained it (a cGAN's with the
labels its digits were asked for); a .npy by the one that trains on --target.
"""

import json
import os
import sys

from keras_gan_latent.cli.common import ArgumentParser, quiet_tensorflow, run
from keras_gan_latent.errors import UserError
from keras_gan_latent.fileio import check_writable_dir

PROG = "evaluate.py"


def build_parser():
    p = ArgumentParser(prog=PROG, description="Score generated samples against a target's exact density.")
    p.add_argument("source", help="an export folder written by train.py, or a .npy of samples shaped (n, dim) (mnist: (n, 28, 28[, 1]), floats in [-1, 1] or uint8)")
    p.add_argument("--target", required=True, help="the target the samples should follow (e.g. eight_gaussians; mnist for a DCGAN's digits)")
    p.add_argument("-n", "--num-samples", type=int, default=None, help="samples drawn from an export (default 2500, the mode-coverage protocol; mnist 10000, the Parzen protocol)")
    p.add_argument("--seed", type=int, default=0, help="seed of the samples, the reference target samples and the bootstrap")
    p.add_argument("--resamples", type=int, default=200, help="toy targets: bootstrap resamples for the confidence intervals (default 200)")
    p.add_argument("--no-parzen", action="store_true", help="mnist: skip the Parzen-window log-likelihood (the slow part)")
    p.add_argument("--data", default=None, help="mnist: an .npz with x_train, y_train, x_test, y_test instead of the built-in MNIST loader")
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.add_argument("--plot", default=None, help="write a PNG: 1-D exports, the learned map G(u) against the quantile function; mnist, the class histogram beside the first 25 digits")
    return p


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.num_samples is not None and args.num_samples <= 0:
        raise UserError(f"-n must be a positive integer, got {args.num_samples}")
    if args.resamples < 10:
        raise UserError(f"--resamples must be at least 10, got {args.resamples}")
    if args.plot:
        check_writable_dir(os.path.dirname(os.path.abspath(args.plot)), "plot folder")
    quiet_tensorflow()
    from keras_gan_latent.experiments import experiment_for_data, get_experiment
    from keras_gan_latent.experiments.base import EvaluateOptions
    from keras_gan_latent.training.export import read_export_config

    experiment = experiment_for_data(args.target)  # also refuses an unknown target
    exported = read_export_config(args.source)
    if exported is not None and args.target in get_experiment(exported.get("model", "mlp")).data_names():
        experiment = get_experiment(exported.get("model", "mlp"))  # a VAE's export: its bounds too; a cGAN's: its labels
    options = EvaluateOptions(resamples=args.resamples, parzen=not args.no_parzen, data=args.data, plot=args.plot,
                              verbose=0 if args.json else 2)
    report, _ = experiment.evaluate(args.source, args.target, args.num_samples, args.seed, options)
    if args.json:
        print(json.dumps(report, indent=2, allow_nan=False))
    else:
        print(experiment.report_text(report))
        if args.plot and os.path.isfile(args.plot):
            print(f"  plot: {args.plot}")
    return 0


def entry_point():
    sys.exit(run(main, PROG))


if __name__ == "__main__":
    entry_point()
