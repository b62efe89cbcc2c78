"""The official templates, parsed and compiled once, rendered the way docxtpl renders them.

docxtpl's own preprocessing (DocxTemplate.patch_xml) turns each template part into Jinja source,
so a template means exactly what docxtpl makes of it; the difference is that this happens once
per template, not once per document. Rendering then runs the compiled Jinja templates and
docxtpl's post-processing, checks the XML, and assembles the zip from the template's unchanged
parts. `render_docxtpl` is the plain docxtpl path, kept as the reference the fast path is
tested and benchmarked against.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from docx.opc.oxml import parse_xml
from docxtpl import DocxTemplate
from jinja2 import Template, meta
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from numbering.doctypes import Family
from workflow.rendering.context import Sections
from workflow.rendering.geometry import template_path
from workflow.rendering.package import read_zip
from workflow.rendering.wordml import W_NS

DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
FOOTNOTES_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_W = f"{{{W_NS}}}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"


def environment() -> SandboxedEnvironment:
    """The Jinja environment every template renders in: sandboxed, autoescaping."""
    return SandboxedEnvironment(autoescape=True)


@dataclass(frozen=True)
class Compiled:
    """One template: its parts, the compiled Jinja sources docxtpl derives from them."""

    family: Family
    version: str  # SHA-256 of the template file: what a rendition made from it depends on
    entries: tuple[tuple[str, bytes], ...]  # the template's zip entries, in order
    body: Template  # <w:body> of word/document.xml
    document_head: str  # word/document.xml before <w:body
    document_tail: str  # word/document.xml after </w:body>
    parts: dict[str, tuple[Template, bool]]  # zip name → (template, needs an XML declaration)
    sections: Sections


def _compile(tpl: DocxTemplate, env: SandboxedEnvironment, xml: str) -> Template:
    # What DocxTemplate.render_xml_part does before Template(): one paragraph per line.
    source = re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml))
    return env.from_string(source)


def _sections(body: str) -> Sections:
    """Main and appendix section properties from the template's final w:sectPr.

    The main section keeps the first-page footer (contact details); an appendix section starts
    on a new page, restarts page numbers and shows no contact footer on its first page.
    """
    root = etree.fromstring(body.encode("utf-8"))
    final = root.find(f"{_W}sectPr")
    main = copy.deepcopy(final)
    for kind in main.findall(f"{_W}type"):
        main.remove(kind)
    appendix = copy.deepcopy(main)
    refs = {r.get(f"{_W}type"): r for r in appendix.findall(f"{_W}footerReference")}
    if "first" in refs and "default" in refs:
        refs["first"].set(f"{_R}id", refs["default"].get(f"{_R}id"))
    restart = etree.Element(f"{_W}pgNumType")
    restart.set(f"{_W}start", "1")
    appendix.find(f"{_W}cols").addprevious(restart)
    return Sections(
        main=etree.tostring(main, encoding="unicode"),
        appendix=etree.tostring(appendix, encoding="unicode"),
    )


@cache
def compiled(family: Family) -> Compiled:
    """The family's template, compiled once per process."""
    path = template_path(family)
    env = environment()
    tpl = DocxTemplate(str(path))
    tpl.init_docx()
    data = path.read_bytes()
    entries = tuple(read_zip(data))
    raw = dict(entries)
    document_xml = raw["word/document.xml"].decode("utf-8")
    head = document_xml[: document_xml.index("<w:body")]
    tail = document_xml[document_xml.index("</w:body>") + len("</w:body>") :]
    body_xml = tpl.get_xml()
    parts: dict[str, tuple[Template, bool]] = {}
    for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
        for _, part in tpl.get_headers_footers(uri):
            source = tpl.get_part_xml(part)
            parts[part.partname.lstrip("/")] = (_compile(tpl, env, source), True)
    for part in tpl.docx.part.package.parts:
        if part.content_type == FOOTNOTES_TYPE:
            parts[part.partname.lstrip("/")] = (_compile(tpl, env, part.blob.decode()), False)
    return Compiled(
        family=family,
        version=hashlib.sha256(data).hexdigest(),
        entries=entries,
        body=_compile(tpl, env, body_xml),
        document_head=head,
        document_tail=tail,
        parts=parts,
        sections=_sections(body_xml),
    )


def _finish(xml: str) -> str:
    """docxtpl's post-processing of a rendered part (DocxTemplate.render_xml_part)."""
    xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
    xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if any(c in xml for c in "\t\n\a\f"):  # resolve_listing only rewrites these characters
        xml = DocxTemplate.resolve_listing(None, xml)  # type: ignore[arg-type]
    return xml


def render_parts(template: Compiled, context: dict[str, Any]) -> list[tuple[str, str | bytes]]:
    """Every zip entry of the rendered document, in template order; XML parts as text.

    Each rendered part is parsed once as a check: escaped content can never break the XML.
    """
    body = _finish(template.body.render(context))
    etree.fromstring(body.encode("utf-8"))
    rendered: dict[str, str] = {
        "word/document.xml": template.document_head + body + template.document_tail
    }
    for name, (part, declare) in template.parts.items():
        xml = _finish(part.render(context))
        etree.fromstring(xml.encode("utf-8"))
        rendered[name] = (DECLARATION + xml) if declare else xml
    return [(name, rendered.get(name, data)) for name, data in template.entries]


def render_docxtpl(family: Family, context: dict[str, Any]) -> bytes:
    """The same template rendered by plain docxtpl, start to finish (the reference path)."""
    tpl = DocxTemplate(str(template_path(family)))
    tpl.render(context, environment(), autoescape=True)
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()


def undeclared_tags(family: Family) -> set[str]:
    """Template variables the family's template uses, footnotes included (for tests)."""
    tpl = DocxTemplate(str(template_path(family)))
    names = set(tpl.get_undeclared_template_variables(environment()))
    tpl.init_docx()
    for part in tpl.docx.part.package.parts:
        if part.content_type == FOOTNOTES_TYPE:
            source = tpl.patch_xml(etree.tostring(parse_xml(part.blob), encoding="unicode"))
            names |= meta.find_undeclared_variables(environment().parse(source))
    return names
