"""Text from data or from a link, made safe to show where Streamlit renders markdown.

Streamlit renders the labels of headings, notices, buttons and captions as markdown, so a
value such as `![p](http://tracker.example/p.png)` or `[Log in](https://phish.example)`
would fetch an outside image or become a link in the app's own voice. `plain(value)`
writes every ASCII punctuation character as a numeric character reference (`:` → `&#58;`),
which markdown shows as the character itself and never reads as syntax: no link, image,
emphasis, Streamlit `:red[…]` or `:material/…:` form or `$…$` formula. GitHub-flavoured
markdown also turns a bare web address or e-mail address into a link, looking for them in
the text *after* parsing, where no escape reaches: an invisible word joiner (U+2060) before
`://`, `@` and the dot of `www.` breaks each pattern it looks for. The value reads exactly as
written, as text.
"""

from __future__ import annotations

import re
import string

_PUNCTUATION = re.compile("[" + re.escape(string.punctuation) + "]")
_BARE_LINK = re.compile(r"(?=://)|(?=@)|(?<=www)(?=\.)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def plain(value: object) -> str:
    """`value` as markdown that shows it exactly as written, on one line."""
    text = _BARE_LINK.sub(WORD_JOINER, " ".join(str(value).split()))
    return _PUNCTUATION.sub(lambda m: f"&#{ord(m.group())};", text)
