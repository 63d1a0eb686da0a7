"""Your own data: upload a legs CSV for this browser session, fix the places not found.

A valid upload replaces the data for this session only; nothing is written to disk. A bad
file gets its problems listed and the data on screen stays as it was.
"""

from __future__ import annotations

import uuid

import pandas as pd
import streamlit as st

from routes_dash.contract import schema, templates
from routes_dash.contract.problems import DataError, Problem
from routes_dash.journeys.dataset import Dataset, load_upload, with_fixed_places
from routes_dash.places import fixes as place_fixes
from routes_dash.places.records import Candidate
from routes_dash.ui import cache, session
from routes_dash.ui.plain import plain
from routes_dash.ui.session import PLACE_EDITOR_VERSION as EDITOR_VERSION
from routes_dash.ui.session import PLACE_FIXES as FIXES
from routes_dash.ui.session import UNFOUND_USES, UPLOAD_OPEN, UPLOADED
from routes_dash.ui.session import UPLOAD_LEGS as LEGS_KEY
from routes_dash.ui.session import UPLOAD_PEOPLE as PEOPLE_KEY
from routes_dash.ui.session import UPLOAD_PROBLEMS as PROBLEMS
from routes_dash.ui.session import UPLOAD_SOURCES as SOURCES_KEY
from routes_dash.ui.session import UPLOAD_WITH_FIXES as FIXED


def current(bundled: Dataset, box) -> Dataset:
    """Draw the uploader in the sidebar; the session's uploaded data, else the bundled."""
    with box:
        st.header("Your own data")
        # Built only while open: closed, its dozen widgets cost a click nothing.
        section = st.expander("Upload your legs CSV", icon=":material/upload_file:",
                              key=UPLOAD_OPEN, on_change="rerun")
        if section.open:
            with section:
                _uploader()
        if UPLOADED in st.session_state:
            st.button("Back to the bundled data", on_click=_back, width="stretch")
    problems = st.session_state.get(PROBLEMS)
    if problems:
        st.error(f"{plain(problems[0])} cannot be shown: {len(problems) - 1} problem(s) to "
                 "fix. The data on screen is unchanged.")
        st.code("\n".join(problems[1:]), language=None, wrap_lines=True)
    uploaded = st.session_state.get(UPLOADED)
    if uploaded is None:
        return bundled
    return _with_fixes(uploaded, st.session_state.get(FIXES, _no_fixes()))


def _uploader() -> None:
    """The form that takes the files (loaded when sent), and the templates to start from."""
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
    # The templates are written only when downloaded, not on every rerun. One above the
    # other: side by side in the sidebar, "People template" was cut short.
    st.download_button("Legs template", templates.legs_template, "legs-template.csv",
                       "text/csv", on_click="ignore", width="stretch",
                       help="A legs CSV with the contract's columns and two example rows")
    st.download_button("People template", templates.people_template, "people-template.csv",
                       "text/csv", on_click="ignore", width="stretch")
    st.caption(f"At most {schema.MAX_FILE_MB} MB and {schema.MAX_ROWS:,} legs. Your file "
               "stays in this browser session; nothing is stored.")


def _with_fixes(uploaded: Dataset, fixes: pd.DataFrame) -> Dataset:
    """The upload with the session's hand-located places, re-located only when they change."""
    if fixes.empty:
        return uploaded
    key = (id(uploaded), tuple(fixes.itertuples(index=False)))
    known = st.session_state.get(FIXED)
    if known is None or known[0] != key:
        fixed = with_fixed_places(uploaded, fixes)
        known = (key, cache.remember(fixed, f"upload:{uuid.uuid4()}"))
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
        # Not cached across sessions: a session keeps its one upload, which goes when the
        # session or the next upload does (a cache keyed by files' bytes kept 16 of them).
        with st.spinner("Reading your file …"):
            dataset = load_upload(legs_file.getvalue(), legs_file.name,
                                  people_file.getvalue() if people_file else None,
                                  people_file.name if people_file else "people.csv",
                                  sources_file.getvalue() if sources_file else None,
                                  sources_file.name if sources_file else "sources.csv")
    except DataError as error:
        st.session_state[PROBLEMS] = [legs_file.name, *(str(p) for p in error.problems)]
        return
    # A key of its own, so that caching its views never hashes 250,000 legs.
    st.session_state[UPLOADED] = cache.remember(dataset, f"upload:{uuid.uuid4()}")
    st.session_state[FIXES] = _no_fixes()
    for key in (PROBLEMS, FIXED, UNFOUND_USES):  # of the previous upload: let it go
        st.session_state.pop(key, None)
    session.start_views_afresh()


def _back() -> None:
    for key in (UPLOADED, FIXES, FIXED, PROBLEMS, UNFOUND_USES):
        st.session_state.pop(key, None)
    session.start_views_afresh()


def _no_fixes() -> pd.DataFrame:
    return pd.DataFrame(columns=["place", "lat", "lon", "country", "resolved_name"])




# The places-not-found editor lists this many at a time, the most used first: a file can
# name thousands of places nobody knows, and each row costs the page on every rerun.
EDITOR_ROWS = 200


def fix_places(dataset: Dataset) -> None:
    """Places of an upload that were not found: pick a candidate, or type coordinates."""
    if UPLOADED not in st.session_state:
        return
    fixes = st.session_state.get(FIXES, _no_fixes())
    unfound = dataset.unresolved
    if not unfound and fixes.empty:
        return
    label = (f"{len(unfound):,} place(s) of your file were not found: locate them here"
             if unfound else f"Every place of your file is on the map ({len(fixes):,} "
                             "located by you)")
    with st.expander(label, expanded=bool(unfound)):
        if unfound:
            uses = _uses(dataset)
            ordered = sorted(unfound, key=lambda p: (-uses.at[p, "legs"], p))
            version = st.session_state.get(EDITOR_VERSION, 0)
            _pick_a_candidate(ordered, uses, version)
            _type_coordinates(ordered, uses, version)
        if not fixes.empty:
            st.download_button("Download the places you located (geocache.csv)",
                               place_fixes.cache_csv(fixes), "geocache.csv", "text/csv",
                               on_click="ignore")


def _uses(dataset: Dataset) -> pd.DataFrame:
    """How many legs use each place not found, and which: once per upload, not per rerun."""
    known = st.session_state.get(UNFOUND_USES)
    if known is None or known[0] is not dataset.validated:
        known = (dataset.validated, place_fixes.legs_using(dataset.validated,
                                                           dataset.unresolved))
        st.session_state[UNFOUND_USES] = known
    return known[1]


def _pick_a_candidate(unfound: list[str], uses: pd.DataFrame, version: int) -> None:
    # Candidates for the one place chosen: a spelling search costs about 50 ms, so a file
    # of thousands of unknown places never has them all searched at once.
    st.markdown("**Pick a place the gazetteer knows**")
    place = st.selectbox(
        "Place not found (the most used first)", unfound, key=f"place_to_pick_{version}",
        format_func=lambda p: f"{p}  ({uses.at[p, 'legs']:,} leg(s))")
    st.caption("Used by " + plain(uses.at[place, "used_by"]))
    found = _candidates(place)
    if not found:
        st.caption("The gazetteer knows no place named or spelled like it: type its "
                   "coordinates below.")
        return
    chosen = st.radio("Closest spelling first, with province and country", range(len(found)),
                      format_func=lambda i: plain(found[i].label), key=f"candidate_{version}")
    st.button("Use this place", on_click=_add_fixes,
              args=(place_fixes.picked(place, found[chosen]),), type="primary")


def _type_coordinates(unfound: list[str], uses: pd.DataFrame, version: int) -> None:
    st.markdown("**Or type its coordinates**")
    shown = unfound[:EDITOR_ROWS]
    if len(unfound) > len(shown):
        st.caption(f"The {len(shown):,} places most used, of {len(unfound):,} not found; "
                   "each one you locate leaves the table and the next comes in.")
    # Text cells, empty until typed: a number column shows "None" in every empty cell.
    # hand_located reads what is typed (a decimal comma too) and names what is not a number.
    rows = pd.DataFrame({"place": shown, "used by": uses.loc[shown, "used_by"].to_list(),
                         "lat": "", "lon": ""})
    edited = st.data_editor(
        rows, key=f"place_editor_{version}", hide_index=True, width="stretch",
        disabled=["place", "used by"], column_order=["place", "lat", "lon", "used by"],
        column_config={
            "lat": st.column_config.TextColumn("latitude", help="Decimal degrees, -90 to 90"),
            "lon": st.column_config.TextColumn("longitude",
                                               help="Decimal degrees, -180 to 180"),
        },
    )
    new, problems = place_fixes.hand_located(edited[["place", "lat", "lon"]])
    for problem in problems:
        st.warning(plain(problem))
    if not new.empty:
        _add_fixes(new)
        st.rerun()


def _add_fixes(new: pd.DataFrame) -> None:
    fixes = st.session_state.get(FIXES, _no_fixes())
    st.session_state[FIXES] = pd.concat([fixes, new]).drop_duplicates("place", keep="last")
    # A fresh picker and editor: located places leave them, so old choices must not shift.
    st.session_state[EDITOR_VERSION] = st.session_state.get(EDITOR_VERSION, 0) + 1


@st.cache_data(max_entries=1024, show_spinner="Looking for places spelled alike …")
def _candidates(place: str) -> tuple[Candidate, ...]:
    return place_fixes.candidates(place, limit=8)
