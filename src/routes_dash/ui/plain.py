"""Text from data or from a link, made safe to show where Streamlit renders markdown.

Streamlit renders the labels of headings, notices, buttons and captions as markdown, so a
value such as `![p](http://tracker.example/p.png)` or `[Log in](https://phish.example)`
would fetch an outside image or become a link in the app's own voice. `plain(value)`
escapes every ASCII punctuation character (CommonMark's backslash escapes), which also
disarms Streamlit's `:red[…]`, `:material/…:` and `$…$` forms: the value reads exactly
as written, as text.
"""

from __future__ import annotations

import re
import string

_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")


def plain(value: object) -> str:
    """`value` as markdown that shows it exactly as written, on one line."""
    return _PUNCTUATION.sub(r"\\\1", " ".join(str(value).split()))
