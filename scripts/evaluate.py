#!/usr/bin/env python
"""Score a generator against its target: `python scripts/evaluate.py SOURCE --target NAME`."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from keras_gan_latent.cli.evaluate import entry_point  # noqa: E402

if __name__ == "__main__":
    entry_point()
