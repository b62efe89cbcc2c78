"""The edXML package for one receiver (QCVN 102:2016/BTTTT), built from plain values with lxml.

The standard's text was not at hand: the structure follows where the VNPT SDK, Bkav and
OpenCPS code agree (reference/decree30.md §7). Every detail not confirmed by the standard is
marked `# ⚠ unconfirmed:` below, so it can be checked and fixed in one place.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from datetime import date, datetime

from lxml import etree

from workflow.content import AuthorityLine, DocumentContent
from workflow.errors import VanthuError
from workflow.vietnamese import nfc, vietnam_now

NS = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
_E = f"{{{NS}}}"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# ⚠ unconfirmed: BussinessDocType codes as seen in SDK code (0 new, 1 recall, 2 update, 3 replace).
BUSINESS_NEW, BUSINESS_RECALL, BUSINESS_UPDATE, BUSINESS_REPLACE = 0, 1, 2, 3
# ⚠ unconfirmed: Priority codes; 0 = normal, then the three urgency levels in order.
PRIORITY = {None: 0, "Khẩn": 1, "Thượng khẩn": 2, "Hỏa tốc": 3}


class EdxmlError(VanthuError):
    """An edXML package cannot be built (a party has no OrganId) or read back."""

    code = "edxml_error"


@dataclass(frozen=True)
class Party:
    """Sender or receiver: its OrganId (QĐ 20/2020/QĐ-TTg code) and name."""

    organ_id: str
    name: str
    in_charge: str | None = None  # OrganizationInCharge: the parent body
    address: str | None = None
    email: str | None = None

    def __post_init__(self) -> None:
        if not self.organ_id or not self.organ_id.strip():
            raise EdxmlError(f"{self.name}: no edXML OrganId, so it cannot receive by edXML")


@dataclass(frozen=True)
class Envelope:
    """What `read_envelope` gives back: the header fields and the attached files."""

    sender: str
    receivers: list[str]
    document_id: str
    code_number: str
    code_notation: str
    place: str
    promulgation_date: str
    type_name: str
    subject: str
    competence: str
    position: str
    signer: str
    to_places: list[str]
    priority: int
    business_doc_type: int
    attachments: dict[str, bytes] = field(default_factory=dict)


def _sentence(line: AuthorityLine) -> str:
    """ "TL. BỘ TRƯỞNG" → "TL. Bộ trưởng": the SDK samples write titles in sentence case."""
    # ⚠ unconfirmed: whether receivers expect the printed capitals instead.
    title = line.title[:1] + line.title[1:].lower()
    return f"{line.prefix} {title}" if line.prefix else title


def _sub(parent: etree._Element, tag: str, text: str | int | None = None) -> etree._Element:
    el = etree.SubElement(parent, _E + tag)
    if text is not None:
        el.text = nfc(str(text))
    return el


def _party(parent: etree._Element, tag: str, party: Party) -> None:
    el = _sub(parent, tag)
    _sub(el, "OrganId", party.organ_id)
    # ⚠ unconfirmed: which of these are required, and whether empty ones must be present.
    _sub(el, "OrganizationInCharge", party.in_charge or "")
    _sub(el, "OrganName", party.name)
    _sub(el, "OrganAdd", party.address or "")
    _sub(el, "Email", party.email or "")
    _sub(el, "Telephone", "")
    _sub(el, "Fax", "")
    _sub(el, "Website", "")


def document_id(sender: Party, issued: date, number: str, symbol: str) -> str:
    """DocumentId as "{OrganId},{YYYY/MM/DD},{số}/{ký hiệu}"."""
    # ⚠ unconfirmed: also seen as "000.00.01.H01,2018,10"; the standard's own form is not known.
    return f"{sender.organ_id},{issued:%Y/%m/%d},{number}/{symbol}"


def build_envelope(
    content: DocumentContent,
    *,
    number: str,
    issued: date,
    sender: Party,
    receivers: list[Party],
    document: bytes,
    filename: str,
    business_doc_type: int = BUSINESS_NEW,
    page_amount: int | None = None,
    promulgation_amount: int | None = None,
    sent_at: datetime | None = None,
) -> bytes:
    """The edXML package (UTF-8 bytes) carrying the issued file to `receivers`."""
    if not receivers:
        raise EdxmlError("an edXML package needs at least one receiver")
    symbol = content.symbol
    root = etree.Element(_E + "edXML", nsmap={"edXML": NS})
    # ⚠ unconfirmed: the root element "edXML" around the envelope and the encoded attachments.
    envelope = _sub(root, "edXMLEnvelope")
    header = _sub(envelope, "edXMLHeader")
    msg = _sub(header, "MessageHeader")
    _party(msg, "From", sender)
    for receiver in receivers:
        _party(msg, "To", receiver)
    _sub(msg, "DocumentId", document_id(sender, issued, number, symbol))
    code = _sub(msg, "Code")
    _sub(code, "CodeNumber", number)
    _sub(code, "CodeNotation", symbol)
    prom = _sub(msg, "PromulgationInfo")
    _sub(prom, "Place", content.place)
    _sub(prom, "PromulgationDate", f"{issued:%Y/%m/%d}")  # ⚠ unconfirmed: yyyy/MM/dd
    doc_type = _sub(msg, "DocumentType")
    # ⚠ unconfirmed: Type 1 = administrative document; TypeDetail code lists vary (công văn).
    _sub(doc_type, "Type", 1)
    _sub(doc_type, "TypeName", content.type.name)
    _sub(msg, "Subject", " ".join(content.subject.splitlines()))
    _sub(msg, "Content", "")
    signer = _sub(msg, "SignerInfo")
    _sub(signer, "Competence", " / ".join(_sentence(line) for line in content.signature.chain))
    _sub(signer, "Position", _sentence(content.signature.title))
    _sub(signer, "FullName", content.signature.name)
    _sub(msg, "DueDate", "")
    places = _sub(msg, "ToPlaces")
    for r in content.recipients:
        _sub(places, "Place", f"{r.name} ({r.purpose})" if r.purpose else r.name)
    other = _sub(msg, "OtherInfo")
    _sub(other, "Priority", PRIORITY.get(content.urgency, 0))
    _sub(other, "SphereOfPromulgation", "")
    _sub(other, "TyperNotation", content.drafter_initials or "")
    _sub(other, "PromulgationAmount", promulgation_amount if promulgation_amount else "")
    _sub(other, "PageAmount", page_amount if page_amount else "")
    business = _sub(msg, "Business")  # ⚠ unconfirmed: element name and place of the doc type
    _sub(business, "BussinessDocType", business_doc_type)  # sic: the SDKs spell it so
    trace = _sub(_sub(header, "TraceHeaderList"), "TraceHeader")
    _sub(trace, "OrganId", sender.organ_id)
    _sub(trace, "Timestamp", vietnam_now(sent_at).isoformat(timespec="seconds"))
    # ⚠ unconfirmed: the XMLDSig <Signature> of the header is left to the signing service.
    body = _sub(envelope, "edXMLBody")
    manifest = _sub(body, "edXMLManifest", None)
    manifest.set("version", "1.0")  # ⚠ unconfirmed
    ref = _sub(manifest, "Reference")
    _sub(ref, "ContentId", "cid:1")
    _sub(ref, "ContentType", DOCX_TYPE)
    _sub(ref, "AttachmentName", filename)
    _sub(ref, "Description", "Văn bản phát hành")
    # ⚠ unconfirmed: base64 attachments after the envelope (the SDKs also use MIME multipart).
    encoded = _sub(root, "AttachmentEncoded")
    att = _sub(encoded, "Attachment")
    _sub(att, "ContentId", "cid:1")
    _sub(att, "AttachmentName", filename)
    _sub(att, "ContentType", DOCX_TYPE)
    _sub(att, "ContentTransferEncoded", base64.b64encode(document).decode("ascii"))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _text(el: etree._Element, path: str) -> str:
    found = el.find(path, {"e": NS})
    if found is None:
        raise EdxmlError(f"edXML: missing {path.replace('e:', '')}")
    return found.text or ""


def read_envelope(data: bytes) -> Envelope:
    """Parse a package built by `build_envelope` (or a peer's of the same shape)."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise EdxmlError(f"edXML: not well-formed XML: {exc}") from exc
    ns = {"e": NS}
    msg = root.find("e:edXMLEnvelope/e:edXMLHeader/e:MessageHeader", ns)
    if msg is None:
        raise EdxmlError("edXML: no edXMLEnvelope/edXMLHeader/MessageHeader")
    names = {
        _text(r, "e:ContentId"): _text(r, "e:AttachmentName")
        for r in root.iterfind("e:edXMLEnvelope/e:edXMLBody/e:edXMLManifest/e:Reference", ns)
    }
    attachments: dict[str, bytes] = {}
    for att in root.iterfind("e:AttachmentEncoded/e:Attachment", ns):
        cid = _text(att, "e:ContentId")
        if cid not in names:
            raise EdxmlError(f"edXML: attachment {cid} is not in the manifest")
        attachments[names[cid]] = base64.b64decode(_text(att, "e:ContentTransferEncoded"))
    return Envelope(
        sender=_text(msg, "e:From/e:OrganId"),
        receivers=[_text(to, "e:OrganId") for to in msg.iterfind("e:To", ns)],
        document_id=_text(msg, "e:DocumentId"),
        code_number=_text(msg, "e:Code/e:CodeNumber"),
        code_notation=_text(msg, "e:Code/e:CodeNotation"),
        place=_text(msg, "e:PromulgationInfo/e:Place"),
        promulgation_date=_text(msg, "e:PromulgationInfo/e:PromulgationDate"),
        type_name=_text(msg, "e:DocumentType/e:TypeName"),
        subject=_text(msg, "e:Subject"),
        competence=_text(msg, "e:SignerInfo/e:Competence"),
        position=_text(msg, "e:SignerInfo/e:Position"),
        signer=_text(msg, "e:SignerInfo/e:FullName"),
        to_places=[p.text or "" for p in msg.iterfind("e:ToPlaces/e:Place", ns)],
        priority=int(_text(msg, "e:OtherInfo/e:Priority")),
        business_doc_type=int(_text(msg, "e:Business/e:BussinessDocType")),
        attachments=attachments,
    )
