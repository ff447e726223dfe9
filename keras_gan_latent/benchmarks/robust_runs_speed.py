"""What robustness costs: checkpoints, op determinism, and a second worker.

Prints:
  * checkpoint overhead: the default toy GAN trained in this process with a
    checkpoint every 1,000 steps (`--checkpoint-every`) against one checkpoint at the end, runs
    interleaved (A B A B ...), and the measured time of one save;
  * op determinism: `scripts/train.py` with and without `--deterministic`
    (separate processes: determinism is process-wide), for the toy GAN and
    the light DCGAN, interleaved;
  * multi-worker: two `MultiWorkerMirroredStrategy` workers on 127.0.0.1
    against one plain process, steps/s per worker, at the same global batch.

    python -m keras_gan_latent.benchmarks.robust_runs_speed [--steps 3000] [--repeats 2]
        [--parts checkpoints,determinism,multiworker] [--checkpoint-every 1000]

The figures are wall-clock rates on whatever else the machine is doing;
ratios from interleaved runs are the robust part.
"""

import argparse
import os
import re
import statistics
import subprocess
import tempfile
import time

from keras_gan_latent.benchmarks import program

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
TRAIN = program("keras_gan_latent.cli.train")
RATE = re.compile(r"trained (\d+) steps in ([\d.]+) s")


def checkpoint_overhead(steps, repeats, every=1000):
    """Steps/s with a checkpoint every `every` steps vs. only at the end (same process).

    Returns:
        {"end only", "every <every>": median steps/s, "ratio": the second over the first,
        "save_seconds": one save}.
    """
    from keras_gan_latent import experiments
    from keras_gan_latent.experiments.config import TrainConfig

    periodic = f"every {every}"
    rates = {"end only": [], periodic: []}
    save_seconds = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(repeats):
            for name, period in (("end only", steps), (periodic, every)):
                config = TrainConfig(run_dir=os.path.join(tmp, f"{name[:3]}{r}"), steps=steps, checkpoint_every=period)
                setup = experiments.prepare(config)
                result = experiments.train(config, verbose=0, setup=setup)
                rates[name].append(result.steps / result.seconds)
                if name == periodic:
                    from keras_gan_latent.training import checkpoints

                    manager = checkpoints.checkpoint_manager(setup.model, config.run_dir)
                    start = time.perf_counter()
                    for i in range(5):
                        manager.save(checkpoint_number=10**6 + i)
                    save_seconds.append((time.perf_counter() - start) / 5)
    base, ckpt = statistics.median(rates["end only"]), statistics.median(rates[periodic])
    print(f"checkpoints ({steps} steps, {repeats} interleaved repeats, toy GAN defaults)")
    print(f"  one checkpoint at the end   {base:7.1f} steps/s  {['%.1f' % x for x in rates['end only']]}")
    print(f"  {periodic + ' steps':27s} {ckpt:7.1f} steps/s  {['%.1f' % x for x in rates[periodic]]}")
    per_save = statistics.median(save_seconds)
    print(f"  one save: {1000 * per_save:.1f} ms -> {100 * per_save * base / every:.2f} % of {every:,} steps' time "
          f"(end-to-end ratio {ckpt / base:.3f})")
    return {"end only": base, periodic: ckpt, "ratio": ckpt / base, "save_seconds": per_save}


def _train_rate(args):
    done = subprocess.run(TRAIN + ["--quiet", *args], capture_output=True, text=True)
    match = RATE.search(done.stdout)
    if done.returncode or not match:
        raise RuntimeError(f"train.py {' '.join(args)} failed: {done.stderr[-500:]}")
    return int(match.group(1)) / float(match.group(2))


def determinism_cost(steps, repeats):
    """Steps/s of train.py with and without --deterministic, interleaved processes.

    Returns:
        {model: {"off", "on": median steps/s, "ratio": on / off}}.
    """
    print("op determinism (separate processes, interleaved)")
    result = {}
    for label, model_args, n in (
        ("toy GAN", [], steps),
        ("light DCGAN", ["--model", "dcgan", "--latent-dim", "10", "--mode-report-samples", "0"], max(100, steps // 10)),
    ):
        rates = {False: [], True: []}
        with tempfile.TemporaryDirectory() as tmp:
            for r in range(repeats):
                for deterministic in (False, True):
                    run_dir = os.path.join(tmp, f"{int(deterministic)}_{r}")
                    extra = ["--deterministic"] if deterministic else []
                    rates[deterministic].append(_train_rate(model_args + extra + ["--steps", str(n), "--run-dir", run_dir]))
        off, on = statistics.median(rates[False]), statistics.median(rates[True])
        print(f"  {label:12s} {n} steps: off {off:6.1f} steps/s, on {on:6.1f} steps/s, on/off {on / off:.3f}")
        result[label] = {"off": off, "on": on, "ratio": on / off}
    return result


def multiworker_rate(steps, repeats):
    """Steps/s per worker of two local workers against one plain process.

    Returns:
        {"one", "two": median steps/s (per worker), "ratio": two / one}.
    """
    print(f"multi-worker ({steps} steps, toy GAN defaults, global batch 512, 2 workers on this machine)")
    one, two = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(repeats):
            one.append(_train_rate(["--steps", str(steps), "--run-dir", os.path.join(tmp, f"one{r}")]))
            from keras_gan_latent.training import distribute

            procs = []
            for tf_config in distribute.local_cluster(2):
                env = dict(os.environ, TF_CONFIG=tf_config)
                procs.append(subprocess.Popen(
                    TRAIN + ["--quiet", "--strategy", "multiworker", "--steps", str(steps),
                             "--run-dir", os.path.join(tmp, f"two{r}")],
                    env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
            outs = [p.communicate() for p in procs]
            for p, (out, err) in zip(procs, outs):
                match = RATE.search(out)
                if p.returncode or not match:
                    raise RuntimeError(f"worker failed: {err[-500:]}")
                two.append(int(match.group(1)) / float(match.group(2)))
    one, two = statistics.median(one), statistics.median(two)
    print(f"  one process               {one:6.1f} steps/s")
    print(f"  two workers, per worker   {two:6.1f} steps/s  ({two / one:.2f}x)")
    return {"one": one, "two": two, "ratio": two / one}


def main(argv=None):
    """Prints the measurements; returns {part: its rates and ratios} of the parts run."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=3000)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--parts", default="checkpoints,determinism,multiworker")
    parser.add_argument("--checkpoint-every", type=int, default=1000, help="the checkpoints part's period")
    args = parser.parse_args(argv)
    parts = args.parts.split(",")
    result = {}
    if "checkpoints" in parts:
        result["checkpoints"] = checkpoint_overhead(args.steps, args.repeats, args.checkpoint_every)
    if "determinism" in parts:
        result["determinism"] = determinism_cost(args.steps, args.repeats)
    if "multiworker" in parts:
        result["multiworker"] = multiworker_rate(max(200, args.steps // 10), args.repeats)
    return result


if __name__ == "__main__":
    main()
