"""Replacement and correction links, kept apart from documents.links so that the original's
page can list what replaced or corrected it with one indexed lookup."""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa

from workflow.store.tables import document_links


class DocumentLinkRepository:
    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn

    def add(self, document_id: int, links: Mapping[str, int]) -> None:
        """Record that `document_id` replaces / corrects the documents in `links`."""
        if links:
            self.conn.execute(
                sa.insert(document_links),
                [{"document_id": document_id, "kind": k, "target_id": t} for k, t in links.items()],
            )

    def linked_by(self, target_id: int) -> dict[str, list[int]]:
        """{"replaces": [ids of documents replacing target_id], "corrects": […]}, oldest first."""
        rows = self.conn.execute(
            sa.select(document_links.c.kind, document_links.c.document_id)
            .where(document_links.c.target_id == target_id)
            .order_by(document_links.c.document_id)
        )
        found: dict[str, list[int]] = {}
        for kind, document_id in rows:
            found.setdefault(kind, []).append(document_id)
        return found
