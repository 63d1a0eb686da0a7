"""Colours shared by the map, the charts and the legend.

Modes use Paul Tol's colour-blind-safe "muted" scheme (plus an orange for trafficking and a
grey for unknown); outcomes that a reader must not miss are warm and dark.
"""

from __future__ import annotations

MODE_COLORS = {
    "on foot": "#117733",
    "river crossing": "#3a9bd9",
    "train": "#332288",
    "bus": "#44AA99",
    "car": "#999933",
    "boat": "#DDCC77",
    "plane": "#AA4499",
    "detention transfer": "#882255",
    "deportation": "#CC6677",
    "trafficked": "#EE7733",
    "unknown": "#9a9a9a",
}

OUTCOME_COLORS = {
    "crossed": "#4477AA",
    "arrived": "#66CCEE",
    "caught": "#CC3311",
    "repatriated": "#882255",
    "detained": "#EE3377",
    "released": "#BBBBBB",
    "trafficked": "#EE7733",
    "hiding": "#CCBB44",
    "turned back": "#AA3377",
    "asylum": "#228833",
    "resettled": "#117733",
    "unknown": "#9a9a9a",
}

# Groups a reader can tell apart at a glance: at most about six colours at once. The map
# colours its legs by one of these (its "colour by" choice); the charts group outcomes.
# The full mode or outcome is always in the hover text.
MODE_GROUPS = {
    "on foot or river": ("on foot", "river crossing"),
    "road or rail": ("train", "bus", "car"),
    "sea": ("boat",),
    "air": ("plane",),
    "forced moves": ("detention transfer", "deportation", "trafficked"),
    "unknown": ("unknown",),
}
OUTCOME_GROUPS = {
    "on the way": ("crossed", "arrived", "released", "turned back"),
    "in hiding": ("hiding",),
    "caught or detained": ("caught", "detained"),
    "sent back to North Korea": ("repatriated",),
    "trafficked": ("trafficked",),
    "reached safety": ("asylum", "resettled"),
    "unknown": ("unknown",),
}
# One colour per outcome group. Chosen so that every pair stays apart (CIELAB distance at
# least 17) in normal vision and simulated protanopia, deuteranopia and tritanopia (Machado
# et al. 2009); each is at least 3:1 against white except "in hiding" and "unknown" (2.3:1),
# which always carry their name beside them in the legend, the hover and the table.
OUTCOME_GROUP_COLORS = {
    "on the way": "#6699CC",
    "in hiding": "#E69F00",
    "caught or detained": "#DC050C",
    "sent back to North Korea": "#882255",
    "trafficked": "#EE3377",
    "reached safety": "#228833",
    "unknown": "#AAAAAA",
}
MODE_GROUP_OF = {mode: group for group, modes in MODE_GROUPS.items() for mode in modes}
OUTCOME_GROUP_OF = {outcome: group for group, outcomes in OUTCOME_GROUPS.items()
                    for outcome in outcomes}

SEA = "#dbe9f4"
LAND = "#f3f1ea"
BORDER = "#9aa3ad"


def rgb(hex_color: str, alpha: int = 255) -> list[int]:
    """`#rrggbb` → `[r, g, b, a]`, as deck.gl wants colours."""
    value = hex_color.lstrip("#")
    return [int(value[i : i + 2], 16) for i in (0, 2, 4)] + [alpha]
