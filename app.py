"""routes_dash: `streamlit run app.py` (or `./dev app`)."""

import streamlit as st

st.set_page_config(page_title="Escape routes", layout="wide")
st.title("Escape routes of North Korean defectors")
st.write("The dashboard is being built.")
