"""The Streamlit sections of the page; the only part of the package that imports streamlit."""
