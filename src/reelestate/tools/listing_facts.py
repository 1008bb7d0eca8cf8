"""The listing facts one message states, as either reader fills them, and how they join the listing.

`StatedFacts` is the one schema both readers fill: the rule-based reader offline, a language model
through structured output. Every field is optional because a message states only some facts;
`apply_facts` writes the stated ones over the listing (a later message corrects an earlier one)
and adds highlights. `read_back` is the one line the assistant says back before the storyboard.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from reelestate.tools.listing import (
    SQFT_PER_M2,
    Listing,
    LotUnit,
    Parking,
    PropertyType,
    parse_listing,
)

AreaUnit = Literal["sq ft", "m²"]
UnclearField = Literal["price", "beds"]


class StatedAddress(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    street: str | None = Field(default=None, description="Number and street, e.g. '77 Birch Ln'")
    unit: str | None = Field(default=None, description="Unit, apartment or suite id, e.g. '4B'")
    city: str | None = None
    state: str | None = Field(default=None, description="State or province code, e.g. 'OR'")
    zip_code: str | None = Field(default=None, description="Zip or postal code as written")


class StatedFacts(BaseModel):
    """What one message says about the property. Absent fields were not stated."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    address: StatedAddress | None = None
    price: int | None = Field(
        default=None, description="Sale price in whole units; the new price after a reduction"
    )
    beds: int | None = Field(default=None, description="Bedrooms; 0 for a studio")
    baths: float | None = Field(
        default=None, description="Bathrooms, a half bath counts 0.5: 2 full + 1 half = 2.5"
    )
    area: float | None = Field(default=None, description="Interior living area, as given")
    area_unit: AreaUnit | None = None
    lot_size: float | None = Field(default=None, description="Lot or land size, never living area")
    lot_unit: LotUnit | None = None
    year_built: int | None = None
    property_type: PropertyType | None = None
    parking: Parking | None = None
    highlights: list[str] = Field(
        default=[],
        description="Features a buyer would see, in the agent's words ('renovated kitchen', "
        "'pool'). Never sale talk ('just listed', 'motivated seller', 'open house'), places "
        "of the address, or facts that have their own field (beds, price, area, lot, year).",
    )
    rental: bool = Field(default=False, description="The message offers the place for rent")

    @property
    def empty(self) -> bool:
        return self == StatedFacts()


class Unclear(BaseModel):
    """A fact the message states in a way that could mean two things; ask, never guess."""

    model_config = ConfigDict(frozen=True)

    field: UnclearField
    question: str


class FactsReading(BaseModel):
    """A reader's answer for one message: the facts it is sure of, and at most one question."""

    model_config = ConfigDict(frozen=True)

    facts: StatedFacts = StatedFacts()
    unclear: Unclear | None = None


def _same(a: str, b: str | None) -> bool:
    return b is not None and " ".join(a.lower().split()) == " ".join(b.lower().split())


def listing_updates(facts: StatedFacts) -> dict[str, Any]:
    """The stated facts as `Listing` fields (highlights apart), ready to write over a listing."""
    updates: dict[str, Any] = {}
    if facts.address is not None:
        address = facts.address
        for key, value in (
            ("address", address.street),
            ("unit", address.unit),
            ("city", address.city),
            ("state", address.state),
            ("zip_code", address.zip_code),
        ):
            if value:
                updates[key] = value
    for key in ("price", "beds", "baths", "year_built", "property_type"):
        value = getattr(facts, key)
        if value is not None:
            updates[key] = value
    if facts.parking is not None:
        updates["parking"] = facts.parking.model_dump()
    if facts.area is not None:
        if facts.area_unit == "m²":
            updates["area_m2"] = facts.area
            updates["area_sqft"] = round(facts.area * SQFT_PER_M2)
        else:
            updates["area_sqft"] = round(facts.area)
    if facts.lot_size is not None:
        updates["lot_size"] = facts.lot_size
        updates["lot_unit"] = facts.lot_unit or "acres"
    return updates


def merge_listing(
    listing: Listing,
    updates: dict[str, Any],
    add_highlights: Sequence[str] = (),
    remove_highlights: Sequence[str] = (),
) -> Listing:
    """`listing` with `updates` written over it (a later message corrects an earlier one) and
    the highlights changed; highlights naming a place of the address are left out."""
    data = listing.model_dump(mode="json", exclude_defaults=True)
    data.update(updates)
    if "area_sqft" in updates and "area_m2" not in updates:
        data.pop("area_m2", None)
    merged = parse_listing({**data, "highlights": []})
    places = (merged.address, merged.city, merged.state, merged.zip_code)
    drop = [*remove_highlights]
    highlights = [h for h in listing.highlights if not any(_same(h, d) for d in drop)]
    for item in add_highlights:
        if any(_same(item, place) for place in places):
            continue
        if not any(_same(item, known) for known in highlights):
            highlights.append(item)
    return parse_listing({**data, "highlights": highlights})


def apply_facts(listing: Listing, facts: StatedFacts) -> Listing:
    """The listing with every fact `facts` states written over it and its highlights added."""
    return merge_listing(listing, listing_updates(facts), facts.highlights)


def _number(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def address_line(listing: Listing) -> str:
    """'77 Birch Ln Unit 4, Medford, OR 97501', from whichever parts are known."""
    street = listing.address or ""
    if street and listing.unit:
        street += f" Unit {listing.unit}"
    place = ", ".join(p for p in (listing.city, listing.state) if p)
    if listing.zip_code:
        place = f"{place} {listing.zip_code}".strip()
    return ", ".join(p for p in (street, place) if p)


def read_back(listing: Listing) -> str:
    """The facts in one line, as the assistant says them back: 'Got it: 77 Birch Ln ... · pool'."""
    parts = [address_line(listing)] if address_line(listing) else []
    if listing.price is not None:
        parts.append(f"${listing.price:,}")
    if listing.beds is not None:
        parts.append("studio" if listing.beds == 0 else f"{listing.beds} bd")
    if listing.baths is not None:
        parts.append(f"{listing.baths:g} ba")
    if listing.area_m2 is not None:
        parts.append(f"{_number(listing.area_m2)} m²")
    elif listing.area_sqft is not None:
        parts.append(f"{listing.area_sqft:,} sq ft")
    if listing.lot_size is not None:
        parts.append(f"{_number(listing.lot_size)} {listing.lot_unit or 'acres'} lot")
    if listing.year_built is not None:
        parts.append(f"built {listing.year_built}")
    if listing.property_type is not None:
        parts.append(listing.property_type.replace("_", "-"))
    if listing.highlights:
        parts.append("; ".join(listing.highlights))
    return "Got it: " + (" · ".join(parts) or "nothing yet")
