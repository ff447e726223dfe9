"""Argument types the DCGAN quality programs share (argparse `type=` callables)."""

import argparse


def name_and_path(what):
    """A type parsing NAME=<what> into `(name, path)`, e.g. `name_and_path("RUN_DIR")`."""

    def parse(text):
        name, sep, path = text.partition("=")
        if not (name and sep and path):
            raise argparse.ArgumentTypeError(f"expected NAME={what}, got {text!r}")
        return name, path

    return parse


def number_list(low, high=None):
    """A type parsing comma-separated numbers, each > `low` and (if given) <= `high`, into a list of floats."""

    def parse(text):
        try:
            values = [float(v) for v in text.split(",")]
        except ValueError:
            values = []
        if not values or any(not (v > low and (high is None or v <= high)) for v in values):
            bounds = f"> {low:g}" + ("" if high is None else f" and <= {high:g}")
            raise argparse.ArgumentTypeError(f"expected comma-separated numbers {bounds}, got {text!r}")
        return values

    return parse


def add_dir_argument(parser):
    """Adds `--dir`, the folder a program reads its inputs from and writes its results to."""
    from keras_gan_latent.dcgan_quality import DEFAULT_DIR

    parser.add_argument("--dir", default=DEFAULT_DIR, help=f"the results folder (default: {DEFAULT_DIR})")
