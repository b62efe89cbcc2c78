"""Issued documents the search index has yet to take in (a queue written by issue).

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-22 13:40:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_pending",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_search_pending_document_id_documents")
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_search_pending")),
    )


def downgrade() -> None:
    op.drop_table("search_pending")
