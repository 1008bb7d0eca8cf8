"""Media rows per project: the same photo may belong to several listings.

Blobs are content-addressed per organisation, so uploading a photo that another project already
has stored it once; the media row, though, was unique per blob and stayed with the first project,
and the second project saw no photo at all. The row is now unique per (organisation, project,
blob); the blob is still stored once.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 09:00:00
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_NAME = "uq_media_organization_id"


def upgrade() -> None:
    with op.batch_alter_table("media") as batch:
        batch.drop_constraint(_NAME, type_="unique")
        batch.create_unique_constraint(_NAME, ["organization_id", "project_id", "blob_key"])


def downgrade() -> None:
    with op.batch_alter_table("media") as batch:
        batch.drop_constraint(_NAME, type_="unique")
        batch.create_unique_constraint(_NAME, ["organization_id", "blob_key"])
