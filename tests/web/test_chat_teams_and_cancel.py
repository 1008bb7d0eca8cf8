"""The chat over its wire protocol: a colleague's listing in the history, opened and continued
(same conversation, same project), never another organisation's; a render in progress stopped
by Chainlit's stop button and by the Cancel button, its job ending cancelled; the render rate
limit shared with the REST API, said plainly."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import socketio  # type: ignore[import-untyped]

from tests.support.held_engine import HOLD_ENV
from tests.support.web import ChatServer
from tests.web.chat_client import ChatClient, actions, messages
from tests.web.helpers import PASSWORD, listing_photos, sign_up

BIRCH = "3 bed 2 bath, $410,000, 1,500 sq ft, 7 Birch Lane, Salem OR"


class Person:
    """Someone with an account, their REST token, and a chat client signed in as them."""

    def __init__(self, server: ChatServer, email: str, tokens: dict[str, Any]) -> None:
        self.email = email
        self.http = httpx.AsyncClient(
            base_url=server.base,
            headers={"Authorization": f"Bearer {tokens['access_token']}"},
            timeout=30,
        )
        self.chat = ChatClient(server.base)

    async def close(self) -> None:
        await self.chat.close()
        await self.http.aclose()

    async def get(self, url: str, **params: Any) -> Any:
        response = await self.http.get(url, params=params)
        assert response.status_code == 200, response.text
        return response.json()

    async def threads(self) -> dict[str, str]:
        listed = await self.chat.http.post(
            "/chat/project/threads", json={"pagination": {"first": 50}, "filter": {}}
        )
        assert listed.status_code == 200, listed.text
        return {t["id"]: t["name"] or "" for t in listed.json()["data"]}

    async def job_ending(self, *, within_s: float = 60) -> dict[str, Any]:
        deadline = time.monotonic() + within_s
        while True:
            jobs = (await self.get("/api/v1/render-jobs"))["items"]
            if jobs and jobs[0]["status"] in {"succeeded", "failed", "cancelled"}:
                return dict(jobs[0])
            assert time.monotonic() < deadline, jobs
            await asyncio.sleep(0.1)


def past_first_day(server: ChatServer, tokens: dict[str, Any]) -> None:
    """These conversations are about teams, not the new owner's first-time questions."""
    from reelestate.api.security.tokens import TokenIssuer  # noqa: PLC0415
    from reelestate.storage.repositories.organisations import OrganisationsRepository  # noqa: PLC0415

    services = server.app.state.services
    issuer: TokenIssuer = services.tokens
    ctx = issuer.verify(tokens["access_token"], "access").context()
    OrganisationsRepository(services.db).finish_onboarding(ctx)


async def new_owner(server: ChatServer) -> Person:
    email = f"agent-{uuid.uuid4().hex[:8]}@example.com"
    with httpx.Client(base_url=server.base) as http:
        tokens = await asyncio.to_thread(
            sign_up, http.post, server.settings.outbox_dir, email, organization_name="Birch Homes"
        )
    person = Person(server, email, tokens)
    await asyncio.to_thread(past_first_day, server, tokens)
    assert await person.chat.sign_in(email, PASSWORD) == 200
    return person


async def invite(owner: Person, server: ChatServer) -> Person:
    email = f"colleague-{uuid.uuid4().hex[:8]}@example.com"
    made = await owner.http.post(
        "/api/v1/organizations/current/invitations", json={"email": email, "role": "member"}
    )
    assert made.status_code == 201, made.text
    async with httpx.AsyncClient(base_url=server.base) as http:
        joined = await http.post(
            "/api/v1/auth/accept-invitation",
            json={"token": made.json()["token"], "password": PASSWORD},
        )
    assert joined.status_code == 200, joined.text
    person = Person(server, email, joined.json())
    assert await person.chat.sign_in(email, PASSWORD) == 200
    return person


@asynccontextmanager
async def people(*made: Person) -> AsyncIterator[None]:
    try:
        yield
    finally:
        for person in made:
            await person.close()


def said(events: list[tuple[str, Any]], fragment: str) -> bool:
    return any(fragment in text for text in messages(events))


def cancel_buttons(events: list[tuple[str, Any]]) -> list[dict[str, Any]]:
    return [a for a in actions(events) if a["name"] == "cancel_render"]


async def test_colleagues_share_listings_and_other_organisations_see_none(
    chat_server: ChatServer,
) -> None:
    ann = await new_owner(chat_server)
    ben = await invite(ann, chat_server)
    eve = await new_owner(chat_server)
    async with people(ann, ben, eve):
        thread = str(uuid.uuid4())
        await ann.chat.connect(thread)
        await ann.chat.say(BIRCH)
        (project,) = (await ann.get("/api/v1/projects"))["items"]
        assert project["title"] == "7 Birch Lane"

        listed = await ben.threads()
        assert thread in listed and ann.email in listed[thread]
        opened = await ben.chat.http.get(f"/chat/project/thread/{thread}")
        assert opened.status_code == 200, opened.text
        assert [s["output"] for s in opened.json()["steps"] if s["type"] == "user_message"] == [
            BIRCH
        ]
        await ben.chat.connect(thread)
        turn = await ben.chat.say("4 bed")
        assert said(turn, "Got it:") and said(turn, "4 bd"), messages(turn)
        (same,) = (await ben.get("/api/v1/projects"))["items"]
        assert same["id"] == project["id"] and same["facts"]["beds"] == 4, (
            "the colleague continued the same project"
        )
        assert (await ann.threads())[thread] == "7 Birch Lane"

        assert thread not in await eve.threads()
        peek = await eve.chat.http.get(f"/chat/project/thread/{thread}")
        assert peek.status_code in {401, 403, 404}
        with pytest.raises(socketio.exceptions.ConnectionError):
            await eve.chat.connect(thread)
        assert (await eve.get("/api/v1/projects"))["items"] == []


async def test_a_render_in_progress_is_stopped_and_its_job_cancelled(
    chat_server: ChatServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hold = tmp_path / "hold-renders"
    hold.write_text("held")
    monkeypatch.setenv(HOLD_ENV, str(hold))
    ann = await new_owner(chat_server)
    async with people(ann):
        client = ann.chat
        await client.connect()
        refs = await client.upload(listing_photos()[:5])
        mark = await client.send(BIRCH, refs)
        await client.wait_until(lambda ev: bool(cancel_buttons(ev)), after=mark)
        await client.stop()  # Chainlit's stop button, while the preview renders
        turn = await client.wait_until(
            lambda ev: said(ev, "Render cancelled") and any(a["label"] == "Approve"
                                                            for a in actions(ev)),
            after=mark,
        )  # fmt: skip
        assert said(turn, "Rendering the preview:** cancelled")
        assert [e for e, d in turn if e == "remove_action" and d["name"] == "cancel_render"]
        preview = await ann.job_ending()
        assert (preview["kind"], preview["status"]) == ("render_preview", "cancelled")

        approve = next(a for a in actions(turn) if a["label"] == "Approve")
        mark = len(client.events)
        approving = asyncio.create_task(client.click(approve))
        events = await client.wait_until(lambda ev: bool(cancel_buttons(ev)), after=mark)
        await client.click(cancel_buttons(events)[0])
        await approving
        final = client.events[mark:]
        assert said(final, "Render cancelled. Your storyboard is kept")
        assert said(final, "Rendering the final video:** cancelled")
        job = await ann.job_ending()
        assert (job["kind"], job["status"]) == ("render_video", "cancelled")
        credits = await ann.get("/api/v1/organizations/current/credits")
        assert credits["reserved"] == 0 and credits["available"] == 50
        nothing = await client.click(cancel_buttons(events)[0])
        assert said(nothing, "Nothing is rendering right now")


async def test_chat_renders_count_against_the_render_limit(chat_server: ChatServer) -> None:
    ann = await new_owner(chat_server)
    async with people(ann):
        org = (await ann.get("/api/v1/users/me"))["organization"]["id"]
        limiter = chat_server.app.state.services.render_limiter
        for _ in range(limiter.limit):
            limiter.hit(org)
        try:
            await ann.chat.connect()
            refs = await ann.chat.upload(listing_photos()[:5])
            turn = await ann.chat.say(BIRCH, refs)
            assert said(turn, "most allowed. Try again in 60 minutes"), messages(turn)
            assert said(turn, "Your storyboard is kept")
            assert (await ann.get("/api/v1/render-jobs"))["items"] == []
        finally:
            limiter.reset(org)
