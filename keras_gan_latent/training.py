"""The training loop: from a `TrainConfig` to event files, a GIF and an export.

`build_setup` turns a config into the pieces of a run (the GAN, the data it
is fed, the view its summaries use). `train` runs it with `fit` and writes
everything next to the run's config. Each kind of data has one builder; the
GAN class, the callbacks and the export are the same for all of them.
"""

import dataclasses
import math
import os
import time

import keras
import tensorflow as tf

from keras_gan_latent import callbacks as gan_callbacks
from keras_gan_latent import checkpoints
from keras_gan_latent import export, networks, priors, targets, views
from keras_gan_latent.config import ANIMATION_FRAMES
from keras_gan_latent.errors import TrainingDiverged, TrainingInterrupted, UserError
from keras_gan_latent.fileio import atomic_write_json, check_writable_dir
from keras_gan_latent.gan import GAN, TargetSource


@dataclasses.dataclass
class Setup:
    """The pieces of one run: the model, what `fit` feeds it, and its view."""

    model: GAN
    dataset: tf.data.Dataset
    view: object


@dataclasses.dataclass
class RunResult:
    """Where a finished run put its results, and its final tracker values.

    `steps` and `seconds` count this call's training (after a resume, the
    steps since the restored checkpoint).
    """

    run_dir: str
    export_dir: str
    animation_path: str
    steps: int
    seconds: float
    final_metrics: dict


def build_toy_setup(config):
    """Builds the MLP GAN on a low-dimensional target (the article's experiment).

    Args:
        config: A validated `TrainConfig`.

    Returns:
        A `Setup`. Real samples are drawn from the target inside the compiled
        step, so `fit` is fed a dummy dataset of constants.
    """
    config.validate()  # also fills in the model's default batch and optimizer settings
    target = targets.get_target(config.target)
    if config.prior is None:
        config.prior = target.default_prior
    prior = priors.latent_prior(config.prior, config.latent_dim)
    keras.utils.set_random_seed(config.seed)
    generator = networks.mlp_generator(
        config.latent_dim, target.dim, width=config.g_width, depth=config.g_depth
    )
    discriminator = networks.mlp_discriminator(
        target.dim, width=config.d_width, depth=config.d_depth
    )
    model = GAN(
        generator,
        discriminator,
        prior,
        TargetSource(target),
        batch_size=config.batch_size,
        d_steps=config.d_steps,
        loss=config.loss,
        seed=config.seed,
        num_fixed_latents=config.num_fixed_latents,
    )
    view = views.ScatterView(target, num_real=config.num_fixed_latents, seed=config.seed)
    return Setup(model=model, dataset=tf.data.Dataset.from_tensors(0.0).repeat(), view=view)


def build_mnist_setup(config):
    """Builds the DCGAN on real MNIST (the seed study's experiment).

    Args:
        config: A validated `TrainConfig` with `model="dcgan"`.

    Returns:
        A `Setup` whose dataset yields `d_steps * batch_size // 2` real
        digits per step in [-1, 1], one half-batch per discriminator step.
    """
    from keras_gan_latent import dcgan
    from keras_gan_latent.datasets import mnist
    from keras_gan_latent.gan import DatasetSource

    config.validate()
    x_train, _, x_test, _ = mnist.load_mnist(config.data)
    if config.prior is None:
        config.prior = "normal"  # the seed study's latents
    prior = priors.latent_prior(config.prior, config.latent_dim)
    keras.utils.set_random_seed(config.seed)
    model = GAN(
        dcgan.dcgan_generator(config.latent_dim, config.arch),
        dcgan.dcgan_discriminator(config.arch),
        prior,
        DatasetSource(),
        batch_size=config.batch_size,
        d_steps=config.d_steps,
        loss=config.loss,
        seed=config.seed,
        num_fixed_latents=views.GRID_SIZE**2,
    )
    dataset = mnist.mnist_dataset(x_train, config.d_steps * (config.batch_size // 2), seed=config.seed)
    return Setup(model=model, dataset=dataset, view=views.GridView(x_test[: views.GRID_SIZE**2]))


def build_setup(config):
    """The `Setup` of `config.model`: the toy MLP GAN or the MNIST DCGAN."""
    return build_mnist_setup(config) if config.model == "dcgan" else build_toy_setup(config)


def prepare(config):
    """Validates a config completely and resolves its folders, writing nothing.

    Raises:
        UserError: for any invalid setting, an unwritable logdir or a
            non-empty export dir without `overwrite`.
    """
    setup = build_setup(config)
    config.resolve_run_dir()
    check_writable_dir(config.run_dir, "logdir")
    if config.resume and not os.path.isdir(os.path.join(config.run_dir, checkpoints.CHECKPOINT_DIR)):
        raise UserError(f"nothing to resume: {config.run_dir!r} has no checkpoints")
    # A resumed run replaces its own export when it finishes again.
    export.check_export_dir(config.export_dir, config.overwrite or config.resume)
    return setup


def plan_segments(total_steps, steps_per_execution, animate_steps=0, animate_every=1, start_step=0):
    """Splits training into `fit` calls with a fixed `steps_per_execution` each.

    Callbacks only run between executions, so an execution must not step
    over a frame of the animation: while frames are recorded, an execution
    is at most `animate_every` steps (and divides it).

    Args:
        total_steps: The run's length.
        steps_per_execution: Execution size outside the animation.
        animate_steps: Steps at the start of the run that record frames.
        animate_every: Steps between frames.
        start_step: Where a resumed run starts.

    Returns:
        A list of `(num_steps, steps_per_execution)`.
    """
    segments = []
    animate_end = min(animate_steps, total_steps)
    if start_step < animate_end:
        segments.append((animate_end - start_step, math.gcd(animate_every, steps_per_execution)))
    rest_start = max(start_step, animate_end)
    if total_steps > rest_start:
        segments.append((total_steps - rest_start, steps_per_execution))
    return segments


def train(config, verbose=1, setup=None):
    """Trains a GAN as `config` says and writes its results to `config.run_dir`.

    Writes the run's config (`config.json`), TensorBoard event files,
    checkpoints every `config.checkpoint_every` steps, the final frame
    (`final_frame.png`), the animation (`animation.gif`, with
    `config.animate`) and the generator export. With `config.resume` it
    first restores the run's last good checkpoint and continues from there
    (events written after it are dropped, so no step appears twice).

    Args:
        config: A `TrainConfig`.
        verbose: Keras progress bar (1), one line per `fit` call (2) or none (0).
        setup: A `Setup` already built by `prepare(config)`, if any.

    Returns:
        A `RunResult`.
    """
    if setup is None:
        setup = prepare(config)
    model = setup.model
    model.compile(
        keras.optimizers.Adam(config.lr_d, beta_1=config.beta1_d),
        keras.optimizers.Adam(config.lr_g, beta_1=config.beta1_g),
        jit_compile=config.jit_compile,
    )
    os.makedirs(config.run_dir, exist_ok=True)
    manager = checkpoints.checkpoint_manager(model, config.run_dir, config.keep_checkpoints)
    start_step = 0
    if config.resume:
        start_step = checkpoints.restore_latest(manager) or 0
        checkpoints.purge_events_after(config.run_dir, start_step)
    atomic_write_json(os.path.join(config.run_dir, "config.json"), config.to_dict())

    summaries = gan_callbacks.TensorBoardSummaries(
        config.run_dir, setup.view, scalar_every=config.scalar_every, image_every=config.image_every
    )
    if start_step:
        summaries.continue_from(start_step)
    guard = gan_callbacks.NonFiniteGuard()
    # The guard runs first, so a checkpoint is never taken of a diverged state.
    run_callbacks = [guard, summaries, checkpoints.CheckpointSaver(manager, config.checkpoint_every)]
    animation_path = None
    animate_steps = 0
    if config.animate:
        animation_path = os.path.join(config.run_dir, "animation.gif")
        animation = gan_callbacks.AnimationRecorder(
            setup.view, animation_path, every=config.animate_every, max_frames=ANIMATION_FRAMES + 1
        )
        run_callbacks.append(animation)
        animate_steps = ANIMATION_FRAMES * config.animate_every

    # Executions land exactly on the summary steps.
    steps_per_execution = math.gcd(config.steps_per_execution, config.scalar_every, config.image_every)
    start = time.perf_counter()
    try:
        segments = plan_segments(config.steps, steps_per_execution, animate_steps, config.animate_every, start_step)
        logs = _fit_segments(model, setup.dataset, segments, run_callbacks, guard, verbose, config.run_dir)
    except KeyboardInterrupt:
        # Ctrl-C or SIGTERM lands between executions, when the state is whole.
        step = int(model.global_step.numpy())
        if guard.diverged_at is None and step > start_step:
            manager.save(checkpoint_number=step)
        raise TrainingInterrupted(
            f"interrupted at step {step}; checkpoint saved in {manager.directory}; "
            "run the same command with --resume to continue"
        ) from None
    seconds = time.perf_counter() - start
    if config.animate:
        animation.write()

    from keras_gan_latent import plotting

    plotting.save_png(
        setup.view.frame(model, int(model.global_step.numpy())),
        os.path.join(config.run_dir, "final_frame.png"),
    )
    setup.view.close()
    export.export_generator(
        model.generator,
        model.latent_prior,
        config.export_dir,
        config.to_dict(),
        overwrite=config.overwrite or config.resume,
    )
    return RunResult(
        run_dir=config.run_dir,
        export_dir=config.export_dir,
        animation_path=animation_path,
        steps=int(model.global_step.numpy()) - start_step,
        seconds=seconds,
        final_metrics=logs,
    )


def _fit_segments(model, dataset, segments, run_callbacks, guard, verbose, run_dir):
    """Runs `fit` over `plan_segments`' segments; returns the last tracker values.

    Raises:
        TrainingDiverged: when `guard` saw a non-finite loss or weight.
    """
    logs = {}
    for num_steps, segment_spe in segments:
        model.steps_per_execution = segment_spe
        model.train_function = None  # rebuilt by fit for the new execution size
        history = model.fit(
            dataset.take(num_steps),
            steps_per_epoch=num_steps,
            epochs=1,
            verbose=verbose,
            shuffle=False,  # generated on the fly; nothing to shuffle
            callbacks=run_callbacks,
        )
        logs = {k: float(v[-1]) for k, v in history.history.items()}
        if guard.diverged_at is not None:
            raise TrainingDiverged(
                f"training diverged by step {guard.diverged_at}: non-finite {guard.reason}; "
                f"nothing was exported (events up to then are in {run_dir}); "
                "try lower learning rates"
            )
    return logs
