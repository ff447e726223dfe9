#!/usr/bin/env python
"""Train, score and table the latent-dimension sweep: `python scripts/sweep.py`."""

import os
import sys

# Run from a checkout without installing: put the repository root first.
sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from keras_gan_latent.cli.sweep import entry_point  # noqa: E402

if __name__ == "__main__":
    entry_point()
