"""Cost of the levers: steps/s of packing, a coded latent and self-conditioning against the plain GAN step, on toy data or MNIST.

Every variant is the default run of train.py for `--model` (mlp: the MLP GAN
on grid25, latent dim 2, batch 512, XLA, 100 steps per execution; dcgan: the
light DCGAN on MNIST, latent dim 10, batch 64; a variant may name another
model, as self-conditioning does) built by its experiment, timed
in this one process, interleaved round by round so a load change on the
machine hits every variant alike; the best round of each is printed with its
ratio to the plain step. The batch counts samples in every variant: with
`--pack m`, D sees batch/2/m real and batch/2/m generated packs of m samples
per update.

    python -m keras_gan_latent.benchmarks.levers_speed [--model mlp|dcgan] [--steps 1000] [--repeats 3] [--variants 6]
"""

import argparse
import os
from typing import NamedTuple

# Built and timed as train.py runs it.
from keras_gan_latent.benchmarks.vae_speed import compiled_model, steps_per_second

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

VARIANTS = (
    ("vanilla", {}),
    ("--pack 2", dict(pack=2)),
    ("--pack 4", dict(pack=4)),
    ("--latent-code 25 --info-weight 0", dict(latent_code=25, info_weight=0.0)),
    ("--latent-code 25 (info weight 1)", dict(latent_code=25)),
    ("--pack 2 --latent-code 25", dict(pack=2, latent_code=25)),
)
DCGAN_VARIANTS = (
    ("vanilla", {}),
    ("--pack 2", dict(pack=2)),
    ("--latent-code 10 (info weight 1)", dict(latent_code=10)),
    ("--pack 2 --latent-code 10", dict(pack=2, latent_code=10)),
    # The train step only: the re-clustering every --recluster-every steps runs between steps, in a callback.
    ("--model selfcond (10 clusters)", dict(model="selfcond")),
)


class Bench(NamedTuple):
    """What one `--model` times: the run's settings besides the variant's, its description, its variants."""

    settings: dict
    description: str
    variants: tuple


BENCHES = {
    "mlp": Bench(dict(target="grid25", num_fixed_latents=10), "grid25, latent dim 2, batch 512, XLA", VARIANTS),
    "dcgan": Bench(dict(target="mnist", latent_dim=10, mode_report_samples=0),
                   "light DCGAN on MNIST, latent dim 10, batch 64", DCGAN_VARIANTS),
}


def main(argv=None):
    """Prints the measurements; returns {variant: (best steps/s, its ratio to "vanilla")}."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="mlp", choices=tuple(BENCHES), help="the GAN whose step is timed")
    parser.add_argument("--steps", type=int, default=1000, help="timed steps per measurement")
    parser.add_argument("--repeats", type=int, default=3, help="rounds; the best of each variant is kept")
    parser.add_argument("--warmup-steps", type=int, default=200, help="untimed steps of each variant first")
    parser.add_argument("--variants", type=int, default=None, help="time only the first this many variants")
    args = parser.parse_args(argv)
    bench = BENCHES[args.model]

    setups = {name: compiled_model(settings.get("model", args.model), warmup=args.warmup_steps,
                                   **bench.settings, **{k: v for k, v in settings.items() if k != "model"})
              for name, settings in bench.variants[:args.variants]}
    best = {name: 0.0 for name in setups}
    for _ in range(args.repeats):
        for name, setup in setups.items():
            best[name] = max(best[name], steps_per_second(setup, args.steps))
    base = best["vanilla"]
    print(f"{bench.description}; best of {args.repeats} rounds of {args.steps} steps")
    for name, rate in best.items():
        print(f"  {name:34s} {rate:7.1f} steps/s   {rate / base:5.2f}x vanilla")
    return {name: (rate, rate / base) for name, rate in best.items()}


if __name__ == "__main__":
    main()
