#!/usr/bin/env python
"""Latent interpolation and inversion for an MNIST export: `python scripts/interpolate.py EXPORT_DIR --out DIR`."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from keras_gan_latent.cli.interpolate import entry_point  # noqa: E402

if __name__ == "__main__":
    entry_point()
