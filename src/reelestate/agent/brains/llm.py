"""The language-model brain: ChatOpenAI (any OpenAI-compatible endpoint) with the agent's tools.

The model sees the system prompt, the conversation's data as a JSON block and each user
message wrapped as data; it answers by streaming text and tool calls. Any failure to answer
(HTTP error, timeout, garbage) raises `ProviderError`, and the graph hands the turn to the
rule-based brain.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import (
    AIMessage,
    AIMessageChunk,
    AnyMessage,
    BaseMessage,
    HumanMessage,
    InvalidToolCall,
    SystemMessage,
    ToolCall,
)
from langchain_core.messages.tool import invalid_tool_call, tool_call
from langchain_core.runnables import Runnable
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from reelestate.agent.action_args import openai_tool_specs
from reelestate.agent.brains.base import turn_messages
from reelestate.agent.brains.facts_llm import LanguageModelFactsReader
from reelestate.agent.brains.rules import fact_calls
from reelestate.agent.events import AssistantText, Emit
from reelestate.agent.rules.requests import understand
from reelestate.agent.state import AgentState, analyses_of, listing_of
from reelestate.agent.summaries import RENTAL_ANSWER, missing_labels
from reelestate.core.errors import ProviderError
from reelestate.core.settings import MAX_PHOTOS, MIN_PHOTOS, Settings
from reelestate.prompts.agent import agent_system_prompt, as_user_data, context_block
from reelestate.tools.storyboard import StoryboardHistory

HISTORY_MESSAGES = 40


def conversation_data(state: AgentState, history: StoryboardHistory | None) -> dict[str, Any]:
    """What the model may know about the conversation; no file paths, no settings."""
    listing = listing_of(state)
    data: dict[str, Any] = {
        "listing": listing.model_dump(mode="json", exclude_none=True),
        "missing_facts": missing_labels(listing),
        "photos": [
            {
                "number": i + 1,
                "room": a.room,
                "usable": a.usable,
                "reject_reasons": a.reject_reasons,
            }
            for i, a in enumerate(analyses_of(state))
        ],
        "photos_not_analysed": len(state.get("photos") or []) - len(state.get("analyses") or []),
        "script_written": state.get("script") is not None,
        "music_on": state.get("music_on", True),
        "delivered_version": state.get("delivered_version"),
    }
    if history is not None:
        current = history.current
        data["storyboard"] = {
            "version": current.number,
            "versions": [v.number for v in history.versions],
            "settings": current.settings.model_dump(mode="json", exclude={"music_track"}),
            "own_music_track": current.settings.music_track is not None,
            "scenes": [
                {
                    "number": i,
                    "kind": s.kind,
                    "photo": s.photo_index + 1,
                    "room": s.room,
                    "seconds": s.duration,
                    "caption": s.caption,
                    "motion": s.motion.kind,
                }
                for i, s in enumerate(current.scenes, start=1)
            ],
        }
    return data


def _recent(messages: list[AnyMessage]) -> list[AnyMessage]:
    """The last messages, starting at a user message so no tool result loses its call."""
    start = max(0, len(messages) - HISTORY_MESSAGES)
    while start > 0 and not isinstance(messages[start], HumanMessage):
        start -= 1
    return messages[start:]


def model_messages(
    state: AgentState,
    history: StoryboardHistory | None,
    *,
    min_photos: int = MIN_PHOTOS,
    max_photos: int = MAX_PHOTOS,
) -> list[BaseMessage]:
    data = conversation_data(state, history)
    out: list[BaseMessage] = [
        SystemMessage(agent_system_prompt(min_photos, max_photos)),
        SystemMessage(context_block(json.dumps(data, indent=1))),
    ]
    for message in _recent(list(state.get("messages") or [])):
        if isinstance(message, HumanMessage):
            text = message.content if isinstance(message.content, str) else ""
            photos = message.additional_kwargs.get("photos", 0)
            note = f"\n(The user sent {photos} photos.)" if photos else ""
            if message.additional_kwargs.get("music"):
                note += "\n(The user sent a music track; it is now the music bed.)"
            out.append(HumanMessage(as_user_data(text) + note))
        else:
            out.append(message)
    return out


def _chat_model(settings: Settings, *, streaming: bool) -> ChatOpenAI:
    return ChatOpenAI(
        model=settings.llm_model,
        api_key=settings.openai_api_key or SecretStr("not-needed"),
        base_url=settings.openai_base_url,
        timeout=settings.llm_timeout_s,
        max_retries=0,
        streaming=streaming,
        temperature=0.2 if streaming else 0.0,
        use_responses_api=False,
    )


class LanguageModelBrain:
    """Tool calls from the model; a new message's listing facts are read first, by the model's
    structured output checked by the rules (`LanguageModelFactsReader`), and recorded before
    the model plans the rest of the turn."""

    name = "language-model"

    def __init__(
        self,
        model: BaseChatModel,
        *,
        facts_reader: LanguageModelFactsReader | None = None,
        min_photos: int = MIN_PHOTOS,
        max_photos: int = MAX_PHOTOS,
    ) -> None:
        self._model: Runnable[Any, BaseMessage] = model.bind_tools(openai_tool_specs())
        self._facts = facts_reader or LanguageModelFactsReader(model)
        self._limits = {"min_photos": min_photos, "max_photos": max_photos}

    @classmethod
    def from_settings(cls, settings: Settings) -> LanguageModelBrain:
        return cls(
            _chat_model(settings, streaming=True),
            facts_reader=LanguageModelFactsReader(_chat_model(settings, streaming=False)),
            min_photos=settings.min_photos,
            max_photos=settings.max_photos,
        )

    async def _facts_step(
        self, state: AgentState, history: StoryboardHistory | None
    ) -> AIMessage | None:
        """The facts of a new message recorded (and one question asked) before the model plans;
        None when the message states none, or they were recorded already this turn."""
        text, results = turn_messages(list(state.get("messages") or []))
        done = {r.name for r in results if r.name}
        if "ask_user" in done:
            return AIMessage(content="")
        if results or not text.strip():
            return None
        understood = understand(text, history.current if history else None)
        if [op for op in understood.ops if op.op not in {"set_style", "set_length"}]:
            return None
        reading = await self._facts.read(text)
        if reading.facts.rental:
            return AIMessage(content=RENTAL_ANSWER)
        calls = fact_calls(reading, done, listing_of(state))
        if not calls:
            return None
        return AIMessage(
            content="",
            tool_calls=[
                tool_call(name=name, args=args, id=f"call_{uuid.uuid4().hex[:12]}")
                for name, args in calls
            ],
        )

    async def step(
        self, state: AgentState, emit: Emit, history: StoryboardHistory | None
    ) -> AIMessage:
        recorded = await self._facts_step(state, history)
        if recorded is not None:
            return recorded
        message_id = f"msg_{uuid.uuid4().hex[:12]}"
        full: AIMessageChunk | None = None
        try:
            async for chunk in self._model.astream(model_messages(state, history, **self._limits)):
                if not isinstance(chunk, AIMessageChunk):
                    continue
                full = chunk if full is None else full + chunk
                if isinstance(chunk.content, str) and chunk.content:
                    emit(AssistantText(text=chunk.content, partial=True, message_id=message_id))
        except Exception as exc:  # any client failure; the message never includes the key
            raise ProviderError(
                f"The language model did not answer ({type(exc).__name__})."
            ) from exc
        if full is None:
            raise ProviderError("The language model sent an empty reply.")
        content = full.content if isinstance(full.content, str) else ""
        calls, invalid = strict_tool_calls(full)
        return AIMessage(
            content=content, tool_calls=calls, invalid_tool_calls=invalid, id=message_id
        )


def strict_tool_calls(message: AIMessageChunk) -> tuple[list[ToolCall], list[InvalidToolCall]]:
    """Tool calls whose streamed arguments are complete JSON objects; the rest are invalid.

    LangChain reads streamed arguments leniently (a truncated `{"beds": 3, "baths": ` becomes
    `{"beds": 3}`); a call cut short must go back to the model instead.
    """
    calls: list[ToolCall] = []
    invalid: list[InvalidToolCall] = []
    for chunk in message.tool_call_chunks:
        name, raw, call_id = chunk.get("name") or "", chunk.get("args") or "{}", chunk.get("id")
        try:
            args = json.loads(raw)
        except json.JSONDecodeError as exc:
            invalid.append(invalid_tool_call(name=name, args=raw, id=call_id, error=str(exc)))
            continue
        if not isinstance(args, dict):
            invalid.append(
                invalid_tool_call(name=name, args=raw, id=call_id, error="not a JSON object")
            )
            continue
        calls.append(tool_call(name=name, args=args, id=call_id))
    return calls, invalid
