"""The translator-noise study's page, written from hand-made result JSON (no training)."""

import json

from keras_gan_latent.sweep import cyclegan_study


def result(name, k, js, excess):
    probe = {"clean": 0.02, "unit": 0.2, "relative_scales": [0.01, 0.1, 1.0],
             "noisy": [{"scale": 0.2 * s, "error": 0.02 + e, "excess": e, "gain": e / (0.2 * s)}
                       for s, e in zip([0.01, 0.1, 1.0], excess)]}
    translation = {"cycle_x": 0.02, "cycle_x_fresh_noise": 0.5, "cycle_y": 0.03, "num_samples": 2500, "source": "gaussian", "translator_noise": k,
                   "transport": {"counts": [[1, 1, 0]], "fractions": [[0.5, 0.5, 0.0]], "modes_fed": [2],
                                 "source_off_mode": 0},
                   "steganography": probe}
    config = {"source": "gaussian", "target": "eight_gaussians", "translator_noise": k, "cycle_weight": 10.0,
              "identity_weight": 0.0, "steps": 5000, "seed": 0, "batch_size": 256, "lr_g": 2e-4, "lr_d": 2e-4}
    return {"run": name, "config": config, "late_js": js + 0.01, "curves": {},
            "row": {"js": js, "modes_covered": 8, "high_quality": 0.9},
            "report": {"translation": translation}}


def test_late_mean_averages_the_last_thirty_percent():
    assert cyclegan_study.late_mean({"value": [9.0] * 7 + [1.0, 2.0, 3.0]}) == 2.0
    assert cyclegan_study.late_mean({}) is None


def test_the_page_has_every_run_its_transport_probe_commands_and_the_answer(tmp_path):
    results = tmp_path / "results"
    results.mkdir()
    for name, k, js, excess in (("a_k0", 0, 0.4, [0.001, 0.9, 1.2]), ("a_k2", 2, 0.2, [0.0, 0.01, 0.1])):
        (results / f"{name}.json").write_text(json.dumps(result(name, k, js, excess)))
    (results / "answer.md").write_text("## The answer\n\nk = 2.")
    out = tmp_path / "page.md"
    cyclegan_study.write_page(str(results), str(out), root=str(tmp_path))
    page = out.read_text()
    assert "**Budget: 1 seed (0), 5,000 steps per run" in page and "translator noise k in {0, 2}" in page
    assert "| gaussian -> eight_gaussians | 0 | 10 / 0 | 5000 | 0.4 | 0.41 | 8 | 0.9 | 0.02 | 0.5 | 0.03 | 2 |" in page
    assert "| a_k0 | 0.50 | 0.50 | 0.00 |" in page  # the transport row: two modes and "none"
    assert "| a_k0 | 0.02 | 0.001 | 0.9 | 1.2 |" in page  # the probe's excess at 0.01, 0.1, 1 sigma
    assert "--translator-noise 2 --steps 5000 --cycle-weight 10 --identity-weight 0 --seed 0" in page
    assert "## The answer" in page
