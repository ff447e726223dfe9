"""The translators page: how much noise a CycleGAN needs, generated from the committed translator study.

The study's runs are scored by `python -m keras_gan_latent.sweep.cyclegan_study
evaluate` into one file per run, `docs/study_cyclegan/<run>.json` (its
config, its report as `evaluate.py` gives it, its late JS, its curves).
`translators_page(docs_dir, toy_study)` reads them and returns the Markdown of
`docs/results/translators.md`: per pair of domains and loss weights, the
means over seeds per translator noise k, the declared rule's "how much noise"
answer beside the GAN's for the same target, the transport of source modes to
target modes and the steganography probe. It imports no TensorFlow.
"""

import glob
import json
import os
from typing import NamedTuple

from keras_gan_latent.reports.markdown import COMMAND, HEADER, against_the_best, mean_text, table
from keras_gan_latent.sweep import tables
from keras_gan_latent.sweep.margins import metric

STUDY = "study_cyclegan"  # the study's folder under docs/
PAGE = "translators.md"
# Judged by the rule: the target metrics of G(X) (late JS first, the primary metric as for the GAN).
JUDGED = ("late_js", "modes_covered", "high_quality")
# The means table's columns: the target metrics, then the round trips and the split of source modes.
COLUMNS = JUDGED + ("js", "mode_kl", "cycle_x", "cycle_x_fresh_noise", "cycle_y", "modes_fed", "split")
LABELS = {
    "cycle_x": "cycle x", "cycle_x_fresh_noise": "cycle x, fresh z", "cycle_y": "cycle y",
    "modes_fed": "modes fed", "split": "target modes per source mode",
}
FED_SHARE = 0.01  # a target mode is fed by a source mode that sends it at least this share of its translations
PROBE_SCALES = (0.01, 0.1, 1.0)  # the probe's noise, in target mode sigmas, shown on the page


class Run(NamedTuple):
    """One scored translator run.

    Attributes:
        name: Its run folder's name (and its files' stem in the study folder).
        setting: `(source, target, cycle weight, identity weight, steps)`: runs of one setting differ in k and seed.
        k: Its translator noise.
        seed: Its seed.
        values: `{metric: value}` of `COLUMNS`.
        fractions: Its transport matrix: per source mode (one row without modes), the share of its
            translations within 3 sigma of each target mode, and last the share in none.
        probe: `{relative noise scale: excess of the round trip}` of the steganography probe.
    """

    name: str
    setting: tuple
    k: int
    seed: int
    values: dict
    fractions: list
    probe: dict


def _fed(counts):
    """`(target modes fed by the whole source, mean target modes fed per source mode)` of a transport's counts.

    A target mode is fed when it receives at least `FED_SHARE` of the translations (of the whole source, or of
    one source mode); source modes without points are left out of the mean.
    """
    rows = [row for row in counts if sum(row)]
    columns = [sum(column) for column in zip(*rows)][:-1]
    total = sum(sum(row) for row in rows)
    whole = sum(c >= FED_SHARE * total for c in columns)
    per_mode = [sum(c >= FED_SHARE * sum(row) for c in row[:-1]) for row in rows]
    return whole, sum(per_mode) / len(per_mode)


def read_run(path):
    """The `Run` of one study file."""
    with open(path) as f:
        result = json.load(f)
    config, translation = result["config"], result["report"]["translation"]
    fractions = translation["transport"]["fractions"]
    values = {key: result["row"].get(key) for key in JUDGED + ("js", "mode_kl", "cycle_x", "cycle_y")}
    modes_fed, split = _fed(translation["transport"]["counts"])
    values.update(late_js=result["late_js"], cycle_x_fresh_noise=translation.get("cycle_x_fresh_noise"),
                  modes_fed=modes_fed, split=split)
    probe = translation["steganography"]
    return Run(
        result["run"],
        (config["source"], config["target"], config["cycle_weight"], config["identity_weight"], config["steps"]),
        config["translator_noise"], config["seed"], values, fractions,
        {round(s, 6): entry["excess"] for s, entry in zip(probe["relative_scales"], probe["noisy"])},
    )


def load_runs(docs_dir):
    """Every run of the study under `docs_dir`, sorted by setting, k and seed (empty without a study)."""
    paths = glob.glob(os.path.join(docs_dir, STUDY, "*.json"))
    return sorted((read_run(p) for p in paths), key=lambda r: (r.setting, r.k, r.seed))


def settings_of(runs):
    """`{setting: [its runs]}`, in the runs' order."""
    groups = {}
    for run in runs:
        groups.setdefault(run.setting, []).append(run)
    return groups


def setting_text(setting):
    """"gaussian -> eight_gaussians, cycle 1 / identity 0, 5,000 steps"."""
    source, target, cycle, identity, steps = setting
    return f"{source} -> {target}, cycle {cycle:g} / identity {identity:g}, {steps:,} steps"


def _anchor(setting):
    source, target, cycle, identity, steps = setting
    return f"{source}-{target}-cw{cycle:g}-id{identity:g}-{steps}".replace(".", "")


def _rows(runs):
    """Result rows as `tables.noise_answer` reads them: k stands where a GAN's latent dim does."""
    return [dict(run.values, latent_dim=run.k) for run in runs]


def noise_answer(runs, key):
    """The rule's "how much noise" answer over the runs' translator noises on one metric (None: no values)."""
    return tables.noise_answer(_rows(runs), sorted({r.k for r in runs}), key, metric(key).better)


def decidable(runs):
    """Whether every translator noise of `runs` has at least two seeds: without, the rule decides no answer."""
    return all(len({r.seed for r in runs if r.k == k}) >= 2 for k in {r.k for r in runs})


def answer_text(runs, answer):
    """The answer as the pages print it: the rule's, or undetermined when a k has fewer than two seeds."""
    return answer.text() if decidable(runs) else "undetermined (a k with fewer than two seeds)"


def _gan_answer(toy_study, target, key):
    """The GAN's answer on `target` from the toy study (text), or "n/a" when the study has no such target."""
    if toy_study is None or target not in toy_study.targets:
        return "n/a"
    answer = toy_study.noise_answer(target, key)
    return "n/a" if answer is None else answer.text()


def _dimension(toy_study, name):
    """The TwoNN intrinsic dimension of a toy target from the toy study ("n/a" without one)."""
    return "n/a" if toy_study is None else toy_study.dimension_text(name)


def _values(runs, k, key):
    return [r.values[key] for r in runs if r.k == k]


def _answer_table(groups, toy_study):
    rows = []
    for setting, runs in groups.items():
        if len({r.k for r in runs}) < 2:
            continue
        for key in JUDGED:
            answer = noise_answer(runs, key)
            if answer is None:
                continue
            seeds = sorted({r.seed for r in runs})
            rows.append([
                f"[{setting[0]} -> {setting[1]}](#{_anchor(setting)})",
                f"{_dimension(toy_study, setting[0])} -> {_dimension(toy_study, setting[1])}",
                f"{setting[4]:,}", str(len(seeds)),
                metric(key).label, f"{answer.best}: {mean_text(_values(runs, answer.best, key))}",
                f"**{answer_text(runs, answer)}**",
                "; ".join(f"{k}: {c.verdict}" for k, c in sorted(answer.comparisons.items()) if k != answer.best),
                _gan_answer(toy_study, setting[1], key),
            ])
    return table(["pair", "intrinsic dims (TwoNN)", "steps", "seeds", "metric", "best k (mean ± 95 % half-width)",
                  "smallest k as good as the best", "each k against the best",
                  "the GAN's latent dim on the target"], rows)


def _setting_section(setting, runs):
    ks = sorted({r.k for r in runs})
    lines = [f"## {setting_text(setting)} {{#{_anchor(setting)}}}", ""]
    rows = [[str(k), str(len(_values(runs, k, "late_js")))]
            + [mean_text(_values(runs, k, key)) for key in COLUMNS] for k in ks]
    lines += table(["k", "seeds"] + [LABELS.get(key, f"`{key}`") for key in COLUMNS], rows)
    if len(ks) > 1:
        for key in JUDGED:
            answer = noise_answer(runs, key)
            if answer is None:
                continue
            lines += against_the_best(answer, metric(key).label, key, lambda k: _values(runs, k, key), unit="k",
                                      text=answer_text(runs, answer))
    lines += ["", "Steganography probe: the rise of the x round trip when noise of 0.01, 0.1 and 1 target mode "
                  "sigma is added to G(x) (mean over seeds).", ""]
    rows = [[str(k), mean_text(_values(runs, k, "cycle_x"))]
            + [mean_text([r.probe.get(s) for r in runs if r.k == k]) for s in PROBE_SCALES] for k in ks]
    lines += table(["k", "clean cycle x"] + [f"excess at {s:g} sigma" for s in PROBE_SCALES], rows)
    return lines + [""]


def _transport_lines(run):
    """One run's transport as text: per source mode, the target modes it feeds and their shares."""
    parts = []
    for i, row in enumerate(run.fractions):
        if row[0] is None:
            continue  # a source mode no source point fell in
        fed = [f"{j}: {share:.2f}" for j, share in enumerate(row[:-1]) if share >= FED_SHARE]
        source = "all" if len(run.fractions) == 1 else str(i)
        parts.append(f"{source} -> {', '.join(fed) or 'none'}" + (f" (off-mode {row[-1]:.2f})" if row[-1] >= FED_SHARE else ""))
    return "; ".join(parts)


def translators_page(docs_dir, toy_study=None):
    """`translators.md` from the study under `docs_dir` (None when there is none).

    Args:
        docs_dir: The `docs/` folder holding `study_cyclegan/`.
        toy_study: The GAN's toy study (`reports.studies.Study` of `docs/study_toy`), for its answer on the
            same targets; None leaves that column "n/a".

    Returns:
        The page's Markdown text, or None when the study has no runs.
    """
    runs = load_runs(docs_dir)
    if not runs:
        return None
    groups = settings_of(runs)
    folder = f"../{STUDY}"
    lines = [
        HEADER,
        "# How much noise does a translator need?",
        "",
        "A GAN maps simple noise to the data; a CycleGAN maps one data distribution to another. A deterministic "
        "translator G sends each source point to one target point, so splitting one source mode into several "
        "target modes needs a torn (discontinuous) map; Augmented CycleGAN (Almahairi et al. 2018) gives the "
        "translator noise z ~ N(0, I_k) of its own and learns encoders of it, so the cycle closes over (x, z). "
        "`--model cyclegan --translator-noise k` trains either (k = 0: CycleGAN); the "
        "[Translators guide](../guide/cyclegan.md) describes the flags, the export and the TensorBoard views.",
        "",
        "Each run is scored as `evaluate.py` scores its export: G(X) on 2,500 source draws against the target's "
        "exact density (JS, modes covered, share of high-quality samples, mode KL: the 3-sigma protocol); late "
        "JS is the mean of the run's `convergence/js` over the last 30 % of its image summaries, the primary "
        "metric as for the GAN. Cycle x and y are the mean distances ||F(G(x)) - x|| and ||G(F(y)) - y|| (with "
        "k > 0 through the encoded noise, the cycle as trained); cycle x, fresh z hands F fresh noise instead "
        "of the encoded one, so it says how much of x G(x) itself carries. Modes fed counts the target modes "
        f"that receive at least {FED_SHARE:.0%} of the translations; target modes per source mode is the mean, "
        "over source modes (one for a source without modes), of how many target modes each feeds. Entries are "
        "the mean over seeds ± the half-width of the 95 % Student-t interval; verdicts follow the "
        "[decision rule](index.md#the-decision-rule) with the GAN's margins. Per-run files (config, report, "
        f"curves): `docs/{STUDY}/<run>.json`.",
        "",
        "## The answer",
        "",
        "Per pair: the intrinsic dimensions of source and target (TwoNN, Facco et al. 2017, on samples of each, "
        "as the [toy study](toy.md) gives them), the smallest translator noise k as good as the best k under the "
        "rule on each target metric, and beside it the smallest latent dim the article's GAN needs on the same "
        "target (toy study, 30,000 steps, same metric and rule).",
        "",
        *_answer_table(groups, toy_study),
        "",
    ]
    for setting, runs_of_setting in groups.items():
        lines += _setting_section(setting, runs_of_setting)
    lines += ["## Transport: which target modes each source mode feeds", "",
              f"First seed of each k: per source mode, the target modes receiving at least {FED_SHARE:.0%} of its "
              "translations and their shares (and the share off every mode).", ""]
    rows = []
    for setting, runs_of_setting in groups.items():
        first = min(r.seed for r in runs_of_setting)
        rows += [[setting_text(r.setting), str(r.k), _transport_lines(r)]
                 for r in runs_of_setting if r.seed == first]
    lines += table(["setting", "k", "source mode -> target mode: share"], rows)
    frames = [r for r in runs if os.path.isfile(os.path.join(docs_dir, STUDY, f"{r.name}.png"))
              and r.seed == min(x.seed for x in groups[r.setting])]
    if frames:
        lines += ["", "## Final frames", "",
                  "First seed of each k: arrows from fixed source points x to G(x) over both densities, G(X) over "
                  "the target, F(Y) over the source (the TensorBoard image `translation/arrows` at the last step).",
                  ""]
        for r in frames:
            lines += [f"![{r.name}]({folder}/{r.name}.png)", "", f"*{r.name}*", ""]
    lines += [
        "## Reproduce",
        "",
        "```bash",
        "# each run of the study (its settings are in its run name), e.g.",
        "python scripts/train.py --model cyclegan --source gaussian --target eight_gaussians --translator-noise 2 "
        "--cycle-weight 1 --identity-weight 0 --steps 5000 --seed 0 "
        "--run-dir logs/study_cyclegan/cyclegan_gaussian_to_eight_gaussians_k2_cw1_id0_s0",
        "python -m keras_gan_latent.sweep.cyclegan_study evaluate logs/study_cyclegan/*/ --out docs/study_cyclegan",
        COMMAND,
        "```",
    ]
    return "\n".join(lines) + "\n"
