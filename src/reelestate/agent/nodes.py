"""The graph's nodes: take a message in, think, run tools, ask for approval, render, wrap up.

Nodes talk to the person only through events written to the stream (`emit`); the runner
turns them into `RunnerEvent`s. The approval node writes nothing before its `interrupt()`,
because a resumed node runs again from its first line.
"""

from __future__ import annotations

from typing import Any

from langchain_core.messages import AIMessage, HumanMessage, ToolMessage
from langchain_core.runnables import RunnableConfig
from langgraph.config import get_stream_writer
from langgraph.types import interrupt

from reelestate.agent.action_args import ToolArgsError, parse_args
from reelestate.agent.actions import HANDLERS as STORYBOARD_HANDLERS
from reelestate.agent.actions import ToolOutcome, announce_storyboard
from reelestate.agent.brains.base import Brain
from reelestate.agent.brains.rules import RuleBasedBrain
from reelestate.agent.context import MAX_TOOL_ROUNDS, OWNER_KEY, AgentDeps, ToolContext
from reelestate.agent.conversation_board import ConversationBoard
from reelestate.agent.credits import final_render_quote, short_words
from reelestate.agent.events import (
    AssistantText,
    ErrorEvent,
    Question,
    RunnerEvent,
    VideoReady,
    event_data,
)
from reelestate.agent.intake import receive_message, receive_music
from reelestate.agent.library_actions import LIBRARY_HANDLERS
from reelestate.agent.owner import RenderOwner
from reelestate.agent.presenter_actions import PRESENTER_HANDLERS
from reelestate.agent.publishing_actions import PUBLISHING_HANDLERS
from reelestate.agent.renders import run_render
from reelestate.agent.rules.requests import understand
from reelestate.agent.state import (
    AgentState,
    Inbox,
    JobRecord,
    TurnState,
    current_version,
    listing_of,
    presenter_of,
    with_job,
)
from reelestate.agent.summaries import (
    RENDER_CANCELLED,
    SKIPPED_AFTER_CANCEL,
    SUGGESTED_FACTS,
    approval_request,
)
from reelestate.core.errors import ProviderError, ReelEstateError, RenderCancelledError
from reelestate.core.jobs import JobStatus
from reelestate.tools.listing import missing_facts

HANDLERS = {**STORYBOARD_HANDLERS, **PUBLISHING_HANDLERS, **LIBRARY_HANDLERS}
_STATE_KEYS = (
    "presenter",
    "listing",
    "photos",
    "analyses",
    "style",
    "length_seconds",
    "script",
    "script_stale",
    "storyboard",
    "music_on",
    "previews",
    "jobs",
    "turn",
)
TOOL_HANDLERS = {**HANDLERS, **PRESENTER_HANDLERS}


def emit(event: RunnerEvent) -> None:
    get_stream_writer()(event_data(event))


def thread_of(config: RunnableConfig) -> str:
    return str(config.get("configurable", {})["thread_id"])


def owner_of(config: RunnableConfig) -> RenderOwner | None:
    """Whose renders the turn starts, as `Runner.send` was told."""
    owner = config.get("configurable", {}).get(OWNER_KEY)
    return owner if isinstance(owner, RenderOwner) else None


def tool_context(state: AgentState, deps: AgentDeps, config: RunnableConfig) -> ToolContext:
    return ToolContext(
        state=state, deps=deps, thread_id=thread_of(config), emit=emit, owner=owner_of(config)
    )


def needs_approval(state: AgentState) -> bool:
    number = current_version(state)
    return (
        number is not None
        and state.get("script") is not None
        and state.get("delivered_version") != number
    )


class AgentNodes:
    def __init__(self, deps: AgentDeps, brain: Brain) -> None:
        self.deps = deps
        self.brain = brain
        self.rules = RuleBasedBrain(
            auto_preview=deps.auto_preview,
            ai_video_model=deps.limits.ai_video_model,
            min_photos=deps.limits.min_photos,
        )

    async def intake(self, state: AgentState, config: RunnableConfig) -> dict[str, Any]:
        inbox = state.get("inbox")
        if inbox is None:
            return {"turn": {"steps": 0}}
        board = self.deps.board(owner_of(config))
        carried = await board.carried_over(state)
        return await self._take_in(state, inbox, config, board, carried)

    async def _take_in(
        self,
        state: AgentState,
        inbox: Inbox,
        config: RunnableConfig,
        board: ConversationBoard,
        carried: dict[str, Any],
    ) -> dict[str, Any]:
        """The message's music and photos added to the conversation (after `carried`)."""
        state = {**state, **carried}  # type: ignore[typeddict-item]
        folder = self.deps.thread_dir(thread_of(config))
        music = await receive_music(
            state, inbox.get("music"), folder, board, self.deps.limits.max_music_mb, emit
        )
        received = receive_message(
            state, inbox, folder, music, max_photos=self.deps.limits.max_photos, emit=emit
        )
        return {**carried, **received}

    async def think(self, state: AgentState, config: RunnableConfig) -> dict[str, Any]:
        turn: TurnState = {**(state.get("turn") or {})}
        turn["steps"] = turn.get("steps", 0) + 1
        history = await self.deps.board(owner_of(config)).history(state)
        if turn["steps"] > MAX_TOOL_ROUNDS:
            message = AIMessage(content="I stopped there. Tell me what to do next.")
        elif turn.get("fallback"):
            message = await self.rules.step(state, emit, history)
        else:
            try:
                message = await self.brain.step(state, emit, history)
            except ProviderError as exc:
                turn["fallback"] = True
                emit(
                    AssistantText(
                        text=f"{exc.message} I am answering this message with the "
                        "built-in assistant instead, so I understand fewer phrasings."
                    )
                )
                message = await self.rules.step(state, emit, history)
        if isinstance(message.content, str) and message.content.strip():
            emit(AssistantText(text=message.content, message_id=message.id or ""))
        return {"messages": [message], "turn": turn}

    async def run_tools(self, state: AgentState, config: RunnableConfig) -> dict[str, Any]:
        last = state["messages"][-1]
        assert isinstance(last, AIMessage)
        work: AgentState = {**state, "turn": dict(state.get("turn") or {})}  # type: ignore[typeddict-item]
        ctx = tool_context(work, self.deps, config)
        replies: list[ToolMessage] = []
        for call in last.tool_calls:
            name = call["name"]
            try:
                if work["turn"].get("render_cancelled"):
                    outcome = ToolOutcome(SKIPPED_AFTER_CANCEL, ok=False)
                elif name in TOOL_HANDLERS:
                    outcome = await TOOL_HANDLERS[name](ctx, parse_args(name, call["args"]))
                else:
                    outcome = ToolOutcome(
                        str(ToolArgsError(f"There is no tool named {name!r}.")), ok=False
                    )
            except ToolArgsError as exc:
                outcome = ToolOutcome(text=str(exc), ok=False)
            except RenderCancelledError:
                work["turn"]["render_cancelled"] = True
                emit(AssistantText(text=RENDER_CANCELLED))
                outcome = ToolOutcome(text=RENDER_CANCELLED, ok=False)
            except ReelEstateError as exc:
                outcome = ToolOutcome(text=str(exc), ok=False)
            work.update(outcome.update)  # type: ignore[typeddict-item]
            if outcome.ok and name in {"request_approval", "render_final"}:
                work["turn"]["approval_asked"] = True
            replies.append(
                ToolMessage(
                    content=outcome.text,
                    tool_call_id=call["id"] or name,
                    name=name,
                    status="success" if outcome.ok else "error",
                )
            )
        for bad in last.invalid_tool_calls:
            replies.append(
                ToolMessage(
                    content=f"The arguments of {bad.get('name')} are not valid JSON "
                    f"({bad.get('error')}); send them again as a JSON object.",
                    tool_call_id=bad.get("id") or "invalid",
                    name=bad.get("name") or "unknown",
                    status="error",
                )
            )
        update: dict[str, Any] = {key: work[key] for key in _STATE_KEYS if key in work}  # type: ignore[literal-required]
        update["messages"] = replies
        return update

    async def present(self, state: AgentState, config: RunnableConfig) -> dict[str, Any]:
        work: AgentState = {**state, "turn": dict(state.get("turn") or {})}  # type: ignore[typeddict-item]
        await announce_storyboard(tool_context(work, self.deps, config))
        return {"turn": work["turn"]}

    async def approval(self, state: AgentState, config: RunnableConfig) -> dict[str, Any]:
        board = self.deps.board(owner_of(config))
        history = await board.history(state)
        assert history is not None
        # A read (and, when short, an idempotent Checkout link): safe to repeat on resume.
        quote = await final_render_quote(self.deps, owner_of(config), history.current)
        question = approval_request(
            history.current, self.deps.video_models, quote, presenter=presenter_of(state)
        )
        answer = interrupt(event_data(question))
        inbox: Inbox = {"user": "", "text": "", "photos": []}
        if isinstance(answer, dict):
            inbox = {
                "user": str(answer.get("user", "")),
                "text": str(answer.get("text", "")),
                "photos": [str(p) for p in answer.get("photos") or []],
                "music": str(answer["music"]) if answer.get("music") else None,
            }
            if answer.get("team"):
                inbox["team"] = str(answer["team"])
        approved = (isinstance(answer, dict) and answer.get("approve") is True) or (
            not inbox["photos"]
            and not inbox.get("music")
            and understand(inbox["text"], None).approve
        )
        carried = await board.carried_over(state)
        if approved:
            return {
                **carried,
                "approved_version": history.current.number,
                "messages": [HumanMessage(content=inbox["text"] or "/approve")],
            }
        return await self._take_in(state, inbox, config, board, carried)

    async def render(self, state: AgentState, config: RunnableConfig) -> dict[str, Any]:
        work: AgentState = {**state}
        ctx = tool_context(work, self.deps, config)
        number = current_version(state)
        assert number is not None
        history = await ctx.board.history(state)
        quote = await final_render_quote(self.deps, ctx.owner, history.current) if history else None
        if quote is not None and quote.short:
            # Back to waiting for approval, with the "Buy credits" link; nothing is stored,
            # queued or reserved.
            said = short_words(quote)
            emit(AssistantText(text=said))
            return {"approved_version": None, "messages": [AIMessage(content=said)]}
        try:
            job, result = await run_render(ctx, "final", self.deps.final_profile)
        except ReelEstateError as exc:
            # The storyboard goes back to waiting for approval, so a press of Approve (or
            # "render") starts the final render again.
            cancelled = isinstance(exc, RenderCancelledError)
            failed = JobRecord(
                id=f"final-v{number}",
                kind="final",
                version=number,
                status=JobStatus.CANCELLED if cancelled else JobStatus.FAILED,
                error=exc.message,
            )
            if cancelled:
                emit(AssistantText(text=RENDER_CANCELLED))
            else:
                emit(ErrorEvent.from_error(exc))
            said = RENDER_CANCELLED if cancelled else f"The final render failed: {exc.message}"
            return {
                "jobs": with_job(state, failed),
                "approved_version": None,
                "messages": [AIMessage(content=said)],
            }
        emit(VideoReady(job_id=job.id, version=job.version, result=result.resolved()))
        # Named, never by its path on this server: the channels deliver the file itself.
        text = (
            f"Your video is ready: {result.video.name}, {result.duration:.1f} s, "
            f"{result.width}×{result.height}."
        )
        emit(AssistantText(text=text))
        if result.notes:
            emit(AssistantText(text="Good to know:\n" + "\n".join(result.notes)))
        return {
            "jobs": with_job(state, job),
            "delivered_version": job.version,
            "messages": [AIMessage(content=text)],
        }

    async def wrap_up(self, state: AgentState) -> dict[str, Any]:
        turn = state.get("turn") or {}
        asked = turn.get("asked", False) or turn.get("answered", False)
        if current_version(state) is None and not asked:
            question = self._question(state)
            if question is not None:
                emit(question)
        return {"turn": {}}

    def _question(self, state: AgentState) -> Question | None:
        listing = listing_of(state)
        missing = missing_facts(listing)
        usable = sum(1 for a in state.get("analyses") or [] if not a.get("reject_reasons"))
        least, most = self.deps.limits.min_photos, self.deps.limits.max_photos
        need_photos = usable < least
        if not missing and not need_photos:
            return None
        asks = []
        if need_photos:
            asks.append(f"{least} to {most} photos of the property (you have {usable} usable)")
        if missing:
            from reelestate.tools.listing import FACT_LABELS  # noqa: PLC0415

            asks.append("the " + ", ".join(FACT_LABELS[m] for m in missing))
        return Question(
            text="To make the video I still need " + " and ".join(asks) + ".",
            missing=[*(["photos"] if need_photos else []), *missing],
            suggested_replies=[SUGGESTED_FACTS[m] for m in missing],
        )
