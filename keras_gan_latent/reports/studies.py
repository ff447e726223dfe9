"""A committed sweep study read back from its cells: per target and latent dim, one row of numbers per seed.

A study folder is a sweep's `--out` (`docs/study_toy`, ...): its
`sweep_config.json` says the model, targets, latent dims and steps; the
seeds are the ones whose cells are on disk (`results/<target>_z<k>_s<seed>/
evaluation.json`), whatever the config lists, so cells of more seeds
committed later are taken in with no change of code. Each row holds the
experiment's `summary_row` numbers, `late_<curve metric>` (the sweep's
late mean, `sweep.tables.late_mean`), the curve's value at the steps of
`STEP_METRICS` (e.g. `js_at_5000`, for comparisons at equal budgets) and,
for 2-D toy reports, `mean_offset` (|mean of the samples|) and `std_error`
(the largest |std - 1| over the coordinates).
"""

import json
import os
import re
from typing import NamedTuple

import numpy as np

from keras_gan_latent.sweep.settings import CONFIG_FILE, CURVE_FILE, RESULTS_DIR, RUN_SETTINGS, SweepSettings
from keras_gan_latent.sweep.margins import metric
from keras_gan_latent.sweep.tables import late_key, noise_answer, result_rows


class Study(NamedTuple):
    """One committed study.

    Attributes:
        folder: Its folder (the sweep's `--out`).
        model: The experiment's name ("mlp", "dcgan", "cgan", "vae").
        targets: Target names, in the config's order.
        latent_dims: Latent dims, sorted ascending.
        seeds: The seeds with at least one finished cell, sorted.
        steps: Steps per run.
        late_key: The row key of the late curve mean, e.g. "late_js".
        rows: `{(target, latent_dim): [row, ...]}`, one row per finished
            seed in seed order; each row has a "seed" key.
        dimensions: `{target: intrinsic dimension (TwoNN) or None}`, the
            experiment's estimate on the data.
    """

    folder: str
    model: str
    targets: tuple
    latent_dims: tuple
    seeds: tuple
    steps: int
    late_key: str
    rows: dict
    dimensions: dict

    def values(self, target, latent_dim, key):
        """The finite per-seed values of `key` at one cell (None and non-finite left out)."""
        out = []
        for row in self.rows.get((target, latent_dim), []):
            value = row.get(key)
            if value is not None and np.isfinite(float(value)):
                out.append(float(value))
        return out

    def target_rows(self, target):
        """Every row of one target, latent dim by latent dim."""
        return [row for d in self.latent_dims for row in self.rows.get((target, d), [])]

    def noise_answer(self, target, key):
        """The declared rule's "how much noise" answer for one target's metric over the latent dims (None: no data)."""
        return noise_answer(self.target_rows(target), self.latent_dims, key, metric(key).better)

    def dimension_text(self, target):
        """The target's TwoNN intrinsic dimension as the pages write it (2 decimals), "n/a" without one."""
        value = self.dimensions.get(target)
        return "n/a" if value is None else f"{value:.2f}"

    def seeds_of(self, target, latent_dim):
        """The seeds finished at one cell."""
        return [row["seed"] for row in self.rows.get((target, latent_dim), [])]


def seeds_on_disk(folder):
    """The seeds of every cell folder under `<folder>/results`, sorted."""
    seeds = set()
    for name in os.listdir(os.path.join(folder, RESULTS_DIR)):
        match = re.fullmatch(r".+_z\d+_s(\d+)", name)
        if match:
            seeds.add(int(match.group(1)))
    return tuple(sorted(seeds))


# Curve values at one step, for comparisons at equal budgets: `{row key: (curve tag, step)}`.
STEP_METRICS = {"js_at_5000": ("convergence/js", 5000)}


def step_numbers(result_dir):
    """The `STEP_METRICS` of one cell that its `curve.json` holds (the curve's value at that step)."""
    path = os.path.join(result_dir, CURVE_FILE)
    if not os.path.isfile(path):
        return {}
    with open(path) as f:
        curves = json.load(f)
    numbers = {}
    for key, (tag, step) in STEP_METRICS.items():
        curve = curves.get(tag)
        if curve and step in curve["step"]:
            numbers[key] = float(curve["value"][curve["step"].index(step)])
    return numbers


def moment_numbers(report):
    """`mean_offset` and `std_error` of a 2-D toy report (empty for other reports)."""
    if len(report.get("mean") or ()) != 2 or len(report.get("std") or ()) != 2:
        return {}
    return {
        "mean_offset": float(np.linalg.norm(report["mean"])),
        "std_error": float(max(abs(s - 1.0) for s in report["std"])),
    }


def study_settings(folder):
    """The `SweepSettings` of a committed study: its `sweep_config.json`, with the seeds found on disk.

    Returns:
        `(settings, experiment)`; the settings are resolved (checked, the
        experiment's defaults filled in).
    """
    from keras_gan_latent.experiments import get_experiment  # imports TensorFlow

    with open(os.path.join(folder, CONFIG_FILE)) as f:
        config = json.load(f)
    settings = SweepSettings(
        latent_dims=tuple(config["latent_dims"]),
        targets=tuple(config["targets"]),
        seeds=seeds_on_disk(folder),
        steps=config["steps"],
        num_samples=config["num_samples"],
        out=folder,
        model=config["model"],
        **{name: config.get(name) for name in RUN_SETTINGS},
    ).resolved()
    return settings, get_experiment(config["model"])


def rebuild_study(folder):
    """Rewrites a study's `results.csv`, `results.md` and figures from every finished cell on disk (`--merge`)."""
    from keras_gan_latent.sweep.runner import write_results

    write_results(*study_settings(folder))


def load_study(folder):
    """Reads a committed study from its cells.

    Args:
        folder: The study's folder, holding `sweep_config.json` and `results/`.

    Returns:
        A `Study`.
    """
    from keras_gan_latent.sweep.runner import finished_reports  # imports TensorFlow

    settings, experiment = study_settings(folder)
    reports = finished_reports(settings)
    rows = {}
    for row in result_rows(settings, experiment, reports):
        cell = (row["target"], row["latent_dim"], row["seed"])
        row.update(moment_numbers(reports[cell]))
        row.update(step_numbers(settings.result_dir(*cell)))
        rows.setdefault((row["target"], row["latent_dim"]), []).append(row)
    seeds = tuple(sorted({s for (_, _, s) in reports}))
    dimensions = {target: experiment.sweep.intrinsic_dimension(target, settings) for target in settings.targets}
    return Study(folder, settings.model, settings.targets, tuple(sorted(settings.latent_dims)), seeds, settings.steps,
                 late_key(experiment), rows, dimensions)
