"""Initial schema: users, delegations, series, counters, documents, files, audit, ledger.

Revision ID: 0001
Revises:
Create Date: 2026-11-22 08:52:36.790179

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# JSON text on SQLite, JSONB on PostgreSQL.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

# revision identifiers, used by Alembic.
revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "series",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("issuer_code", sa.String(length=40), nullable=False),
        sa.Column("register", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_series")),
        sa.UniqueConstraint("issuer_code", "register", name=op.f("uq_series_issuer_code_register")),
    )
    op.create_table(
        "users",
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("roles", JSON, nullable=False),
        sa.Column("unit_code", sa.String(length=40), nullable=False),
        sa.Column("issuer_code", sa.String(length=40), nullable=False),
        sa.Column("position_title", sa.String(length=200), server_default="", nullable=False),
        sa.Column("password_hash", sa.String(length=255), nullable=True),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_users")),
    )
    op.create_table(
        "counters",
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last_number", sa.Integer(), nullable=False),
        sa.CheckConstraint("last_number >= 0", name=op.f("ck_counters_last_number")),
        sa.ForeignKeyConstraint(
            ["series_id"], ["series.id"], name=op.f("fk_counters_series_id_series")
        ),
        sa.PrimaryKeyConstraint("series_id", "year", name=op.f("pk_counters")),
    )
    op.create_table(
        "delegations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("grantee", sa.String(length=64), nullable=False),
        sa.Column("authority", sa.String(length=240), nullable=False),
        sa.Column("prefix", sa.String(length=4), nullable=False),
        sa.Column("title", sa.String(length=230), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("granted_by", sa.String(length=200), nullable=False),
        sa.Column("redelegable", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "NOT (prefix = 'TUQ' AND redelegable)", name=op.f("ck_delegations_tuq_not_redelegable")
        ),
        sa.CheckConstraint(
            "prefix IN ('TL', 'KT', 'TUQ', 'Q')", name=op.f("ck_delegations_prefix")
        ),
        sa.ForeignKeyConstraint(
            ["grantee"], ["users.username"], name=op.f("fk_delegations_grantee_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delegations")),
    )
    op.create_index(op.f("ix_delegations_grantee"), "delegations", ["grantee"], unique=False)

    op.create_table(
        "documents",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("issuer_code", sa.String(length=40), nullable=False),
        sa.Column("doc_type", sa.String(length=40), nullable=False),
        sa.Column("drafting_unit", sa.String(length=40), nullable=False),
        sa.Column("state", sa.String(length=24), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", JSON, nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_by", sa.String(length=64), nullable=False),
        sa.Column("signer", sa.String(length=64), nullable=True),
        sa.Column("approvals", JSON, nullable=False),
        sa.Column("links", JSON, nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("symbol", sa.String(length=60), nullable=True),
        sa.Column("issued_date", sa.Date(), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("issued_sha256", sa.String(length=64), nullable=True),
        sa.Column("audit_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["series_id"], ["series.id"], name=op.f("fk_documents_series_id_series")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documents")),
        sa.UniqueConstraint(
            "series_id", "year", "number", name=op.f("uq_documents_series_id_year_number")
        ),
    )
    op.create_index(op.f("ix_documents_doc_type"), "documents", ["doc_type"], unique=False)
    op.create_index(
        op.f("ix_documents_signer_state"), "documents", ["signer", "state"], unique=False
    )
    op.create_index(op.f("ix_documents_state"), "documents", ["state"], unique=False)
    op.create_index(op.f("ix_documents_symbol_year"), "documents", ["symbol", "year"], unique=False)
    op.create_index(
        op.f("ix_documents_year_number_symbol"),
        "documents",
        ["year", "number", "symbol"],
        unique=False,
    )

    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("actor", sa.String(length=64), nullable=False),
        sa.Column("role", sa.String(length=24), nullable=False),
        sa.Column("action", sa.String(length=24), nullable=False),
        sa.Column("from_state", sa.String(length=24), nullable=True),
        sa.Column("to_state", sa.String(length=24), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("content_sha256", sa.String(length=64), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_audit_document_id_documents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit")),
        sa.UniqueConstraint("document_id", "seq", name=op.f("uq_audit_document_id_seq")),
    )
    op.create_index(op.f("ix_audit_action"), "audit", ["action"], unique=False)

    op.create_table(
        "files",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("bytes", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('draft', 'issued')", name=op.f("ck_files_kind")),
        sa.CheckConstraint("length(sha256) = 64", name=op.f("ck_files_sha256")),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_files_document_id_documents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_files")),
    )
    op.create_index(
        op.f("ix_files_document_id_kind"), "files", ["document_id", "kind"], unique=False
    )
    op.create_index(
        "uq_files_issued",
        "files",
        ["document_id"],
        unique=True,
        sqlite_where=sa.text("kind = 'issued'"),
        postgresql_where=sa.text("kind = 'issued'"),
    )

    op.create_table(
        "number_ledger",
        sa.Column("series_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(length=60), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('issued', 'recalled')", name=op.f("ck_number_ledger_status")
        ),
        sa.CheckConstraint("number >= 1", name=op.f("ck_number_ledger_number")),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_number_ledger_document_id_documents")
        ),
        sa.ForeignKeyConstraint(
            ["series_id"], ["series.id"], name=op.f("fk_number_ledger_series_id_series")
        ),
        sa.PrimaryKeyConstraint("series_id", "year", "number", name=op.f("pk_number_ledger")),
        sa.UniqueConstraint("document_id", name=op.f("uq_number_ledger_document_id")),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("number_ledger")
    op.drop_index(
        "uq_files_issued",
        table_name="files",
        sqlite_where=sa.text("kind = 'issued'"),
        postgresql_where=sa.text("kind = 'issued'"),
    )
    op.drop_index(op.f("ix_files_document_id_kind"), table_name="files")

    op.drop_table("files")
    op.drop_index(op.f("ix_audit_action"), table_name="audit")

    op.drop_table("audit")
    op.drop_index(op.f("ix_documents_year_number_symbol"), table_name="documents")
    op.drop_index(op.f("ix_documents_symbol_year"), table_name="documents")
    op.drop_index(op.f("ix_documents_state"), table_name="documents")
    op.drop_index(op.f("ix_documents_signer_state"), table_name="documents")
    op.drop_index(op.f("ix_documents_doc_type"), table_name="documents")

    op.drop_table("documents")
    op.drop_index(op.f("ix_delegations_grantee"), table_name="delegations")

    op.drop_table("delegations")
    op.drop_table("counters")
    op.drop_table("users")
    op.drop_table("series")
