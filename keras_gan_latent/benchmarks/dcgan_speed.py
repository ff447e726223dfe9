"""DCGAN training speed: our `GAN.fit` against the seed study's loop, and the CPU roofline.

For each configuration (`seed32`: the seed study's networks at batch 32,
`seed256`: the same at batch 256, `light64`: the default light networks at
batch 64) prints, from one process:

  * iterations/s and images/s of our product path: the `GAN` built by
    `experiments.build_setup` from a `TrainConfig` (real MNIST through
    `data.mnist.mnist_dataset`), compiled with the arch's Adam settings
    as `experiments.train` compiles it and trained with `fit` by
    `loop._fit_segments`. Per iteration, in one compiled step: G forward
    (training mode) on B/2 latents; D forward+backward on the B/2 real and
    B/2 generated digits (one call on the concatenated batch; two calls if D
    had BatchNorm, see `GAN._discriminate`) and one Adam step of D; G
    forward+backward through D on B latents and one Adam step of G.
  * the same for the seed study's method on the same networks
    (`dcgan.dcgan_generator` / `dcgan_discriminator`): a plain Keras loop,
    D compiled with binary cross-entropy (on its logits), combined = G then
    frozen D compiled with binary cross-entropy. Per iteration: B/2 real
    digits by numpy fancy indexing of a float32 copy of the training set;
    `G.predict_on_batch` of B/2 latents (inference mode, as the seed's
    `G.predict`, without the ~0.16 s per call that Keras 3's `predict` adds
    here: a literal port would be that much slower per iteration);
    `D.train_on_batch` on the real half (labels 1) and on the fake half
    (labels 0) -- so two Adam steps of D; `combined.train_on_batch` on B
    latents (labels 1) -- one Adam step of G.
  * the roofline: the numpy float32 matmul rate against the FLOPs of one
    iteration, counted from the layer shapes (Dense and convolutions only;
    backward = 2x forward for a trained network; D step: G forward on B/2,
    D forward+backward on B; G step: G forward+backward on B, D forward and
    input-gradient backward (2x forward) on B). Both paths do the same FLOPs.
    These are the FLOPs of the published layers; the seed generator's
    `dcgan.UpsampledConv2D` layers compute the same function with fewer
    (printed too), so a path can exceed 100 % of this roofline.
  * peak RSS of this process (both paths, both data copies) after each
    configuration.

An iteration is one D update on a real half-batch and a fake half-batch and
one G update, the same for both paths. Images/s = 2 * B * iterations/s: the
digits D processes per iteration (B in its own update, B generated ones in
G's update); the issue's figures use this convention (2.1 it/s = 133
images/s at batch 32, 0.70 it/s = 359 images/s at batch 256).

Timing: one `fit` of (repeats + 1) executions of `block` steps each
(`steps_per_execution = block`; the product uses 100 -- at these step times
the execution size makes no measurable difference). A callback runs, after
each of our executions, `block` iterations of the seed loop and a matmul
burst, so the three are measured interleaved under the same load (this
machine's 2 cores are shared). The first execution (tracing) and the first
seed block are warm-up and not timed. Ratios are medians of per-block
ratios; rates are totals over the timed blocks. Summaries, checkpoints and
the mode report of `train` run between executions every 100+ steps and are
not part of this measurement.

oneDNN: on CPUs without AVX-512 (like this one) TensorFlow leaves it off
unless TF_ENABLE_ONEDNN_OPTS=1 is set before it is imported; `--onednn`
sets it for this process (both paths), and the first line says which.

    python -m keras_gan_latent.benchmarks.dcgan_speed [--iterations 40] [--repeats 4]
        [--configs seed32,seed256,light64] [--onednn default|on|off]
"""

import argparse
import os
import resource
import shutil
import statistics
import tempfile
import time

import numpy as np

from keras_gan_latent.benchmarks.train_speed import matmul_gflops  # one measurement of the machine's rate

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

# name: (arch, batch size)
CONFIGS = {"seed32": ("seed", 32), "seed256": ("seed", 256), "light64": ("light", 64)}
# The targets and the seed study's measurements on this machine.
TARGETS = {"seed32": "target >= 4.0 it/s; seed study 2.1 it/s (133 img/s), PyTorch 5.2 it/s",
           "seed256": "target >= 340 img/s; PyTorch 0.70 it/s (359 img/s)",
           "light64": "no target"}
TARGET_CHECKS = {"seed32": (4.0, "it/s"), "seed256": (340.0, "img/s")}  # for our path


def forward_flops(model, executed=False):
    """Forward FLOPs per sample of the Dense and convolution layers of `model`.

    By default those of the layers as published; with `executed`, an
    `UpsampledConv2D` counts the cheaper convolution it actually runs.
    """
    import keras

    from keras_gan_latent.models import dcgan

    total = 0
    for layer in model._flatten_layers(include_self=False):
        if isinstance(layer, keras.layers.Dense):
            total += 2 * layer.kernel.shape[0] * layer.kernel.shape[1]
        elif executed and isinstance(layer, getattr(dcgan, "UpsampledConv2D", ())):
            # An m x m convolution with 4 * c_out channels on the image before upsampling.
            kh, kw, c_in, c_out = layer.kernel.shape
            _, h, w, _ = layer.output.shape
            mh, mw = (2 * ((k // 2 + 1) // 2) + 1 for k in (kh, kw))
            total += 2 * (h // 2) * (w // 2) * mh * mw * c_in * 4 * c_out
        elif isinstance(layer, keras.layers.Conv2DTranspose):
            # Every input pixel scatters a kh x kw x c_out patch.
            kh, kw, c_out, c_in = layer.kernel.shape
            _, h, w, _ = layer.input.shape
            total += 2 * h * w * kh * kw * c_in * c_out
        elif isinstance(layer, keras.layers.Conv2D):
            kh, kw, c_in, c_out = layer.kernel.shape
            _, h, w, _ = layer.output.shape
            total += 2 * h * w * kh * kw * c_in * c_out
    return total


def iteration_flops(generator, discriminator, batch, executed=False):
    """FLOPs of one iteration (one D update, one G update) at batch size `batch`."""
    g, d = forward_flops(generator, executed), forward_flops(discriminator, executed)
    d_step = g * batch // 2 + 3 * d * batch
    g_step = 3 * g * batch + 2 * d * batch
    return d_step + g_step


class SeedLoop:
    """The seed study's combined-model `train_on_batch` loop on our networks."""

    def __init__(self, config, x_real, latent_dim, seed=0):
        import keras

        from keras_gan_latent.models import dcgan

        self.batch, self.half, self.latent_dim = config.batch_size, config.batch_size // 2, latent_dim
        self.x_real = x_real
        self.rng = np.random.default_rng(seed)
        keras.utils.set_random_seed(seed)
        self.generator = dcgan.dcgan_generator(latent_dim, config.arch, name="seed_generator")
        self.discriminator = dcgan.dcgan_discriminator(config.arch, name="seed_discriminator")
        # Our D returns logits where the seed's ended in a sigmoid: same loss.
        bce = keras.losses.BinaryCrossentropy(from_logits=True)
        self.discriminator.compile(keras.optimizers.Adam(config.lr_d, beta_1=config.beta1_d), bce)
        self.ones_half = np.ones((self.half, 1), np.float32)
        self.zeros_half = np.zeros((self.half, 1), np.float32)
        self.ones = np.ones((self.batch, 1), np.float32)
        # Keras 3 fixes a model's trainable weights when its train function is
        # traced: trace D's while it is trainable, then freeze it for the
        # combined model (Keras 2 fixed them at compile, as the seed relied on).
        self.discriminator.train_on_batch(self.x_real[: self.half], self.ones_half)
        self.discriminator.trainable = False
        z = keras.Input((latent_dim,))
        self.combined = keras.Model(z, self.discriminator(self.generator(z)))
        self.combined.compile(keras.optimizers.Adam(config.lr_g, beta_1=config.beta1_g), bce)

    def latents(self, n):
        return self.rng.standard_normal((n, self.latent_dim)).astype(np.float32)

    def iteration(self):
        real = self.x_real[self.rng.integers(0, len(self.x_real), self.half)]
        fake = self.generator.predict_on_batch(self.latents(self.half))
        self.discriminator.train_on_batch(real, self.ones_half)
        self.discriminator.train_on_batch(fake, self.zeros_half)
        self.combined.train_on_batch(self.latents(self.batch), self.ones)

    def run(self, n):
        """Runs `n` iterations; returns the seconds they took."""
        start = time.perf_counter()
        for _ in range(n):
            self.iteration()
        return time.perf_counter() - start


def measure_config(name, args, x_real_float):
    """Times our path, the seed loop and the matmul rate, interleaved, for one config.

    Returns:
        {"ours": it/s, "seed": it/s, "ours / seed": median of per-block ratios,
        "roofline_ours", "roofline_seed": fractions of the roofline}.
    """
    import keras

    from keras_gan_latent.training import callbacks as gan_callbacks
    from keras_gan_latent import experiments
    from keras_gan_latent.training import loop
    from keras_gan_latent.experiments.config import TrainConfig

    arch, batch = CONFIGS[name]
    iterations = args.iterations if batch <= 64 else max(args.repeats, args.iterations * 64 // batch)
    block = max(1, iterations // args.repeats)
    run_dir = tempfile.mkdtemp(prefix="dcgan_speed_")
    setup = experiments.build_setup(TrainConfig(model="dcgan", arch=arch, batch_size=batch, latent_dim=args.latent_dim,
                                             mode_report_samples=0, run_dir=run_dir))
    config = setup.config  # resolved: the arch's Adam settings
    model = setup.model
    with setup.strategy.scope():  # as training.loop.run compiles it
        model.compile(**setup.make_optimizers(), jit_compile=config.jit_compile
        )
    flops = iteration_flops(model.generator, model.discriminator, batch)
    executed = iteration_flops(model.generator, model.discriminator, batch, executed=True)

    seed = SeedLoop(config, x_real_float, args.latent_dim)
    seed.run(2)  # traces G.predict_on_batch and combined.train_on_batch

    ours_s, seed_s, gflops, first = [], [], [], []

    class Interleave(keras.callbacks.Callback):
        def on_train_batch_begin(self, batch_index, logs=None):
            self.start = time.perf_counter()

        def on_train_batch_end(self, batch_index, logs=None):
            int(self.model.global_step.numpy())  # the execution has finished
            seconds = time.perf_counter() - self.start
            seed_seconds = seed.run(block)
            if not first:  # tracing + warm-up
                first.append(seconds)
                return
            ours_s.append(seconds)
            seed_s.append(seed_seconds)
            gflops.append(matmul_gflops(seconds=args.matmul_seconds))

    guard = gan_callbacks.NonFiniteGuard()
    loop._fit_segments(model, setup, [((args.repeats + 1) * block, block)],
                           [guard, Interleave()], guard, 0, run_dir)

    timed = block * len(ours_s)
    ours_rate, seed_rate = timed / sum(ours_s), timed / sum(seed_s)
    ratio = statistics.median(s / o for o, s in zip(ours_s, seed_s))
    # Fraction of the roofline: achieved GFLOP/s over the matmul rate measured next to it.
    roof_ours = statistics.median(block * flops / o / 1e9 / g for o, g in zip(ours_s, gflops))
    roof_seed = statistics.median(block * flops / s / 1e9 / g for s, g in zip(seed_s, gflops))
    gflops_median = statistics.median(gflops)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
    d_calls = "2 calls (BatchNorm)" if model.separate_d_batches else "1 concatenated call"
    print(f"\n== {name}: arch {arch}, batch {batch} (D: {batch // 2} real + {batch // 2} fake, "
          f"G: {batch} latents), latent dim {args.latent_dim}; {TARGETS[name]}")
    print(f"  one iteration: {flops / 1e9:.2f} GFLOP; numpy matmul {gflops_median:.1f} GFLOP/s "
          f"(median over blocks) -> roofline {gflops_median * 1e9 / flops:.2f} it/s "
          f"= {2 * batch * gflops_median * 1e9 / flops:.0f} img/s")
    if executed != flops:
        print(f"  (UpsampledConv2D computes the same function with {executed / 1e9:.2f} GFLOP per iteration: "
              f"{flops / executed:.2f}x fewer; percentages count the published {flops / 1e9:.2f})")
    print(f"  timed: {len(ours_s)} blocks x {block} iterations per path; our first execution "
          f"(tracing) {first[0]:.1f} s; D in {d_calls}; jit_compile={config.jit_compile}")
    print(f"  ours  GAN.fit (loop.py): {ours_rate:6.2f} it/s  {2 * batch * ours_rate:6.0f} img/s  "
          f"{roof_ours:5.1%} of roofline   blocks: {' '.join(f'{block / s:.2f}' for s in ours_s)} it/s")
    print(f"  seed  train_on_batch loop:   {seed_rate:6.2f} it/s  {2 * batch * seed_rate:6.0f} img/s  "
          f"{roof_seed:5.1%} of roofline   blocks: {' '.join(f'{block / s:.2f}' for s in seed_s)} it/s")
    print(f"  ours / seed: {ratio:.2f}x (median of per-block ratios)")
    if name in TARGET_CHECKS:
        threshold, unit = TARGET_CHECKS[name]
        value = ours_rate if unit == "it/s" else 2 * batch * ours_rate
        print(f"  target ours >= {threshold:g} {unit}: {'ok' if value >= threshold else 'MISSED'} ({value:.2f} {unit})")
    print(f"  peak RSS of this process so far: {rss:.0f} MB")
    del seed, model, setup
    keras.backend.clear_session()
    shutil.rmtree(run_dir, ignore_errors=True)
    return {"ours": ours_rate, "seed": seed_rate, "ours / seed": ratio, "roofline_ours": roof_ours,
            "roofline_seed": roof_seed}


def main(argv=None):
    """Prints the measurements; returns {config: `measure_config`'s rates and ratios}."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=40,
                        help="timed iterations per path and config (configs with batch > 64: "
                             "scaled by 64/batch, so each config sees about as many images)")
    parser.add_argument("--repeats", type=int, default=4,
                        help="interleaved blocks the timed iterations are split into")
    parser.add_argument("--configs", default=",".join(CONFIGS),
                        help=f"comma-separated subset of {', '.join(CONFIGS)}")
    parser.add_argument("--latent-dim", type=int, default=10, help="the seed study's measurement used 10")
    parser.add_argument("--matmul-seconds", type=float, default=1.0, help="matmul burst per block")
    parser.add_argument("--onednn", choices=("default", "on", "off"), default="default",
                        help="set TF_ENABLE_ONEDNN_OPTS before TensorFlow is imported "
                             "(default: leave the environment alone)")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.configs.split(",") if n.strip()]
    unknown = sorted(set(names) - set(CONFIGS))
    if unknown or args.iterations < 1 or args.repeats < 1:
        parser.error(f"unknown configs {unknown}" if unknown else "--iterations and --repeats must be >= 1")
    if args.onednn != "default":
        os.environ["TF_ENABLE_ONEDNN_OPTS"] = "1" if args.onednn == "on" else "0"

    import tensorflow as tf
    from tensorflow.python.util import _pywrap_util_port

    from keras_gan_latent.data import mnist

    print(f"TensorFlow {tf.__version__}; oneDNN {'on' if _pywrap_util_port.IsMklEnabled() else 'off'} "
          f"(TF_ENABLE_ONEDNN_OPTS={os.environ.get('TF_ENABLE_ONEDNN_OPTS', 'unset')}); "
          f"{os.cpu_count()} CPUs; load average {', '.join(f'{v:.1f}' for v in os.getloadavg())}")
    start_rate = max(matmul_gflops(seconds=2 * args.matmul_seconds) for _ in range(3))
    print(f"numpy float32 matmul at start: {start_rate:.1f} GFLOP/s (best of 3)")
    # The seed study's real batches: fancy indexing of the float training set in [-1, 1].
    x_real = mnist.load_mnist()[0].astype(np.float32)[..., None] / 127.5 - 1.0
    results = {name: measure_config(name, args, x_real) for name in names}
    print(f"\nload average at the end: {', '.join(f'{v:.1f}' for v in os.getloadavg())} "
          "(timings grow with other load on the 2 cores; compare the ratios)")
    return results


if __name__ == "__main__":
    main()
