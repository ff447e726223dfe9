"""The sweep's tables: `results.csv`, `results.md` with Student-t intervals
over seeds, and the "how much noise" section."""

import csv
import io
import json
import math
import os

import numpy as np

from keras_gan_latent.metrics.intervals import student_t_interval
from keras_gan_latent.sweep import decision
from keras_gan_latent.sweep.margins import metric
from keras_gan_latent.sweep.settings import CURVE_FILE


CONFIDENCE = 0.95  # the tables' Student-t intervals over seeds

# A headline number of `evaluation.summary_row` is None when it has no finite
# value. For KL(p_g || p_data) that means infinite (samples off the target's
# support, or repeated samples: atoms); for the others (JS is bounded, the
# mode KL needs a sample near some mode) it means undefined.
INFINITE_WHEN_MISSING = frozenset({"kl_g_data"})


LATE_SHARE = 0.3  # `late_<metric>`: the curve's mean over the last 30 % of training


def result_rows(settings, experiment, reports):
    """One flat row per finished cell, in grid order: target, latent_dim, seed and the headline numbers.

    Besides the final evaluation's numbers, each row has `late_<name>`: the
    mean of the convergence curve's metric (`experiment.sweep.curve_metric`, e.g. JS on
    the fixed samples) over the summaries of the last `LATE_SHARE` of
    training: a GAN's scores oscillate from summary to summary, and this
    average is steadier than the value at the last step.
    """
    rows = []
    for t in settings.targets:
        for k in settings.latent_dims:
            for s in settings.seeds:
                if (t, k, s) in reports:
                    row = dict(target=t, latent_dim=k, seed=s, **experiment.scorer.summary_row(reports[(t, k, s)]))
                    row[late_key(experiment)] = late_mean(
                        os.path.join(settings.result_dir(t, k, s), CURVE_FILE), experiment.sweep.curve_metric, settings.steps
                    )
                    rows.append(row)
    return rows


def late_key(experiment):
    """The row key of the late average of `experiment.sweep.curve_metric`, e.g. `late_js`."""
    return "late_" + experiment.sweep.curve_metric.rsplit("/", 1)[-1]


def late_mean(curve_path, tag, steps):
    """The mean of curve `tag` over steps >= (1 - LATE_SHARE) * steps, or None without such points."""
    if not os.path.isfile(curve_path):
        return None
    with open(curve_path) as f:
        curve = json.load(f).get(tag)
    if not curve:
        return None
    values = [v for s, v in zip(curve["step"], curve["value"]) if s >= (1 - LATE_SHARE) * steps]
    return float(np.mean(values)) if values else None


def metric_keys(rows):
    """The headline keys present in `rows`, in order of first appearance."""
    keys = {}
    for row in rows:
        keys.update((key, None) for key in row if key not in ("target", "latent_dim", "seed"))
    return list(keys)


def missing_text(key):
    """How a None value of `key` is written: "inf" (infinite) or "n/a" (undefined)."""
    return "inf" if key in INFINITE_WHEN_MISSING else "n/a"


def results_csv(rows):
    """CSV text of the rows; None is "inf" or "n/a", a key a target lacks is empty."""
    columns = ["target", "latent_dim", "seed"] + metric_keys(rows)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, restval="", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: missing_text(k) if v is None else v for k, v in row.items()})
    return buffer.getvalue()


def significant_text(value, digits):
    """`value` to `digits` significant digits, a large one written plainly ("140", "4600"), never "1.4e+02".

    Values below 10**digits read as Python's `g` format gives them ("2",
    "0.25", "142", "1.2e-05"); from there on, the rounded integer.
    """
    text = f"{value:.{digits}g}"
    if "e+" not in text:
        return text
    return f"{round(value, digits - 1 - math.floor(math.log10(abs(value)))):.0f}"


def mean_interval_text(values, key):
    """One metric over seeds as "mean ± half-width of its 95 % Student-t interval", never a meaningless number.

    Args:
        values: The metric of each finished seed (None: no finite value).
        key: The metric's key, which says what None means.

    Returns:
        "inf" if the metric is infinite for any seed; "n/a" if it is
        undefined for all; else the mean (± the interval's half-width with
        2+ values) of the defined ones, noting how many seeds that is if not all.
    """
    if not values:
        return ""
    if key in INFINITE_WHEN_MISSING and any(v is None for v in values):
        return "inf"
    defined = [float(v) for v in values if v is not None]
    if not defined:
        return "n/a"
    mean, half_width = student_t_interval(defined, CONFIDENCE)
    text = significant_text(mean, 3)
    if half_width is not None:
        text += f" ± {significant_text(half_width, 2)}"
    if len(defined) < len(values):
        text += f" ({len(defined)} of {len(values)} seeds)"
    return text


def results_markdown(settings, experiment, rows, diverged=()):
    """The Markdown report: per target, one row per latent dim, mean ± 95 % interval over seeds, then "how much noise".

    Args:
        settings: `SweepSettings`.
        experiment: Its `Experiment` (title, notes and headings).
        rows: `result_rows`.
        diverged: `(cell name, reason)` of the cells whose training diverged
            (listed, left out of the means).
    """
    seeds = ",".join(map(str, settings.seeds))
    lines = [
        f"# {experiment.sweep.title}",
        "",
        f"{settings.steps} generator steps per run, {settings.num_samples} samples per evaluation, "
        f"seeds {seeds}. Each entry is the mean over the finished seeds ± the half-width of a 95 % "
        "Student-t interval (t_{0.975, n-1} s / sqrt(n): 4.30 s / sqrt(3) for 3 seeds); the per-seed "
        "values are in results.csv. " + experiment.sweep.notes(settings),
    ]
    for name in settings.targets:
        target_rows = [r for r in rows if r["target"] == name]
        keys = metric_keys(target_rows)
        header = ["latent dim", "seeds done"] + keys
        lines += ["", f"## {experiment.sweep.section_title(name, settings)}", ""]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "|".join("---:" for _ in header) + "|")
        for latent_dim in settings.latent_dims:
            cell_rows = [r for r in target_rows if r["latent_dim"] == latent_dim]
            values = [mean_interval_text([r.get(key) for r in cell_rows], key) for key in keys]
            lines.append("| " + " | ".join([str(latent_dim), f"{len(cell_rows)}/{len(settings.seeds)}"] + values) + " |")
    if diverged:
        lines += ["", "## Diverged runs", "", "Left out of the tables above (their training stopped at a non-finite value):", ""]
        lines += [f"- {name}: {reason}" for name, reason in diverged]
    lines += noise_section(settings, experiment, rows)
    return "\n".join(lines) + "\n"


def noise_answer(rows, latent_dims, key, better):
    """The declared rule's "how much noise" answer for one target and one criterion.

    Args:
        rows: Result rows of one target.
        latent_dims: The latent dims in the grid.
        key: The criterion's row key; its equivalence margin is `margins.MARGINS[key]`.
        better: "lower" or "higher".

    Returns:
        A `decision.NoiseAnswer` over the latent dims with a finite value, or
        None when none has one.
    """
    margin = metric(key).margin
    groups = {}
    for latent_dim in latent_dims:
        values = [float(r[key]) for r in rows if r["latent_dim"] == latent_dim and r.get(key) is not None]
        values = [v for v in values if np.isfinite(v)]
        if values:
            groups[latent_dim] = values
    return decision.enough_latent_dim(groups, better, margin) if groups else None


def noise_section(settings, experiment, rows):
    """The "how much noise" lines of results.md: the data's intrinsic dimension beside the declared rule's answer."""
    lines = [
        "",
        "## How much noise?",
        "",
        "The data's intrinsic dimension (TwoNN, Facco et al. 2017, on target samples) beside the smallest "
        "latent dim as good as the best one (best mean) under the declared decision rule "
        "(`keras_gan_latent/sweep/decision.py`): \"as good as\" when the 95 % Welch interval of the "
        "difference of seed means lies inside the metric's equivalence margin (`sweep/margins.py`), "
        "\"undetermined between a and b\" when a smaller latent dim is neither shown worse nor as good.",
        "",
        "| target | intrinsic dim (TwoNN) | by | best latent dim | smallest latent dim as good as the best |",
        "|---|---:|---|---:|---|",
    ]
    for name in settings.targets:
        target_rows = [r for r in rows if r["target"] == name]
        dimension = experiment.sweep.intrinsic_dimension(name, settings)
        for key, better in experiment.sweep.noise_criteria:
            answer = noise_answer(target_rows, settings.latent_dims, key, better)
            lines.append(
                f"| {name} | {'n/a' if dimension is None else f'{dimension:.2f}'} | {key} ({better} is better, "
                f"margin {metric(key).margin:g}) | {'n/a' if answer is None else answer.best} | "
                f"{'n/a' if answer is None else answer.text()} |"
            )
    return lines
