#!/usr/bin/env python
"""Sample from an exported generator: `python scripts/sample.py EXPORT_DIR -n 1000 --out samples.npy`."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from keras_gan_latent.cli.sample import entry_point  # noqa: E402

if __name__ == "__main__":
    entry_point()
