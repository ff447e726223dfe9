"""`python scripts/evaluate.py SOURCE --target NAME`: score a generator against its target.

    python scripts/evaluate.py logs/<run>/generator --target eight_gaussians
    python scripts/evaluate.py samples.npy --target spiral --json
"""

import json
import sys

from keras_gan_latent.cli.common import ArgumentParser, quiet_tensorflow, run
from keras_gan_latent.errors import UserError

PROG = "evaluate.py"


def build_parser():
    p = ArgumentParser(prog=PROG, description="Score generated samples against a target's exact density.")
    p.add_argument("source", help="an export folder written by train.py, or a .npy of samples shaped (n, dim)")
    p.add_argument("--target", required=True, help="the target the samples should follow (e.g. eight_gaussians)")
    p.add_argument("-n", "--num-samples", type=int, default=2500, help="samples drawn from an export (default 2500, the mode-coverage protocol)")
    p.add_argument("--seed", type=int, default=0, help="seed of the samples, the reference target samples and the bootstrap")
    p.add_argument("--resamples", type=int, default=200, help="bootstrap resamples for the confidence intervals (default 200)")
    p.add_argument("--json", action="store_true", help="print the full report as JSON")
    p.add_argument("--plot", default=None, help="1-D exports: write the learned map G(u) against the quantile function as a PNG")
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


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.num_samples <= 0:
        raise UserError(f"-n must be a positive integer, got {args.num_samples}")
    if args.resamples < 10:
        raise UserError(f"--resamples must be at least 10, got {args.resamples}")
    quiet_tensorflow()
    from keras_gan_latent import evaluation, targets

    target = targets.get_target(args.target)
    samples, sampler = evaluation.load_samples(args.source, target, args.num_samples, args.seed)
    report = evaluation.evaluate_samples(samples, target, seed=args.seed, num_resamples=args.resamples)
    if sampler is not None and target.dim == 1 and target.quantile is not None:
        config = json.loads(sampler.config().numpy().decode())
        if config.get("latent_dim") == 1:
            qmap, u, g_of_u = evaluation.quantile_map_report(sampler, target, config.get("prior", "uniform"))
            report["quantile_map"] = qmap
            if args.plot:
                from keras_gan_latent import plotting

                plotting.save_png(plotting.quantile_map_image(u, g_of_u, target), args.plot)
    if args.json:
        print(json.dumps(report, indent=2, allow_nan=False))
    else:
        print_report(report)
    return 0


def entry_point():
    sys.exit(run(main, PROG))


if __name__ == "__main__":
    entry_point()
