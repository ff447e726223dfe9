"""The light DCGAN's training step: ours (`GAN.fit`) beside a plain PyTorch CPU loop of the same networks.

The toy step has been placed beside PyTorch before (REFERENCE.md); this does
the same for the default DCGAN (``--arch light``, batch 64, latent 10), so a
reader can tell how far the Keras/TensorFlow step is from what a plain CPU
loop of the same arithmetic reaches here.

The PyTorch networks are the light architecture of `models.dcgan` layer for
layer: G Linear(k, 7*7*64, no bias)-BN-ReLU -> ConvT(64->32, 4, s2)-BN-ReLU ->
ConvT(32->1, 4, s2, tanh); D Conv(1->32, 4, s2)-LeakyReLU(0.2) ->
Conv(32->64, 4, s2)-LeakyReLU(0.2) -> Linear(3136, 1) (padding chosen so that
the shapes are Keras's "same" ones: 7 -> 14 -> 28, 28 -> 14 -> 7). One
iteration of each path is the same work: D's Adam step on B/2 real and B/2
generated digits (non-saturating BCE on logits), then G's Adam step on B
latents through D. Real digits come from a float32 copy of MNIST in memory
(random indices) on both sides.

The two are timed interleaved in one process: blocks of ``--steps``
iterations, ours then PyTorch's, ``--blocks`` times, after one untimed
warm-up block each. Each framework's own thread pool is used with its
default size (both use both cores); the first line gives the load average,
since other processes on the machine slow both alike.

    python -m keras_gan_latent.benchmarks.dcgan_torch [--steps 100] [--blocks 5]

Needs PyTorch (``pip install torch``; not a dependency of the package).
"""

import argparse
import os
import statistics
import time

import numpy as np

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

LATENT_DIM = 10


def keras_path(steps):
    """(run(n): trains n iterations of our light DCGAN, batch) as `experiments.train` compiles it."""
    from keras_gan_latent import experiments
    from keras_gan_latent.experiments.config import TrainConfig

    config = TrainConfig(model="dcgan", arch="light", latent_dim=LATENT_DIM, mode_report_samples=0, run_dir="unused")
    setup = experiments.build_setup(config)
    setup.model.compile(**setup.make_optimizers(), jit_compile=setup.config.jit_compile, steps_per_execution=steps)
    dataset = setup.make_dataset(0)

    def run(n):
        setup.model.fit(dataset, steps_per_epoch=n, epochs=1, verbose=0, shuffle=False)

    return run, setup.config


def torch_path(config, images):
    """run(n): n iterations of the same networks, loss and Adam settings in a plain PyTorch loop."""
    import torch
    from torch import nn

    torch.manual_seed(0)
    g = nn.Sequential(
        nn.Linear(LATENT_DIM, 7 * 7 * 64, bias=False), nn.BatchNorm1d(7 * 7 * 64, eps=1e-3, momentum=0.01), nn.ReLU(),
        nn.Unflatten(1, (64, 7, 7)),
        nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1, bias=False), nn.BatchNorm2d(32, eps=1e-3, momentum=0.01), nn.ReLU(),
        nn.ConvTranspose2d(32, 1, 4, stride=2, padding=1), nn.Tanh(),
    )
    d = nn.Sequential(
        nn.Conv2d(1, 32, 4, stride=2, padding=1), nn.LeakyReLU(0.2),
        nn.Conv2d(32, 64, 4, stride=2, padding=1), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(7 * 7 * 64, 1),
    )
    opt_g = torch.optim.Adam(g.parameters(), lr=config.lr_g, betas=(config.beta1_g, 0.999), eps=1e-7)
    opt_d = torch.optim.Adam(d.parameters(), lr=config.lr_d, betas=(config.beta1_d, 0.999), eps=1e-7)
    bce = nn.BCEWithLogitsLoss()
    data = torch.from_numpy(images)
    half = config.batch_size // 2
    rng = np.random.default_rng(0)

    def run(n):
        for _ in range(n):
            real = data[torch.from_numpy(rng.integers(0, len(data), half))]
            fake = g(torch.randn(half, LATENT_DIM))
            logits = d(torch.cat([real, fake.detach()]))
            labels = torch.cat([torch.ones(half, 1), torch.zeros(half, 1)])
            opt_d.zero_grad()
            bce(logits, labels).backward()
            opt_d.step()
            logits = d(g(torch.randn(config.batch_size, LATENT_DIM)))
            opt_g.zero_grad()
            bce(logits, torch.ones(config.batch_size, 1)).backward()
            opt_g.step()

    return run


def main(argv=None):
    """Prints the measurements; returns {path: (median it/s, its ratio to ours)}."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=100, help="iterations per timed block")
    parser.add_argument("--blocks", type=int, default=5, help="timed blocks per path")
    parser.add_argument("--torch-threads", type=int, default=None,
                        help="PyTorch's intra-op threads (default: its own, one per core); OpenMP's spinning threads "
                             "suffer most when other processes share the cores")
    args = parser.parse_args(argv)
    if args.torch_threads:
        import torch

        torch.set_num_threads(args.torch_threads)
    from keras_gan_latent.data.mnist import load_mnist

    ours, config = keras_path(args.steps)
    x = load_mnist()[0].astype(np.float32)[:, None] / 127.5 - 1.0  # (n, 1, 28, 28) in [-1, 1]
    theirs = torch_path(config, x)
    paths = {"ours (GAN.fit)": ours, "plain PyTorch": theirs}
    rates = {name: [] for name in paths}
    for run in paths.values():
        run(args.steps)  # warm-up: tracing, allocator
    for _ in range(args.blocks):
        for name, run in paths.items():
            start = time.perf_counter()
            run(args.steps)
            rates[name].append(args.steps / (time.perf_counter() - start))
    import torch

    print(f"light DCGAN, batch {config.batch_size}, latent {LATENT_DIM}, {args.steps}-iteration blocks x {args.blocks}, "
          f"interleaved, PyTorch {torch.__version__} on {torch.get_num_threads()} threads; load average {', '.join(f'{v:.1f}' for v in os.getloadavg())}")
    base = statistics.median(rates["ours (GAN.fit)"])
    result = {}
    for name, values in rates.items():
        median = statistics.median(values)
        result[name] = (median, median / base)
        print(f"  {name:15s} {median:7.1f} it/s  ({median / base:4.2f}x ours)   blocks {['%.1f' % v for v in values]}")
    return result


if __name__ == "__main__":
    main()
