"""Listing facts as agents write them, read without a language model.

The message is read in a fixed order, each reader taking the words it used so no two read the
same digits: rental cues, then year, lot, living area, rooms, address, price, property type
and parking; what is left becomes highlights. A later message's fact replaces an earlier one
("actually it's 4 beds"), and "not 5" clauses are dropped before reading.

Libraries compared for this (each tried on the listing descriptions in tests/data/listings):
pyap finds "12 Oak St, Austin TX 78701" but nothing at all once a unit is in the line
("77 Birch Ln Unit 4, Medford OR 97501") and never a street without its city; price-parser
returns the first number of a message (3 from "3bd/2ba ... $389k") and reads "$425k" as 425;
text2num leaves small numbers ("five bedrooms") as words by design; number-parser turns
"one-of-a-kind" into "1-of-a-kind", which would change the agent's highlight wording. None of
them knows real-estate shorthand ("3/2", "4BR/2.5BA", "2 full 1 half", "0.25 acre lot"), so
these are our own patterns, with number words read only where a count is expected.
"""

from __future__ import annotations

import html
import re
from typing import Any

from pydantic import BaseModel, ConfigDict

from reelestate.agent.rules.fact_address import read_address
from reelestate.agent.rules.fact_highlights import read_highlights, standalone_highlights
from reelestate.agent.rules.fact_kinds import read_parking, read_type
from reelestate.agent.rules.fact_price import RENTAL, read_price
from reelestate.agent.rules.fact_sizes import read_area, read_lot, read_rooms, read_year
from reelestate.agent.rules.listing_text import MessageText
from reelestate.core.styles import Style
from reelestate.tools.listing_facts import FactsReading, StatedFacts

_STYLE_WORDS: dict[str, Style] = {
    "cozy": "cozy",
    "cosy": "cozy",
    "cozier": "cozy",
    "warm": "cozy",
    "luxury": "luxury",
    "luxurious": "luxury",
    "upscale": "luxury",
    "high-end": "luxury",
    "elegant": "luxury",
    "modern": "modern",
    "contemporary": "modern",
    "sleek": "modern",
    "energetic": "energetic",
    "lively": "energetic",
    "fun": "energetic",
    "punchy": "energetic",
    "minimal": "minimal",
    "minimalist": "minimal",
    "simple": "minimal",
    "clean": "minimal",
}
_STYLE = re.compile(
    r"\b(?:make\s+it|more|style|feel|vibe|tone|look|go|keep\s+it)\s*(?::|=)?\s*(?:a\s+bit\s+|very\s+|really\s+)?"
    r"(?P<w>" + "|".join(re.escape(w) for w in _STYLE_WORDS) + r")\b"
    r"|\b(?P<v>"
    + "|".join(re.escape(w) for w in _STYLE_WORDS)
    + r")\s+(?:style|feel|vibe|tone|look)\b",
    re.IGNORECASE,
)
_LENGTH = re.compile(
    r"\b(?P<n>\d{1,3})\s*(?:s|sec|secs|seconds?)\b|\b(?P<min>one|a|1)\s+minute\b", re.IGNORECASE
)
_NOT_CLAUSE = re.compile(
    r",?\s*\bnot\s+(?:the\s+)?\$?\d[\d,.]*\s*(?:k|m)?\b[^,;.\n]*", re.IGNORECASE
)


_TAG = re.compile(r"<\s*/?\s*(?:br|p|div|li|ul|b|i|strong|em|span)\b[^>]*>", re.IGNORECASE)


def pasted_text(text: str) -> str:
    """Text pasted from a listing page: HTML entities ("&amp;") read as characters and tags
    ("<br>") as line breaks."""
    return html.unescape(_TAG.sub("\n", text))


_ITS_A = re.compile(r"\b(?:it'?s|its|it\s+is|this\s+is)\s+(?:an?\s+)?", re.IGNORECASE)
"""A message that only names the kind ("oh it's a condo") must say so of the listing."""


class ExtractedFacts(BaseModel):
    """What one message says: the listing facts read from it, and the video's style and length."""

    model_config = ConfigDict(frozen=True)

    reading: FactsReading = FactsReading()
    style: Style | None = None
    length_seconds: float | None = None

    @property
    def facts(self) -> StatedFacts:
        return self.reading.facts

    @property
    def any_fact(self) -> bool:
        return not self.facts.empty or self.reading.unclear is not None

    @property
    def empty(self) -> bool:
        return not (self.any_fact or self.style or self.length_seconds)


def read_listing_text(text: str) -> FactsReading:
    """The listing facts one message states, and the one question to ask when a fact is unclear."""
    rest = MessageText(_NOT_CLAUSE.sub(" ; ", pasted_text(text)))
    out: dict[str, Any] = {}
    rental = RENTAL.search(rest.text) is not None
    read_year(rest, out)
    lot_named = read_lot(rest, out)
    read_area(rest, out)
    unclear = read_rooms(rest, out)
    address = read_address(rest)
    price = read_price(rest)
    if price.price is not None:
        out["price"] = price.price
    unclear = unclear or price.unclear
    lot_only = lot_named and "price" in out and not {"beds", "baths", "area"} & out.keys()
    kind = read_type(rest, lot_only=lot_only)
    parking = read_parking(rest.text)
    if parking is not None and "parking" not in out:
        out["parking"] = parking
    highlights = read_highlights(rest.text)
    if not (out or address or unclear):
        highlights = standalone_highlights(text, highlights)
        if not _ITS_A.search(text):
            kind = None
    facts = StatedFacts(
        address=address,
        property_type=kind,
        highlights=highlights,
        rental=rental or price.per_period,
        **out,
    )
    return FactsReading(facts=facts, unclear=unclear)


def extract_facts(text: str) -> ExtractedFacts:
    """The listing facts, style and length a message states; nothing is guessed."""
    rest = MessageText(text)
    style_match = rest.take(_STYLE)
    style = None
    if style_match is not None:
        style = _STYLE_WORDS[(style_match["w"] or style_match["v"]).lower()]
    length = None
    if (length_match := rest.take(_LENGTH)) is not None:
        length = 60.0 if length_match["min"] else float(length_match["n"])
    return ExtractedFacts(reading=read_listing_text(rest.text), style=style, length_seconds=length)
