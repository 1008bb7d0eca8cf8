"""Chat history on our database through Chainlit's SQLAlchemy data layer.

Chainlit's SQL names its tables `users`, `threads`, ...; ours are `chat_users`, `chat_threads`,
... (created by our migrations), so every statement is re-pointed before it runs. Threads are
stamped with the organisation the author was signed in to, and history lists only those.
Elements (photos, previews, videos) are kept in our blob store under the organisation's prefix
and come back as fresh signed URLs.
"""

from __future__ import annotations

import json
import re
import uuid
from typing import Any

from chainlit.context import ChainlitContextException, context
from chainlit.data.sql_alchemy import SQLAlchemyDataLayer
from chainlit.data.storage_clients.base import BaseStorageClient
from chainlit.types import ThreadDict

from reelestate.core.errors import ReelEstateError
from reelestate.storage.blobs import BlobStore, blob_key, org_of_key
from reelestate.storage.context import TenantContext

_TABLE = re.compile(r"\b(FROM|INTO|UPDATE|JOIN)(\s+)(users|threads|steps|elements|feedbacks)\b")
_SAFE = re.compile(r"[^A-Za-z0-9._-]+")
READ_URL_SECONDS = 6 * 3600


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
        name = _SAFE.sub("-", "-".join(parts[1:]) or parts[0]).strip("-.")[:120] or "file"
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
    """Chainlit's data layer on the `chat_` tables, scoped to the signed-in organisation."""

    async def execute_sql(
        self, query: str, parameters: dict[str, Any]
    ) -> list[dict[str, Any]] | int | None:
        result: list[dict[str, Any]] | int | None = await super().execute_sql(
            chat_table_sql(query), parameters
        )
        return result

    async def update_thread(
        self,
        thread_id: str,
        name: str | None = None,
        user_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        tags: list[str] | None = None,
    ) -> None:
        await super().update_thread(thread_id, name, user_id, metadata, tags)
        org = session_org()
        if org is not None:
            await self.execute_sql(
                'UPDATE threads SET "organizationId" = :org '
                'WHERE "id" = :id AND "organizationId" IS NULL',
                {"org": str(org), "id": thread_id},
            )

    async def _viewer_org(self, user_id: str) -> str | None:
        rows = await self.execute_sql(
            'SELECT "metadata" FROM users WHERE "id" = :id', {"id": user_id}
        )
        if not isinstance(rows, list) or not rows:
            return None
        metadata = rows[0].get("metadata") or "{}"
        data = json.loads(metadata) if isinstance(metadata, str) else metadata
        org = data.get("org_id") if isinstance(data, dict) else None
        return str(org) if org else None

    async def get_all_user_threads(
        self, user_id: str | None = None, thread_id: str | None = None
    ) -> list[ThreadDict] | None:
        threads: list[ThreadDict] | None = await super().get_all_user_threads(
            user_id=user_id, thread_id=thread_id
        )
        if not threads or user_id is None:
            return threads
        org = await self._viewer_org(user_id)
        rows = await self.execute_sql(
            'SELECT "id" FROM threads WHERE "userId" = :u AND "organizationId" = :org',
            {"u": user_id, "org": org or ""},
        )
        allowed = {r["id"] for r in rows} if isinstance(rows, list) else set()
        return [t for t in threads if t["id"] in allowed or t["id"] == thread_id]
