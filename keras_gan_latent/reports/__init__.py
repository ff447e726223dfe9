"""The results pages: every table, "how much noise" answer and verdict in `docs/results/`, generated.

Modules, one concept each: `studies` (a committed sweep study read back from
its cells, however many seeds each has, and rebuilt as the sweep's `--merge`
does), `claims` (every comparative claim of the article and the README, as
data), `gan_vs_vae` (the GAN-against-VAE table of `docs/study_vae`) and
`pages` (the Markdown). The rule that judges the claims is the sweep's
(`sweep.decision`, with the margins of `sweep.margins`). The program is
`python -m keras_gan_latent.cli.results_pages`.
"""
