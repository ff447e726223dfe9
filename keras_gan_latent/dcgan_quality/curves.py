"""The README's time-to-quality figure: classifier score and Frechet distance against minutes of training.

Reads the time-to-quality results in `--dir` (`<name>.json`, written by
`keras_gan_latent.benchmarks.dcgan_time_to_quality`, its `--record` included) and draws
`curves.png`: score (top) and Frechet distance (bottom, log scale) of each
named result against its minutes of training **at the rate the arch trains
alone on this machine** (`--rate NAME=STEPS_PER_SECOND`, measured with
`keras_gan_latent.benchmarks.dcgan_speed`), not the wall-clock minutes in the JSONs,
which were taken on a machine shared with other runs. Dashed lines mark the
target (score 9, Frechet 10) and the 20-minute budget.

    python -m keras_gan_latent.dcgan_quality.curves --rate baseline=23.4 --rate seed_z10=12.0 ...
"""

import argparse
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

from keras_gan_latent.cli.common import ArgumentParser, run  # noqa: E402
from keras_gan_latent.dcgan_quality.arguments import add_dir_argument  # noqa: E402
from keras_gan_latent.evaluation import REAL_DIGIT_TARGET  # noqa: E402

PROG = "python -m keras_gan_latent.dcgan_quality.curves"
TARGET_SCORE, TARGET_FRECHET = REAL_DIGIT_TARGET.score, REAL_DIGIT_TARGET.frechet
BUDGET_MINUTES = REAL_DIGIT_TARGET.minutes


def name_and_rate(text):
    """argparse type of NAME=STEPS_PER_SECOND, a result name and a positive rate."""
    name, _, rate = text.partition("=")
    try:
        value = float(rate)
    except ValueError:
        value = 0.0
    if not name or not value > 0:
        raise argparse.ArgumentTypeError(f"expected NAME=STEPS_PER_SECOND, got {text!r}")
    return name, value


def main(argv=None):
    parser = ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    parser.add_argument("--rate", action="append", required=True, type=name_and_rate, metavar="NAME=STEPS_PER_SECOND",
                        help="a result to draw (<dir>/NAME.json) and its alone training rate (repeatable; order = legend order)")
    parser.add_argument("--max-minutes", type=float, default=150.0)
    add_dir_argument(parser)
    args = parser.parse_args(argv)
    for name, _ in args.rate:
        if not os.path.isfile(os.path.join(args.dir, f"{name}.json")):
            parser.error(f"argument --rate: no result {os.path.join(args.dir, name)}.json")
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(8, 8), sharex=True)
    for name, rate in args.rate:
        with open(os.path.join(args.dir, f"{name}.json")) as f:
            curve = json.load(f)["curve"]
        minutes = [row[0] / float(rate) / 60.0 for row in curve]
        label = f"{name} ({float(rate):g} steps/s)"
        top.plot(minutes, [row[2] for row in curve], label=label)
        bottom.plot(minutes, [row[3] for row in curve], label=label)
    top.axhline(TARGET_SCORE, ls="--", c="k", lw=0.8)
    bottom.axhline(TARGET_FRECHET, ls="--", c="k", lw=0.8)
    for ax in (top, bottom):
        ax.axvline(BUDGET_MINUTES, ls=":", c="k", lw=0.8)
        ax.grid(alpha=0.3)
    top.set_ylim(4, 10)
    top.set_ylabel("classifier score (real digits 9.76)")
    bottom.set_yscale("log")
    bottom.set_ylabel("Frechet distance (floor 1.10)")
    bottom.set_xlabel("minutes of training at the arch's rate alone on 2 CPU cores")
    bottom.set_xlim(0, args.max_minutes)
    top.legend(fontsize=8, loc="lower right")
    top.set_title("DCGAN on MNIST (z = 10 unless named): time to quality (target: score >= 9, Frechet <= 10 within 20 min)", fontsize=9)
    fig.tight_layout()
    path = os.path.join(args.dir, "curves.png")
    fig.savefig(path, dpi=100)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(run(main, PROG))
