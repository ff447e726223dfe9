"""What every command-line program shares: one-line errors, quiet TensorFlow and `--verbose`."""

import argparse
import contextlib
import copy
import importlib.abc
import importlib.util
import os
import re
import sys
import tempfile

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

    Every program gets `--verbose`: `parse_args` hides TensorFlow's start-up
    lines (`quiet_tensorflow`) unless it is given. An argument's help may be
    a callable returning the text: it runs only for `--help`, so an expensive
    help text does not slow down the rejection of bad input.
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("formatter_class", _LazyHelpFormatter)
        super().__init__(*args, **kwargs)
        self.add_argument(
            "--verbose", action="store_true",
            help="show TensorFlow's C++ log lines (hidden by default: its start-up notices on oneDNN, CUDA, cuInit, ...)",
        )

    def add_setting(self, declared, default=argparse.SUPPRESS, help=None):
        """Adds the flag of a declared run setting: its flag, type and help derive from the declaration.

        Args:
            declared: The setting's `training.config.Setting` (`experiments.config.SETTINGS_BY_NAME`).
            default: The value when the flag is left out (default: absent
                from the parsed arguments, so a config takes the declared default).
            help: Help text instead of the declaration's (a string, or a callable returning it).
        """
        if declared.type is bool:  # a switch; a `--no-...` flag stores False
            value = dict(action="store_const", const=not declared.flag.startswith("--no-"))
        else:
            value = dict(type=declared.type)
        self.add_argument(declared.flag, dest=declared.name, default=default, help=help or declared.help_text, **value)

    def parse_args(self, args=None, namespace=None):
        """Parses `args` and, unless `--verbose`, hides TensorFlow's start-up lines (`quiet_tensorflow`)."""
        parsed = super().parse_args(args, namespace)
        quiet_tensorflow(parsed.verbose)
        return parsed

    def error(self, message):
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        sys.exit(2)


# What TensorFlow writes to the process's stderr while it loads and looks for
# devices, before (or regardless of) Python's logging: the C++ INFO and
# WARNING lines (oneDNN, cudart, CPU features), absl's note on them, and on a
# machine without a GPU the CUDA errors ("failed call to cuInit").
_START_UP_LINE = re.compile(
    r"WARNING: All log messages before absl::InitializeLog\(\) is called are written to STDERR"
    r"|[IW]\d{4} [\d:.]+ +\d+ [\w.-]+:\d+\] "
    r"|E\d{4} [\d:.]+ +\d+ [\w.-]+:\d+\] .*(cuInit|CUDA|cuda|cuDNN|cuFFT|cuBLAS)"
    r"|To enable the following instructions: .* rebuild TensorFlow"
)


def quiet_tensorflow(verbose=False):
    """Hides TensorFlow's start-up lines in this process, unless `verbose`.

    Sets `TF_CPP_MIN_LOG_LEVEL=3` (unless the user set a level), which hides
    TensorFlow's C++ log lines once its logging is set up (info, warnings
    and errors such as "oneDNN supports DT_INT32 only on platforms with
    AVX-512" at the first op: a real failure still raises in Python), and
    arranges that the first `import tensorflow`, wherever it happens, runs
    with the process's stderr captured, together with the device search
    (where CUDA's errors come from): the lines TensorFlow writes before its
    logging is set up (`_START_UP_LINE`) are dropped, everything else is
    written through. Nothing is imported now, so bad input is still refused
    before TensorFlow loads.

    Args:
        verbose: Show everything (the `--verbose` flag): changes nothing.
    """
    if verbose:
        return
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    if "tensorflow" not in sys.modules and not any(isinstance(f, _QuietImport) for f in sys.meta_path):
        sys.meta_path.insert(0, _QuietImport())


class _QuietImport(importlib.abc.MetaPathFinder):
    """Finds `tensorflow` once, for a loader that imports it with its start-up lines filtered out."""

    def find_spec(self, name, path=None, target=None):
        if name != "tensorflow":
            return None
        sys.meta_path.remove(self)  # once: the real finders take it from here
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.loader is not None:
            spec.loader = _QuietLoader(spec.loader)
        return spec


class _QuietLoader(importlib.abc.Loader):
    """Runs TensorFlow's module and its device search with `_start_up_lines_dropped`."""

    def __init__(self, loader):
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module):
        with _start_up_lines_dropped():
            self.loader.exec_module(module)
            module.config.list_physical_devices()  # where a GPU-less machine reports CUDA's errors
        module.__loader__ = module.__spec__.loader = self.loader


@contextlib.contextmanager
def _start_up_lines_dropped():
    """Captures the process's stderr (file descriptor 2); then writes it through, less `_START_UP_LINE` lines."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as captured:
        os.dup2(captured.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            captured.seek(0)
            lines = captured.read().decode(errors="replace").splitlines(keepends=True)
            kept = "".join(line for line in lines if not _START_UP_LINE.match(line))
            if kept:
                sys.stderr.write(kept)
                sys.stderr.flush()


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
