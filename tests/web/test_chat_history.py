"""The chat history data layer on the real databases (SQLite and PostgreSQL, schema from our
migrations): threads, steps and elements written as Chainlit writes them, listed and resumed,
shared with colleagues of the same organisation and closed to every other organisation."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, TypeVar

import chainlit as cl
import pytest
from chainlit.context import ChainlitContext, context_var
from chainlit.session import HTTPSession
from chainlit.step import StepDict
from chainlit.types import Pagination, ThreadFilter
from chainlit.user import PersistedUser
from fastapi import HTTPException

from reelestate.chat_ui.history import BlobElementStorage, ChatHistory, Viewer
from reelestate.chat_ui.services import async_database_url
from reelestate.core.settings import Settings
from reelestate.storage.blobs import LocalBlobStore
from tests.support.fixtures import pg_settings, pg_url, sqlite_settings

__all__ = ["pg_settings", "pg_url", "sqlite_settings"]
T = TypeVar("T")
OAK, ELM = str(uuid.uuid4()), str(uuid.uuid4())
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture(params=["sqlite", "postgresql"])
async def layer(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ChatHistory]:
    name = "pg_settings" if request.param == "postgresql" else "sqlite_settings"
    settings: Settings = request.getfixturevalue(name)
    history = ChatHistory(
        conninfo=async_database_url(settings.effective_database_url),
        storage_provider=BlobElementStorage(LocalBlobStore(tmp_path / "blobs", b"s" * 32)),
    )
    yield history
    await history.close()


async def as_person(
    user: PersistedUser | None, thread_id: str, work: Callable[[], Awaitable[T]]
) -> T:
    """`work` as Chainlit runs it for `user`'s session on `thread_id` (its own task, so the
    session does not leak into the next person's calls)."""

    async def run() -> T:
        if user is not None:
            session = HTTPSession(
                id=str(uuid.uuid4()), client_type="webapp", thread_id=thread_id, user=user
            )
            context_var.set(ChainlitContext(session))
        return await work()

    return await asyncio.create_task(run())


async def person(layer: ChatHistory, name: str, org: str, role: str = "member") -> PersistedUser:
    email = f"{name}-{uuid.uuid4().hex[:6]}@{org[:8]}.example"
    user = await layer.create_user(
        cl.User(identifier=email, metadata={"org_id": org, "user_id": str(uuid.uuid4()),
                                            "role": role})
    )  # fmt: skip
    assert user is not None
    return user


def step(
    thread_id: str, kind: Literal["user_message", "assistant_message"], output: str
) -> StepDict:
    now = datetime.now(UTC).isoformat()
    return {
        "id": str(uuid.uuid4()), "threadId": thread_id, "name": kind, "type": kind,
        "output": output, "streaming": False, "createdAt": now, "start": now, "end": now,
        "metadata": {}, "isError": False,
    }  # fmt: skip


async def steps_of(layer: ChatHistory, thread_id: str) -> list[str]:
    thread = await layer.get_thread(thread_id)
    assert thread is not None
    return [str(s.get("output")) for s in thread["steps"]]


async def listed(layer: ChatHistory, user: PersistedUser) -> dict[str, dict[str, Any]]:
    async def work() -> dict[str, dict[str, Any]]:
        page = await layer.list_threads(Pagination(first=50), ThreadFilter(userId=user.id))
        return {str(t["id"]): dict(t) for t in page.data}

    return await as_person(user, "", work)


async def test_threads_steps_and_elements_are_listed_resumed_and_kept_in_the_org(
    layer: ChatHistory,
) -> None:
    ann, ben = await person(layer, "ann", OAK), await person(layer, "ben", OAK)
    ada = await person(layer, "ada", OAK, role="admin")
    eve = await person(layer, "eve", ELM)
    thread = str(uuid.uuid4())
    asked = step(thread, "user_message", "3 bed 2 bath, 12 Oak St")

    async def ann_writes() -> None:
        await layer.update_thread(thread, name="12 Oak St", user_id=ann.id)
        await layer.create_step(asked)
        await layer.create_step(step(thread, "assistant_message", "Storyboard v1"))
        image = cl.Image(content=PNG, name="storyboard-v1.png", display="inline",
                         for_id=asked["id"], mime="image/png")  # fmt: skip
        await layer.create_element(image)

    await as_person(ann, thread, ann_writes)
    eves_thread = str(uuid.uuid4())

    async def eve_writes() -> None:
        await layer.update_thread(eves_thread, name="1 Elm Rd", user_id=eve.id)
        await layer.create_step(step(eves_thread, "user_message", "elm facts"))

    await as_person(eve, eves_thread, eve_writes)

    mine = await listed(layer, ann)
    assert set(mine) == {thread} and mine[thread]["name"] == "12 Oak St"
    assert await steps_of(layer, thread) == ["3 bed 2 bath, 12 Oak St", "Storyboard v1"]
    resumed = await as_person(ann, thread, lambda: layer.get_thread(thread))
    assert resumed is not None and resumed["userIdentifier"] == ann.identifier
    (element,) = resumed.get("elements") or []
    assert element["name"] == "storyboard-v1.png"
    assert str(element["objectKey"]).startswith(f"org/{OAK}/chat/")
    assert "signature=" in str(element["url"])

    # A colleague sees it, named with its author, opens it and continues it as it is.
    theirs = await listed(layer, ben)
    assert set(theirs) == {thread}
    assert theirs[thread]["name"] == f"12 Oak St · {ann.identifier}"
    assert await as_person(ben, thread, lambda: layer.get_thread_author(thread)) == ben.identifier
    opened = await as_person(ben, thread, lambda: layer.get_thread(thread))
    assert opened is not None and opened["userIdentifier"] == ben.identifier

    async def ben_continues() -> None:
        await layer.update_thread(thread, user_id=ben.id, metadata={"project_id": "p1"})
        await layer.create_step(step(thread, "user_message", "make it shorter"))

    await as_person(ben, thread, ben_continues)
    assert (await steps_of(layer, thread))[-1] == "make it shorter"
    assert await as_person(ann, thread, lambda: layer.get_thread_author(thread)) == ann.identifier

    # Another organisation: not listed, not opened, not changed.
    assert set(await listed(layer, eve)) == {eves_thread}
    assert await as_person(eve, thread, lambda: layer.get_thread_author(thread)) == ann.identifier
    peek = await as_person(eve, thread, lambda: layer.get_thread(thread))
    assert peek is not None and peek["userIdentifier"] == ann.identifier
    await as_person(eve, thread, lambda: layer.update_thread(thread, name="mine now"))
    assert (await listed(layer, ann))[thread]["name"] == "12 Oak St"
    with pytest.raises(HTTPException):
        await as_person(eve, thread, lambda: layer.delete_thread(thread))

    # Requests without a Chainlit session: the person whose sign-in was just looked up.
    async def request_by(user: PersistedUser) -> str:
        await layer.get_user(user.identifier)
        return await layer.get_thread_author(thread)

    assert await as_person(None, "", lambda: request_by(ben)) == ben.identifier
    assert await as_person(None, "", lambda: request_by(eve)) == ann.identifier

    # Deleting: the author or an admin of the organisation, not any colleague.
    with pytest.raises(HTTPException):
        await as_person(ben, thread, lambda: layer.delete_thread(thread))
    await as_person(ada, thread, lambda: layer.delete_thread(thread))
    assert await listed(layer, ann) == {}
    assert set(await listed(layer, eve)) == {eves_thread}


def test_viewer_reads_stored_metadata() -> None:
    assert Viewer.of("a@x", '{"org_id": "o1", "role": "admin"}') == Viewer("a@x", "o1", "admin")
    assert Viewer.of("a@x", "[]") == Viewer("a@x", None, "member")


async def test_concurrent_writes_of_a_new_thread_keep_every_metadata_key(
    layer: ChatHistory,
) -> None:
    ann = await person(layer, "ann", OAK)
    thread = str(uuid.uuid4())

    async def first_message() -> None:
        # What Chainlit and the chat write at once when a thread's first message arrives.
        await asyncio.gather(
            layer.create_step(step(thread, "user_message", "hello")),
            layer.update_thread(thread, name="hello", user_id=ann.id),
            layer.update_thread(thread, metadata={"project_id": "p1"}),
            layer.update_thread(thread, metadata={"chat_settings": {"style": "modern"}}),
        )

    await as_person(ann, thread, first_message)
    stored = await as_person(ann, thread, lambda: layer.get_thread(thread))
    assert stored is not None
    metadata = json.loads(str(stored["metadata"]))
    assert metadata == {"project_id": "p1", "chat_settings": {"style": "modern"}}
    assert stored["userId"] == ann.id and stored["name"] == "hello"
