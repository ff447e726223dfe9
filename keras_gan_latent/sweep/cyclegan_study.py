"""The translator-noise study: score CycleGAN runs into JSON, and write `docs/cyclegan.md` from that JSON.

    python -m keras_gan_latent.sweep.cyclegan_study evaluate logs/study_cyclegan/*/ --out docs/study_cyclegan
    python -m keras_gan_latent.sweep.cyclegan_study page --results docs/study_cyclegan --out docs/cyclegan.md

`evaluate` scores each finished run (a folder with `config.json` and its
export `generator/`) as `evaluate.py` does (2,500 samples, seed 0), adds its
late JS (the mean of `convergence/js` over the last 30 % of its image
summaries, the sweep's convention) and copies its final frame; it writes
`<out>/<run folder>.json` and `<out>/<run folder>.png`. `page` reads those
files (and, for the GAN beside it, `docs/study_toy/results`) and writes the
Markdown page, with `<results>/answer.md` (the reading of the numbers) after
its first paragraphs; it imports no TensorFlow.
"""

import argparse
import glob
import json
import os
import shutil
import sys

from keras_gan_latent.errors import UserError
from keras_gan_latent.fileio import atomic_write_bytes, atomic_write_json

LATE_FRACTION = 0.3  # the share of a run's image summaries the late JS averages over (as the sweep's tables)
GAN_RESULTS = os.path.join("docs", "study_toy", "results")
PROBE_COLUMNS = (0.01, 0.1, 1.0)  # the probe's noise, in target mode sigmas, shown in the page's table


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


def _fmt(value, digits=3):
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.{digits}g}" if abs(value) < 1000 else f"{value:.0f}"
    return str(value)


def _probe(result, relative):
    probe = result["report"]["translation"]["steganography"]
    for rel, entry in zip(probe["relative_scales"], probe["noisy"]):
        if abs(rel - relative) < 1e-9:
            return entry["excess"]
    return None


def gan_rows(target, root="."):
    """The MLP GAN's seed-0 results on `target` by latent dim: JS at 5,000 steps (its curve) and at 30,000."""
    rows = {}
    for path in sorted(glob.glob(os.path.join(root, GAN_RESULTS, f"{target}_z*_s0"))):
        k = int(os.path.basename(path)[len(target) + 2:].split("_")[0])
        with open(os.path.join(path, "curve.json")) as f:
            curve = json.load(f).get("convergence/js", {})
        with open(os.path.join(path, "evaluation.json")) as f:
            report = json.load(f)
        at_5000 = dict(zip(curve.get("step", []), curve.get("value", []))).get(5000)
        modes = report.get("modes", {})
        rows[k] = (at_5000, report["divergences"]["js"]["estimate"], modes.get("modes_covered"),
                   modes.get("high_quality_fraction"))
    return dict(sorted(rows.items()))


def budget(runs):
    """The page's sentence on what was run: pairs, seeds and steps, said plainly."""
    pairs = sorted({f"`{r['config']['source']} -> {r['config']['target']}`" for r in runs})
    seeds = sorted({r["config"]["seed"] for r in runs})
    steps = sorted({r["config"]["steps"] for r in runs})
    noise = sorted({r["config"]["translator_noise"] for r in runs})
    return (f"**Budget: {len(seeds)} seed{'s' if len(seeds) > 1 else ''} ({', '.join(map(str, seeds))}), "
            f"{' or '.join(f'{s:,}' for s in steps)} steps per run, on a shared 2-core CPU; pairs {', '.join(pairs)}; "
            f"translator noise k in {{{', '.join(map(str, noise))}}}.** Every number is one run: a difference of "
            "the size of the GAN study's seed-to-seed spread (about 0.1 nats of JS) says nothing.")


def answer(results):
    """The lines of `<results>/answer.md` (what the numbers say, written by the person who ran them), if any."""
    notes = os.path.join(results, "answer.md")
    if not os.path.isfile(notes):
        return []
    with open(notes) as f:
        return [f.read().strip(), ""]


def train_command(result):
    """The train.py command of a run, from its kept config (the image summaries every 500 steps, as the study's)."""
    c = result["config"]
    return (f"python scripts/train.py --model cyclegan --source {c['source']} --target {c['target']} "
            f"--translator-noise {c['translator_noise']} --steps {c['steps']} --cycle-weight {c['cycle_weight']:g} "
            f"--identity-weight {c['identity_weight']:g} --seed {c['seed']} --image-every 500 "
            f"--run-dir logs/study_cyclegan/{result['run']}")


def write_page(results, out, root="."):
    """Writes the Markdown page from the JSON files in `results`."""
    files = sorted(glob.glob(os.path.join(results, "*.json")))
    if not files:
        raise UserError(f"no results in {results!r}; run the evaluate step first")
    runs = []
    for path in files:
        with open(path) as f:
            runs.append(json.load(f))
    runs.sort(key=lambda r: tuple(r["config"][key] for key in (
        "source", "target", "cycle_weight", "identity_weight", "translator_noise", "seed")))
    columns = len(runs[0]["report"]["translation"]["transport"]["fractions"][0])
    lines = [
        "# How much noise does a translator need? CycleGAN and Augmented CycleGAN on toy targets",
        "",
        "A GAN maps simple noise to the data; a CycleGAN maps one data distribution to another. A deterministic",
        "translator G sends each source point to one target point, so splitting one source mode into several",
        "target modes needs a torn (discontinuous) map; Augmented CycleGAN (Almahairi et al. 2018) gives the",
        "translator noise z ~ N(0, I_k) of its own and learns encoders of it, so the cycle closes over (x, z).",
        "`--model cyclegan --translator-noise k` trains either (k = 0: CycleGAN); [Translators](guide/cyclegan.md)",
        "describes the flags, the export and the TensorBoard views.",
        "",
        budget(runs),
        "",
        *answer(results),
        "## Runs",
        "",
        "Scored as `evaluate.py` scores an export: G(X) on 2,500 source draws against the target's exact density",
        "(JS, modes covered, share of high-quality samples, the 3-sigma protocol); late JS is the mean of the",
        "run's `convergence/js` over the last 30 % of its image summaries; cycle x and y are the mean Euclidean",
        "distances ||F(G(x)) - x|| and ||G(F(y)) - y|| (with k > 0 through the encoded noise, the cycle as",
        "trained); cycle x, fresh z hands F fresh noise instead of the encoded one, so it says how much of x",
        "G(x) itself carries (for k = 0 it is cycle x); modes fed is how many target modes receive at least",
        "1 % of the source's translations.",
        "",
        "| source -> target | k | cycle / identity weight | steps | JS | late JS | modes | HQ | cycle x | cycle x, fresh z | cycle y | modes fed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in runs:
        c, row, t = r["config"], r["row"], r["report"]["translation"]
        lines.append(
            f"| {c['source']} -> {c['target']} | {c['translator_noise']} | {_fmt(c['cycle_weight'])} / "
            f"{_fmt(c['identity_weight'])} | {c['steps']} | {_fmt(row['js'])} | {_fmt(r['late_js'])} | "
            f"{_fmt(row.get('modes_covered'))} | {_fmt(row.get('high_quality'))} | {_fmt(t['cycle_x'])} | "
            f"{_fmt(t.get('cycle_x_fresh_noise'))} | {_fmt(t['cycle_y'])} | {', '.join(map(str, t['transport']['modes_fed']))} |"
        )
    lines += [
        "",
        "## Transport: which target modes the source feeds",
        "",
        "Per source mode (one row for a source without modes, such as `gaussian`), the share of its",
        "translations G(x) within 3 sigma of each target mode, and last the share in none of them.",
        "",
        "| run | " + " | ".join(f"mode {i}" for i in range(columns - 1)) + " | none |",
        "|---|" + "---:|" * columns,
    ]
    for r in runs:
        for row in r["report"]["translation"]["transport"]["fractions"]:
            lines.append(f"| {r['run']} | " + " | ".join("n/a" if v is None else f"{v:.2f}" for v in row) + " |")
    lines += [
        "",
        "## The steganography probe",
        "",
        "Chu et al. (2017) found that CycleGAN hides the information it needs to invert a many-to-one map in",
        "small, nearly invisible offsets of its outputs. The probe adds Gaussian noise to G(x) and measures the",
        "round trip again: the excess is the rise of the mean ||F(G(x) + eps) - x|| over the clean cycle error,",
        "for noise of 0.01, 0.1 and 1 times the target's mode sigma (0.2). A translator that keeps x in the visible",
        "structure of G(x) shows an excess of about the noise times F's slope; one that hides x in offsets smaller",
        "than the noise loses the round trip (an excess of the order of the source's spread, about 1). With k > 0",
        "the back half sees the encoded noise E_x(x, G(x) + eps), which is computed from x itself, so a small",
        "excess there does not mean G(x) carries x.",
        "",
        "| run | clean cycle x | " + " | ".join(f"excess at {s:g} sigma" for s in PROBE_COLUMNS) + " |",
        "|---|---:|" + "---:|" * len(PROBE_COLUMNS),
    ]
    for r in runs:
        probe = r["report"]["translation"]["steganography"]
        lines.append(f"| {r['run']} | {_fmt(probe['clean'])} | "
                     + " | ".join(_fmt(_probe(r, s)) for s in PROBE_COLUMNS) + " |")
    gan = gan_rows("eight_gaussians", root)
    if gan:
        lines += [
            "",
            "## Beside the GAN",
            "",
            "The MLP GAN of the latent-dimension sweep (`docs/study_toy`, seed 0) on the same target, from N(0, I_k):",
            "",
            "| latent dim k | JS at 5,000 steps | JS at 30,000 steps | modes | HQ |",
            "|---:|---:|---:|---:|---:|",
        ]
        for k, (js5, js30, modes, hq) in gan.items():
            lines.append(f"| {k} | {_fmt(js5)} | {_fmt(js30)} | {_fmt(modes)} | {_fmt(hq)} |")
    frames = [r["run"] for r in runs if os.path.isfile(os.path.join(results, f"{r['run']}.png"))]
    if frames:
        lines += ["", "## Final frames", "",
                  "Arrows from fixed source points x to G(x) over both densities, G(X) over the target, F(Y) over",
                  "the source (the TensorBoard image `translation/arrows` at the last step).", ""]
        rel = os.path.relpath(results, os.path.dirname(os.path.abspath(out)) or ".")
        for name in frames:
            lines += [f"**{name}**", "", f"![{name}]({rel}/{name}.png)", ""]
    lines += [
        "",
        "## Reproduce",
        "",
        "```bash",
        *(train_command(r) for r in runs),
        "python -m keras_gan_latent.sweep.cyclegan_study evaluate logs/study_cyclegan/*/ --out docs/study_cyclegan",
        "python -m keras_gan_latent.sweep.cyclegan_study page --results docs/study_cyclegan --out docs/cyclegan.md",
        "```",
        "",
    ]
    atomic_write_bytes(out, "\n".join(lines).encode())
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m keras_gan_latent.sweep.cyclegan_study", description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    evaluate = commands.add_parser("evaluate", help="score finished runs into JSON")
    evaluate.add_argument("runs", nargs="+", help="run folders")
    evaluate.add_argument("--out", default=os.path.join("docs", "study_cyclegan"))
    page = commands.add_parser("page", help="write the Markdown page from the JSON")
    page.add_argument("--results", default=os.path.join("docs", "study_cyclegan"))
    page.add_argument("--out", default=os.path.join("docs", "cyclegan.md"))
    args = parser.parse_args(argv)
    try:
        if args.command == "evaluate":
            evaluate_runs(args.runs, args.out)
        else:
            print(f"wrote {write_page(args.results, args.out)}")
    except UserError as exc:
        sys.stderr.write(f"cyclegan_study: error: {exc}\n")
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
