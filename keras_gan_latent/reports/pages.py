"""The results pages: Markdown generated from the committed studies, the declared margins and the claims.

`build_pages(docs_dir)` returns `{file name: text}` for `docs/results/`:
`index.md` (the rule, the margins and the "how much noise" table),
one page per study (`toy.md`, `vae.md`, `dcgan.md`, `cgan.md`) and
`verdicts.md` (every claim of `claims` judged by `decision.compare`), and
from the lever screens, the translator study and the digit runs
`levers.md`, `translators.md` and `digits.md` (`levers`, `translators`,
`digits`). The
text depends only on the committed files: no dates, paths of this machine or
commits, fixed number formats and a fixed order, so generating twice gives
the same bytes. Links are relative to `docs/results/`, so they resolve in the
repository and when `docs/` is a site's docs folder.
"""

import json
import os
from typing import NamedTuple


from keras_gan_latent.reports import claims as claims_module
from keras_gan_latent.reports import digits, levers, translators
from keras_gan_latent.reports.markdown import (  # noqa: F401 (COMMAND, HEADER, num re-exported)
    COMMAND, HEADER, against_the_best, interval, mean_text, num, table,
)
from keras_gan_latent.sweep import decision
from keras_gan_latent.sweep.margins import MARGINS, metric
from keras_gan_latent.reports.studies import load_study


class StudyPage(NamedTuple):
    """How one study is shown.

    Attributes:
        folder: The study's folder under `docs/`.
        page: Its page in `docs/results/`.
        title: The page's heading.
        what: One paragraph on what was trained.
        headline: Metrics of the "how much noise" table (the first is primary).
        columns: Metrics of the per-target table, in order (those a target lacks are left out).
        figures: `(file in the study folder, caption)` to embed.
    """

    folder: str
    page: str
    title: str
    what: str
    headline: tuple
    columns: tuple
    figures: tuple


_TOY_COLUMNS = ("late_js", "js", "modes_covered", "high_quality", "mode_kl", "kl_data_g", "wasserstein1",
                "mean_offset", "std_error")

# Metrics that mean something for some targets only: the Gaussian's moments (its target is N(0, I)).
ONLY_FOR = {"mean_offset": ("gaussian",), "std_error": ("gaussian",)}

STUDIES = {
    "toy": StudyPage(
        "study_toy", "toy.md", "The article's GAN on four 2-D targets",
        "The article's vanilla GAN (MLPs, its optimizer settings), 30,000 steps per run, latent dims 1, 2, 3, "
        "10, 100 on the 2-D Gaussian (uniform prior, as in the article), the ring of eight Gaussians, a 5 x 5 "
        "grid of Gaussians and the spiral (normal prior). Each run is scored on 2,500 samples.",
        ("late_js", "js"), _TOY_COLUMNS,
        (("grid.png", "fakes (red) over target samples (grey) at the end of training, first seed; rows targets, "
                      "columns latent dims"),
         ("latent_views.png", "latent dim 1: the curve G(z); latent dim 2: the image of a latent grid"),
         ("convergence.png", "JS of the fixed samples against step, one line per latent dim, band over seeds")),
    ),
    "vae": StudyPage(
        "study_vae", "vae.md", "A VAE on three 2-D targets",
        "A VAE with a learned Gaussian decoder, 5,000 steps per run (2,500 of KL warm-up), latent dims 1, 2, 3, "
        "10, 100 on the ring, the spiral and the 5 x 5 grid. Each run is scored on 2,500 samples, drawn with "
        "the decoder's noise.",
        ("late_js",), ("late_js", "js", "modes_covered", "high_quality", "mode_kl", "kl_data_g", "wasserstein1",
                       "elbo", "iwae", "active_units"),
        (("grid.png", "samples over target samples at the end of training, first seed"),
         ("convergence.png", "JS of the fixed samples against step")),
    ),
    "dcgan": StudyPage(
        "study_dcgan", "dcgan.md", "The DCGAN on MNIST: the z_dim sweep",
        "The light DCGAN on real MNIST, 5,000 steps per run, z_dim 1, 2, 10, 50, 100 (the seed study's grid). "
        "Each run is scored on 10,000 generated digits by the package's MNIST classifier.",
        ("frechet_distance", "classes_covered"),
        ("classes_covered", "kl_uniform", "classifier_score", "frechet_distance", "parzen_ll", "late_frechet_distance"),
        (("montage.png", "final fixed-noise grids and class histograms per latent dim and seed"),
         ("convergence.png", "training-time Frechet distance against step")),
    ),
    "cgan": StudyPage(
        "study_cgan", "cgan.md", "The class-conditional DCGAN on MNIST",
        "The light class-conditional DCGAN (projection discriminator) on real MNIST, 5,000 steps per run, "
        "z 1, 2, 10, 100. Each run is scored on 10,000 digits asked for with uniform labels.",
        ("mean_class_frechet_distance", "label_agreement"),
        ("label_agreement", "within_class_diversity", "mean_class_frechet_distance", "classifier_score",
         "frechet_distance", "classes_covered", "late_frechet_distance"),
        (("montage.png", "final class grids per latent dim and seed"),
         ("convergence.png", "training-time Frechet distance against step")),
    ),
}


def _label(key):
    """A metric's label: the declared one, else the key itself."""
    return MARGINS[key].label if key in MARGINS else key


def judge(studies, claim):
    """`decision.compare` of a claim's two latent dims on its metric (b from `claim.b_study` when given)."""
    m = metric(claim.metric)
    b_study = studies[claim.b_study or claim.study]
    return decision.compare(studies[claim.study].values(claim.target, claim.a, claim.metric),
                            b_study.values(claim.target, claim.b, claim.b_metric or claim.metric), m.better, m.margin)


def single_run_value(docs_dir, path, key):
    """A top-level number of a committed report file (relative to `docs_dir`)."""
    with open(os.path.join(docs_dir, path)) as f:
        return float(json.load(f)[key])


def _study_link(key, target):
    return f"[{key}]({STUDIES[key].page}#{target})"


def holds(claimed, verdict):
    """Whether a verdict supports a claim: "yes", "no" (the rule says otherwise) or "not decided"."""
    if verdict == decision.UNDETERMINED:
        return "not decided"
    return "yes" if verdict == claimed else "no"


def noise_holds(stated, answer):
    """Whether a stated "how much noise" answer agrees with the rule's `NoiseAnswer`.

    "yes" when the rule decides the same latent dim; "no" when it decides
    another, or the stated one lies outside the undetermined range or is
    shown worse than the best; else "not decided".
    """
    if answer.answer is not None:
        return "yes" if stated == answer.answer else "no"
    comparison = answer.comparisons.get(stated)
    if not answer.low <= stated <= answer.high or (comparison is not None and comparison.verdict == decision.WORSE):
        return "no"
    return "not decided"


def _seeds_text(study):
    return f"seeds {', '.join(map(str, study.seeds))} ({len(study.seeds)})"


def _noise_rows(study_key, study, page, detail=True):
    """Rows of the "how much noise" table of one study (`detail`: with seeds and each latent dim's verdict)."""
    rows = []
    for target in study.targets:
        for key in page.headline:
            answer = study.noise_answer(target, key)
            if answer is None:
                continue
            best_values = study.values(target, answer.best, key)
            row = [f"[{study_key}]({page.page}#{target})", target, study.dimension_text(target), _label(key)]
            if detail:
                row.append(str(len(best_values)))
            row += [f"{answer.best}: {mean_text(best_values)}", f"**{answer.text()}**"]
            if detail:
                row.append("; ".join(
                    f"{k}: {c.verdict}" for k, c in sorted(answer.comparisons.items()) if k != answer.best))
            rows.append(row)
    return rows


def noise_table(studies, link_prefix=""):
    """The compact "how much noise" table (for README): one row per study, target and headline metric.

    Args:
        studies: `{study key: Study}`.
        link_prefix: Prepended to the links to the study pages (e.g. "docs/results/" from README).

    Returns:
        Markdown lines.
    """
    rows = []
    for key, page in STUDIES.items():
        for row in _noise_rows(key, studies[key], page, detail=False):
            rows.append([row[0].replace("](", "](" + link_prefix, 1)] + row[1:])
    return table(["study", "target", "intrinsic dim (TwoNN)", "metric", "best latent dim (mean ± 95 % half-width)",
                   "smallest as good as the best"], rows)


def index_page(studies):
    """`index.md`: the rule, the margins and the "how much noise" table of every study."""
    lines = [
        HEADER,
        "# Results: how much noise does each model need?",
        "",
        "Every number on these pages is computed from the committed study files (each run's "
        "`evaluation.json` and `curve.json` under `docs/study_*/results/`) by "
        f"`{COMMAND}`; a test regenerates them and fails when a committed page differs. The pages: "
        + ", ".join(f"[{key}]({page.page})" for key, page in STUDIES.items())
        + " and [every claim, judged](verdicts.md).",
        "",
        "## The decision rule",
        "",
        "Declared before it was applied (`keras_gan_latent/sweep/decision.py`, margins in `keras_gan_latent/sweep/margins.py`, both with tests):",
        "",
        "- Two latent dims a and b are compared by the difference of their means over seeds, "
        "mean(a) - mean(b), and its **95 % Welch t interval** (each group's own variance: the spread over "
        "seeds differs a lot between latent dims, and a pooled interval would be too narrow for the noisy one).",
        "- **a is better (worse) than b** only when that interval excludes zero, in the metric's direction, "
        "and does not lie wholly inside the margin.",
        "- **a is as good as b** only when the whole interval lies inside [-margin, +margin], a margin per "
        "metric fixed in advance from the estimator's own noise (table below).",
        "- Otherwise **undetermined**, and always with fewer than two seeds in a group.",
        "- **How much noise**: the smallest latent dim as good as the best one (the best mean), every "
        "smaller one being worse; when a smaller one is undetermined against the best, the answer is "
        "\"undetermined between a and b\" (a the smallest latent dim not shown worse, b the smallest shown "
        "as good as the best, or the best itself).",
        "",
        "The toy targets' primary metric is **late JS**: the JS of each run's 2,500 fixed samples averaged "
        "over the summaries of the last 30 % of training. One run's final JS is one draw from an "
        "oscillation (within-run standard deviation over those summaries 0.026 nats, median of the 60 toy "
        "runs, up to 0.075), of the size of the differences between latent dims; the late mean averages it out. "
        "The final JS is shown beside it to show how much the answer depends on the summary.",
        "",
        "### Equivalence margins",
        "",
        *table(["metric", "better", "margin", "how it was set"],
                [[f"`{key}`", m.better, num(m.margin), m.why] for key, m in MARGINS.items()]),
        "",
        "## How much noise",
        "",
        "Per study and target: the data's intrinsic dimension (TwoNN, Facco et al. 2017, on samples of the "
        "data), the best latent dim by the metric (mean ± half-width of its 95 % Student-t interval over "
        "seeds), the rule's answer, and each other latent dim's verdict against the best.",
        "",
    ]
    rows = []
    for key, page in STUDIES.items():
        rows += _noise_rows(key, studies[key], page)
    lines += table(["study", "target", "intrinsic dim (TwoNN)", "metric", "seeds", "best latent dim",
                     "smallest as good as the best", "each latent dim against the best"], rows)
    return "\n".join(lines) + "\n"


def _target_section(study, page, target):
    """One target's section of a study page: the means table and, per headline metric, each k against the best."""
    keys = [k for k in page.columns if target in ONLY_FOR.get(k, (target,))
            and any(study.values(target, d, k) for d in study.latent_dims)]
    lines = [f"## {target}", ""]
    rows = []
    for d in study.latent_dims:
        cell_rows = study.rows.get((target, d), [])
        rows.append([str(d), str(len(cell_rows))] + [mean_text([r.get(k) for r in cell_rows]) for k in keys])
    lines += table(["latent dim", "seeds"] + [f"`{k}`" for k in keys], rows)
    for key in page.headline:
        answer = study.noise_answer(target, key)
        if answer is None:
            continue
        lines += against_the_best(answer, _label(key), key, lambda d: study.values(target, d, key))
    return lines + [""]


def study_page(key, study):
    """One study's page: what was run, each target's numbers and verdicts, the figures."""
    page = STUDIES[key]
    folder = f"../{page.folder}"
    lines = [
        HEADER,
        f"# {page.title}",
        "",
        f"{page.what} {_seeds_text(study).capitalize()} per cell where all are done; the `seeds` column "
        "says how many each cell has. Entries are the mean over seeds ± the half-width of the 95 % "
        "Student-t interval (t s / sqrt(n)); verdicts follow the [decision rule](index.md#the-decision-rule). "
        f"Per-seed values of every metric: [`results.csv`]({folder}/results.csv); the sweep's own tables: "
        f"[`results.md`]({folder}/results.md).",
        "",
    ]
    for target in study.targets:
        lines += _target_section(study, page, target)
    lines += ["## Figures", ""]
    for name, caption in page.figures:
        lines += [f"![{caption}]({folder}/{name})", "", f"*{caption}.*", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def verdicts_page(studies, docs_dir):
    """`verdicts.md`: every claim of `claims.CLAIMS`, `NOISE_CLAIMS` and `SINGLE_RUN_CLAIMS`, judged."""
    rows = []
    for claim in claims_module.CLAIMS:
        c = judge(studies, claim)
        study = _study_link(claim.study, claim.target)
        pair = f"{claim.a} vs {claim.b}"
        if claim.b_study:
            study += " vs " + _study_link(claim.b_study, claim.target)
            pair = f"{claim.study} {claim.a} vs {claim.b_study} {claim.b}"
        metric_text = f"`{claim.metric}`" + (f" vs `{claim.b_metric}`" if claim.b_metric else "")
        rows.append([
            claim.source, claim.text, study, claim.target, metric_text, pair, f"{c.n_a}, {c.n_b}",
            num(c.difference), interval(c), c.verdict, claim.claimed, holds(claim.claimed, c.verdict),
        ])
    single_rows = []
    for claim in claims_module.SINGLE_RUN_CLAIMS:
        a = single_run_value(docs_dir, claim.a_file, claim.metric)
        b = None if claim.b_file is None else single_run_value(docs_dir, claim.b_file, claim.metric)
        m = metric(claim.metric)
        c = decision.compare([a], [] if b is None else [b], m.better, m.margin)
        single_rows.append([
            claim.source, claim.text, f"`{claim.metric}`", f"{claim.a_label}: {num(a)}",
            "" if b is None else f"{claim.b_label}: {num(b)}", num(c.difference), c.verdict, claim.claimed,
            holds(claim.claimed, c.verdict),
        ])
    noise_rows = []
    for claim in claims_module.NOISE_CLAIMS:
        answer = studies[claim.study].noise_answer(claim.target, claim.metric)
        agrees = noise_holds(claim.answer, answer)
        noise_rows.append([claim.source, claim.study, claim.target, f"`{claim.metric}`", str(claim.answer),
                           answer.text(), agrees])
    lines = [
        HEADER,
        "# Every claim, judged",
        "",
        "Each comparative claim of the article the project starts from (\"Why Do GANs Need So Much Noise?\" "
        "and the seed DCGAN study) and of the README, as a row: latent dim a against latent dim b on one "
        "metric, the difference of seed means (a - b), its 95 % Welch interval and the rule's verdict "
        "(\"a is ... than b\"; [the rule](index.md#the-decision-rule)). `claimed` is what the text says; "
        "`holds` is yes when the verdict is the claimed one, no when the rule decides otherwise, and "
        "not decided when the rule says undetermined. Claims about where JS ends up are judged on late JS. "
        "The claims are listed in `keras_gan_latent/reports/claims.py`.",
        "",
        *table(["source", "claim", "study", "target", "metric", "a vs b", "seeds", "difference", "95 % interval",
                 "verdict", "claimed", "holds"], rows),
        "",
        "## Stated answers to \"how much noise\"",
        "",
        *table(["source", "study", "target", "metric", "stated", "the rule's answer", "holds"], noise_rows),
        "",
        "## Claims that rest on single runs",
        "",
        "One run per side (files under `docs/`): the rule needs at least two seeds per group, so each of "
        "these is undetermined however large the difference; they describe one run, not the setting.",
        "",
        *table(["source", "claim", "metric", "a", "b", "difference", "verdict", "claimed", "holds"], single_rows),
    ]
    return "\n".join(lines) + "\n"


def required_paths():
    """What the pages are generated from, relative to `docs/`: each study's `results` folder, each single-run report."""
    paths = [os.path.join(page.folder, "results") for page in STUDIES.values()]
    for claim in claims_module.SINGLE_RUN_CLAIMS:
        paths += [p for p in (claim.a_file, claim.b_file) if p is not None and p not in paths]
    return paths


def load_studies(docs_dir):
    """`{study key: Study}` of every study in `STUDIES`, read from `docs_dir`."""
    return {key: load_study(os.path.join(docs_dir, page.folder)) for key, page in STUDIES.items()}


def build_pages(docs_dir, studies=None):
    """Every results page, from the studies under `docs_dir`.

    Args:
        docs_dir: The `docs/` folder holding `study_toy`, `study_vae`, `study_dcgan`, `study_cgan`.
        studies: `load_studies(docs_dir)`, if already read.

    Returns:
        `{file name: Markdown text}`, in a fixed order.
    """
    studies = studies or load_studies(docs_dir)
    pages = {"index.md": index_page(studies)}
    for key, page in STUDIES.items():
        pages[page.page] = study_page(key, studies[key])
    pages["verdicts.md"] = verdicts_page(studies, docs_dir)
    if levers.lever_folders(docs_dir):
        pages[levers.PAGE] = levers.levers_page(docs_dir, toy_study=studies["toy"])
    translator_page = translators.translators_page(docs_dir, studies["toy"])
    if translator_page is not None:
        pages[translators.PAGE] = translator_page
    digits_page = digits.digits_page(docs_dir)
    if digits_page is not None:
        pages[digits.PAGE] = digits_page
    return pages


README_BEGIN = "<!-- BEGIN how-much-noise table"
README_END = "<!-- END how-much-noise table -->"


def readme_with_noise_table(text, studies):
    """`text` (README) with the lines between its how-much-noise markers replaced by `noise_table`.

    The markers are the lines starting with `README_BEGIN` and equal to
    `README_END`; the rest of the text is kept byte for byte.

    Raises:
        ValueError: when the markers are missing or out of order.
    """
    lines = text.split("\n")
    begin = [i for i, line in enumerate(lines) if line.startswith(README_BEGIN)]
    end = [i for i, line in enumerate(lines) if line == README_END]
    if len(begin) != 1 or len(end) != 1 or end[0] < begin[0]:
        raise ValueError(f"needs one line starting {README_BEGIN!r} and, after it, one line {README_END!r}")
    block = [f"{README_BEGIN}: generated by `{COMMAND} --readme README.md`; do not edit by hand -->", ""]
    block += noise_table(studies, link_prefix="docs/results/") + [""]
    return "\n".join(lines[: begin[0]] + block + lines[end[0]:])
