"""What a script may say, and a check that a text says nothing more.

The `FactSheet` is built from the listing and the photo analyses only: the agent's facts,
highlights made fair-housing clean, and the rooms a photo shows with a confident label. A
text passes when every number in it is one of those facts (in any spelling), every feature
word is backed by a highlight or a room, and the fair-housing lint finds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from pydantic import BaseModel, ConfigDict

from reelestate.prompts.features import FEATURE_TERMS, ROOM_TERMS
from reelestate.providers.vision.base import PhotoAnalysis, RoomType
from reelestate.tools.fair_housing import lint, rewrite
from reelestate.tools.listing import Listing
from reelestate.tools.numbers import find_numbers

UNLABELLED_ROOMS: frozenset[str] = frozenset({"unsure", "other"})


def confident_room(analysis: PhotoAnalysis) -> RoomType | None:
    """The room a usable photo shows, or None when the label cannot be stated."""
    if not analysis.usable or analysis.duplicate_of is not None:
        return None
    return None if analysis.room in UNLABELLED_ROOMS else analysis.room


class FactSheet(BaseModel):
    """Everything a script may state about one listing."""

    model_config = ConfigDict(frozen=True)

    address: str | None = None
    city: str | None = None
    zip_code: str | None = None
    price: int | None = None
    beds: int | None = None
    baths: float | None = None
    area_sqft: int | None = None
    highlights: dict[int, str] = {}
    """Listing highlight index -> its fair-housing-clean wording (dropped when nothing is left)."""
    rooms: dict[int, RoomType] = {}
    """Photo index -> confident room label."""

    @property
    def keys(self) -> frozenset[str]:
        """Fact keys a script line may claim: price, beds, ..., highlight:<i>, room:<label>."""
        keys = {
            name
            for name, value in (
                ("address", self.address),
                ("city", self.city),
                ("zip", self.zip_code),
                ("price", self.price),
                ("beds", self.beds),
                ("baths", self.baths),
                ("area", self.area_sqft),
            )
            if value is not None
        }
        keys |= {f"highlight:{i}" for i in self.highlights}
        keys |= {f"room:{room}" for room in self.rooms.values()}
        return frozenset(keys)

    @property
    def given_texts(self) -> tuple[str, ...]:
        return tuple(
            t for t in (self.address, self.city, self.zip_code, *self.highlights.values()) if t
        )

    @property
    def allowed_counts(self) -> frozenset[tuple[float, str]]:
        """(number, word after it) pairs from the given text: (2, 'car'), (12, 'oak')."""
        return frozenset(
            (m.value, m.next_word)
            for text in self.given_texts
            for m in find_numbers(text)
            if m.next_word is not None
        )

    @property
    def allowed_numbers(self) -> frozenset[float]:
        """Numbers that may appear without a unit: the facts, and those inside given text."""
        values = {float(v) for v in (self.price, self.beds, self.baths, self.area_sqft) if v}
        for text in (self.address, self.city, self.zip_code, *self.highlights.values()):
            if text:
                values |= {m.value for m in find_numbers(text)}
                values |= {float(d) for d in re.findall(r"\d+", text)}
        return frozenset(values)


def _without_places(text: str, sheet: FactSheet) -> str:
    """`text` without the address, city and zip as given: a word in a street's name ("14 Harbor
    View Rd") is the listing's own, not a claim about the home."""
    for place in sorted((p for p in (sheet.address, sheet.city, sheet.zip_code) if p), key=len,
                        reverse=True):  # fmt: skip
        text = re.sub(re.escape(place), " ", text, flags=re.IGNORECASE)
    return text


def fact_sheet(listing: Listing, analyses: Sequence[PhotoAnalysis]) -> FactSheet:
    highlights = {}
    for i, text in enumerate(listing.highlights):
        clean = rewrite(text).strip().rstrip(".!")
        if clean:
            highlights[i] = clean
    rooms = {i: room for i, a in enumerate(analyses) if (room := confident_room(a)) is not None}
    return FactSheet(
        address=listing.address,
        city=listing.city,
        zip_code=listing.zip_code,
        price=listing.price,
        beds=listing.beds,
        baths=listing.baths,
        area_sqft=listing.area_sqft,
        highlights=highlights,
        rooms=rooms,
    )


@lru_cache(maxsize=256)
def _term_pattern(terms: tuple[str, ...]) -> re.Pattern[str]:
    alternatives = "|".join(
        r"[\s\-]+".join(re.escape(w) for w in re.split(r"[\s\-]+", t))
        for t in sorted(terms, key=len, reverse=True)
    )
    return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])", re.IGNORECASE)


def _mentions(text: str, terms: tuple[str, ...]) -> bool:
    return _term_pattern(terms).search(text) is not None


def _without_numbers(text: str) -> str:
    """`text` with number phrases ("three bedrooms") blanked, so counts are not room claims."""
    out = list(text)
    for m in find_numbers(text):
        out[m.start : m.end] = " " * (m.end - m.start)
    return "".join(out)


def _room_backed(room: str, sheet: FactSheet) -> bool:
    if room in sheet.rooms.values():
        return True
    if room == "bedroom" and sheet.beds:
        return True
    if room == "bathroom" and sheet.baths:
        return True
    return any(_mentions(h, ROOM_TERMS[room]) for h in sheet.highlights.values())


def detect_facts(text: str, sheet: FactSheet) -> frozenset[str]:
    """The fact keys `text` states, found from its words (used for free-written lines)."""
    found: set[str] = set()
    lowered = " ".join(text.lower().split())
    for name, value in (("address", sheet.address), ("city", sheet.city), ("zip", sheet.zip_code)):
        if value and " ".join(value.lower().split()) in lowered:
            found.add(name)
    for mention in find_numbers(text):
        if mention.kind is not None:
            found.add(mention.kind)
    for i, highlight in sheet.highlights.items():
        if " ".join(highlight.lower().split()) in lowered:
            found.add(f"highlight:{i}")
    rest = _without_numbers(text)
    for room, terms in ROOM_TERMS.items():
        if _mentions(rest, terms):
            found.add(f"room:{room}")
    return frozenset(found)


def _fact_value(kind: str, sheet: FactSheet) -> float | None:
    values = {
        "price": sheet.price,
        "beds": sheet.beds,
        "baths": sheet.baths,
        "area": sheet.area_sqft,
    }
    value = values.get(kind)
    return float(value) if value is not None else None


def text_problems(text: str, sheet: FactSheet) -> list[str]:
    """Why `text` says more than the facts allow (empty when it does not)."""
    problems: list[str] = []
    allowed = sheet.allowed_numbers
    counts = sheet.allowed_counts
    for mention in find_numbers(text):
        said = text[mention.start : mention.end]
        if mention.kind is not None:
            expected = _fact_value(mention.kind, sheet)
            if expected is None:
                problems.append(f"states a {mention.kind} ({said!r}) but the listing gives none")
            elif abs(mention.value - expected) > 1e-6 * max(1.0, expected):
                problems.append(f"says {said!r} but the listing's {mention.kind} is {expected:g}")
        elif mention.next_word is not None:
            if (mention.value, mention.next_word) not in counts:
                problems.append(
                    f"states {said} {mention.next_word!r}, which is not one of the listing's facts"
                )
        elif mention.value not in allowed:
            problems.append(f"states the number {said!r}, which is not one of the listing's facts")
    rest = _without_numbers(_without_places(text, sheet))
    highlights = tuple(sheet.highlights.values())
    for feature, terms in FEATURE_TERMS.items():
        if _mentions(rest, terms) and not any(_mentions(h, terms) for h in highlights):
            problems.append(f"mentions {feature!r}, which no highlight gives")
    for room, terms in ROOM_TERMS.items():
        if _mentions(rest, terms) and not _room_backed(room, sheet):
            problems.append(f"mentions the {room.replace('_', ' ')}, which no photo shows")
    problems.extend(f"uses {v.phrase!r} ({v.reason}; {v.source})" for v in lint(text))
    return problems
