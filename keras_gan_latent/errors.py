"""The one exception type that means "the user asked for something invalid"."""


class UserError(Exception):
    """A mistake in the user's input: shown as one line, exit status 2, no traceback."""
