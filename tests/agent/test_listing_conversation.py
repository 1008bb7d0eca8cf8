"""Listing facts in a conversation through the runner: read back in one line before the
storyboard, corrected by later messages, asked about once when unclear, rentals declined."""

from __future__ import annotations

from reelestate.agent.state import listing_of
from tests.agent.helpers import (
    RecordingRenderer,
    listing_photos,
    of_type,
    open_runner,
    say,
    texts,
)

PRICE_DROP = (
    "Price drop!! 3bd/2ba ranch, 1,420 sf, now $389k. 77 Birch Ln Unit 4, Medford OR 97501 "
    "- new roof, fenced yard"
)
READ_BACK = (
    "Got it: 77 Birch Ln Unit 4, Medford, OR 97501 · $389,000 · 3 bd · 2 ba · 1,420 sq ft · "
    "house · new roof; fenced yard"
)


async def test_the_price_drop_message_is_read_back_before_the_storyboard() -> None:
    async with open_runner(RecordingRenderer()) as runner:
        events = await say(runner, PRICE_DROP, listing_photos())
        said = [e.text for e in of_type(events, "assistant_text")]  # type: ignore[attr-defined]
        assert READ_BACK in said
        kinds = [e.type for e in events]
        assert kinds.index("assistant_text") < kinds.index("storyboard_ready")
        listing = listing_of(await runner.state("t1"))
    assert (listing.address, listing.unit, listing.city, listing.state, listing.zip_code) == (
        "77 Birch Ln",
        "4",
        "Medford",
        "OR",
        "97501",
    )
    assert (listing.price, listing.beds, listing.baths, listing.area_sqft) == (389_000, 3, 2, 1420)
    assert listing.highlights == ("new roof", "fenced yard")


async def test_a_later_message_corrects_an_earlier_fact() -> None:
    async with open_runner(RecordingRenderer()) as runner:
        await say(runner, "3 bed 2 bath, $425k, 1,500 sq ft, 10 Grove St, Athens GA 30601")
        events = await say(runner, "actually it's 4 beds")
        assert "4 bd" in texts(events)
        events = await say(runner, "price dropped to 410k")
        assert "$410,000" in texts(events)
        listing = listing_of(await runner.state("t1"))
    assert (listing.beds, listing.price, listing.address) == (4, 410_000, "10 Grove St")


async def test_two_prices_without_a_cue_get_one_question_and_no_guess() -> None:
    async with open_runner(RecordingRenderer()) as runner:
        events = await say(runner, "2 bed 2 bath, 1,050 sq ft, $425k or $399k, 5 Harbor St")
        questions = of_type(events, "question")
        assert [q.text for q in questions] == [  # type: ignore[attr-defined]
            "Which is the asking price: $399,000 or $425,000?"
        ]
        assert listing_of(await runner.state("t1")).price is None
        await say(runner, "$399k")
        assert listing_of(await runner.state("t1")).price == 399_000


async def test_a_date_that_looks_like_rooms_is_asked_about() -> None:
    async with open_runner(RecordingRenderer()) as runner:
        events = await say(runner, "Open house 3/2! $510,000, 92 Laurel Ave, Portland ME 04101")
        (question,) = of_type(events, "question")
        assert '"3/2"' in question.text  # type: ignore[attr-defined]
        listing = listing_of(await runner.state("t1"))
    assert listing.beds is None and listing.price == 510_000


async def test_a_rental_gets_a_clear_answer_and_records_nothing() -> None:
    async with open_runner(RecordingRenderer()) as runner:
        events = await say(runner, "For rent: 2 bed 1 bath, $1,950/month, 14 Pine St, Salem MA")
        assert "rental" in texts(events) and "for sale" in texts(events)
        assert listing_of(await runner.state("t1")).beds is None


async def test_a_date_is_no_question_once_the_rooms_are_known() -> None:
    async with open_runner(RecordingRenderer()) as runner:
        await say(runner, PRICE_DROP)
        events = await say(runner, "open house 3/2, 2 car garage")
        assert not [q for q in of_type(events, "question") if '"3/2"' in q.text]  # type: ignore[attr-defined]
        listing = listing_of(await runner.state("t1"))
    assert (listing.beds, listing.baths) == (3, 2.0)
    assert listing.highlights == ("new roof", "fenced yard", "2 car garage")
