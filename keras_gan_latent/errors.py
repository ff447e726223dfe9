"""The one exception type that means "the user asked for something invalid"."""


def first_line(exc):
    """The first line of an exception's message (its type name if empty), for one-line errors."""
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


class UserError(Exception):
    """A mistake in the user's input: shown as one line, exit status 2, no traceback."""

    exit_code = 2


class TrainingDiverged(UserError):
    """A loss or weight became NaN or infinite: training stopped, nothing was exported."""


class TrainingInterrupted(UserError):
    """SIGINT or SIGTERM stopped training after a checkpoint was saved."""

    exit_code = 130  # the shell's convention for a run stopped by a signal


class RunWriteError(UserError):
    """A run could not write a file (a full disk, a vanished folder); its last checkpoint is intact."""

    exit_code = 3
