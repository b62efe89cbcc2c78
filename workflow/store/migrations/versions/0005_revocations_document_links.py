"""Revoked delegations (kept on record), and replacement / correction links by original.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 12:10:00.000000

"""

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("replaces", "corrects")


def upgrade() -> None:
    """Add revoked_at / revoked_by to delegations; document_links, filled from documents.links."""
    with op.batch_alter_table("delegations") as batch:
        batch.add_column(sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("revoked_by", sa.String(length=64), nullable=True))
    links = op.create_table(
        "document_links",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("kind IN ('replaces', 'corrects')", name=op.f("ck_document_links_kind")),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_document_links_document_id_documents"),
        ),
        sa.ForeignKeyConstraint(
            ["target_id"], ["documents.id"], name=op.f("fk_document_links_target_id_documents")
        ),
        sa.PrimaryKeyConstraint("document_id", "kind", name=op.f("pk_document_links")),
    )
    op.create_index(
        op.f("ix_document_links_target_id"), "document_links", ["target_id"], unique=False
    )
    documents = sa.table("documents", sa.column("id", sa.Integer), sa.column("links", sa.JSON))
    rows = []
    for doc_id, value in op.get_bind().execute(sa.select(documents.c.id, documents.c.links)):
        found = json.loads(value) if isinstance(value, str) else value or {}
        rows += [
            {"document_id": doc_id, "kind": k, "target_id": int(v)}
            for k, v in found.items()
            if k in KINDS
        ]
    if rows:
        op.bulk_insert(links, rows)


def downgrade() -> None:
    """Drop the links table and the revocation columns (revocations are lost)."""
    op.drop_index(op.f("ix_document_links_target_id"), table_name="document_links")
    op.drop_table("document_links")
    with op.batch_alter_table("delegations") as batch:
        batch.drop_column("revoked_by")
        batch.drop_column("revoked_at")
