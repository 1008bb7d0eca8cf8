"""A chat model behind an OpenAI-compatible `/v1/chat/completions` endpoint."""

from __future__ import annotations

from langchain_core.messages import HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from reelestate.core.errors import ConfigurationError, ProviderError
from reelestate.core.metrics import provider_call
from reelestate.core.settings import Settings, get_settings


class OpenAIChatModel:
    """Sends one system and one user message and returns the reply's text."""

    def __init__(
        self,
        *,
        model: str,
        api_key: SecretStr,
        base_url: str | None = None,
        timeout_s: float = 30.0,
        temperature: float = 0.7,
    ) -> None:
        self.name = f"openai:{model}"
        self._client = ChatOpenAI(
            model=model,
            api_key=api_key,
            base_url=base_url,
            timeout=timeout_s,
            max_retries=0,
            temperature=temperature,
            use_responses_api=False,
        )

    @classmethod
    def from_settings(cls, settings: Settings | None = None) -> OpenAIChatModel:
        settings = settings or get_settings()
        if settings.openai_api_key is None:
            raise ConfigurationError(
                "No language model is configured.", hint="Set OPENAI_API_KEY to use one."
            )
        return cls(
            model=settings.llm_model,
            api_key=settings.openai_api_key,
            base_url=settings.openai_base_url,
            timeout_s=settings.llm_timeout_s,
        )

    def complete(self, system: str, user: str) -> str:
        try:
            with provider_call("openai-llm", "complete"):
                reply = self._client.invoke([SystemMessage(system), HumanMessage(user)])
        except Exception as exc:  # the client raises many types; none may leak the key
            raise ProviderError(
                f"The language model did not answer ({type(exc).__name__}).",
                hint="Try again later; the built-in writer is used meanwhile.",
            ) from exc
        content = reply.content
        if isinstance(content, str):
            return content
        return "".join(
            part if isinstance(part, str) else str(part.get("text", "")) for part in content
        )
