"""Training speed of the toy VAE step, against the toy GAN step and the CPU's roofline.

Prints, from one process, interleaved over `--repeats` rounds:
  * the machine's float32 matmul rate (numpy) and the FLOPs of one VAE step
    (encoder and decoder, forward and backward, at the default batch 512 and
    widths 256 x 3) -> the roofline in steps/s;
  * steps/s of `VAE.fit` and `GAN.fit` as train.py runs them (their default
    settings on eight_gaussians, latent dim 2, XLA on, 100 steps per
    execution), and the ratio VAE / GAN.

    python -m keras_gan_latent.benchmarks.vae_speed [--steps 3000] [--repeats 3]
"""

import argparse
import os
import statistics
import time

from keras_gan_latent.benchmarks.train_speed import dense_flops, matmul_gflops, step_flops

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def vae_step_flops(latent_dim=2, data_dim=2, batch=512, width=256, depth=3):
    """FLOPs of one VAE step: encoder and decoder forward, backward ~ 2x forward."""
    encoder = [data_dim] + [width] * depth + [2 * latent_dim]
    decoder = [latent_dim] + [width] * depth + [2 * data_dim]
    return 3 * (dense_flops(encoder, batch) + dense_flops(decoder, batch))


def compiled_model(model_name, target="eight_gaussians", warmup=200, latent_dim=2, **settings):
    """A model built and compiled as `experiments.train` does (with further `TrainConfig` `settings`), and what it is fed.

    It has trained `warmup` steps (tracing, compiling, warming up) when returned.
    """
    from keras_gan_latent.experiments import build_setup
    from keras_gan_latent.experiments.config import TrainConfig

    config = TrainConfig(model=model_name, target=target, latent_dim=latent_dim, **settings).resolved()
    setup = build_setup(config)
    setup.model.compile(**setup.make_optimizers(), steps_per_execution=config.steps_per_execution,
                        jit_compile=config.jit_compile)
    setup.model.fit(setup.make_dataset(0).take(warmup), steps_per_epoch=warmup, verbose=0, shuffle=False)
    return setup


def steps_per_second(setup, steps):
    start = time.perf_counter()
    setup.model.fit(setup.make_dataset(0).take(steps), steps_per_epoch=steps, verbose=0, shuffle=False)
    return steps / (time.perf_counter() - start)


def main(argv=None):
    """Prints the measurements; returns the median steps/s of each model ("vae", "mlp") and "vae / mlp"."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--warmup-steps", type=int, default=200, help="untimed steps of each model first")
    parser.add_argument("--matmul-seconds", type=float, default=2.0, help="length of the matmul-rate measurement")
    args = parser.parse_args(argv)

    gflops = matmul_gflops(seconds=args.matmul_seconds)
    vae_flops, gan_flops = vae_step_flops(), step_flops()
    setups = {name: compiled_model(name, warmup=args.warmup_steps, num_fixed_latents=10) for name in ("vae", "mlp")}
    rates = {name: [] for name in setups}
    for _ in range(args.repeats):
        for name, setup in setups.items():
            rates[name].append(steps_per_second(setup, args.steps))
    vae, gan = statistics.median(rates["vae"]), statistics.median(rates["mlp"])
    print(f"matmul rate: {gflops:.1f} GFLOP/s (numpy float32, 1024x1024)")
    print(f"VAE step: {vae_flops / 1e6:.1f} MFLOP -> roofline {gflops * 1e9 / vae_flops:.0f} steps/s")
    print(f"GAN step: {gan_flops / 1e6:.1f} MFLOP -> roofline {gflops * 1e9 / gan_flops:.0f} steps/s")
    print(f"VAE.fit: {vae:.1f} steps/s (median of {args.repeats}; {vae / (gflops * 1e9 / vae_flops):.0%} of its roofline)")
    print(f"GAN.fit: {gan:.1f} steps/s (median of {args.repeats}; {gan / (gflops * 1e9 / gan_flops):.0%} of its roofline)")
    print(f"VAE / GAN steps/s: {vae / gan:.2f}x (per-round: "
          + ", ".join(f"{v / g:.2f}" for v, g in zip(rates["vae"], rates["mlp"])) + ")")
    return {"vae": vae, "mlp": gan, "vae / mlp": vae / gan}


if __name__ == "__main__":
    main()
