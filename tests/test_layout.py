"""The repository's layout: code is package code, imported as installed; docs/ holds prose, figures and data."""

import pathlib

from conftest import ROOT


def tracked_python_files():
    return [p for p in pathlib.Path(ROOT).rglob("*.py")
            if not any(part.startswith(".") or part in ("build", "site") for part in p.relative_to(ROOT).parts)]


def test_no_python_file_edits_the_import_path():
    # The package is installed (README); launchers, benchmarks, tests and workers import it as such.
    needle = "sys." + "path"
    offenders = [str(p.relative_to(ROOT)) for p in tracked_python_files() if needle in p.read_text(encoding="utf-8")]
    assert not offenders, offenders


def test_study_and_benchmark_code_lives_in_the_package():
    assert not list(pathlib.Path(ROOT, "docs").rglob("*.py"))
    assert not pathlib.Path(ROOT, "benchmarks").exists()
    modules = {p.stem for p in pathlib.Path(ROOT, "keras_gan_latent", "benchmarks").glob("*.py")} - {"__init__"}
    tests = {p.stem[len("test_"):] for p in pathlib.Path(ROOT, "tests", "benchmarks").glob("test_*.py")}
    assert modules <= tests, f"benchmarks without a test module: {sorted(modules - tests)}"
