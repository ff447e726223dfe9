"""The latent-dimension sweep: a grid of runs, trained, measured and tabled.

Every experiment (`experiments`) shares one sweep: the toy MLP GAN
(`model="mlp"`: targets x latent dims x seeds) and the DCGAN on real MNIST
(`model="dcgan"`: latent dims x seeds, the seed study's z_dim sweep). What
differs between them (defaults, checks, how a cell is scored, what is kept
of it and how the grid is pictured) is asked of the `Experiment`; the loop,
resuming, sharding, HParams, the tables and the convergence figure are
shared.

An output folder `<out>` holds two trees:

- `<out>/runs/<target>_z<k>_s<seed>`: one ordinary training run per cell
  (events, checkpoints, export; large, never committed: `<out>/.gitignore`
  says so).
- `<out>/results/<target>_z<k>_s<seed>`: what the study keeps of the run,
  small enough to commit: `evaluation.json` (the full report), `run.json`
  (its training config, git commit, host, timings), `curve.json` (the
  convergence scalars over training) and the few files its experiment's
  figures draw (toy: `samples.npy`, `latent_view.png`; DCGAN:
  `final_frame.png`, `mnist_report.png`). `evaluation.json` is written last
  and marks the cell done: a rerun (from a fresh clone too) skips it.

A cell cut off mid-run resumes from its last checkpoint when its run folder
has one, else starts over. `shard=(i, n)` trains only every n-th cell from
the i-th on, so n processes or machines (a job array) split a sweep into
disjoint parts; each cell is trained under an exclusive file lock, so two
processes given the same cells never train one twice, and tables, figures
and the HParams experiment are rebuilt from every finished cell on disk
under a lock of their own. `<out>/sweep_config.json` records the settings a
resumed sweep must share, and `results.csv`, `results.md`, `convergence.png`
and the experiment's figures (toy: `grid.png`, `latent_views.png`; DCGAN:
`montage.png`) are rewritten atomically after every cell.

Modules: settings (`SweepSettings`, `summary_intervals`), runner
(`run_sweep`, `run_cell`, `check_sweep`, locks and records), curves, tables,
decision (the declared rule that compares latent dims over seeds), margins
(each metric's equivalence margin), figures and hparams; their public names
are re-exported here, each imported on first use (PEP 562), so the command
line refuses bad settings before TensorFlow loads.
"""

from keras_gan_latent.lazy import lazy_exports

# Re-exported name -> the module that defines it.
_NAMES = {
    "CONFIDENCE": "keras_gan_latent.sweep.tables",
    "CONFIG_FILE": "keras_gan_latent.sweep.settings",
    "CONVERGENCE_POINTS": "keras_gan_latent.sweep.settings",
    "CURVE_FILE": "keras_gan_latent.sweep.settings",
    "EVALUATION_FILE": "keras_gan_latent.sweep.settings",
    "GITIGNORE": "keras_gan_latent.sweep.settings",
    "INFINITE_WHEN_MISSING": "keras_gan_latent.sweep.tables",
    "RESULTS_DIR": "keras_gan_latent.sweep.settings",
    "RESULTS_LOCK": "keras_gan_latent.sweep.settings",
    "RESULT_FILES": "keras_gan_latent.sweep.settings",
    "RUNS_DIR": "keras_gan_latent.sweep.settings",
    "RUN_RECORD_FILE": "keras_gan_latent.sweep.settings",
    "RUN_SETTINGS": "keras_gan_latent.sweep.settings",
    "SweepSettings": "keras_gan_latent.sweep.settings",
    "check_sweep": "keras_gan_latent.sweep.runner",
    "convergence_image": "keras_gan_latent.sweep.figures",
    "compare": "keras_gan_latent.sweep.decision",
    "enough_latent_dim": "keras_gan_latent.sweep.decision",
    "finished_reports": "keras_gan_latent.sweep.runner",
    "git_revision": "keras_gan_latent.sweep.runner",
    "is_done": "keras_gan_latent.sweep.runner",
    "mean_interval_text": "keras_gan_latent.sweep.tables",
    "metric_keys": "keras_gan_latent.sweep.tables",
    "missing_text": "keras_gan_latent.sweep.tables",
    "noise_answer": "keras_gan_latent.sweep.tables",
    "noise_section": "keras_gan_latent.sweep.tables",
    "read_scalar_curves": "keras_gan_latent.sweep.curves",
    "result_rows": "keras_gan_latent.sweep.tables",
    "results_csv": "keras_gan_latent.sweep.tables",
    "results_markdown": "keras_gan_latent.sweep.tables",
    "run_cell": "keras_gan_latent.sweep.runner",
    "run_hparams": "keras_gan_latent.sweep.hparams",
    "run_settings": "keras_gan_latent.sweep.settings",
    "run_sweep": "keras_gan_latent.sweep.runner",
    "summary_intervals": "keras_gan_latent.sweep.settings",
    "utc_now": "keras_gan_latent.sweep.runner",
    "write_hparams_config": "keras_gan_latent.sweep.hparams",
    "write_results": "keras_gan_latent.sweep.runner",
    "write_run_summaries": "keras_gan_latent.sweep.hparams",
}

__all__ = sorted(_NAMES)
__getattr__, __dir__ = lazy_exports(__name__, _NAMES)
