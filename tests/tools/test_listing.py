from __future__ import annotations

import pytest

from reelestate.core.errors import InvalidInputError
from reelestate.tools.listing import Listing, missing_facts, parse_listing, require_facts


def test_a_full_listing_parses_money_and_halves() -> None:
    listing = parse_listing(
        {"address": "12 Oak Street", "price": "$585,000", "beds": 3, "baths": 2.5,
         "area_sqft": "1,850", "highlights": "renovated kitchen; heated pool", "zip": 94110}
    )  # fmt: skip
    assert listing.price == 585_000
    assert listing.baths == 2.5
    assert listing.area_sqft == 1850
    assert listing.zip_code == "94110"
    assert listing.highlights == ("renovated kitchen", "heated pool")
    assert missing_facts(listing) == []
    assert require_facts(listing) is listing


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ({"price": -5}, ["price", "more than 0"]),
        ({"price": "585k"}, None),
        ({"price": 50}, ["price", "typo"]),
        ({"price": "a lot"}, ["price", "number"]),
        ({"baths": 0}, ["bathrooms", "at least 0.5"]),
        ({"baths": 2.3}, ["bathrooms", "halves"]),
        ({"baths": 80}, ["bathrooms", "typo"]),
        ({"beds": -1}, ["bedrooms", "negative"]),
        ({"beds": 2.5}, ["bedrooms", "whole number"]),
        ({"beds": 400}, ["bedrooms", "typo"]),
        ({"area_sqft": 0}, ["area", "more than 0"]),
        ({"area_sqft": 5_000_000}, ["area", "typo"]),
        ({"address": "12345"}, ["address", "letters"]),
        ({"zip": "#$%"}, ["zip", "letters or digits"]),
        ({"highlights": ["x" * 100]}, ["highlights", "80 characters"]),
    ],
)
def test_bad_facts_name_what_to_fix(data: dict[str, object], words: list[str] | None) -> None:
    if words is None:
        assert parse_listing(data).price == 585_000
        return
    with pytest.raises(InvalidInputError) as info:
        parse_listing(data)
    for word in words:
        assert word in info.value.message


def test_missing_facts_are_reported_in_order() -> None:
    listing = Listing(address="1 Elm Court", beds=2)
    assert missing_facts(listing) == ["price", "baths", "area_sqft"]
    with pytest.raises(InvalidInputError, match=r"price, bathrooms, area \(sq ft\)"):
        require_facts(listing)
    assert missing_facts(listing, ("address", "beds")) == []


def test_blank_text_counts_as_missing() -> None:
    assert Listing(address="  ").address is None
    assert "address" in missing_facts(Listing(address=""))
