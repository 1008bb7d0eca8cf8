"""The listing descriptions of tests/data/listings and how a reader's answers are scored.

Each line is one listing: `messages` (one or more, as the agent sent them) and `expect`, the
facts a careful person reads from them. A conversation is read message by message, each
reading written over the listing as the agent's update does (`apply_facts`), so corrections
count. A fact the reader asked about (`ask`) must still be open at the end.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reelestate.tools.listing import Listing
from reelestate.tools.listing_facts import FactsReading, apply_facts

DATA = Path(__file__).resolve().parents[1] / "data" / "listings"
FIELDS = (
    "street",
    "unit",
    "city",
    "state",
    "zip",
    "price",
    "beds",
    "baths",
    "area",
    "area_unit",
    "lot",
    "lot_unit",
    "year",
    "type",
    "parking",
    "highlights",
    "ask",
    "rental",
)
PARTS = ("tuning", "seen", "seen2", "seen3", "seen4", "seen5", "heldout", "heldout4")
Reader = Callable[[str], Awaitable[FactsReading]]


@dataclass(frozen=True)
class Entry:
    id: str
    messages: tuple[str, ...]
    expect: dict[str, Any]


def load_corpus(part: str) -> list[Entry]:
    """`part`: a file name of tests/data/listings ("tuning", "seen4", "heldout3"), or "all"."""
    names = PARTS if part == "all" else (part,)
    entries = []
    for name in names:
        for line in (DATA / f"{name}.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                raw = json.loads(line)
                entries.append(Entry(raw["id"], tuple(raw["messages"]), raw["expect"]))
    return entries


def _text(value: Any) -> Any:
    if isinstance(value, str):
        return " ".join(value.lower().replace(".", "").replace(",", " ").split())
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def expected_facts(entry: Entry) -> dict[str, Any]:
    want = {name: entry.expect.get(name) for name in FIELDS}
    want["rental"] = bool(want["rental"])
    if want["area"] is not None and want["area_unit"] is None:
        want["area_unit"] = "sq ft"
    want["highlights"] = sorted(_text(h) for h in want["highlights"] or [])
    return {k: _text(v) for k, v in want.items()}


def listing_facts(listing: Listing, *, ask: str | None, rental: bool) -> dict[str, Any]:
    parking = listing.parking
    got = {
        "street": listing.address,
        "unit": listing.unit,
        "city": listing.city,
        "state": listing.state,
        "zip": listing.zip_code,
        "price": listing.price,
        "beds": listing.beds,
        "baths": listing.baths,
        "area": listing.area_m2 if listing.area_m2 is not None else listing.area_sqft,
        "area_unit": "m²"
        if listing.area_m2 is not None
        else ("sq ft" if listing.area_sqft is not None else None),
        "lot": listing.lot_size,
        "lot_unit": listing.lot_unit,
        "year": listing.year_built,
        "type": listing.property_type,
        "parking": None
        if parking is None
        else (f"{parking.kind}:{parking.spaces}" if parking.spaces else parking.kind),
        "highlights": sorted(_text(h) for h in listing.highlights),
        "ask": ask,
        "rental": rental,
    }
    return {k: _text(v) for k, v in got.items()}


async def read_conversation(reader: Reader, messages: tuple[str, ...]) -> dict[str, Any]:
    listing = Listing()
    ask: str | None = None
    rental = False
    for text in messages:
        reading = await reader(text)
        if reading.facts.rental:
            rental = True
            continue
        listing = apply_facts(listing, reading.facts)
        if ask is not None and getattr(listing, ask) is not None:
            ask = None
        if reading.unclear is not None:
            ask = reading.unclear.field
    return listing_facts(listing, ask=ask, rental=rental)


@dataclass
class Score:
    listings: int = 0
    all_right: int = 0
    field_right: Counter[str] = field(default_factory=Counter)
    failures: list[tuple[str, str, Any, Any]] = field(default_factory=list)
    """(listing id, field, expected, read)."""

    @property
    def share_all_right(self) -> float:
        return self.all_right / self.listings if self.listings else 0.0

    def field_accuracy(self) -> dict[str, float]:
        return {name: self.field_right[name] / self.listings for name in FIELDS}

    def report(self, title: str) -> str:
        lines = [
            f"{title}: {self.all_right}/{self.listings} listings with every field right "
            f"({self.share_all_right:.1%})"
        ]
        lines += [f"  {name:<11} {acc:.1%}" for name, acc in self.field_accuracy().items()]
        return "\n".join(lines)


async def score_reader(reader: Reader, entries: list[Entry]) -> Score:
    score = Score()
    for entry in entries:
        want = expected_facts(entry)
        got = await read_conversation(reader, entry.messages)
        fields = ("rental",) if want["rental"] else FIELDS
        wrong = [name for name in fields if want[name] != got[name]]
        score.listings += 1
        score.all_right += not wrong
        for name in FIELDS:
            score.field_right[name] += name not in wrong
        score.failures += [(entry.id, name, want[name], got[name]) for name in wrong]
    return score


def stated_answer(entry: Entry) -> dict[str, Any]:
    """The entry's expected facts as a perfect model would fill `StatedFacts` (JSON)."""
    want = entry.expect
    address = {
        key: want[name]
        for name, key in (
            ("street", "street"),
            ("unit", "unit"),
            ("city", "city"),
            ("state", "state"),
            ("zip", "zip_code"),
        )
        if want.get(name) is not None
    }
    answer: dict[str, Any] = {"address": address or None, "rental": bool(want.get("rental"))}
    for name, key in (
        ("price", "price"),
        ("beds", "beds"),
        ("baths", "baths"),
        ("area", "area"),
        ("lot", "lot_size"),
        ("lot_unit", "lot_unit"),
        ("year", "year_built"),
        ("type", "property_type"),
    ):
        if want.get(name) is not None:
            answer[key] = want[name]
    if want.get("area") is not None:
        answer["area_unit"] = want.get("area_unit", "sq ft")
    if want.get("parking"):
        kind, _, spaces = want["parking"].partition(":")
        answer["parking"] = {"kind": kind, "spaces": int(spaces) if spaces else None}
    answer["highlights"] = want.get("highlights", [])
    if want.get("ask"):
        for key in ("price",) if want["ask"] == "price" else ("beds", "baths"):
            answer.pop(key, None)
    return answer
