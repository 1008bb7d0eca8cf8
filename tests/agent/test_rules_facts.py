"""Listing facts read from the ways agents write them."""

from __future__ import annotations

from typing import Any

import pytest

from reelestate.agent.rules.facts import extract_facts

CASES: list[tuple[str, dict[str, Any], tuple[str, ...]]] = [
    ("3bd/2ba", {"beds": 3, "baths": 2.0}, ()),
    ("3 bed 2 bath", {"beds": 3, "baths": 2.0}, ()),
    ("three bedrooms, two and a half baths", {"beds": 3, "baths": 2.5}, ()),
    ("$585k", {"price": 585_000}, ()),
    ("585,000", {"price": 585_000}, ()),
    ("asking 1.2M", {"price": 1_200_000}, ()),
    ("1,850 sq ft", {"area_sqft": 1850}, ()),
    ("1850 sqft", {"area_sqft": 1850}, ()),
    ("2,000 square feet", {"area_sqft": 2000}, ()),
    (
        "12 Oak St, Austin TX 78701",
        {"address": "12 Oak St", "city": "Austin, TX", "zip_code": "78701"},
        (),
    ),
    ("The address is 55 Elm Road", {"address": "55 Elm Road"}, ()),
    ("studio, $300k", {"beds": 0, "price": 300_000}, ()),
    (
        "3 bed 2 bath in Austin, $585k, new roof, big backyard, make it cozy",
        {"beds": 3, "baths": 2.0, "price": 585_000, "city": "Austin"},
        ("new roof", "big backyard"),
    ),
    ("features: granite counters, hardwood floors", {}, ("granite counters", "hardwood floors")),
    ("actually the price is $599k not $585k", {"price": 599_000}, ()),
    ("render it in 4K", {}, ()),
    ("hello there", {}, ()),
]


@pytest.mark.parametrize(("text", "updates", "highlights"), CASES)
def test_facts_are_read(text: str, updates: dict[str, Any], highlights: tuple[str, ...]) -> None:
    facts = extract_facts(text)
    assert facts.updates == updates
    assert facts.highlights == highlights


def test_style_and_length_are_read_apart_from_facts() -> None:
    facts = extract_facts("make it cozy, 20 seconds")
    assert facts.style == "cozy" and facts.length_seconds == 20
    assert facts.updates == {} and not facts.any_fact
    assert extract_facts("one minute").length_seconds == 60
