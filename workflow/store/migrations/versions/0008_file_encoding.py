"""Files stored compressed: files.encoding ("identity" for every file stored so far).

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-22 14:40:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("files") as batch:
        batch.add_column(
            sa.Column("encoding", sa.String(length=8), server_default="identity", nullable=False)
        )
        batch.create_check_constraint("encoding", sa.text("encoding IN ('identity', 'deflate')"))


def downgrade() -> None:
    with op.batch_alter_table("files") as batch:
        batch.drop_constraint("encoding", type_="check")
        batch.drop_column("encoding")
