"""The translator-noise study's scoring step: CycleGAN runs into one JSON file each.

    python -m keras_gan_latent.sweep.cyclegan_study evaluate logs/study_cyclegan/*/ --out docs/study_cyclegan

`evaluate` scores each finished run (a folder with `config.json` and its
export `generator/`) as `evaluate.py` does (2,500 samples, seed 0), adds its
late JS (the mean of `convergence/js` over the last 30 % of its image
summaries, the sweep's convention) and copies its final frame; it writes
`<out>/<run folder>.json` and `<out>/<run folder>.png`. The results page
(`docs/results/translators.md`, `reports.translators`) is generated from
those files by `python -m keras_gan_latent.cli.results_pages`.
"""

import argparse
import json
import os
import shutil
import sys

from keras_gan_latent.errors import UserError
from keras_gan_latent.fileio import atomic_write_json

LATE_FRACTION = 0.3  # the share of a run's image summaries the late JS averages over (as the sweep's tables)


def late_mean(curve):
    """The mean of the last `LATE_FRACTION` of a curve's values (None for an empty curve)."""
    values = curve.get("value", []) if curve else []
    if not values:
        return None
    tail = values[-max(1, round(LATE_FRACTION * len(values))):]
    return sum(tail) / len(tail)


def evaluate_runs(run_dirs, out, seed=0):
    """Scores each run of `run_dirs` into `<out>/<name>.json` (and its final frame into `<name>.png`).

    Returns:
        The names written.
    """
    from keras_gan_latent.experiments import get_experiment
    from keras_gan_latent.experiments.base import EvaluateOptions
    from keras_gan_latent.experiments.cyclegan import CURVE_TAGS
    from keras_gan_latent.sweep.curves import read_scalar_curves

    experiment = get_experiment("cyclegan")
    os.makedirs(out, exist_ok=True)
    written = []
    for run_dir in run_dirs:
        run_dir = run_dir.rstrip("/")
        config_path = os.path.join(run_dir, "config.json")
        export = os.path.join(run_dir, "generator")
        if not (os.path.isfile(config_path) and os.path.isfile(os.path.join(export, "saved_model.pb"))):
            print(f"skipped {run_dir}: not a finished run (no config.json or export)")
            continue
        with open(config_path) as f:
            config = json.load(f)
        report, _ = experiment.scorer.evaluate(export, config["target"], None, seed, EvaluateOptions(resamples=50))
        curves = read_scalar_curves(run_dir, CURVE_TAGS)
        name = os.path.basename(run_dir)
        kept = {k: config[k] for k in ("source", "target", "translator_noise", "cycle_weight", "identity_weight",
                                       "steps", "seed", "batch_size", "lr_g", "lr_d")}
        atomic_write_json(os.path.join(out, f"{name}.json"), {
            "run": name, "config": kept, "row": experiment.scorer.summary_row(report),
            "late_js": late_mean(curves.get("convergence/js")), "curves": curves, "report": report,
        })
        frame = os.path.join(run_dir, "final_frame.png")
        if os.path.isfile(frame):
            shutil.copyfile(frame, os.path.join(out, f"{name}.png"))
        written.append(name)
        print(f"{name}: {experiment.scorer.headline(report)}")
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m keras_gan_latent.sweep.cyclegan_study", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    evaluate = commands.add_parser("evaluate", help="score finished runs into JSON")
    evaluate.add_argument("runs", nargs="+", help="run folders")
    evaluate.add_argument("--out", default=os.path.join("docs", "study_cyclegan"))
    args = parser.parse_args(argv)
    try:
        evaluate_runs(args.runs, args.out)
    except UserError as exc:
        sys.stderr.write(f"cyclegan_study: error: {exc}\n")
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
