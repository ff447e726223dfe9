"""What every command-line program shares: one-line errors and quiet TensorFlow."""

import argparse
import os
import sys

from keras_gan_latent.errors import UserError


class ArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line (no usage block), exit status 2."""

    def error(self, message):
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        sys.exit(2)


def quiet_tensorflow():
    """Hides TensorFlow's start-up chatter (info and warnings) unless the user set a level."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def run(main, prog, argv=None):
    """Runs `main(argv)`, turning a `UserError` into one line and its exit status (2).

    Args:
        main: The program's main function, returning an exit status.
        prog: Program name used in error lines.
        argv: Arguments (default: `sys.argv[1:]`).

    Returns:
        The exit status.
    """
    try:
        return main(argv)
    except UserError as exc:
        sys.stderr.write(f"{prog}: error: {exc}\n")
        return exc.exit_code
