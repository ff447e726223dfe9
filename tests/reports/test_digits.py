"""reports.digits: the unconditional-digits page from time-to-quality results."""

import json

import pytest

from keras_gan_latent.reports import digits

COLUMNS = ["step", "minutes", "classifier_score", "frechet_distance", "kl_uniform", "classes_covered"]


def _result(variant, rows, flags=("--model", "dcgan"), codes=None, status="finished"):
    result = {"variant": variant, "flags": list(flags), "status": status, "curve_columns": COLUMNS,
              "curve": [[step, step / 100, *values] for step, *values in rows]}
    if codes is not None:
        result["code_accuracy"] = codes
    return result


def _docs(tmp_path, runs):
    folder = tmp_path / digits.QUALITY_DIR
    folder.mkdir(parents=True)
    for name, result in runs.items():
        (folder / f"{name}.json").write_text(json.dumps(result))
    (folder / "seed_z10_evaluation.json").write_text(json.dumps({"classifier_score": 9.5}))  # not a run
    return str(tmp_path)


def test_no_runs_no_page(tmp_path):
    assert digits.digits_page(str(tmp_path)) is None and digits.write_figure(str(tmp_path)) is None


def test_the_target_needs_every_part():
    good = {"classifier_score": 9.1, "frechet_distance": 8.0, "classes_covered": 10, "kl_uniform": 0.01}
    assert digits.meets(good)
    for key, value in (("classifier_score", 8.99), ("frechet_distance", 10.5), ("classes_covered", 9),
                       ("kl_uniform", 0.03)):
        assert not digits.meets({**good, key: value}), key


def test_runs_of_a_variant_are_pooled_at_the_budget_judged_against_the_baseline_and_listed_one_by_one(tmp_path):
    budget = digits.BUDGET_STEPS
    runs = {
        "baseline": _result("baseline", [(0, 1.0, 300.0, 2.3, 1), (budget, 7.3, 24.6, 0.03, 10)]),
        "baseline_s1": _result("baseline", [(0, 1.0, 300.0, 2.3, 1), (budget, 7.5, 22.0, 0.02, 10)]),
        "code10": _result("code10", [(0, 1.0, 300.0, 2.3, 1), (budget, 7.0, 50.0, 0.08, 10)],
                          codes=[[0, 0.1], [budget, 0.5]]),
        "code10_s1": _result("code10", [(0, 1.0, 300.0, 2.3, 1), (budget, 8.0, 52.0, 0.06, 10)],
                             codes=[[0, 0.12], [budget, 0.7]]),
        "late": _result("late", [(0, 1.0, 300.0, 2.3, 1), (budget, 8.9, 11.0, 0.01, 9),
                                 (2 * budget, 9.2, 6.0, 0.01, 10)], flags=()),
    }
    docs = _docs(tmp_path, runs)
    assert list(digits.load_runs(docs)) == ["baseline", "baseline_s1", "code10", "code10_s1", "late"]
    assert digits.first_meeting(runs["late"]) == 2 * budget and digits.first_meeting(runs["baseline"]) is None
    page = digits.digits_page(docs)
    budget_section, verdict_section, last_section, code_section = page.split("\n## ")[2:]  # after the reading
    budget_rows, last_rows, code_rows = (
        {line.split(" | ")[0][2:]: line for line in section.splitlines() if line.startswith("| ")}
        for section in (budget_section, last_section, code_section))
    # Two runs of code10: mean 7.5 with its Student-t half-width, codes mean 0.6; neither meets the target.
    assert budget_rows["code10"].startswith("| code10 | `--model dcgan` | 2 | 7.5 ± ")
    assert "| 0.6 ± " in budget_rows["code10"] and budget_rows["code10"].endswith("| 0 of 2 |")
    assert budget_rows["baseline"].endswith("| 0 of 2 |") and "code10_s1" not in budget_rows
    # The rule judges code10 (two runs) against the two baseline runs; "late" has one run and is not judged.
    verdicts = [line for line in verdict_section.splitlines() if line.startswith("| code10") or line.startswith("| late")]
    assert len(verdicts) == 2
    score, frechet = verdicts
    assert score.startswith("| code10 | `classifier_score` | 2, 2 | 0.1 | [") and score.endswith("| undetermined |")
    # Frechet 51 against 23.3: the interval excludes zero, and higher is worse.
    assert frechet.startswith("| code10 | `frechet_distance` | 2, 2 | 27.7 | [") and frechet.endswith("| worse |")
    # The last points, one run a row: the late run meets the target at its second point.
    assert last_rows["late"].endswith(f"| 9.2 at {2 * budget} | {2 * budget} |") and "code10_s1" in last_rows
    assert code_rows["code10_s1"] == "| code10_s1 | `--model dcgan` | 0.12 at 0 | 0.7 at 8000 | 0.7 at 8000 |"
    assert set(code_rows) == {"run", "code10", "code10_s1"}
    reading = page.split("\n## ")[1]
    assert f"at any number of minutes: 1 of 5: late (from step {2 * budget})." in reading
    assert f"The baseline's score is highest at step {budget} (7.3)" in reading
    assert f"Runs covering fewer than 10 classes at {budget:,} steps: late (9 classes)." in reading
    assert "code10 0.6 ± " in reading and "(2 runs); 2 of the 2 runs below the 95%" in reading
    path = digits.write_figure(docs)
    assert path.endswith("steps.png") and open(path, "rb").read(8) == b"\x89PNG\r\n\x1a\n"


def test_a_page_without_coded_runs_says_so(tmp_path):
    docs = _docs(tmp_path, {"baseline": _result("baseline", [(0, 1.0, 300.0, 2.3, 1)])})
    assert "No run has a discrete latent part." in digits.digits_page(docs)


@pytest.mark.parametrize("name", ["baseline", "x"])
def test_the_baseline_comes_first(tmp_path, name):
    runs = {"a": _result("a", [(0, 1.0, 300.0, 2.3, 1)]), name: _result(name, [(0, 1.0, 300.0, 2.3, 1)])}
    order = list(digits.load_runs(_docs(tmp_path, runs)))
    assert order == (["baseline", "a"] if name == "baseline" else ["a", "x"])
