#!/usr/bin/env python
"""Train a GAN and export its generator: `python scripts/train.py --latent-dim 2`.

The program of `kgl-train`; it imports the installed package (README: `pip install -e ".[test]"`).
"""

from keras_gan_latent.cli.train import entry_point

if __name__ == "__main__":
    entry_point()
