"""The one error a user sees as a single line: bad params, unknown topic, unreadable file."""


class DrillsError(Exception):
    """A domain error with a one-line message for the user (exit code 1)."""
