"""Shared test set-up: quiet TensorFlow, this checkout's programs in child processes, event-file reading."""

import collections
import glob
import os
import sys

import pytest

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def checkout_env(base=None, **variables):
    """The environment of a child process that must run this checkout's package (a `scripts/*.py`, a worker).

    The package is installed, but the installed copy need not be the one
    under test (another worktree, an older install): the child's PYTHONPATH
    leads with the checkout, so it imports the code this test run tests.

    Args:
        base: The environment to start from (default: this process's).
        **variables: Further variables to set.

    Returns:
        A new dict.
    """
    env = dict(os.environ if base is None else base, **variables)
    env["PYTHONPATH"] = os.pathsep.join([ROOT, *filter(None, [env.get("PYTHONPATH")])])
    return env


def script(name):
    """The command that runs `scripts/<name>.py` (run it with `checkout_env()`)."""
    return [sys.executable, os.path.join(ROOT, "scripts", f"{name}.py")]


# The keys of every config.json written so far (`TrainConfig.to_dict`'s order):
# runs, exports and sweeps read them back.
CONFIG_JSON_KEYS = [
    "model", "arch", "data", "target", "latent_dim", "prior", "steps", "batch_size", "d_steps", "loss",
    "r1", "label_smoothing", "spectral_norm", "ema", "pack", "latent_code", "info_weight", "lr_g", "lr_d", "beta1_g", "beta1_d", "lr", "beta", "kl_warmup", "g_width", "g_depth", "d_width", "d_depth", "seed", "logdir",
    "run_dir", "export_dir", "overwrite", "scalar_every", "image_every", "animate", "animate_every",
    "steps_per_execution", "checkpoint_every", "keep_checkpoints", "resume", "jit_compile",
    "num_fixed_latents", "mode_report_samples", "deterministic", "strategy", "mixed_precision",
    "source", "translator_noise", "cycle_weight", "identity_weight", "bfloat16", "clusters", "recluster_every", "digit_arch",
]


def read_event_steps(run_dir):
    """Reads every event file in `run_dir`; returns {tag: sorted list of steps}."""
    import tensorflow as tf

    steps = collections.defaultdict(list)
    for path in sorted(glob.glob(os.path.join(run_dir, "events.out.tfevents.*"))):
        for event in tf.compat.v1.train.summary_iterator(path):
            for value in event.summary.value:
                steps[value.tag].append(int(event.step))
    return {tag: sorted(s) for tag, s in steps.items()}


def read_event_scalars(run_dir, tag):
    """Returns [(step, value)] of one scalar tag written by tf.summary.scalar."""
    import tensorflow as tf

    values = []
    for path in sorted(glob.glob(os.path.join(run_dir, "events.out.tfevents.*"))):
        for event in tf.compat.v1.train.summary_iterator(path):
            for value in event.summary.value:
                if value.tag == tag:
                    values.append((int(event.step), float(tf.make_ndarray(value.tensor))))
    return sorted(values)


def read_event_image_sizes(run_dir):
    """Returns {tag: (width, height)} of the images written by tf.summary.image (the last of each tag)."""
    import tensorflow as tf

    sizes = {}
    for path in sorted(glob.glob(os.path.join(run_dir, "events.out.tfevents.*"))):
        for event in tf.compat.v1.train.summary_iterator(path):
            for value in event.summary.value:
                if value.metadata.plugin_data.plugin_name == "images":
                    width, height = tf.make_ndarray(value.tensor)[:2]
                    sizes[value.tag] = (int(width), int(height))
    return sizes


@pytest.fixture(scope="module")
def mnist():
    """`load_mnist()`: (x_train, y_train, x_test, y_test), uint8 digits and their labels."""
    from keras_gan_latent.data.mnist import load_mnist

    return load_mnist()


@pytest.fixture(scope="module")
def classifier():
    """The cached MNIST classifier (trained silently on a machine's first use)."""
    from keras_gan_latent.models.classifier import load_or_train_classifier

    return load_or_train_classifier(verbose=0).model


@pytest.fixture(scope="module")
def toy_export(tmp_path_factory):
    """An untrained 2-D MLP generator of the eight-Gaussians ring, exported as train.py would."""
    from keras_gan_latent.data import priors
    from keras_gan_latent.models import mlp
    from keras_gan_latent.training.export import export_generator

    path = str(tmp_path_factory.mktemp("exports") / "toy")
    config = {"model": "mlp", "target": "eight_gaussians", "latent_dim": 2, "prior": "normal"}
    export_generator(mlp.mlp_generator(2, 2), priors.latent_prior("normal", 2), path, config)
    return path


def conditional_gan(latent_dim=3, seed=0, batch_size=16, d_steps=1, num_fixed_latents=30, arch="light",
                    spectral_norm=False, **options):
    """An untrained class-conditional DCGAN on MNIST's ten classes (seeded); `options`: further `GAN` arguments."""
    import keras

    from keras_gan_latent.data import priors
    from keras_gan_latent.models import cgan
    from keras_gan_latent.models.conditioning import ClassLabels
    from keras_gan_latent.models.gan import GAN

    keras.utils.set_random_seed(seed)
    return GAN(
        cgan.conditional_dcgan_generator(latent_dim, arch),
        cgan.conditional_dcgan_discriminator(arch, spectral_norm=spectral_norm),
        priors.latent_prior("normal", latent_dim),
        batch_size=batch_size,
        d_steps=d_steps,
        seed=seed,
        num_fixed_latents=num_fixed_latents,
        conditioning=ClassLabels(cgan.NUM_CLASSES),
        **options,
    )


# Tests that use one of these fixtures train real runs first: they are `slow`.
SLOW_FIXTURES = frozenset({"finished_sweep", "finished_dcgan_sweep", "trained_run", "uniform_export"})


def pytest_collection_modifyitems(items):
    """Marks every test that uses a trained-run fixture as slow (see pytest.ini)."""
    import pytest

    for item in items:
        if SLOW_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)
