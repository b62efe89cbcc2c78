"""One router per resource; app.py includes them in ROUTERS order.

`/documents/{document_id:int}` only matches numbers, so a later `/documents/search` router
is never captured by it.
"""

from __future__ import annotations

ROUTERS: tuple[str, ...] = (
    "auth",
    "documents",
    "actions",
    "files",
    "history",
    "deliveries",
    "registers",
    "directory",
    "casefiles",
    "derived",
    "users",
    "delegations",
    "search",
)
