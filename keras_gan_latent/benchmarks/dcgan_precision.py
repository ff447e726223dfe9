"""The DCGAN step in float32 and in Keras's mixed_bfloat16 policy, with and without XLA, interleaved.

This CPU's AVX-512 BF16 / AMX instructions (``lscpu``: ``avx512_bf16``,
``amx_bf16``) run bfloat16 matrix products natively through oneDNN. Keras's
``mixed_bfloat16`` policy keeps the variables in float32 and computes the
layers in bfloat16; the networks' last layers stay float32 whatever the policy
(see `models.dcgan`), so logits, losses and images keep full precision.

In one process this builds the same DCGAN (the same seed) four times: float32
and mixed_bfloat16 (`--bfloat16`), each with ``jit_compile`` False and True,
exactly as `experiments.train` builds and compiles it, traces each, then times blocks of
``--steps`` training steps of the four models in turn (A B C D A B C D ...),
so load from other processes falls on all of them alike. Prints steps/s per
combination (median over blocks), the ratio to the package's default for
that arch (float32, with its default XLA setting) and the median of the
per-round ratios (each block against the default's block of the same round),
then, with
``--quality-steps N``, trains float32 and mixed_bfloat16 for N steps each from
the same seed and prints the classifier score, Frechet distance and classes
of 2,000 digits of each (the mode report the training summaries use).

    python -m keras_gan_latent.benchmarks.dcgan_precision [--arch light|seed] [--steps 50] [--blocks 4] [--quality-steps 0]
"""

import argparse
import dataclasses
import os
import statistics

from keras_gan_latent.benchmarks import interleaved_rates

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

POLICIES = ("float32", "mixed_bfloat16")


def build(arch, policy, jit, steps, seed=0):
    """A compiled DCGAN `(model, dataset, config)` of the package's default settings for `arch`."""
    from keras_gan_latent import experiments
    from keras_gan_latent.experiments.config import TrainConfig

    config = TrainConfig(model="dcgan", arch=arch, latent_dim=10, seed=seed, mode_report_samples=0, run_dir="unused",
                         bfloat16=policy == "mixed_bfloat16").resolved()
    config = dataclasses.replace(config, jit_compile=jit)
    setup = experiments.build_setup(config)  # under the policy `--bfloat16` chooses, as train.py builds it
    setup.model.compile(**setup.make_optimizers(), jit_compile=jit, steps_per_execution=steps)
    return setup.model, setup.make_dataset(0), setup.config


def time_steps(arch, steps, blocks):
    """{(policy, jit): [steps/s per block]}, the four models timed in turn."""
    models = {(policy, jit): build(arch, policy, jit, steps)[:2] for policy in POLICIES for jit in (False, True)}
    return interleaved_rates(models, steps, blocks)


def quality(arch, steps, samples=2000):
    """{policy: mode-report scalars} of `samples` digits after `steps` steps from seed 0 in each policy."""
    import tensorflow as tf

    from keras_gan_latent.data.mnist import load_mnist
    from keras_gan_latent.models.classifier import load_or_train_classifier
    from keras_gan_latent.evaluation.mnist import DigitModeReporter

    reporter = DigitModeReporter(load_or_train_classifier(verbose=0).model, load_mnist()[2])
    reports = {}
    for policy in POLICIES:
        model, dataset, config = build(arch, policy, config_jit(arch), 100)
        model.fit(dataset, steps_per_epoch=steps, epochs=1, verbose=0, shuffle=False)
        z = tf.random.stateless_normal([samples, config.latent_dim], seed=[1, 2])
        images = model.generator(z, training=False).numpy()
        reports[policy] = reporter(images)[0]
    return reports


def config_jit(arch):
    """The package's default `jit_compile` for a DCGAN of `arch`."""
    from keras_gan_latent.experiments.config import TrainConfig

    return TrainConfig(model="dcgan", arch=arch, run_dir="unused").resolved().jit_compile


def main(argv=None):
    """Prints the measurements; returns {(policy, jit): (median steps/s, its ratio to the default)}."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="light", choices=("light", "seed"))
    parser.add_argument("--steps", type=int, default=50, help="steps per timed block")
    parser.add_argument("--blocks", type=int, default=4, help="timed blocks per model")
    parser.add_argument("--quality-steps", type=int, default=0, help="also train each precision this many steps and score it")
    args = parser.parse_args(argv)
    rates = time_steps(args.arch, args.steps, args.blocks)
    base_key = ("float32", config_jit(args.arch))
    base = statistics.median(rates[base_key])
    print(f"{args.arch} DCGAN, {args.steps}-step blocks x {args.blocks}, interleaved; load average "
          f"{', '.join(f'{v:.1f}' for v in os.getloadavg())}")
    result = {}
    for (policy, jit), values in rates.items():
        median = statistics.median(values)
        # Each round times the four models back to back, so a block's ratio to the default's block of the
        # same round cancels most of a load change; their median is the figure to read on a busy machine.
        paired = statistics.median(v / b for v, b in zip(values, rates[base_key]))
        result[(policy, jit)] = (median, median / base)
        print(f"  {policy:15s} XLA {'on ' if jit else 'off'}  {median:7.2f} steps/s  ({median / base:4.2f}x the default "
              f"{base_key[0]}, XLA {'on' if base_key[1] else 'off'}; paired by round {paired:4.2f}x)   "
              f"blocks {['%.1f' % v for v in values]}")
    if args.quality_steps:
        for policy, report in quality(args.arch, args.quality_steps).items():
            print(f"  {policy:15s} after {args.quality_steps} steps: {report}")
    return result


if __name__ == "__main__":
    main()
