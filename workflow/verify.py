"""`vanthu verify`'s checks: every audit chain, the ledger against the documents, the counters
against the ledger, every issued file against a fresh rendering (SHA-256), and every stored
signed rendition against the issued file it was filled into (or, not yet issued, against a fresh
preparation of its content)."""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from workflow.audit import AuditEntry, chain_problems
from workflow.document import Document
from workflow.engine import Renderer
from workflow.states import State
from workflow.store import Database, UnitOfWork

NUMBERED_LIVE = {State.ISSUED, State.DISPATCHED, State.ARCHIVED}


@dataclass
class Verification:
    documents: int = 0
    audit_entries: int = 0
    ledger_rows: int = 0
    series_years: int = 0
    rerendered: int = 0
    renditions: int = 0  # stored signed renditions checked
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(
    db: Database,
    renderer: Renderer,
    *,
    progress: Callable[[str, int, int], None] | None = None,
) -> Verification:
    """Check everything; problems are collected, not raised, so one run reports them all."""
    out = Verification()
    numbered: dict[int, tuple[int | None, int | None, int | None, str | None, State]] = {}
    with db.uow(write=False) as uow:
        total = len(uow.documents.ids())
        entries = itertools.groupby(uow.audit.iter_all(), key=lambda e: e.document_id)
        pending = next(entries, None)
        for doc in uow.documents.iter_all():
            assert doc.id is not None
            out.documents += 1
            chain = []
            while pending is not None and pending[0] < doc.id:
                out.problems.append(f"audit entries for unknown document {pending[0]}")
                pending = next(entries, None)
            if pending is not None and pending[0] == doc.id:
                chain = list(pending[1])
                pending = next(entries, None)
            out.audit_entries += len(chain)
            out.problems += _document_problems(doc, chain)
            issued = None
            if doc.number is not None:
                numbered[doc.id] = (doc.series_id, doc.year, doc.number, doc.symbol, doc.state)
                issued, problems = _file_problems(uow, doc, renderer)
                out.problems += problems
                out.rerendered += 1
            if doc.state is State.SIGNED or issued is not None:
                checked, problems = _rendition_problems(uow, doc, renderer, issued)
                out.renditions += checked
                out.problems += problems
            if progress and out.documents % 100 == 0:
                progress("documents", out.documents, total)
        for row in uow.numbers.ledger():
            out.ledger_rows += 1
            have = numbered.pop(row.document_id, None)
            where = f"ledger {row.series_id}/{row.year}/{row.number}"
            if have is None:
                out.problems.append(f"{where}: document {row.document_id} carries no number")
                continue
            series, year, number, symbol, state = have
            if (series, year, number, symbol) != (row.series_id, row.year, row.number, row.symbol):
                out.problems.append(
                    f"{where}: document {row.document_id} says {series}/{year}/{number} {symbol}"
                )
            expected = "recalled" if state is State.RECALLED else "issued"
            if state not in NUMBERED_LIVE | {State.RECALLED} or row.status != expected:
                out.problems.append(
                    f"{where}: status {row.status} but document {row.document_id} is {state}"
                )
        for doc_id in numbered:
            out.problems.append(f"document {doc_id} has a number but no ledger row")
        for sy in uow.numbers.report():
            out.series_years += 1
            for lo, hi in sy.gaps:
                out.problems.append(f"series {sy.series} {sy.year}: numbers {lo}..{hi} missing")
            for n in sy.beyond_counter:
                out.problems.append(f"series {sy.series} {sy.year}: {n} beyond the counter")
    return out


def _document_problems(doc: Document, chain: list[AuditEntry]) -> list[str]:
    assert doc.id is not None
    problems = chain_problems(doc.id, chain)
    where = f"document {doc.id}"
    if not chain:
        return [f"{where}: no audit entries"]
    last = chain[-1]
    if last.hash != doc.audit_hash:
        problems.append(f"{where}: audit head {doc.audit_hash} is not the last entry's hash")
    if last.seq != doc.version:
        problems.append(f"{where}: version {doc.version} but {last.seq} audit entries")
    if last.to_state != doc.state:
        problems.append(f"{where}: state {doc.state} but the audit ends in {last.to_state}")
    if last.content_sha256 != doc.content_sha256:
        problems.append(f"{where}: content changed outside the workflow (hash mismatch)")
    if doc.state in NUMBERED_LIVE | {State.RECALLED}:
        signed = [e for e in chain if e.action == "sign"]
        if not signed or signed[-1].content_sha256 != doc.content_sha256:
            problems.append(f"{where}: issued content is not the content signed")
    return problems


def _file_problems(
    uow: UnitOfWork, doc: Document, renderer: Renderer
) -> tuple[bytes | None, list[str]]:
    """The stored issued file (None if missing) and what is wrong with it."""
    where = f"document {doc.id} ({doc.number}/{doc.symbol})"
    try:
        stored = uow.files.latest(doc.id, "issued")
    except ValueError as exc:  # damaged beyond reading
        return None, [f"{where}: stored issued file does not match its SHA-256 ({exc})"]
    if stored is None:
        return None, [f"{where}: no issued file"]
    data, sha = stored
    problems = []
    if hashlib.sha256(data).hexdigest() != sha or sha != doc.issued_sha256:
        problems.append(f"{where}: stored issued file does not match its SHA-256")
    again = hashlib.sha256(renderer.render(doc.content, doc.number, doc.issued_date)).hexdigest()
    if again != doc.issued_sha256:
        problems.append(f"{where}: re-rendering gives a different file (SHA-256 {again[:12]}…)")
    return data, problems


def _rendition_problems(
    uow: UnitOfWork, doc: Document, renderer: Renderer, issued: bytes | None
) -> tuple[int, list[str]]:
    """(1 if a signed rendition was checked else 0, its problems).

    Issued: the rendition filled with the issued number and date must be the issued file.
    Signed: it must be what preparing the content gives now.
    """
    try:
        stored = uow.files.latest(doc.id, "signed")
    except ValueError as exc:  # damaged beyond reading
        return 1, [f"document {doc.id}: stored signed rendition is unreadable ({exc})"]
    load = getattr(renderer, "load_prepared", None)
    if stored is None or load is None:
        return 0, []  # signed before renditions were stored, or a renderer that stores none
    data, sha = stored
    where = f"document {doc.id}: stored signed rendition"
    if hashlib.sha256(data).hexdigest() != sha:
        return 1, [f"{where} does not match its SHA-256"]
    try:
        prepared = load(data)
    except ValueError as exc:
        return 1, [f"{where} is unreadable ({exc})"]
    if prepared.content_sha256 != doc.content_sha256:
        return 1, [f"{where} is of other content than the document's"]
    if issued is not None:
        if prepared.fill(doc.number, doc.issued_date) != issued:
            return 1, [
                f"{where} filled with number {doc.number} and date {doc.issued_date} is not"
                " the issued file"
            ]
        return 1, []
    fresh = renderer.prepare(doc.content, today=date(prepared.draft_year, 1, 1))
    if fresh.to_bytes() != data:  # type: ignore[attr-defined]
        return 1, [f"{where} differs from a fresh preparation of its content"]
    return 1, []
