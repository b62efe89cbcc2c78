"""WordprocessingML vocabulary: namespaces, tag names and the value types of OOXML attributes.

Kept apart from the reader so the checker and its tests can name elements the same way.
"""

from __future__ import annotations

import re

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W_NS,
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "pr": "http://schemas.openxmlformats.org/package/2006/relationships",
    "ct": "http://schemas.openxmlformats.org/package/2006/content-types",
}
STRICT_W_NS = "http://purl.oclc.org/ooxml/wordprocessingml/main"

REL_OFFICE_DOCUMENT = "/officeDocument"
REL_STYLES = "/styles"
REL_THEME = "/theme"
REL_NUMBERING = "/numbering"
REL_SETTINGS = "/settings"
REL_HEADER = "/header"
REL_FOOTER = "/footer"
REL_FOOTNOTES = "/footnotes"
REL_ENDNOTES = "/endnotes"


def w(tag: str) -> str:
    """Clark name of a w: element or attribute."""
    return f"{{{W_NS}}}{tag}"


def qn(prefixed: str) -> str:
    """Clark name of a prefixed name such as 'a:prstGeom'."""
    prefix, local = prefixed.split(":")
    return f"{{{NS[prefix]}}}{local}"


def wattr(el: etree._Element | None, name: str) -> str | None:
    """The w:name attribute of an element, or None."""
    if el is None:
        return None
    return el.get(w(name))


_ON = {"1", "true", "on", ""}
_OFF = {"0", "false", "off", "none"}


def on_off(el: etree._Element | None) -> bool | None:
    """An ST_OnOff element: absent → None, <w:b/> → True, <w:b w:val="0"/> → False."""
    if el is None:
        return None
    val = el.get(w("val"))
    if val is None:
        return True
    val = val.strip().lower()
    if val in _ON:
        return True
    if val in _OFF:
        return False
    return None


_MEASURE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*(mm|cm|in|pt|pc|pi)?\s*$")
_TWIPS_PER = {"mm": 1440 / 25.4, "cm": 1440 / 2.54, "in": 1440, "pt": 20, "pc": 240, "pi": 240}


def twips(value: str | None) -> int | None:
    """An ST_TwipsMeasure / ST_SignedTwipsMeasure in twips ('720', '1.27cm', '0.5in')."""
    if value is None:
        return None
    m = _MEASURE.match(value)
    if not m:
        return None
    number = float(m.group(1))
    return round(number * _TWIPS_PER[m.group(2)]) if m.group(2) else round(number)


def half_points(value: str | None) -> float | None:
    """An ST_HpsMeasure in half-points ('28', '14pt')."""
    if value is None:
        return None
    m = _MEASURE.match(value)
    if not m:
        return None
    number = float(m.group(1))
    if m.group(2):
        return number * _TWIPS_PER[m.group(2)] / 10  # twips → half-points
    return number


TWIPS_PER_MM = 1440 / 25.4
TWIPS_PER_CM = 1440 / 2.54


def mm(value: float) -> str:
    """Twips as millimetres for messages ('25.0 mm')."""
    return f"{value / TWIPS_PER_MM:.1f} mm"
