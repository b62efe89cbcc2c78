"""Files of kind 'signed': the rendition the signer signed, filled in at issue.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 10:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = "kind IN ('draft', 'signed', 'issued')"
OLD_KINDS = "kind IN ('draft', 'issued')"


def upgrade() -> None:
    """Allow kind 'signed'; on PostgreSQL keep file bytes uncompressed (issue writes them)."""
    with op.batch_alter_table("files") as batch:
        batch.add_column(sa.Column("directory_revision", sa.Integer(), nullable=True))
        batch.drop_constraint(op.f("ck_files_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_files_kind"), KINDS)
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE files ALTER COLUMN bytes SET STORAGE EXTERNAL")


def downgrade() -> None:
    """Drop the signed renditions and the kind."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE files ALTER COLUMN bytes SET STORAGE EXTENDED")
    op.execute("DELETE FROM files WHERE kind = 'signed'")
    with op.batch_alter_table("files") as batch:
        batch.drop_constraint(op.f("ck_files_kind"), type_="check")
        batch.create_check_constraint(op.f("ck_files_kind"), OLD_KINDS)
        batch.drop_column("directory_revision")
