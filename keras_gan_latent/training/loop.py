"""The training loop: from a `TrainConfig` to event files, a GIF and an export.

`build_setup` turns a config into the pieces of a run (the GAN, the data it
is fed, the view its summaries use). `train` runs it with `fit` and writes
everything next to the run's config. Each kind of data has one builder; the
GAN class, the callbacks and the export are the same for all of them.
"""

import contextlib
import dataclasses
import math
import os
import time
from typing import Callable

import keras
import tensorflow as tf

from keras_gan_latent.training import callbacks as gan_callbacks
from keras_gan_latent.training import checkpoints
from keras_gan_latent.data import priors, targets
from keras_gan_latent.models import mlp
from keras_gan_latent.training import distribute, export
from keras_gan_latent.viz import views
from keras_gan_latent.training.config import ANIMATION_FRAMES
from keras_gan_latent.errors import TrainingDiverged, TrainingInterrupted, UserError
from keras_gan_latent.fileio import atomic_write_json, check_writable_dir
from keras_gan_latent.models.gan import GAN, TargetSource


@dataclasses.dataclass
class Setup:
    """The pieces of one run: the model, what `fit` feeds it, and its view.

    `make_dataset(start_step, num_replicas=1, first_replica=0,
    local_replicas=1)` returns the `tf.data.Dataset` that `fit` is fed from
    training step `start_step` on (for a distributed run: the per-replica
    batches of one input pipeline, see `data.mnist.mnist_dataset`).
    `strategy` is the `tf.distribute.Strategy` the model was built in;
    `config` the resolved `TrainConfig` the run uses (after `prepare`, with
    its folders).
    """

    model: GAN
    make_dataset: Callable
    view: object
    strategy: object = None
    config: object = None


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


def build_toy_setup(config, model_scope=contextlib.nullcontext):
    """Builds the MLP GAN on a low-dimensional target (the article's experiment).

    Args:
        config: A `TrainConfig` (resolved here if it is not yet).
        model_scope: Context the networks and the GAN are built in (the
            distribution strategy's scope and the precision policy).

    Returns:
        A `Setup`. Real samples are drawn from the target inside the compiled
        step, so `fit` is fed a dummy dataset of constants (one per replica).
    """
    config = config.resolved()
    target = targets.get_target(config.target)
    prior = priors.latent_prior(config.prior, config.latent_dim)
    with model_scope():
        keras.utils.set_random_seed(config.seed)
        generator = mlp.mlp_generator(
            config.latent_dim, target.dim, width=config.g_width, depth=config.g_depth
        )
        discriminator = mlp.mlp_discriminator(
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
    return Setup(model=model, make_dataset=steps_dataset, view=view, config=config)


def steps_dataset(start_step=0, num_replicas=1, first_replica=0, local_replicas=1):
    """What `GAN.fit` is fed when the GAN draws its real samples itself (`TargetSource`): zeros.

    Each element is one step; `fit(steps_dataset(), steps_per_epoch=n)`
    trains n steps. The arguments are those of `Setup.make_dataset` and
    change nothing here.

    Example:
        gan.fit(steps_dataset(), steps_per_epoch=1000, epochs=1)
    """
    del start_step, num_replicas, first_replica, local_replicas
    return tf.data.Dataset.from_tensors(tf.zeros([1])).repeat()


def build_mnist_setup(config, model_scope=contextlib.nullcontext):
    """Builds the DCGAN on real MNIST (the seed study's experiment).

    Args:
        config: A `TrainConfig` with `model="dcgan"` (resolved here if it is not yet).
        model_scope: Context the networks and the GAN are built in (the
            distribution strategy's scope and the precision policy); the
            classifier of the mode report stays outside it.

    Returns:
        A `Setup` whose dataset yields `d_steps * batch_size // 2` real
        digits per step in [-1, 1], one half-batch per discriminator step,
        the same digits for the same step in every run with this seed.
    """
    from keras_gan_latent.models import dcgan
    from keras_gan_latent.data import mnist
    from keras_gan_latent.models.gan import DatasetSource

    config = config.resolved()
    x_train, _, x_test, _ = mnist.load_mnist(config.data)
    prior = priors.latent_prior(config.prior, config.latent_dim)
    classifier = None
    if config.mode_report_samples > 0:
        from keras_gan_latent.evaluation.classifier import load_or_train_classifier

        # Loaded before the GAN is seeded: training it (first use on a machine,
        # a few minutes, a line per epoch) reseeds Keras, which must not change
        # the GAN's initial weights.
        classifier = load_or_train_classifier(data_path=config.data, verbose=2).model
    with model_scope():
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
            # The first 25 make the image grid; all of them the mode report.
            num_fixed_latents=max(views.GRID_SIZE**2, config.mode_report_samples),
        )

    def make_dataset(start_step, num_replicas=1, first_replica=0, local_replicas=1):
        return mnist.mnist_dataset(
            x_train,
            config.d_steps * (config.batch_size // 2),
            seed=config.seed,
            start_step=start_step,
            num_replicas=num_replicas,
            first_replica=first_replica,
            local_replicas=local_replicas,
        )

    view = views.GridView(x_test[: views.GRID_SIZE**2], classifier=classifier, reference_images=x_test)
    return Setup(model=model, make_dataset=make_dataset, view=view, config=config)


def build_setup(config, strategy=None):
    """The `Setup` of `config.model`: the toy MLP GAN or the MNIST DCGAN.

    Args:
        config: A `TrainConfig` (resolved here if it is not yet).
        strategy: The `tf.distribute.Strategy` to build the model in
            (default: TensorFlow's current one).

    Returns:
        A `Setup` whose `config` is the resolved one, with a distributed
        run's limits (`TrainConfig.for_distribution`).
    """
    if strategy is None:
        strategy = tf.distribute.get_strategy()
    config = config.resolved()
    builder = build_mnist_setup if config.model == "dcgan" else build_toy_setup
    distribute.check_batch_split(config.batch_size, distribute.num_replicas(strategy))
    if distribute.is_distributed(strategy):
        config = config.for_distribution(gpu=bool(tf.config.list_physical_devices("GPU")))
    if config.deterministic:
        distribute.enable_determinism(config.seed)
    if config.mixed_precision:
        distribute.check_mixed_precision()

    @contextlib.contextmanager
    def model_scope():
        with _precision_policy(config.mixed_precision), strategy.scope():
            yield

    setup = builder(config, model_scope)
    setup.strategy = strategy
    return setup


@contextlib.contextmanager
def _precision_policy(mixed_precision):
    """Builds the networks under Keras' mixed_float16 policy if asked to.

    The networks' last layers are float32 whatever the policy (see
    `networks` and `dcgan`), so logits and images keep full precision.
    """
    if not mixed_precision:
        yield
        return
    previous = keras.config.dtype_policy()
    keras.config.set_dtype_policy("mixed_float16")
    try:
        yield
    finally:
        keras.config.set_dtype_policy(previous)


def prepare(config, strategy=None):
    """Resolves a config completely, folders included, and builds its run, writing nothing.

    Args:
        config: A `TrainConfig`.
        strategy: The `tf.distribute.Strategy` to train under (default: the
            one `config.strategy` names).

    Returns:
        The `Setup`; its `config` is the one the run uses (`config` itself
        is never changed).

    Raises:
        UserError: for any invalid setting, an unwritable logdir or a
            non-empty export dir without `overwrite`.
    """
    config = config.resolved()
    if strategy is None:
        strategy = distribute.make_strategy(config.strategy)
    setup = build_setup(config, strategy)
    config = setup.config.with_run_dir()
    setup.config = config
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
    (events written after it are dropped, so no step appears twice). In a
    multi-worker run only the chief writes these files.

    Args:
        config: A `TrainConfig`.
        verbose: Keras progress bar (1), one line per `fit` call (2) or none (0).
        setup: A `Setup` already built by `prepare(config)`, if any; the run
            uses its resolved `setup.config`.

    Returns:
        A `RunResult`.

    Raises:
        TrainingDiverged: at a non-finite loss or weight.
        TrainingInterrupted: at SIGINT/SIGTERM, after saving a checkpoint.
        RunWriteError: when a checkpoint, summary or the export cannot be
            written (a full disk, a vanished folder).
    """
    if setup is None:
        setup = prepare(config)
    config = setup.config
    model, strategy = setup.model, setup.strategy
    chief = distribute.is_chief(strategy)
    with strategy.scope():
        model.compile(
            _optimizer(config.lr_d, config.beta1_d, config.mixed_precision),
            _optimizer(config.lr_g, config.beta1_g, config.mixed_precision),
            jit_compile=config.jit_compile,
        )
    if chief:
        os.makedirs(config.run_dir, exist_ok=True)
    with distribute.worker_scratch_dir(strategy, config.run_dir) as checkpoint_root:
        manager = checkpoints.checkpoint_manager(model, checkpoint_root, config.keep_checkpoints)
        start_step = 0
        if config.resume:
            # Every worker restores the chief's checkpoint (a shared folder).
            restored = checkpoints.restore_latest(
                checkpoints.checkpoint_manager(model, config.run_dir, config.keep_checkpoints)
            )
            start_step = restored or 0
            if chief:
                # Killed before its first checkpoint: it starts over, and its
                # step-0 summaries go too (the new start writes them again).
                checkpoints.purge_events_after(config.run_dir, -1 if restored is None else start_step)
        if chief:
            atomic_write_json(os.path.join(config.run_dir, "config.json"), config.to_dict())
        return _train_from(config, setup, manager, start_step, chief, verbose)


def _optimizer(learning_rate, beta_1, mixed_precision):
    """Adam, wrapped in a dynamic loss scale under mixed precision."""
    optimizer = keras.optimizers.Adam(learning_rate, beta_1=beta_1)
    if mixed_precision:
        optimizer = keras.optimizers.LossScaleOptimizer(optimizer)
    return optimizer


def _train_from(config, setup, manager, start_step, chief, verbose):
    """The body of `train` once the model is compiled and restored."""
    model = setup.model
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
    run_callbacks.append(summaries)
    if chief and config.animate:
        animation = gan_callbacks.AnimationRecorder(
            setup.view, os.path.join(config.run_dir, "animation.gif"), every=config.animate_every, max_frames=ANIMATION_FRAMES + 1
        )
        run_callbacks.append(animation)
    if config.animate:  # every worker runs the same segments
        animate_steps = ANIMATION_FRAMES * config.animate_every
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
        _write_results(config, setup, animation)
    setup.view.close()
    return RunResult(
        run_dir=config.run_dir,
        export_dir=config.export_dir,
        animation_path=animation.path if animation else None,
        steps=int(model.global_step.numpy()) - start_step,
        seconds=seconds,
        final_metrics=logs,
    )


def _write_results(config, setup, animation):
    """The chief's files at the end of a run: animation, final frame, export."""
    from keras_gan_latent.viz import plotting

    model = setup.model
    with checkpoints.explain_write_errors("the final frame, animation and export", config.run_dir):
        if animation:
            animation.write()
        plotting.save_png(
            setup.view.frame(model, int(model.global_step.numpy())),
            os.path.join(config.run_dir, "final_frame.png"),
        )
        export.export_generator(
            _plain_generator(model.generator, setup.strategy),
            model.latent_prior,
            config.export_dir,
            config.to_dict(),
            overwrite=config.overwrite or config.resume,
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
