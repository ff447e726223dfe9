"""What every command-line program shares: one-line errors and quiet TensorFlow."""

import argparse
import copy
import os
import sys

from keras_gan_latent.errors import UserError


class _LazyHelpFormatter(argparse.HelpFormatter):
    """Help text given as a callable is computed when help is printed (it may import TensorFlow)."""

    def _format_action(self, action):
        if callable(action.help):
            action = copy.copy(action)
            action.help = action.help()
        return super()._format_action(action)


class ArgumentParser(argparse.ArgumentParser):
    """An argparse parser whose errors are one line (no usage block), exit status 2.

    An argument's help may be a callable returning the text: it runs only
    for `--help`, so a help text that needs the experiments' defaults does
    not slow down (or clutter with TensorFlow's start-up lines) the
    rejection of bad input.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _LazyHelpFormatter)
        super().__init__(*args, **kwargs)

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
