"""The one error a user sees as a single line: bad params, unknown topic, unreadable file."""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:                     # pathlib is not loaded for `drills --help`
    from pathlib import Path


class DrillsError(Exception):
    """A domain error with a one-line message for the user (exit code 1)."""


def reason(err: OSError) -> str:
    """Why a file could not be read or written, in words ('No such file or directory'); some
    OSErrors carry no strerror, and then their text says it."""
    return err.strerror or str(err)


class NotJSON(ValueError):
    """Text that is not JSON; the message says why in a few words."""


def load_json(text: str):
    """json.loads, each failure a NotJSON worded for a user: 'Expecting value at line 1 column 1',
    or 'nested too deeply' for the RecursionError that 100,000 '[' raise."""
    import json       # here, not at start-up: `drills --help` has no use for it

    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise NotJSON(f"{err.msg} at line {err.lineno} column {err.colno}") from None
    except RecursionError:
        raise NotJSON("nested too deeply") from None


def check_writable(path: Path) -> None:
    """Refuse, before any work is done, a path that cannot be written: a folder, a folder that
    does not exist, a read-only place."""
    if path.is_dir():
        raise DrillsError(f"cannot write {path}: it is a folder, not a file")
    if not path.parent.is_dir():
        raise DrillsError(f"cannot write {path}: no directory {path.parent}")
    if not os.access(path if path.exists() else path.parent, os.W_OK):
        raise DrillsError(f"cannot write {path}: {'it' if path.exists() else 'its folder'} is read-only")
