"""The DCGAN step with and without XLA, with and without oneDNN: one clean interleaved comparison.

oneDNN is chosen per process (TF_ENABLE_ONEDNN_OPTS is read when TensorFlow
loads), XLA per compiled model. So the parent starts child processes with
oneDNN on and off in turn (on, off, on, off, ...); each child builds the
same DCGAN twice (the same seed, `jit_compile` True and False) exactly as
`experiments.train` compiles it, traces both, then times blocks of
`--steps` training steps of the two models alternately. Prints steps/s per
combination (median over blocks, pooled over the children of a setting) and
the ratios to the package's current default.

    python -m keras_gan_latent.benchmarks.dcgan_xla_onednn [--arch light] [--steps 100] [--blocks 3] [--rounds 2]
"""

import argparse
import json
import os
import statistics
import subprocess

from keras_gan_latent.benchmarks import interleaved_rates, program

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def child(arch, steps, blocks):
    """Times XLA on and off in this process; prints one JSON line {"xla": [...], "no_xla": [...]}."""
    import keras

    # The same float32 DCGAN as the precision benchmark builds, compiled as `experiments.train` compiles it.
    from keras_gan_latent.benchmarks.dcgan_precision import build

    models = {name: build(arch, "float32", jit, steps)[:2] for name, jit in (("xla", True), ("no_xla", False))}
    rates = interleaved_rates(models, steps, blocks)
    keras.backend.clear_session()
    print(json.dumps(rates))


def main(argv=None):
    """Prints the measurements; returns {(oneDNN, XLA): (median steps/s, its ratio to oneDNN on, XLA off)}."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="light")
    parser.add_argument("--steps", type=int, default=100, help="steps per timed block")
    parser.add_argument("--blocks", type=int, default=3, help="timed blocks per model in each child")
    parser.add_argument("--rounds", type=int, default=2, help="children per oneDNN setting, alternating")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.arch, args.steps, args.blocks)
        return
    rates = {}
    for _ in range(args.rounds):
        for onednn in ("1", "0"):
            env = dict(os.environ, TF_ENABLE_ONEDNN_OPTS=onednn, TF_CPP_MIN_LOG_LEVEL="2")
            out = subprocess.run(
                program("keras_gan_latent.benchmarks.dcgan_xla_onednn")
                + ["--child", "--arch", args.arch, "--steps", str(args.steps), "--blocks", str(args.blocks)],
                env=env, capture_output=True, text=True, check=True,
            ).stdout.strip().splitlines()[-1]
            for name, values in json.loads(out).items():
                rates.setdefault((onednn == "1", name == "xla"), []).extend(values)
    print(f"{args.arch} DCGAN, {args.steps}-step blocks, {args.rounds} children per oneDNN setting, "
          f"load average {', '.join(f'{v:.1f}' for v in os.getloadavg())}")
    base = statistics.median(rates[(True, False)])  # TF's default here (oneDNN on with AVX-512) and jit_compile=False
    result = {}
    for (onednn, xla), values in sorted(rates.items()):
        median = statistics.median(values)
        result[(onednn, xla)] = (median, median / base)
        print(f"  oneDNN {'on ' if onednn else 'off'}  XLA {'on ' if xla else 'off'}  {median:6.2f} steps/s  "
              f"({median / base:4.2f}x oneDNN on, XLA off)   blocks {['%.1f' % v for v in values]}")
    return result


if __name__ == "__main__":
    main()
