"""How well listing facts are read from real-style descriptions (tests/data/listings).

602 descriptions written by hand in varied voices (MLS remarks, hurried texts with typos,
pasted flyers and field dumps, emoji and hashtag posts, luxury copy, condos with units, land,
townhouses, multi-family, conversations with corrections, ambiguous prices and dates, price
ranges, status talk, rentals), each with the facts a careful person reads from it. Parts:
`tuning` (140) written with the first reader; `seen` to `seen5`, each written as a held-out
part before a round of tuning and folded into tuning after it; `heldout` (60, round 4) and
`heldout4` (62, round 7), whose failures were never looked at: only their figures.
training/LISTINGS.md keeps the figures of every round and the protocol.

The goal is 95% of listings with every field right. The parts the reader was tuned on and the
whole corpus reach it. The held-out parts do not (80.6% and 88.3% when this was written:
numbers and addresses generalise, highlights less so), so their tests hold the measured
floors, to catch regressions, and say the goal. The language-model reader is run on the
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
TUNED = ("tuning", "seen", "seen2", "seen3", "seen4", "seen5")
HELD_OUT_FLOORS = {"heldout4": 0.78, "heldout": 0.85}
"""Measured 50/62 (80.6%) on `heldout4` and 53/60 (88.3%) on `heldout`: below the goal; a drop
below these is a regression."""
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
    entries = [e for part in TUNED for e in load_corpus(part)]
    score = await score_reader(rules, entries)
    print(score.report("rule-based, tuned parts"))
    assert score.share_all_right >= GOAL, "\n".join(map(str, score.failures))


@pytest.mark.parametrize("part", sorted(HELD_OUT_FLOORS))
async def test_rule_based_reader_on_a_held_out_part(part: str) -> None:
    held_out = await score_reader(rules, load_corpus(part))
    print(held_out.report(f"rule-based, held out ({part})"))
    # Figures only: a held-out part's failures are not for tuning.
    assert held_out.share_all_right >= HELD_OUT_FLOORS[part], held_out.report(part)


async def test_rule_based_reader_on_the_whole_corpus() -> None:
    whole = await score_reader(rules, load_corpus("all"))
    print(whole.report("rule-based, whole corpus"))
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
