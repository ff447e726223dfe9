"""The one exception type that means "the user asked for something invalid"."""


class UserError(Exception):
    """A mistake in the user's input: shown as one line, exit status 2, no traceback."""


class TrainingDiverged(UserError):
    """A loss or weight became NaN or infinite: training stopped, nothing was exported."""
