"""The History search's word index: preparation_search_terms, and a plain index on the identifier.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

The search looks up typed words by prefix in this table instead of reading every preparation. The terms of
the preparations already stored are filled in here (values.search_terms, as the Store writes them).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from hemgenix_desktop.storage.values import search_terms

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000


def upgrade() -> None:
    terms = op.create_table(
        "preparation_search_terms",
        sa.Column("preparation_id", sa.String(36), nullable=False),
        sa.Column("term", sa.String(200).with_variant(sa.String(200, collation="C"), "postgresql"), nullable=False),
        sa.ForeignKeyConstraint(
            ["preparation_id"],
            ["preparations.id"],
            name="fk_preparation_search_terms_preparation_id_preparations",
        ),
        sa.PrimaryKeyConstraint("preparation_id", "term", name="pk_preparation_search_terms"),
    )
    assert terms is not None
    op.create_index("ix_preparation_search_terms_term", "preparation_search_terms", ["term"])
    op.create_index("ix_preparations_patient_identifier", "preparations", ["patient_identifier"])
    conn = op.get_bind()
    rows = conn.execute(
        sa.text("SELECT id, patient_name, patient_mrn, patient_identifier_entered FROM preparations ORDER BY id")
    )
    batch: list[dict[str, str]] = []
    for prep_id, name, mrn, identifier in rows.fetchall():
        batch.extend({"preparation_id": prep_id, "term": term} for term in sorted(search_terms(name, mrn, identifier)))
        if len(batch) >= BATCH:
            conn.execute(terms.insert(), batch)
            batch = []
    if batch:
        conn.execute(terms.insert(), batch)


def downgrade() -> None:
    op.drop_index("ix_preparations_patient_identifier", table_name="preparations")
    op.drop_index("ix_preparation_search_terms_term", table_name="preparation_search_terms")
    op.drop_table("preparation_search_terms")
