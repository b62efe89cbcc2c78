"""The hand-over package of a case file (nộp lưu, Điều 31): a zip that checks itself.

    casefile.xml                   Phụ lục VI metadata of the case file
    documents/001/metadata.xml     Phụ lục VI metadata of each document, in DocOrdinal order
    documents/001/<issued file>    the issued file itself
    manifest-sha256.txt            "<sha256>  <path>" for every other member (`sha256sum -c`)

Members are stored uncompressed with fixed attributes, so the container is canonical: `verify`
rebuilds it from its members and any byte changed anywhere — in a file, the metadata, the
manifest or the zip structure — is reported.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from lxml import etree

from workflow.atomic import write_bytes
from workflow.casefiles import CaseFile
from workflow.content import DocumentContent
from workflow.directory import Directory
from workflow.errors import VanthuError
from workflow.recipients import Target
from workflow.vietnamese import collapse_spaces, nfc, vietnam_now

MANIFEST = "manifest-sha256.txt"
CASE_FILE_XML = "casefile.xml"
LANGUAGE = "Tiếng Việt"
_LINE = re.compile(r"^([0-9a-f]{64})  (\S(?:.*\S)?)$")
_DOC_DIR = re.compile(r"^documents/(\d{3})/(.+)$")
# ⚠ unconfirmed: the Priority code list of Phụ lục VI (urgency and secrecy in one digit).
PRIORITY = {None: 0, "Khẩn": 1, "Thượng khẩn": 2, "Hỏa tốc": 3}
_FILE_MODE = 0o100644 << 16


class HandoverError(VanthuError):
    code = "handover_error"


@dataclass(frozen=True)
class HandoverDocument:
    """One issued document as Phụ lục VI describes it, with its file."""

    type_name: str
    number: str  # CodeNumber, as printed ("07")
    symbol: str  # CodeNotation ("TB-BGDĐT")
    issued: date
    organ_name: str
    subject: str
    signer_position: str
    signer_name: str
    to: tuple[tuple[str | None, str], ...]  # (OrganId, OrganName) of each receiver
    issued_amount: int
    filename: str
    data: bytes
    priority: int = 0
    pages: int | None = None
    due_date: date | None = None
    description: str = ""


def handover_document(
    content: DocumentContent,
    *,
    number: str,
    issued: date,
    filename: str,
    data: bytes,
    targets: Sequence[Target],
    directory: Directory,
    issued_amount: int,
    pages: int | None = None,
) -> HandoverDocument:
    """The Phụ lục VI description of an issued document, from its content and its targets."""
    to: list[tuple[str | None, str]] = []
    for t in targets:
        org = directory.organisation(t.ref) if t.ref else None
        to.append((org.organ_id if org else None, t.name))
    return HandoverDocument(
        type_name=content.type.name,
        number=number,
        symbol=content.symbol,
        issued=issued,
        organ_name=content.issuer.name,
        subject=collapse_spaces(" ".join(content.subject.splitlines())),
        signer_position=str(content.signature.title),
        signer_name=content.signature.name,
        to=tuple(to),
        issued_amount=issued_amount,
        filename=filename,
        data=data,
        priority=PRIORITY.get(content.urgency, 0),
        pages=pages,
    )


def _dmy(value: date | None) -> str:
    # ⚠ unconfirmed: Date10 is taken as dd/mm/yyyy.
    return f"{value:%d/%m/%Y}" if value else ""


def _el(parent: etree._Element, tag: str, text: str | int | None = None) -> etree._Element:
    el = etree.SubElement(parent, tag)
    el.text = "" if text is None else nfc(str(text))
    return el


def _file_code(parent: etree._Element, organ_id: str | None, case_file: CaseFile) -> None:
    # ⚠ unconfirmed: how FileCode is joined into one string; kept as its three parts.
    code = _el(parent, "FileCode")
    _el(code, "OrganId", organ_id)
    _el(code, "FileCatalog", case_file.year)
    _el(code, "FileNotation", case_file.code)


def _xml(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def case_file_xml(
    case_file: CaseFile, documents: Sequence[HandoverDocument], organ_id: str | None
) -> bytes:
    """Phụ lục VI metadata of the case file (element names from the digest; root ⚠)."""
    root = etree.Element("CaseFile")
    _file_code(root, organ_id, case_file)
    _el(root, "Title", case_file.title)
    _el(root, "Maintenance", case_file.retention)
    _el(root, "Rights", case_file.rights)
    _el(root, "Creator", case_file.owner)
    _el(root, "Language", LANGUAGE)
    dates = [d.issued for d in documents]
    _el(root, "StartDate", _dmy(min(dates, default=None)))
    _el(root, "EndDate", _dmy(max(dates, default=None)))
    _el(root, "DocTotal", len(documents))
    pages = [d.pages for d in documents]
    _el(root, "PageTotal", sum(p for p in pages if p) if all(pages) else None)
    _el(root, "Description", case_file.note)
    return _xml(root)


def document_xml(
    doc: HandoverDocument, ordinal: int, case_file: CaseFile, organ_id: str | None
) -> bytes:
    """Phụ lục VI metadata of an outgoing document (fields 1–16)."""
    root = etree.Element("Document")
    _file_code(root, organ_id, case_file)
    _el(root, "DocOrdinal", ordinal)
    _el(root, "TypeName", doc.type_name)
    _el(root, "CodeNumber", doc.number)
    _el(root, "CodeNotation", doc.symbol)
    _el(root, "IssuedDate", _dmy(doc.issued))
    _el(root, "OrganName", doc.organ_name)
    _el(root, "Subject", doc.subject)
    _el(root, "Language", LANGUAGE)
    _el(root, "PageAmount", doc.pages)
    _el(root, "Description", doc.description)
    signer = _el(root, "SignerInfo")
    _el(signer, "Position", doc.signer_position)
    _el(signer, "FullName", doc.signer_name)
    for organ, name in doc.to:
        to = _el(root, "To")
        _el(to, "OrganId", organ)
        _el(to, "OrganName", name)
    _el(root, "Priority", doc.priority)
    _el(root, "IssuedAmount", doc.issued_amount)
    _el(root, "DueDate", _dmy(doc.due_date))
    _el(root, "FileName", doc.filename)  # not a Phụ lục VI field: ties the metadata to its file
    _el(root, "Sha256", hashlib.sha256(doc.data).hexdigest())  # likewise
    return _xml(root)


def _safe_name(name: str) -> str:
    name = nfc(name).replace("/", "_").replace("\\", "_").strip()
    if not name or name in (".", "..") or name == "metadata.xml":
        raise HandoverError(f"{name!r} cannot be the name of an issued file in the package")
    return name


def _write_zip(members: Sequence[tuple[str, bytes]], when: tuple[int, ...]) -> bytes:
    """The canonical container: stored members, fixed attributes, in the given order."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=when)  # type: ignore[arg-type]
            info.compress_type = zipfile.ZIP_STORED
            info.create_system = 3
            info.create_version = info.extract_version = 20
            info.external_attr = _FILE_MODE
            z.writestr(info, data)
    return out.getvalue()


def manifest(members: Sequence[tuple[str, bytes]]) -> bytes:
    """sha256sum-style lines, sorted by path, UTF-8, each ending in a newline."""
    lines = [f"{hashlib.sha256(data).hexdigest()}  {name}\n" for name, data in sorted(members)]
    return "".join(lines).encode("utf-8")


def build_package(
    case_file: CaseFile,
    documents: Sequence[HandoverDocument],
    *,
    organ_id: str | None,
    created: datetime | None = None,
) -> bytes:
    """The zip for one case file; documents in the order given are DocOrdinal 1, 2, 3 …"""
    if len(documents) > 999:
        raise HandoverError("a case file holds at most 999 documents (DocOrdinal N3)")
    members: list[tuple[str, bytes]] = [
        (CASE_FILE_XML, case_file_xml(case_file, documents, organ_id))
    ]
    for ordinal, doc in enumerate(documents, start=1):
        folder = f"documents/{ordinal:03d}"
        members.append((f"{folder}/metadata.xml", document_xml(doc, ordinal, case_file, organ_id)))
        members.append((f"{folder}/{_safe_name(doc.filename)}", doc.data))
    members.append((MANIFEST, manifest(members)))
    when = vietnam_now(created).timetuple()[:6]
    return _write_zip(members, max(when, (1980, 1, 1, 0, 0, 0)))


def save_package(data: bytes, path: str | Path) -> Path:
    """Write the package next to `path` and rename it into place: never half a package."""
    return write_bytes(path, data)


def _manifest_problems(text: bytes, members: dict[str, bytes]) -> list[str]:
    problems: list[str] = []
    try:
        decoded = text.decode("utf-8")
    except UnicodeDecodeError as exc:
        return [f"{MANIFEST}: not UTF-8 ({exc})"]
    if decoded and not decoded.endswith("\n"):
        problems.append(f"{MANIFEST}: the last line has no newline")
    listed: dict[str, str] = {}
    for n, line in enumerate(decoded.split("\n")[:-1] if decoded else [], start=1):
        m = _LINE.match(line)
        if not m:
            problems.append(f"{MANIFEST} line {n}: not '<64 lower-case hex>  <path>': {line!r}")
            continue
        digest, name = m.groups()
        if name in listed:
            problems.append(f"{MANIFEST} line {n}: {name} is listed twice")
        listed[name] = digest
    if sorted(listed) != list(listed):
        problems.append(f"{MANIFEST}: lines are not sorted by path")
    for name, digest in listed.items():
        if name not in members:
            problems.append(f"{name}: listed in the manifest but not in the package")
        elif hashlib.sha256(members[name]).hexdigest() != digest:
            problems.append(
                f"{name}: SHA-256 differs from its line in {MANIFEST}"
                " (the file or the manifest was changed)"
            )
    for name in members:
        if name != MANIFEST and name not in listed:
            problems.append(f"{name}: in the package but not in the manifest")
    return problems


def _parse(name: str, data: bytes, root: str, problems: list[str]) -> etree._Element | None:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    try:
        el = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        problems.append(f"{name}: not well-formed XML ({exc})")
        return None
    if el.tag != root:
        problems.append(f"{name}: root element is {el.tag}, expected {root}")
        return None
    return el


def _metadata_problems(members: dict[str, bytes]) -> list[str]:
    problems: list[str] = []
    if CASE_FILE_XML not in members:
        return [f"{CASE_FILE_XML}: missing"]
    case = _parse(CASE_FILE_XML, members[CASE_FILE_XML], "CaseFile", problems)
    folders: dict[str, list[str]] = {}
    for name in members:
        m = _DOC_DIR.match(name)
        if m:
            folders.setdefault(m.group(1), []).append(m.group(2))
        elif name not in (CASE_FILE_XML, MANIFEST):
            problems.append(f"{name}: not where a package keeps anything")
    if case is None:
        return problems
    notation = case.findtext("FileCode/FileNotation")
    if case.findtext("DocTotal") != str(len(folders)):
        problems.append(
            f"{CASE_FILE_XML}: DocTotal is {case.findtext('DocTotal')!r}"
            f" but the package holds {len(folders)} documents"
        )
    expected = [f"{i:03d}" for i in range(1, len(folders) + 1)]
    if sorted(folders) != expected:
        problems.append(f"documents/: folders {sorted(folders)} are not 001…{len(folders):03d}")
    for folder, names in sorted(folders.items()):
        meta_name = f"documents/{folder}/metadata.xml"
        files = [n for n in names if n != "metadata.xml"]
        if "metadata.xml" not in names or len(files) != 1:
            problems.append(f"documents/{folder}/: needs metadata.xml and exactly one issued file")
            continue
        meta = _parse(meta_name, members[meta_name], "Document", problems)
        if meta is None:
            continue
        issued = members[f"documents/{folder}/{files[0]}"]
        if meta.findtext("DocOrdinal") != str(int(folder)):
            problems.append(f"{meta_name}: DocOrdinal {meta.findtext('DocOrdinal')} ≠ {folder}")
        if meta.findtext("FileCode/FileNotation") != notation:
            problems.append(f"{meta_name}: FileNotation differs from the case file's {notation}")
        if meta.findtext("FileName") != files[0]:
            problems.append(f"{meta_name}: FileName does not name documents/{folder}/{files[0]}")
        if meta.findtext("Sha256") != hashlib.sha256(issued).hexdigest():
            problems.append(f"{meta_name}: Sha256 does not match documents/{folder}/{files[0]}")
    return problems


def verify_package(source: bytes | str | Path) -> list[str]:
    """Every problem with a hand-over package; an empty list means it is intact."""
    data = source if isinstance(source, bytes) else Path(source).read_bytes()
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
        members: dict[str, bytes] = {}
        order: list[tuple[str, bytes]] = []
        for info in infos:
            if info.filename in members:
                return [f"{info.filename}: in the package twice"]
            content = archive.read(info)  # checks each member's CRC-32
            members[info.filename] = content
            order.append((info.filename, content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        return [f"not a readable zip: {exc}"]
    except Exception as exc:  # a damaged header can make zipfile or zlib fail in many ways
        return [f"not a readable zip: {type(exc).__name__}: {exc}"]
    if MANIFEST not in members:
        return [f"{MANIFEST}: missing"]
    problems = _manifest_problems(members[MANIFEST], members)
    problems += _metadata_problems(members)
    try:
        canonical = _write_zip(order, infos[0].date_time) if infos else b""
    except (ValueError, OverflowError) as exc:
        canonical = b""
        problems.append(f"zip container: a header holds an impossible value ({exc})")
    if canonical != data and not problems:
        at = next(
            (i for i, (a, b) in enumerate(zip(canonical, data, strict=False)) if a != b), None
        )
        where = f"at byte {at}" if at is not None else "in its length"
        problems.append(
            f"zip container: every member is intact but the zip structure was altered ({where})"
        )
    return problems
