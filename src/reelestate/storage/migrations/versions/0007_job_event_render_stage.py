"""`job_events.render_stage`: the engine's stage of a render job's progress event, as a field.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 05:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("job_events", sa.Column("render_stage", sa.String(length=16), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job_events") as batch:
        batch.drop_column("render_stage")
