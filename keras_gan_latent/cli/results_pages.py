"""Regenerate every results table, figure and verdict from the committed study files.

`python -m keras_gan_latent.cli.results_pages` first rebuilds each study's
own tables and figures from its cells, as the sweep's `--merge` does
(`docs/study_toy`, `docs/study_vae`, `docs/study_dcgan`, `docs/study_cgan` and
every lever screen under `docs/study_levers`:
`results.csv`, `results.md`, `convergence.png` and the experiment's figures,
with every finished cell, however many seeds each has) and the GAN-against-VAE
table (`docs/study_vae/gan_vs_vae.md`) and the digit runs' figure
(`docs/dcgan_quality/steps.png`), then judges every declared claim with
the declared decision rule (`keras_gan_latent.reports`) and rewrites the pages
in `docs/results/` (with `--readme README.md`, also the how-much-noise table
between README's markers). `--pages-only` skips the first part; `--check`
writes nothing and exits 1 when a committed page (or the README table)
differs from what would be written.
"""

import os
import sys

from keras_gan_latent.cli.common import ArgumentParser, run
from keras_gan_latent.errors import UserError
from keras_gan_latent.fileio import atomic_write_bytes

PROG = "results_pages"


def build_parser():
    parser = ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default="docs", help="the docs folder holding the study folders (default: docs)")
    parser.add_argument("--out", default=None, help="where the pages go (default: <docs>/results)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a page in --out differs")
    parser.add_argument("--readme", default=None, metavar="PATH",
                        help="also rewrite the how-much-noise table between the markers of this README")
    parser.add_argument("--pages-only", action="store_true",
                        help="only the pages: leave the studies' own tables and figures as they are")
    return parser


def stale_pages(pages, out):
    """The names of `pages` whose file in `out` is missing or differs byte for byte."""
    stale = []
    for name, text in pages.items():
        path = os.path.join(out, name)
        if not os.path.isfile(path) or open(path, "rb").read() != text.encode():
            stale.append(name)
    return stale


def main(argv=None):
    args = build_parser().parse_args(argv)
    out = args.out or os.path.join(args.docs, "results")
    from keras_gan_latent.reports.pages import required_paths

    missing = [p for p in required_paths() if not os.path.exists(os.path.join(args.docs, p))]
    if missing:
        raise UserError(f"--docs {args.docs} has no {missing[0]}; the pages are generated from "
                        + ", ".join(required_paths()))
    readme = None
    if args.readme is not None:
        from keras_gan_latent.reports.pages import README_BEGIN, README_END

        if not os.path.isfile(args.readme):
            raise UserError(f"--readme {args.readme}: no such file")
        with open(args.readme, encoding="utf-8") as f:
            readme = f.read()
        lines = readme.split("\n")
        if sum(line.startswith(README_BEGIN) for line in lines) != 1 or lines.count(README_END) != 1:
            raise UserError(f"--readme {args.readme} needs one line starting {README_BEGIN!r} and one {README_END!r}")
    from keras_gan_latent.reports.gan_vs_vae import TABLE_FILE, VAE_STUDY, gan_vs_vae_markdown
    from keras_gan_latent.reports.pages import STUDIES, build_pages, load_studies, readme_with_noise_table
    from keras_gan_latent.reports.studies import rebuild_study

    if not (args.check or args.pages_only):
        from keras_gan_latent.reports.levers import lever_folders

        for folder in [os.path.join(args.docs, page.folder) for page in STUDIES.values()] + lever_folders(args.docs):
            rebuild_study(folder)
            print(f"rebuilt the tables and figures of {folder}")
        table = os.path.join(args.docs, VAE_STUDY, TABLE_FILE)
        atomic_write_bytes(table, gan_vs_vae_markdown(args.docs).encode())
        print(f"wrote {table}")
        from keras_gan_latent.reports.digits import write_figure

        figure = write_figure(args.docs)
        if figure is not None:
            print(f"wrote {figure}")
    studies = load_studies(args.docs)
    pages = build_pages(args.docs, studies)
    new_readme = None if readme is None else readme_with_noise_table(readme, studies)
    if args.check:
        stale = [os.path.join(out, name) for name in stale_pages(pages, out)]
        if new_readme is not None and new_readme != readme:
            stale.append(args.readme)
        for path in stale:
            print(f"{path} differs from what would be generated")
        return 1 if stale else 0
    os.makedirs(out, exist_ok=True)
    for name, text in pages.items():
        atomic_write_bytes(os.path.join(out, name), text.encode())
    print(f"wrote {len(pages)} pages to {out}: {', '.join(pages)}")
    if new_readme is not None:
        atomic_write_bytes(args.readme, new_readme.encode())
        print(f"wrote the how-much-noise table of {args.readme}")
    return 0


def entry_point():
    sys.exit(run(main, PROG))


if __name__ == "__main__":
    entry_point()
