"""benchmarks: the command that runs a program of the package in a child process, and interleaved timing."""

import subprocess

from conftest import ROOT

from keras_gan_latent.benchmarks import program


def test_program_runs_a_module_of_the_package_as_a_child_process():
    command = program("keras_gan_latent.cli.train")
    assert command[1:] == ["-m", "keras_gan_latent.cli.train"]
    done = subprocess.run(command + ["--help"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and "--latent-dim" in done.stdout, done.stderr


def test_interleaved_rates_times_every_model_once_per_block():
    import keras
    import numpy as np
    import tensorflow as tf

    from keras_gan_latent.benchmarks import interleaved_rates

    dataset = tf.data.Dataset.from_tensors((np.ones((4, 3), np.float32), np.zeros((4, 1), np.float32))).repeat()
    models = {}
    for name in ("a", "b"):
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        model.compile("sgd", "mse")
        models[name] = (model, dataset)
    rates = interleaved_rates(models, steps=2, blocks=3)
    assert list(rates) == ["a", "b"] and all(len(r) == 3 and min(r) > 0 for r in rates.values()), rates
    assert all(int(model.optimizer.iterations.numpy()) == 2 * (1 + 3) for model, _ in models.values())  # traced + 3 blocks
