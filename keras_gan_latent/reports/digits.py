"""The digits page: how far each lever takes the unconditional DCGAN toward real-digit quality, from the committed runs.

Every run is a time-to-quality result in `docs/dcgan_quality/` (`<name>.json`,
written by `keras_gan_latent.benchmarks.dcgan_time_to_quality`, its
`--record` included): a curve of the classifier's mode report of 2,000 fixed
latents at every image summary, and for a run with a discrete latent part
(a code or self-conditioning's clusters) its class discovery at the same steps. Runs of one variant (several seeds) share the
result's `variant`; the file name tells them apart. `digits_page(docs_dir)`
writes, against the real-digit target (`evaluation.REAL_DIGIT_TARGET`):

- every variant at the common budget (`BUDGET_STEPS`): mean ± half-width of
  the 95 % Student-t interval over its runs, and how many runs meet the target;
- every run at its last point: the step, the figures, the best score on the
  way and the first step that meets the target (or none);
- each variant against the baseline at the budget, by the decision rule;
- the class discovery of the runs with a discrete latent part along training;

and `write_figure(docs_dir)` draws `steps.png`: score and Frechet distance of
every run against training steps (log scale; solid: the baseline, thick,
and the runs with a discrete latent part). Steps, not minutes: the wall-clock minutes
in the files were taken on a machine shared with other runs, so only a step
count and a rate measured alone (the benchmarks page) give minutes.
"""

import json
import os

from keras_gan_latent.evaluation import REAL_DIGIT_TARGET
from keras_gan_latent.reports.markdown import HEADER, interval, mean_text, num, table
from keras_gan_latent.sweep import decision
from keras_gan_latent.sweep.margins import metric

QUALITY_DIR = "dcgan_quality"
PAGE = "digits.md"
FIGURE = "steps.png"
BASELINE = "baseline"  # the light DCGAN with latent dim 10, the variant every other one changes
BUDGET_STEPS = 8000  # the budget the levers (code, packing) were run to; every variant's curve passes it


TARGET = REAL_DIGIT_TARGET
COLUMNS = ("classifier_score", "frechet_distance", "kl_uniform", "classes_covered")
JUDGED = ("classifier_score", "frechet_distance")  # the metrics the rule judges each variant against the baseline on
CODE_ACCURACY = "code_accuracy"


def load_runs(docs_dir):
    """The time-to-quality runs under `docs_dir/dcgan_quality`, as `{name: result}` (baseline first, then by name).

    A `.json` there that is not a result (no `curve`: an evaluation, a
    truncation or selection record) is left out.
    """
    folder = os.path.join(docs_dir, QUALITY_DIR)
    runs = {}
    if not os.path.isdir(folder):
        return runs
    for file in sorted(os.listdir(folder)):
        if not file.endswith(".json"):
            continue
        with open(os.path.join(folder, file)) as f:
            result = json.load(f)
        if isinstance(result, dict) and "curve" in result:
            runs[file[:-5]] = result
    return dict(sorted(runs.items(), key=lambda item: (item[0] != BASELINE, item[0])))


def points(result):
    """The run's curve as `{step: {column: value}}`, with `code_accuracy` where the run has a code."""
    columns = result["curve_columns"]
    found = {int(row[0]): dict(zip(columns, row)) for row in result["curve"]}
    for step, value in result.get(CODE_ACCURACY, []):
        if int(step) in found:
            found[int(step)][CODE_ACCURACY] = value
    return found


def meets(point, target=TARGET):
    """Whether one curve point meets every part of `target`."""
    return (point["classifier_score"] >= target.score and point["frechet_distance"] <= target.frechet
            and point["classes_covered"] >= target.classes and point["kl_uniform"] <= target.kl)


def first_meeting(result, target=TARGET):
    """The first step whose point meets `target`, or None."""
    return next((step for step, point in sorted(points(result).items()) if meets(point, target)), None)


def variants(runs):
    """`{variant: [run names]}` in the order of `runs`."""
    groups = {}
    for name, result in runs.items():
        groups.setdefault(result["variant"], []).append(name)
    return groups


def _flags(result):
    flags = result.get("flags")
    return "(recorded run)" if flags is None else "`" + " ".join(flags) + "`"


def _budget_table(runs, budget):
    rows = []
    for variant, names in variants(runs).items():
        at = [points(runs[name]).get(budget) for name in names]
        at = [point for point in at if point is not None]
        if not at:
            continue
        codes = [point[CODE_ACCURACY] for point in at if CODE_ACCURACY in point]
        rows.append([variant, _flags(runs[names[0]]), str(len(at)),
                     *(mean_text([point[key] for point in at]) for key in COLUMNS),
                     mean_text(codes) if codes else "",
                     f"{sum(meets(point) for point in at)} of {len(at)}"])
    return table(["variant", "flags", "runs", "score", "Frechet", "KL to uniform", "classes", "codes -> digits",
                  "meet the target's quality"], rows)


def _verdicts_table(runs, budget):
    """Each variant of two runs or more against the baseline at `budget` steps on `JUDGED`, by the decision rule (verdict said of the variant)."""
    groups = variants(runs)
    base = [points(runs[name]).get(budget) for name in groups.get(BASELINE, [])]
    base = [point for point in base if point is not None]
    rows = []
    for variant, names in groups.items():
        at = [point for point in (points(runs[name]).get(budget) for name in names) if point is not None]
        if variant == BASELINE or len(at) < 2:  # one run: undetermined whatever it shows
            continue
        for key in JUDGED:
            m = metric(key)
            c = decision.compare([p[key] for p in at], [p[key] for p in base], m.better, m.margin)
            rows.append([variant, f"`{key}`", f"{c.n_a}, {c.n_b}", num(c.difference), interval(c), c.verdict])
    return table(["variant", "metric", "runs (variant, baseline)", "difference", "95 % interval", "verdict"], rows)


def _last_points_table(runs):
    rows = []
    for name, result in runs.items():
        curve = points(result)
        last = curve[max(curve)]
        best_step = max(curve, key=lambda step: curve[step]["classifier_score"])
        reached = first_meeting(result)
        rows.append([name, result["status"], str(max(curve)), *(num(last[key]) for key in COLUMNS),
                     num(last.get(CODE_ACCURACY)) if CODE_ACCURACY in last else "",
                     f"{num(curve[best_step]['classifier_score'])} at {best_step}",
                     "none" if reached is None else str(reached)])
    return table(["run", "status", "last step", "score", "Frechet", "KL to uniform", "classes", "codes -> digits",
                  "best score (step)", "first step at the target's quality"], rows)


def _codes_table(runs):
    rows = []
    for name, result in runs.items():
        codes = result.get(CODE_ACCURACY)
        if not codes:
            continue
        best_step, best = max(codes, key=lambda point: point[1])
        rows.append([name, _flags(result), num(codes[0][1]) + f" at {codes[0][0]}", f"{num(best)} at {best_step}",
                     num(codes[-1][1]) + f" at {codes[-1][0]}"])
    return table(["run", "flags", "first point", "highest", "last point"], rows)


INFOGAN_ACCURACY = 0.95  # InfoGAN's MNIST class discovery (about 5 % error, Chen et al. 2016)


def _reading(runs):
    """The page's reading of the runs, every figure in it computed from them (Markdown lines)."""
    met = {name: first_meeting(result) for name, result in runs.items()}
    met = {name: step for name, step in met.items() if step is not None}
    lines = [
        f"- Runs whose digits meet the target's quality (score, Frechet distance, classes, KL) at some point, "
        f"at any number of minutes: {len(met)} of {len(runs)}"
        + ("." if not met else ": " + ", ".join(f"{name} (from step {step})" for name, step in met.items()) + "."),
    ]
    if BASELINE in runs:
        curve = points(runs[BASELINE])
        best = max(curve, key=lambda step: curve[step]["classifier_score"])
        last = max(curve)
        lines.append(
            f"- The baseline's score is highest at step {best} ({num(curve[best]['classifier_score'])}) and "
            f"{num(curve[last]['classifier_score'])} at its last point, step {last}: in this run, steps beyond "
            "the first few thousand did not bring the light networks near the target score, so the levers are "
            "compared at a fixed budget of steps."
        )
    lost = [f"{name} ({num(point['classes_covered'])} classes)" for name, point in
            ((name, points(result).get(BUDGET_STEPS)) for name, result in runs.items())
            if point is not None and point["classes_covered"] < TARGET.classes]
    lines.append(
        f"- Runs covering fewer than {num(TARGET.classes)} classes at {BUDGET_STEPS:,} steps: "
        + (", ".join(lost) if lost else "none") + "."
    )
    finals = {}
    for variant, names in variants(runs).items():
        values = [runs[name][CODE_ACCURACY][-1][1] for name in names if runs[name].get(CODE_ACCURACY)]
        if values:
            finals[variant] = values
    if finals:
        every = [value for values in finals.values() for value in values]
        below = sum(value < INFOGAN_ACCURACY for value in every)
        per_variant = "; ".join(f"{variant} {mean_text(values)} ({len(values)} run{'s' if len(values) > 1 else ''})"
                                for variant, values in finals.items())
        lines.append(
            f"- Class discovery at the last points of the runs with a discrete latent part: {per_variant}; "
            f"{below} of the {len(every)} runs below the {INFOGAN_ACCURACY:.0%} InfoGAN reports on MNIST. A code "
            "or cluster that does not become the digit's class does not give G the discrete choice the "
            "conditional GAN's label gives it ([cGAN](cgan.md))."
        )
    return lines


def digits_page(docs_dir, runs=None):
    """The digits page (Markdown), or None without time-to-quality runs.

    Args:
        docs_dir: The `docs/` folder holding `dcgan_quality/`.
        runs: `load_runs(docs_dir)`, if already read.
    """
    runs = load_runs(docs_dir) if runs is None else runs
    if not runs:
        return None
    t = TARGET
    lines = [
        HEADER,
        "# Unconditional digits: how far each lever gets",
        "",
        "The target: digits as good as real ones by the package's classifier, from an unconditional DCGAN: "
        f"classifier score at least {num(t.score)}, Frechet distance (classifier features) at most {num(t.frechet)}, "
        f"all {num(t.classes)} classes covered with KL to uniform at most {num(t.kl)}, within {num(t.minutes)} minutes of training "
        "alone on a 2-core CPU. Each run writes the classifier's mode report of 2,000 fixed latents every 500 "
        "steps; a run with a discrete latent part (an InfoGAN code, `--latent-code K`, or a self-conditioned "
        "GAN's clusters, `--model selfcond`) also writes its class discovery (`codes -> digits`: the share of "
        "digits whose class is the one the best one-to-one assignment of codes to classes gives their code; 0.1 "
        "is chance for 10 codes). Runs trained with "
        "`python -m keras_gan_latent.benchmarks.dcgan_time_to_quality --variants NAME --seed S` (the flags below) "
        "or recorded from a run folder; the files are in `docs/dcgan_quality/`. Steps are "
        "counted, not minutes: the runs shared the machine with others, so their wall-clock minutes are not the "
        "minutes a run takes alone; the per-step cost of each lever is on the [Benchmarks](../benchmarks.md) page. "
        "The light DCGAN (the baseline) and the seed study's networks (`seed_z10`, `seed_z2`) take different "
        "times per step.",
        "",
        "## Reading",
        "",
        *_reading(runs),
        "",
        f"## Every variant at {BUDGET_STEPS:,} steps",
        "",
        "Mean ± half-width of the 95 % Student-t interval over a variant's runs (seeds); a variant with one run "
        "shows its value.",
        "",
        *_budget_table(runs, BUDGET_STEPS),
        "",
        f"## Each variant against the baseline at {BUDGET_STEPS:,} steps",
        "",
        "The [decision rule](index.md#the-decision-rule) on the classifier score and the Frechet distance: "
        "better or worse only when the 95 % Welch interval of the difference of run means excludes zero, "
        "as good as only when it lies inside the metric's margin, otherwise undetermined. Only the variants "
        "with at least two runs are judged (with one run on a side the rule says undetermined). The margins were set for reports of 10,000 digits; these points "
        "come from 2,000, whose larger noise widens the intervals, so it only makes \"as good as\" harder "
        "to reach.",
        "",
        *_verdicts_table(runs, BUDGET_STEPS),
        "",
        "## Every run at its last point",
        "",
        *_last_points_table(runs),
        "",
        "![score and Frechet distance against steps](../dcgan_quality/steps.png)",
        "",
        "## Class discovery of the coded and self-conditioned runs",
        "",
        "InfoGAN's measure (Chen et al. 2016 report about 5 % error on MNIST): does each value of the code "
        "(each cluster) draw one digit class?",
        "",
        *(_codes_table(runs) if any(r.get(CODE_ACCURACY) for r in runs.values()) else ["No run has a discrete latent part."]),
        "",
    ]
    return "\n".join(lines)


def write_figure(docs_dir, runs=None):
    """Draws `docs_dir/dcgan_quality/steps.png`: each run's score (top) and Frechet distance (bottom, log) against steps.

    Returns:
        The figure's path, or None without runs.
    """
    import matplotlib.pyplot as plt

    from keras_gan_latent.viz import plotting  # matplotlib's Agg backend, chosen before pyplot draws

    runs = load_runs(docs_dir) if runs is None else runs
    if not runs:
        return None
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(9, 8), sharex=True)
    colours = plt.get_cmap("tab20")
    for i, (name, result) in enumerate(runs.items()):
        curve = [(step, point) for step, point in sorted(points(result).items()) if step > 0]  # a log axis
        steps = [step for step, _ in curve]
        style = "-" if result["variant"] == BASELINE or result.get(CODE_ACCURACY) else ":"
        width = 2.0 if result["variant"] == BASELINE else 1.2
        for axis, key in ((top, "classifier_score"), (bottom, "frechet_distance")):
            axis.plot(steps, [p[key] for _, p in curve], style, color=colours(i % 20), label=name, linewidth=width)
    top.axhline(TARGET.score, color="k", linewidth=0.8)
    bottom.axhline(TARGET.frechet, color="k", linewidth=0.8)
    bottom.set_yscale("log")
    top.set_ylabel("classifier score")
    bottom.set_ylabel("Frechet distance (classifier features)")
    bottom.set_xlabel("training steps")
    bottom.set_xscale("log")
    top.legend(fontsize=7, ncol=3)
    top.set_title("unconditional DCGAN runs against the target (black lines)")
    path = os.path.join(docs_dir, QUALITY_DIR, FIGURE)
    plotting.save_png(plotting.finish_figure(fig), path)
    return path
