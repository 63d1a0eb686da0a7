"""Spelling suggestions: the gazetteer's name keys closest to a misspelt one.

`difflib.get_close_matches` over the gazetteer's 400,000 name keys took about 0.5 s per
place (4 s on a loaded machine), in pure Python, holding the interpreter that every visitor
of the page shares. rapidfuzz computes the same kind of similarity (the Indel ratio, as
difflib's `ratio`, 0–100) in compiled code, skipping keys whose length alone rules them
out: about 50 ms per place.
"""

from __future__ import annotations

from collections.abc import Sequence

from rapidfuzz import fuzz, process

# How alike two keys must be (difflib's cutoff was 0.75), and how many close keys a search
# looks at before narrowing to a country.
CUTOFF = 75
KEYS_LOOKED_AT = 200
# A town name longer than this is no misspelling of a place: nothing is searched for it.
LONGEST_NAME = 80


class SpellingIndex:
    """Name keys to search by closeness of spelling."""

    def __init__(self, keys: Sequence[str]):
        self.keys = list(keys)

    def close_to(self, key: str) -> list[tuple[str, float]]:
        """(key, closeness 0–100) of the keys spelled like `key`, closest first."""
        if not key or len(key) > LONGEST_NAME:
            return []
        found = process.extract(key, self.keys, scorer=fuzz.ratio, limit=KEYS_LOOKED_AT,
                                score_cutoff=CUTOFF)
        return [(choice, score) for choice, score, _index in found]
