"""The training loop: from a built run (`Setup`) to event files, a GIF and an export.

An experiment (`experiments`) builds the pieces of a run: the model, the data
it is fed, the view its summaries use. `run` trains them with `fit` and
writes everything next to the run's config; the callbacks, checkpoints and
the export are the same for every experiment.
"""

from __future__ import annotations

import dataclasses
import math
import os
import time
from typing import TYPE_CHECKING, Callable

import keras

from keras_gan_latent.errors import TrainingDiverged, TrainingInterrupted, UserError
from keras_gan_latent.fileio import atomic_write_json
from keras_gan_latent.models.gan import GAN, steps_only_dataset
from keras_gan_latent.training import callbacks as gan_callbacks
from keras_gan_latent.training import checkpoints, distribute, export, ownership
from keras_gan_latent.training.config import ANIMATION_FRAMES
from keras_gan_latent.training.ownership import ANIMATION_FILE, CONFIG_FILE, FINAL_FRAME_FILE
from keras_gan_latent.viz import plotting

if TYPE_CHECKING:
    import tensorflow as tf


@dataclasses.dataclass
class Setup:
    """The pieces of one run: the model, what `fit` feeds it, and its view.

    `make_dataset(start_step, num_replicas=1, first_replica=0,
    local_replicas=1)` returns the `tf.data.Dataset` that `fit` is fed from
    training step `start_step` on (for a distributed run: the per-replica
    batches of one input pipeline, see `data.mnist.mnist_dataset`).
    `strategy` is the `tf.distribute.Strategy` the model was built in;
    `config` the resolved `TrainConfig` the run uses (after
    `experiments.prepare`, with its folders). `make_optimizers()` returns
    the keyword arguments of `model.compile` that hold its optimizers (called
    in the strategy's scope). `callbacks` are the run's own Keras callbacks
    (e.g. a self-conditioned GAN's re-clustering), called after the
    summaries and before the checkpoint saver, so a checkpoint holds what
    they changed at its step.
    """

    model: GAN
    make_dataset: Callable
    view: object
    strategy: object = None
    config: object = None
    make_optimizers: Callable = None
    callbacks: tuple = ()


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


def steps_dataset(start_step: int = 0, num_replicas: int = 1, first_replica: int = 0, local_replicas: int = 1) -> tf.data.Dataset:
    """What `GAN.fit` is fed when the GAN draws its real samples itself (`TargetSource`): zeros.

    Each element is one step; `fit(steps_dataset(), steps_per_epoch=n)`
    trains n steps, as `fit(steps_per_epoch=n)` without data does. The
    arguments are those of `Setup.make_dataset` and change nothing here.

    Examples:
        >>> gan.fit(steps_dataset(), steps_per_epoch=1000, epochs=1)
    """
    del start_step, num_replicas, first_replica, local_replicas
    return steps_only_dataset()


def plan_segments(total_steps, steps_per_execution, animate_steps=0, animate_every=1, start_step=0):
    """Splits training into `fit` calls with a fixed `steps_per_execution` each, `total_steps` exactly.

    Keras runs whole executions only (`fit(steps_per_epoch=150)` at 100
    steps per execution trains 200 steps), so a part whose length is not a
    multiple of its execution size ends with a shorter call of its own.
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
        A list of `(num_steps, steps_per_execution)`, each `num_steps` a
        multiple of its execution size, summing to `total_steps - start_step`.
    """
    parts = []
    animate_end = min(animate_steps, total_steps)
    if start_step < animate_end:
        parts.append((animate_end - start_step, math.gcd(animate_every, steps_per_execution)))
    rest_start = max(start_step, animate_end)
    if total_steps > rest_start:
        parts.append((total_steps - rest_start, steps_per_execution))
    segments = []
    for num_steps, execution in parts:
        whole, rest = divmod(num_steps, execution)
        segments += [(whole * execution, execution)] if whole else []
        segments += [(rest, rest)] if rest else []
    return segments


def run(setup, verbose=1):
    """Trains a built run (`experiments.prepare`) and writes its results to `setup.config.run_dir`.

    Writes the run's config (`config.json`), TensorBoard event files,
    checkpoints every `config.checkpoint_every` steps, the final frame
    (`final_frame.png`), the animation (`animation.gif`, with
    `config.animate`) and the generator export. With `config.resume` it
    first restores the run's last good checkpoint and continues from there
    (events written after it are dropped, so no step appears twice). In a
    multi-worker run only the chief writes these files.

    Args:
        setup: The `Setup` of `experiments.prepare(config)`; the run uses
            its resolved `setup.config`.
        verbose: Keras progress bar (1), one line per `fit` call (2) or none (0).

    Returns:
        A `RunResult`.

    Raises:
        TrainingDiverged: at a non-finite loss or weight.
        TrainingInterrupted: at SIGINT/SIGTERM, after saving a checkpoint.
        RunWriteError: when a checkpoint, summary or the export cannot be
            written (a full disk, a vanished folder).
    """
    config = setup.config
    model, strategy = setup.model, setup.strategy
    chief = distribute.is_chief(strategy)
    with strategy.scope():
        model.compile(**setup.make_optimizers(), jit_compile=config.jit_compile)
    # The run folder is marked before anything else is written into it (and a
    # marked folder given with --overwrite loses its previous run's files).
    run_id = ownership.start_run(config) if chief else None
    with distribute.worker_scratch_dir(strategy, config.run_dir) as checkpoint_root:
        manager = checkpoints.checkpoint_manager(model, checkpoint_root, config.keep_checkpoints)
        start_step = 0
        if config.resume:
            # Every worker restores the chief's checkpoint (a shared folder).
            restored = checkpoints.restore_latest(
                checkpoints.checkpoint_manager(model, config.run_dir, config.keep_checkpoints)
            )
            start_step = restored or 0
            if start_step > config.steps:
                raise UserError(
                    f"{config.run_dir!r} is at step {start_step} already; resume it with --steps {start_step} or "
                    f"more (--steps counts from the run's start), not {config.steps}"
                )
            if chief:
                # Killed before its first checkpoint: it starts over, and its
                # step-0 summaries go too (the new start writes them again).
                checkpoints.purge_events_after(config.run_dir, -1 if restored is None else start_step)
        if chief:
            atomic_write_json(os.path.join(config.run_dir, CONFIG_FILE), config.to_dict())
        return _train_from(config, setup, manager, start_step, run_id, verbose)


def _train_from(config, setup, manager, start_step, run_id, verbose):
    """The body of `train` once the model is compiled and restored (`run_id`: the chief's run, else None)."""
    model = setup.model
    chief = run_id is not None
    guard = gan_callbacks.NonFiniteGuard()
    # The guard runs first, so a checkpoint is never taken of a diverged state.
    run_callbacks = [guard]
    animation = None
    animate_steps = 0
    summaries = gan_callbacks.TensorBoardSummaries(
        config.run_dir if chief else None,
        setup.view,
        scalar_every=config.scalar_every,
        image_every=config.image_every,
    )
    if start_step:
        summaries.continue_from(start_step)
    summaries.end_step = config.steps
    run_callbacks.append(summaries)
    if chief and config.animate:
        animation = gan_callbacks.AnimationRecorder(
            setup.view, os.path.join(config.run_dir, ANIMATION_FILE), every=config.animate_every, max_frames=ANIMATION_FRAMES + 1
        )
        run_callbacks.append(animation)
    if config.animate:  # every worker runs the same segments
        animate_steps = ANIMATION_FRAMES * config.animate_every
    run_callbacks.extend(setup.callbacks)
    # Every worker takes part in saving (a collective under multi-worker).
    run_callbacks.append(checkpoints.CheckpointSaver(manager, config.checkpoint_every))

    # Executions land exactly on the summary steps.
    steps_per_execution = math.gcd(config.steps_per_execution, config.scalar_every, config.image_every)
    start = time.perf_counter()
    try:
        segments = plan_segments(config.steps, steps_per_execution, animate_steps, config.animate_every, start_step)
        logs = _fit_segments(model, setup, segments, run_callbacks, guard, verbose, config.run_dir)
    except KeyboardInterrupt:
        # Ctrl-C or SIGTERM lands between executions, when the state is whole.
        step = int(model.global_step.numpy())
        if guard.diverged_at is None and step > start_step:
            checkpoints.save_or_explain(manager, step)
        raise TrainingInterrupted(
            f"interrupted at step {step}; checkpoint saved in {manager.directory}; "
            "run the same command with --resume to continue"
        ) from None
    seconds = time.perf_counter() - start
    if chief:
        _write_results(config, setup, animation, run_id)
    setup.view.close()
    return RunResult(
        run_dir=config.run_dir,
        export_dir=config.export_dir,
        animation_path=animation.path if animation else None,
        steps=int(model.global_step.numpy()) - start_step,
        seconds=seconds,
        final_metrics=logs,
    )


def _write_results(config, setup, animation, run_id):
    """The chief's files at the end of a run: animation, final frame, export (of `model.sampling_generator`).

    The export replaces an existing one only if that is marked as this run's
    (`run_id`: a resumed run exporting again) or with `config.overwrite`.
    """
    model = setup.model
    with checkpoints.explain_write_errors("the final frame, animation and export", config.run_dir):
        if animation:
            animation.write()
        plotting.save_png(
            setup.view.frame(model, int(model.global_step.numpy())),
            os.path.join(config.run_dir, FINAL_FRAME_FILE),
        )
        generator = _plain_generator(model.sampling_generator, setup.strategy)
        endpoints, tracked = model.export_endpoints(generator)
        export.export_generator(
            generator,
            model.latent_prior,
            config.export_dir,
            config.to_dict(),
            overwrite=config.overwrite,
            run_id=run_id,
            endpoints=endpoints,
            tracked=tracked,
        )


def _plain_generator(generator, strategy):
    """The generator outside any distribution strategy, for the export.

    A model built in a strategy's scope holds distributed variables; the
    export gets a copy built outside it with the same weights, so the
    SavedModel is the same whatever strategy trained it.
    """
    if not distribute.is_distributed(strategy):
        return generator
    copy = keras.models.clone_model(generator)
    copy.set_weights(generator.get_weights())
    return copy


def _distributed_dataset(setup, start_step):
    """What `fit` is fed from `start_step` on: one dataset, or one per input pipeline.

    Under a distribution strategy each input pipeline (one per worker)
    yields the slices of each step's global batch that its replicas take,
    so together the replicas see the batch a single device would.
    """
    strategy = setup.strategy
    if not distribute.is_distributed(strategy):
        return setup.make_dataset(start_step)

    def dataset_fn(context):
        local = context.num_replicas_in_sync // context.num_input_pipelines
        return setup.make_dataset(
            start_step,
            num_replicas=context.num_replicas_in_sync,
            first_replica=context.input_pipeline_id * local,
            local_replicas=local,
        )

    return strategy.distribute_datasets_from_function(dataset_fn)


def _fit_segments(model, setup, segments, run_callbacks, guard, verbose, run_dir):
    """Runs `fit` over `plan_segments`' segments; returns the last tracker values.

    Each segment's data starts at the model's current step, so the stream
    of real batches is the same however training is split or resumed.

    Raises:
        TrainingDiverged: when `guard` saw a non-finite loss or weight.
    """
    logs = {}
    for num_steps, segment_spe in segments:
        model.steps_per_execution = segment_spe
        model.train_function = None  # rebuilt by fit for the new execution size
        history = model.fit(
            _distributed_dataset(setup, int(model.global_step.numpy())),
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
