"""Listing facts as agents type them: "3bd/2ba", "$585k", "1,850 sq ft", "12 Oak St, Austin TX".

Each pattern consumes the span it matched, so a later pattern never reads the same digits
twice ("1,850 sq ft" is an area, not a price). What is left after the facts, split at commas,
becomes highlights ("new roof", "big backyard") when the message was about the listing.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict

from reelestate.core.styles import Style

_NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
}
_NUM_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b(?=\s*-?\s*(?:bed|bath|br\b|ba\b))")
_HALF = re.compile(
    r"\b(\d+|" + "|".join(_NUMBER_WORDS) + r")\s+(?:and\s+a\s+half|½)\s+(?=bath)", re.IGNORECASE
)
_NOT_CLAUSE = re.compile(r"\bnot\s+\$?\d[\d,.]*\s*(?:k|m)?\b[^,;.]*", re.IGNORECASE)
_STUDIO = re.compile(r"\bstudio\b", re.IGNORECASE)
_BEDS = re.compile(
    r"(?P<n>\d+)\s*-?\s*(?:bd|br|bds|bdrms?|beds?|bedrooms?)\b"
    r"|\bbed(?:room)?s?\s*(?::|=|is|are)\s*(?P<m>\d+)\b",
    re.IGNORECASE,
)
_BATHS = re.compile(
    r"(?P<n>\d+(?:\.\d+)?)\s*-?\s*(?:ba|bth|baths?|bathrooms?)\b"
    r"|\bbath(?:room)?s?\s*(?::|=|is|are)\s*(?P<m>\d+(?:\.\d+)?)\b",
    re.IGNORECASE,
)
_AREA = re.compile(
    r"(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<k>k)?\s*"
    r"(?:sq\.?\s*f(?:ee)?t\.?|sqft|sq\.?\s*feet|square\s*f(?:ee|oo)t|sf\b|ft2|ft²)",
    re.IGNORECASE,
)
_PRICE_UNIT = r"(?:k|m|mm|million|thousand)"
_PRICES = (
    re.compile(rf"\$\s*(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<u>{_PRICE_UNIT})?\b", re.IGNORECASE),
    re.compile(
        r"\b(?:price[d]?|asking|listed|list\s+price|offered|sells?\s+for)\s*"
        rf"(?:is|at|of|for|:|=)?\s*(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<u>{_PRICE_UNIT})?\b",
        re.IGNORECASE,
    ),
    re.compile(
        r"\b(?P<n>\d{2,}[\d,]*(?:\.\d+)?)\s*(?P<u>k|thousand)\b(?!\s*(?:sq|square))"
        r"|\b(?P<m>\d+(?:\.\d+)?)\s*(?P<v>m|mm|million)\b(?!\s*(?:sq|square))",
        re.IGNORECASE,
    ),
    re.compile(r"\b(?P<n>\d{1,3}(?:,\d{3}){1,2})\b(?P<u>)"),
)
_STREET_TYPES = (
    r"St|Street|Ave|Avenue|Rd|Road|Dr|Drive|Ln|Lane|Blvd|Boulevard|Ct|Court|Way|Pl|Place|"
    r"Ter|Terrace|Cir|Circle|Pkwy|Parkway|Hwy|Highway|Trl|Trail|Loop|Row|Sq|Square"
)
_STREET = re.compile(
    rf"\b(?P<street>\d{{1,6}}[A-Za-z]?\s+(?:[A-Za-z0-9'.\-]+\s+){{0,4}}?(?:{_STREET_TYPES})\b\.?"
    r"(?:\s*(?:,\s*)?(?:Apt|Unit|Suite|#)\s*[\w\-]+)?)"
    r"(?:\s*,\s*(?P<city>[A-Za-z][A-Za-z .'\-]{1,60}?)"
    r"(?:\s*,?\s+(?P<state>[A-Z]{2}))?(?:\s+(?P<zip>\d{5})(?:-\d{4})?)?)?"
    r"(?=\s*(?:,|;|\.|\n|$))",
)
_IN_CITY = re.compile(
    r"\bin\s+(?P<city>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})(?:,?\s+(?P<state>[A-Z]{2}))?\b"
)
_ZIP = re.compile(r"\bzip(?:\s*code)?\s*(?::|is)?\s*(?P<zip>\d{5})\b", re.IGNORECASE)
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
_HIGHLIGHT_LEAD = re.compile(
    r"\b(?:features?|featuring|highlights?|with|has|includes?|including|plus)\b\s*:?\s*",
    re.IGNORECASE,
)
_EXPLICIT_LEAD = re.compile(r"\b(?:features?|featuring|highlights?|amenities)\b\s*:?\s*", re.I)
_FILLER = re.compile(
    r"^(?:hi|hello|hey|thanks|thank you|please|ok|okay|yes|no|sure|here|and|the|a|an|"
    r"here are the photos|it is|it's|this is|listing|house|home|property|for sale|"
    r"the house|the property|the listing|we have|i have)$",
    re.IGNORECASE,
)
_COMMANDY = re.compile(
    r"\b(?:actually|sorry|oops|correction|meant|wait|price|address|bed|beds|bath|baths|zip|city|"
    r"video|photo|photos|picture|storyboard|render|approve|music|voice|caption|scene|"
    r"make it|seconds?|undo|swap|move|remove|version|square|vertical|landscape)\b",
    re.IGNORECASE,
)
MAX_HIGHLIGHT_WORDS = 8


class ExtractedFacts(BaseModel):
    """What one message says about the listing; empty fields were not mentioned."""

    model_config = ConfigDict(frozen=True)

    updates: dict[str, Any] = {}
    highlights: tuple[str, ...] = ()
    style: Style | None = None
    length_seconds: float | None = None

    @property
    def any_fact(self) -> bool:
        return bool(self.updates or self.highlights)

    @property
    def empty(self) -> bool:
        return not (self.any_fact or self.style or self.length_seconds)


def _money(number: str, unit: str | None) -> int:
    amount = float(number.replace(",", ""))
    match (unit or "").lower():
        case "k" | "thousand":
            amount *= 1_000
        case "m" | "mm" | "million":
            amount *= 1_000_000
    return round(amount)


class _Text:
    """The message with consumed spans blanked, so patterns never share digits."""

    def __init__(self, text: str) -> None:
        self.text = text

    def take(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        match = pattern.search(self.text)
        if match is not None:
            start, end = match.span()
            self.text = self.text[:start] + " ; " + self.text[end:]
        return match

    def take_all(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        found = []
        while (match := self.take(pattern)) is not None:
            found.append(match)
        return found


def _street_facts(rest: _Text, updates: dict[str, Any]) -> None:
    street = rest.take(_STREET)
    if street is not None:
        updates["address"] = " ".join(street["street"].split()).rstrip(",")
        if street["city"]:
            city = " ".join(street["city"].split())
            updates["city"] = f"{city}, {street['state']}" if street["state"] else city
        if street["zip"]:
            updates["zip_code"] = street["zip"]
    elif (
        address := re.search(r"\baddress\s*(?:is|:)\s*(?P<a>[^,;\n]+)", rest.text, re.I)
    ) is not None:
        updates["address"] = address["a"].strip()
        rest.take(re.compile(re.escape(address.group(0))))
    if "city" not in updates and (place := rest.take(_IN_CITY)) is not None:
        updates["city"] = f"{place['city']}, {place['state']}" if place["state"] else place["city"]
    if (zip_code := rest.take(_ZIP)) is not None:
        updates["zip_code"] = zip_code["zip"]


def _numbers(rest: _Text, updates: dict[str, Any]) -> None:
    if (area := rest.take(_AREA)) is not None:
        value = float(area["n"].replace(",", "")) * (1000 if area["k"] else 1)
        updates["area_sqft"] = round(value)
    beds = rest.take(_BEDS)
    if beds is not None:
        updates["beds"] = int(beds["n"] or beds["m"])
    elif rest.take(_STUDIO) is not None:
        updates["beds"] = 0
    if (baths := rest.take(_BATHS)) is not None:
        updates["baths"] = float(baths["n"] or baths["m"])
    for pattern in _PRICES:
        if (price := rest.take(pattern)) is not None:
            groups = price.groupdict()
            number, unit = (
                (groups.get("m"), groups.get("v"))
                if groups.get("m")
                else (groups["n"], groups["u"])
            )
            updates["price"] = _money(number or "0", unit)
            break


def _leftover_highlights(text: str, *, listing_message: bool) -> list[str]:
    """Comma-separated phrases no fact pattern used, in a message about the listing."""
    lead = _EXPLICIT_LEAD.search(text)
    if not listing_message:
        if lead is None:
            return []
        text = text[lead.end() :]
    items: list[str] = []
    for part in re.split(r"[,;\n]|\band\b|\.(?:\s|$)", text):
        words = " ".join(part.split()).strip(" .!-:")
        words = (
            _HIGHLIGHT_LEAD.sub("", words, count=1).strip()
            if _HIGHLIGHT_LEAD.match(words)
            else words
        )
        if not words or _FILLER.match(words) or _COMMANDY.search(words):
            continue
        words = re.sub(r"^(?:a|an|the)\s+", "", words, flags=re.IGNORECASE)
        if re.search(r"[A-Za-z]{3}", words) and len(words.split()) <= MAX_HIGHLIGHT_WORDS:
            items.append(words)
    return items


def extract_facts(text: str) -> ExtractedFacts:
    """The listing facts, style and length a message states; nothing is guessed."""
    prepared = _HALF.sub(lambda m: f"{_NUMBER_WORDS.get(m.group(1).lower(), m.group(1))}.5 ", text)
    prepared = _NUM_WORD.sub(lambda m: _NUMBER_WORDS[m.group(1).lower()], prepared)
    prepared = _NOT_CLAUSE.sub(" ; ", prepared)
    rest = _Text(prepared)
    updates: dict[str, Any] = {}
    style_match = rest.take(_STYLE)
    style = None
    if style_match is not None:
        style = _STYLE_WORDS[(style_match["w"] or style_match["v"]).lower()]
    length = None
    if (length_match := rest.take(_LENGTH)) is not None:
        length = 60.0 if length_match["min"] else float(length_match["n"])
    _numbers(rest, updates)
    _street_facts(rest, updates)
    highlights = _leftover_highlights(rest.text, listing_message=bool(updates))
    return ExtractedFacts(
        updates=updates, highlights=tuple(highlights), style=style, length_seconds=length
    )
