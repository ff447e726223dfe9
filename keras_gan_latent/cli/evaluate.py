"""`python scripts/evaluate.py SOURCE --target NAME`: score a generator against its target.

    python scripts/evaluate.py logs/<run>/generator --target eight_gaussians
    python scripts/evaluate.py samples.npy --target spiral --json
    python scripts/evaluate.py logs/<dcgan run>/generator --target mnist --plot report.png
"""

import json
import os
import sys
import textwrap

from keras_gan_latent.cli.common import ArgumentParser, quiet_tensorflow, run
from keras_gan_latent.errors import UserError
from keras_gan_latent.fileio import check_writable_dir

PROG = "evaluate.py"
BAR_WIDTH = 40  # characters of the longest bar of the text histogram


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


def _fmt(entry):
    if entry["estimate"] is None:
        return f"undefined ({entry['reason']})"
    low, high = entry["ci"]
    return f"{entry['estimate']:.4f}  [{low:.4f}, {high:.4f}]"


def print_report(report):
    div = report["divergences"]
    print(f"target {report['target']}, {report['num_samples']} samples (95% bootstrap CIs)")
    print(f"  KL(p_g || p_data)   {_fmt(div['kl_g_data'])}")
    print(f"  KL(p_data || p_g)   {_fmt(div['kl_data_g'])}   (a lower bound when p_g misses data)")
    print(f"  JS divergence       {_fmt(div['js'])}   (at most log 2 = 0.6931)")
    print(f"  outside support     {div['outside_support_fraction']:.2%}")
    w = report["wasserstein"]
    print(f"  Wasserstein-1       {w['value']:.4f}  ({w['method']})")
    print(f"  MMD^2 (median bw)   {report['mmd']:.5f}")
    if "modes" in report:
        m = report["modes"]
        kl = "undefined" if m["reverse_kl_to_uniform"] is None else f"{m['reverse_kl_to_uniform']:.4f}"
        print(f"  modes covered       {m['modes_covered']}/{m['num_modes']}   high quality {m['high_quality_fraction']:.1%}   mode KL to uniform {kl}")
    if "ks" in report:
        print(f"  KS statistic        {report['ks']['statistic']:.4f}  (p = {report['ks']['pvalue']:.3g})")
    if "quantile_map" in report:
        q = report["quantile_map"]
        print(f"  |G(u) - Q(u)|       {q['distance']:.4f}  (orientation {q['orientation']})")


def print_mnist_report(report):
    """The MNIST report in words: a text histogram, then one line per figure."""
    counts, shares = report["class_histogram"], report["class_shares"]
    classifier = report.get("classifier", {})
    accuracy = f" (test accuracy {classifier['test_accuracy']:.2%})" if "test_accuracy" in classifier else ""
    print(f"target mnist, {report['num_samples']} digits, classified by the cached CNN{accuracy}")
    print("  class histogram (argmax of the classifier; 10.0 % each when balanced)")
    longest = max(shares)
    for digit, (count, share) in enumerate(zip(counts, shares)):
        bar = "#" * round(BAR_WIDTH * share / longest)
        print(f"    {digit}  {bar:<{BAR_WIDTH}}  {share:6.1%}  {count}")
    real = report["reference"]
    print(f"  classes covered     {report['classes_covered']}/10 above 1 %, {report['classes_with_any']}/10 with any digit")
    print(f"  KL(hist || uniform) {report['kl_uniform']:.4f}   (0: balanced; log 10 = 2.3026: one class)")
    print(f"  classifier score    {report['classifier_score']:.3f} of 10   (real test digits: {real['classifier_score']:.3f})")
    print(f"  mean confidence     {report['mean_confidence']:.3f}   (real test digits: {real['mean_confidence']:.3f})")
    print(f"  Frechet distance    {report['frechet_distance']:.3f}   (classifier features vs the {real['num_samples']} real test digits; "
          f"{real['num_samples']} real training digits: {real['frechet_distance_train_vs_test']:.3f})")
    if "parzen" in report:
        p = report["parzen"]
        edge = "; at the edge of the grid" if p["sigma_at_grid_edge"] else ""
        print(f"  Parzen log-lik.     {p['mean']:.1f} +- {p['standard_error']:.2g} nats   (sigma {p['sigma']:.3f} chosen on "
              f"{p['num_valid']} training digits{edge}; GAN paper: 225 +- 2)")
        print(textwrap.fill(p["caveat"], width=100, initial_indent="    caveat: ", subsequent_indent="    "))


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.num_samples is not None and args.num_samples <= 0:
        raise UserError(f"-n must be a positive integer, got {args.num_samples}")
    if args.resamples < 10:
        raise UserError(f"--resamples must be at least 10, got {args.resamples}")
    if args.plot:
        check_writable_dir(os.path.dirname(os.path.abspath(args.plot)), "plot folder")
    quiet_tensorflow()
    from keras_gan_latent import evaluation
    from keras_gan_latent.data import targets

    if args.target == evaluation.MNIST_TARGET:
        return main_mnist(args)
    if args.target not in targets.target_names():
        raise UserError(f"unknown target {args.target!r}; valid targets: "
                        f"{', '.join(targets.target_names())}, {evaluation.MNIST_TARGET}")
    target = targets.get_target(args.target)
    num_samples = evaluation.MODE_PROTOCOL_SAMPLES if args.num_samples is None else args.num_samples
    samples, sampler = evaluation.load_samples(args.source, target, num_samples, args.seed)
    report = evaluation.evaluate_samples(samples, target, seed=args.seed, num_resamples=args.resamples)
    if sampler is not None and target.dim == 1 and target.quantile is not None:
        config = json.loads(sampler.config().numpy().decode())
        if config.get("latent_dim") == 1:
            qmap, u, g_of_u = evaluation.quantile_map_report(sampler, target, config.get("prior", "uniform"))
            report["quantile_map"] = qmap
            if args.plot:
                from keras_gan_latent.viz import plotting

                plotting.save_png(plotting.quantile_map_image(u, g_of_u, target), args.plot)
    if args.json:
        print(json.dumps(report, indent=2, allow_nan=False))
    else:
        print_report(report)
    return 0


def main_mnist(args):
    """`--target mnist`: the classifier's report of generated digits."""
    from keras_gan_latent import evaluation
    from keras_gan_latent.viz import plotting
    from keras_gan_latent.evaluation.classifier import load_or_train_classifier

    num_samples = evaluation.MNIST_SAMPLES if args.num_samples is None else args.num_samples
    images, _ = evaluation.load_images(args.source, num_samples, args.seed)
    # A first run trains the classifier (minutes): say so, unless stdout is JSON.
    cached = load_or_train_classifier(data_path=args.data, verbose=0 if args.json else 2)
    report = evaluation.mnist_report(images, cached.model, parzen=not args.no_parzen, data_path=args.data)
    report = {"target": evaluation.MNIST_TARGET, **report,
              "classifier": {"test_accuracy": cached.info["test_accuracy"], "model_path": cached.info["model_path"]}}
    if args.plot:
        title = f"{report['num_samples']} digits, {report['classes_covered']}/10 classes covered"
        plotting.save_png(evaluation.mnist_report_image(images, report, title=title), args.plot)
    if args.json:
        print(json.dumps(report, indent=2, allow_nan=False))
    else:
        print_mnist_report(report)
        if args.plot:
            print(f"  plot: {args.plot}")
    return 0


def entry_point():
    sys.exit(run(main, PROG))


if __name__ == "__main__":
    entry_point()
