"""Text files as editors save them: UTF-8 (with or without a byte-order mark), UTF-16 with one
(Windows' "Unicode"), or else Windows-1252 (Notepad's "ANSI"). Answer sheets are read so."""
from __future__ import annotations

ENCODINGS = "UTF-8, UTF-16 or Windows-1252"


def decode_text(data: bytes) -> str:
    """The text of a file's bytes; a UnicodeDecodeError when they are in none of ENCODINGS."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\0" in data:                               # binary: every byte is some Windows-1252 letter
        at = data.index(b"\0")
        raise UnicodeDecodeError("utf-8", data, at, at + 1, "a NUL byte, so not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252")
