"""The levers page, generated from lever sweep folders made of committed toy cells (so the answers are known)."""

import json
import os

import numpy as np
import pytest

from keras_gan_latent.reports import levers
from keras_gan_latent.reports.pages import build_pages
from keras_gan_latent.sweep import decision
from keras_gan_latent.sweep.margins import metric

DOCS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "docs")
TOY_RESULTS = os.path.join(DOCS, "study_toy", "results")
# The seeds of the committed toy study (every cell has them all): the lever folders reuse its cells.
SEEDS = sorted({int(cell.rsplit("_s", 1)[1]) for cell in os.listdir(TOY_RESULTS) if cell.startswith("grid25_z2_")})


def _lever_folder(docs, name, latent_dims, **config):
    """A sweep folder under docs/study_levers whose cells are the toy study's grid25 cells (all its seeds)."""
    folder = docs / "study_levers" / "screen" / name
    (folder / "results").mkdir(parents=True)
    with open(os.path.join(DOCS, "study_toy", "sweep_config.json")) as f:
        sweep_config = json.load(f)
    sweep_config.update(targets=["grid25"], latent_dims=list(latent_dims), seeds=SEEDS, **config)
    (folder / "sweep_config.json").write_text(json.dumps(sweep_config))
    for k in latent_dims:
        for seed in SEEDS:
            cell = f"grid25_z{k}_s{seed}"
            os.symlink(os.path.join(TOY_RESULTS, cell), folder / "results" / cell)
    return folder


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    docs = tmp_path_factory.mktemp("docs")
    for name in ("study_toy", "study_vae", "study_dcgan", "study_cgan", "cgan", "vae_mnist", "dcgan_quality"):
        os.symlink(os.path.join(DOCS, name), docs / name)
    _lever_folder(docs, "grid25_pack2", (2,), pack=2)
    _lever_folder(docs, "grid25_code25", (2, 3), latent_code=25)
    return docs


@pytest.fixture(scope="module")
def page(docs):
    return levers.levers_page(str(docs))


def test_variants_are_read_from_each_folders_config(docs):
    folders = levers.lever_folders(str(docs))
    assert [os.path.basename(f) for f in folders] == ["grid25_code25", "grid25_pack2"]
    assert [levers.variant_of(f).label() for f in folders] == ["code 25 (lambda 1)", "pack 2"]
    assert levers.Variant(2, 25, 0.0).label() == "pack 2 + code 25 (lambda 0)"
    assert levers.Variant(1, 0, None).label() == "plain"
    assert levers.Variant(1, 0, None, "article").label() == "plain"
    assert levers.Variant(4, 0, None, "pacgan").label() == "pacgan nets + pack 4"


def test_each_variant_is_judged_against_the_plain_gan_of_the_same_budget_and_latent_dim(docs, page):
    # The pack 2 folder holds the plain GAN's own cells: every difference is 0 and each verdict is the rule's.
    plain = [g for g in levers.load_groups(str(docs)) if g.variant.label() == "plain" and g.target == "grid25"
             and g.latent_dim == 2 and g.steps == 30000][0]
    for key in levers.METRICS:
        m = metric(key)
        c = decision.compare(plain.values(key), plain.values(key), m.better, m.margin)
        assert c.difference == 0
        n = len(SEEDS)
        assert f"| 30000 | 2 | pack 2 | `{key}` | {n}, {n} | 0 | [{_num(c.low)}, {_num(c.high)}] | {c.verdict} |" in page
    assert f"| 30000 | 2 | plain | {n} |" in page and f"| 30000 | 2 | pack 2 | {n} |" in page
    assert f"| 30000 | 3 | code 25 (lambda 1) | {n} |" in page


def _num(x):
    from keras_gan_latent.reports.markdown import num

    return num(x)


def test_a_variant_swept_over_latent_dims_gets_its_how_much_noise_answer(page):
    section = page.split("## How much noise with a lever on", 1)[1]
    assert "### grid25, code 25 (lambda 1), 30000 steps" in section
    assert "### grid25, pack 2" not in section  # one latent dim: nothing to answer


def test_goal_column_follows_the_declared_goal():
    def group(target, modes, hq):
        rows = [{"modes_covered": m, "high_quality": q} for m, q in zip(modes, hq)]
        return levers.Group(levers.Variant(1, 0, None), target, 30000, 2, rows, "study_levers/x")

    assert levers.goal_text(group("grid25", [25, 24, 23], [0.95, 0.9, 0.88])) == "yes"  # mean 24 modes, 91 %
    assert levers.goal_text(group("grid25", [25, 24, 22], [0.95, 0.9, 0.88])) == "no"
    assert levers.goal_text(group("eight_gaussians", [8, 8, 8], [0.99, 0.99, 0.97])) == "no"  # every seed
    assert levers.goal_text(group("eight_gaussians", [8, 8], [0.99, 0.985])) == "yes"
    assert levers.goal_text(group("spiral", [0], [0.5])) == ""


def test_the_page_places_the_published_anchors_beside_the_30000_step_rows(docs, page):
    anchors = page.split("## Beside the published anchors", 1)[1]
    assert "| grid25 | PacGAN4 |" in anchors and "| eight_gaussians | GDPP |" in anchors
    toy = [g for g in levers.load_groups(str(docs)) if g.variant.label() == "plain" and g.target == "grid25" and g.latent_dim == 2][0]
    assert f"| grid25 | plain, latent dim 2 | this package, {len(toy.rows)} seeds | " \
           f"{_num(np.mean(toy.values('modes_covered')))} |" in anchors


def test_the_levers_page_is_one_of_the_generated_pages_only_when_there_are_lever_folders(docs, tmp_path):
    assert build_pages(str(docs))[levers.PAGE] == levers.levers_page(str(docs))
    bare = tmp_path / "bare"
    bare.mkdir()
    for name in ("study_toy", "study_vae", "study_dcgan", "study_cgan", "cgan", "vae_mnist", "dcgan_quality"):
        os.symlink(os.path.join(DOCS, name), bare / name)
    assert levers.PAGE not in build_pages(str(bare))
