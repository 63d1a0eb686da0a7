"""The legend of the certainty words, shown wherever certainty appears."""

from __future__ import annotations

import streamlit as st

from routes_dash.contract.schema import CERTAINTY_MEANINGS


def legend() -> None:
    """The five certainty words and what each means, in one compact caption."""
    st.caption("How certain each leg is: " + " · ".join(
        f"**{word}**: {meaning}" for word, meaning in CERTAINTY_MEANINGS.items()))
