"""`python scripts/sweep.py`: train the latent-dimension sweep, score every run, table it.

    python scripts/sweep.py                                   # the article's 5 x 3 grid, 30k steps
    python scripts/sweep.py --seeds 3 --out logs/sweep3       # mean +- std over 3 seeds
    python scripts/sweep.py --steps 3000 --latent-dims 1,2 --targets spiral

Rerun the same command to resume: finished cells are read back, not retrained.
"""

import argparse
import os
import sys

from keras_gan_latent import sweep
from keras_gan_latent.cli.common import ArgumentParser, quiet_tensorflow, run

PROG = "sweep.py"


def int_list(text):
    """argparse type: "1,2,10" -> (1, 2, 10)."""
    try:
        return tuple(int(item) for item in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected comma-separated integers such as 1,2,3,10,100, got {text!r}") from None


def name_list(text):
    """argparse type: "gaussian,spiral" -> ("gaussian", "spiral")."""
    names = tuple(item.strip() for item in text.split(","))
    if not all(names):
        raise argparse.ArgumentTypeError(f"expected comma-separated names such as gaussian,spiral, got {text!r}")
    return names


def build_parser():
    """The sweep.py argument parser; defaults come from `SweepSettings`."""
    d = sweep.SweepSettings()
    p = ArgumentParser(prog=PROG, description="Train GANs over a grid of latent dims x targets, evaluate each, and table the results.")
    p.add_argument("--latent-dims", type=int_list, default=",".join(map(str, d.latent_dims)), help=f"comma-separated latent dims (default {','.join(map(str, d.latent_dims))})")
    p.add_argument("--targets", type=name_list, default=",".join(d.targets), help=f"comma-separated targets (default {','.join(d.targets)}; also grid25)")
    p.add_argument("--seeds", type=int, default=d.seeds, help="run each cell with seeds 0..N-1 and report mean +- std (default 1)")
    p.add_argument("--steps", type=int, default=d.steps, help=f"generator steps per run (default {d.steps}, the article's budget)")
    p.add_argument("--num-samples", type=int, default=d.num_samples, help=f"generated samples per evaluation (default {d.num_samples}, the mode-coverage protocol)")
    p.add_argument("--out", default=d.out, help=f"output folder; rerun with the same folder to resume (default {d.out})")
    p.add_argument("--quiet", action="store_true", help="no progress bar (one line per cell only)")
    return p


def main(argv=None):
    args = build_parser().parse_args(argv)
    settings = sweep.SweepSettings(
        latent_dims=args.latent_dims,
        targets=args.targets,
        seeds=args.seeds,
        steps=args.steps,
        num_samples=args.num_samples,
        out=args.out,
    )
    settings.validate()  # cheap checks before TensorFlow is imported
    quiet_tensorflow()
    sweep.run_sweep(settings, verbose=0 if args.quiet else 1)
    for name in ("results.md", "results.csv", "grid.png", "latent_views.png"):
        path = os.path.join(settings.out, name)
        if os.path.isfile(path):
            print(f"{name}: {path}")
    print(f"TensorBoard (HParams tab compares the runs): tensorboard --logdir {settings.runs_dir()}")
    return 0


def entry_point():
    sys.exit(run(main, PROG))


if __name__ == "__main__":
    entry_point()
