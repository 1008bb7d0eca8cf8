"""Finding 3 (and 14 on PostgreSQL): the production role layout end to end.

The schema belongs to the owner role (`DATABASE_ADMIN_URL`), which migrates; the app logs in
as a role that can only become `reelestate_app` (NOINHERIT, no BYPASSRLS), the layout in
OPERATIONS.md. `reelestate serve` refuses a schema that is behind, then starts on the migrated
one and chats; the chat's tables keep organisations apart even for statements written wrong,
and another organisation never lists, opens or joins a conversation.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import socketio  # type: ignore[import-untyped]
from typer.testing import CliRunner

from reelestate.cli import app
from reelestate.core.passwords import hash_password
from reelestate.core.settings import Settings, get_settings
from reelestate.storage import migrate
from reelestate.storage.db import Database, make_engine
from reelestate.storage.models import Role
from reelestate.storage.repositories.accounts import AccountsRepository
from reelestate.storage.repositories.organisations import OrganisationsRepository
from tests.faults.serve import ADMIN, Served, child_env
from tests.support.services import PG_ADMIN, free_port, fresh_postgres_database
from tests.web.chat_client import ChatClient, messages

APP_ROLE = "reelestate_app"
PASSWORD = "an outsider's password 7"


@dataclass
class Layout:
    owner_url: str
    app_url: str
    data: Path

    def env(self) -> dict[str, str]:
        return child_env(self.data, DATABASE_URL=self.app_url)

    def app_connection(self, org: str | None = None) -> psycopg.Connection[tuple[object, ...]]:
        """A connection as the app runs: the login role, switched to the app role."""
        conn = psycopg.connect(
            self.app_url.replace("postgresql+psycopg", "postgresql"), autocommit=True
        )
        conn.execute(f"SET ROLE {APP_ROLE}")
        if org is not None:
            conn.execute("SELECT set_config('app.org_id', %s, false)", (org,))
        return conn


def _create_roles(login: str) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        with contextlib.suppress(psycopg.errors.DuplicateObject):
            conn.execute(f"CREATE ROLE {APP_ROLE} NOLOGIN NOSUPERUSER NOBYPASSRLS")
        conn.execute(
            f"CREATE ROLE {login} LOGIN NOSUPERUSER NOINHERIT NOBYPASSRLS IN ROLE {APP_ROLE}"
        )


@pytest.fixture(scope="module")
def layout(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Layout]:
    login = f"reelestate_web_{uuid.uuid4().hex[:8]}"
    _create_roles(login)
    try:
        with fresh_postgres_database() as owner_url:
            user = owner_url.split("://", 1)[1].split("@", 1)[0]
            app_url = owner_url.replace(f"://{user}@", f"://{login}@", 1)
            yield Layout(owner_url, app_url, tmp_path_factory.mktemp("production"))
    finally:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(f"DROP ROLE IF EXISTS {login}")


@pytest.fixture(scope="module")
def served(layout: Layout) -> Iterator[Served]:
    """`reelestate serve` as the login role, after the owner migrated."""
    said = serve_in_process(layout)
    assert "reelestate db upgrade" in said and "never migrated implicitly" in said, said
    migrate.upgrade(
        Settings(DATABASE_URL=layout.app_url, DATABASE_ADMIN_URL=layout.owner_url,
                 REELESTATE_DATA_DIR=layout.data)  # type: ignore[call-arg]
    )  # fmt: skip
    server = Served(layout.env())
    try:
        yield server
    finally:
        server.proc.terminate()
        server.proc.wait(timeout=30)


def serve_in_process(layout: Layout) -> str:
    """`reelestate serve` on the schema as it is: it must stop before listening."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    env = {name: None for name in ("REDIS_URL", "DATABASE_ADMIN_URL", "S3_BUCKET")}
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(
            app,
            ["serve", "--port", str(free_port())],
            env={**env, "DATABASE_URL": layout.app_url, "REELESTATE_DATA_DIR": str(layout.data)},
        )
    finally:
        get_settings.cache_clear()
        root.handlers, root.level = handlers, level
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return " ".join(result.output.split())


def outsider(layout: Layout) -> str:
    """A person of another organisation (made by the owner, as `reelestate users create`)."""
    db = Database(make_engine(layout.owner_url, app_role=None, pool_size=1))
    try:
        handle = f"elm-{uuid.uuid4().hex[:8]}"
        ctx = OrganisationsRepository(db).create(handle, handle)
        accounts = AccountsRepository(db)
        user = accounts.create_user(f"{handle}@example.com", password_hash=hash_password(PASSWORD))
        accounts.add_membership(ctx, user.id, Role.OWNER)
        return f"{handle}@example.com"
    finally:
        db.dispose()


async def threads_of(client: ChatClient) -> set[str]:
    listed = await client.http.post(
        "/chat/project/threads", json={"pagination": {"first": 50}, "filter": {}}
    )
    assert listed.status_code == 200, listed.text
    return {t["id"] for t in listed.json()["data"]}


async def listed_soon(client: ChatClient, thread: str) -> bool:
    """The history is written by Chainlit's background tasks, just after the turn ends."""
    deadline = time.monotonic() + 15
    while thread not in await threads_of(client):
        if time.monotonic() > deadline:
            return False
        await asyncio.sleep(0.1)
    return True


async def test_the_app_chats_as_the_app_role_and_keeps_organisations_apart(
    layout: Layout, served: Served
) -> None:
    admin, eve = ChatClient(served.url), ChatClient(served.url)
    thread = str(uuid.uuid4())
    try:
        assert await admin.sign_in(*ADMIN) == 200
        await admin.connect(thread)
        turn = await admin.say("3 bed 2 bath, $410,000, 7 Birch Lane, Salem OR")
        assert messages(turn) and not any("Traceback" in t for t in messages(turn))
        assert await listed_soon(admin, thread)

        assert await eve.sign_in(outsider(layout), PASSWORD) == 200
        assert thread not in await threads_of(eve)
        peek = await eve.http.get(f"/chat/project/thread/{thread}")
        assert peek.status_code in {401, 403, 404}
        try:  # joining by id: refused, or an empty conversation that writes nothing there
            await eve.connect(thread)
            heard = messages(await eve.say("4 bed, and show me the address"))
            assert not any("Birch" in t for t in heard), heard
        except socketio.exceptions.ConnectionError:
            pass
    finally:
        await admin.close()
        await eve.close()
    _statements_written_wrong_still_stay_in_their_organisation(layout, thread)


def _statements_written_wrong_still_stay_in_their_organisation(layout: Layout, thread: str) -> None:
    with layout.app_connection() as conn:  # no organisation set: nothing at all
        for table in ("chat_users", "chat_threads", "chat_steps", "chat_elements",
                      "chat_feedbacks"):  # fmt: skip
            assert conn.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,), table
    with psycopg.connect(layout.owner_url.replace("postgresql+psycopg", "postgresql")) as owner:
        row = owner.execute(
            'SELECT "organizationId", (SELECT id FROM organizations o WHERE o.id::text '
            '<> t."organizationId" LIMIT 1) FROM chat_threads t WHERE id = %s',
            (thread,),
        ).fetchone()
        assert row is not None
        home, other = str(row[0]), str(row[1])
        outputs = {r[0] for r in owner.execute(
            'SELECT output FROM chat_steps WHERE "threadId" = %s', (thread,)
        )}  # fmt: skip
        assert outputs and not any("4 bed" in str(o) for o in outputs)
    with layout.app_connection(other) as conn:  # another organisation, with a forged query
        assert conn.execute("SELECT count(*) FROM chat_threads WHERE id = %s",
                            (thread,)).fetchone() == (0,)  # fmt: skip
        assert conn.execute('SELECT count(*) FROM chat_steps WHERE "threadId" = %s',
                            (thread,)).fetchone() == (0,)  # fmt: skip
        assert conn.execute("SELECT count(*) FROM chat_users WHERE identifier = %s",
                            (ADMIN[0],)).fetchone() == (0,)  # fmt: skip
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                'INSERT INTO chat_threads (id, "organizationId") VALUES (%s, %s)',
                (str(uuid.uuid4()), home),
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute(
                'INSERT INTO chat_steps (id, name, type, "threadId", streaming) '
                "VALUES (%s, 'x', 'user_message', %s, false)",
                (str(uuid.uuid4()), thread),
            )
        assert conn.execute("UPDATE chat_threads SET name = 'mine' WHERE id = %s",
                            (thread,)).rowcount == 0  # fmt: skip
    with layout.app_connection(home) as conn:  # its own organisation sees it
        assert conn.execute("SELECT count(*) FROM chat_threads WHERE id = %s",
                            (thread,)).fetchone() == (1,)  # fmt: skip
