"""Truncation against psi, on a real (untrained) DCGAN export: the rows and the table it writes."""

import json

import pytest

from keras_gan_latent.data import priors
from keras_gan_latent.dcgan_quality import truncation
from keras_gan_latent.models import dcgan
from keras_gan_latent.training.export import export_generator


@pytest.mark.slow
def test_replaces_the_rows_of_the_export_named_and_keeps_the_others(tmp_path, classifier, monkeypatch):
    # The rows and the table are the point, not the report's sample size: 1,000 digits, not 10,000.
    monkeypatch.setattr(truncation, "MNIST_SAMPLES", 1000)
    export = str(tmp_path / "dcgan")
    config = {"model": "dcgan", "target": "mnist", "latent_dim": 8, "prior": "normal"}
    export_generator(dcgan.dcgan_generator(8, "light"), priors.latent_prior("normal", 8), export, config)
    kept = {"export": "other", "psi": 1.0, **{key: 1.0 for key in truncation.COLUMNS}}
    stale = {**kept, "export": "mine"}
    (tmp_path / "truncation.json").write_text(json.dumps([kept, stale]))
    assert truncation.main([f"mine={export}", "--psi", "0.5,1.5", "--dir", str(tmp_path)]) == 0
    rows = json.loads((tmp_path / "truncation.json").read_text())
    assert [(row["export"], row["psi"]) for row in rows] == [("other", 1.0), ("mine", 0.5), ("mine", 1.5)]
    assert all(0 < row["classifier_score"] <= 10 and row["classes_covered"] <= 10 for row in rows[1:])
    assert rows[1]["mean_entropy"] != rows[2]["mean_entropy"]  # psi moves the digits
    table = (tmp_path / "truncation.md").read_text().splitlines()
    assert len(table) == 2 + 3 and table[3].startswith("| mine | 0.5 | ")
