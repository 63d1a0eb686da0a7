"""The route map's legend as HTML: small drawings of each colour and line style with what it
means, in boxes that wrap to the width there is (a projector or a phone). deck.gl has no
legend of its own. Every label is escaped: a person's name is data."""

from __future__ import annotations

from html import escape

from routes_dash.render import style

_CSS = """<style>
.map-legend{display:flex;flex-wrap:wrap;gap:6px 18px;align-items:center;font-size:15px;
line-height:1.35;color:#1f1f1f;margin:2px 0 6px}
.map-legend .item{display:inline-flex;align-items:center;gap:6px;max-width:100%}
.map-legend .item span{overflow-wrap:anywhere}
.map-legend .title{font-weight:700}
</style>"""


# The map's "colour by" choices, in words (the page's chooser and every legend's title).
COLOUR_BY_LABELS = {"mode": "how they travelled", "outcome": "what happened",
                    "certainty": "how certain", "person": "person"}
# What each line style and mark means, in the legend's words (the page's legend and the
# one-file HTML's).
MEANINGS = {
    "direction": "direction of travel",
    "sure": "documented or own account",
    "faint": "single report or inferred",
    "disputed": "disputed: sources disagree",
    "area": "known only as a country or province: the line fades inside the shaded area, "
            "where exactly is not known; click the area for its legs",
    "ended": "a leg ended here: caught, detained, sent back, trafficked or turned back",
    "numbered": "where each leg starts, in order",
}


def _line(color: str, opacity: float = 1.0, style_: str = "solid", fade: bool = False,
          arrow: bool = False) -> str:
    """A short line as the map draws it, in plain CSS (no SVG: st.html keeps styles only)."""
    if fade:
        return ('<span style="display:inline-flex;align-items:center;flex:none">'
                f'<span style="width:26px;height:4px;background:{color}"></span>'
                '<span style="width:26px;height:14px;margin-left:-4px;'
                f'border:1.5px dashed {style.AREA_LINE};background:linear-gradient(90deg,'
                f'{color} 0,{color}00 70%),{style.AREA_FILL}55;background-size:100% 4px,'
                '100% 100%;background-repeat:no-repeat;background-position:left center,0 0">'
                '</span></span>')
    head = (f'<span style="width:0;height:0;border-top:6px solid transparent;'
            f'border-bottom:6px solid transparent;border-left:11px solid {color};'
            f'opacity:{opacity};margin-left:-2px"></span>' if arrow else "")
    return ('<span style="display:inline-flex;align-items:center;flex:none">'
            f'<span style="width:30px;height:0;border-top:4px {style_} {color};'
            f'opacity:{opacity}"></span>{head}</span>')


def _item(drawing: str, text: str) -> str:
    return f'<span class="item">{drawing}<span>{escape(text)}</span></span>'


def legend_html(colour_by: str, palette: dict[str, str], *, has_areas: bool = True,
                has_markers: bool = True, numbered: bool = False) -> str:
    """The legend of a map coloured by `colour_by` with these categories (`palette`, as
    `style.colour_categories` gives it)."""
    colours = "".join(_item(_line(color), name) for name, color in palette.items())
    grey = "#444444"
    styles = [
        _item(_line(grey, arrow=True), MEANINGS["direction"]),
        _item(_line(grey), MEANINGS["sure"]),
        _item(_line(grey, style.FAINT_OPACITY), MEANINGS["faint"]),
        _item(_line(grey, style_="dashed"), MEANINGS["disputed"]),
    ]
    if has_areas:
        styles.append(_item(_line(grey, fade=True), MEANINGS["area"]))
    if has_markers:
        styles.append(_item('<span style="width:10px;height:10px;border:2.5px solid #191919;'
                            'border-radius:50%;background:#fff;flex:none"></span>',
                            MEANINGS["ended"]))
    if numbered:
        styles.append(_item('<span style="background:#141414;color:#fff;font-weight:800;'
                            'border-radius:8px;padding:0 6px;flex:none">1</span>',
                            MEANINGS["numbered"]))
    return (f'{_CSS}<div class="map-legend">'
            f'<span class="title">Colour: {escape(colour_by)}</span>{colours}</div>'
            f'<div class="map-legend">{"".join(styles)}</div>')
