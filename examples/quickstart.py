#!/usr/bin/env python
"""Train the article's GAN from Python, then sample its export and measure the samples.

    python examples/quickstart.py [--steps 3000] [--latent-dim 2] [--logdir logs/examples]

It prints the run folder (open it with `tensorboard --logdir logs/examples`)
and the headline metrics of 2,500 samples drawn from the export.
"""

import argparse

import keras_gan_latent as kgl


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--latent-dim", type=int, default=2)
    parser.add_argument("--logdir", default="logs/examples")
    args = parser.parse_args(argv)

    # 1. Train: the same run `scripts/train.py --latent-dim 2 --steps ...` makes.
    config = kgl.TrainConfig(target="eight_gaussians", latent_dim=args.latent_dim, steps=args.steps, logdir=args.logdir)
    result = kgl.train(config, verbose=0)
    print(f"trained {result.steps} steps in {result.seconds:.0f} s -> {result.run_dir}")

    # 2. Sample from the export: a plain SavedModel, no Keras or tfp needed to load it.
    sampler, run_config = kgl.load_export(result.export_dir)
    samples = kgl.sample_export(sampler, 2500, seed=0)

    # 3. Measure against the target's exact density.
    report = kgl.evaluate_samples(samples, kgl.get_target(run_config["target"]))
    row = kgl.summary_row(report)
    print(f"JS {row['js']:.3f} nats, {row['modes_covered']}/8 modes, {100 * row['high_quality']:.1f} % high quality")
    return row


if __name__ == "__main__":
    main()
