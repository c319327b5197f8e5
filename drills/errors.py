"""The one error a user sees as a single line: bad params, unknown topic, unreadable file."""


class DrillsError(Exception):
    """A domain error with a one-line message for the user (exit code 1)."""


def reason(err: OSError) -> str:
    """Why a file could not be read or written, in words ('No such file or directory'); some
    OSErrors carry no strerror, and then their text says it."""
    return err.strerror or str(err)
