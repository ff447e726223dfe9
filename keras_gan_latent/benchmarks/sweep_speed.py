"""What a sweep cell costs against `train.py`, and whether two shards beat one on this machine.

Prints:
  * cell overhead: one cell (grid25, latent dim 10 by default) trained in this
    process as `train.py` trains it (`experiments.train` with its default
    summaries) and as `sweep.run_cell` trains and evaluates it, without and
    with the per-run GIF (`--animate`), runs interleaved (A B C A B C ...).
    Every run uses the summary schedule of a full 30,000-step run, so
    `--steps 3000` costs a tenth of a cell with the same share of summaries,
    frames and evaluation. Ratios are against the `train.py` run of the same
    repeat.
  * shards: `scripts/sweep.py` over two cells as one process, then as two
    `--shard` processes at once into one folder; wall time and cells per hour.

    python -m keras_gan_latent.benchmarks.sweep_speed [--steps 3000] [--repeats 2] [--parts overhead,shards]
        [--num-samples N]

The figures are wall-clock times on whatever else the machine is doing;
ratios from interleaved runs are the robust part.
"""

import argparse
import dataclasses
import os
import statistics
import subprocess
import tempfile
import time

from keras_gan_latent.benchmarks import program

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
FULL_STEPS = 30000  # the schedule every benchmarked run follows


def overhead(steps, repeats, target, latent_dim, num_samples=None):
    """Seconds of `train.py`'s training vs. a sweep cell's, interleaved, in this process.

    Returns:
        {run kind: {"training", "whole": median seconds, "training ratio", "whole ratio": to train.py's}}.
    """
    from keras_gan_latent import sweep
    from keras_gan_latent import experiments
    from keras_gan_latent.experiments.config import TrainConfig

    times = {"train.py": [], "sweep cell": [], "sweep cell --animate": []}
    trained = {name: [] for name in times}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(repeats):
            # train.py: its own defaults (scalars every 100, images every 1,000 steps).
            config = TrainConfig(target=target, latent_dim=latent_dim, steps=steps, run_dir=os.path.join(tmp, f"train{r}"))
            start = time.perf_counter()
            result = experiments.train(config, verbose=0, setup=experiments.prepare(config))
            times["train.py"].append(time.perf_counter() - start)
            trained["train.py"].append(result.seconds)
            for animate in (False, True):
                name = "sweep cell --animate" if animate else "sweep cell"
                settings = sweep.SweepSettings(
                    targets=(target,), latent_dims=(latent_dim,), seeds=(r,), steps=FULL_STEPS,
                    out=os.path.join(tmp, f"sweep{r}{int(animate)}"), animate=animate, num_samples=num_samples,
                ).resolved()
                kind = sweep.check_sweep(settings)
                cell_settings = _ShortRun(settings, steps)
                start = time.perf_counter()
                _, record = sweep.run_cell(cell_settings, kind, target, latent_dim, r, verbose=0, log=lambda line: None)
                times[name].append(time.perf_counter() - start)
                trained[name].append(record["training_seconds"])
    print(f"cell overhead ({target}, latent dim {latent_dim}, {steps} steps on the 30,000-step schedule, {repeats} interleaved repeats)")
    base_total, base_trained = statistics.median(times["train.py"]), statistics.median(trained["train.py"])
    result = {}
    for name in times:
        total, train_s = statistics.median(times[name]), statistics.median(trained[name])
        result[name] = {"training": train_s, "whole": total, "training ratio": train_s / base_trained,
                        "whole ratio": total / base_total}
        print(
            f"  {name:22s} training {train_s:7.1f} s ({train_s / base_trained:4.2f}x)   "
            f"whole cell {total:7.1f} s ({total / base_total:4.2f}x)   per repeat {['%.1f' % t for t in times[name]]}"
        )
    return result


class _ShortRun:
    """`SweepSettings` whose cells train `steps` steps on the full run's summary schedule."""

    def __init__(self, settings, steps):
        self._settings, self._steps = settings, steps

    def __getattr__(self, name):
        return getattr(self._settings, name)

    def train_config(self, *cell):
        return dataclasses.replace(self._settings.train_config(*cell), steps=self._steps)


def shards(steps):
    """Two cells: one process after the other vs. two `--shard` processes at once.

    Returns:
        {"one", "two": wall seconds, "ratio": one / two, the throughput gain}.
    """
    command = program("keras_gan_latent.cli.sweep") + [
        "--targets", "eight_gaussians", "--latent-dims", "2,10", "--seeds", "0", "--steps", str(steps), "--quiet",
    ]
    env = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        subprocess.run(command + ["--out", os.path.join(tmp, "one")], env=env, check=True, capture_output=True)
        one = time.perf_counter() - start
        start = time.perf_counter()
        processes = [
            subprocess.Popen(command + ["--out", os.path.join(tmp, "two"), "--shard", f"{i}/2"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for i in (1, 2)
        ]
        if any(p.wait() != 0 for p in processes):
            raise SystemExit("a shard failed")
        two = time.perf_counter() - start
    print(f"shards (two cells of {steps} steps each, whole processes)")
    print(f"  one process        {one:7.1f} s   {2 * 3600 / one:6.1f} cells/h")
    print(f"  two shards at once {two:7.1f} s   {2 * 3600 / two:6.1f} cells/h   ({one / two:4.2f}x the throughput)")
    return {"one": one, "two": two, "ratio": one / two}


def main(argv=None):
    """Prints the measurements; returns {part: its times and ratios} of the parts run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--target", default="grid25")
    parser.add_argument("--latent-dim", type=int, default=10)
    parser.add_argument("--parts", default="overhead,shards")
    parser.add_argument("--num-samples", type=int, default=None, help="samples per cell evaluation (default: the sweep's)")
    args = parser.parse_args(argv)
    parts = args.parts.split(",")
    result = {}
    if "overhead" in parts:
        result["overhead"] = overhead(args.steps, args.repeats, args.target, args.latent_dim, args.num_samples)
    if "shards" in parts:
        result["shards"] = shards(args.steps)
    return result


if __name__ == "__main__":
    main()
