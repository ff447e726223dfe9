"""The latent-dimension sweep: the article's grid of runs, trained, measured and tabled.

Two models share one sweep: the toy MLP GAN (`model="mlp"`: targets x latent
dims x seeds, scored by `evaluation.evaluate_samples`) and the DCGAN on real
MNIST (`model="dcgan"`: latent dims x seeds, the seed study's z_dim sweep,
scored by `evaluation.mnist_report`). What differs between them (defaults,
checks, how a cell is scored and pictured) lives in a `ToySweep` or
`MnistSweep`; the loop, resuming, sharding, HParams and the tables are shared.

An output folder `<out>` holds two trees:

- `<out>/runs/<target>_z<k>_s<seed>`: one ordinary training run per cell
  (events, checkpoints, export; large, never committed: `<out>/.gitignore`
  says so).
- `<out>/results/<target>_z<k>_s<seed>`: what the study keeps of the run,
  small enough to commit: `evaluation.json` (the full report), `run.json`
  (its training config, git commit, host, timings), `curve.json` (the
  convergence scalars over training) and the few files its figures draw
  (toy: `samples.npy`, `latent_view.png`; DCGAN: `final_frame.png`,
  `mnist_report.png`). `evaluation.json` is written last and marks the cell
  done: a rerun (from a fresh clone too) skips it.

A cell cut off mid-run resumes from its last checkpoint when its run folder
has one, else starts over. `shard=(i, n)` trains only every n-th cell from
the i-th on, so n processes or machines (a job array) split a sweep into
disjoint parts; each cell is trained under an exclusive file lock, so two
processes given the same cells never train one twice, and tables, figures
and the HParams experiment are rebuilt from every finished cell on disk
under a lock of their own. `<out>/sweep_config.json` records the settings a
resumed sweep must share, and `results.csv`, `results.md` and the figures
(toy: `grid.png`, `latent_views.png`, `convergence.png`; DCGAN:
`montage.png`, `convergence.png`) are rewritten atomically after every cell.

Modules: settings (`SweepSettings`, defaults, `summary_intervals`), runner
(`run_sweep`, `run_cell`, `check_sweep`, locks and records), kinds
(`SweepKind`, `ToySweep`, `MnistSweep`), tables, figures and hparams; their
public names are re-exported here.

TensorFlow is imported only inside the functions that need it, so
`SweepSettings.validate` refuses bad input in a fraction of a second.
"""

from keras_gan_latent.sweep.figures import (  # noqa: F401
    MONTAGE_DPI,
    MONTAGE_HISTOGRAM_HEIGHT,
    MONTAGE_PANEL,
    convergence_image,
    grid_image,
    headline,
    latent_views_grid,
    montage_image,
    stack_on_white,
)
from keras_gan_latent.sweep.hparams import (  # noqa: F401
    run_hparams,
    write_hparams_config,
    write_run_summaries,
)
from keras_gan_latent.sweep.kinds import (  # noqa: F401
    MnistSweep,
    SweepKind,
    ToySweep,
    read_scalar_curves,
)
from keras_gan_latent.sweep.runner import (  # noqa: F401
    check_sweep,
    finished_reports,
    git_revision,
    is_done,
    run_cell,
    run_sweep,
    sweep_kind,
    utc_now,
    write_results,
)
from keras_gan_latent.sweep.settings import (  # noqa: F401
    CONFIG_FILE,
    CONVERGENCE_POINTS,
    CURVE_FILE,
    DCGAN_LATENT_DIMS,
    DCGAN_ONLY,
    DCGAN_STEPS,
    DEFAULT_LATENT_DIMS,
    DEFAULT_SEEDS,
    DEFAULT_TARGETS,
    EVALUATION_FILE,
    EVAL_METRICS,
    FINAL_FRAME_FILE,
    GITIGNORE,
    INTRINSIC_DIMENSION_SAMPLES,
    LATENT_VIEW_FILE,
    MNIST_EVAL_METRICS,
    MNIST_REPORT_FILE,
    MNIST_TARGET,
    MNIST_TRAINING_METRICS,
    MODEL_DEFAULTS,
    RESULTS_DIR,
    RESULTS_LOCK,
    RESULT_FILES,
    RUNS_DIR,
    RUN_RECORD_FILE,
    SAMPLES_FILE,
    SweepSettings,
    TRAINING_METRICS,
    VIEW_LATENT_DIMS,
    summary_intervals,
)
from keras_gan_latent.sweep.tables import (  # noqa: F401
    CONFIDENCE,
    INFINITE_WHEN_MISSING,
    enough_latent_dim,
    mean_interval_text,
    metric_keys,
    missing_text,
    noise_section,
    result_rows,
    results_csv,
    results_markdown,
)

__all__ = [
    "CONFIDENCE",
    "CONFIG_FILE",
    "CONVERGENCE_POINTS",
    "CURVE_FILE",
    "DCGAN_LATENT_DIMS",
    "DCGAN_ONLY",
    "DCGAN_STEPS",
    "DEFAULT_LATENT_DIMS",
    "DEFAULT_SEEDS",
    "DEFAULT_TARGETS",
    "EVALUATION_FILE",
    "EVAL_METRICS",
    "FINAL_FRAME_FILE",
    "GITIGNORE",
    "INFINITE_WHEN_MISSING",
    "INTRINSIC_DIMENSION_SAMPLES",
    "LATENT_VIEW_FILE",
    "MNIST_EVAL_METRICS",
    "MNIST_REPORT_FILE",
    "MNIST_TARGET",
    "MNIST_TRAINING_METRICS",
    "MODEL_DEFAULTS",
    "MONTAGE_DPI",
    "MONTAGE_HISTOGRAM_HEIGHT",
    "MONTAGE_PANEL",
    "MnistSweep",
    "RESULTS_DIR",
    "RESULTS_LOCK",
    "RESULT_FILES",
    "RUNS_DIR",
    "RUN_RECORD_FILE",
    "SAMPLES_FILE",
    "SweepKind",
    "SweepSettings",
    "TRAINING_METRICS",
    "ToySweep",
    "VIEW_LATENT_DIMS",
    "check_sweep",
    "convergence_image",
    "enough_latent_dim",
    "finished_reports",
    "git_revision",
    "grid_image",
    "headline",
    "is_done",
    "latent_views_grid",
    "mean_interval_text",
    "metric_keys",
    "missing_text",
    "montage_image",
    "noise_section",
    "read_scalar_curves",
    "result_rows",
    "results_csv",
    "results_markdown",
    "run_cell",
    "run_hparams",
    "run_sweep",
    "stack_on_white",
    "summary_intervals",
    "sweep_kind",
    "utc_now",
    "write_hparams_config",
    "write_results",
    "write_run_summaries",
]
