"""The DCGAN time-to-quality analyses behind `docs/dcgan_quality/`, each a program run with `python -m`.

- `curves`: the time-to-quality figure (`curves.png`) from the results
  `keras_gan_latent.benchmarks.dcgan_time_to_quality` writes into the folder.
- `truncation`: classifier score and its parts against the truncation psi of
  exports (`truncation.json`, `truncation.md`).
- `critic_selection`: what keeping the digits the discriminator scores most
  real does to them (`critic_selection.json`, `critic_selection.md`).
- `arguments`: the argument types they share.

Each reads and writes its folder, `--dir` (default `docs/dcgan_quality`).
"""

DEFAULT_DIR = "docs/dcgan_quality"
