"""Dispatch, the outgoing register and case files as services on the store.

The directory lives in the database (loaded from fixtures/directory/ by `load_directory`). The
engine's `issue` guard asks `recipient_problems`; its `dispatch` transition calls
`record_deliveries` in the same transaction. Email goes out after that commit, and each
delivery's outcome is written in a transaction of its own: a failed send is a `failed`
delivery with its error, never a dispatch rolled back.
"""

from __future__ import annotations

import contextlib
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from numbering.registers import SeriesKey
from numbering.symbols import format_number
from workflow import mail
from workflow.casefiles import CaseFile, FilePlan, check_assignment
from workflow.content import DocumentContent
from workflow.deliveries import (
    Delivery,
    DeliveryError,
    Status,
    channels_summary,
    check_change,
    new_delivery,
    summary,
)
from workflow.directory import DEFAULT_PATH, Directory, UnknownEntry
from workflow.document import Document
from workflow.edxml import EdxmlError, Party, build_envelope
from workflow.errors import Forbidden, NotFound
from workflow.handover import build_package, handover_document
from workflow.recipients import dispatch_targets, issue_problems, kept_copies, plan
from workflow.recipients import printed_problems as issue_problems_printed
from workflow.registers_export import RegisterRow, export, register_row
from workflow.slips import dispatch_slip
from workflow.states import Action, Role, State
from workflow.users import Actor
from workflow.vietnamese import collapse_spaces, vietnam_date

if TYPE_CHECKING:
    from workflow.engine import Engine
    from workflow.store import Database, UnitOfWork

Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


# -- the directory in the database -----------------------------------------------------------


def load_directory(
    db: Database, path: str | Path = DEFAULT_PATH, *, now: datetime | None = None
) -> Directory:
    """Validate the directory files at `path` and put them in the database (replacing it)."""
    directory = Directory.load(path)
    with db.uow() as uow:
        uow.entries.replace(directory.data, now or _utc_now())
        uow.commit()
    return directory


class DirectoryCache:
    """The stored directory, re-read only when its load revision changes."""

    def __init__(self) -> None:
        # (revision, directory), replaced as one value so no reader pairs them wrongly
        self._held: tuple[int, Directory | None] = (-1, None)

    def get(self, uow: UnitOfWork, revision: int | None = None) -> Directory | None:
        """The directory at `revision` (by default the stored one's, read on `uow`)."""
        if revision is None:
            revision = uow.entries.revision()
        held, directory = self._held
        if revision != held:
            data = uow.entries.load()
            directory = Directory(data) if data is not None else None
            self._held = (revision, directory)
        return directory


def stored_directory(db: Database) -> Directory:
    with db.uow(write=False) as uow:
        data = uow.entries.load()
    if data is None:
        raise NotFound("no directory in the database: load one (vanthu directory load)")
    return Directory(data)


NO_DIRECTORY = (
    "the directory is empty, so no recipient can be checked: load it (vanthu directory load)"
)


def recipient_problems(directory: Directory | None, content: DocumentContent) -> list[str]:
    """The issue guard's check (workflow.recipients.issue_problems) as messages."""
    if directory is None:
        return [NO_DIRECTORY]
    return [str(p) for p in issue_problems(content, directory, symbol=content.symbol)]


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def printed_recipient_lines(data: bytes) -> list[str] | None:
    """The lines under "Nơi nhận:" in a rendered .docx; None when it is not a .docx with one.

    Reads word/document.xml with lxml only (a few ms; python-docx would take ~25 ms).
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            root = etree.fromstring(z.read("word/document.xml"))
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError):
        return None
    for para in root.iter(f"{_W}p"):
        if collapse_spaces("".join(t.text or "" for t in para.iter(f"{_W}t"))) != "Nơi nhận:":
            continue
        lines = []
        for sibling in para.itersiblings(f"{_W}p"):
            text = collapse_spaces("".join(t.text or "" for t in sibling.iter(f"{_W}t")))
            if not text.startswith("-"):
                break
            lines.append(text)
        return lines
    return None


def printed_problems(content: DocumentContent, data: bytes) -> list[str]:
    """Whether the rendered file prints exactly the recipient list (skipped for non-.docx)."""
    lines = printed_recipient_lines(data)
    if lines is None:
        return []
    return [str(p) for p in issue_problems_printed(content, lines)]


def record_deliveries(
    uow: UnitOfWork, doc: Document, directory: Directory | None, now: datetime
) -> int:
    """One delivery per dispatch target, in the caller's transaction (RecipientError if not)."""
    if directory is None:
        raise NotFound(NO_DIRECTORY)
    assert doc.id is not None
    items = []
    for target in dispatch_targets(doc.content, directory):
        org = directory.organisation(target.ref) if target.ref else None
        items.append(new_delivery(target, org.organ_id if org else None))
    return uow.deliveries.add(doc.id, items, now)


# -- dispatch and deliveries -------------------------------------------------------------------


@dataclass(frozen=True)
class DispatchOutcome:
    document: Document
    db: Database = field(repr=False, compare=False)

    @cached_property
    def deliveries(self) -> list[Delivery]:
        """Read on first use (the API answers with the document alone): one per target."""
        assert self.document.id is not None
        return deliveries(self.db, self.document.id)


def dispatch(
    engine: Engine,
    actor: Actor,
    document_id: int,
    *,
    mail_settings: mail.SmtpSettings | None = None,
    expected_version: int | None = None,
) -> DispatchOutcome:
    """Dispatch (state + deliveries in one transaction), then send the email deliveries."""
    doc = engine.act(actor, document_id, Action.DISPATCH, expected_version=expected_version)
    if mail_settings is not None:
        send_email(engine.db, document_id, mail_settings, clock=engine.clock)
    return DispatchOutcome(doc, engine.db)


def deliveries(db: Database, document_id: int) -> list[Delivery]:
    """Every delivery of a document, in target order."""
    with db.uow(write=False) as uow:
        uow.documents.get(document_id)
        return uow.deliveries.for_document(document_id)


def _issued(uow: UnitOfWork, document_id: int) -> tuple[Document, bytes]:
    doc = uow.documents.get(document_id)
    found = uow.files.latest(document_id, "issued")
    if doc.number is None or doc.issued_date is None or found is None:
        raise NotFound(f"document {document_id} has not been issued: nothing to send")
    return doc, found[0]


def send_email(
    db: Database,
    document_id: int,
    settings: mail.SmtpSettings,
    *,
    retry_failed: bool = False,
    clock: Clock = _utc_now,
) -> list[Delivery]:
    """Send the issued file to every queued email delivery (and failed ones on retry)."""
    wanted = {Status.QUEUED, Status.FAILED} if retry_failed else {Status.QUEUED}
    with db.uow(write=False) as uow:
        doc, data = _issued(uow, document_id)
        pending = [
            d
            for d in uow.deliveries.for_document(document_id)
            if d.channel == "email" and d.status in wanted and d.address
        ]
    if not pending:
        return []
    content, number = doc.content, format_number(doc.number or 0)
    issued = doc.issued_date or vietnam_date(clock())
    results = mail.send(
        settings,
        [(str(d.id), d.address or "") for d in pending],
        subject=mail.mail_subject(number, content),
        body={str(d.id): mail.mail_body(number, issued, content, d.target_name) for d in pending},
        document=data,
        filename=mail.attachment_filename(number, content),
    )
    with db.uow() as uow:
        for r in results:
            uow.deliveries.update(
                int(r.key),
                status=Status.SENT if r.ok else Status.FAILED,
                error=r.error,
                message_id=r.message_id,
                attempted=True,
                now=clock(),
            )
        uow.commit()
        return [uow.deliveries.get(int(r.key)) for r in results]


_UPDATERS = (Role.CLERK, Role.ADMIN)


def set_delivery_status(
    db: Database,
    actor: Actor,
    delivery_id: int,
    status: str,
    *,
    document_id: int | None = None,
    error: str | None = None,
    clock: Clock = _utc_now,
) -> Delivery:
    """Record what happened to a delivery (received, returned …); the clerk's PATCH."""
    if not any(actor.has(r) for r in _UPDATERS):
        raise Forbidden(
            f"only {' or '.join(_UPDATERS)} may change a delivery; {actor.username} has"
            f" {sorted(actor.roles)}"
        )
    with db.uow() as uow:
        current = uow.deliveries.get(delivery_id)
        if document_id is not None and current.document_id != document_id:
            raise NotFound(f"delivery {delivery_id} is not a delivery of document {document_id}")
        new = check_change(current.status, status)
        if new is Status.FAILED and not (error and error.strip()):
            raise DeliveryError("a failed delivery needs the error (error)")
        uow.deliveries.update(delivery_id, status=new, error=error, now=clock())
        uow.commit()
        return uow.deliveries.get(delivery_id)


def edxml_package(db: Database, delivery_id: int, *, clock: Clock = _utc_now) -> bytes:
    """The edXML package for one edXML delivery (built on demand from the frozen file)."""
    directory = stored_directory(db)
    with db.uow(write=False) as uow:
        d = uow.deliveries.get(delivery_id)
        doc, data = _issued(uow, d.document_id)
    if d.channel != "edxml" or not d.organ_id:
        raise EdxmlError(f"delivery {delivery_id} goes by {d.channel}, not by edXML")
    sender = directory.organisation_by_code(doc.content.issuer.code)
    if not sender.organ_id:
        raise EdxmlError(f"{sender.name} has no edXML OrganId in the directory")
    number = format_number(doc.number or 0)
    return build_envelope(
        doc.content,
        number=number,
        issued=doc.issued_date or vietnam_date(clock()),
        sender=Party(sender.organ_id, sender.name),
        receivers=[Party(d.organ_id, d.target_name, address=d.address)],
        document=data,
        filename=mail.attachment_filename(number, doc.content),
        sent_at=clock(),
    )


def paper_slip(db: Database, delivery_id: int) -> bytes:
    """The dispatch slip for one paper delivery."""
    with db.uow(write=False) as uow:
        d = uow.deliveries.get(delivery_id)
        doc, _ = _issued(uow, d.document_id)
    if d.channel != "paper":
        raise DeliveryError(f"delivery {delivery_id} goes by {d.channel}; only paper has a slip")
    return dispatch_slip(
        doc.content,
        number=format_number(doc.number or 0),
        issued=doc.issued_date or date.today(),
        receiver=d.target_name,
        address=d.address,
    )


# -- the outgoing register ---------------------------------------------------------------------


def _note(doc: Document, sent: list[Delivery]) -> str:
    parts = []
    if doc.content.urgency:
        parts.append(doc.content.urgency)
    if doc.content.secrecy:
        parts.append(doc.content.secrecy)
    if doc.state is State.RECALLED:
        parts.append("đã thu hồi")
    for link, target in sorted(doc.links.items()):
        parts.append(f"{'thay thế' if link == 'replaces' else 'đính chính'} văn bản #{target}")
    parts.append(channels_summary(sent) if sent else "chưa chuyển")
    return "; ".join(parts)


def register_rows(db: Database, series: SeriesKey | str, year: int) -> list[RegisterRow]:
    """The register of `series` ("BGDĐT/VB") for `year`: one row per numbered document."""
    key = series if isinstance(series, SeriesKey) else SeriesKey.parse(series)
    with db.uow(write=False) as uow:
        series_id = uow.registers.series_id(key.issuer_code, key.register)
        if series_id is None:
            raise NotFound(f"no register {key} (series are made at the first issue)")
        docs = uow.registers.numbered(series_id, year)
        sent = uow.deliveries.for_documents([d.id for d in docs if d.id is not None])
        data = uow.entries.load()
    directory = Directory(data) if data is not None else None
    rows = []
    for doc in docs:
        assert doc.id is not None and doc.number is not None and doc.issued_date is not None
        mine = sent[doc.id]
        if mine or directory is None:
            count = len(mine)
        else:
            count = len(plan(doc.content, directory).targets)
        first = min((d.created_at for d in mine), default=None)
        rows.append(
            register_row(
                doc.content,
                number_symbol=f"{format_number(doc.number)}/{doc.symbol or doc.content.symbol}",
                issued=doc.issued_date,
                copies=count + kept_copies(doc.content),
                transfer_date=vietnam_date(first) if first else None,
                received=summary(mine),
                note=_note(doc, mine),
            )
        )
    return rows


def export_register(db: Database, series: SeriesKey | str, year: int, fmt: str) -> bytes:
    """The register as xlsx, csv or docx (what `vanthu register` and the API return)."""
    key = series if isinstance(series, SeriesKey) else SeriesKey.parse(series)
    rows = register_rows(db, key, year)
    issuer = key.issuer_code  # the header falls back to the code without a directory entry
    with contextlib.suppress(NotFound, UnknownEntry):
        issuer = stored_directory(db).organisation_by_code(key.issuer_code).name
    return export(rows, fmt, issuer=issuer, series=str(key), year=year)


# -- case files ----------------------------------------------------------------------------------

_FILERS = (Role.CLERK, Role.ARCHIVIST, Role.ADMIN)


def _may_file(actor: Actor) -> None:
    if not any(actor.has(r) for r in _FILERS):
        raise Forbidden(
            f"only {', '.join(_FILERS)} may keep case files; {actor.username} has"
            f" {sorted(actor.roles)}"
        )


def create_case_file(
    db: Database,
    actor: Actor,
    *,
    issuer_code: str,
    year: int,
    heading: str,
    title: str,
    retention: str | int,
    owner: str,
    numbering: str = "list",
    rights: str | None = None,
    note: str | None = None,
    clock: Clock = _utc_now,
) -> tuple[int, CaseFile]:
    """A new case file in the issuer's list for `year`, numbered next (over the list or heading)."""
    _may_file(actor)
    with db.uow() as uow:
        existing = [f for _, f in uow.casefiles.plan(issuer_code, year)]
        file_plan = FilePlan(
            organisation=issuer_code, year=year, numbering=numbering, files=existing
        )
        _, new = file_plan.add(
            heading=heading, title=title, retention=retention, owner=owner, rights=rights, note=note
        )
        new_id = uow.casefiles.add(issuer_code, new, clock())
        uow.commit()
    return new_id, new


def file_plan(db: Database, issuer_code: str, year: int) -> list[tuple[int, CaseFile]]:
    """The danh mục hồ sơ of an issuer for a year, by number."""
    with db.uow(write=False) as uow:
        return uow.casefiles.plan(issuer_code, year)


def assign_document(
    db: Database, actor: Actor, case_file_id: int, document_id: int, *, clock: Clock = _utc_now
) -> int:
    """Put an issued document into a case file; returns its DocOrdinal there."""
    _may_file(actor)
    with db.uow() as uow:
        _, case_file = uow.casefiles.get(case_file_id)
        doc = uow.documents.get(document_id)
        already = [str(i) for i in uow.casefiles.document_ids(case_file_id)]
        ordinal = check_assignment(
            case_file, document=str(document_id), state=doc.state.value, already=already
        )
        uow.casefiles.assign(case_file_id, document_id, ordinal, clock())
        uow.commit()
    return ordinal


def handover_package(db: Database, case_file_id: int, *, created: datetime | None = None) -> bytes:
    """The hand-over zip of a case file from the stored, frozen issued files."""
    directory = stored_directory(db)
    with db.uow(write=False) as uow:
        issuer_code, case_file = uow.casefiles.get(case_file_id)
        items = []
        for document_id in uow.casefiles.document_ids(case_file_id):
            doc, data = _issued(uow, document_id)
            items.append((doc, data, uow.deliveries.for_document(document_id)))
    documents = []
    for doc, data, sent in items:
        number = format_number(doc.number or 0)
        targets = dispatch_targets(doc.content, directory) if not sent else []
        to_count = len(sent) if sent else len(targets)
        hd = handover_document(
            doc.content,
            number=number,
            issued=doc.issued_date or date.today(),
            filename=mail.attachment_filename(number, doc.content),
            data=data,
            targets=targets,
            directory=directory,
            issued_amount=to_count + kept_copies(doc.content),
        )
        if sent:
            hd = type(hd)(**{**hd.__dict__, "to": tuple((d.organ_id, d.target_name) for d in sent)})
        documents.append(hd)
    try:
        organ_id = directory.organisation_by_code(issuer_code).organ_id
    except UnknownEntry:
        organ_id = None
    return build_package(case_file, documents, organ_id=organ_id, created=created)
