#!/usr/bin/env python
"""The README's GAN-against-VAE table, rebuilt from the two studies' committed results.

Reads `docs/study_toy/results/<cell>/` (the MLP GAN, 30,000 steps) and
`docs/study_vae/results.csv` (the VAE, 5,000 steps with 2,500 warm-up
steps) and writes `docs/study_vae/gan_vs_vae.md`: per target and latent
dim, mean +- the half-width of the 95 % Student-t interval over the seeds
both studies ran, of

  * the GAN's JS at 5,000 steps (equal budget): `convergence/js` of the
    GAN run's 2,500 fixed samples at step 5,000, the same estimator as the
    final evaluation; the GAN trains with constant learning rates and
    nothing depends on the step budget, so a 30,000-step run at step 5,000
    is the 5,000-step run;
  * the GAN's final JS (30,000 steps), modes covered and high-quality share;
  * the VAE's JS, modes, high-quality share, active units (per seed) and
    IWAE bound, beside E log p_data = minus the target's entropy (the
    best any model's expected log-likelihood can be).

    python docs/study_vae/gan_vs_vae.py
"""

import csv
import json
import os
import sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, ROOT)

from keras_gan_latent.metrics.intervals import student_t_interval  # noqa: E402

GAN_DIR = os.path.join(ROOT, "docs", "study_toy")
EQUAL_BUDGET_STEP = 5000
TARGETS = ("eight_gaussians", "spiral", "grid25")
MODE_TARGETS = ("eight_gaussians", "grid25")


def read_csv(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def gan_js_at(cell, step):
    with open(os.path.join(GAN_DIR, "results", cell, "curve.json")) as f:
        curve = json.load(f)["convergence/js"]
    return curve["value"][curve["step"].index(step)]


def data_log_likelihood(target, k, seed):
    with open(os.path.join(HERE, "results", f"{target}_z{k}_s{seed}", "evaluation.json")) as f:
        return -json.load(f)["likelihood"]["data_entropy"]


def interval(values, spec, scale=1.0):
    mean, half = student_t_interval([v * scale for v in values])
    return format(mean, spec) if half is None else f"{mean:{spec}} ± {half:{spec}}"


def column(runs, key, spec, scale=1.0):
    """`interval` of one results.csv column over the given runs (rows)."""
    return interval([float(r[key]) for r in runs], spec, scale)


def modes(runs, target):
    """"modes covered / high-quality %" over the runs, empty for a target without modes."""
    if target not in MODE_TARGETS:
        return ""
    return f"{column(runs, 'modes_covered', '.1f')} / {column(runs, 'high_quality', '.0f', 100.0)}"


def main():
    rows = defaultdict(dict)
    for model, path in (("gan", os.path.join(GAN_DIR, "results.csv")), ("vae", os.path.join(HERE, "results.csv"))):
        for row in read_csv(path):
            rows[(row["target"], int(row["latent_dim"]))].setdefault(model, {})[int(row["seed"])] = row
    lines = [
        "| target | k | seeds | GAN JS, 5,000 steps | GAN JS, 30,000 | GAN modes / HQ % (30,000) | "
        "VAE JS, 5,000 | VAE modes / HQ % | VAE active units | VAE IWAE | E log p_data |",
        "|---|---:|---:|---:|---:|---|---:|---|---:|---:|---:|",
    ]
    for target in TARGETS:
        for k in sorted(k for t, k in rows if t == target):
            cell = rows[(target, k)]
            seeds = sorted(set(cell.get("gan", {})) & set(cell.get("vae", {})))
            if not seeds:
                continue
            gan = [cell["gan"][s] for s in seeds]
            vae = [cell["vae"][s] for s in seeds]
            early = interval([gan_js_at(f"{target}_z{k}_s{s}", EQUAL_BUDGET_STEP) for s in seeds], ".3f")
            lines.append(
                f"| {target} | {k} | {len(seeds)} | {early} | {column(gan, 'js', '.3f')} | {modes(gan, target)} | "
                f"{column(vae, 'js', '.3f')} | {modes(vae, target)} | {', '.join(r['active_units'] for r in vae)} | "
                f"{column(vae, 'iwae', '.2f')} | {data_log_likelihood(target, k, seeds[0]):.2f} |"
            )
    out = os.path.join(HERE, "gan_vs_vae.md")
    with open(out, "w") as f:
        f.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
