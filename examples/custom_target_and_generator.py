#!/usr/bin/env python
"""Your own target and your own generator network, trained with `GAN.fit`.

    python examples/custom_target_and_generator.py [--steps 2000] [--latent-dim 3] [--logdir logs/examples]

A target is a tfp distribution with an exact density plus a few facts for
plots and metrics; registering it makes it a valid `--target` for
`scripts/train.py` and the sweep in this process. The generator is any Keras
model z -> x; the discriminator here is the package's MLP.
"""

import argparse
import os

import keras
import numpy as np
import tensorflow as tf
import tensorflow_probability as tfp

import keras_gan_latent as kgl

tfd = tfp.distributions
CENTRES = np.array([[0.0, 1.5], [-1.3, -0.75], [1.3, -0.75]], np.float32)  # three modes on a circle
SCALE = 0.15


@kgl.register_target(default_prior="normal")
def three_modes():
    """Three Gaussians on a circle of radius 1.5."""
    return kgl.Target(
        name="three_modes",
        distribution=tfd.MixtureSameFamily(
            mixture_distribution=tfd.Categorical(logits=tf.zeros([3])),
            components_distribution=tfd.MultivariateNormalDiag(loc=CENTRES, scale_diag=tf.fill([3, 2], SCALE)),
        ),
        dim=2,
        plot_limits=(-2.5, 2.5),
        mode_centres=CENTRES,
        mode_scale=SCALE,
    )


def residual_generator(latent_dim, width=128):
    """A generator of our own: two residual tanh blocks, z -> R^2."""
    z = keras.Input((latent_dim,))
    h = keras.layers.Dense(width, activation="tanh")(z)
    for _ in range(2):
        h = keras.layers.Add()([h, keras.layers.Dense(width, activation="tanh")(h)])
    return keras.Model(z, keras.layers.Dense(2)(h), name="generator")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--latent-dim", type=int, default=3)
    parser.add_argument("--logdir", default="logs/examples")
    args = parser.parse_args(argv)

    target = kgl.get_target("three_modes")
    keras.utils.set_random_seed(0)
    gan = kgl.GAN(
        residual_generator(args.latent_dim),
        kgl.mlp_discriminator(2),
        kgl.latent_prior("normal", args.latent_dim),
        kgl.TargetSource(target),  # real samples are drawn inside the compiled step
        batch_size=256,
        seed=0,
    )
    gan.compile(
        d_optimizer=keras.optimizers.Adam(1e-3, beta_1=0.5),
        g_optimizer=keras.optimizers.Adam(2e-4, beta_1=0.5),
        jit_compile=True,
    )
    run_dir = os.path.join(args.logdir, "three_modes_custom")
    summaries = kgl.TensorBoardSummaries(run_dir, kgl.ScatterView(target), image_every=max(1, args.steps // 4))
    gan.fit(kgl.steps_dataset(), steps_per_epoch=args.steps, epochs=1, verbose=0, shuffle=False, callbacks=[summaries])

    samples = gan.generator(gan.latent_prior.sample(2500, seed=tf.constant([0, 1])), training=False).numpy()
    row = kgl.summary_row(kgl.evaluate_samples(samples, target))
    print(f"three_modes, latent dim {args.latent_dim}: JS {row['js']:.3f}, {row['modes_covered']}/3 modes")
    export = kgl.export_generator(
        gan.generator, gan.latent_prior, os.path.join(run_dir, "generator"), {"target": "three_modes"}, overwrite=True
    )
    print(f"TensorBoard: {run_dir}; export: {export}")
    return row


if __name__ == "__main__":
    main()
