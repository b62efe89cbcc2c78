"""Drawings inside runs: which of them are solid horizontal lines (the rules Decree 30 draws
under the motto, the issuer and the title) and which hold text boxes."""

from __future__ import annotations

from typing import Any

from lxml import etree

from workflow.rendering.ooxml import NS, qn, twips, w

_LINE_DML = etree.XPath(
    ".//wps:wsp[wps:spPr/a:prstGeom[@prst='line' or @prst='straightConnector1']]",
    namespaces=NS,
)
_LINE_VML = etree.XPath(
    ".//v:line | .//v:shape[@o:connectortype or contains(@type, '_x0000_t32')]",
    namespaces=NS,
)
_TEXT_BOXES = etree.XPath(".//w:txbxContent", namespaces=NS)


def _dml_line_is_solid_horizontal(wsp: Any) -> bool:
    sppr = wsp.find(qn("wps:spPr"))
    ln = sppr.find(qn("a:ln")) if sppr is not None else None
    if ln is not None:
        if ln.find(qn("a:noFill")) is not None:
            return False
        dash = ln.find(qn("a:prstDash"))
        if dash is not None and dash.get("val", "solid") != "solid":
            return False
        if ln.find(qn("a:custDash")) is not None:
            return False
    xfrm = sppr.find(qn("a:xfrm")) if sppr is not None else None
    cx = cy = None
    rot = 0
    if xfrm is not None:
        rot = int(xfrm.get("rot", "0") or 0) % 10800000
        ext = xfrm.find(qn("a:ext"))
        if ext is not None:
            cx, cy = int(ext.get("cx", "0")), int(ext.get("cy", "0"))
    if cx is None:
        anchor = wsp
        while anchor is not None and etree.QName(anchor).localname not in ("anchor", "inline"):
            anchor = anchor.getparent()
        ext = anchor.find(qn("wp:extent")) if anchor is not None else None
        if ext is not None:
            cx, cy = int(ext.get("cx", "0")), int(ext.get("cy", "0"))
    if rot not in (0,) and abs(rot - 5400000) < 600000:  # turned by ~90°: vertical
        return False
    if cx is None or cy is None:
        return True
    return cx > 0 and cy <= cx / 10


def _vml_point(text: str | None) -> tuple[float, float] | None:
    if not text:
        return None
    parts = text.replace("pt", "").split(",")
    try:
        return float(parts[0] or 0), float(parts[1] if len(parts) > 1 and parts[1] else 0)
    except ValueError:
        return None


def _vml_line_is_solid_horizontal(shape: Any) -> bool:
    if shape.get("stroked", "t").lower() in ("f", "false"):
        return False
    stroke = shape.find(qn("v:stroke"))
    if stroke is not None and stroke.get("dashstyle", "solid") not in ("solid", ""):
        return False
    if etree.QName(shape).localname == "line":
        start, end = _vml_point(shape.get("from")), _vml_point(shape.get("to"))
        if start and end:
            dx, dy = abs(end[0] - start[0]), abs(end[1] - start[1])
            return dx > 0 and dy <= dx / 10
        return True
    style = {
        k.strip(): v.strip()
        for k, v in (
            item.split(":", 1) for item in shape.get("style", "").split(";") if ":" in item
        )
    }
    width, height = twips(style.get("width")), twips(style.get("height"))
    if width is None or height is None:
        return True
    if "rotation" in style and abs(float(style["rotation"].rstrip("fd") or 0) % 180 - 90) < 10:
        return False
    return width > 0 and height <= width / 10


def count_lines(container: Any) -> int:
    """Solid horizontal line shapes inside a w:drawing / w:pict / mc:AlternateContent."""
    if container.tag == qn("mc:AlternateContent"):
        # Choice and Fallback draw the same shape: count the first branch that has one.
        for branch in container:
            n = count_lines(branch)
            if n:
                return n
        return 0
    dml = sum(_dml_line_is_solid_horizontal(s) for s in _LINE_DML(container))
    vml = sum(_vml_line_is_solid_horizontal(s) for s in _LINE_VML(container))
    return dml + vml


def text_boxes(container: Any) -> list[Any]:
    """Outermost text box contents inside a drawing, skipping fallback copies."""
    out = []
    for box in _TEXT_BOXES(container):
        node = box.getparent()
        nested = False
        while node is not None and node is not container:
            if node.tag in (qn("mc:Fallback"), w("txbxContent")):
                nested = True
                break
            node = node.getparent()
        if not nested:
            out.append(box)
    return out
