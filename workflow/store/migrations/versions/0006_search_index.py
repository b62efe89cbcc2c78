"""The search index: one row per issued document, FTS5 (SQLite) or tsvector + GIN (PostgreSQL).

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 12:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The words of a document, folded, as one list of tokens (workflow/store/search_index.py,
# lexemes()): every word, and the words of subject, signer and recipients once more tagged
# "s.", "n.", "r."; '.' is a token character so that a tagged word stays one token.
# detail=none: only which documents hold a token (nothing here needs columns or positions).
FTS5 = (
    "CREATE VIRTUAL TABLE search_fts USING fts5("
    "terms, tokenize = \"ascii tokenchars '.'\", detail = none)"
)


def upgrade() -> None:
    """Create the search table and its word index; rows are filled by the catch-up."""
    op.create_table(
        "search",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("sort_key", sa.BigInteger(), nullable=False),
        sa.Column("issued_date", sa.Date(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("symbol", sa.String(60), nullable=False),
        sa.Column("symbol_key", sa.String(60), nullable=False),
        sa.Column("number_symbol", sa.String(80), nullable=False),
        sa.Column("doc_type", sa.String(40), nullable=False),
        sa.Column("issuer_code", sa.String(40), nullable=False),
        sa.Column("issuer_key", sa.String(40), nullable=False),
        sa.Column("signer_name", sa.String(200), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("content_sha256", sa.String(64), nullable=False),
        sa.Column(
            "terms", sa.Text().with_variant(postgresql.TSVECTOR(), "postgresql"), nullable=True
        ),
        sa.ForeignKeyConstraint(
            ["document_id"], ["documents.id"], name=op.f("fk_search_document_id_documents")
        ),
        sa.PrimaryKeyConstraint("document_id", name=op.f("pk_search")),
        sa.UniqueConstraint("sort_key", name=op.f("uq_search_sort_key")),
    )
    op.create_index(
        op.f("ix_search_symbol_key_number_sort_key"),
        "search",
        ["symbol_key", "number", "sort_key"],
    )
    op.create_index(op.f("ix_search_number_sort_key"), "search", ["number", "sort_key"])
    op.create_index(
        op.f("ix_search_issuer_key_doc_type_sort_key"),
        "search",
        ["issuer_key", "doc_type", "sort_key"],
    )
    op.create_index(op.f("ix_search_doc_type_sort_key"), "search", ["doc_type", "sort_key"])
    op.create_index(
        "ix_search_terms",
        "search",
        ["terms"],
        postgresql_using="gin",
        sqlite_where=sa.text("terms IS NOT NULL"),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(FTS5)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE search_fts")
    op.drop_table("search")
