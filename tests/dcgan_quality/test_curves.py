"""The time-to-quality figure, drawn by the package program from the committed results."""

import os
import shutil

import matplotlib.image
import numpy as np
import pytest

from keras_gan_latent.dcgan_quality import curves

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COMMITTED = os.path.join(ROOT, "docs", "dcgan_quality")
# The rates the committed figure was drawn with (README's command).
RATES = ["baseline=43.5", "ema=43.5", "r1=37", "seed_z10=9.7", "seed_z2=9.7"]


def test_redraws_the_committed_figure(tmp_path):
    for name in RATES:
        result = name.split("=")[0] + ".json"
        shutil.copy(os.path.join(COMMITTED, result), tmp_path / result)
    argv = ["--dir", str(tmp_path), "--max-minutes", "115"]
    for rate in RATES:
        argv += ["--rate", rate]
    assert curves.main(argv) == 0
    drawn = matplotlib.image.imread(tmp_path / "curves.png")
    committed = matplotlib.image.imread(os.path.join(COMMITTED, "curves.png"))
    assert drawn.shape == committed.shape
    assert np.mean(np.abs(drawn - committed)) < 0.01  # the same figure (pixels; fonts may differ elsewhere)


@pytest.mark.parametrize("rate, message", [("baseline=0", "NAME=STEPS_PER_SECOND"), ("nothere=3", "no result")])
def test_a_bad_rate_is_one_error_line(tmp_path, capsys, rate, message):
    shutil.copy(os.path.join(COMMITTED, "baseline.json"), tmp_path / "baseline.json")
    with pytest.raises(SystemExit) as exit_info:
        curves.main(["--dir", str(tmp_path), "--rate", rate])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert not (tmp_path / "curves.png").exists()
