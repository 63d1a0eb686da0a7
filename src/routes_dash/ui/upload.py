"""Your own data: upload a legs CSV for this browser session, fix the places not found.

A valid upload replaces the data for this session only; nothing is written to disk. A bad
file gets its problems listed and the data on screen stays as it was.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from routes_dash.contract import schema, templates
from routes_dash.contract.problems import DataError, Problem
from routes_dash.journeys.dataset import Dataset, load_upload, with_fixed_places
from routes_dash.places import fixes as place_fixes
from routes_dash.places.records import Candidate
from routes_dash.ui import session
from routes_dash.ui.plain import plain
from routes_dash.ui.session import PLACE_EDITOR_VERSION as EDITOR_VERSION
from routes_dash.ui.session import PLACE_FIXES as FIXES
from routes_dash.ui.session import UPLOAD_LEGS as LEGS_KEY
from routes_dash.ui.session import UPLOAD_PEOPLE as PEOPLE_KEY
from routes_dash.ui.session import UPLOAD_PROBLEMS as PROBLEMS
from routes_dash.ui.session import UPLOAD_SOURCES as SOURCES_KEY
from routes_dash.ui.session import UPLOAD_WITH_FIXES as FIXED
from routes_dash.ui.session import UPLOADED


@st.cache_data(max_entries=16, show_spinner="Reading your file …")
def _read(legs: bytes, legs_name: str, people: bytes | None, people_name: str,
          sources: bytes | None, sources_name: str) -> Dataset:
    # Keyed by the files' bytes: another session gets this only by uploading the same file.
    return load_upload(legs, legs_name, people, people_name, sources, sources_name)


def current(bundled: Dataset, box) -> Dataset:
    """Draw the uploader in the sidebar; the session's uploaded data, else the bundled."""
    with box:
        st.header("Your own data")
        with st.form("upload", clear_on_submit=False, border=False):
            legs = st.file_uploader("Legs CSV", type=["csv", "txt"], key=LEGS_KEY)
            people = st.file_uploader("People CSV (optional)", type=["csv", "txt"],
                                      key=PEOPLE_KEY)
            sources = st.file_uploader(
                "Sources CSV (optional)", type=["csv", "txt"], key=SOURCES_KEY,
                help="id, title, author, outlet, date, url, kind, accessed, note: then a leg's "
                     "source names ids of it, several joined by ';'. Without it, a source is "
                     "free text or a web address.")
            submitted = st.form_submit_button("Show my data", width="stretch")
        if submitted:
            _load(legs, people, sources)
        if UPLOADED in st.session_state:
            st.button("Back to the bundled data", on_click=_back, width="stretch")
        left, right = st.columns(2)
        # The templates are written only when downloaded, not on every rerun.
        left.download_button("Template", templates.legs_template, "legs-template.csv",
                             "text/csv", on_click="ignore", width="stretch",
                             help="A legs CSV with the contract's columns and two example rows")
        right.download_button("People template", templates.people_template,
                              "people-template.csv", "text/csv", on_click="ignore",
                              width="stretch")
        st.caption(f"At most {schema.MAX_FILE_MB} MB and {schema.MAX_ROWS:,} legs. Your file "
                   "stays in this browser session; nothing is stored.")
    problems = st.session_state.get(PROBLEMS)
    if problems:
        st.error(f"{plain(problems[0])} cannot be shown: {len(problems) - 1} problem(s) to "
                 "fix. The data on screen is unchanged.")
        st.code("\n".join(problems[1:]), language=None, wrap_lines=True)
    uploaded = st.session_state.get(UPLOADED)
    if uploaded is None:
        return bundled
    return _with_fixes(uploaded, st.session_state.get(FIXES, _no_fixes()))


def _with_fixes(uploaded: Dataset, fixes: pd.DataFrame) -> Dataset:
    """The upload with the session's hand-located places, re-located only when they change."""
    if fixes.empty:
        return uploaded
    key = (id(uploaded), tuple(fixes.itertuples(index=False)))
    known = st.session_state.get(FIXED)
    if known is None or known[0] != key:
        known = (key, with_fixed_places(uploaded, fixes))
        st.session_state[FIXED] = known
    return known[1]


def _load(legs_file, people_file, sources_file) -> None:
    if legs_file is None:
        st.session_state[PROBLEMS] = ["Nothing", "Choose a legs CSV first."]
        return
    too_big = [f.name for f in (legs_file, people_file, sources_file)
               if f is not None and f.size > schema.MAX_FILE_BYTES]
    try:
        if too_big:
            raise DataError([Problem(name, f"is larger than {schema.MAX_FILE_MB} MB, the "
                                            "most this dashboard reads") for name in too_big])
        dataset = _read(legs_file.getvalue(), legs_file.name,
                        people_file.getvalue() if people_file else None,
                        people_file.name if people_file else "people.csv",
                        sources_file.getvalue() if sources_file else None,
                        sources_file.name if sources_file else "sources.csv")
    except DataError as error:
        st.session_state[PROBLEMS] = [legs_file.name, *(str(p) for p in error.problems)]
        return
    st.session_state[UPLOADED] = dataset
    st.session_state[FIXES] = _no_fixes()
    st.session_state.pop(PROBLEMS, None)
    session.start_views_afresh()


def _back() -> None:
    for key in (UPLOADED, FIXES, FIXED, PROBLEMS):
        st.session_state.pop(key, None)
    session.start_views_afresh()


def _no_fixes() -> pd.DataFrame:
    return pd.DataFrame(columns=["place", "lat", "lon", "country", "resolved_name"])


def fix_places(dataset: Dataset) -> None:
    """Places of an upload that were not found: type coordinates or pick a candidate."""
    if UPLOADED not in st.session_state:
        return
    fixes = st.session_state.get(FIXES, _no_fixes())
    if not dataset.unresolved and fixes.empty:
        return
    with st.expander(f"{len(dataset.unresolved)} place(s) of your file were not found: "
                     "locate them here", expanded=bool(dataset.unresolved)):
        st.caption("Type a latitude and longitude (decimal degrees), or pick one of the "
                   "gazetteer's candidates. The map updates at once; download the places to "
                   "keep them as a geocache.csv beside your legs file.")
        rows = pd.DataFrame({"place": list(dataset.unresolved)})
        rows["candidate"] = None
        rows["lat"] = None
        rows["lon"] = None
        options = {place: _candidates(place) for place in dataset.unresolved}
        every = sorted({c.label for found in options.values() for c in found})
        version = st.session_state.get(EDITOR_VERSION, 0)
        edited = st.data_editor(
            rows, key=f"place_editor_{version}", hide_index=True, width="stretch",
            disabled=["place"],
            column_config={
                "candidate": st.column_config.SelectboxColumn(
                    "pick a candidate", options=every,
                    help="Places the gazetteer knows by a similar name"),
                "lat": st.column_config.NumberColumn("latitude", min_value=-90, max_value=90),
                "lon": st.column_config.NumberColumn("longitude", min_value=-180,
                                                     max_value=180),
            },
        )
        picked = _picked_candidates(edited, options)
        new, problems = place_fixes.hand_located(picked)
        for problem in problems:
            st.warning(str(problem))
        if not new.empty:
            merged = pd.concat([fixes, new]).drop_duplicates("place", keep="last")
            st.session_state[FIXES] = merged
            # A fresh editor: the fixed rows leave it, so old edits must not shift rows.
            st.session_state[EDITOR_VERSION] = version + 1
            st.rerun()
        if not fixes.empty:
            st.download_button("Download the places you located (geocache.csv)",
                               place_fixes.cache_csv(fixes), "geocache.csv", "text/csv",
                               on_click="ignore")


@st.cache_data(max_entries=1024, show_spinner=False)
def _candidates(place: str) -> tuple[Candidate, ...]:
    # A spelling search reads the whole gazetteer: once per place, not on every rerun.
    return place_fixes.candidates(place, limit=8)


def _picked_candidates(
    edited: pd.DataFrame, options: dict[str, tuple[Candidate, ...]]
) -> pd.DataFrame:
    """Typed coordinates win; else the coordinates of the candidate picked for that place."""
    rows = edited.copy()
    for index, row in rows.iterrows():
        if pd.notna(row["lat"]) or pd.isna(row["candidate"]):
            continue
        found = [c for c in options[row["place"]] if c.label == row["candidate"]]
        if found:
            rows.at[index, "lat"], rows.at[index, "lon"] = found[0].lat, found[0].lon
    return rows[["place", "lat", "lon"]]
