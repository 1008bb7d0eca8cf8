"""The part of the agent that decides: read the conversation, answer with text and tool calls.

Two brains share this interface and the same tools: the rule-based one (no key needed) and a
language model. A brain never changes state itself; it only asks for tools, which check their
arguments and do the work.
"""

from __future__ import annotations

from typing import Protocol

from langchain_core.messages import AIMessage, AnyMessage, HumanMessage, ToolMessage

from reelestate.agent.events import Emit
from reelestate.agent.state import AgentState
from reelestate.tools.storyboard import StoryboardHistory


class Brain(Protocol):
    name: str

    async def step(
        self, state: AgentState, emit: Emit, history: StoryboardHistory | None
    ) -> AIMessage:
        """The next message: tool calls to run, or the reply that ends the turn.

        `history` is the conversation's storyboard (None: none yet), read once for the turn.
        """
        ...


def turn_messages(messages: list[AnyMessage]) -> tuple[str, list[ToolMessage]]:
    """The latest user text and the tool results since it."""
    for index in range(len(messages) - 1, -1, -1):
        message = messages[index]
        if isinstance(message, HumanMessage):
            text = message.content if isinstance(message.content, str) else ""
            results = [m for m in messages[index + 1 :] if isinstance(m, ToolMessage)]
            return text, results
    return "", []
