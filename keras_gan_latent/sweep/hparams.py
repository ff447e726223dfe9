"""The sweep in TensorBoard's HParams tab: the experiment's config and one
session summary per cell."""

import glob
import os


def run_hparams(config):
    """The hyperparameters HParams compares runs by."""
    return {
        "target": config.target,
        "latent_dim": config.latent_dim,
        "prior": config.prior,
        "seed": config.seed,
        "steps": config.steps,
    }


def write_run_summaries(config, row):
    """Writes a run's HParams summary and its final scores as `eval/<key>` scalars.

    Args:
        config: The run's `TrainConfig`.
        row: The summary row of its report; None values (no finite number)
            are left out.
    """
    import tensorflow as tf
    from tensorboard.plugins.hparams import api as hp

    writer = tf.summary.create_file_writer(config.run_dir)
    with writer.as_default(step=config.steps):
        hp.hparams(run_hparams(config), trial_id=os.path.basename(config.run_dir))
        for key, value in row.items():
            if value is not None:
                tf.summary.scalar(f"eval/{key}", value)
    writer.close()


def write_hparams_config(settings, experiment):
    """Writes the HParams experiment (hyperparameters and metrics) into the runs folder.

    A resumed sweep replaces the previous experiment rather than adding one.

    Args:
        settings: `SweepSettings`.
        experiment: Its `Experiment`, which names the metrics.
    """
    import tensorflow as tf
    from tensorboard.plugins.hparams import api as hp

    from keras_gan_latent.data import priors

    runs_dir = settings.runs_dir()
    for old in glob.glob(os.path.join(runs_dir, "events.out.tfevents.*")):
        os.remove(old)
    hparams = [
        hp.HParam("target", hp.Discrete(list(settings.targets))),
        hp.HParam("latent_dim", hp.Discrete(list(settings.latent_dims))),
        hp.HParam("prior", hp.Discrete(list(priors.PRIOR_NAMES))),
        hp.HParam("seed", hp.Discrete(list(settings.seeds))),
        hp.HParam("steps", hp.Discrete([settings.steps])),
    ]
    metrics = [hp.Metric(tag) for tag in experiment.recipe.training_metrics] + [hp.Metric(f"eval/{key}") for key in experiment.scorer.eval_metrics]
    writer = tf.summary.create_file_writer(runs_dir)
    with writer.as_default():
        hp.hparams_config(hparams=hparams, metrics=metrics)
    writer.close()
