"""Directory, deliveries, case files: who receives, what was sent to whom, what was filed.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 09:00:24.368849

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# JSON text on SQLite, JSONB on PostgreSQL.
JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "case_files",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("issuer_code", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("heading", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("retention", sa.String(length=30), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("rights", sa.String(length=30), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("number >= 1 AND number <= 999", name=op.f("ck_case_files_number")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_files")),
        sa.UniqueConstraint(
            "issuer_code",
            "year",
            "heading",
            "number",
            name=op.f("uq_case_files_issuer_code_year_heading_number"),
        ),
    )
    op.create_table(
        "dir_groups",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("ord", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("aliases", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dir_groups")),
    )
    op.create_table(
        "dir_organisations",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("ord", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("organ_id", sa.String(length=30), nullable=True),
        sa.Column("parent_id", sa.String(length=80), nullable=True),
        sa.Column("aliases", JSON, nullable=False),
        sa.Column("channels", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dir_organisations")),
    )
    with op.batch_alter_table("dir_organisations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_dir_organisations_code"), ["code"], unique=False)

    op.create_table(
        "dir_people",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("ord", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dir_people")),
    )
    op.create_table(
        "dir_revision",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_dir_revision_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dir_revision")),
    )
    op.create_table(
        "dir_group_members",
        sa.Column("group_id", sa.String(length=80), nullable=False),
        sa.Column("ord", sa.Integer(), nullable=False),
        sa.Column("member_id", sa.String(length=80), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_id"], ["dir_groups.id"], name=op.f("fk_dir_group_members_group_id_dir_groups")
        ),
        sa.PrimaryKeyConstraint("group_id", "ord", name=op.f("pk_dir_group_members")),
    )
    op.create_table(
        "dir_units",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("ord", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=80), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("aliases", JSON, nullable=False),
        sa.Column("channels", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["dir_organisations.id"],
            name=op.f("fk_dir_units_organisation_id_dir_organisations"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dir_units")),
    )
    with op.batch_alter_table("dir_units", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dir_units_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "case_file_documents",
        sa.Column("case_file_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_file_id"],
            ["case_files.id"],
            name=op.f("fk_case_file_documents_case_file_id_case_files"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_case_file_documents_document_id_documents"),
        ),
        sa.PrimaryKeyConstraint("case_file_id", "document_id", name=op.f("pk_case_file_documents")),
        sa.UniqueConstraint(
            "case_file_id", "ordinal", name=op.f("uq_case_file_documents_case_file_id_ordinal")
        ),
    )
    with op.batch_alter_table("case_file_documents", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_case_file_documents_document_id"), ["document_id"], unique=False
        )

    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("target_key", sa.String(length=400), nullable=False),
        sa.Column("target_name", sa.String(length=400), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=200), nullable=True),
        sa.Column("via", sa.String(length=400), nullable=True),
        sa.Column("channel", sa.String(length=10), nullable=False),
        sa.Column("address", sa.String(length=400), nullable=True),
        sa.Column("organ_id", sa.String(length=30), nullable=True),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("message_id", sa.String(length=400), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "channel IN ('email', 'edxml', 'paper', 'internal')", name=op.f("ck_deliveries_channel")
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'sent', 'received', 'failed', 'returned')",
            name=op.f("ck_deliveries_status"),
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_deliveries_document_id_documents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
        sa.UniqueConstraint(
            "document_id", "target_key", name=op.f("uq_deliveries_document_id_target_key")
        ),
    )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deliveries_document_id"), ["document_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_deliveries_status"), ["status"], unique=False)

    op.create_table(
        "dir_positions",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("ord", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.String(length=80), nullable=False),
        sa.Column("unit_id", sa.String(length=80), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("holder_id", sa.String(length=80), nullable=True),
        sa.Column("channels", JSON, nullable=False),
        sa.ForeignKeyConstraint(
            ["holder_id"], ["dir_people.id"], name=op.f("fk_dir_positions_holder_id_dir_people")
        ),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["dir_organisations.id"],
            name=op.f("fk_dir_positions_organisation_id_dir_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["dir_units.id"], name=op.f("fk_dir_positions_unit_id_dir_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dir_positions")),
    )
    with op.batch_alter_table("dir_positions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dir_positions_organisation_id"), ["organisation_id"], unique=False
        )

    op.create_table(
        "dir_delegations",
        sa.Column("id", sa.String(length=80), nullable=False),
        sa.Column("ord", sa.Integer(), nullable=False),
        sa.Column("principal", sa.String(length=80), nullable=False),
        sa.Column("delegate", sa.String(length=80), nullable=False),
        sa.Column("prefix", sa.String(length=4), nullable=False),
        sa.Column("scope", sa.Text(), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(
            ["delegate"],
            ["dir_positions.id"],
            name=op.f("fk_dir_delegations_delegate_dir_positions"),
        ),
        sa.ForeignKeyConstraint(
            ["principal"],
            ["dir_positions.id"],
            name=op.f("fk_dir_delegations_principal_dir_positions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dir_delegations")),
    )


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_table("dir_delegations")
    with op.batch_alter_table("dir_positions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dir_positions_organisation_id"))

    op.drop_table("dir_positions")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deliveries_status"))
        batch_op.drop_index(batch_op.f("ix_deliveries_document_id"))

    op.drop_table("deliveries")
    with op.batch_alter_table("case_file_documents", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_file_documents_document_id"))

    op.drop_table("case_file_documents")
    with op.batch_alter_table("dir_units", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dir_units_organisation_id"))

    op.drop_table("dir_units")
    op.drop_table("dir_group_members")
    op.drop_table("dir_revision")
    op.drop_table("dir_people")
    with op.batch_alter_table("dir_organisations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_dir_organisations_code"))

    op.drop_table("dir_organisations")
    op.drop_table("dir_groups")
    op.drop_table("case_files")
