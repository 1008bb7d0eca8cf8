"""A script writer backed by a chat language model.

The model gets the fact sheet and shot list as JSON data and answers JSON lines; the facts
each line states are found from its words, so the usual validation decides whether the
script may be used (`write_script` retries once, then falls back to the rule-based writer).
"""

from __future__ import annotations

import json
import re

from pydantic import BaseModel, ValidationError

from reelestate.core.errors import ProviderError
from reelestate.core.settings import Settings
from reelestate.core.styles import STYLES
from reelestate.prompts.script_llm import FEEDBACK_NOTE, SCRIPT_SYSTEM_PROMPT
from reelestate.providers.llm.base import ChatModel
from reelestate.providers.llm.openai_chat import OpenAIChatModel
from reelestate.tools.script_facts import detect_facts
from reelestate.tools.script_model import (
    Script,
    ScriptBrief,
    ScriptLine,
    ScriptWriter,
    estimate_seconds,
)
from reelestate.tools.script_rules import RuleBasedScriptWriter

_FENCE = re.compile(r"^```(?:json)?\s*|\s*```$", re.MULTILINE)


class _ReplyLine(BaseModel):
    photo_index: int | None = None
    text: str


class _Reply(BaseModel):
    lines: list[_ReplyLine]


def brief_message(brief: ScriptBrief) -> str:
    """The user message: the brief as JSON data."""
    sheet = brief.sheet
    labels = set(sheet.rooms.values())
    payload: dict[str, object] = {
        "style": brief.style,
        "length_seconds": brief.length_seconds,
        "word_budget": brief.word_budget,
        "facts": {
            key: value
            for key, value in {
                "address": sheet.address,
                "city": sheet.city,
                "price_usd": sheet.price,
                "bedrooms": sheet.beds,
                "bathrooms": sheet.baths,
                "area_sqft": sheet.area_sqft,
            }.items()
            if value is not None
        },
        "highlights": list(sheet.highlights.values()),
        "shots": [
            {
                "photo_index": shot.photo_index,
                "room": shot.room if shot.room in labels else "unlabelled",
            }
            for shot in brief.shots
        ],
    }
    message = json.dumps(payload, indent=1)
    if brief.feedback:
        message += "\n\n" + FEEDBACK_NOTE + "\n" + "\n".join(f"- {p}" for p in brief.feedback)
    return message


def parse_reply(text: str, brief: ScriptBrief, writer: str) -> Script:
    """The model's JSON reply as a `Script`; `ProviderError` when it is not the agreed shape."""
    try:
        reply = _Reply.model_validate_json(_FENCE.sub("", text.strip()))
    except ValidationError as exc:
        raise ProviderError(
            "The language model's script was not in the agreed JSON shape."
        ) from exc
    shown = {shot.photo_index for shot in brief.shots}
    lines = []
    for item in reply.lines:
        line_text = " ".join(item.text.split())
        if not line_text:
            continue
        photo = item.photo_index if item.photo_index in shown else None
        lines.append(
            ScriptLine(
                text=line_text,
                facts=detect_facts(line_text, brief.sheet),
                photo_index=photo,
                duration=estimate_seconds(line_text, brief.words_per_minute),
            )
        )
    return Script(
        lines=tuple(lines),
        style=brief.style,
        seed=brief.seed,
        length_seconds=brief.length_seconds,
        words_per_minute=brief.words_per_minute,
        writer=writer,
    )


class LLMScriptWriter:
    """Asks a chat model for the script; validation and fallback happen in `write_script`."""

    def __init__(self, model: ChatModel) -> None:
        self.model = model
        self.name = model.name

    def write(self, brief: ScriptBrief) -> Script:
        system = SCRIPT_SYSTEM_PROMPT.format(styles=", ".join(STYLES))
        return parse_reply(self.model.complete(system, brief_message(brief)), brief, self.name)


def default_script_writer(settings: Settings) -> ScriptWriter:
    """The language-model writer when a key is configured, else the rule-based one."""
    if settings.openai_api_key is None:
        return RuleBasedScriptWriter()
    return LLMScriptWriter(OpenAIChatModel.from_settings(settings))
