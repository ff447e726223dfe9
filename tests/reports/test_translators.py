"""The translators page, generated from hand-made study files (no training), so every verdict is known."""

import json

from keras_gan_latent.reports import translators


def result(name, k, seed, late_js, modes=8, counts=((3, 1, 0),), source="gaussian"):
    """One study file as `cyclegan_study evaluate` writes it, with the numbers the test needs."""
    probe = {"clean": 0.02, "unit": 0.2, "relative_scales": [0.01, 0.1, 1.0],
             "noisy": [{"scale": 0.2 * s, "error": 0.02 + e, "excess": e, "gain": e / (0.2 * s)}
                       for s, e in zip([0.01, 0.1, 1.0], (0.001, 0.01, 0.5 + k))]}
    fractions = [[c / sum(row) for c in row] if sum(row) else [None] * len(row) for row in counts]
    translation = {"cycle_x": 0.02, "cycle_x_fresh_noise": 0.5, "cycle_y": 0.03, "num_samples": 2500,
                   "source": source, "translator_noise": k,
                   "transport": {"counts": [list(r) for r in counts], "fractions": fractions, "modes_fed": [],
                                 "source_off_mode": 0},
                   "steganography": probe}
    config = {"source": source, "target": "eight_gaussians", "translator_noise": k, "cycle_weight": 1.0,
              "identity_weight": 0.0, "steps": 5000, "seed": seed, "batch_size": 256, "lr_g": 2e-4, "lr_d": 2e-4}
    return {"run": name, "config": config, "late_js": late_js, "curves": {},
            "row": {"js": late_js, "modes_covered": modes, "high_quality": 0.9, "mode_kl": 0.01,
                    "cycle_x": 0.02, "cycle_y": 0.03},
            "report": {"translation": translation}}


def write_study(docs, runs):
    folder = docs / translators.STUDY
    folder.mkdir(parents=True)
    for r in runs:
        (folder / f"{r['run']}.json").write_text(json.dumps(r))


def test_no_study_no_page(tmp_path):
    assert translators.translators_page(str(tmp_path)) is None


def test_transport_counts_give_modes_fed_and_the_split_per_source_mode():
    # Source mode 0 feeds target modes 0 and 1 (the 1 % share counts), mode 1 only mode 2, mode 2 has no points.
    assert translators._fed([[90, 10, 0, 0], [0, 0, 100, 5], [0, 0, 0, 0]]) == (3, 1.5)
    assert translators._fed([[1000, 5, 0, 0]]) == (1, 1.0)  # 5 of 1,005 is under 1 %


def test_the_rule_decides_the_smallest_noise_and_the_page_shows_verdicts_transport_and_probe(tmp_path):
    runs = []
    for seed, jitter in enumerate((0.0, 0.002, -0.002)):
        runs += [result(f"a_k0_s{seed}", 0, seed, 0.30 + jitter, modes=3, counts=((60, 40, 0, 0, 0),)),
                 result(f"a_k2_s{seed}", 2, seed, 0.010 + jitter, counts=((30, 20, 25, 25, 0),)),
                 result(f"a_k10_s{seed}", 10, seed, 0.012 + jitter, counts=((30, 20, 25, 25, 0),))]
    write_study(tmp_path, runs)
    page = translators.translators_page(str(tmp_path))
    assert page.startswith(translators.HEADER)
    # late JS: k = 0 is worse than the best (2), 10 is as good as it: the answer is 2 (decided).
    assert "| 0 | 0.3, 0.302, 0.298 | 0.29 | [" in page and "| worse |" in page
    assert "| 10 | 0.012, 0.014, 0.01 | 0.002 | [" in page and "| as good as |" in page
    assert "smallest as good as the best: **2**." in page
    # The answer table names the GAN's answer ("n/a" without a toy study), the seeds and each k's verdict.
    assert "| n/a -> n/a | 5,000 | 3 | late JS (nats) | 2: 0.01 ± " in page and "0: worse; 10: as good as | n/a |" in page
    # Modes covered: 3 against 8 with no spread on either side is decided worse.
    assert "**modes covered** (`modes_covered`), each k against the best (2): smallest as good as the best: **2**." in page
    # Transport: the first seed's shares per target mode; the probe's mean excess per k.
    assert "| gaussian -> eight_gaussians, cycle 1 / identity 0, 5,000 steps | 0 | all -> 0: 0.60, 1: 0.40 |" in page
    assert "| 10 | 0.02 ± 0 | 0.001 ± 0 | 0.01 ± 0 | 10.5 ± 0 |" in page
    assert "--translator-noise 2" in page and "python -m keras_gan_latent.cli.results_pages" in page


def test_one_seed_is_undetermined_against_the_best_and_settings_stay_apart(tmp_path):
    runs = [result("b_k0", 0, 0, 0.1), result("b_k1", 1, 0, 0.5)]
    other = result("c_k0", 0, 0, 0.2)
    other["config"]["cycle_weight"] = 10.0
    write_study(tmp_path, runs + [other])
    page = translators.translators_page(str(tmp_path))
    assert "## gaussian -> eight_gaussians, cycle 1 / identity 0, 5,000 steps" in page
    assert "## gaussian -> eight_gaussians, cycle 10 / identity 0, 5,000 steps" in page
    assert "| 1 | 0.5 | 0.4 | n/a | undetermined |" in page
    # One seed per k: the best by mean is no answer.
    assert "smallest as good as the best: **undetermined (a k with fewer than two seeds)**." in page
    assert "smallest as good as the best: **0**" not in page
    # A setting with one k has no answer row.
    assert page.count("](#gaussian-eight_gaussians-cw10-id0-5000) |") == 0


def test_the_gan_answer_comes_from_the_toy_study(tmp_path):
    from keras_gan_latent.reports.studies import Study

    # A toy study where latent dim 1 is worse than 2 and 3 is as good as 2: the GAN needs 2.
    rows = {("eight_gaussians", d): [{"latent_dim": d, "seed": s, "late_js": js + 0.001 * s} for s in range(3)]
            for d, js in ((1, 0.3), (2, 0.05), (3, 0.051))}
    toy = Study("study_toy", "mlp", ("eight_gaussians",), (1, 2, 3), (0, 1, 2), 30000, "late_js", rows,
                {"gaussian": 2.01, "eight_gaussians": 1.034})
    runs = [result(f"d_k{k}_s{s}", k, s, 0.05 + 0.01 * k + 0.001 * s) for k in (0, 1) for s in (0, 1)]
    write_study(tmp_path, runs)
    answer_rows = [line for line in translators.translators_page(str(tmp_path), toy).split("\n")
                   if line.startswith("| [gaussian -> eight_gaussians]")]
    assert answer_rows[0].endswith("| 2 |")  # late JS: the GAN's answer
    assert "| 2.01 -> 1.03 |" in answer_rows[0]  # the toy study's intrinsic dimensions of source and target
    assert answer_rows[1].endswith("| n/a |")  # modes covered: the toy rows have none
