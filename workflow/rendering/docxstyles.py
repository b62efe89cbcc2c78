"""The parts a run's formatting is resolved through: styles (basedOn chains and document
defaults), the theme (fonts and colours styles refer to) and numbering (list-level indents)."""

from __future__ import annotations

from typing import Any, ClassVar

from lxml import etree

from workflow.rendering.ooxml import qn, w, wattr


class Theme:
    """Theme fonts and colours (word/theme/theme1.xml) that styles may refer to."""

    def __init__(self, root: Any | None) -> None:
        self.fonts: dict[str, str] = {}
        self.colors: dict[str, str] = {}
        if root is None:
            return
        for kind in ("major", "minor"):
            scheme = root.find(f".//{qn('a:fontScheme')}/{qn('a:' + kind + 'Font')}")
            if scheme is None:
                continue
            for tag, names in (
                ("latin", ("Ascii", "HAnsi")),
                ("ea", ("EastAsia",)),
                ("cs", ("Bidi",)),
            ):
                el = scheme.find(qn("a:" + tag))
                face = el.get("typeface", "") if el is not None else ""
                for name in names:
                    self.fonts[kind + name] = face
        clr = root.find(f".//{qn('a:clrScheme')}")
        if clr is not None:
            for child in clr:
                name = etree.QName(child).localname
                srgb = child.find(qn("a:srgbClr"))
                sys_clr = child.find(qn("a:sysClr"))
                if srgb is not None:
                    self.colors[name] = srgb.get("val", "").upper()
                elif sys_clr is not None:
                    self.colors[name] = sys_clr.get("lastClr", "000000").upper()

    _COLOR_MAP: ClassVar[dict[str, str]] = {
        "dark1": "dk1",
        "light1": "lt1",
        "dark2": "dk2",
        "light2": "lt2",
        "text1": "dk1",
        "background1": "lt1",
        "text2": "dk2",
        "background2": "lt2",
        "hyperlink": "hlink",
        "followedHyperlink": "folHlink",
    }

    def color(self, theme_color: str) -> str | None:
        key = self._COLOR_MAP.get(theme_color, theme_color)
        return self.colors.get(key)


class Styles:
    """styles.xml: style chains (basedOn) and the document defaults."""

    def __init__(self, root: Any | None) -> None:
        self.by_id: dict[str, Any] = {}
        self.default: dict[str, str] = {}
        self.rpr_default = None
        self.ppr_default = None
        self._chains: dict[str | None, list[Any]] = {}
        if root is None:
            return
        defaults = root.find(w("docDefaults"))
        if defaults is not None:
            self.rpr_default = defaults.find(f"{w('rPrDefault')}/{w('rPr')}")
            self.ppr_default = defaults.find(f"{w('pPrDefault')}/{w('pPr')}")
        for style in root.iter(w("style")):
            sid = style.get(w("styleId"))
            if sid is None:
                continue
            self.by_id.setdefault(sid, style)
            if style.get(w("default")) in ("1", "true", "on"):
                self.default.setdefault(style.get(w("type"), "paragraph"), sid)

    def chain(self, style_id: str | None) -> list[Any]:
        """The style and its basedOn ancestors, nearest first (cycles cut)."""
        if style_id in self._chains:
            return self._chains[style_id]
        out: list[Any] = []
        seen: set[str] = set()
        sid = style_id
        while sid and sid not in seen and sid in self.by_id:
            seen.add(sid)
            style = self.by_id[sid]
            out.append(style)
            sid = wattr(style.find(w("basedOn")), "val")
        self._chains[style_id] = out
        return out

    def name(self, style_id: str | None) -> str | None:
        style = self.by_id.get(style_id or "")
        return wattr(style.find(w("name")), "val") if style is not None else None


class Numbering:
    """numbering.xml, only as far as list levels carry paragraph properties (indents)."""

    def __init__(self, root: Any | None) -> None:
        self._abstract: dict[str, Any] = {}
        self._num: dict[str, Any] = {}
        if root is None:
            return
        for ab in root.iter(w("abstractNum")):
            self._abstract[ab.get(w("abstractNumId"), "")] = ab
        for num in root.iter(w("num")):
            self._num[num.get(w("numId"), "")] = num

    def level_ppr(self, num_id: str | None, ilvl: str | None) -> Any | None:
        if not num_id or num_id == "0" or num_id not in self._num:
            return None
        num = self._num[num_id]
        level = ilvl or "0"
        for override in num.iter(w("lvlOverride")):
            if override.get(w("ilvl")) == level:
                lvl = override.find(w("lvl"))
                if lvl is not None and lvl.find(w("pPr")) is not None:
                    return lvl.find(w("pPr"))
        abstract = self._abstract.get(wattr(num.find(w("abstractNumId")), "val") or "")
        if abstract is None:
            return None
        for lvl in abstract.iter(w("lvl")):
            if lvl.get(w("ilvl")) == level:
                return lvl.find(w("pPr"))
        return None
