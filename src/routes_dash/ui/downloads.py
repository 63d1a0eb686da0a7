"""Downloads of the current filtered view, in every export format."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from routes_dash.journeys.dataset import Dataset
from routes_dash.journeys.filters import Filters
from routes_dash.render import export
from routes_dash.ui import cache, sidebar
from routes_dash.ui.plain import plain


def show(dataset: Dataset, legs: pd.DataFrame, chosen: Filters) -> None:
    """Offer the filtered legs as downloads; say what each file leaves out and why."""
    st.header("Download this view", anchor=False)
    if legs.empty:
        st.info("No leg matches the filters, so there is nothing to download.")
        return
    view = export.View(data=export.data_label(dataset.origin),
                       filters=export.filters_in_words(chosen, sidebar.person_names(dataset)),
                       sources=dataset.sources)
    st.caption(f"The {len(legs):,} legs the filters keep, for other tools. Coordinates are the "
               "ones the map shows: anonymous people stay as coarse as on the map. The zip "
               "downloads add a README.txt with these notes.")
    columns = st.columns(3)
    for index, fmt in enumerate(export.FORMATS.values()):
        file_name = export.download_name(fmt.name, legs)
        columns[index % 3].download_button(
            fmt.label,
            # Built only when the button is pressed; pressing it does not rerun the page.
            data=lambda name=fmt.name: export.download(name, legs, dataset.people, view=view),
            file_name=file_name,
            mime=fmt.mime if file_name == fmt.download_name else "application/zip",
            key=f"export_{fmt.name}",
            help=fmt.opens_in,
            on_click="ignore",
            width="stretch",
        )
    if export.download_name("timelinejs", legs) != export.FORMATS["timelinejs"].download_name:
        st.caption(f"TimelineJS: more than {export.TIMELINE_MOST_EVENTS} legs with a year, so "
                   "the download holds one timeline per person (one timeline of them all "
                   "would take minutes to open).")
    for note in _notes(cache.key_of(legs), legs)[1:]:
        st.caption(plain(note))  # may name places of the data


@cache.resource(show_spinner=False, max_entries=cache.VIEWS)
def _notes(key: str, _legs: pd.DataFrame) -> list[str]:
    """The notes once per view (see ui/cache.py): about 20 ms at 100,000 legs."""
    return export.notes(_legs)
