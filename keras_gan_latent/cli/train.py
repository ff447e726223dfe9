"""`python scripts/train.py`: train a GAN and export its generator.

    python scripts/train.py --latent-dim 2
    python scripts/train.py --target spiral --latent-dim 1 --steps 3000 --animate
"""

import signal
import sys

from keras_gan_latent.cli.common import ArgumentParser, run
from keras_gan_latent.experiments import get_spec
from keras_gan_latent.training import ownership
from keras_gan_latent.experiments.config import SETTINGS, TrainConfig

PROG = "train.py"


def build_parser():
    """The train.py argument parser: one flag per declared setting (`experiments.config.SETTINGS`).

    A flag left out is absent from the parsed arguments (argparse.SUPPRESS),
    so the config takes the declared default.
    """
    p = ArgumentParser(prog=PROG, description="Train a GAN whose generator maps a k-dim latent space to a target.")
    for declared in SETTINGS:
        if declared.flag is not None:
            p.add_setting(declared)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def config_from_args(args):
    """Turns parsed arguments into a `TrainConfig` (not yet resolved): the flags given, declared defaults for the rest."""
    given = vars(args)
    return TrainConfig(**{s.name: given[s.name] for s in SETTINGS if s.name in given})


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    args = build_parser().parse_args(argv)
    # Every setting checked before TensorFlow is imported (resolving imports none).
    config = config_from_args(args).resolved()
    # Every folder conflict too, before TensorFlow starts and long before the run ends.
    ownership.check_run_folders(config.with_run_dir())
    if get_spec(config.model).uses_classifier(config):
        from keras_gan_latent.models.classifier import first_use_notice

        notice = first_use_notice(config.data)  # before the minutes it takes, and before TensorFlow loads
        if notice:
            print(f"{notice} (--mode-report-samples 0: no digit scores during training, no classifier)")
    from keras_gan_latent import experiments
    from keras_gan_latent.training import distribute

    # First: a multi-worker strategy sets up the cluster before any other op.
    strategy = distribute.make_strategy(config.strategy)
    setup = experiments.prepare(config, strategy)
    config = setup.config  # with its run folder (and a distributed run's limits)
    if distribute.is_distributed(strategy):
        role = "chief" if distribute.is_chief(strategy) else "worker (writes nothing)"
        print(f"strategy {config.strategy}: {distribute.num_replicas(strategy)} replicas; this process is the {role}")
    # SIGTERM (a preempted VM, a batch scheduler) ends the run like Ctrl-C:
    # with a checkpoint, then one line and exit status 130.
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    summary = experiments.get_experiment(config.model).run_summary(config)
    print(f"run: {config.run_dir}  ({summary}, {config.steps} steps)")
    result = experiments.train(config, verbose=0 if args.quiet else 1, setup=setup)
    print(f"trained {result.steps} steps in {result.seconds:.1f} s ({result.steps / result.seconds:.1f} steps/s)")
    print(f"TensorBoard run: {result.run_dir}   (view: tensorboard --logdir {config.logdir})")
    print(f"final frame: {result.run_dir}/final_frame.png")
    if result.animation_path:
        print(f"animation: {result.animation_path}")
    print(f"export: {result.export_dir}   (sample: python scripts/sample.py {result.export_dir} -n 1000 --out samples.npy)")
    return 0


def entry_point():
    sys.exit(run(main, PROG))


if __name__ == "__main__":
    entry_point()
