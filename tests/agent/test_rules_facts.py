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


FORMS: list[tuple[str, dict[str, Any]]] = [
    ("1.5M", {"price": 1_500_000}),
    ("$2,150,000", {"price": 2_150_000}),
    ("2.1 mil", {"price": 2_100_000}),
    ("reduced $20k, now $380,000", {"price": 380_000}),
    ("$389k, $10k below appraisal", {"price": 389_000}),
    ("3.5 baths", {"baths": 3.5}),
    ("3 full baths", {"baths": 3.0}),
    ("three and a half baths", {"baths": 3.5}),
    ("2 full baths, 1 half bath", {"baths": 2.5}),
    ("1 3/4 baths", {"baths": 2.0}),
    ("3bd/1.75ba", {"beds": 3, "baths": 2.0}),
    ("±2,000 SF", {"area_sqft": 2000}),
    ("approx. 1800sf", {"area_sqft": 1800}),
    ("1,950 sq. ft.", {"area_sqft": 1950}),
    ("2000 sq ft heated", {"area_sqft": 2000}),
    ("2,450 heated sq ft", {"area_sqft": 2450}),
    ("5.2 ac", {"lot_size": 5.2, "lot_unit": "acres"}),
    ("1/2 acre", {"lot_size": 0.5, "lot_unit": "acres"}),
    ("on a 3/4 acre lot", {"lot_size": 0.75, "lot_unit": "acres"}),
    ("yr blt 1987", {"year_built": 1987}),
    (
        "Ste 210, 40 Main St, Boise ID 83702",
        {
            "address": "40 Main St",
            "unit": "210",
            "city": "Boise",
            "state": "ID",
            "zip_code": "83702",
        },
    ),
    (
        "1205-88 Harbour St, Toronto ON M5J 0C3",
        {
            "address": "88 Harbour St",
            "unit": "1205",
            "city": "Toronto",
            "state": "ON",
            "zip_code": "M5J 0C3",
        },
    ),
    (
        "312-314 Elm St, Dayton OH 45402",
        {"address": "312-314 Elm St", "city": "Dayton", "state": "OH", "zip_code": "45402"},
    ),
    (
        "4410 County Rd 12, Fort Morgan CO 80701",
        {"address": "4410 County Rd 12", "city": "Fort Morgan", "state": "CO", "zip_code": "80701"},
    ),
    ("18220 FM 1325", {"address": "18220 FM 1325"}),
    ("double garage", {"parking": {"kind": "garage", "spaces": 2}}),
    ("3-stall garage", {"parking": {"kind": "garage", "spaces": 3}}),
    ("2 car carport", {"parking": {"kind": "carport", "spaces": 2}}),
]


@pytest.mark.parametrize(("text", "updates"), FORMS)
def test_numbers_and_addresses_in_the_forms_agents_use(text: str, updates: dict[str, Any]) -> None:
    assert listing_updates(read_listing_text(text).facts) == updates


@pytest.mark.parametrize("text", ["mid 400s", "low $300s", "$450,000 - $475,000", "450-475k"])
def test_a_price_range_is_a_question(text: str) -> None:
    reading = read_listing_text(f"3 bed 2 bath, {text}")
    assert reading.facts.price is None
    assert reading.unclear is not None and reading.unclear.field == "price"


def test_a_feature_the_vocabulary_lacks_is_still_a_highlight() -> None:
    text = "3 bd 2 ba, $410k, bunkhouse, pipe fencing, whole-house generator"
    assert read_listing_text(text).facts.highlights == [
        "bunkhouse",
        "pipe fencing",
        "whole-house generator",
    ]


@pytest.mark.parametrize(
    "talk",
    [
        "priced to sell",
        "bring your offers",
        "seller will consider concessions",
        "showings start Friday",
        "agent owned",
        "cash or conventional",
        "under contract",
        "sale pending",
        "back on market",
        "close to schools",
        "minutes to downtown",
        "walk to the park",
        "pets ok",
    ],
)
def test_sale_status_and_location_talk_is_never_a_highlight(talk: str) -> None:
    assert read_listing_text(f"3 bd 2 ba, $410k, {talk}, koi pond").facts.highlights == ["koi pond"]


def test_no_hoa_is_a_highlight() -> None:
    assert read_listing_text("3 bd 2 ba, $410k, no HOA").facts.highlights == ["no HOA"]


@pytest.mark.parametrize(
    ("text", "highlights"),
    [
        ("dock with lift, sauna", ["dock with lift", "sauna"]),
        ("suite with its own entrance", ["suite with its own entrance"]),
        ("finished basement w/ wet bar", ["finished basement", "wet bar"]),
        ("backs to open space with mountain views", ["backs to open space", "mountain views"]),
    ],
)
def test_with_joins_a_one_word_detail_and_splits_two_features(
    text: str, highlights: list[str]
) -> None:
    assert read_listing_text(f"3 bd 2 ba, $410k, {text}").facts.highlights == highlights


def test_kind_words_inside_features_do_not_name_the_kind() -> None:
    facts = read_listing_text("3 bd 2 ba, $410k, chicken coop, whole house generator").facts
    assert facts.property_type is None
    assert facts.highlights == ["chicken coop", "whole house generator"]
    lakefront = read_listing_text("Lakefront cabin, 2 bd 1 ba, $300k").facts
    assert lakefront.property_type == "house" and lakefront.highlights == ["Lakefront"]


def test_a_counted_garage_wins_over_a_garage_named_in_passing() -> None:
    facts = read_listing_text("3 bd 2 ba, EV charger in garage, 3 car garage").facts
    assert facts.parking is not None and facts.parking.spaces == 3


@pytest.mark.parametrize(
    ("text", "updates"),
    [
        ("Beds: 3 Baths: 2 SqFt: 1,640", {"beds": 3, "baths": 2.0, "area_sqft": 1640}),
        ("SQFT 2,080 | BD 4 | BA 2.5", {"beds": 4, "baths": 2.5, "area_sqft": 2080}),
        ("1,390 square footage", {"area_sqft": 1390}),
        ("two full baths and a powder room", {"baths": 2.5}),
        ("4 full &amp; 2 half baths<br>", {"baths": 5.0}),
        ("3 🛏 2 🛁", {"beds": 3, "baths": 2.0}),
        ("duplex, 2 bd 1 ba each, $300k", {"price": 300_000, "property_type": "multi_family"}),
        (
            "8 Elm Ct, The Woodlands TX 77382",
            {"address": "8 Elm Ct", "city": "The Woodlands", "state": "TX", "zip_code": "77382"},
        ),
        ("2.5 car garage", {"parking": {"kind": "garage"}}),
        ("carport for 2", {"parking": {"kind": "carport", "spaces": 2}}),
    ],
)
def test_labels_before_numbers_pasted_markup_and_per_unit_counts(
    text: str, updates: dict[str, Any]
) -> None:
    got = listing_updates(read_listing_text(text).facts)
    if "parking" in got:
        got["parking"] = {k: v for k, v in got["parking"].items() if v is not None}
    assert got == updates


def test_tags_names_and_dates_are_no_part_of_a_highlight() -> None:
    text = (
        "#justlisted The Residences at Bay Point - 3 bd 2 ba, $410k, new deck last summer, "
        "needs TLC but has a wood stove"
    )
    assert read_listing_text(text).facts.highlights == ["new deck", "wood stove"]
