"""Publishing: connected social accounts, publications (the calendar), their insights, and the
organisation's time zone.

On PostgreSQL the three tables get the tenant policy, and two SECURITY DEFINER functions give
the scheduler the ids (and nothing else) of posts that are due or still being measured, across
organisations.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-10 09:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import context, op

from reelestate.storage.db import check_role_name
from reelestate.storage.models.base import UTCDateTime
from reelestate.storage.models.social import SOCIAL_TABLES

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

_FUNCTIONS = (
    "reelestate_due_publications(timestamptz, timestamptz, integer)",
    "reelestate_publications_to_measure(timestamptz, integer)",
)


def _tenant(table: str) -> list[Any]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.Column("organization_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organizations.id"],
            name=op.f(f"fk_{table}_organization_id_organizations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    with op.batch_alter_table("organizations") as batch:
        batch.add_column(
            sa.Column("time_zone", sa.String(length=64), nullable=False, server_default="UTC")
        )
    op.create_table(
        "social_accounts",
        sa.Column("page_id", sa.String(length=64), nullable=False),
        sa.Column("page_name", sa.String(length=160), nullable=True),
        sa.Column("instagram_id", sa.String(length=64), nullable=True),
        sa.Column("page_token_sealed", sa.Text(), nullable=False),
        sa.Column("needs_reconnect", sa.Boolean(), nullable=False),
        sa.Column("connected_at", UTCDateTime(), nullable=False),
        *_tenant("social_accounts"),
        sa.UniqueConstraint(
            "organization_id", "page_id", name=op.f("uq_social_accounts_organization_id")
        ),
    )
    op.create_table(
        "publications",
        sa.Column("channel", sa.String(length=24), nullable=False),
        sa.Column("status", sa.String(length=24), nullable=False),
        sa.Column("scheduled_at", UTCDateTime(), nullable=True),
        sa.Column("caption", sa.Text(), nullable=False),
        sa.Column("title", sa.String(length=160), nullable=False),
        sa.Column("render_job_id", sa.Uuid(), nullable=True),
        sa.Column("project_id", sa.Uuid(), nullable=True),
        sa.Column("video_key", sa.String(length=512), nullable=False),
        sa.Column("cover_key", sa.String(length=512), nullable=True),
        sa.Column("container_id", sa.String(length=64), nullable=True),
        sa.Column("remote_id", sa.String(length=64), nullable=True),
        sa.Column("claim_token", sa.Uuid(), nullable=True),
        sa.Column("claimed_at", UTCDateTime(), nullable=True),
        sa.Column("job_id", sa.Uuid(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error_code", sa.String(length=48), nullable=True),
        sa.Column("error_message", sa.String(length=1000), nullable=True),
        sa.Column("published_at", UTCDateTime(), nullable=True),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        *_tenant("publications"),
        sa.ForeignKeyConstraint(
            ["render_job_id"],
            ["render_jobs.id"],
            name=op.f("fk_publications_render_job_id_render_jobs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["render_jobs.id"],
            name=op.f("fk_publications_job_id_render_jobs"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["project_id"],
            ["projects.id"],
            name=op.f("fk_publications_project_id_projects"),
            ondelete="SET NULL",
        ),
    )
    op.create_index(
        "ix_publications_status_scheduled_at", "publications", ["status", "scheduled_at"]
    )
    op.create_table(
        "publication_metrics",
        sa.Column("publication_id", sa.Uuid(), nullable=False),
        sa.Column("taken_at", UTCDateTime(), nullable=False),
        sa.Column("metric", sa.String(length=48), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        *_tenant("publication_metrics"),
        sa.ForeignKeyConstraint(
            ["publication_id"],
            ["publications.id"],
            name=op.f("fk_publication_metrics_publication_id_publications"),
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint(
            "publication_id",
            "taken_at",
            "metric",
            name=op.f("uq_publication_metrics_publication_id"),
        ),
    )
    op.create_index(
        op.f("ix_publication_metrics_publication_id"), "publication_metrics", ["publication_id"]
    )
    for table in SOCIAL_TABLES:
        op.create_index(op.f(f"ix_{table}_organization_id"), table, ["organization_id"])
    if op.get_bind().dialect.name == "postgresql":
        _secure_on_postgres()


def _secure_on_postgres() -> None:
    for table in SOCIAL_TABLES:
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY tenant_isolation ON {table} "
            "USING (organization_id = reelestate_current_org()) "
            "WITH CHECK (organization_id = reelestate_current_org())"
        )
    definer = "LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public"
    op.execute(
        "CREATE FUNCTION reelestate_due_publications(due_by timestamptz, "
        "stale_before timestamptz, max_rows integer) "
        f"RETURNS TABLE(publication_id uuid, organization_id uuid) {definer} AS $$ "
        "SELECT id, organization_id FROM publications "
        "WHERE (status = 'scheduled' AND scheduled_at <= due_by) "
        "OR (status = 'publishing' AND job_id IS NULL AND claimed_at < stale_before) "
        "ORDER BY scheduled_at LIMIT max_rows $$"
    )
    op.execute(
        "CREATE FUNCTION reelestate_publications_to_measure(since timestamptz, max_rows integer) "
        f"RETURNS TABLE(publication_id uuid, organization_id uuid) {definer} AS $$ "
        "SELECT id, organization_id FROM publications "
        "WHERE status = 'published' AND published_at >= since "
        "ORDER BY published_at LIMIT max_rows $$"
    )
    for fn in _FUNCTIONS:
        op.execute(f"REVOKE ALL ON FUNCTION {fn} FROM PUBLIC")
    role = context.config.attributes.get("app_role")
    if role:
        role = check_role_name(role)
        for table in SOCIAL_TABLES:
            op.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO "{role}"')
        for fn in _FUNCTIONS:
            op.execute(f'GRANT EXECUTE ON FUNCTION {fn} TO "{role}"')


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for fn in _FUNCTIONS:
            op.execute(f"DROP FUNCTION IF EXISTS {fn}")
    for table in reversed(SOCIAL_TABLES):
        op.drop_table(table)
    with op.batch_alter_table("organizations") as batch:
        batch.drop_column("time_zone")
