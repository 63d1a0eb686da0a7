"""How place names are compared: "Hoeryŏng", "hoeryong" and "Hoe-ryong" are one name."""

from __future__ import annotations

import re
import unicodedata

# Letters that Unicode decomposition does not reduce to a base letter plus marks.
_FOLD = str.maketrans({
    "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ß": "ss", "æ": "ae",
    "Æ": "AE", "œ": "oe", "Œ": "OE", "\u0131": "i", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D",
    "ħ": "h", "Ħ": "H", "ŀ": "l", "Ŀ": "L",
})


# Apostrophes and look-alikes vanish: Ch'ŏngjin (with any apostrophe) and Chongjin are one
# name.
_APOSTROPHES = re.compile("['\u2018\u2019\u02bc\u02bb\u02b9\u0060\u00b4\u2032]")


_NON_WORD = re.compile(r"[\W_]+")


_PARENTHESES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


# Generic words before or after a place's name: "Ban Houayxay" (Lao: village), "Hoeryong-si"
# (Korean: city), "Musan-ŭp" (Korean: town), "Erenhot Shi" (Chinese: city), …
PREFIXES = frozenset({"ban", "muang", "amphoe"})


SUFFIXES = frozenset({
    # Korean
    "si", "shi", "gun", "kun", "up", "eup", "ub", "eub", "dong", "tong", "ri", "li", "ni",
    "gu", "ku", "nodongjagu", "rodongjagu", "lodongjagu",
    # Chinese
    "xian", "zhen", "xiang", "qu", "jiedao", "zizhixian", "chengguanzhen",
    # Japanese
    "machi", "cho", "mura",
    # general
    "city", "town", "township", "municipality",
})


_SHORTEST_CORE = 3  # never strip a name down to fewer letters than this


def words(text: str) -> list[str]:
    """A name as lower-case words without diacritics, apostrophes or punctuation."""
    text = _APOSTROPHES.sub("", str(text).translate(_FOLD))
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = unicodedata.normalize("NFC", text).casefold()
    return [w for w in _NON_WORD.split(text) if w]


def name_key(text: str) -> str:
    """The key names are matched by: "Hoeryŏng", "hoeryong" and "Hoe-ryong" are one key."""
    return "".join(words(text))


def key_variants(text: str) -> list[str]:
    """The key of a name, then the keys of it without a generic prefix and/or suffix."""
    parts = words(text)
    keys = ["".join(parts)] if parts else []
    cores = []
    if len(parts) > 1 and parts[0] in PREFIXES:
        cores.append(parts[1:])
    if len(parts) > 1 and parts[-1] in SUFFIXES:
        cores.append(parts[:-1])
        if len(parts) > 2 and parts[0] in PREFIXES:
            cores.append(parts[1:-1])
    for core in cores:
        key = "".join(core)
        if len(key) >= _SHORTEST_CORE and key not in keys:
            keys.append(key)
    return keys


def without_parentheses(text: str) -> str:
    """'Tumen (city)' → 'Tumen': a remark in brackets is not part of a place's name."""
    return " ".join(_PARENTHESES.sub(" ", text).split())


def country_key(text: str) -> str:
    parts = words(text)
    if len(parts) > 1 and parts[0] == "the":
        parts = parts[1:]
    return "".join(parts)
