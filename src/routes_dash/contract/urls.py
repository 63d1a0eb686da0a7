"""Which sources are web addresses a reader may follow: http(s) only, one rule for every view
and export (a `javascript:` or `data:` "link" in a user's file stays plain text)."""

from __future__ import annotations

import re

import pandas as pd

from routes_dash.contract.rows import SPACE

# Spaces as rows.SPACE lists them (not `\S`), so pandas runs the pattern in Arrow.
_WEB_URL = f"https?://[^{SPACE}]+"


def is_web_url(text: object) -> bool:
    """Whether `text` is an http or https address (and nothing else)."""
    return bool(re.fullmatch(_WEB_URL, str(text).strip(), flags=re.IGNORECASE))


def web_urls(values: pd.Series) -> pd.Series:
    """`is_web_url` of each value, vectorised."""
    return values.astype(str).str.strip().str.fullmatch(_WEB_URL, case=False).fillna(False)
