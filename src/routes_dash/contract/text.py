"""A file's bytes as text, whatever a user's spreadsheet saved, or a `DataError` saying why not.

Every file the dashboard reads goes through here: the contract's tables, the geocache and the
curated places. The size is checked before anything is read; UTF-8 (with or without a
byte-order mark) and UTF-16 (a spreadsheet's "Unicode text", with or without one) are read;
anything else is named for what it is, with the row where it goes wrong.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

import numpy as np

from routes_dash.contract import schema
from routes_dash.contract.problems import DataError, Problem

Source = str | Path | bytes

# Characters that show nothing, or change how the text around them shows: control characters
# (but tab and line breaks), format characters (zero-width spaces and joiners, bidirectional
# overrides and isolates, the soft hyphen, tags), line and paragraph separators, and letters
# that draw as blanks (Hangul fillers, variation selectors). With one of them two people,
# places or sources can look identical and be different, or a name can show reversed.
_INVISIBLE_RANGES = (
    (0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0x7F, 0x9F), (0xAD, 0xAD), (0x34F, 0x34F),
    (0x600, 0x605), (0x61C, 0x61C), (0x6DD, 0x6DD), (0x70F, 0x70F), (0x890, 0x891),
    (0x8E2, 0x8E2), (0x115F, 0x1160), (0x17B4, 0x17B5), (0x180B, 0x180F), (0x200B, 0x200F),
    (0x2028, 0x202E), (0x2060, 0x206F), (0x3164, 0x3164), (0xFE00, 0xFE0F), (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0), (0xFFF9, 0xFFFB), (0x110BD, 0x110BD), (0x110CD, 0x110CD),
    (0x13430, 0x1343F), (0x1BCA0, 0x1BCA3), (0x1D173, 0x1D17A), (0xE0000, 0xE0FFF),
)
# Literal characters, not escapes: the same class works in Python's `re` and in pyarrow's RE2
# (which pandas uses for `str.contains` on its string columns).
INVISIBLE_CLASS = "[" + "".join(
    chr(low) if low == high else f"{chr(low)}-{chr(high)}" for low, high in _INVISIBLE_RANGES
) + "]"
INVISIBLE = re.compile(INVISIBLE_CLASS)
# Every byte an invisible character's UTF-8 starts with: a text without any of them has none,
# which a byte scan tells ten times faster than the pattern.
_INVISIBLE_LEADS = bytes(sorted({chr(code).encode("utf-8", "surrogatepass")[0]
                                 for low, high in _INVISIBLE_RANGES
                                 for code in range(low, high + 1)}))
_OTHER_BYTES = bytes(b for b in range(256) if b not in _INVISIBLE_LEADS)
# Past this many characters that could be invisible, `has_invisible` searches the whole text
# instead of checking each.
_MOST_CHECKED_APART = 50_000

# UTF-16 without a byte-order mark: text in Latin letters, digits and commas has a zero byte
# in every other place. At least this share of them in the file's start, and none in the
# other places, is taken as UTF-16.
_UTF16_SAMPLE = 4096
_UTF16_ZEROS = 0.3


class Decoded(NamedTuple):
    """A file's text, and the same text as UTF-8 bytes: the file's own bytes when it is UTF-8
    (without its byte-order mark), so what reads bytes (pyarrow, a scan of the bytes) is not
    given the whole text encoded again (12 ms for 100,000 legs with accented names)."""

    text: str
    utf8: bytes


def read_text(source: Source, name: str) -> str:
    """The text of a file given as a path or as bytes. Raises `DataError` for a file too
    large, missing, binary, or in an encoding other than UTF-8 or UTF-16."""
    return read_decoded(source, name).text


def read_decoded(source: Source, name: str) -> Decoded:
    """`read_text`'s text, with its UTF-8 bytes."""
    return _decode(_read_bytes(source, name), name)


def has_invisible(text: str | bytes) -> bool:
    """Whether `text` (or its UTF-8 bytes) holds an invisible character."""
    data = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
    leads = set(data.translate(None, _OTHER_BYTES))
    if not leads:
        return False
    # Only a character that starts with one of those bytes can be invisible, and a file
    # repeats a few of them: each distinct one is checked once. Typographic quotes and
    # dashes start with one (0xE2); the pattern over a whole file of 100,000 legs that has
    # them took 130 ms. A text full of such characters (Japanese, say) is searched whole.
    byte = np.frombuffer(data, dtype=np.uint8)
    starts = np.concatenate([np.flatnonzero(byte == lead) for lead in leads])
    if len(starts) > _MOST_CHECKED_APART:
        return INVISIBLE.search(data.decode("utf-8", "surrogatepass")) is not None
    # Four bytes from each start hold its character whole (cut at the end of the text).
    windows = np.unique(byte[np.minimum(starts[:, None] + np.arange(4), len(byte) - 1)],
                        axis=0)
    return any(INVISIBLE.match(bytes(window).decode("utf-8", "replace"))
               for window in windows)


def shown(value: str) -> str:
    """`value` with every invisible character written as its code (`<U+202E>`), so a
    message shows exactly what the cell holds and nothing in it can reorder the message."""
    return INVISIBLE.sub(lambda found: f"<U+{ord(found.group()):04X}>", value)


def invisible_name(value: str) -> str:
    """'U+202E RIGHT-TO-LEFT OVERRIDE': the first invisible character of `value`."""
    found = INVISIBLE.search(value)
    if found is None:
        return ""
    character = found.group()
    return f"U+{ord(character):04X} {unicodedata.name(character, 'a control character')}"


def _read_bytes(source: Source, name: str) -> bytes:
    too_big = Problem(name, f"is larger than {schema.MAX_FILE_MB} MB "
                            f"({schema.MAX_FILE_BYTES:,} bytes), the most this dashboard reads")
    if isinstance(source, bytes):
        if len(source) > schema.MAX_FILE_BYTES:
            raise DataError([too_big])
        return source
    path = Path(source)
    try:
        if path.stat().st_size > schema.MAX_FILE_BYTES:
            raise DataError([too_big])
        return path.read_bytes()
    except FileNotFoundError:
        raise DataError([Problem(name, f"no such file: {path}")]) from None
    except IsADirectoryError:
        raise DataError([Problem(name, f"{path} is a folder, not a file")]) from None
    except OSError as error:
        raise DataError([Problem(name, f"cannot be read: {error.strerror}")]) from None


def _decode(data: bytes, name: str) -> Decoded:
    encoding = _utf16(data)
    if encoding:
        try:
            # "utf-16" reads the byte-order mark and drops it; without one, the order found.
            text = data.decode("utf-16" if data.startswith((codecs.BOM_UTF16_LE,
                                                            codecs.BOM_UTF16_BE)) else encoding)
        except UnicodeDecodeError as error:
            row = data[: error.start].decode(encoding, errors="replace").count("\n") + 1
            raise DataError([Problem(
                name, "is UTF-16 text (a spreadsheet's \"Unicode text\") but cannot be read as "
                "UTF-16: it may be cut short; save it again, as CSV UTF-8 if you can",
                row=row)]) from None
        if "\x00" in text:
            raise DataError([_binary(name, text[: text.index("\x00")].count("\n") + 1)])
        utf8 = text.encode("utf-8")
    else:
        if b"\x00" in data:
            raise DataError([_binary(name, data[: data.index(b"\x00")].count(b"\n") + 1)])
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            row = data[: error.start].count(b"\n") + 1
            byte = data[error.start : error.start + 1].hex()
            raise DataError([Problem(
                name, f"is not UTF-8 text (byte 0x{byte} cannot be read); "
                "save it as 'CSV UTF-8' and load it again", row=row)]) from None
        utf8 = data.removeprefix(codecs.BOM_UTF8)
    if not text or text.isspace():  # (not `strip()`, which copies the whole text)
        raise DataError([Problem(name, "the file is empty; it needs a header row")])
    return Decoded(text, utf8)


def _utf16(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when the bytes are UTF-16 (a byte-order mark says so, or
    the pattern of zero bytes does), else None."""
    if data.startswith(codecs.BOM_UTF16_LE):
        return "utf-16-le"
    if data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16-be"
    sample = data[:_UTF16_SAMPLE]
    pairs = len(sample) // 2
    if pairs == 0:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= _UTF16_ZEROS * pairs and even == 0:
        return "utf-16-le"
    if even >= _UTF16_ZEROS * pairs and odd == 0:
        return "utf-16-be"
    return None


def _binary(name: str, row: int) -> Problem:
    return Problem(name, "is not a text file (it holds binary data: a zero byte); save it as "
                         "CSV UTF-8", row=row)
