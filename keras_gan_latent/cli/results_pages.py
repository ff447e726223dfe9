"""Regenerate every results table, figure and verdict from the committed study files.

`python -m keras_gan_latent.cli.results_pages` first rebuilds each study's
own tables and figures from its cells, as the sweep's `--merge` does
(`docs/study_toy`, `docs/study_vae`, `docs/study_dcgan`, `docs/study_cgan`:
`results.csv`, `results.md`, `convergence.png` and the experiment's figures,
with every finished cell, however many seeds each has) and the GAN-against-VAE
table (`docs/study_vae/gan_vs_vae.md`), then judges every declared claim with
the declared decision rule (`keras_gan_latent.reports`) and rewrites the pages
in `docs/results/`. `--pages-only` skips the first part; `--check` writes
nothing and exits 1 when a committed page differs from what would be written.
"""

import os
import sys

from keras_gan_latent.cli.common import ArgumentParser, quiet_tensorflow, run
from keras_gan_latent.errors import UserError
from keras_gan_latent.fileio import atomic_write_bytes

PROG = "results_pages"


def build_parser():
    parser = ArgumentParser(prog=PROG, description=__doc__.splitlines()[0])
    parser.add_argument("--docs", default="docs", help="the docs folder holding the study folders (default: docs)")
    parser.add_argument("--out", default=None, help="where the pages go (default: <docs>/results)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if a page in --out differs")
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
    quiet_tensorflow()
    from keras_gan_latent.reports.gan_vs_vae import TABLE_FILE, VAE_STUDY, gan_vs_vae_markdown
    from keras_gan_latent.reports.pages import STUDIES, build_pages
    from keras_gan_latent.reports.studies import rebuild_study

    if not (args.check or args.pages_only):
        for page in STUDIES.values():
            rebuild_study(os.path.join(args.docs, page.folder))
            print(f"rebuilt the tables and figures of {os.path.join(args.docs, page.folder)}")
        table = os.path.join(args.docs, VAE_STUDY, TABLE_FILE)
        atomic_write_bytes(table, gan_vs_vae_markdown(args.docs).encode())
        print(f"wrote {table}")
    pages = build_pages(args.docs)
    if args.check:
        stale = stale_pages(pages, out)
        for name in stale:
            print(f"{os.path.join(out, name)} differs from the generated page")
        return 1 if stale else 0
    os.makedirs(out, exist_ok=True)
    for name, text in pages.items():
        atomic_write_bytes(os.path.join(out, name), text.encode())
    print(f"wrote {len(pages)} pages to {out}: {', '.join(pages)}")
    return 0


def entry_point():
    sys.exit(run(main, PROG))


if __name__ == "__main__":
    entry_point()
