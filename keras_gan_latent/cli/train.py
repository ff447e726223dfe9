"""`python scripts/train.py`: train a GAN and export its generator.

    python scripts/train.py --latent-dim 2
    python scripts/train.py --target spiral --latent-dim 1 --steps 3000 --animate
"""

import signal
import sys

from keras_gan_latent.cli.common import ArgumentParser, quiet_tensorflow, run
from keras_gan_latent.config import TrainConfig

PROG = "train.py"


def build_parser():
    """The train.py argument parser; defaults come from `TrainConfig`."""
    d = TrainConfig()
    p = ArgumentParser(prog=PROG, description="Train a GAN whose generator maps a k-dim latent space to a target.")
    p.add_argument("--model", default=d.model, help="mlp (toy targets, the default) or dcgan (real MNIST digits)")
    p.add_argument("--arch", default=d.arch, help="DCGAN size: light (default, minutes on a CPU) or seed (the seed study's networks and settings)")
    p.add_argument("--data", default=None, help="DCGAN: an .npz with x_train, y_train, x_test, y_test instead of the built-in MNIST loader")
    p.add_argument("--target", default=d.target, help=f"target distribution (default {d.target}; also gaussian, spiral, grid25, normal1d)")
    p.add_argument("--latent-dim", type=int, default=d.latent_dim, help=f"latent dimension k >= 1 (default {d.latent_dim})")
    p.add_argument("--prior", default=None, help="latent prior: uniform (U[0,1)^k) or normal (N(0,I)); default: the article's choice for the target")
    p.add_argument("--steps", type=int, default=d.steps, help=f"generator steps (default {d.steps}, the article's budget)")
    p.add_argument("--batch-size", type=int, default=d.batch_size, help="even batch size: D sees half real, half fake (default 512; DCGAN light 64, seed 32)")
    p.add_argument("--d-steps", type=int, default=d.d_steps, help="discriminator steps per generator step, k of Algorithm 1 (default 1)")
    p.add_argument("--loss", default=d.loss, help="generator loss: non_saturating (default) or minimax")
    p.add_argument("--lr-g", type=float, default=d.lr_g, help="generator Adam learning rate (default 2e-4)")
    p.add_argument("--lr-d", type=float, default=d.lr_d, help="discriminator Adam learning rate (default 1e-3; DCGAN light 2e-4, seed 1e-5)")
    p.add_argument("--beta1-g", type=float, default=d.beta1_g, help="generator Adam beta_1 (default 0.5)")
    p.add_argument("--beta1-d", type=float, default=d.beta1_d, help="discriminator Adam beta_1 (default 0.5; DCGAN seed 0.1)")
    p.add_argument("--g-width", type=int, default=d.g_width, help=f"generator hidden units (default {d.g_width})")
    p.add_argument("--g-depth", type=int, default=d.g_depth, help=f"generator hidden layers (default {d.g_depth})")
    p.add_argument("--d-width", type=int, default=d.d_width, help=f"discriminator hidden units (default {d.d_width})")
    p.add_argument("--d-depth", type=int, default=d.d_depth, help=f"discriminator hidden layers (default {d.d_depth})")
    p.add_argument("--seed", type=int, default=d.seed, help="random seed (default 0)")
    p.add_argument("--logdir", default=d.logdir, help="TensorBoard root; each run gets a subfolder named by its settings (default logs)")
    p.add_argument("--run-dir", default=None, help="exact folder for this run (default: <logdir>/<settings>)")
    p.add_argument("--export-dir", default=None, help="where to write the generator SavedModel (default <run dir>/generator)")
    p.add_argument("--overwrite", action="store_true", help="replace a non-empty export dir")
    p.add_argument("--scalar-every", type=int, default=d.scalar_every, help=f"steps between scalar summaries (default {d.scalar_every})")
    p.add_argument("--image-every", type=int, default=d.image_every, help=f"steps between image/histogram summaries (default {d.image_every})")
    p.add_argument("--animate", action="store_true", help="also write animation.gif: 600 frames, one every --animate-every steps")
    p.add_argument("--animate-every", type=int, default=d.animate_every, help="steps between animation frames (default 1: the first 600 steps, as the article; 50: 30k steps)")
    p.add_argument("--steps-per-execution", type=int, default=d.steps_per_execution, help=f"train steps per compiled call (default {d.steps_per_execution})")
    p.add_argument("--checkpoint-every", type=int, default=d.checkpoint_every, help=f"steps between checkpoints (default {d.checkpoint_every})")
    p.add_argument("--keep-checkpoints", type=int, default=d.keep_checkpoints, help=f"checkpoints kept (default {d.keep_checkpoints})")
    p.add_argument("--resume", action="store_true", help="continue the run with these settings (or --run-dir) from its last checkpoint")
    p.add_argument("--no-jit", action="store_true", help="do not compile the train step with XLA (on by default for the MLP GAN, off for the DCGAN)")
    p.add_argument("--mode-report-samples", type=int, default=d.mode_report_samples, help=f"DCGAN: generated digits the classifier's mode report uses at each image summary (default {d.mode_report_samples}; 0: off)")
    p.add_argument("--deterministic", action="store_true", help="TensorFlow op determinism: the same seed gives bit-identical runs (slower, see README)")
    p.add_argument("--strategy", default=d.strategy, help="none (default), mirrored (all local GPUs/devices) or multiworker (the cluster in TF_CONFIG)")
    p.add_argument("--mixed-precision", action="store_true", help="float16 compute with loss scaling (GPUs only; refused on a CPU)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def config_from_args(args):
    """Turns parsed arguments into a `TrainConfig` (not yet validated)."""
    return TrainConfig(
        model=args.model,
        arch=args.arch,
        data=args.data,
        target=args.target,
        latent_dim=args.latent_dim,
        prior=args.prior,
        steps=args.steps,
        batch_size=args.batch_size,
        d_steps=args.d_steps,
        loss=args.loss,
        lr_g=args.lr_g,
        lr_d=args.lr_d,
        beta1_g=args.beta1_g,
        beta1_d=args.beta1_d,
        g_width=args.g_width,
        g_depth=args.g_depth,
        d_width=args.d_width,
        d_depth=args.d_depth,
        seed=args.seed,
        logdir=args.logdir,
        run_dir=args.run_dir,
        export_dir=args.export_dir,
        overwrite=args.overwrite,
        scalar_every=args.scalar_every,
        image_every=args.image_every,
        animate=args.animate,
        animate_every=args.animate_every,
        steps_per_execution=args.steps_per_execution,
        jit_compile=False if args.no_jit else None,
        checkpoint_every=args.checkpoint_every,
        keep_checkpoints=args.keep_checkpoints,
        resume=args.resume,
        mode_report_samples=args.mode_report_samples,
        deterministic=args.deterministic,
        strategy=args.strategy,
        mixed_precision=args.mixed_precision,
    )


def _raise_keyboard_interrupt(signum, frame):
    raise KeyboardInterrupt


def main(argv=None):
    args = build_parser().parse_args(argv)
    config = config_from_args(args)
    config.validate()  # cheap checks before TensorFlow is imported
    quiet_tensorflow()
    from keras_gan_latent import distribution, training

    # First: a multi-worker strategy sets up the cluster before any other op.
    strategy = distribution.make_strategy(config.strategy)
    setup = training.prepare(config, strategy)
    if distribution.is_distributed(strategy):
        role = "chief" if distribution.is_chief(strategy) else "worker (writes nothing)"
        print(f"strategy {config.strategy}: {distribution.num_replicas(strategy)} replicas; this process is the {role}")
    # SIGTERM (a preempted VM, a batch scheduler) ends the run like Ctrl-C:
    # with a checkpoint, then one line and exit status 130.
    signal.signal(signal.SIGTERM, _raise_keyboard_interrupt)
    print(f"run: {config.run_dir}  (target {config.target}, latent dim {config.latent_dim}, prior {config.prior}, {config.steps} steps)")
    result = training.train(config, verbose=0 if args.quiet else 1, setup=setup)
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
