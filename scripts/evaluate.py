#!/usr/bin/env python
"""Score a generator against its target: `python scripts/evaluate.py SOURCE --target NAME`.

The program of `kgl-evaluate`; it imports the installed package (README: `pip install -e ".[test]"`).
"""

from keras_gan_latent.cli.evaluate import entry_point

if __name__ == "__main__":
    entry_point()
