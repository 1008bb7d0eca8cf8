"""The Chainlit chat: sign-in, photos and facts in, storyboard and buttons, live renders, history.

Loaded by Chainlit from this file (`mount_chainlit(target=__file__)`); everything it needs from
the app comes through `reelestate.chat_ui.services`. It talks only to the runner.

A conversation is shared with the organisation (`team`): colleagues who open it from the
history continue the same conversation and the same project. A render in progress stops with
the Cancel button on its progress message or with Chainlit's stop button; the turn then ends by
itself, saying so, with the storyboard waiting for approval again.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import chainlit as cl
from chainlit.data import get_data_layer
from chainlit.types import ThreadDict

from reelestate.agent.events import RunnerEvent
from reelestate.agent.owner import RenderOwner
from reelestate.agent.rules.presenter import asks_presenter_photo
from reelestate.agent.state import current_version
from reelestate.chat_ui.history import BlobElementStorage, ChatHistory
from reelestate.chat_ui.member_commands import is_member_command, run_member_command
from reelestate.chat_ui.onboarding import Onboarding
from reelestate.chat_ui.photos import accept_photos, keep_upload
from reelestate.chat_ui.present import BUY_CREDITS_ACTION, CANCEL_ACTION, TurnPresenter
from reelestate.chat_ui.services import client_address, services, sign_in_refusal
from reelestate.chat_ui.settings_panel import NO_BRAND, change_phrases, widgets
from reelestate.chat_ui.sign_in import chat_metadata
from reelestate.chat_ui.telegram_link import LINK_WORDS, UNLINK_WORDS, link_message, unlink_message
from reelestate.core.errors import RateLimitedError, ReelEstateError
from reelestate.providers.tts.narrator import parse_voice_choice
from reelestate.services.kit_logo import FIELD as LOGO_FIELD
from reelestate.services.kit_logo import store_logo
from reelestate.services.presenter_photo import find_presenter_photo, set_presenter_photo
from reelestate.storage.context import TenantContext
from reelestate.storage.models import Role
from reelestate.storage.repositories.accounts import authenticate
from reelestate.storage.repositories.content import BrandKitsRepository, ProjectsRepository
from reelestate.storage.repositories.organisations import OrganisationsRepository
from reelestate.storage.repositories.sessions import SessionsRepository

_log = logging.getLogger(__name__)
WELCOME = (
    "Hi! Drop **5 to 40 photos** of the listing here (drag them in, or use the paperclip), "
    "and type its facts: beds, baths, price, size and address. I'll plan a storyboard with a "
    "quick preview; you can change anything in plain words, then approve the final video."
)


@cl.data_layer
def history_layer() -> ChatHistory:
    chat = services()
    return ChatHistory(
        conninfo=chat.history_url,
        storage_provider=BlobElementStorage(chat.blobs),
        app_role=chat.settings.database_app_role or None,
    )


@cl.password_auth_callback
async def sign_in(username: str, password: str) -> cl.User | None:
    """Chainlit's own sign-in form; limited per account and address like every sign-in, and a
    locked attempt is answered as rate limited (429), never as a wrong password."""
    chat = services()
    address = client_address.get()
    try:
        chat.sign_in_limits.hit(username, address)
    except RateLimitedError as exc:
        refusal = sign_in_refusal.get()
        if refusal is not None:
            refusal.append(exc.message)
        return None
    try:
        user, ctx = await asyncio.to_thread(authenticate, chat.accounts, username, password)
        standing = await asyncio.to_thread(SessionsRepository(chat.db).standing, ctx)
    except ReelEstateError:
        return None
    if standing is None:
        return None
    chat.sign_in_limits.succeeded(username, address)
    return cl.User(
        identifier=user.email,
        display_name=user.display_name or user.email,
        metadata=chat_metadata(ctx, standing.session_version),
    )


async def _session_stands() -> bool:
    """Whether the person on this connection is still who their cookie says (not removed, same
    role, password not reset since); if not, the connection is told and ends."""
    user = cl.user_session.get("user")
    meta = user.metadata if user is not None else {}
    try:
        ctx = _tenant()
        await asyncio.to_thread(SessionsRepository(services().db).check, ctx, meta.get("sv"))
    except (ReelEstateError, KeyError, ValueError):
        await cl.Message(
            content="Your session has ended: your access changed. Sign in again to go on."
        ).send()
        return False
    return True


def _tenant() -> TenantContext:
    user = cl.user_session.get("user")
    meta = user.metadata if user is not None else {}
    return TenantContext(
        org_id=uuid.UUID(meta["org_id"]),
        user_id=uuid.UUID(meta["user_id"]),
        role=Role(meta.get("role", "member")),
    )


def _identity() -> str:
    user = cl.user_session.get("user")
    return str(user.identifier) if user is not None else "anonymous"


def _team() -> str:
    """Everyone signed in to the same organisation may continue the conversation."""
    return f"org:{_tenant().org_id}"


def _thread_id() -> str:
    return str(cl.context.session.thread_id)


def _workdir() -> Path:
    path = services().settings.data_dir / "chat" / _thread_id()
    path.mkdir(parents=True, exist_ok=True)
    return path


async def _project_id() -> uuid.UUID:
    """The project this conversation fills in, created with its first message."""
    known = cl.user_session.get("project_id")
    if known:
        return uuid.UUID(str(known))
    db = services().db
    project = await asyncio.to_thread(
        ProjectsRepository(db).create, _tenant(), "New listing", {"source": "chat"}
    )
    cl.user_session.set("project_id", str(project.id))
    return project.id


async def _brand_kits() -> dict[str, dict[str, Any]]:
    kits = await asyncio.to_thread(BrandKitsRepository(services().db).all, _tenant())
    return {k.name: k.data for k in kits}


async def _owner() -> RenderOwner:
    prefs = cl.user_session.get("settings") or {}
    kits = await _brand_kits() if prefs.get("brand_kit", NO_BRAND) != NO_BRAND else {}
    kit_name = str(prefs.get("brand_kit"))
    presenter = await asyncio.to_thread(find_presenter_photo, services().db, _tenant(), kit_name)
    return RenderOwner(
        ctx=_tenant(),
        project_id=await _project_id(),
        brand=kits.get(kit_name),
        captions=prefs.get("captions"),
        presenter_photo=presenter,
    )


async def _run_turn(events: AsyncIterator[RunnerEvent], owner: RenderOwner) -> None:
    chat = services()
    presenter = TurnPresenter(_workdir(), await chat.runner.storyboard(_thread_id(), owner=owner))
    try:
        async for event in events:
            if event.type == "storyboard_ready":
                presenter.use_history(await chat.runner.storyboard(_thread_id(), owner=owner))
            await presenter.show(event)
    finally:
        await presenter.finish()
    await _remember_facts()


async def _remember_facts() -> None:
    """Keep the project's title and facts in step with what the conversation learned, and the
    thread pointing at its project.

    The pointer is written again after every turn: Chainlit's own writes of the thread race at
    its first message (and may drop what was written then), and whoever resumes the thread,
    its author or a colleague, continues the project it names."""
    project_id = await _project_id()
    state = await services().runner.state(_thread_id())
    listing = state.get("listing") or {}
    title = str(listing.get("address") or "New listing")[:160]
    layer = get_data_layer()
    if layer is not None:
        await layer.update_thread(
            _thread_id(),
            name=title if listing.get("address") else None,
            metadata={"project_id": str(project_id)},
        )
    if not listing:
        return
    await asyncio.to_thread(
        ProjectsRepository(services().db).update,
        _tenant(),
        project_id,
        title=title,
        facts={**listing, "source": "chat"},
    )


async def _send(
    text: str,
    photos: list[Path] | None = None,
    *,
    approve: bool = False,
    music: Path | None = None,
) -> None:
    chat = services()
    if not await _session_stands():
        return
    owner = await _owner()
    if approve:
        events = chat.runner.approve(_thread_id(), _identity(), team=_team(), owner=owner)
    else:
        events = chat.runner.send(
            _thread_id(), _identity(), text, photos or [], music=music, team=_team(), owner=owner
        )
    # The task copies this context, so the Chainlit session goes with it.
    turn = asyncio.ensure_future(_whole_turn(events, owner))
    try:
        # Chainlit's stop button cancels the handler; the turn goes on until `on_stop` has
        # asked the runner to cancel the render, and then ends by itself, storyboard kept.
        await asyncio.shield(turn)
    except asyncio.CancelledError:
        turn.add_done_callback(_log_failure)  # nobody waits for it any more
        raise


async def _whole_turn(events: AsyncIterator[RunnerEvent], owner: RenderOwner) -> None:
    await _run_turn(events, owner)
    await _apply_pending_settings()


def _log_failure(task: asyncio.Future[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        _log.error("a chat turn failed", exc_info=task.exception())


async def _cancel_render() -> None:
    try:
        stopped = await services().runner.cancel_render(_thread_id(), _identity(), team=_team())
    except ReelEstateError as exc:
        await cl.Message(content=exc.message).send()
        return
    if not stopped:
        await cl.Message(content="Nothing is rendering right now.").send()


@cl.on_chat_start
async def start() -> None:
    if not await _session_stands():
        return
    await _send_settings()
    ctx = _tenant()
    orgs = OrganisationsRepository(services().db)
    if ctx.role is Role.OWNER and await asyncio.to_thread(orgs.needs_onboarding, ctx):
        onboarding = Onboarding(max_image_pixels=services().settings.max_image_pixels)
        cl.user_session.set("onboarding", onboarding)
        await cl.Message(content=onboarding.question()).send()
        return
    await cl.Message(content=WELCOME).send()


async def _send_settings(brand_kit: str = NO_BRAND) -> None:
    kits = await _brand_kits()
    initial = await cl.ChatSettings(
        widgets(sorted(kits), length=services().settings.video_length_s, brand_kit=brand_kit)
    ).send()
    # A copy: Chainlit updates its own settings dict in place before telling us of a change.
    cl.user_session.set("settings", dict(initial))


async def _onboard(onboarding: Onboarding, message: cl.Message) -> None:
    """One answer of the first-time questions; after the last, the brand kit is stored."""
    images = [
        (str(e.name), Path(str(e.path)))
        for e in message.elements or []
        if e.path and (e.mime or "").startswith("image/")
    ]
    following = await asyncio.to_thread(onboarding.answer, message.content or "", images)
    if following is not None:
        await cl.Message(content=following).send()
        return
    cl.user_session.set("onboarding", None)
    chat = services()
    ctx = _tenant()
    name, data = onboarding.kit()
    voice = data.get("voice")
    if voice:
        try:
            parse_voice_choice(str(voice), chat.settings)
        except ReelEstateError:
            data.pop("voice")
    kits = BrandKitsRepository(chat.db)
    existing = {k.name for k in await asyncio.to_thread(kits.all, ctx)}
    if name not in existing:
        if onboarding.logo is not None:
            data[LOGO_FIELD] = await asyncio.to_thread(
                store_logo,
                chat.blobs,
                ctx,
                onboarding.logo,
                gc_grace_s=chat.settings.blob_gc_grace_s,
            )
        await asyncio.to_thread(kits.create, ctx, name, data)
    await asyncio.to_thread(
        OrganisationsRepository(chat.db).finish_onboarding, ctx, onboarding.answers.get("brokerage")
    )
    await _send_settings(brand_kit=name)
    await cl.Message(
        content=f"All set: your brand kit {onboarding.summary()} is ready and chosen for your "
        "videos (change it any time in the settings, or just tell me)."
    ).send()
    if onboarding.wants_telegram:
        await cl.Message(content=await link_message(chat.settings, chat.db, ctx)).send()
    await cl.Message(content=WELCOME).send()


async def _account_words(text: str) -> bool:
    """Telegram linking and member changes said in words; True when `text` was one."""
    chat = services()
    if UNLINK_WORDS.search(text):
        await cl.Message(content=await unlink_message(chat.db, _tenant())).send()
        return True
    if LINK_WORDS.search(text):
        await cl.Message(content=await link_message(chat.settings, chat.db, _tenant())).send()
        return True
    if is_member_command(text):
        await cl.Message(content=await run_member_command(chat.db, _tenant(), text)).send()
        return True
    return False


@cl.on_chat_resume
async def resume(thread: ThreadDict) -> None:
    pending = await services().runner.pending_approval(_thread_id())
    if pending is not None:
        await TurnPresenter(_workdir()).show(pending)


@cl.on_message
async def on_message(message: cl.Message) -> None:
    if not await _session_stands():
        return
    text = message.content or ""
    onboarding: Onboarding | None = cl.user_session.get("onboarding")
    if onboarding is not None and not onboarding.done:
        await _onboard(onboarding, message)
        return
    if await _account_words(text):
        return
    elements = [e for e in message.elements or [] if e.path]
    uploads = [e for e in elements if (e.mime or "").startswith("image/")]
    tracks = [e for e in elements if (e.mime or "").startswith("audio/")]
    chat = services()
    photos: list[Path] = []
    if uploads and asks_presenter_photo(message.content or ""):
        await _presenter_photo(uploads[0])
        return
    if uploads:
        have = len((await chat.runner.state(_thread_id())).get("photos") or [])
        result = await asyncio.to_thread(
            accept_photos,
            [(str(e.name), Path(str(e.path))) for e in uploads if e.path],
            _workdir() / "photos",
            settings=chat.settings,
            already=have,
        )
        if result.problem:
            await cl.Message(content=result.problem).send()
            return
        if result.refused:
            await cl.Message(content=result.refused_text()).send()
        photos = result.accepted
    music: Path | None = None
    if tracks:
        if len(tracks) > 1:
            note = f"A video has one music track; I'll use {tracks[0].name}."
            await cl.Message(content=note).send()
        music = await asyncio.to_thread(
            keep_upload, str(tracks[0].name), Path(str(tracks[0].path)), _workdir() / "music"
        )
    try:
        await _send(message.content or "", photos, music=music)
    finally:
        if music is not None:  # the conversation kept its own copy if it took the track
            await asyncio.to_thread(music.unlink, missing_ok=True)


async def _presenter_photo(upload: Any) -> None:
    """An image sent as "my presenter photo": face-checked and kept in the brand kit."""
    chat = services()
    prefs = cl.user_session.get("settings") or {}
    chosen = prefs.get("brand_kit")
    try:
        reply = await asyncio.to_thread(
            set_presenter_photo,
            chat.db,
            chat.blobs,
            _tenant(),
            Path(str(upload.path)),
            name=str(upload.name),
            kit_name=None if chosen in (None, NO_BRAND) else str(chosen),
        )
    except ReelEstateError as exc:
        reply = exc.message + (f" {exc.hint}" if exc.hint else "")
    await cl.Message(content=reply).send()


@cl.action_callback("approve")
async def on_approve(action: cl.Action) -> None:
    await action.remove()
    await _send("", approve=True)


@cl.action_callback("reply")
async def on_reply(action: cl.Action) -> None:
    text = str(action.payload.get("text") or "")
    if text:
        await _echo(text)
        await _send(text)


@cl.action_callback(BUY_CREDITS_ACTION)
async def on_buy_credits(action: cl.Action) -> None:
    url = str(action.payload.get("url") or "")
    if url.startswith(("https://", "http://")):
        await cl.Message(
            content=f"Pay on Stripe's page: **[Buy credits]({url})**. When it is paid, press "
            "Approve again: your storyboard is kept."
        ).send()


@cl.action_callback(CANCEL_ACTION)
async def on_cancel(action: cl.Action) -> None:
    await _cancel_render()


@cl.on_stop
async def on_stop() -> None:
    await _cancel_render()


@cl.action_callback("revise")
async def on_revise(action: cl.Action) -> None:
    await cl.Message(
        content="Tell me what to change, for example *swap scenes 2 and 3*, "
        "*caption the kitchen Chef's kitchen*, *make it 20 seconds* or *no music*."
    ).send()


@cl.on_settings_update
async def on_settings(new: dict[str, Any]) -> None:
    old = cl.user_session.get("settings") or {}
    cl.user_session.set("settings", dict(new))
    phrases = change_phrases(old, new)
    if not phrases:
        return
    if current_version(await services().runner.state(_thread_id())) is None:
        cl.user_session.set("pending_phrases", phrases)
        await cl.Message(content="Noted: I'll use these settings for the storyboard.").send()
        return
    for phrase in phrases:
        await _echo(phrase)
        await _send(phrase)


async def _echo(text: str) -> None:
    """Show a change asked for by a button or a setting as if the person had typed it."""
    await cl.Message(content=text, author="You", type="user_message").send()


async def _apply_pending_settings() -> None:
    phrases: list[str] = cl.user_session.get("pending_phrases") or []
    if not phrases:
        return
    if current_version(await services().runner.state(_thread_id())) is None:
        return
    cl.user_session.set("pending_phrases", [])
    for phrase in phrases:
        await _send(phrase)
