"""The GAN-against-VAE table (docs/study_vae/gan_vs_vae.md), rebuilt from the two studies' committed results.

Reads `docs/study_toy/results/<cell>/` and `results.csv` (the MLP GAN,
30,000 steps) and `docs/study_vae/results.csv` (the VAE, 5,000 steps with
2,500 warm-up steps) and gives the text of `docs/study_vae/gan_vs_vae.md`
(written by `python -m keras_gan_latent.cli.results_pages`): per target and
latent dim, mean +- the half-width of the 95 % Student-t interval over the seeds
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
"""

import csv
import json
import os
from collections import defaultdict

from keras_gan_latent.metrics.intervals import student_t_interval

GAN_STUDY, VAE_STUDY = "study_toy", "study_vae"  # folders under docs/
TABLE_FILE = "gan_vs_vae.md"  # in the VAE study's folder
EQUAL_BUDGET_STEP = 5000
TARGETS = ("eight_gaussians", "spiral", "grid25")
MODE_TARGETS = ("eight_gaussians", "grid25")


def read_csv(path):
    with open(path) as f:
        return list(csv.DictReader(f))


def gan_js_at(gan_dir, cell, step):
    with open(os.path.join(gan_dir, "results", cell, "curve.json")) as f:
        curve = json.load(f)["convergence/js"]
    return curve["value"][curve["step"].index(step)]


def data_log_likelihood(vae_dir, target, k, seed):
    with open(os.path.join(vae_dir, "results", f"{target}_z{k}_s{seed}", "evaluation.json")) as f:
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


def gan_vs_vae_markdown(docs_dir):
    """The table's Markdown text, from the two studies under `docs_dir`."""
    gan_dir, vae_dir = os.path.join(docs_dir, GAN_STUDY), os.path.join(docs_dir, VAE_STUDY)
    rows = defaultdict(dict)
    for model, path in (("gan", os.path.join(gan_dir, "results.csv")), ("vae", os.path.join(vae_dir, "results.csv"))):
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
            early = interval([gan_js_at(gan_dir, f"{target}_z{k}_s{s}", EQUAL_BUDGET_STEP) for s in seeds], ".3f")
            lines.append(
                f"| {target} | {k} | {len(seeds)} | {early} | {column(gan, 'js', '.3f')} | {modes(gan, target)} | "
                f"{column(vae, 'js', '.3f')} | {modes(vae, target)} | {', '.join(r['active_units'] for r in vae)} | "
                f"{column(vae, 'iwae', '.2f')} | {data_log_likelihood(vae_dir, target, k, seeds[0]):.2f} |"
            )
    return "\n".join(lines) + "\n"
