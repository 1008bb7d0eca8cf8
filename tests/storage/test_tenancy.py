from __future__ import annotations

import uuid

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError, ProgrammingError

from reelestate.core.errors import InvalidInputError, NotFoundError
from reelestate.storage.context import TenantContext
from reelestate.storage.db import Database
from reelestate.storage.models import (
    JobEventRow,
    MediaKind,
    Project,
    ProjectStatus,
    RenderJob,
    Role,
)
from reelestate.storage.repositories.api_keys import ApiKeysRepository
from reelestate.storage.repositories.content import (
    BrandKitsRepository,
    MediaRepository,
    ProjectsRepository,
    StoryboardsRepository,
)
from reelestate.storage.repositories.jobs import JobsRepository
from reelestate.storage.repositories.organisations import OrganisationsRepository
from tests.storage.factories import new_org, preview_job


def _seed(db: Database, ctx: TenantContext) -> dict[str, uuid.UUID]:
    project = ProjectsRepository(db).create(ctx, "12 Elm Street", {"beds": 3})
    board = StoryboardsRepository(db).create(ctx, project.id)
    version = StoryboardsRepository(db).add_version(ctx, board.id, {"scenes": [{"duration": 2}]})
    media = MediaRepository(db).register(
        ctx,
        kind=MediaKind.PHOTO,
        blob_key=f"org/{ctx.org_id}/media/a.jpg",
        content_type="image/jpeg",
        size_bytes=10,
        sha256="0" * 64,
    )
    kit = BrandKitsRepository(db).create(ctx, "Blue", {"primary_color": "#112233"})
    job, _ = JobsRepository(db).create(ctx, preview_job(credits=0))
    return {
        "project": project.id,
        "storyboard": board.id,
        "version": version.id,
        "media": media.id,
        "kit": kit.id,
        "job": job.id,
    }


def test_repositories_never_return_another_organisations_rows(db: Database) -> None:
    alice, mallory = new_org(db), new_org(db)
    ids = _seed(db, alice)
    _seed(db, mallory)
    attempts = [
        lambda: ProjectsRepository(db).get(mallory, ids["project"]),
        lambda: StoryboardsRepository(db).version(mallory, ids["version"]),
        lambda: StoryboardsRepository(db).versions(mallory, ids["storyboard"]),
        lambda: MediaRepository(db).get(mallory, ids["media"]),
        lambda: BrandKitsRepository(db).get(mallory, ids["kit"]),
        lambda: JobsRepository(db).get(mallory, ids["job"]),
        lambda: JobsRepository(db).events(mallory, ids["job"]),
        lambda: JobsRepository(db).request_cancel(mallory, ids["job"]),
        lambda: StoryboardsRepository(db).create(mallory, ids["project"]),
    ]
    for attempt in attempts:
        with pytest.raises(NotFoundError):
            attempt()
    # Guessed ids fail the same way as foreign ones: nothing tells them apart.
    with pytest.raises(NotFoundError):
        JobsRepository(db).get(mallory, uuid.uuid4())
    assert all(p.organization_id == mallory.org_id for p in ProjectsRepository(db).recent(mallory))
    assert all(j.organization_id == mallory.org_id for j in JobsRepository(db).recent(mallory))
    assert JobsRepository(db).get(alice, ids["job"]).organization_id == alice.org_id


def test_api_key_only_authenticates_its_own_organisation(db: Database) -> None:
    alice, mallory = new_org(db), new_org(db)
    keys = ApiKeysRepository(db)
    _, secret = keys.create(alice, "ci")
    assert [k.name for k in keys.all(alice)] == ["ci"] and keys.all(mallory) == []
    ctx, view = keys.verify(secret) or (None, None)
    assert ctx is not None and ctx.org_id == alice.org_id and view is not None
    prefix, _, token = secret.split(".")
    # The same key presented as if it were Mallory's finds nothing.
    assert keys.verify(f"{prefix}.{mallory.org_id.hex}.{token}") is None
    assert keys.verify("garbage") is None
    keys.revoke(alice, view.id)
    assert keys.verify(secret) is None


def test_a_repository_query_that_forgets_the_organisation_still_cannot_leak(
    pg_db: Database,
) -> None:
    alice, mallory = new_org(pg_db), new_org(pg_db)
    ids = _seed(pg_db, alice)
    _seed(pg_db, mallory)
    with pg_db.tenant(mallory) as session:
        # A buggy query: by id only, no organisation filter.
        assert session.get(Project, ids["project"]) is None
        assert session.scalars(select(RenderJob).where(RenderJob.id == ids["job"])).first() is None
        assert (
            session.scalars(select(JobEventRow).where(JobEventRow.job_id == ids["job"])).all() == []
        )
        # Raw SQL sees only Mallory's rows.
        orgs = (
            session.execute(text("SELECT DISTINCT organization_id FROM projects")).scalars().all()
        )
        assert orgs == [mallory.org_id]
        assert session.execute(text("SELECT count(*) FROM organizations")).scalar_one() == 1
        # An update aimed at Alice's row touches nothing.
        changed = session.execute(
            text("UPDATE projects SET title = 'pwned' WHERE id = :id"), {"id": ids["project"]}
        )
        assert changed.rowcount == 0
    assert ProjectsRepository(pg_db).get(alice, ids["project"]).title == "12 Elm Street"
    with pg_db.system() as session:
        # With no organisation set, tenant tables are empty.
        assert session.execute(text("SELECT count(*) FROM render_jobs")).scalar_one() == 0


def test_rls_rejects_writing_rows_into_another_organisation(pg_db: Database) -> None:
    alice, mallory = new_org(pg_db), new_org(pg_db)
    with pytest.raises(DBAPIError, match="row-level security"), pg_db.tenant(mallory) as session:
        session.add(Project(organization_id=alice.org_id, title="planted", facts={}))
        session.flush()


def test_the_app_role_cannot_switch_security_off(pg_db: Database) -> None:
    ctx = new_org(pg_db)
    statements = [
        "ALTER TABLE projects DISABLE ROW LEVEL SECURITY",
        "DROP POLICY tenant_isolation ON projects",
        "UPDATE credit_ledger SET available_after = 1000000",
        "DELETE FROM job_events",
        "UPDATE storyboard_versions SET spec = '{}'",
    ]
    for statement in statements:
        with pytest.raises(ProgrammingError), pg_db.tenant(ctx) as session:
            session.execute(text(statement))
    with pytest.raises(ProgrammingError, match="row-level security"), pg_db.tenant(ctx) as session:
        session.execute(text("SET LOCAL row_security = off"))
        session.execute(text("SELECT * FROM projects"))
    with pg_db.tenant(ctx) as session:
        assert session.execute(text("SELECT current_user")).scalar_one() == "reelestate_app"


def test_organisations_members_and_content_stay_in_their_organisation(db: Database) -> None:
    orgs = OrganisationsRepository(db)
    alice, mallory = new_org(db), new_org(db)
    assert orgs.get(alice).id == alice.org_id
    with pytest.raises(InvalidInputError, match="cannot be an organisation handle"):
        orgs.create("Bad", "Not A Slug!")
    with pytest.raises(InvalidInputError, match="taken"):
        orgs.create("Again", orgs.get(alice).slug)
    orgs.add_member(alice, "Dana@Example.com", Role.ADMIN)
    orgs.add_member(mallory, "dana@example.com", Role.MEMBER)
    orgs.add_member(mallory, "eve@example.com", Role.OWNER)
    [(user, member)] = orgs.members(alice)
    assert user.email == "dana@example.com" and member.role == Role.ADMIN
    if db.is_postgres:
        with db.tenant(alice) as session:  # a query that forgets the membership join
            emails = session.execute(text("SELECT email FROM users")).scalars().all()
        assert "eve@example.com" not in emails and "dana@example.com" in emails
    assert sorted(m.role for _, m in orgs.members(mallory)) == [Role.MEMBER, Role.OWNER]
    ids = _seed(db, alice)
    projects, media = ProjectsRepository(db), MediaRepository(db)
    assert projects.set_status(alice, ids["project"], ProjectStatus.RENDERING).status == "rendering"
    assert media.set_analysis(alice, ids["media"], {"room": "kitchen"}).analysis == {
        "room": "kitchen"
    }
    assert [m.id for m in media.for_project(alice, ids["project"])] == []
    assert media.for_project(mallory, ids["project"]) == []
    with pytest.raises(NotFoundError):
        media.set_analysis(mallory, ids["media"], {"room": "hacked"})
    with pytest.raises(NotFoundError):
        projects.set_status(mallory, ids["project"], ProjectStatus.ARCHIVED)
    again = media.register(
        alice,
        kind=MediaKind.PHOTO,
        blob_key=f"org/{alice.org_id}/media/a.jpg",
        content_type="image/jpeg",
        size_bytes=10,
        sha256="0" * 64,
    )
    assert again.id == ids["media"]
    [version] = StoryboardsRepository(db).versions(alice, ids["storyboard"])
    assert version.version == 1 and version.spec == {"scenes": [{"duration": 2}]}
