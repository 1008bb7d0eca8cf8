"""The language-model writer against a local server speaking /v1/chat/completions."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from pydantic import SecretStr

from reelestate.core.errors import ConfigurationError, ProviderError
from reelestate.core.settings import Settings
from reelestate.providers.llm.openai_chat import OpenAIChatModel
from reelestate.tools.listing import Listing
from reelestate.tools.script import write_script
from reelestate.tools.script_llm import LLMScriptWriter, default_script_writer
from reelestate.tools.script_rules import RuleBasedScriptWriter
from tests.support.fake_openai import FakeOpenAI, failure, say
from tests.tools.story_factories import house

LISTING = Listing(
    address="12 Oak Street", price=585_000, beds=3, baths=2, area_sqft=1850,
    highlights=("heated pool",),
)  # fmt: skip
PHOTOS = house(["exterior", "kitchen", "bedroom", "bathroom", "living_room"])


def lines(*lines: tuple[int | None, str]) -> str:
    return json.dumps({"lines": [{"photo_index": p, "text": t} for p, t in lines]})


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    with FakeOpenAI().running() as server:
        yield server


def _writer(fake: FakeOpenAI) -> LLMScriptWriter:
    model = OpenAIChatModel(
        model="test-model", api_key=SecretStr("sk-local"), base_url=fake.base_url, timeout_s=5
    )
    return LLMScriptWriter(model)


def test_a_valid_model_script_is_used_with_facts_found_from_its_words(fake: FakeOpenAI) -> None:
    reply = lines(
        (0, "Welcome to 12 Oak Street, offered at $585,000."),
        (1, "The kitchen is ready."),
        (None, "Book a tour and see the heated pool."),
    )
    fake.replies.append(say(reply))
    script = write_script(LISTING, PHOTOS, writer=_writer(fake), style="luxury")
    assert script.writer == "openai:test-model"
    assert [line.photo_index for line in script.lines] == [0, 1, None]
    assert script.lines[0].facts == {"address", "price"}
    assert script.lines[1].facts == {"room:kitchen"}
    assert script.lines[2].facts == {"highlight:0"}
    request = fake.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["model"] == "test-model"
    assert fake.headers[0]["authorization"] == "Bearer sk-local"
    user = json.loads(request["messages"][1]["content"])
    assert user["facts"]["price_usd"] == 585_000 and user["highlights"] == ["heated pool"]
    assert user["style"] == "luxury"


def test_an_invented_feature_is_retried_then_replaced(fake: FakeOpenAI) -> None:
    bad = lines((0, "Welcome to 12 Oak Street with stunning ocean views."))
    fake.replies += [say(bad), say("```json\n" + bad + "\n```")]
    script = write_script(LISTING, PHOTOS, writer=_writer(fake), seed=5)
    assert script.writer == "rule-based"
    assert script.lines == write_script(LISTING, PHOTOS, seed=5).lines
    assert "ocean view" in script.notes[0]
    assert len(fake.requests) == 2
    assert "ocean view" in fake.requests[1]["messages"][1]["content"]


def test_a_fixed_second_try_is_accepted(fake: FakeOpenAI) -> None:
    fake.replies += [
        say("not json at all"),
        say(lines((0, "Meet 12 Oak Street: 3 bedrooms, 2 baths."))),
    ]
    script = write_script(LISTING, PHOTOS, writer=_writer(fake))
    assert script.writer == "openai:test-model"
    assert script.lines[0].facts == {"address", "beds", "baths"}


def test_server_errors_fall_back_without_leaking_the_key(fake: FakeOpenAI) -> None:
    fake.replies += [failure(500, "boom"), failure(500, "boom")]
    script = write_script(LISTING, PHOTOS, writer=_writer(fake))
    assert script.writer == "rule-based"
    assert "did not answer" in script.notes[0]
    assert "sk-local" not in script.notes[0]
    model = OpenAIChatModel(model="m", api_key=SecretStr("sk-local"), base_url=fake.base_url)
    fake.replies.append(failure(500, "boom"))
    with pytest.raises(ProviderError) as info:
        model.complete("system", "user")
    assert "sk-local" not in str(info.value)


def test_the_default_writer_follows_the_settings() -> None:
    assert isinstance(default_script_writer(Settings(OPENAI_API_KEY=None)), RuleBasedScriptWriter)  # type: ignore[call-arg]
    configured = Settings(OPENAI_API_KEY="sk-x", REELESTATE_LLM_MODEL="small")  # type: ignore[call-arg]
    writer = default_script_writer(configured)
    assert isinstance(writer, LLMScriptWriter) and writer.name == "openai:small"
    with pytest.raises(ConfigurationError):
        OpenAIChatModel.from_settings(Settings(OPENAI_API_KEY=None))  # type: ignore[call-arg]
