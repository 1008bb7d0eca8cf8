"""The photo limits of the settings (REELESTATE_MIN_PHOTOS, REELESTATE_MAX_PHOTOS) hold in chat."""

from __future__ import annotations

from reelestate.agent.brains.llm import model_messages
from reelestate.agent.events import ErrorEvent, Question
from reelestate.agent.runner import Runner
from reelestate.agent.state import AgentState
from reelestate.core.settings import get_settings
from tests.agent.helpers import FileNameAnalyser, RecordingRenderer, listing_photos, of_type, say


async def test_photos_past_the_configured_maximum_are_refused_by_name() -> None:
    settings = get_settings().model_copy(update={"min_photos": 2, "max_photos": 4})
    photos = listing_photos()
    assert len(photos) > 4
    async with Runner.open(
        settings, analyser=FileNameAnalyser(), renderer=RecordingRenderer()
    ) as runner:
        events = await say(runner, "", photos)
        state = await runner.state("t1")
    assert len(state.get("photos") or []) == 4
    refused = [e for e in of_type(events, "error") if isinstance(e, ErrorEvent)]
    assert [e.message for e in refused] == [
        f"{p.name} was not added: a video uses at most 4 photos." for p in photos[4:]
    ]


async def test_the_assistant_asks_for_the_configured_minimum() -> None:
    settings = get_settings().model_copy(update={"min_photos": 3, "max_photos": 9})
    async with Runner.open(
        settings, analyser=FileNameAnalyser(), renderer=RecordingRenderer()
    ) as runner:
        events = await say(runner, "", listing_photos()[:2])
    question = [e for e in of_type(events, "question") if isinstance(e, Question)]
    assert "3 to 9 photos of the property (you have 2 usable)" in question[-1].text
    assert "photos" in question[-1].missing


def test_the_language_model_is_told_the_configured_limits() -> None:
    state: AgentState = {"messages": []}
    system = model_messages(state, None, min_photos=3, max_photos=12)[0].content
    assert isinstance(system, str)
    assert "(3 to 12 photos and a few facts)" in system
    assert "at least 3 usable" in system
    assert "{" not in system.split("Rules you must keep")[0]
