"""Words of the listing's own place are facts given, never claims."""

from __future__ import annotations

import random

from reelestate.tools.listing import Listing
from reelestate.tools.script import write_script
from reelestate.tools.script_facts import fact_sheet, text_problems
from tests.tools.story_factories import random_analyses


def test_a_feature_word_in_the_address_is_the_listings_own_not_a_claim() -> None:
    listing = Listing(
        address="14 Harbor View Rd",
        city="Lakeview",
        price=450_000,
        beds=3,
        baths=2,
        area_sqft=1600,
    )
    sheet = fact_sheet(listing, [])
    assert text_problems("Welcome to 14 Harbor View Rd in Lakeview.", sheet) == []
    assert text_problems("It has a lake view.", sheet)  # outside the address it is a claim


def test_a_script_for_an_address_with_a_feature_word_passes_the_check() -> None:
    listing = Listing(address="14 Harbor View Rd", price=450_000, beds=3, baths=2, area_sqft=1600)
    analyses = random_analyses(random.Random(1))
    script = write_script(listing, analyses, length_seconds=30)
    assert "14 Harbor View Rd" in script.text
