"""How finely a place may be shown, and what it is called when it may not: the one place.

- A place known only to a province or a country (`COARSE_PRECISIONS`) is an area, never a
  point a reader could take for an exact spot.
- An anonymous person is never shown finer than a province: an end of theirs at a town or
  finer, or at a place nobody found (it may be a farm or a house), moves to its country's
  point (or has no coordinates when the country has none or is not known) and is named by
  its country, or as "an undisclosed place", on the map, in tables, hover texts, story mode
  and every export. `locate_legs` applies this before any view sees a place.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from routes_dash.contract.schema import COARSE_PRECISIONS, PRECISIONS

FINE_PRECISIONS = ("exact", "city")
# What an anonymous person's hidden place is called when its country is not known either.
UNDISCLOSED_PLACE = "an undisclosed place"
REDUCED_NOTE = "shown at country level to protect an anonymous person"


def is_coarse(precision: pd.Series) -> pd.Series:
    """Whether each precision says the place is known only as an area."""
    if isinstance(precision.dtype, pd.CategoricalDtype):
        # Each category asked once, each leg by its code (-1, a missing value, asks the
        # False appended): a view's few hundred legs asked one by one took 0.7 ms a click.
        coarse = [level in COARSE_PRECISIONS for level in precision.cat.categories.tolist()]
        return pd.Series(np.array([*coarse, False])[precision.array.codes],
                         index=precision.index, name=precision.name)
    return precision.isin(COARSE_PRECISIONS)


def hide_fine_places(frame: pd.DataFrame, end: str, levels: pd.Series,
                     points: Mapping[str, tuple[float, float]]) -> pd.Series:
    """Coarsen, in place, the `end` ("from" or "to") of anonymous people's legs whose place
    is finer than a province or was not found; return which rows were coarsened.

    `levels` is the precision of each row's place; `frame` has `anonymized` and the end's
    `_lat`, `_lon`, `_country` columns.
    """
    # A place without coordinates is not known to be an area: whatever its level says.
    unfound = frame[f"{end}_lat"].isna()
    too_fine = frame["anonymized"] & (levels.isin(FINE_PRECISIONS) | unfound)
    snapped = frame.loc[too_fine, f"{end}_country"].map(points)
    frame.loc[snapped.index, f"{end}_lat"] = [p[0] if p == p else np.nan for p in snapped]
    frame.loc[snapped.index, f"{end}_lon"] = [p[1] if p == p else np.nan for p in snapped]
    # The place's name would say what its coordinates no longer do.
    frame.loc[too_fine, end] = frame.loc[too_fine, f"{end}_country"].replace(
        "", UNDISCLOSED_PLACE)
    return too_fine


def shown_precision(precision: pd.Series, reduced: pd.Series) -> pd.Series:
    """The precision a leg is shown at: its own, or `country` once it was coarsened."""
    return precision.where(~reduced, "country")


def end_levels(levels: dict[str, pd.Series], precision: pd.Series) -> dict[str, pd.Series]:
    """How finely each end of each leg is shown (`levels`: each end's place level, `country`
    once coarsened): its own level, or the leg's own precision when that is coarser than
    both ends' levels (the data says the leg is known only that well, without saying which
    end is the vague one)."""
    ranks = {end: _ranks(level) for end, level in levels.items()}
    coarsest = np.maximum.reduce(list(ranks.values()))
    stated = _ranks(precision)
    # Taken from the names as Arrow strings: an array of 100,000 Python strings would be
    # converted to them one by one.
    names = pd.array(PRECISIONS, dtype="str")
    return {end: pd.Series(names.take(np.where(stated <= coarsest, own,
                                               np.maximum(own, stated))),
                           index=precision.index)
            for end, own in ranks.items()}


def _ranks(precisions: pd.Series) -> np.ndarray:
    """Each precision's place in PRECISIONS, finest first; a missing or unknown one `city`'s.
    Looked up once per distinct value (a map over 250,000 strings took a tenth of a second)."""
    codes, distinct = pd.factorize(precisions, use_na_sentinel=False)
    rank = {p: i for i, p in enumerate(PRECISIONS)}
    return np.array([rank.get(p, rank["city"]) for p in distinct], dtype=np.int64)[codes]
