"""Colours shared by the map, the charts and the legend.

Modes use Paul Tol's colour-blind-safe "muted" scheme (plus an orange for trafficking and a
grey for unknown); outcomes that a reader must not miss are warm and dark.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

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

# The map's "colour by" choices, each at most seven colours at once, dark enough to read on
# the pale basemap and told apart by colour-blind readers (Paul Tol's schemes).
MODE_GROUP_COLORS = {
    "on foot or river": "#117733",
    "road or rail": "#332288",
    "sea": "#1f88b4",
    "air": "#AA4499",
    "forced moves": "#CC3311",
    "unknown": "#8a8a8a",
}
OUTCOME_GROUP_COLORS = {
    "on the way": "#4477AA",
    "in hiding": "#a08400",
    "caught or detained": "#CC3311",
    "sent back to North Korea": "#882255",
    "trafficked": "#EE7733",
    "reached safety": "#228833",
    "unknown": "#8a8a8a",
}
CERTAINTY_COLORS = {
    "documented": "#004488",
    "own account": "#4a8fd0",
    "single report": "#a08400",
    "inferred": "#cc9933",
    "disputed": "#bb3355",
    "not given": "#8a8a8a",
}
PERSON_COLORS = ("#4477AA", "#EE6677", "#228833", "#a08400", "#1fa0c8", "#AA3377")
OTHER_PEOPLE = "other people"
OTHER_COLOR = "#8a8a8a"
COLOUR_BY = ("mode", "outcome", "certainty", "person")
COLOUR_COLUMNS = {"mode": "mode", "outcome": "outcome", "certainty": "certainty",
                  "person": "name"}  # the legs' column each choice colours by

# How sure a leg is, drawn: solid and strong when sourced to a record or the person's own
# account, fainter when one report or this dataset's deduction, dashed when disputed.
SURE = ("documented", "own account")
DASHED = ("disputed",)
FAINT_OPACITY = 0.42
DASH = [5, 3]

# Areas: places known only as a country or province.
AREA_FILL = "#c48a1a"
AREA_FILL_ALPHA = 46
AREA_LINE = "#9a6a10"

SEA = "#dbe9f4"
LAND = "#f3f1ea"
BORDER = "#9aa3ad"


def rgb(hex_color: str, alpha: int = 255) -> list[int]:
    """`#rrggbb` → `[r, g, b, a]`, as deck.gl wants colours (a new list: callers may keep
    it in their records)."""
    return [*_rgb(hex_color), alpha]


@functools.lru_cache(maxsize=256)
def _rgb(hex_color: str) -> tuple[int, int, int]:
    # Read once per colour: a map of thousands of routes asks for a few colours many times.
    value = hex_color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def colour_categories(legs, colour_by: str):
    """Each leg's colour category for the map's "colour by" choice, and the colours of the
    categories present, in legend order: (Series, {category: "#rrggbb"})."""
    if colour_by == "person":
        busiest = legs["name"].value_counts(sort=True).index[:len(PERSON_COLORS)].tolist()
        palette = {**dict(zip(busiest, PERSON_COLORS, strict=False)), OTHER_PEOPLE: OTHER_COLOR}
        group_of = {name: name for name in busiest}
    elif colour_by in ("mode", "outcome", "certainty"):
        group_of, palette = {
            "mode": (MODE_GROUP_OF, MODE_GROUP_COLORS),
            "outcome": (OUTCOME_GROUP_OF, OUTCOME_GROUP_COLORS),
            "certainty": ({"": "not given"}, CERTAINTY_COLORS)}[colour_by]
    else:
        raise ValueError(f"colour by {colour_by!r}: choose one of {', '.join(COLOUR_BY)}")
    column = COLOUR_COLUMNS[colour_by]
    # Grouped once per distinct value, not per leg (a value no group names is its own);
    # categorical, so the map counts its routes from the codes.
    codes, distinct = pd.factorize(legs[column], use_na_sentinel=False)
    group_codes, groups = pd.factorize(np.array(
        [group_of.get(value, OTHER_PEOPLE if colour_by == "person" else value)
         for value in distinct], dtype=object))
    category = pd.Categorical.from_codes(group_codes[codes] if len(codes) else codes,
                                         categories=pd.Index(groups, dtype=object))
    present = set(groups.tolist())
    return (pd.Series(category, index=legs.index),
            {name: color for name, color in palette.items() if name in present})
