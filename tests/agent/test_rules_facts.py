"""Listing facts read from the ways agents write them (the corpus test measures the rest)."""

from __future__ import annotations

from typing import Any

import pytest

from reelestate.agent.rules.facts import extract_facts, read_listing_text
from reelestate.tools.listing_facts import listing_updates

CASES: list[tuple[str, dict[str, Any], list[str]]] = [
    ("3bd/2ba", {"beds": 3, "baths": 2.0}, []),
    ("3 bed 2 bath", {"beds": 3, "baths": 2.0}, []),
    ("three bedrooms, two and a half baths", {"beds": 3, "baths": 2.5}, []),
    ("2 full and 1 half baths", {"baths": 2.5}, []),
    ("4BR/2.5BA", {"beds": 4, "baths": 2.5}, []),
    ("$585k", {"price": 585_000}, []),
    ("585,000", {"price": 585_000}, []),
    ("asking 1.2M", {"price": 1_200_000}, []),
    ("4.5 million", {"price": 4_500_000}, []),
    ("1,850 sq ft", {"area_sqft": 1850}, []),
    ("1850 sqft", {"area_sqft": 1850}, []),
    ("2,000 square feet", {"area_sqft": 2000}, []),
    ("150 m²", {"area_m2": 150.0, "area_sqft": 1615}, []),
    (
        "0.25 acre lot, built in 1998",
        {"lot_size": 0.25, "lot_unit": "acres", "year_built": 1998},
        [],
    ),
    (
        "12 Oak St, Austin TX 78701",
        {"address": "12 Oak St", "city": "Austin", "state": "TX", "zip_code": "78701"},
        [],
    ),
    ("The address is 55 Elm Road", {"address": "55 Elm Road"}, []),
    ("studio, $300k", {"beds": 0, "price": 300_000}, []),
    (
        "3 bed 2 bath in Austin, $585k, new roof, big backyard, make it cozy",
        {"beds": 3, "baths": 2.0, "price": 585_000, "city": "Austin"},
        ["new roof", "big backyard"],
    ),
    ("features: granite counters, hardwood floors", {}, ["granite counters", "hardwood floors"]),
    ("actually the price is $599k not $585k", {"price": 599_000}, []),
    (
        "Just listed! Motivated seller, won't last, 3 bd, asking $300k",
        {"beds": 3, "price": 300_000},
        [],
    ),
    ("render it in 4K", {}, []),
    ("hello there", {}, []),
    ("swap the kitchen and the bedroom", {}, []),
]


@pytest.mark.parametrize(("text", "updates", "highlights"), CASES)
def test_facts_are_read(text: str, updates: dict[str, Any], highlights: list[str]) -> None:
    facts = extract_facts(text).facts
    assert listing_updates(facts) == updates
    assert facts.highlights == highlights


def test_style_and_length_are_read_apart_from_facts() -> None:
    facts = extract_facts("make it cozy, 20 seconds")
    assert facts.style == "cozy" and facts.length_seconds == 20
    assert facts.facts.empty and not facts.any_fact
    assert extract_facts("one minute").length_seconds == 60


def test_reduced_price_is_the_new_one_and_two_plain_prices_are_a_question() -> None:
    assert read_listing_text("was $529k, reduced to $499k").facts.price == 499_000
    reading = read_listing_text("$425k or $410k")
    assert reading.facts.price is None
    assert reading.unclear is not None and reading.unclear.field == "price"


def test_rentals_are_marked() -> None:
    assert read_listing_text("2 bed apartment, $1,950/month").facts.rental
    assert not read_listing_text("condo, $199,000, hoa is $300 a month").facts.rental
