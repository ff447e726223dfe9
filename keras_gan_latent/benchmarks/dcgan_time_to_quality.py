"""How many minutes of CPU training each DCGAN option needs to reach good digits.

Trains named variants of the DCGAN, each a list of `scripts/train.py` flags
(`VARIANTS`: the baseline light DCGAN with latent dim 10, and the baseline
with the generator weight average, the tutorial architecture, the hinge
loss with a spectrally normalised D, the R1 penalty, the mixture prior with
and without the average, the seed study's networks, the light networks
with the seed study's optimizers, TTUR learning rates, one-sided label
smoothing), one at a time, each
in its own `train.py` process:

    train.py <flags> --steps N --image-every E --seed S --run-dir OUT/<variant> --quiet

Every image summary writes the mode report of the run's 2,000 fixed latents
(`modes/classifier_score`, `modes/frechet_distance`, `modes/kl_uniform`,
`modes/classes_covered`). After a run, this script reads them back from the
run's event files and writes `OUT/<variant>.json`:

  * `curve`: `[step, minutes, classifier_score, frechet_distance,
    kl_uniform, classes_covered]` at every image summary; minutes count
    training time from the first event of the run's first event file (the
    model built and the classifier loaded) and, after a resume, continue
    from the last event kept before it, so time between a kill and the
    resume, and the steps redone after it, are not counted;
  * `minutes_to_target` / `step_to_target`: the first point with classifier
    score >= `TARGET_SCORE` and Frechet distance <= `TARGET_FRECHET` (null if
    none), and `steps_per_second` over the whole run;

then `OUT/table.md`, a Markdown table of every variant with a result:
final score / Frechet / KL / classes, steps/s, minutes to the target, and
the variant's total training minutes and minutes to target as multiples of
the baseline's.

Resumable: a variant whose `OUT/<variant>.json` exists is skipped; one
whose run folder has checkpoints continues with `--resume`; one whose run
folder has none starts again from scratch (`--overwrite`: only the run's own
marked files go). A run that diverges gets a
result with `status` "diverged" and its curve up to then; any other failure
(an interrupted run, a refused flag) writes no result and stops the script
with the run's exit status, so the next call retries or resumes it.

The budget is `--steps` (the same for every variant); the curve gives the
minutes at each point, so choose it large enough for the slowest variant.
Minutes are wall-clock time on whatever else the machine runs: background
load changes the minutes a variant needs, not the steps. The first line
printed is the date, for that reason.

    python -m keras_gan_latent.benchmarks.dcgan_time_to_quality [--out logs/time_to_quality]
        [--variants baseline,ema,tutorial,hinge_sn,r1] [--steps 12000]
        [--image-every 500] [--seed 0]
    python -m keras_gan_latent.benchmarks.dcgan_time_to_quality --out OUT --record NAME=RUN_DIR [--record ...]

`--record NAME=RUN_DIR` (repeatable) trains nothing: it writes
`OUT/NAME.json` from a run folder trained some other way (a `train.py`
run of hours, still running or stopped by hand), with status "finished"
if the run has its export and "stopped" if not (its curve so far), and
`flags` null (the run's settings are in its `config.json`). The table
lists the variants, then every other result in OUT by name.

An unknown variant name, a `--record` that is not NAME=RUN_DIR of a run
folder with mode-report points, a recorded NAME that is a variant's (its
result would be replaced), or `--record` with the training flags is
refused in one line (exit status 2), before anything is written.
"""

import argparse
import datetime
import os
import subprocess
import sys

from keras_gan_latent.benchmarks import program
from keras_gan_latent.errors import UserError  # no TensorFlow
from keras_gan_latent.evaluation import REAL_DIGIT_TARGET  # no TensorFlow

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

PROG = "python -m keras_gan_latent.benchmarks.dcgan_time_to_quality"
TRAIN = program("keras_gan_latent.cli.train")
BASELINE = ["--model", "dcgan", "--latent-dim", "10"]
# Variant name -> train.py flags; the first is the baseline the table compares with.
VARIANTS = {
    "baseline": BASELINE,
    "ema": BASELINE + ["--ema", "0.999"],
    "tutorial": BASELINE + ["--arch", "tutorial"],
    "hinge_sn": BASELINE + ["--loss", "hinge", "--spectral-norm"],
    "r1": BASELINE + ["--r1", "10"],
    "mixture": BASELINE + ["--prior", "mixture"],
    "mixture_ema": BASELINE + ["--prior", "mixture", "--ema", "0.999"],
    "seed": BASELINE + ["--arch", "seed"],
    # The light networks with the seed study's optimizers and batch (is the seed arch's curve its D's slow Adam?).
    "light_seed_adam": BASELINE + ["--batch-size", "32", "--lr-d", "1e-5", "--beta1-d", "0.1"],
    # Two time-scale update rule (Heusel et al. 2017): D learns 4x faster than G.
    "ttur": BASELINE + ["--lr-g", "1e-4", "--lr-d", "4e-4"],
    "smooth": BASELINE + ["--label-smoothing", "0.1"],
    # A latent with a discrete part (InfoGAN's MNIST setting: a 10-way code, lambda 1): does a class choice in z
    # do for the digits what the cGAN's true label does?
    "code10": BASELINE + ["--latent-code", "10", "--info-weight", "1"],
    # Packing (PacGAN): D judges two digits at once, as channels.
    "pack2": BASELINE + ["--pack", "2"],
    "code10_pack2": BASELINE + ["--latent-code", "10", "--info-weight", "1", "--pack", "2"],
    # Self-conditioning (Liu et al. 2020): G and D conditioned on 10 clusters of D's features, re-clustered every
    # 2,000 steps: the cGAN's discrete choice, with clusters where the cGAN has labels.
    "selfcond10": ["--model", "selfcond", "--latent-dim", "10", "--clusters", "10"],
}
# The real-digit target's (`evaluation.REAL_DIGIT_TARGET`): classifier score at least, Frechet distance at most.
TARGET_SCORE, TARGET_FRECHET = REAL_DIGIT_TARGET.score, REAL_DIGIT_TARGET.frechet
# The columns of a curve point after step and minutes, and the scalar tag each comes from.
CURVE_TAGS = ("modes/classifier_score", "modes/frechet_distance", "modes/kl_uniform", "modes/classes_covered")
CURVE_COLUMNS = ("step", "minutes", "classifier_score", "frechet_distance", "kl_uniform", "classes_covered")
CODE_TAG = "modes/code_accuracy"  # class discovery, written only by runs with a latent code
READ_TAGS = (*CURVE_TAGS, CODE_TAG)  # the scalars read from a run's event files


def parse_variants(text):
    """The variant names of a comma-separated list, in order.

    Raises:
        UserError: naming the first unknown variant and the valid ones.
    """
    names = [name.strip() for name in text.split(",") if name.strip()]
    for name in names:
        if name not in VARIANTS:
            raise UserError(f"unknown variant {name!r}; valid variants: {', '.join(VARIANTS)}")
    if not names:
        raise UserError(f"no variant given; valid variants: {', '.join(VARIANTS)}")
    return names


def read_event_records(run_dir):
    """A run's event files as records: one list per file, oldest first, of `(wall_time, step, {tag: value})`.

    Every event counts (the file's first, without scalars, marks when its
    writer started); scalars are those of `CURVE_TAGS` and `CODE_TAG`.
    """
    import tensorflow as tf

    from keras_gan_latent.training import events

    files = []
    for path in events.event_files(run_dir):
        records = []
        for _, event in events.read_events(path):
            scalars = {
                value.tag: float(tf.make_ndarray(value.tensor)) for value in event.summary.value if value.tag in READ_TAGS
            }
            records.append((event.wall_time, int(event.step), scalars))
        files.append(records)
    return files


def training_curve(files):
    """The curve of `read_event_records`' records: `[step, minutes, *CURVE_TAGS values]` per image summary.

    A file's minutes run from its first record; each later file (a resumed
    run) starts where the previous one's last record ended. A step written
    twice keeps its last values; a step missing any of `CURVE_TAGS` is left
    out.

    Returns:
        Rows sorted by step.
    """
    points, offset = {}, 0.0
    for records in files:
        if not records:
            continue
        start = records[0][0]
        for wall_time, step, scalars in records:
            if not scalars:
                continue
            point = points.setdefault(step, {})
            point.update(scalars)
            point["minutes"] = (offset + wall_time - start) / 60.0
        offset += max(wall_time for wall_time, _, _ in records) - start
    return [
        [step, point["minutes"], *(point[tag] for tag in CURVE_TAGS)]
        for step, point in sorted(points.items())
        if all(tag in point for tag in CURVE_TAGS)
    ]


def code_curve(files):
    """`[step, code accuracy]` at every image summary of a run with a latent code (`CODE_TAG`), sorted by step; [] without a code.

    A step written twice (a resumed run) keeps its last value.
    """
    points = {step: scalars[CODE_TAG] for records in files for _, step, scalars in records if CODE_TAG in scalars}
    return [[step, value] for step, value in sorted(points.items())]


def first_at_target(curve, score=TARGET_SCORE, frechet=TARGET_FRECHET):
    """`(step, minutes)` of the first curve point with classifier score >= `score` and Frechet <= `frechet`, or `(None, None)`."""
    for step, minutes, point_score, point_frechet, *_ in curve:
        if point_score >= score and point_frechet <= frechet:
            return step, minutes
    return None, None


def summarise(name, flags, curve, status="finished", codes=()):
    """The JSON-ready result of one variant: its curve, the time to the target, its speed.

    With `codes` (`code_curve`'s points), the result also has
    `code_accuracy` (those points) and `final["code_accuracy"]`, the value
    at the last curve point's step.
    """
    step_to_target, minutes_to_target = first_at_target(curve)
    last = dict(zip(CURVE_COLUMNS, curve[-1])) if curve else {}
    codes = [list(point) for point in codes]
    if codes and last:
        last["code_accuracy"] = dict(codes).get(last["step"])
    minutes = last.get("minutes")
    result = {
        "variant": name,
        "flags": flags,
        "status": status,
        "curve_columns": list(CURVE_COLUMNS),
        "curve": curve,
        "target": {"classifier_score": TARGET_SCORE, "frechet_distance": TARGET_FRECHET},
        "step_to_target": step_to_target,
        "minutes_to_target": minutes_to_target,
        "final": last,
        "steps_per_second": last["step"] / (60.0 * minutes) if minutes else None,
    }
    if codes:
        result["code_accuracy"] = codes
    return result


def _number(value, spec):
    return "n/a" if value is None else format(value, spec)


def _ratio(value, reference):
    return "n/a" if value is None or not reference else f"{value / reference:.2f}x"


def markdown_table(results, baseline="baseline"):
    """A Markdown table of `results` (`summarise` dicts), one row each, with ratios to the `baseline` variant's.

    "train min": the minutes of the last curve point; "codes": class
    discovery at the last point (runs with a latent code); "x base" columns
    divide a variant's training minutes and minutes to target by the
    baseline's (n/a without a baseline result or where either is missing).
    """
    reference = next((r for r in results if r["variant"] == baseline), None)
    base_minutes = reference["final"].get("minutes") if reference else None
    base_target = reference["minutes_to_target"] if reference else None
    lines = [
        "| variant | status | steps | score | Frechet | KL | classes | codes | steps/s | train min | x base | "
        "min to target | x base |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in results:
        final = r["final"]
        lines.append(
            f"| {r['variant']} | {r['status']} | {final.get('step', 'n/a')} | "
            f"{_number(final.get('classifier_score'), '.2f')} | {_number(final.get('frechet_distance'), '.1f')} | "
            f"{_number(final.get('kl_uniform'), '.3f')} | {_number(final.get('classes_covered'), '.0f')} | "
            f"{_number(final.get('code_accuracy'), '.1%')} | "
            f"{_number(r['steps_per_second'], '.2f')} | {_number(final.get('minutes'), '.1f')} | "
            f"{_ratio(final.get('minutes'), base_minutes)} | {_number(r['minutes_to_target'], '.1f')} | "
            f"{_ratio(r['minutes_to_target'], base_target)} |"
        )
    return "\n".join(lines)


def record_run(text):
    """The result of a run trained outside this script.

    Args:
        text: `NAME=RUN_DIR`, as `--record` takes it.

    Returns:
        The `summarise` dict of RUN_DIR's curve, named NAME, `flags` None,
        status "finished" if the run has its export and "stopped" if not.

    Raises:
        UserError: if `text` is not NAME=RUN_DIR, NAME is a variant's,
            RUN_DIR is not a folder, or its event files hold no
            mode-report point (`CURVE_TAGS`).
    """
    name, sep, run_dir = text.partition("=")
    if not sep or not name or not run_dir or os.sep in name:
        raise UserError(f"--record takes NAME=RUN_DIR (NAME without {os.sep!r}), got {text!r}")
    if name in VARIANTS:
        raise UserError(f"--record {name}: {name!r} is a variant's name (its result would be replaced); choose another")
    if not os.path.isdir(run_dir):
        raise UserError(f"--record {name}: {run_dir!r} is not a folder")
    files = read_event_records(run_dir)
    curve = training_curve(files)
    if not curve:
        raise UserError(
            f"--record {name}: {run_dir!r} has no mode-report points ({', '.join(CURVE_TAGS)}) in its event files "
            "(not a DCGAN train.py run, or none reached its first image summary)"
        )
    finished = os.path.isfile(os.path.join(run_dir, "generator", "saved_model.pb"))
    return summarise(name, None, curve, "finished" if finished else "stopped", code_curve(files))


def train_variant(name, args):
    """Trains (or continues) one variant in a `train.py` process.

    Returns:
        `(exit status, the process's last stderr line or None)`.
    """
    run_dir = os.path.join(args.out, name)
    command = [*TRAIN, *VARIANTS[name], "--steps", str(args.steps), "--image-every",
               str(args.image_every), "--seed", str(args.seed), "--run-dir", run_dir, "--quiet"]
    if os.path.isdir(os.path.join(run_dir, "checkpoints")):
        command.append("--resume")
    elif os.path.isdir(run_dir):  # killed before its first checkpoint: start again, replacing only the run's own files
        command.append("--overwrite")
    print(f"{name}: train.py {' '.join(command[len(TRAIN):])}", flush=True)
    done = subprocess.run(command, stderr=subprocess.PIPE, text=True)
    errors = [line for line in done.stderr.splitlines() if line.strip()]
    return done.returncode, errors[-1] if errors and done.returncode else None


def main(argv=None):
    parser = argparse.ArgumentParser(prog=PROG, description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join("logs", "time_to_quality"), help="runs, results and table.md")
    parser.add_argument("--variants", default=None, help=f"comma-separated, of: {', '.join(VARIANTS)} (default all)")
    parser.add_argument("--steps", type=int, default=None, help="generator steps of every variant (default 12000)")
    parser.add_argument("--image-every", type=int, default=None, help="steps between mode reports (curve points; default 500)")
    parser.add_argument("--seed", type=int, default=None, help="default 0")
    parser.add_argument("--record", action="append", default=[], metavar="NAME=RUN_DIR",
                        help="only summarise a run folder trained elsewhere into OUT/NAME.json (repeatable)")
    args = parser.parse_args(argv)
    training = [flag for flag, value in (("--variants", args.variants), ("--steps", args.steps),
                                         ("--image-every", args.image_every), ("--seed", args.seed)) if value is not None]
    if args.record and training:
        raise UserError(f"--record trains nothing; it does not take {', '.join(training)}")
    if args.record:
        from keras_gan_latent.fileio import atomic_write_json

        recorded = [record_run(text) for text in args.record]  # every one checked before anything is written
        os.makedirs(args.out, exist_ok=True)
        for result in recorded:
            atomic_write_json(os.path.join(args.out, f"{result['variant']}.json"), result)
            print(f"{result['variant']}: {result['status']} at step {result['final'].get('step')}", flush=True)
        _write_table(args.out)
        return 0
    args.variants = ",".join(VARIANTS) if args.variants is None else args.variants
    args.steps = 12000 if args.steps is None else args.steps
    args.image_every = 500 if args.image_every is None else args.image_every
    args.seed = 0 if args.seed is None else args.seed
    names = parse_variants(args.variants)
    if args.steps < 1 or args.image_every < 1:
        raise UserError("--steps and --image-every must be positive integers")
    from keras_gan_latent.fileio import atomic_write_json

    print(f"{datetime.datetime.now().isoformat(timespec='seconds')}: {len(names)} variants, {args.steps} steps each, "
          f"mode report every {args.image_every} steps; results in {args.out}", flush=True)
    os.makedirs(args.out, exist_ok=True)
    status = 0
    for name in names:
        path = os.path.join(args.out, f"{name}.json")
        if os.path.exists(path):
            print(f"{name}: done before ({path})")
            continue
        code, error = train_variant(name, args)
        if code and "training diverged" not in (error or ""):
            print(f"{name}: exit status {code}: {error}; no result written (run again to retry or resume)", flush=True)
            return code
        status = status or code
        files = read_event_records(os.path.join(args.out, name))
        result = summarise(name, VARIANTS[name], training_curve(files), "finished" if code == 0 else "diverged",
                           code_curve(files))
        atomic_write_json(path, result)
        print(f"{name}: {result['status']}; minutes to target {_number(result['minutes_to_target'], '.1f')}", flush=True)

    _write_table(args.out)
    return status


def _write_table(out):
    """Writes and prints `out/table.md`: the variants' results in `VARIANTS` order, then the recorded runs by name.

    A result is a `.json` in `out` that `summarise` wrote (a dict with a
    `curve`); other JSON files there are left out.
    """
    import json

    names = [name for name in VARIANTS if os.path.exists(os.path.join(out, f"{name}.json"))]
    names += sorted(f[:-5] for f in os.listdir(out) if f.endswith(".json") and f[:-5] not in VARIANTS)
    results = []
    for name in names:
        with open(os.path.join(out, f"{name}.json")) as f:
            result = json.load(f)
        if isinstance(result, dict) and "curve" in result:
            results.append(result)
    table = markdown_table(results, baseline=next(iter(VARIANTS)))
    with open(os.path.join(out, "table.md"), "w") as f:
        f.write(table + "\n")
    print(table)


if __name__ == "__main__":
    from keras_gan_latent.cli.common import run

    sys.exit(run(main, PROG))
