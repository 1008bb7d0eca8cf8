"""An index on `chat_threads."organizationId"`: the history lists a whole organisation's threads.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 10:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_chat_threads_organization", "chat_threads", ["organizationId"])


def downgrade() -> None:
    op.drop_index("ix_chat_threads_organization", table_name="chat_threads")
