"""`python scripts/evaluate.py SOURCE [--target NAME]`: score a generator against its target.

    python scripts/evaluate.py logs/<run>/generator
    python scripts/evaluate.py samples.npy --target spiral --json
    python scripts/evaluate.py logs/<dcgan run>/generator --plot report.png
    python scripts/evaluate.py logs/<cgan run>/generator   # adds label agreement, per-class figures
    python scripts/evaluate.py logs/<dcgan --latent-code 10 run>/generator   # adds class discovery per code

An export is scored against the target its config records, by the experiment
that trained it (a cGAN's with the labels its digits were asked for); a
`--target` that differs is refused. A .npy records no target: it needs
`--target`, and is scored by the experiment that trains on it.
"""

import json
import os
import sys

from keras_gan_latent.cli.common import ArgumentParser, run
from keras_gan_latent.errors import UserError
from keras_gan_latent.experiments import data_names, get_spec, model_for_data, model_of
from keras_gan_latent.fileio import check_writable_dir
from keras_gan_latent.training.export_files import check_export_folder, read_export_config

PROG = "evaluate.py"


def build_parser():
    p = ArgumentParser(prog=PROG, description="Score generated samples against a target's exact density.")
    p.add_argument("source", help="an export folder written by train.py, or a .npy of samples shaped (n, dim) (mnist: (n, 28, 28[, 1]), floats in [-1, 1] or uint8)")
    p.add_argument("--target", default=None, help="the target the samples should follow (e.g. eight_gaussians; mnist for digits): needed for a .npy; an export's is the one it was trained on (default), another is refused")
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
    model, target = model_and_target(args.source, args.target)
    from keras_gan_latent.experiments import get_experiment
    from keras_gan_latent.experiments.base import EvaluateOptions

    experiment = get_experiment(model)  # an export's own: a VAE's adds its bounds, a cGAN's its labels
    options = EvaluateOptions(resamples=args.resamples, parzen=not args.no_parzen, data=args.data, plot=args.plot,
                              verbose=0 if args.json else 2)
    report, _ = experiment.scorer.evaluate(args.source, target, args.num_samples, args.seed, options)
    if args.json:
        print(json.dumps(report, indent=2, allow_nan=False))
    else:
        print(experiment.scorer.report_text(report))
        if args.plot and os.path.isfile(args.plot):
            print(f"  plot: {args.plot}")
    return 0


def model_and_target(source, target=None):
    """Which experiment scores `source` against which target, decided without TensorFlow.

    Args:
        source: An export folder or a `.npy` of samples.
        target: The `--target` given, or None.

    Returns:
        `(model, target)`: for an export, the model and target its config
        records; for a `.npy` (or an export without a config), the model
        that trains on `target`.

    Raises:
        UserError: a source that does not exist or is a folder but no
            export; a `target` that differs from the export's; no `target`
            for a `.npy`; an unknown target.
    """
    if os.path.isdir(source):
        check_export_folder(source)
        exported = read_export_config(source) or {}
        if exported.get("target"):
            if target is not None and target != exported["target"]:
                raise UserError(
                    f"{source!r} was trained on --target {exported['target']}, not {target}; "
                    "leave --target out to score it against its own"
                )
            model = model_of(exported)
            get_spec(model)  # an export of a model this version does not know: refused
            return model, exported["target"]
    model = model_for_data(target) if target is not None else None  # an unknown target: refused first
    if not os.path.exists(source):
        raise UserError(f"source {source!r} is neither an export folder nor a .npy file")
    if target is None:
        raise UserError(f"{source!r} records no target: give --target, one of {', '.join(data_names())}")
    return model, target


def entry_point():
    sys.exit(run(main, PROG))


if __name__ == "__main__":
    entry_point()
