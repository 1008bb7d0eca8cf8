"""Chat history on our database through Chainlit's SQLAlchemy data layer.

Chainlit's SQL names its tables `users`, `threads`, ...; ours are `chat_users`, `chat_threads`,
... (created by our migrations), so every statement is re-pointed before it runs. Elements
(photos, previews, videos) are kept in our blob store under the organisation's prefix and come
back as fresh signed URLs.

Threads are stamped with the organisation their author was signed in to, and a team works on
its listings together: the history lists every thread of the viewer's organisation (a
colleague's is named with its author), and a colleague may open and continue one, which goes on
with the same conversation and project (the runner lets the organisation in, see
`Runner.send`'s `team`). Another organisation's threads are never listed, opened or changed;
only the author, or an admin or owner of the organisation, deletes a thread.

On PostgreSQL the chat's tables have row-level security like every tenant table: each statement
runs as the application role in a transaction with the organisation of the person asking set
(`app.org_id`), so a query this layer or Chainlit gets wrong still cannot reach another
organisation's threads, steps, elements, feedback or people. The one lookup made before the
organisation is known, the signed-in person's own row by identifier, goes through
`reelestate_chat_user`.

Chainlit decides who may open a thread by comparing the thread's author with the person asking
(`is_thread_author`, and the checks when a socket connects or resumes). So for a colleague this
layer reports the thread as the viewer's own. The viewer is the person of the current Chainlit
session or, in requests and socket connections that have none, the person whose sign-in was
just looked up (`get_user`, which Chainlit calls to authenticate every request).
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import uuid
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from weakref import WeakValueDictionary

from chainlit.context import ChainlitContextException, context
from chainlit.data.sql_alchemy import SQLAlchemyDataLayer
from chainlit.data.storage_clients.base import BaseStorageClient
from chainlit.types import ThreadDict
from chainlit.user import PersistedUser, User
from fastapi import HTTPException
from sqlalchemy import event, text

from reelestate.core.errors import ReelEstateError
from reelestate.core.filenames import safe_name
from reelestate.services import permissions
from reelestate.storage.blobs import BlobStore, blob_key, org_of_key
from reelestate.storage.context import TenantContext
from reelestate.storage.db import check_role_name
from reelestate.storage.models import Role

log = logging.getLogger(__name__)

_TABLE = re.compile(r"\b(FROM|INTO|UPDATE|JOIN)(\s+)(users|threads|steps|elements|feedbacks)\b")
READ_URL_SECONDS = 6 * 3600
_OWN_THREADS = 't."userId" = :user_id OR t."id" = :thread_id'
"""The condition of Chainlit's thread listing that the organisation's listing replaces."""
_ORG_THREADS = 't."organizationId" = :org_scope OR t."id" = :thread_id'


def _role(name: str) -> Role:
    try:
        return Role(name)
    except ValueError:
        return Role.MEMBER


@dataclass(frozen=True)
class Viewer:
    """Who is looking at the history: their sign-in and the organisation they are signed in to."""

    identifier: str
    org: str | None
    role: str = "member"

    @classmethod
    def of(cls, identifier: str, metadata: Any) -> Viewer:
        data = json.loads(metadata) if isinstance(metadata, str) else metadata
        data = data if isinstance(data, dict) else {}
        org = data.get("org_id")
        return cls(identifier, str(org) if org else None, str(data.get("role") or "member"))


_signed_in: ContextVar[Viewer | None] = ContextVar("chat_history_viewer", default=None)
_tenant_override: ContextVar[str | None] = ContextVar("chat_history_tenant", default=None)
_GET_USER = "SELECT * FROM users WHERE identifier = :identifier"
"""Chainlit's lookup of the signed-in person, made before the organisation is known."""
_GET_USER_BEFORE_TENANT = "SELECT * FROM reelestate_chat_user(:identifier)"
_org_scope: ContextVar[str | None] = ContextVar("chat_history_org_scope", default=None)


def chat_table_sql(query: str) -> str:
    """Chainlit's statement with its table names moved to our `chat_` tables."""
    return _TABLE.sub(r"\1\2chat_\3", query)


def session_org() -> uuid.UUID | None:
    """The organisation of the person on the current Chainlit connection, if any."""
    try:
        user = context.session.user
    except ChainlitContextException:
        return None
    org = (user.metadata or {}).get("org_id") if user is not None else None
    return uuid.UUID(str(org)) if org else None


def current_viewer() -> Viewer | None:
    """The person of this Chainlit session, else the one this request signed in as."""
    try:
        user = context.session.user
    except ChainlitContextException:
        user = None
    if user is not None:
        return Viewer.of(str(user.identifier), user.metadata or {})
    return _signed_in.get()


class BlobElementStorage(BaseStorageClient):
    """Chainlit's element storage on our blob store (local folder or S3)."""

    def __init__(self, blobs: BlobStore) -> None:
        self._blobs = blobs

    async def upload_file(
        self,
        object_key: str,
        data: bytes | str,
        mime: str = "application/octet-stream",
        overwrite: bool = True,
        content_disposition: str | None = None,
    ) -> dict[str, Any]:
        org = session_org()
        if org is None:
            return {}
        ctx = TenantContext(org_id=org)
        parts = object_key.split("/")
        name = safe_name("-".join(parts[1:]) or parts[0]).strip("-.")[:120] or "file"
        key = blob_key(ctx, "chat", name)
        payload = data.encode() if isinstance(data, str) else data
        try:
            self._blobs.put_bytes(ctx, key, payload, mime)
        except ReelEstateError:
            return {}
        return {"object_key": key, "url": self._blobs.signed_url(ctx, key, READ_URL_SECONDS)}

    async def delete_file(self, object_key: str) -> bool:
        try:
            self._blobs.delete(TenantContext(org_id=org_of_key(object_key)), object_key)
        except ReelEstateError:
            return False
        return True

    async def get_read_url(self, object_key: str) -> str:
        ctx = TenantContext(org_id=org_of_key(object_key))
        return self._blobs.signed_url(ctx, object_key, READ_URL_SECONDS)

    async def close(self) -> None:
        return None


class ChatHistory(SQLAlchemyDataLayer):
    """Chainlit's data layer on the `chat_` tables, shared within the signed-in organisation."""

    def __init__(self, *args: Any, app_role: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._writing: WeakValueDictionary[str, asyncio.Lock] = WeakValueDictionary()
        self._postgres = self.engine.dialect.name == "postgresql"
        if self._postgres and app_role:
            role = check_role_name(app_role)

            @event.listens_for(self.engine.sync_engine, "connect")
            def _set_role(dbapi_connection: Any, _record: Any) -> None:
                cursor = dbapi_connection.cursor()
                cursor.execute(f'SET ROLE "{role}"')
                cursor.close()
                dbapi_connection.commit()

    async def execute_sql(
        self, query: str, parameters: dict[str, Any]
    ) -> list[dict[str, Any]] | int | None:
        org = _org_scope.get()
        if org is not None and _OWN_THREADS in query:
            query = query.replace(_OWN_THREADS, _ORG_THREADS)
            parameters = {**parameters, "org_scope": org}
        if self._postgres and query == _GET_USER:
            query = _GET_USER_BEFORE_TENANT
        return await self._execute(chat_table_sql(query), parameters, self._tenant())

    @staticmethod
    def _tenant() -> str | None:
        forced = _tenant_override.get()
        if forced is not None:
            return forced
        viewer = current_viewer()
        return viewer.org if viewer is not None else None

    async def _execute(
        self, query: str, parameters: dict[str, Any], org: str | None
    ) -> list[dict[str, Any]] | int | None:
        """Chainlit's `execute_sql`, with the organisation set in the same transaction."""
        async with self.async_session() as session:
            try:
                await session.begin()
                if self._postgres and org is not None:
                    await session.execute(
                        text("SELECT set_config('app.org_id', :org, true)"), {"org": org}
                    )
                result = await session.execute(text(query), parameters)
                await session.commit()
                if result.returns_rows:
                    rows: list[dict[str, Any]] = self.clean_result(  # type: ignore[no-untyped-call]
                        [dict(row._mapping) for row in result.fetchall()]
                    )
                    return rows
                return int(result.rowcount)
            except Exception as exc:
                await session.rollback()
                log.warning("chat history statement failed: %s", type(exc).__name__)
                return None

    async def create_user(self, user: User) -> PersistedUser | None:
        """Written in the organisation the person signs in to (their metadata names it)."""
        org = (user.metadata or {}).get("org_id")
        token = _tenant_override.set(str(org) if org else None)
        try:
            created: PersistedUser | None = await super().create_user(user)
        finally:
            _tenant_override.reset(token)
        return created

    async def get_user(self, identifier: str) -> PersistedUser | None:
        user: PersistedUser | None = await super().get_user(identifier)
        if user is not None:
            _signed_in.set(Viewer.of(user.identifier, user.metadata))
        return user

    async def _thread_row(self, thread_id: str) -> dict[str, Any] | None:
        rows = await self.execute_sql(
            'SELECT "userId", "userIdentifier", "organizationId" FROM threads WHERE "id" = :id',
            {"id": thread_id},
        )
        return rows[0] if isinstance(rows, list) and rows else None

    @staticmethod
    def _colleague(viewer: Viewer | None, row: dict[str, Any]) -> bool:
        """A member of the thread's organisation who is not its author."""
        return (
            viewer is not None
            and viewer.org is not None
            and row.get("organizationId") == viewer.org
            and row.get("userIdentifier") != viewer.identifier
        )

    async def get_thread_author(self, thread_id: str) -> str:
        row = await self._thread_row(thread_id)
        if row is None:
            return ""  # no such thread here (or another organisation's): Chainlit answers 404
        viewer = current_viewer()
        if row is not None and viewer is not None and self._colleague(viewer, row):
            return viewer.identifier
        author: str = await super().get_thread_author(thread_id)
        return author

    async def get_thread(self, thread_id: str) -> ThreadDict | None:
        thread: ThreadDict | None = await super().get_thread(thread_id)
        if thread is None:
            return None
        row = await self._thread_row(thread_id)
        viewer = current_viewer()
        if row is not None and viewer is not None and self._colleague(viewer, row):
            # Open to the author's colleagues: Chainlit lets its author resume a thread.
            return {**thread, "userIdentifier": viewer.identifier}
        return thread

    async def update_thread(
        self,
        thread_id: str,
        name: str | None = None,
        user_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        tags: list[str] | None = None,
    ) -> None:
        # Chainlit reads the thread's metadata, merges and writes it back, from several tasks
        # at a thread's first message; one write at a time per thread keeps every key.
        lock = self._writing.get(thread_id)
        if lock is None:
            lock = self._writing[thread_id] = asyncio.Lock()
        async with lock:
            await self._update_thread(thread_id, name, user_id, metadata, tags)

    async def _update_thread(
        self,
        thread_id: str,
        name: str | None,
        user_id: str | None,
        metadata: dict[str, Any] | None,
        tags: list[str] | None,
    ) -> None:
        row = await self._thread_row(thread_id)
        org = session_org()
        if row is not None:
            if row.get("organizationId") and org is not None and row["organizationId"] != str(org):
                return  # another organisation's thread is never changed
            if row.get("userId") and user_id is not None and row["userId"] != user_id:
                user_id = None  # a colleague continuing a thread does not become its author
        await super().update_thread(thread_id, name, user_id, metadata, tags)
        if org is not None:
            await self.execute_sql(
                'UPDATE threads SET "organizationId" = :org '
                'WHERE "id" = :id AND "organizationId" IS NULL',
                {"org": str(org), "id": thread_id},
            )

    async def delete_thread(self, thread_id: str) -> None:
        row = await self._thread_row(thread_id)
        if row is not None and not self._may_delete(current_viewer(), row):
            raise HTTPException(
                status_code=403,
                detail="Only its author or an admin of the organisation deletes a listing.",
            )
        await super().delete_thread(thread_id)

    @classmethod
    def _may_delete(cls, viewer: Viewer | None, row: dict[str, Any]) -> bool:
        if viewer is None or row.get("userIdentifier") == viewer.identifier:
            return True
        return cls._colleague(viewer, row) and permissions.can_delete_conversation(
            _role(viewer.role), is_author=False
        )

    async def _viewer_of(self, user_id: str) -> Viewer | None:
        rows = await self.execute_sql(
            'SELECT "identifier", "metadata" FROM users WHERE "id" = :id', {"id": user_id}
        )
        if not isinstance(rows, list) or not rows:
            return None
        return Viewer.of(str(rows[0]["identifier"]), rows[0].get("metadata") or "{}")

    async def get_all_user_threads(
        self, user_id: str | None = None, thread_id: str | None = None
    ) -> list[ThreadDict] | None:
        """One thread by id (`user_id` None), or the history of `user_id`: every thread of the
        organisation they are signed in to, newest activity first."""
        if user_id is None:
            one: list[ThreadDict] | None = await super().get_all_user_threads(thread_id=thread_id)
            return one
        viewer = await self._viewer_of(user_id)
        if viewer is None or viewer.org is None:
            return []
        token = _org_scope.set(viewer.org)
        try:
            threads: list[ThreadDict] | None = await super().get_all_user_threads(
                user_id=user_id, thread_id=thread_id
            )
        finally:
            _org_scope.reset(token)
        if not threads:
            return threads
        rows = await self.execute_sql(
            'SELECT "id", "userIdentifier" FROM threads WHERE "organizationId" = :org',
            {"org": viewer.org},
        )
        authors = {r["id"]: r["userIdentifier"] for r in rows} if isinstance(rows, list) else {}
        listed: list[ThreadDict] = []
        for thread in threads:
            if thread["id"] not in authors:
                continue  # another organisation's thread is never listed
            author = authors[thread["id"]]
            if author and author != viewer.identifier:
                named = f"{thread.get('name') or 'Listing'} · {author}"
                listed.append({**thread, "name": named})
            else:
                listed.append(thread)
        return listed
