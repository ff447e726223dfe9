#!/usr/bin/env python
"""Latent interpolation and inversion for an MNIST export: `python scripts/interpolate.py EXPORT_DIR --out DIR`.

The program of `kgl-interpolate`; it imports the installed package (README: `pip install -e ".[test]"`).
"""

from keras_gan_latent.cli.interpolate import entry_point

if __name__ == "__main__":
    entry_point()
