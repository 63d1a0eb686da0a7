"""Example files a user downloads to start their own data: the contract's columns, in order,
with two example legs and one example person."""

from __future__ import annotations

import pandas as pd

from routes_dash.contract import schema

EXAMPLE_SOURCE = "https://example.org/your-source"
EXAMPLE_LEGS = (
    {"person": "kim-example", "leg": 1, "from": "Hyesan, North Korea", "to": "Changbai, China",
     "mode": "river crossing", "year": 2010, "outcome": "crossed", "precision": "city",
     "certainty": "own account", "source": EXAMPLE_SOURCE,
     "note": "Crossed the frozen Yalu at night."},
    {"person": "kim-example", "leg": 2, "from": "Changbai, China", "to": "Seoul, South Korea",
     "mode": "plane", "year": 2011, "outcome": "resettled", "precision": "city",
     "certainty": "single report", "source": EXAMPLE_SOURCE},
)
EXAMPLE_PEOPLE = (
    {"person": "kim-example", "name": "Kim (example)", "born": 1990, "anonymized": "false",
     "summary": "One sentence about the person.", "source": EXAMPLE_SOURCE},
)


def legs_template() -> str:
    """A legs CSV with every column of the contract and the example legs."""
    return pd.DataFrame(EXAMPLE_LEGS, columns=list(schema.LEG_COLUMNS)).to_csv(index=False)


def people_template() -> str:
    """A people CSV with every column of the contract and the example person."""
    return pd.DataFrame(EXAMPLE_PEOPLE, columns=list(schema.PEOPLE_COLUMNS)).to_csv(index=False)
