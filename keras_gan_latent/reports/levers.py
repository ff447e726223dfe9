"""The levers page: packing and a coded latent against the plain GAN, generated from the committed screens.

A lever study is a set of ordinary sweep folders under `docs/study_levers/`
(one per budget and variant, e.g. `screen_5k/grid25_pack4`, each with its
`sweep_config.json` and `results/`); the variant is read from the folder's
config (`pack`, `latent_code`, `info_weight`), not from its name. The plain
GAN at the article's budget comes from the toy study (`docs/study_toy`).
`levers_page(docs_dir)` writes, per target: every variant's numbers at each
budget and latent dim; each variant against the plain GAN of the same target,
budget and latent dim under the declared rule (`sweep.decision`); where a
variant was swept over latent dims, the "how much noise" answer with the lever
on; and the published anchors beside the 30,000-step rows.
"""

import json
import os
from typing import NamedTuple, Optional

from keras_gan_latent.reports.markdown import HEADER, mean_text, num, table
from keras_gan_latent.reports.studies import load_study
from keras_gan_latent.sweep import decision, tables
from keras_gan_latent.sweep.margins import metric
from keras_gan_latent.sweep.settings import CONFIG_FILE

LEVERS_DIR = "study_levers"
PAGE = "levers.md"
TOY_STUDY = "study_toy"
# The metrics compared, the primary first (the toy studies' late JS), then the coverage protocol's three.
METRICS = ("modes_covered", "high_quality", "mode_kl", "late_js")
TARGETS = ("grid25", "eight_gaussians", "spiral")
ARTICLE_ARCH = "article"  # the toy GAN's default networks (`--arch article`), left out of the labels


class Goal(NamedTuple):
    """The coverage goal of one target: mean modes and HQ over seeds (`every_seed`: each seed must meet it)."""

    modes: float
    high_quality: float
    every_seed: bool


GOALS = {"grid25": Goal(24, 0.90, False), "eight_gaussians": Goal(8, 0.98, True)}


class Anchor(NamedTuple):
    """A published result under the same scoring protocol (2,500 samples, HQ within 3 sigma of a mode)."""

    source: str  # a key of `ANCHOR_SOURCES`
    method: str
    target: str
    modes: float
    high_quality: float


ANCHOR_SOURCES = {
    "small nets": "VEEGAN's and GDPP's tables (Srivastava et al. 2017, Elfeki et al. 2019): G and D 2 x 128 "
                  "MLPs, batch 512, about 25k steps, one run each",
    "PacGAN": "PacGAN's Table 1 (Lin et al. 2018): G 4 x 400 with BatchNorm, D 3 maxout layers x 200, batch 100, "
              "about 400k steps, mean of 10 trials",
}
ANCHORS = (
    Anchor("small nets", "GAN", "grid25", 3.3, 0.005),
    Anchor("small nets", "Unrolled GAN", "grid25", 23.6, 0.16),
    Anchor("small nets", "WGAN-GP", "grid25", 24.2, 0.287),
    Anchor("small nets", "VEEGAN", "grid25", 24.6, 0.40),
    Anchor("small nets", "GDPP", "grid25", 24.8, 0.685),
    Anchor("PacGAN", "GAN", "grid25", 17.3, 0.948),
    Anchor("PacGAN", "PacGAN2", "grid25", 23.8, 0.913),
    Anchor("PacGAN", "PacGAN4", "grid25", 24.8, 0.936),
    Anchor("small nets", "GAN", "eight_gaussians", 1, 0.993),
    Anchor("small nets", "Unrolled GAN", "eight_gaussians", 7.6, 0.356),
    Anchor("small nets", "VEEGAN", "eight_gaussians", 8, 0.529),
    Anchor("small nets", "GDPP", "eight_gaussians", 8, 0.717),
)


class Variant(NamedTuple):
    """What a sweep folder varied: packing m, the code's K and lambda (0 / None: off) and the networks (None: the article's)."""

    pack: int
    latent_code: int
    info_weight: Optional[float]
    arch: Optional[str] = None

    def label(self):
        """E.g. "plain", "pack 4", "code 25 (lambda 1)", "pack 2 + code 25 (lambda 0)", "pacgan nets + pack 4"."""
        parts = [] if self.arch in (None, ARTICLE_ARCH) else [f"{self.arch} nets"]
        if self.pack > 1:
            parts.append(f"pack {self.pack}")
        if self.latent_code:
            parts.append(f"code {self.latent_code} (lambda {num(self.info_weight)})")
        return " + ".join(parts) or "plain"


def variant_of(folder):
    """The `Variant` a sweep folder's `sweep_config.json` records (a code's lambda defaults to 1)."""
    with open(os.path.join(folder, CONFIG_FILE)) as f:
        config = json.load(f)
    code = config.get("latent_code") or 0
    weight = config.get("info_weight")
    return Variant(config.get("pack") or 1, code, (1.0 if weight is None else weight) if code else None,
                   config.get("arch"))


def lever_folders(docs_dir):
    """Every sweep folder under `docs/study_levers` (any depth), sorted."""
    root = os.path.join(docs_dir, LEVERS_DIR)
    found = []
    for path, dirs, files in os.walk(root):
        if CONFIG_FILE in files and "results" in dirs:
            found.append(path)
            dirs[:] = []
    return sorted(found)


class Group(NamedTuple):
    """One variant at one target, budget and latent dim: its per-seed rows."""

    variant: Variant
    target: str
    steps: int
    latent_dim: int
    rows: list
    folder: str

    def values(self, key):
        return [float(r[key]) for r in self.rows if r.get(key) is not None]


def load_groups(docs_dir, toy_study=None):
    """Every `Group` of the lever folders, and the plain GAN's of the toy study for `TARGETS`.

    Args:
        docs_dir: The `docs/` folder.
        toy_study: The toy study (`studies.Study` of `docs/study_toy`) if already read; read here otherwise.
    """
    groups = []
    studies = [(load_study(folder), variant_of(folder)) for folder in lever_folders(docs_dir)]
    toy_study = load_study(os.path.join(docs_dir, TOY_STUDY)) if toy_study is None else toy_study
    studies.append((toy_study, Variant(1, 0, None)))
    for study, variant in studies:
        folder = study.folder
        for (target, latent_dim), rows in sorted(study.rows.items()):
            if target in TARGETS:
                groups.append(Group(variant, target, study.steps, latent_dim, rows,
                                    os.path.relpath(folder, docs_dir)))
    return groups


def goal_text(group):
    """Whether a group meets its target's `GOALS` entry: "yes", "no", or "" without a goal."""
    goal = GOALS.get(group.target)
    if goal is None or not group.rows:
        return ""
    modes, hq = group.values("modes_covered"), group.values("high_quality")
    if goal.every_seed:
        met = all(m >= goal.modes and q >= goal.high_quality for m, q in zip(modes, hq))
    else:
        met = sum(modes) / len(modes) >= goal.modes and sum(hq) / len(hq) >= goal.high_quality
    return "yes" if met else "no"


def _plain(groups, group):
    """The plain GAN's group at the same target, budget and latent dim (None if there is none)."""
    for other in groups:
        if (other.variant.label() == "plain" and other.target == group.target and other.steps == group.steps
                and other.latent_dim == group.latent_dim):
            return other
    return None


def _goal_line(target):
    goal = GOALS[target]
    scope = "in every seed" if goal.every_seed else "as the mean over seeds"
    return (f"Goal: at least {num(goal.modes)} modes at {num(100 * goal.high_quality)} % HQ or more, {scope} "
            "(the `goal` column).")


def _target_section(groups, target):
    mine = [g for g in groups if g.target == target]
    lever_budgets = {(g.steps, g.latent_dim) for g in mine if g.folder.startswith(LEVERS_DIR)}
    shown = [g for g in mine if (g.steps, g.latent_dim) in lever_budgets]
    if not shown:
        return []
    shown.sort(key=lambda g: (g.steps, g.latent_dim, g.variant.label() != "plain", g.variant.label()))
    lines = [f"## {target}", ""]
    if target in GOALS:
        lines += [_goal_line(target), ""]
    keys = [k for k in METRICS if any(g.values(k) for g in shown)]  # the spiral has no modes
    rows = [[num(g.steps), str(g.latent_dim), g.variant.label(), str(len(g.rows))]
            + [mean_text(g.values(k)) for k in keys] + ([goal_text(g)] if target in GOALS else []) for g in shown]
    lines += table(["steps", "latent dim", "variant", "seeds"] + [f"`{k}`" for k in keys]
                   + (["goal"] if target in GOALS else []), rows)
    lines += ["", "Each variant against the plain GAN of the same budget and latent dim (difference = variant - "
                  "plain; verdict said of the variant):", ""]
    rows = []
    for g in shown:
        plain = _plain(groups, g)
        if g.variant.label() == "plain" or plain is None:
            continue
        for key in keys:
            m = metric(key)
            c = decision.compare(g.values(key), plain.values(key), m.better, m.margin)
            interval = "n/a" if c.low is None else f"[{num(c.low)}, {num(c.high)}]"
            rows.append([num(g.steps), str(g.latent_dim), g.variant.label(), f"`{key}`", f"{c.n_a}, {c.n_b}",
                         num(c.difference), interval, c.verdict])
    lines += table(["steps", "latent dim", "variant", "metric", "seeds", "difference", "95 % interval", "verdict"],
                    rows)
    return lines + [""]


def _noise_sections(groups):
    """The "how much noise" answer of every lever variant swept over at least two latent dims."""
    swept = {}
    for g in groups:
        if g.folder.startswith(LEVERS_DIR):
            swept.setdefault((g.target, g.steps, g.variant), []).append(g)
    lines = []
    for (target, steps, variant), members in sorted(swept.items(), key=lambda item: (item[0][0], item[0][1],
                                                                                     item[0][2].label())):
        if len(members) < 2:
            continue
        dims = tuple(sorted(g.latent_dim for g in members))
        rows = [row for g in sorted(members, key=lambda g: g.latent_dim) for row in g.rows]
        lines += [f"### {target}, {variant.label()}, {num(steps)} steps", ""]
        table_rows = []
        for key in METRICS:
            answer = tables.noise_answer(rows, dims, key, metric(key).better)
            if answer is None:
                continue
            table_rows.append([f"`{key}`", f"{answer.best}: {mean_text([r[key] for r in rows if r['latent_dim'] == answer.best])}",
                               f"**{answer.text()}**",
                               "; ".join(f"{k}: {c.verdict}" for k, c in sorted(answer.comparisons.items())
                                         if k != answer.best)])
        lines += table(["metric", "best latent dim", "smallest as good as the best", "each latent dim against the best"],
                        table_rows) + [""]
    return lines


def _anchor_section(groups):
    lines = ["## Beside the published anchors", "",
             "Published results under the same scoring protocol (2,500 samples; a sample is high quality within "
             "3 sigma of its nearest mode; a mode is covered by one such sample), then this package's rows at the "
             "article's budget (30,000 steps, the article's networks: G 3 x 256, D 5 x 128, batch 512), mean over "
             "seeds. Sources:", ""]
    lines += [f"- **{key}**: {text}." for key, text in ANCHOR_SOURCES.items()] + [""]
    rows = [[a.target, a.method, a.source, num(a.modes), f"{num(100 * a.high_quality)} %", ""] for a in ANCHORS]
    ours = [g for g in groups if g.steps == 30000 and g.target in GOALS
            and (g.folder.startswith(LEVERS_DIR) or any(o.folder.startswith(LEVERS_DIR) and o.target == g.target
                                                         and o.steps == 30000 and o.latent_dim == g.latent_dim
                                                         for o in groups))]
    for g in sorted(ours, key=lambda g: (g.target, g.latent_dim, g.variant.label())):
        modes, hq = g.values("modes_covered"), g.values("high_quality")
        rows.append([g.target, f"{g.variant.label()}, latent dim {g.latent_dim}", f"this package, {len(g.rows)} seeds",
                     num(sum(modes) / len(modes)), f"{num(100 * sum(hq) / len(hq))} %", goal_text(g)])
    return lines + table(["target", "method", "source", "modes", "HQ", "goal"], rows) + [""]


def levers_page(docs_dir, groups=None, toy_study=None):
    """`docs/results/levers.md`, from the lever folders and the toy study under `docs_dir`.

    Args:
        docs_dir: The `docs/` folder.
        groups: `load_groups(docs_dir)` if already read.
        toy_study: The toy study if already read (passed on to `load_groups`).
    """
    groups = load_groups(docs_dir, toy_study) if groups is None else groups
    lines = [
        HEADER,
        "# Levers: packing and a coded latent",
        "",
        "What covers every mode when the latent dimension cannot: packing (`--pack m`, PacGAN: D judges m "
        "samples at once) and a latent with a discrete part (`--latent-code K`, InfoGAN's categorical code, "
        "with its mutual-information term weighted by lambda). Each row is a sweep folder under "
        f"`docs/{LEVERS_DIR}/` (its `sweep_config.json` says the variant); the plain GAN at 30,000 steps is "
        "the [toy study](toy.md)'s. Entries are the mean over seeds ± the half-width of the 95 % Student-t "
        "interval; `high_quality` is the share of samples within 3 sigma of a mode, so 1 - `high_quality` is "
        "the share on the trail between modes. Verdicts follow the [decision rule](index.md#the-decision-rule). "
        "How to run the levers: [Levers](../guide/levers.md).",
        "",
    ]
    for target in TARGETS:
        lines += _target_section(groups, target)
    noise = _noise_sections(groups)
    if noise:
        lines += ["## How much noise with a lever on", "",
                  "A lever swept over latent dims: the smallest latent dim as good as the best, by each metric.",
                  ""] + noise
    lines += _anchor_section(groups)
    return "\n".join(lines).rstrip("\n") + "\n"
