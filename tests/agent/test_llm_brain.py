"""The language-model brain against a local OpenAI-compatible server (real ChatOpenAI client)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager

import pytest
from pydantic import SecretStr

from reelestate.agent.brains.llm import LanguageModelBrain
from reelestate.agent.events import ApprovalRequest
from reelestate.agent.runner import Runner, make_brain
from reelestate.agent.state import listing_of
from reelestate.core.settings import Settings, get_settings
from tests.agent.helpers import (
    FACTS,
    FileNameAnalyser,
    RecordingRenderer,
    listing_photos,
    of_type,
    texts,
)
from tests.agent.helpers import say as send
from tests.support.fake_openai import FakeOpenAI, Reply, say, tool

LISTING_ARGS = {
    "address": "12 Oak St",
    "city": "Paso Robles, CA",
    "price": 529000,
    "beds": 3,
    "baths": 2,
    "area_sqft": 1826,
    "add_highlights": ["new roof"],
}


@pytest.fixture
def fake() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    yield server
    server.stop()


def llm_settings(fake: FakeOpenAI, timeout: float = 5.0) -> Settings:
    return get_settings().model_copy(
        update={
            "openai_api_key": SecretStr("sk-local-test"),
            "openai_base_url": fake.base_url,
            "llm_model": "fake-model",
            "llm_timeout_s": timeout,
        }
    )


@asynccontextmanager
async def llm_runner(
    fake: FakeOpenAI, renderer: RecordingRenderer, llm_timeout: float = 5.0
) -> AsyncIterator[Runner]:
    settings = llm_settings(fake, llm_timeout)
    async with Runner.open(
        settings,
        brain=make_brain(settings),
        analyser=FileNameAnalyser(),
        renderer=renderer,
        final_profile="preview",
    ) as runner:
        yield runner


def test_the_brain_is_chosen_by_settings(fake: FakeOpenAI) -> None:
    assert isinstance(make_brain(llm_settings(fake)), LanguageModelBrain)
    assert make_brain(get_settings()).name == "rule-based"


async def test_streamed_tool_calls_build_the_storyboard(fake: FakeOpenAI) -> None:
    renderer = RecordingRenderer()
    fake.replies = [
        tool("analyse_photos", {}),
        tool("update_listing", LISTING_ARGS),
        tool("write_script", {"style": "cozy", "length_seconds": 20}),
        tool("plan_storyboard", {}),
        tool("render_preview", {}),
        Reply(text="Here is your storyboard.", tool_calls=[("request_approval", "{}")]),
    ]
    async with llm_runner(fake, renderer) as runner:
        events = await send(runner, FACTS, listing_photos())
        assert isinstance(events[-1], ApprovalRequest)
        partials = [e for e in events if e.type == "assistant_text" and e.partial]
        assert "".join(e.text for e in partials) == "Here is your storyboard."  # type: ignore[union-attr]
        state = await runner.state("t1")
        assert listing_of(state).price == 529_000
        assert state.get("style") == "cozy"

        first = fake.requests[0]
        assert first["stream"] is True
        assert {t["function"]["name"] for t in first["tools"]} >= {
            "update_listing",
            "revise_storyboard",
            "request_approval",
            "render_final",
        }
        user_turns = [m for m in first["messages"] if m["role"] == "user"]
        assert user_turns[-1]["content"].startswith("<user_message>\n3 bed 2 bath")
        second = fake.requests[1]["messages"]
        assert second[-2]["tool_calls"][0]["function"]["name"] == "analyse_photos"
        assert second[-1]["role"] == "tool" and "Analysed 6 photos" in second[-1]["content"]

        fake.replies = [
            tool(
                "revise_storyboard", {"operations": [{"op": "swap", "scene": 2, "with_scene": 3}]}
            ),
            say("Swapped."),
        ]
        events = await send(runner, "swap 2 and 3")
        assert isinstance(events[-1], ApprovalRequest) and events[-1].version == 2
        events = await send(runner, "/approve")
        assert of_type(events, "video_ready")
        assert len(renderer.finals) == 1


async def test_malformed_arguments_are_sent_back_and_fixed(fake: FakeOpenAI) -> None:
    fake.replies = [
        tool("update_listing", '{"beds": 3, "baths": '),
        tool("update_listing", {"beds": "three", "colour": "red"}),
        tool("update_listing", {"beds": 3}),
        say("Noted 3 bedrooms."),
    ]
    async with llm_runner(fake, RecordingRenderer()) as runner:
        events = await send(runner, "3 bedrooms")
        assert listing_of(await runner.state("t1")).beds == 3
        assert "Noted 3 bedrooms." in texts(events)
    broken = fake.requests[1]["messages"][-1]
    assert broken["role"] == "tool" and "not valid JSON" in broken["content"]
    invalid = fake.requests[2]["messages"][-1]
    assert "Invalid arguments for update_listing" in invalid["content"]
    assert "beds" in invalid["content"] and "colour" in invalid["content"]


@pytest.mark.parametrize("failure", [Reply(status=500), Reply(stall_s=3.0, text="late")])
async def test_provider_error_or_timeout_falls_back_to_rules(
    fake: FakeOpenAI, failure: Reply
) -> None:
    fake.replies = [failure]
    async with llm_runner(fake, RecordingRenderer(), llm_timeout=1.0) as runner:
        events = await send(runner, FACTS, listing_photos())
        said = texts(events)
        assert "did not answer" in said and "built-in assistant" in said
        assert "sk-local-test" not in json.dumps([e.model_dump(mode="json") for e in events])
        assert isinstance(events[-1], ApprovalRequest)
        assert listing_of(await runner.state("t1")).area_sqft == 1826
    assert len(fake.requests) == 1, "the rest of the turn stays with the rule-based brain"


async def test_unknown_tool_and_runaway_loops_are_stopped(fake: FakeOpenAI) -> None:
    fake.replies = [tool("delete_everything", {})] + [tool("job_status", {}) for _ in range(12)]
    async with llm_runner(fake, RecordingRenderer()) as runner:
        events = await send(runner, "hello")
        assert "I stopped there" in texts(events)
    assert "no tool named 'delete_everything'" in fake.requests[1]["messages"][-1]["content"]


async def test_facts_are_read_by_structured_output_and_read_back(fake: FakeOpenAI) -> None:
    fake.facts = lambda text: {
        "address": {"street": "12 Oak St", "city": "Paso Robles", "state": "CA"},
        "price": 529000,
        "beds": 3,
        "baths": 2,
        "area": 1826,
        "area_unit": "sq ft",
        "highlights": ["new roof", "just listed"],
    }
    fake.replies = [say("Send the photos when you are ready.")]
    async with llm_runner(fake, RecordingRenderer()) as runner:
        events = await send(runner, FACTS)
        said = texts(events)
        assert "Got it: 12 Oak St, Paso Robles, CA · $529,000 · 3 bd · 2 ba" in said
        assert "Send the photos when you are ready." in said
        listing = listing_of(await runner.state("t1"))
    assert listing.highlights == ("new roof",), "sale talk from the model is not a highlight"
    (asked,) = fake.structured_requests
    assert asked["tool_choice"]["function"]["name"] == "StatedFacts"
    assert "3 bed 2 bath" in asked["messages"][-1]["content"]
    recorded = fake.requests[0]["messages"]
    assert recorded[-2]["tool_calls"][0]["function"]["name"] == "update_listing"
