"""How well listing facts are read from real-style descriptions (tests/data/listings).

392 descriptions written by hand in varied voices (MLS remarks, hurried texts with typos,
pasted flyers, luxury copy, condos with units, land, townhouses, multi-family, conversations
with corrections, ambiguous prices and dates, rentals), each with the facts a careful person
reads from it. Five parts: `tuning` (140) written with the first reader; `seen`, `seen2` and
`seen3` (65, 65, 62), each written as a held-out part before a round of tuning and folded
into tuning after it (the first one's failures were shown once by mistake); `heldout` (60),
written before the last round, whose failures were never looked at: only its figures.
training/LISTINGS.md keeps the figures of every round.

The goal is 95% of listings with every field right. The parts the reader was tuned on and the
whole corpus must reach it (97.2% when this was written). The held-out part does not (88.3%:
addresses, numbers and rooms generalise, highlights less so), so its test holds the measured
floor, to catch regressions, and says the goal. The language-model reader is run on the
whole corpus against a local OpenAI-compatible server whose structured output is the expected
facts (a perfect model on single messages; it answers nothing for conversations, which then
rest on the rules): this checks the structured-output wiring and the rules' check of the model
end to end.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from reelestate.agent.brains.facts_llm import LanguageModelFactsReader
from reelestate.agent.rules.facts import read_listing_text
from reelestate.tools.listing_facts import FactsReading
from tests.agent.listing_corpus import load_corpus, score_reader, stated_answer
from tests.support.fake_openai import FakeOpenAI

GOAL = 0.95
HELD_OUT_FLOOR = 0.85
"""Measured 53/60 (88.3%) on the held-out part: below the goal; a drop below this is a
regression."""
PRICE_DROP = "Price drop!! 3bd/2ba, 1,420 sf, now $389k. 77 Birch Ln, Medford OR 97501"


async def rules(text: str) -> FactsReading:
    return read_listing_text(text)


def model_reader(fake: FakeOpenAI) -> LanguageModelFactsReader:
    return LanguageModelFactsReader(
        ChatOpenAI(
            model="fake-model",
            api_key=SecretStr("sk-local-test"),
            base_url=fake.base_url,
            timeout=5,
            max_retries=0,
            use_responses_api=False,
        )
    )


@pytest.fixture
def perfect_model() -> Iterator[FakeOpenAI]:
    answers = {e.messages[0]: stated_answer(e) for e in load_corpus("all") if len(e.messages) == 1}
    server = FakeOpenAI(facts=answers.get).start()
    yield server
    server.stop()


async def test_rule_based_reader_reaches_the_goal_on_the_parts_it_was_tuned_on() -> None:
    entries = [e for part in ("tuning", "seen", "seen2", "seen3") for e in load_corpus(part)]
    score = await score_reader(rules, entries)
    print(score.report("rule-based, tuned parts"))
    assert score.share_all_right >= GOAL, "\n".join(map(str, score.failures))


async def test_rule_based_reader_on_the_held_out_part_and_the_whole_corpus() -> None:
    held_out = await score_reader(rules, load_corpus("heldout"))
    whole = await score_reader(rules, load_corpus("all"))
    print(held_out.report("rule-based, held out"))
    print(whole.report("rule-based, whole corpus"))
    # Figures only: the held-out part's failures are not for tuning.
    assert held_out.share_all_right >= HELD_OUT_FLOOR, held_out.report("held out")
    assert whole.share_all_right >= GOAL, whole.report("whole corpus")


async def test_language_model_reader_through_structured_output(
    perfect_model: FakeOpenAI,
) -> None:
    entries = load_corpus("all")
    score = await score_reader(model_reader(perfect_model).read, entries)
    print(score.report("language model + rules, all"))
    assert len(perfect_model.structured_requests) == sum(len(e.messages) for e in entries)
    first = perfect_model.structured_requests[0]
    assert first["tool_choice"]["function"]["name"] == "StatedFacts"
    assert score.share_all_right >= GOAL, score.report("language model + rules")


async def test_a_model_price_that_disagrees_with_the_text_loses() -> None:
    lying = {"price": 398_000, "beds": 3, "baths": 2.0, "highlights": ["just listed", "pool"]}
    with FakeOpenAI(facts=lambda _: lying).running() as fake:
        reading = await model_reader(fake).read(PRICE_DROP)
    assert reading.facts.price == 389_000, "the unambiguous price in the text wins"
    assert reading.facts.highlights == ["pool"], "sale talk is never a highlight"
    assert reading.facts.address is not None and reading.facts.address.zip_code == "97501"


async def test_a_model_cannot_settle_what_the_text_leaves_unclear() -> None:
    with FakeOpenAI(facts=lambda _: {"price": 425_000}).running() as fake:
        reading = await model_reader(fake).read("2 bed, $425k or $399k")
    assert reading.facts.price is None
    assert reading.unclear is not None and reading.unclear.field == "price"


async def test_a_model_that_does_not_answer_leaves_the_rules_reading() -> None:
    fake = FakeOpenAI().start()
    reader = model_reader(fake)
    fake.stop()
    reading = await reader.read(PRICE_DROP)
    assert reading == read_listing_text(PRICE_DROP)
