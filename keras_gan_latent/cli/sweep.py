"""`python scripts/sweep.py`: train the latent-dimension sweep, score every run, table it.

    python scripts/sweep.py                                   # 5 latent dims x 4 targets x seeds 0,1,2, 30k steps
    python scripts/sweep.py --seeds 0 --out logs/sweep1       # one seed
    python scripts/sweep.py --steps 3000 --latent-dims 1,2 --targets spiral
    python scripts/sweep.py --shard 2/4                       # the 2nd of 4 disjoint parts (a job array)
    python scripts/sweep.py --merge                           # tables and figures from every finished cell
    python scripts/sweep.py --model dcgan                     # the seed study's z_dim sweep on MNIST
    python scripts/sweep.py --model dcgan --arch seed --seeds 0,1 --steps 20000
    python scripts/sweep.py --model cgan                      # the conditional DCGAN: latent dims 100, 10, 2, 1
    python scripts/sweep.py --targets grid25 --pack 4 --out logs/pack4    # every run packed (PacGAN)
    python scripts/sweep.py --targets grid25 --latent-code 25 --out logs/code25   # a 25-way code (InfoGAN)

Rerun the same command to resume: finished cells (in <out>/results, committed
or not) are read back, not retrained; a run cut off mid-way resumes from its
last checkpoint.
"""

import argparse
import os
import sys

from keras_gan_latent import sweep
from keras_gan_latent.cli.common import ArgumentParser, run
from keras_gan_latent.errors import UserError
from keras_gan_latent.sweep.settings import RUN_SETTINGS
from keras_gan_latent.experiments.config import SETTINGS_BY_NAME

PROG = "sweep.py"


def int_list(what="integers", example="1,2,3,10,100"):
    """An argparse type of comma-separated integers: "1,2,10" -> (1, 2, 10).

    Args:
        what: What the integers are, for the error ("seeds").
        example: A valid value, for the error.

    Returns:
        The type function; it raises `argparse.ArgumentTypeError` naming
        `what` and `example` for text that is not such a list.
    """

    def parse(text):
        try:
            return tuple(int(item) for item in text.split(","))
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected comma-separated {what} such as {example}, got {text!r}") from None

    return parse


def name_list(text):
    """argparse type: "gaussian,spiral" -> ("gaussian", "spiral")."""
    names = tuple(item.strip() for item in text.split(","))
    if not all(names):
        raise argparse.ArgumentTypeError(f"expected comma-separated names such as gaussian,spiral, got {text!r}")
    return names


def shard_spec(text):
    """argparse type: "2/4" -> (2, 4), the 2nd of 4 parts."""
    try:
        index, count = (int(item) for item in text.split("/"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected I/N such as 1/4 (the I-th of N parts, 1 <= I <= N), got {text!r}") from None
    return index, count


def model_default(name, notes=None):
    """Help text of a setting whose default depends on --model, e.g. "default 30000; dcgan 5000".

    Args:
        name: A `SweepSettings` field.
        notes: `{model: note}` appended to that model's default.
    """
    from keras_gan_latent.experiments import EXPERIMENT_NAMES, get_spec

    texts = []
    for model in EXPERIMENT_NAMES:
        if not get_spec(model).sweep_defaults:  # no latent-dimension sweep
            continue
        value = get_spec(model).sweep_defaults[name]
        text = (",".join(map(str, value)) if isinstance(value, tuple) else str(value)) + (notes or {}).get(model, "")
        texts.append(text if not texts else f"{model} {text}")
    return "default " + "; ".join(texts)


def build_parser():
    """The sweep.py argument parser; defaults (None: the model's) come from each experiment's `sweep_defaults`."""
    p = ArgumentParser(prog=PROG, description="Train GANs over a grid of latent dims x targets (or MNIST), evaluate each, and table the results.")
    # The run settings a sweep takes are declared once, with every run's (`experiments.config.SETTINGS_BY_NAME`).
    p.add_setting(SETTINGS_BY_NAME["model"], default=SETTINGS_BY_NAME["model"].default)
    for name in RUN_SETTINGS:  # passed on to each run
        p.add_setting(SETTINGS_BY_NAME[name], default=None)
    p.add_argument("--latent-dims", type=int_list(), default=None, help=lambda: f"comma-separated latent dims ({model_default('latent_dims')})")
    p.add_argument("--targets", type=name_list, default=None, help=lambda: f"comma-separated targets ({model_default('targets', {'dcgan': ', the only one', 'cgan': ', the only one'})})")
    p.add_argument("--seeds", type=int_list("seeds", "0,1,2"), default=None, help=lambda: f"comma-separated seeds of every cell; tables give the mean and a 95 %% Student-t interval ({model_default('seeds')})")
    steps = SETTINGS_BY_NAME["steps"]
    p.add_setting(steps, default=None, help=lambda: f"{steps.help} ({model_default('steps', {'dcgan': ', about 7 min a run on an idle 2-core CPU'})})")
    p.add_argument("-n", "--num-samples", type=int, default=None, help=lambda: f"generated samples per evaluation ({model_default('num_samples', {'mlp': ', the mode-coverage protocol', 'dcgan': ', the Parzen protocol'})})")
    p.add_argument("--out", default=None, help=lambda: f"output folder; rerun with the same folder to resume ({model_default('out')})")
    p.add_argument("--shard", type=shard_spec, default=None, help="I/N: train only the I-th of N disjoint parts of the cells (1 <= I <= N), e.g. a job array's task; shards may share --out")
    p.add_argument("--merge", action="store_true", help="train nothing: rebuild the tables and figures from every finished cell in --out (after a sharded sweep)")
    p.add_setting(SETTINGS_BY_NAME["animate"], default=False)
    p.add_argument("--quiet", action="store_true", help="no progress bar (one line per cell only)")
    return p


def main(argv=None):
    args = build_parser().parse_args(argv)
    settings = sweep.SweepSettings(
        model=args.model,
        **{name: getattr(args, name) for name in RUN_SETTINGS},
        latent_dims=args.latent_dims,
        targets=args.targets,
        seeds=args.seeds,
        steps=args.steps,
        num_samples=args.num_samples,
        out=args.out,
        shard=args.shard,
        animate=args.animate,
    )
    if args.merge and args.shard is not None:
        raise UserError("--merge builds the tables of every shard; give it without --shard")
    settings = settings.resolved()  # the cheap checks before TensorFlow is imported
    sweep.run_sweep(settings, verbose=0 if args.quiet else 1, merge_only=args.merge)
    from keras_gan_latent.experiments import get_experiment

    for name in sweep.RESULT_FILES + get_experiment(settings.model).sweep.figure_files():
        path = os.path.join(settings.out, name)
        if os.path.isfile(path):
            print(f"{name}: {path}")
    print(f"TensorBoard (HParams tab compares the runs): tensorboard --logdir {settings.runs_dir()}")
    return 0


def entry_point():
    sys.exit(run(main, PROG))


if __name__ == "__main__":
    entry_point()
