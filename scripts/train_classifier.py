#!/usr/bin/env python
"""Train (or report the cached) MNIST classifier: `python scripts/train_classifier.py`."""

import os
import sys

# Run from a checkout without installing: put the repository root first.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from keras_gan_latent.cli.train_classifier import entry_point  # noqa: E402

if __name__ == "__main__":
    entry_point()
