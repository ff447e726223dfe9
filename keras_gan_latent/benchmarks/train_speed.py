"""Training speed of the default toy GAN, against an eager loop and the CPU's roofline.

Prints, from one process:
  * the machine's float32 matmul rate (numpy) and the FLOPs of one training step
    of the default networks at batch 512 -> the roofline in steps/s;
  * steps/s of `GAN.fit` as train.py runs it (XLA, 100 steps per execution),
    and without XLA;
  * steps/s of the same networks and algorithm in a plain eager GradientTape loop;
  * peak RSS of a default `scripts/train.py --latent-dim 2` run (a child process;
    `--rss-steps 0` leaves it out).

    python -m keras_gan_latent.benchmarks.train_speed [--steps 3000] [--repeats 3] [--rss-steps 3000]
"""

import argparse
import os
import resource
import subprocess
import tempfile
import time

import numpy as np

from keras_gan_latent.benchmarks import program

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def matmul_gflops(size=1024, seconds=2.0):
    """Sustained numpy float32 matmul rate, GFLOP/s."""
    a = np.random.rand(size, size).astype(np.float32)
    b = np.random.rand(size, size).astype(np.float32)
    for _ in range(3):
        a @ b
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        a @ b
        n += 1
    return 2 * size**3 * n / (time.perf_counter() - start) / 1e9


def dense_flops(widths, batch):
    """Forward FLOPs of a Dense stack with layer widths [in, h1, ..., out]."""
    return sum(2 * batch * a * b for a, b in zip(widths[:-1], widths[1:]))


def step_flops(latent_dim=2, batch=512, d_steps=1):
    """FLOPs of one training step: backward ~ 2x forward for the trained paths.

    D step: G forward on batch/2, D forward+backward on batch.
    G step: G forward+backward on batch, D forward + input-gradient backward on batch
    (D's weight gradients are not needed there: ~2x forward instead of 3x).
    """
    g = [latent_dim, 256, 256, 256, 2]
    d = [2, 128, 128, 128, 128, 128, 1]
    d_step = dense_flops(g, batch // 2) + 3 * dense_flops(d, batch)
    g_step = 3 * dense_flops(g, batch) + 2 * dense_flops(d, batch)
    return d_steps * d_step + g_step


def fit_steps_per_second(steps, jit_compile, warmup=200):
    """Steps/s of `GAN.fit` on the default toy GAN over `steps` steps, after `warmup` untimed ones (tracing)."""
    import keras

    from keras_gan_latent.experiments.config import TrainConfig
    from keras_gan_latent.experiments import build_setup

    config = TrainConfig(latent_dim=2, num_fixed_latents=10).resolved()
    setup = build_setup(config)
    model = setup.model
    model.compile(
        keras.optimizers.Adam(config.lr_d, beta_1=0.5),
        keras.optimizers.Adam(config.lr_g, beta_1=0.5),
        steps_per_execution=config.steps_per_execution,
        jit_compile=jit_compile,
    )
    model.fit(setup.make_dataset(0).take(warmup), steps_per_epoch=warmup, verbose=0, shuffle=False)  # trace + warm up
    start = time.perf_counter()
    model.fit(setup.make_dataset(0).take(steps), steps_per_epoch=steps, verbose=0, shuffle=False)
    return steps / (time.perf_counter() - start)


def eager_steps_per_second(steps, warmup=20):
    """The same networks and Algorithm 1, as a plain eager GradientTape loop: steps/s after `warmup` steps."""
    import keras
    import tensorflow as tf

    from keras_gan_latent.data import priors, targets
    from keras_gan_latent.models import mlp
    from keras_gan_latent.models.losses import discriminator_loss, generator_loss

    target = targets.get_target("eight_gaussians")
    prior = priors.latent_prior("normal", 2)
    g, d = mlp.mlp_generator(2, 2), mlp.mlp_discriminator(2)
    g_opt, d_opt = keras.optimizers.Adam(2e-4, beta_1=0.5), keras.optimizers.Adam(1e-3, beta_1=0.5)

    def step(i):
        real = target.sample(256, seed=tf.constant([i, 1]))
        fake = g(prior.sample(256, seed=tf.constant([i, 2])), training=True)
        with tf.GradientTape() as tape:
            loss = discriminator_loss(d(real, training=True), d(fake, training=True))
        d_opt.apply_gradients(zip(tape.gradient(loss, d.trainable_weights), d.trainable_weights))
        z = prior.sample(512, seed=tf.constant([i, 3]))
        with tf.GradientTape() as tape:
            loss = generator_loss(d(g(z, training=True), training=True), "non_saturating")
        g_opt.apply_gradients(zip(tape.gradient(loss, g.trainable_weights), g.trainable_weights))

    for i in range(warmup):
        step(i)
    start = time.perf_counter()
    for i in range(steps):
        step(i)
    return steps / (time.perf_counter() - start)


def peak_rss_of_default_run(steps):
    """Peak RSS (MB) of `scripts/train.py --latent-dim 2` in a child process."""
    with tempfile.TemporaryDirectory() as logdir:
        cmd = program("keras_gan_latent.cli.train") + ["--latent-dim", "2", "--steps", str(steps), "--logdir", logdir,
                                                       "--quiet"]
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        seconds = time.perf_counter() - start
    # ru_maxrss is in kilobytes on Linux.
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, seconds


def main(argv=None):
    """Prints the measurements; returns {name: steps/s} of the three loops, their ratios and the roofline."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000, help="timed steps per measurement")
    parser.add_argument("--repeats", type=int, default=3, help="best of this many measurements")
    parser.add_argument("--rss-steps", type=int, default=3000, help="steps of the peak-RSS child run (0: none)")
    parser.add_argument("--warmup-steps", type=int, default=200, help="untimed steps before each fit measurement")
    parser.add_argument("--eager-steps", type=int, default=None, help="timed eager steps (default: max(200, steps / 10))")
    parser.add_argument("--matmul-seconds", type=float, default=2.0, help="length of each matmul-rate measurement")
    args = parser.parse_args(argv)

    gflops = max(matmul_gflops(seconds=args.matmul_seconds) for _ in range(args.repeats))
    flops = step_flops()
    roofline = gflops * 1e9 / flops
    print(f"numpy float32 matmul:          {gflops:7.1f} GFLOP/s")
    print(f"one step (batch 512) FLOPs:    {flops / 1e9:7.3f} GFLOP")
    print(f"roofline:                      {roofline:7.1f} steps/s")
    xla = max(fit_steps_per_second(args.steps, True, args.warmup_steps) for _ in range(args.repeats))
    graph = max(fit_steps_per_second(args.steps, False, args.warmup_steps) for _ in range(args.repeats))
    eager_steps = max(200, args.steps // 10) if args.eager_steps is None else args.eager_steps
    eager = max(eager_steps_per_second(eager_steps) for _ in range(args.repeats))
    print(f"GAN.fit, XLA (train.py):       {xla:7.1f} steps/s  = {xla / roofline:5.1%} of roofline, {xla / eager:5.1f}x eager")
    print(f"GAN.fit, no XLA:               {graph:7.1f} steps/s  = {graph / roofline:5.1%} of roofline, {graph / eager:5.1f}x eager")
    print(f"plain eager GradientTape loop: {eager:7.1f} steps/s  = {eager / roofline:5.1%} of roofline")
    result = {"roofline": roofline, "xla": xla, "no_xla": graph, "eager": eager,
              "xla / eager": xla / eager, "no_xla / eager": graph / eager}
    if args.rss_steps:
        rss, seconds = peak_rss_of_default_run(args.rss_steps)
        print(f"peak RSS, train.py --latent-dim 2 --steps {args.rss_steps}: {rss:7.0f} MB "
              f"({seconds:.0f} s wall incl. start-up and export)")
        result["peak_rss_mb"] = rss
    return result


if __name__ == "__main__":
    main()
