"""The one API every channel uses: send a message (and photos), get events back.

    async with Runner.open(settings) as runner:
        async for event in runner.send("thread-1", "agent@example.com", "3 bed 2 bath", photos):
            ...

Channels never touch the graph. A thread belongs to the user who started it, and to their
`team` when the channel names one (the web chat names the organisation, so colleagues continue
each other's listings); nobody else may use it. Messages to a thread paused at the approval
resume it (`approve` or any change), everything else starts a new turn. One message per thread
runs at a time; `cancel_render` stops the thread's render in progress from outside that turn.
"""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any, cast

from langchain_core.runnables import RunnableConfig
from langgraph.types import Command, StateSnapshot

from reelestate.agent.backends.base import (
    InProcessRenderBackend,
    RenderBackend,
    RunningRenders,
)
from reelestate.agent.brains.base import Brain
from reelestate.agent.brains.llm import LanguageModelBrain
from reelestate.agent.brains.rules import RuleBasedBrain
from reelestate.agent.checkpoint import open_app_database, open_checkpointer
from reelestate.agent.context import OWNER_KEY, AgentDeps, ChatLimits, check_thread_id
from reelestate.agent.conversation_board import ConversationBoard
from reelestate.agent.events import ApprovalRequest, ErrorEvent, RunnerEvent, parse_event
from reelestate.agent.graph import AgentGraph, build_graph
from reelestate.agent.owner import RenderOwner
from reelestate.agent.state import AgentState
from reelestate.core.errors import ConfigurationError, InvalidInputError, ReelEstateError
from reelestate.core.settings import Settings
from reelestate.providers.avatar import lip_sync_providers
from reelestate.providers.video_gen.registry import video_models
from reelestate.providers.vision.base import PhotoAnalyser
from reelestate.render.spec import Profile
from reelestate.services.publishing import PublishingService
from reelestate.services.storyboard_store import StoryboardStore
from reelestate.storage.blobs import open_blob_store
from reelestate.storage.db import Database
from reelestate.storage.repositories.organisations import ensure_local_organisation
from reelestate.tools.storyboard import StoryboardHistory

_log = logging.getLogger(__name__)
RECURSION_LIMIT = 100


def make_brain(settings: Settings, *, auto_preview: bool = True) -> Brain:
    """The language-model brain when one is configured, the rule-based brain otherwise."""
    if settings.openai_api_key is not None or settings.openai_base_url:
        return LanguageModelBrain.from_settings(settings)
    return RuleBasedBrain(
        auto_preview=auto_preview,
        ai_video_model=settings.ai_video_model,
        min_photos=settings.min_photos,
    )


def default_photo_analyser(settings: Settings) -> PhotoAnalyser:
    """The installed photo analyser (embedded, or the LLM vision provider when configured)."""
    try:
        factory = importlib.import_module("reelestate.providers.vision.factory")
        make = factory.get_photo_analyser
    except (ImportError, AttributeError) as exc:
        raise ConfigurationError(
            "Photo analysis is not installed in this build.",
            hint="Install the full package, or pass an analyser to Runner.open().",
        ) from exc
    return cast(PhotoAnalyser, make(settings))


def absolute_paths(photos: Sequence[Path | str]) -> list[str]:
    return [str(Path(p).expanduser().absolute()) for p in photos]


class Runner:
    def __init__(
        self,
        graph: AgentGraph,
        *,
        brain_name: str,
        store: StoryboardStore,
        renders: RunningRenders | None = None,
    ) -> None:
        self._graph = graph
        self._store = store
        self.brain_name = brain_name
        self._locks: dict[str, asyncio.Lock] = {}
        self._renders = renders or RunningRenders()
        self._speakers: dict[str, dict[str, Any]] = {}
        """Who may act on each thread with a turn in progress (its state may not be saved yet)."""

    @classmethod
    @asynccontextmanager
    async def open(
        cls,
        settings: Settings,
        *,
        brain: Brain | None = None,
        analyser: PhotoAnalyser | None = None,
        renderer: RenderBackend | None = None,
        final_profile: Profile = "final",
        auto_preview: bool = True,
        default_length: float = 30.0,
        db: Database | None = None,
    ) -> AsyncIterator[Runner]:
        """A runner with its checkpointer open; conversations survive closing and reopening.

        `settings` (read once by the channel) give the folders, the limits on photos and
        music, the video models and the default brain and analyser. `db` keeps the
        storyboards; without it the app's database is opened (and, when it is the embedded
        SQLite file, brought up to date).
        """
        store_db = db
        async with AsyncExitStack() as stack:
            if store_db is None:
                store_db = await asyncio.to_thread(open_app_database, settings)
                stack.callback(store_db.dispose)
            else:
                await asyncio.to_thread(ensure_local_organisation, store_db)
            store = StoryboardStore(store_db)
            blobs = open_blob_store(settings)
            deps = AgentDeps(
                analyser=analyser or default_photo_analyser(settings),
                renderer=renderer or InProcessRenderBackend(settings),
                storyboards=store,
                data_dir=settings.data_dir.resolve(),
                video_models=video_models(settings),
                limits=ChatLimits.model_validate(settings).model_copy(
                    update={"lip_sync_providers": lip_sync_providers(settings)}
                ),
                final_profile=final_profile,
                auto_preview=auto_preview,
                default_length=default_length,
                publishing=PublishingService(settings, store_db, blobs),
            )
            brain = brain or make_brain(settings, auto_preview=auto_preview)
            checkpointer = await stack.enter_async_context(open_checkpointer(settings))
            yield cls(
                build_graph(deps, brain, checkpointer),
                brain_name=brain.name,
                renders=deps.renders,
                store=store,
            )

    @staticmethod
    def _config(thread_id: str, owner: RenderOwner | None = None) -> RunnableConfig:
        configurable: dict[str, Any] = {"thread_id": thread_id}
        if owner is not None:
            configurable[OWNER_KEY] = owner
        return {"configurable": configurable, "recursion_limit": RECURSION_LIMIT}

    async def send(
        self,
        thread_id: str,
        user: str,
        text: str = "",
        photos: Sequence[Path | str] = (),
        *,
        approve: bool = False,
        music: Path | str | None = None,
        team: str | None = None,
        owner: RenderOwner | None = None,
    ) -> AsyncIterator[RunnerEvent]:
        """Handle one message; yields events as they happen, ending when the turn is over.

        `owner`: whose renders this turn starts (the organisation billed, the project filled);
        None leaves it to the render backend (the command line's fixed organisation).

        `team`: the group the sender speaks for (the web chat gives `org:<id>`). A new thread
        remembers its owner's team, and then everyone who gives the same team may continue it;
        a thread without one stays its owner's alone.

        `music` is an audio file to use as the music bed; it is checked and copied into the
        conversation, and a refusal comes back as an `ErrorEvent` with the reason.
        """
        try:
            check_thread_id(thread_id)
            lock = self._locks.setdefault(thread_id, asyncio.Lock())
            async with lock:
                async for event in self._turn(
                    thread_id,
                    user,
                    text,
                    photos,
                    approve=approve,
                    music=music,
                    team=team,
                    owner=owner,
                ):
                    yield event
        except ReelEstateError as exc:
            yield ErrorEvent.from_error(exc)
        except Exception:
            _log.exception("conversation %s failed", thread_id)
            yield ErrorEvent(
                code="internal_error",
                message="Something went wrong on our side. Your conversation is saved; "
                "send your message again.",
            )

    async def approve(
        self,
        thread_id: str,
        user: str,
        *,
        team: str | None = None,
        owner: RenderOwner | None = None,
    ) -> AsyncIterator[RunnerEvent]:
        """The user's yes to the pending approval (a button press)."""
        async for event in self.send(
            thread_id, user, "/approve", approve=True, team=team, owner=owner
        ):
            yield event

    async def cancel_render(self, thread_id: str, user: str, *, team: str | None = None) -> bool:
        """Stop the thread's render in progress; False when none is running.

        The running turn then ends with a "render cancelled" message and the storyboard waiting
        for approval again; a render job is cancelled and its credits released. Safe to call
        while that turn runs: it takes no lock.
        """
        saved = (await self._graph.aget_state(self._config(check_thread_id(thread_id)))).values
        self._check_access(self._speakers.get(thread_id) or saved, user, team)
        return self._renders.cancel(thread_id)

    def rendering(self, thread_id: str) -> bool:
        """Whether the thread has a render in progress now."""
        return self._renders.running(thread_id)

    @staticmethod
    def _check_access(values: dict[str, Any], user: str, team: str | None) -> None:
        owner = values.get("owner")
        if not owner or owner == user:
            return
        if team and values.get("team") == team:
            return
        raise InvalidInputError(
            "This conversation belongs to someone else.", hint="Start a new conversation."
        )

    async def _turn(
        self,
        thread_id: str,
        user: str,
        text: str,
        photos: Sequence[Path | str],
        *,
        approve: bool,
        music: Path | str | None,
        team: str | None,
        owner: RenderOwner | None,
    ) -> AsyncIterator[RunnerEvent]:
        snapshot = await self._graph.aget_state(self._config(thread_id))
        self._check_access(snapshot.values, user, team)
        speaker = snapshot.values.get("owner") or user
        shared = snapshot.values.get("team") or (team if speaker == user else None)
        self._speakers[thread_id] = {"owner": speaker, "team": shared}
        try:
            async for event in self._resume_and_run(
                self._config(thread_id, owner),
                user,
                text,
                photos,
                snapshot,
                approve=approve,
                music=music,
                team=team,
            ):
                yield event
        finally:
            self._speakers.pop(thread_id, None)

    async def _resume_and_run(
        self,
        config: RunnableConfig,
        user: str,
        text: str,
        photos: Sequence[Path | str],
        snapshot: StateSnapshot,
        *,
        approve: bool,
        music: Path | str | None,
        team: str | None,
    ) -> AsyncIterator[RunnerEvent]:
        if snapshot.next and not snapshot.interrupts:
            # The process stopped mid-turn: finish that work first.
            async for event in self._stream(None, config):
                yield event
            snapshot = await self._graph.aget_state(config)
        payload: dict[str, Any] = {
            "user": user,
            "text": text,
            "photos": absolute_paths(photos),
            "music": absolute_paths([music])[0] if music else None,
        }
        if team:
            payload["team"] = team
        if snapshot.interrupts:
            if approve:
                payload["approve"] = True
            graph_input: Any = Command(resume=payload)
        else:
            graph_input = {"inbox": payload}
        async for event in self._stream(graph_input, config):
            yield event

    async def _stream(self, graph_input: Any, config: RunnableConfig) -> AsyncIterator[RunnerEvent]:
        async for mode, chunk in self._graph.astream(
            graph_input, config, stream_mode=["custom", "updates"]
        ):
            if mode == "custom":
                yield parse_event(chunk)
            elif isinstance(chunk, dict) and "__interrupt__" in chunk:
                for pending in chunk["__interrupt__"]:
                    yield parse_event(pending.value)

    async def state(self, thread_id: str) -> AgentState:
        snapshot = await self._graph.aget_state(self._config(check_thread_id(thread_id)))
        return cast(AgentState, snapshot.values)

    async def storyboard(
        self, thread_id: str, *, owner: RenderOwner | None = None
    ) -> StoryboardHistory | None:
        """The thread's storyboard, read in `owner`'s organisation (None: the local one)."""
        state = await self.state(thread_id)
        return await ConversationBoard(self._store, owner).history(state)

    async def pending_approval(self, thread_id: str) -> ApprovalRequest | None:
        """The approval the thread waits for, if any (to redraw buttons after a restart)."""
        snapshot = await self._graph.aget_state(self._config(check_thread_id(thread_id)))
        for pending in snapshot.interrupts:
            event = parse_event(pending.value)
            if isinstance(event, ApprovalRequest):
                return event
        return None
