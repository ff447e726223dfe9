"""Install keras_gan_latent: `pip install -e .` (add `[test]` for the test suite)."""

from setuptools import find_packages, setup

setup(
    name="keras_gan_latent",
    version="0.1.0",
    description="What the latent dimension of a GAN does to what it learns: train, watch, measure, export.",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    python_requires=">=3.10",
    packages=find_packages(include=["keras_gan_latent", "keras_gan_latent.*"]),
    # PEP 561: the public API carries type hints.
    package_data={"keras_gan_latent": ["py.typed", "experiments/config.pyi"]},
    install_requires=[
        "tensorflow==2.21.*",
        # tfp 0.25 imports tf_keras even for tfp.distributions.
        "tensorflow-probability==0.25.*",
        "tf-keras==2.21.*",
        "keras>=3.15,<4",
        # TF 2.21 no longer pulls in TensorBoard: the CLI, event reading and hparams need it.
        "tensorboard>=2.21,<2.22",
        "numpy>=1.26",
        "scipy>=1.11",
        "matplotlib>=3.8",
        "pillow>=10",
    ],
    extras_require={
        "test": [
            "pytest>=8",
            # tests/experiments/test_config_stub.py checks what a type checker sees of TrainConfig.
            "mypy>=1.10",
            # The documentation site: tests/test_docs.py runs `mkdocs build --strict`.
            "mkdocs>=1.6,<2",
            "mkdocs-material>=9.5,<10",
            "mkdocstrings[python]>=1,<2",
            "mkdocstrings-python>=2,<3",
        ]
    },
    entry_points={
        "console_scripts": [
            "kgl-train=keras_gan_latent.cli.train:entry_point",
            "kgl-sample=keras_gan_latent.cli.sample:entry_point",
            "kgl-evaluate=keras_gan_latent.cli.evaluate:entry_point",
            "kgl-sweep=keras_gan_latent.cli.sweep:entry_point",
            "kgl-interpolate=keras_gan_latent.cli.interpolate:entry_point",
            "kgl-train-classifier=keras_gan_latent.cli.train_classifier:entry_point",
            "kgl-results-pages=keras_gan_latent.cli.results_pages:entry_point",
        ]
    },
)
