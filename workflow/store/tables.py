"""The schema as SQLAlchemy Core tables: what the repositories read and write.

The Alembic migrations in migrations/versions build exactly this (a test compares them).
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

metadata = sa.MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

# JSON text on SQLite, JSONB on PostgreSQL (indexable for search later).
Json = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
Sha256 = sa.String(64)
When = sa.DateTime(timezone=True)

users = sa.Table(
    "users",
    metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("full_name", sa.String(200), nullable=False),
    sa.Column("roles", Json, nullable=False),
    sa.Column("unit_code", sa.String(40), nullable=False),
    sa.Column("issuer_code", sa.String(40), nullable=False),
    sa.Column("position_title", sa.String(200), nullable=False, server_default=""),
    sa.Column("password_hash", sa.String(255), nullable=True),
)

delegations = sa.Table(
    "delegations",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("grantee", sa.ForeignKey("users.username"), nullable=False, index=True),
    sa.Column("authority", sa.String(240), nullable=False),
    sa.Column("prefix", sa.String(4), nullable=False),
    sa.Column("title", sa.String(230), nullable=False),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("valid_to", sa.Date, nullable=True),
    sa.Column("granted_by", sa.String(200), nullable=False),
    sa.Column("redelegable", sa.Boolean, nullable=False),
    sa.Column("revoked_at", When, nullable=True),
    sa.Column("revoked_by", sa.String(64), nullable=True),
    sa.CheckConstraint("prefix IN ('TL', 'KT', 'TUQ', 'Q')", name="prefix"),
    sa.CheckConstraint("NOT (prefix = 'TUQ' AND redelegable)", name="tuq_not_redelegable"),
)

series = sa.Table(
    "series",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("issuer_code", sa.String(40), nullable=False),
    sa.Column("register", sa.String(60), nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
    sa.UniqueConstraint("issuer_code", "register"),
)

counters = sa.Table(
    "counters",
    metadata,
    sa.Column("series_id", sa.ForeignKey("series.id"), primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("last_number", sa.Integer, nullable=False),
    sa.CheckConstraint("last_number >= 0", name="last_number"),
)

documents = sa.Table(
    "documents",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("issuer_code", sa.String(40), nullable=False),
    sa.Column("doc_type", sa.String(40), nullable=False, index=True),
    sa.Column("drafting_unit", sa.String(40), nullable=False),
    sa.Column("state", sa.String(24), nullable=False, index=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("content", Json, nullable=False),
    sa.Column("content_sha256", Sha256, nullable=False),
    sa.Column("created_by", sa.String(64), nullable=False),
    sa.Column("signer", sa.String(64), nullable=True),
    sa.Column("approvals", Json, nullable=False),
    sa.Column("links", Json, nullable=False),
    sa.Column("series_id", sa.ForeignKey("series.id"), nullable=True),
    sa.Column("year", sa.Integer, nullable=True),
    sa.Column("number", sa.Integer, nullable=True),
    sa.Column("symbol", sa.String(60), nullable=True),
    sa.Column("issued_date", sa.Date, nullable=True),
    sa.Column("issued_at", When, nullable=True),
    sa.Column("issued_sha256", Sha256, nullable=True),
    sa.Column("audit_hash", Sha256, nullable=True),
    sa.Column("created_at", When, nullable=False),
    sa.Column("updated_at", When, nullable=False),
    sa.UniqueConstraint("series_id", "year", "number"),
    sa.Index(None, "year", "number", "symbol"),
    sa.Index(None, "symbol", "year"),
    sa.Index(None, "signer", "state"),
)

# Replacement / correction links, one row per derived document, looked up from the original.
document_links = sa.Table(
    "document_links",
    metadata,
    sa.Column("document_id", sa.ForeignKey("documents.id"), primary_key=True),
    sa.Column("kind", sa.String(16), primary_key=True),
    sa.Column("target_id", sa.ForeignKey("documents.id"), nullable=False, index=True),
    sa.CheckConstraint("kind IN ('replaces', 'corrects')", name="kind"),
)

files = sa.Table(
    "files",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("document_id", sa.ForeignKey("documents.id"), nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("bytes", sa.LargeBinary, nullable=False),
    sa.Column("sha256", Sha256, nullable=False),
    sa.Column("created_at", When, nullable=False),
    # signed: the directory revision the recipient list resolved against without a problem when
    # it was signed; issue's recipient guard holds without re-running while that is current.
    sa.Column("directory_revision", sa.Integer, nullable=True),
    # draft: what the format checker passed; signed: the rendition the signer signed (prepared
    # but for number and date, workflow.rendering.Prepared.to_bytes); issued: the frozen file.
    # `encoding` says how `bytes` holds the file: "identity" as it is, "deflate" as a raw
    # DEFLATE stream (workflow/deflate.py); `sha256` is always of the file itself. PostgreSQL
    # stores `bytes` out of line without compressing it again (migration 0003: STORAGE EXTERNAL).
    sa.Column("encoding", sa.String(8), nullable=False, server_default="identity"),
    sa.CheckConstraint("kind IN ('draft', 'signed', 'issued')", name="kind"),
    sa.CheckConstraint("encoding IN ('identity', 'deflate')", name="encoding"),
    sa.CheckConstraint("length(sha256) = 64", name="sha256"),
    sa.Index(None, "document_id", "kind"),
    # One frozen issued file per document.
    sa.Index(
        "uq_files_issued",
        "document_id",
        unique=True,
        sqlite_where=sa.text("kind = 'issued'"),
        postgresql_where=sa.text("kind = 'issued'"),
    ),
)

audit = sa.Table(
    "audit",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("document_id", sa.ForeignKey("documents.id"), nullable=False),
    sa.Column("seq", sa.Integer, nullable=False),
    sa.Column("actor", sa.String(64), nullable=False),
    sa.Column("role", sa.String(24), nullable=False),
    sa.Column("action", sa.String(24), nullable=False, index=True),
    sa.Column("from_state", sa.String(24), nullable=True),
    sa.Column("to_state", sa.String(24), nullable=False),
    sa.Column("at", When, nullable=False),
    sa.Column("content_sha256", Sha256, nullable=False),
    sa.Column("comment", sa.Text, nullable=True),
    sa.Column("prev_hash", Sha256, nullable=False),
    sa.Column("hash", Sha256, nullable=False),
    sa.UniqueConstraint("document_id", "seq"),
)

number_ledger = sa.Table(
    "number_ledger",
    metadata,
    sa.Column("series_id", sa.ForeignKey("series.id"), primary_key=True),
    sa.Column("year", sa.Integer, primary_key=True),
    sa.Column("number", sa.Integer, primary_key=True),
    sa.Column("document_id", sa.ForeignKey("documents.id"), nullable=False, unique=True),
    sa.Column("symbol", sa.String(60), nullable=False),
    sa.Column("status", sa.String(10), nullable=False),
    sa.Column("at", When, nullable=False),
    sa.Column("reason", sa.Text, nullable=True),
    sa.CheckConstraint("status IN ('issued', 'recalled')", name="status"),
    sa.CheckConstraint("number >= 1", name="number"),
)

# -- Directory, deliveries, case files (workflow.directory, workflow.dispatching) ---------------
# The directory is loaded whole (replace-all) from fixtures or an import; `dir_revision` counts
# loads so long-lived engines know when to re-read it.

dir_revision = sa.Table(
    "dir_revision",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("loaded_at", When, nullable=False),
    sa.CheckConstraint("id = 1", name="single_row"),
)

dir_organisations = sa.Table(
    "dir_organisations",
    metadata,
    sa.Column("id", sa.String(80), primary_key=True),
    sa.Column("ord", sa.Integer, nullable=False),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("code", sa.String(40), nullable=False, index=True),
    sa.Column("organ_id", sa.String(30), nullable=True),
    sa.Column("parent_id", sa.String(80), nullable=True),
    sa.Column("aliases", Json, nullable=False),
    sa.Column("channels", Json, nullable=False),
)

dir_people = sa.Table(
    "dir_people",
    metadata,
    sa.Column("id", sa.String(80), primary_key=True),
    sa.Column("ord", sa.Integer, nullable=False),
    sa.Column("name", sa.String(200), nullable=False),
)

dir_units = sa.Table(
    "dir_units",
    metadata,
    sa.Column("id", sa.String(80), primary_key=True),
    sa.Column("ord", sa.Integer, nullable=False),
    sa.Column("organisation_id", sa.ForeignKey("dir_organisations.id"), nullable=False, index=True),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("code", sa.String(40), nullable=False),
    sa.Column("aliases", Json, nullable=False),
    sa.Column("channels", Json, nullable=False),
)

dir_positions = sa.Table(
    "dir_positions",
    metadata,
    sa.Column("id", sa.String(80), primary_key=True),
    sa.Column("ord", sa.Integer, nullable=False),
    sa.Column("organisation_id", sa.ForeignKey("dir_organisations.id"), nullable=False, index=True),
    sa.Column("unit_id", sa.ForeignKey("dir_units.id"), nullable=True),
    sa.Column("title", sa.String(200), nullable=False),
    sa.Column("holder_id", sa.ForeignKey("dir_people.id"), nullable=True),
    sa.Column("channels", Json, nullable=False),
)

dir_groups = sa.Table(
    "dir_groups",
    metadata,
    sa.Column("id", sa.String(80), primary_key=True),
    sa.Column("ord", sa.Integer, nullable=False),
    sa.Column("name", sa.String(300), nullable=False),
    sa.Column("aliases", Json, nullable=False),
)

dir_group_members = sa.Table(
    "dir_group_members",
    metadata,
    sa.Column("group_id", sa.ForeignKey("dir_groups.id"), primary_key=True),
    sa.Column("ord", sa.Integer, primary_key=True),
    sa.Column("member_id", sa.String(80), nullable=False),
)

dir_delegations = sa.Table(
    "dir_delegations",
    metadata,
    sa.Column("id", sa.String(80), primary_key=True),
    sa.Column("ord", sa.Integer, nullable=False),
    sa.Column("principal", sa.ForeignKey("dir_positions.id"), nullable=False),
    sa.Column("delegate", sa.ForeignKey("dir_positions.id"), nullable=False),
    sa.Column("prefix", sa.String(4), nullable=False),
    sa.Column("scope", sa.Text, nullable=True),
    sa.Column("valid_from", sa.Date, nullable=True),
    sa.Column("valid_to", sa.Date, nullable=True),
)

deliveries = sa.Table(
    "deliveries",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("document_id", sa.ForeignKey("documents.id"), nullable=False, index=True),
    sa.Column("target_key", sa.String(400), nullable=False),
    sa.Column("target_name", sa.String(400), nullable=False),
    sa.Column("line", sa.Integer, nullable=False),
    sa.Column("purpose", sa.String(200), nullable=True),
    sa.Column("via", sa.String(400), nullable=True),
    sa.Column("channel", sa.String(10), nullable=False),
    sa.Column("address", sa.String(400), nullable=True),
    sa.Column("organ_id", sa.String(30), nullable=True),
    sa.Column("status", sa.String(10), nullable=False, index=True),
    sa.Column("error", sa.Text, nullable=True),
    sa.Column("message_id", sa.String(400), nullable=True),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("created_at", When, nullable=False),
    sa.Column("updated_at", When, nullable=False),
    sa.Column("sent_at", When, nullable=True),
    sa.Column("received_at", When, nullable=True),
    sa.UniqueConstraint("document_id", "target_key"),
    sa.CheckConstraint("channel IN ('email', 'edxml', 'paper', 'internal')", name="channel"),
    sa.CheckConstraint(
        "status IN ('queued', 'sent', 'received', 'failed', 'returned')", name="status"
    ),
)

case_files = sa.Table(
    "case_files",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("issuer_code", sa.String(40), nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("heading", sa.String(40), nullable=False),
    sa.Column("title", sa.Text, nullable=False),
    sa.Column("retention", sa.String(30), nullable=False),
    sa.Column("owner", sa.String(200), nullable=False),
    sa.Column("rights", sa.String(30), nullable=True),
    sa.Column("note", sa.Text, nullable=True),
    sa.Column("created_at", When, nullable=False),
    sa.UniqueConstraint("issuer_code", "year", "heading", "number"),
    sa.CheckConstraint("number >= 1 AND number <= 999", name="number"),
)

case_file_documents = sa.Table(
    "case_file_documents",
    metadata,
    sa.Column("case_file_id", sa.ForeignKey("case_files.id"), primary_key=True),
    sa.Column("document_id", sa.ForeignKey("documents.id"), primary_key=True, index=True),
    sa.Column("ordinal", sa.Integer, nullable=False),
    sa.Column("added_at", When, nullable=False),
    sa.UniqueConstraint("case_file_id", "ordinal"),
)

# -- HTTP API state (api/) ----------------------------------------------------------------------
# Idempotency keys: the first response to a keyed POST, replayed for retries by any server
# process. status is NULL while the first request is still running.

idempotency_keys = sa.Table(
    "idempotency_keys",
    metadata,
    sa.Column("username", sa.String(64), primary_key=True),
    sa.Column("key", sa.String(255), primary_key=True),
    sa.Column("method", sa.String(10), nullable=False),
    sa.Column("path", sa.String(2000), nullable=False),
    sa.Column("body_sha256", Sha256, nullable=False),
    sa.Column("status", sa.Integer, nullable=True),
    sa.Column("headers", Json, nullable=True),
    sa.Column("body", sa.LargeBinary, nullable=True),
    sa.Column("created_at", When, nullable=False, index=True),
    sa.Column("completed_at", When, nullable=True),
)

# Settings shared by every server process on the database (the token signing secret).
settings = sa.Table(
    "settings",
    metadata,
    sa.Column("name", sa.String(100), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
    sa.Column("created_at", When, nullable=False),
)

# -- Search (workflow.search, workflow/store/search_index.py) ------------------------------------
# Derived data: one row per issued-or-later document, rebuilt from documents at will.
# sort_key = (issued date ordinal << 32) | document id: newest first is sort_key DESC, a year or
# a date range is a key range. The words live in the SQLite FTS5 table search_fts (rowid =
# sort_key; created by migration 0006, not described here) or, on PostgreSQL, in `terms`
# (tsvector, GIN), where SQLite leaves the column NULL.

# Issued documents the search index has yet to take in: issue inserts the row in its own
# transaction (cheap, and then nothing is lost if the process dies after commit); the index
# drains the queue after the issue, off the numbering lock, or on the next search.
search_pending = sa.Table(
    "search_pending",
    metadata,
    sa.Column("document_id", sa.ForeignKey("documents.id"), primary_key=True, autoincrement=False),
)

search = sa.Table(
    "search",
    metadata,
    sa.Column("document_id", sa.ForeignKey("documents.id"), primary_key=True, autoincrement=False),
    sa.Column("sort_key", sa.BigInteger, nullable=False, unique=True),
    sa.Column("issued_date", sa.Date, nullable=False),
    sa.Column("year", sa.Integer, nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("symbol", sa.String(60), nullable=False),
    sa.Column("symbol_key", sa.String(60), nullable=False),
    sa.Column("number_symbol", sa.String(80), nullable=False),
    sa.Column("doc_type", sa.String(40), nullable=False),
    sa.Column("issuer_code", sa.String(40), nullable=False),
    sa.Column("issuer_key", sa.String(40), nullable=False),
    sa.Column("signer_name", sa.String(200), nullable=False),
    sa.Column("subject", sa.Text, nullable=False),
    sa.Column("content_sha256", Sha256, nullable=False),
    sa.Column("terms", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=True),
    sa.Index(None, "symbol_key", "number", "sort_key"),
    sa.Index(None, "number", "sort_key"),
    sa.Index(None, "issuer_key", "doc_type", "sort_key"),
    sa.Index(None, "doc_type", "sort_key"),
    sa.Index(
        "ix_search_terms",
        "terms",
        postgresql_using="gin",
        sqlite_where=sa.text("terms IS NOT NULL"),  # always empty on SQLite
    ),
)
