"""Reading a committed study back: seeds from the cell folders, numbers derived from each cell's files."""

import json

import pytest

from keras_gan_latent.reports import studies


def test_seeds_come_from_the_cell_folders(tmp_path):
    for name in ("spiral_z2_s0", "spiral_z2_s4", "mnist_z10_s3", "spiral_z10_s1", "notes", "spiral_z2_s0.lock"):
        (tmp_path / "results" / name).mkdir(parents=True)
    assert studies.seeds_on_disk(str(tmp_path)) == (0, 1, 3, 4)


def test_step_numbers_read_the_curve_at_the_declared_step(tmp_path):
    curve = {"convergence/js": {"step": [0, 4800, 5000, 5200], "value": [0.69, 0.31, 0.3, 0.29]}}
    (tmp_path / "curve.json").write_text(json.dumps(curve))
    assert studies.step_numbers(str(tmp_path)) == {"js_at_5000": 0.3}
    curve["convergence/js"] = {"step": [0, 4800], "value": [0.69, 0.31]}  # the run stopped before 5,000
    (tmp_path / "curve.json").write_text(json.dumps(curve))
    assert studies.step_numbers(str(tmp_path)) == {}
    assert studies.step_numbers(str(tmp_path / "missing")) == {}


def test_moment_numbers_of_a_2d_report():
    numbers = studies.moment_numbers({"mean": [0.3, -0.4], "std": [1.1, 0.8]})
    assert numbers["mean_offset"] == pytest.approx(0.5, abs=1e-12)
    assert numbers["std_error"] == pytest.approx(0.2, abs=1e-12)
    assert studies.moment_numbers({"classes_covered": 10}) == {}
