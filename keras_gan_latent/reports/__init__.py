"""The results pages: every table, "how much noise" answer and verdict in `docs/results/`, generated.

Modules, one concept each: `decision` (the declared rule: "better", "worse",
"as good as" or "undetermined" from the 95 % Welch interval of a difference
of seed means, and "how much noise"), `margins` (each metric's direction and
equivalence margin, with how it was set), `studies` (a committed sweep study
read back from its cells, however many seeds each has), `claims` (every
comparative claim of the article and the README, as data) and `pages` (the
Markdown). The program is `python -m keras_gan_latent.cli.results_pages`.
"""
