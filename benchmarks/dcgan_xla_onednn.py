#!/usr/bin/env python
"""The DCGAN step with and without XLA, with and without oneDNN: one clean interleaved comparison.

oneDNN is chosen per process (TF_ENABLE_ONEDNN_OPTS is read when TensorFlow
loads), XLA per compiled model. So the parent starts child processes with
oneDNN on and off in turn (on, off, on, off, ...); each child builds the
same DCGAN twice (the same seed, `jit_compile` True and False) exactly as
`experiments.train` compiles it, traces both, then times blocks of
`--steps` training steps of the two models alternately. Prints steps/s per
combination (median over blocks, pooled over the children of a setting) and
the ratios to the package's current default.

    python benchmarks/dcgan_xla_onednn.py [--arch light] [--steps 100] [--blocks 3] [--rounds 2]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def child(arch, steps, blocks):
    """Times XLA on and off in this process; prints one JSON line {"xla": [...], "no_xla": [...]}."""
    import dataclasses

    import keras

    from keras_gan_latent import experiments
    from keras_gan_latent.training.config import TrainConfig

    models = {}
    for name, jit in (("xla", True), ("no_xla", False)):
        config = TrainConfig(model="dcgan", arch=arch, latent_dim=10, mode_report_samples=0, run_dir="unused")
        setup = experiments.build_setup(dataclasses.replace(config.resolved(), jit_compile=jit))
        model, config = setup.model, setup.config
        model.compile(
            **setup.make_optimizers(),
            jit_compile=jit,
            steps_per_execution=steps,
        )
        dataset = setup.make_dataset(0)
        model.fit(dataset, steps_per_epoch=steps, epochs=1, verbose=0, shuffle=False)  # trace / compile
        models[name] = (model, dataset)
    rates = {name: [] for name in models}
    for _ in range(blocks):
        for name, (model, dataset) in models.items():
            start = time.perf_counter()
            model.fit(dataset, steps_per_epoch=steps, epochs=1, verbose=0, shuffle=False)
            rates[name].append(steps / (time.perf_counter() - start))
    keras.backend.clear_session()
    print(json.dumps(rates))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--arch", default="light")
    parser.add_argument("--steps", type=int, default=100, help="steps per timed block")
    parser.add_argument("--blocks", type=int, default=3, help="timed blocks per model in each child")
    parser.add_argument("--rounds", type=int, default=2, help="children per oneDNN setting, alternating")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.arch, args.steps, args.blocks)
        return
    rates = {}
    for _ in range(args.rounds):
        for onednn in ("1", "0"):
            env = dict(os.environ, TF_ENABLE_ONEDNN_OPTS=onednn, TF_CPP_MIN_LOG_LEVEL="2")
            out = subprocess.run(
                [sys.executable, __file__, "--child", "--arch", args.arch, "--steps", str(args.steps), "--blocks", str(args.blocks)],
                env=env, capture_output=True, text=True, check=True,
            ).stdout.strip().splitlines()[-1]
            for name, values in json.loads(out).items():
                rates.setdefault((onednn == "1", name == "xla"), []).extend(values)
    print(f"{args.arch} DCGAN, {args.steps}-step blocks, {args.rounds} children per oneDNN setting, "
          f"load average {', '.join(f'{v:.1f}' for v in os.getloadavg())}")
    base = statistics.median(rates[(True, False)])  # TF's default here (oneDNN on with AVX-512) and jit_compile=False
    for (onednn, xla), values in sorted(rates.items()):
        median = statistics.median(values)
        print(f"  oneDNN {'on ' if onednn else 'off'}  XLA {'on ' if xla else 'off'}  {median:6.2f} steps/s  "
              f"({median / base:4.2f}x oneDNN on, XLA off)   blocks {['%.1f' % v for v in values]}")


if __name__ == "__main__":
    main()
