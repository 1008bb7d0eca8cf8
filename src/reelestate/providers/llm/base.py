"""What a chat language model does for us: a system and a user message in, text out."""

from __future__ import annotations

from typing import Protocol


class ChatModel(Protocol):
    """One request, one reply; failures raise `ProviderError` with a message safe to show."""

    name: str

    def complete(self, system: str, user: str) -> str: ...
