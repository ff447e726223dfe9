"""The documentation: the site builds strictly, README stays a landing page, the prose stays clean,
and the commands the docs show use flags the programs have."""

import importlib.util
import os
import pathlib
import re
import subprocess
import sys

import pytest

from conftest import ROOT

DOCS = pathlib.Path(ROOT, "docs")
README = pathlib.Path(ROOT, "README.md")
README_MAX_BYTES = 12 * 1024

# Lab-notebook content that belongs in commit messages, not in README or the docs.
FORBIDDEN = {
    "a date": re.compile(r"\b20\d\d-\d\d-\d\d\b"),
    "a commit hash": re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{7,40}\b"),
    "an issue number": re.compile(r"\bissues?\s*#?\d+", re.IGNORECASE),
    "a UTC time window": re.compile(r"\bUTC\b"),
    "a remark on machine load": re.compile(
        r"minutes alone|this round|machine (was )?(otherwise )?idle|other (jobs|runs) (were )?running|"
        r"with (two|three|four|five) other (runs|jobs)|beside (two|three|four) (to \w+ )?other runs",
        re.IGNORECASE,
    ),
}

# The programs behind scripts/*.py, each with a `build_parser()`.
PROGRAMS = ("train", "sample", "evaluate", "sweep", "interpolate", "train_classifier")


def markdown_files():
    """README.md and every Markdown file under docs/ (generated pages included)."""
    return [README, *sorted(DOCS.rglob("*.md"))]


def option_strings(program):
    parser = importlib.import_module(f"keras_gan_latent.cli.{program}").build_parser()
    return {s for action in parser._actions for s in action.option_strings}


def test_mkdocs_build_is_strict_and_clean(tmp_path):
    # --strict turns every warning (a broken link or anchor, a page left out of the nav, an API
    # reference to a missing object, a docstring griffe cannot parse) into a failed build.
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=ROOT, capture_output=True, text=True, timeout=600, env=env,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output, output
    site = tmp_path / "site"
    assert (site / "index.html").is_file()
    # The API reference is generated from the docstrings, not left empty.
    api = (site / "reference" / "training" / "index.html").read_text(encoding="utf-8")
    assert "TrainConfig" in api and "export_generator" in api
    # The data the studies keep beside their figures is not published with the site.
    published = [p for ext in ("npy", "json", "csv", "py") for p in site.rglob(f"*.{ext}")]
    assert [p.relative_to(site).as_posix() for p in published] == ["search/search_index.json"]
    assert (site / "study_toy" / "grid.png").is_file()


def test_mkdocs_strict_build_fails_on_a_broken_link(tmp_path):
    # The guard the suite relies on: a strict build of a page with a broken link fails.
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# Home\n\nSee [the guide](guide/missing.md).\n")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nstrict: true\n")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path / "site")],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env,
    )
    assert result.returncode != 0
    assert "guide/missing.md" in result.stdout + result.stderr


def test_the_api_reference_covers_every_module():
    # Each reference page renders a subpackage with all its submodules (`show_submodules`), so a
    # new module inside one appears by itself; a new top-level module or subpackage needs a page.
    rendered = set()
    for page in (DOCS / "reference").glob("*.md"):
        rendered |= set(re.findall(r"^::: keras_gan_latent\.(\w+)", page.read_text(encoding="utf-8"), re.MULTILINE))
    package = pathlib.Path(ROOT, "keras_gan_latent")
    top_level = {p.stem for p in package.glob("*.py") if p.stem != "__init__"}
    top_level |= {p.parent.name for p in package.glob("*/__init__.py")}
    # The command-line programs are documented by their guide page, the benchmarks by docs/benchmarks.md (and `--help`).
    programs = {"cli", "benchmarks"}
    assert top_level - programs <= rendered, f"modules without a reference page: {sorted(top_level - programs - rendered)}"


def test_readme_is_a_landing_page():
    text = README.read_text(encoding="utf-8")
    assert README.stat().st_size <= README_MAX_BYTES, f"README.md is {README.stat().st_size} bytes"
    # What CI runs (.ci/run), given exactly.
    assert "python3 -m pytest -q tests\n" in text
    assert "python -m pip install -e \".[test]\"" in text
    assert "python scripts/train.py --latent-dim 2" in text
    assert "mkdocs serve" in text


@pytest.mark.parametrize("path", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_lab_notebook_content(path):
    text = path.read_text(encoding="utf-8")
    found = [
        f"{what}: {match.group()!r} (line {text.count(chr(10), 0, match.start()) + 1})"
        for what, pattern in FORBIDDEN.items()
        for match in pattern.finditer(text)
    ]
    assert not found, f"{path.relative_to(ROOT)}: " + "; ".join(found)


def test_the_forbidden_patterns_catch_what_they_are_for():
    samples = {
        "a date": "trained 2026-11-30",
        "a commit hash": "from commits 90f26ad and 3f53e4e",
        "an issue number": "the issue 10 target",
        "a UTC time window": "19:48-19:51 UTC",
        "a remark on machine load": "113 minutes alone",
    }
    for what, sample in samples.items():
        assert FORBIDDEN[what].search(sample), what
    # Ordinary prose and numbers pass.
    clean = "latent dims 1, 2, 3, 10, 100; 30,000 steps; Adam 2e-4; seed 0; a 5x5 grid; decade"
    assert not any(pattern.search(clean) for pattern in FORBIDDEN.values())


def test_the_cli_guide_documents_every_train_flag():
    guide = (DOCS / "guide" / "cli.md").read_text(encoding="utf-8")
    table = guide.split("### Flags", 1)[1].split("\n### ", 1)[0]
    documented = set(re.findall(r"--[a-z0-9][a-z0-9-]*", table))
    flags = option_strings("train") - {"-h", "--help"}
    assert not flags - documented, f"train.py flags missing from the guide's table: {sorted(flags - documented)}"
    assert not documented - flags, f"flags in the guide's table that train.py lacks: {sorted(documented - flags)}"


def test_commands_in_the_docs_use_flags_the_programs_have():
    # Every `python scripts/<program>.py ...` line of README and the docs: its flags must parse.
    command = re.compile(r"(?:python3? )?scripts/(\w+)\.py([^\n#`]*)")
    checked = 0
    for path in markdown_files():
        for match in command.finditer(path.read_text(encoding="utf-8")):
            program, rest = match.groups()
            assert program in PROGRAMS, f"{path.relative_to(ROOT)}: no program scripts/{program}.py"
            known = option_strings(program)
            for flag in re.findall(r"(?<![\w-])--?[a-z][a-z0-9-]*", rest):
                assert flag in known, f"{path.relative_to(ROOT)}: scripts/{program}.py has no {flag}: {match.group()}"
                checked += 1
    assert checked > 50  # the docs show many commands; a broken regex would check none


def test_module_commands_in_the_docs_name_modules_of_the_package():
    # Every `python -m keras_gan_latent.<module>` of README and the docs (benchmarks, analyses, results pages).
    command = re.compile(r"python3? -m (keras_gan_latent(?:\.\w+)+)")
    named = set()
    for path in markdown_files():
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"python3? benchmarks/", text), f"{path.relative_to(ROOT)}: benchmarks are package modules"
        for module in command.findall(text):
            assert importlib.util.find_spec(module) is not None, f"{path.relative_to(ROOT)}: no module {module}"
            named.add(module)
    assert "keras_gan_latent.benchmarks.train_speed" in named and "keras_gan_latent.cli.results_pages" in named
