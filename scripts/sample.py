#!/usr/bin/env python
"""Sample from an exported generator: `python scripts/sample.py EXPORT_DIR -n 1000 --out samples.npy`.

The program of `kgl-sample`; it imports the installed package (README: `pip install -e ".[test]"`).
"""

from keras_gan_latent.cli.sample import entry_point

if __name__ == "__main__":
    entry_point()
