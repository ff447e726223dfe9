"""A worker process for the distribution tests (run as a script, not collected).

    python tests/training/distributed_worker.py mirrored-equivalence OUT.json [--ema M]
    python tests/training/distributed_worker.py train STRATEGY RUN_DIR WEIGHTS.npz [--logical-cpus N] [--ema M]

Logical CPU devices must be configured before TensorFlow initialises its
devices, which is why these checks run in fresh processes. The worker imports
the installed package; test_distribute.py starts it with `checkout_env()`, so
that is the checkout under test.
"""

import json
import os
import sys
import threading

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def split_cpu(num_devices):
    """Splits the CPU into `num_devices` logical devices (before TF uses it)."""
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * num_devices)
    return [d.name for d in tf.config.list_logical_devices("CPU")]


def mirrored_equivalence(out_path, *options):
    """Trains the same GAN on the same inputs on one device and on two replicas.

    Real samples and latents are fed (not drawn), so both runs see the same
    global batches; SGD (not Adam, which hides a wrong gradient scale) makes
    the weights sensitive to how per-replica gradients are combined. With
    `--ema M` the GAN keeps its generator's weight average, whose weights
    (each replica's copy) are recorded too.
    """
    ema = float(options[options.index("--ema") + 1]) if "--ema" in options else 0.0
    devices = split_cpu(2)
    import keras
    import numpy as np
    import tensorflow as tf

    from keras_gan_latent.data import priors
    from keras_gan_latent.models import mlp
    from keras_gan_latent.models.gan import GAN

    batch, latent_dim, steps = 64, 3, 5

    # MirroredStrategy traces its replicas in parallel threads: each keeps
    # its own batch.
    fed = threading.local()

    class FedGAN(GAN):
        """A GAN whose latents come from the fed data, like its real samples."""

        def train_step(self, data):
            fed.data = data
            return super().train_step(data)

        def sample_latents(self, num_samples, seed):
            if num_samples == fed.data["z_d"].shape[0]:
                return fed.data["z_d"]
            return tf.reshape(fed.data["z_g"], [-1, latent_dim])  # two per element

    class FedReal:
        def draw(self, data, index, num_samples, seed):
            return data["real"]

    # One element per real sample, carrying its D latent and two G latents:
    # every component then has the same batch size, which is what
    # tf.distribute splits between replicas.
    rng = np.random.default_rng(0)
    n = steps * batch // 2
    feeds = {
        "real": rng.normal(size=(n, 2)).astype("float32"),
        "z_d": rng.normal(size=(n, latent_dim)).astype("float32"),
        "z_g": rng.normal(size=(n, 2, latent_dim)).astype("float32"),
    }
    dataset = tf.data.Dataset.from_tensor_slices(feeds).batch(batch // 2)

    def build():
        keras.utils.set_random_seed(1)
        model = FedGAN(
            mlp.mlp_generator(latent_dim, 2, width=16, depth=2),
            mlp.mlp_discriminator(2, width=16, depth=2),
            priors.latent_prior("normal", latent_dim),
            FedReal(),
            batch_size=batch,
            num_fixed_latents=10,
            ema=ema,
        )
        model.compile(keras.optimizers.SGD(0.5), keras.optimizers.SGD(0.5))
        return model

    results = {}
    for name, strategy in [
        ("single", tf.distribute.get_strategy()),
        ("mirrored", tf.distribute.MirroredStrategy(devices[:2])),
    ]:
        with strategy.scope():
            model = build()
        history = model.fit(dataset, epochs=1, verbose=0, shuffle=False)
        results[name] = {
            "replicas": int(strategy.num_replicas_in_sync),
            "losses": {k: [float(x) for x in v] for k, v in history.history.items()},
            "weights": [w.tolist() for w in model.generator.get_weights() + model.discriminator.get_weights()],
            "global_step": int(model.global_step.numpy()),
        }
        if ema:
            results[name]["average"] = [w.tolist() for w in model.generator_average.get_weights()]
            results[name]["average_per_replica"] = [
                [component.numpy().tolist() for component in strategy.experimental_local_results(w.value)]
                for w in model.generator_average.weights
            ]
    with open(out_path, "w") as f:
        json.dump(results, f)


def train(strategy_name, run_dir, weights_path, *options):
    """Trains a small toy GAN through `experiments.train` and saves its final weights."""
    if "--logical-cpus" in options:
        split_cpu(int(options[options.index("--logical-cpus") + 1]))
    import numpy as np

    from keras_gan_latent import experiments
    from keras_gan_latent.training import distribute
    from keras_gan_latent.experiments.config import TrainConfig

    strategy = distribute.make_strategy(strategy_name)
    model_name = "dcgan" if "--dcgan" in options else "mlp"
    # Small networks (the MLP's sizes are settings, the DCGAN's its arch); no mode report.
    if model_name == "mlp":
        per_model = dict(g_width=32, d_width=32, g_depth=2, d_depth=2, num_fixed_latents=200)
    else:
        per_model = dict(mode_report_samples=0)
    config = TrainConfig(
        model=model_name,
        latent_dim=2,
        steps=40,
        batch_size=64 if model_name == "mlp" else 16,
        **per_model,
        run_dir=run_dir,
        strategy=strategy_name,
        scalar_every=10,
        image_every=20,
        checkpoint_every=20,
        overwrite=True,
        jit_compile=False if "--no-jit" in options else None,
        ema=float(options[options.index("--ema") + 1]) if "--ema" in options else 0.0,
        steps_per_execution=int(options[options.index("--spe") + 1]) if "--spe" in options else 10,
    )
    setup = experiments.prepare(config, strategy)
    result = experiments.train(config, verbose=0, setup=setup)
    model = setup.model
    # Trainable weights: BatchNorm's moving statistics are per replica (each
    # averages its own batches), as in TensorFlow's unsynchronised BatchNorm.
    trainable = model.generator.trainable_weights + model.discriminator.trainable_weights
    extra = {}
    if model.generator_average is not None:  # how far the export is from the average and from G
        import tensorflow as tf

        sampler = tf.saved_model.load(setup.config.export_dir)
        z = tf.random.stateless_normal([64, 2], seed=[3, 4])
        exported = sampler.generate(z)["x"].numpy()
        extra["export_vs_average"] = np.abs(exported - model.generator_average(z).numpy()).max()
        extra["export_vs_generator"] = np.abs(exported - model.generator(z).numpy()).max()
    np.savez(
        weights_path,
        *(w.numpy() for w in trainable),
        **extra,
        chief=distribute.is_chief(strategy),
        replicas=distribute.num_replicas(strategy),
        steps=result.steps,
        d_loss=result.final_metrics["d_loss"],
    )


if __name__ == "__main__":
    command, *args = sys.argv[1:]
    {"mirrored-equivalence": mirrored_equivalence, "train": train}[command](*args)
