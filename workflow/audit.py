"""The audit trail's hash chain: one chain per document, each entry hashing the one before.

Per-document chains keep unrelated documents from serialising on one chain head; the document
row carries its chain's head hash, so dropping the last entries is detected too.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

GENESIS = "0" * 64


def canonical_time(moment: datetime) -> str:
    """UTC, microseconds, no offset: the same text whichever database stored it."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.isoformat(timespec="microseconds")


@dataclass(frozen=True)
class AuditEntry:
    """One stored audit row: an Event placed at `seq` in its document's chain."""

    document_id: int
    seq: int
    actor: str
    role: str
    action: str
    from_state: str | None
    to_state: str
    at: datetime
    content_sha256: str
    comment: str | None
    prev_hash: str
    hash: str = ""

    def canonical(self) -> str:
        body = {
            "document_id": self.document_id,
            "seq": self.seq,
            "actor": self.actor,
            "role": self.role,
            "action": self.action,
            "from_state": self.from_state,
            "to_state": self.to_state,
            "at": canonical_time(self.at),
            "content_sha256": self.content_sha256,
            "comment": self.comment,
            "prev_hash": self.prev_hash,
        }
        return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def computed_hash(self) -> str:
        return hashlib.sha256(self.canonical().encode("utf-8")).hexdigest()


def chain_problems(document_id: int, entries: list[AuditEntry]) -> list[str]:
    """Everything wrong with one document's chain (entries in seq order); [] if intact."""
    problems = []
    prev = GENESIS
    for expected_seq, entry in enumerate(entries, start=1):
        where = f"document {document_id} audit seq {entry.seq}"
        if entry.seq != expected_seq:
            problems.append(f"{where}: expected seq {expected_seq} (entry missing or reordered)")
        if entry.prev_hash != prev:
            problems.append(f"{where}: prev_hash does not match the entry before it")
        if entry.computed_hash() != entry.hash:
            problems.append(f"{where}: hash does not match the entry's contents (altered)")
        prev = entry.hash
    return problems
