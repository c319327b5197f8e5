"""Text files as editors save them: UTF-8 (with or without a byte-order mark), UTF-16 with one
(Windows' "Unicode", and PowerShell's `>`), or else Windows-1252 (Notepad's "ANSI"). Every file
drills reads is read so: answer sheets, rosters, problems, params, exports, piped answers."""
from __future__ import annotations

import codecs
import sys

ENCODINGS = "UTF-8, UTF-16 or Windows-1252"


def decode_text(data: bytes) -> str:
    """The text of a file's bytes; a UnicodeDecodeError when they are in none of ENCODINGS."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\0" in data:                               # binary: every byte is some Windows-1252 letter
        at = data.index(b"\0")
        raise UnicodeDecodeError("utf-8", data, at, at + 1, "a NUL byte, so not text")
    return data.decode("utf-8-sig", errors=_WINDOWS_1252)


def _as_windows_1252(err: UnicodeDecodeError) -> tuple[str, int]:
    """Bytes that are not UTF-8 read as Windows-1252: all of a Notepad "ANSI" file's accents, or
    the en dash pasted from a spreadsheet into an otherwise UTF-8 roster (José stays José)."""
    return err.object[err.start:err.end].decode("cp1252"), err.end


_WINDOWS_1252 = "drills.windows-1252"
codecs.register_error(_WINDOWS_1252, _as_windows_1252)


def read_bytes(path: str, limit: int = -1) -> bytes:
    """A file's bytes, or stdin's for "-": at most `limit` of them (all when -1)."""
    if path == "-":
        stream = getattr(sys.stdin, "buffer", None)
        return stream.read(limit) if stream else sys.stdin.read(limit).encode()
    with open(path, "rb") as file:
        return file.read(limit)


def open_text(path: str, newline: str | None = None):
    """A file opened as decode_text reads it, for one too large to hold at once: a UnicodeDecodeError
    when its first 64 KiB hold a NUL byte (a spreadsheet, a zip, an image)."""
    with open(path, "rb") as file:
        head = file.read(1 << 16)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return open(path, encoding="utf-16", newline=newline)
    if b"\0" in head:
        at = head.index(b"\0")
        raise UnicodeDecodeError("utf-8", head, at, at + 1, "a NUL byte, so not text")
    return open(path, encoding="utf-8-sig", errors=_WINDOWS_1252, newline=newline)


def read_text(path: str) -> str:
    """A file's text, or stdin's for "-"; a UnicodeDecodeError when it is in none of ENCODINGS."""
    return decode_text(read_bytes(path))
