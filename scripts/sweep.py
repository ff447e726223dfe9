#!/usr/bin/env python
"""Train, score and table the latent-dimension sweep: `python scripts/sweep.py`.

The program of `kgl-sweep`; it imports the installed package (README: `pip install -e ".[test]"`).
"""

from keras_gan_latent.cli.sweep import entry_point

if __name__ == "__main__":
    entry_point()
