#!/usr/bin/env python
"""Train (or report the cached) MNIST classifier: `python scripts/train_classifier.py`.

The program of `kgl-train-classifier`; it imports the installed package (README: `pip install -e ".[test]"`).
"""

from keras_gan_latent.cli.train_classifier import entry_point

if __name__ == "__main__":
    entry_point()
