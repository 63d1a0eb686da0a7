"""What a view leaves out or shows coarser than the data, said once: the map's captions and
every export's README.txt read these sentences."""

from __future__ import annotations

import numpy as np
import pandas as pd

from routes_dash.journeys.privacy import is_coarse


def counted(count: int, noun: str) -> str:
    plural = {"person": "people"}.get(noun, noun + "s")
    return f"{count:,} {noun if count == 1 else plural}"


def is_are(count: int) -> str:
    return "is" if count == 1 else "are"


def view_notes(legs: pd.DataFrame, every_leg: pd.DataFrame | None = None
               ) -> dict[str, str]:
    """Sentences by topic (`reduced`, `coarse`, `unlocated`), only for what applies.
    `every_leg`: the legs' rows with their places and coordinates, when `legs` holds only
    the columns counted here."""
    out = {}
    # Counted on arrays: the map says these on every view, where a chain of pandas
    # operations on a few hundred legs costs more in overhead than the counting.
    reduced_legs = legs["precision_reduced"].to_numpy(dtype=bool)
    reduced = int(reduced_legs.sum())
    if reduced:
        out["reduced"] = (f"{counted(reduced, 'leg')} of anonymous people {is_are(reduced)} "
                          "shown at country level (coordinates and place names), coarser than "
                          "the data, to protect them.")
    coarse = int((is_coarse(legs["shown_precision"]).to_numpy(dtype=bool)
                  & ~reduced_legs).sum())
    if coarse:
        out["coarse"] = (f"{counted(coarse, 'leg')} {is_are(coarse)} known only to a province "
                         "or a country: the map shades the whole area, never a point, and "
                         "the exports give the area's centre as its coordinates.")
    located = legs["located"].to_numpy(dtype=bool)
    if not located.all():
        missing = (legs if every_leg is None else every_leg).loc[legs.index[~located]]
        withheld = int(missing["precision_reduced"].sum())
        open_ = ~missing["precision_reduced"]
        unresolved = sorted(set(missing.loc[open_ & missing["from_lat"].isna(), "from"])
                            | set(missing.loc[open_ & missing["to_lat"].isna(), "to"]))
        text = (f"{counted(len(missing), 'leg')} {is_are(len(missing))} not on the map (nor in "
                "the map formats of the exports: GeoJSON, StoryMap, flowmap, kepler) because a "
                "place has no coordinates; the tables and the CSV keep them")
        if unresolved:
            text += f". Places not found: {'; '.join(unresolved)}"
        if withheld:
            # The places themselves are not named: they are finer than may be shown.
            text += (f". {withheld:,} of them belong to anonymous people whose country has no "
                     "point, so no coordinates are given at all")
        out["unlocated"] = text + "."
    return out


def undrawn_note(table: pd.DataFrame) -> str | None:
    """What the map leaves undrawn of these routes (`MapData.routes`, whose `drawn` column
    says which it draws), or None when it draws every one."""
    drawn = table["drawn"].to_numpy(dtype=bool)
    if drawn.all():
        return None
    legs = table["legs"].to_numpy(dtype=np.int64)
    left = legs[~drawn]
    fewest, most = int(left.min()), int(left.max())
    each = counted(most, "leg") if fewest == most else f"{fewest:,} to {most:,} legs"
    return (f"The map draws the {int(drawn.sum()):,} busiest of its {len(table):,} routes: "
            f"{int(legs[drawn].sum()):,} of its {int(legs.sum()):,} legs. The other "
            f"{counted(len(left), 'route')} ({each} each, {counted(int(left.sum()), 'leg')} in "
            "all) are left off the map, not out of the data: the charts count them, and "
            "fewer years, a country or a person draw them.")
