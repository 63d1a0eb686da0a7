"""What the page and the exports draw and write: the pydeck map, plotly figures, export formats."""
