#!/usr/bin/env python
"""Train a GAN and export its generator: `python scripts/train.py --latent-dim 2`."""

import os
import sys

# Run from a checkout without installing: put the repository root first.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from keras_gan_latent.cli.train import entry_point  # noqa: E402

if __name__ == "__main__":
    entry_point()
