"""The address as agents write it: "77 Birch Ln Unit 4, Medford OR 97501", "#12F", "PH-A".

Street number, street name ending in a street word (or a numbered road: "County Road 12"),
an optional unit, then city, state or province and the zip or postal code, with or without
commas. A message that only says "in Austin" gives the city; "unit 6" or "the unit number is
704" alone corrects the unit.
"""

from __future__ import annotations

import re

from reelestate.agent.rules.listing_text import MessageText
from reelestate.tools.listing_facts import StatedAddress

_ABBREVIATIONS = (
    "St|Ave|Av|Rd|Dr|Ln|Blvd|Ct|Pl|Ter|Cir|Pkwy|Hwy|Trl|Sq|Street|Avenue|Road|Drive|Lane|Way"
)
_NAMES = (
    "Boulevard|Court|Place|Terrace|Circle|Parkway|Highway|Trail|Loop|Row|Square|Run|Path|Crest|"
    "Point|Pointe|Bend|Hollow|Green|Commons|Center|Centre|Trafficway|Pike|Alley|Walk|Crossing|"
    "Ridge|Cove|Landing|Close|Mews|Heights|Grove|View|Park|Glen|Knoll|Hill|Chase|Pass|Trace|Vale|"
    "Meadow|Meadows|Manor|Gate|Harbor|Cv|Pt|Xing|Bluff|Bluffs|Branch|Canyon|Causeway|Cliffs|"
    "Crescent|Cres|Dale|Estates|Expressway|Expy|Gardens|Gdns|Glade|Haven|Hts|Isle|Junction|"
    "Overlook|Oval|Plaza|Plz|Ramble|Shoals|Spur|Summit|Turnpike|Tpke|Wynd|Bypass|Rdg|Terr"
)
_STREET_WORDS = "|".join(
    [*{v for w in _ABBREVIATIONS.split("|") for v in (w, w.upper(), w.lower())}]
    + [v for w in _NAMES.split("|") for v in (w, w.upper())]
)
_STATES = (
    "AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|"
    "NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|PR|"
    "AB|BC|MB|NB|NL|NS|ON|PE|QC|SK|NSW|VIC|QLD|TAS|ACT"
)
_STATE_NAMES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA",
    "colorado": "CO", "connecticut": "CT", "delaware": "DE", "florida": "FL", "georgia": "GA",
    "hawaii": "HI", "idaho": "ID", "illinois": "IL", "indiana": "IN", "iowa": "IA",
    "kansas": "KS", "kentucky": "KY", "louisiana": "LA", "maine": "ME", "maryland": "MD",
    "massachusetts": "MA", "michigan": "MI", "minnesota": "MN", "mississippi": "MS",
    "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY",
    "north carolina": "NC", "north dakota": "ND", "ohio": "OH", "oklahoma": "OK",
    "oregon": "OR", "pennsylvania": "PA", "rhode island": "RI", "south carolina": "SC",
    "south dakota": "SD", "tennessee": "TN", "texas": "TX", "utah": "UT", "vermont": "VT",
    "virginia": "VA", "washington": "WA", "west virginia": "WV", "wisconsin": "WI",
    "wyoming": "WY",
}  # fmt: skip
_STATE = r"(?:" + _STATES + "|" + "|".join(n.title() for n in _STATE_NAMES) + r")"
_WORD = r"(?:[A-Z][\w'’.\-]*|\d+(?:st|nd|rd|th))"
_UNIT = (
    r"(?:,?\s*(?i:unit|apt\.?|apartment|suite|ste\.?|#)\s*#?\s*(?P<unit>[\w\-]{1,8})"
    r"|\s+(?P<ph>PH-?[\w]{1,4}))"
)
_STREET = re.compile(
    r"(?<![\w$#,.])(?P<street>\d{1,6}[A-Za-z]?\s+"
    r"(?:(?:[NSEW]|North|South|East|West|NE|NW|SE|SW)\.?\s+)?"
    r"(?:(?:(?:County|State|Farm|Ranch|US)\s+)?(?:Road|Rd|Route|Rte|Highway|Hwy)\s+\d+[A-Z]?\b"
    r"|(?:FM|RM|CR|SR|RR|US)[\s-]?\d+[A-Z]?\b"
    rf"|(?:{_WORD}\s+){{1,3}}(?:Vista|Vw)\b(?!\s+(?i:del|de|la)\b|\s+(?:{_STREET_WORDS})\b)"
    rf"|(?:{_WORD}\s+){{0,3}}(?:{_STREET_WORDS})\b\.?"
    r"|(?:Rue|Via|Calle|Camino|Vista|Paseo|Avenida|Corte)\s+[A-Z][\w'’\-]*"
    r"(?:\s+(?:[A-Z][\w'’\-]*|del|de|la|las|los|du|des)){0,3}?"
    r"(?=\s*(?:,|\s(?i:unit|apt|#))))"
    r"(?:\s+(?:NE|NW|SE|SW|N|S|E|W)\b)?"
    r"(?:\s+(?:Lot|Space|Site)\s+#?\d{1,4}[A-Z]?\b(?!\s*(?i:acres?|ac\b|sq|sf\b)))?)"
    rf"(?:{_UNIT})?",
)
_CITY_WORD = r"(?:[A-Z][\w'’.\-]*|d['’][A-Z][\w'’.\-]*|de|del|la|le|du|des)"
_SEP_CITY = rf"^\s*(?:,|\s-\s|\s)\s*(?P<city>(?:{_CITY_WORD}\s+){{0,3}}?{_CITY_WORD})"
_ZIP = r"(?P<zip>\d{5}(?:-\d{4})?|[A-Z]\d[A-Z]\s?\d[A-Z]\d|\d{4})\b"
_PLACES = (
    re.compile(rf"{_SEP_CITY}\s*,?\s+(?P<state>{_STATE})\b\.?(?:\s*,?\s*{_ZIP})?"),
    re.compile(rf"{_SEP_CITY}\s*,?\s*{_ZIP}"),
    re.compile(
        r"^\s*,\s*(?P<city>(?:[A-Z][\w'’.\-]*\s+){0,3}?[A-Z][\w'’.\-]*)(?=\s*(?:[,.;!\n]|$))"
    ),
)
_IN_CITY = re.compile(
    r"\b(?:in|listed\s+in)\s+(?P<city>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2})"
    rf"(?:,?\s+(?P<state>{_STATE})\b)?(?!\s+\d)"
)
_UNIT_ONLY = re.compile(
    r"\b(?:unit|apt|apartment|suite)\b(?:\s+number)?\s*(?:is|#|:)?\s*#?\s*(?P<unit>\d+[A-Z]?|[A-Z])\b"
    r"(?:\s+at\b)?",
    re.IGNORECASE,
)
_NOT_CITY = re.compile(
    r"^(?:Unit|Apt|Suite|Priced?|Asking|Listed|Offered|Built|Year|Lot|Open|Just|Price|"
    r"Call|Beds?\s*:|Baths?\s*:|Sq|And|With|The|Features?|Highlights?)\b",
    re.IGNORECASE,
)


_UNIT_BEFORE = re.compile(
    r"(?<!\w)(?:(?i:suite|ste\.?|unit|apt\.?|apartment|penthouse)\s*#?\s*|#\s*)"
    r"(?P<unit>[A-Z0-9][\w-]{0,5})\s*[-–—,:]?\s*$"
    r"|(?<![\w-])(?P<first>\d{1,5})-$"
)
"""A unit written before the street: 'Suite 1205 - 88 Harbour St', 'Apt 4F, 245 W 107th St',
Canadian '1205-88 Harbour St'; '312-314 Maple St' (a higher number) is a range of numbers."""


def _city(place: re.Match[str]) -> bool:
    """Whether the words after the street are a city; "The Woodlands TX 77382" is one only
    with its state and zip."""
    if not _NOT_CITY.match(place["city"]):
        return True
    groups = place.groupdict()
    return place["city"].startswith("The ") and bool(groups.get("state") and groups.get("zip"))


def _unit_before(
    rest: MessageText, start: int, line: str, *, numbered: bool
) -> tuple[str | None, str]:
    """The unit written before the street, if any, and the street line: a number range
    ('312-314 Maple St') or a Queens number ('35-20 80th St' with its unit after) is kept."""
    before = rest.text[max(0, start - 24) : start]
    match = _UNIT_BEFORE.search(before)
    if match is None or re.search(r"(?i:mls)\W*$", before[: match.start()]):
        return None, line
    if match["unit"]:
        if numbered:
            return None, line
        rest.blank(start - len(before) + match.start(), start)
        return match["unit"], line
    first, number = match["first"], line.split(maxsplit=1)[0]
    rest.blank(start - len(before) + match.start(), start)
    if numbered or (number.isdigit() and len(first) == len(number) and int(first) < int(number)):
        return None, f"{first}-{line}"
    return first, line


def _state(text: str | None) -> str | None:
    if not text:
        return None
    return _STATE_NAMES.get(text.lower(), text.upper() if len(text) <= 3 else text)


def read_address(rest: MessageText) -> StatedAddress | None:
    street = rest.take(_STREET)
    unit = None
    if street is None:
        only = rest.take(_UNIT_ONLY)
        if only is not None:
            unit = only["unit"]
        place = rest.take(_IN_CITY)
        if place is None:
            return StatedAddress(unit=unit) if unit else None
        return StatedAddress(unit=unit, city=place["city"], state=_state(place["state"]))
    line = " ".join(street["street"].split()).rstrip(",")
    unit = street["unit"] or street["ph"]
    end = street.start() + 3  # where the blanked street (" ; ") ends
    tail = rest.text[end:]
    city = state = zip_code = None
    for pattern in _PLACES:
        place = pattern.match(tail)
        if place is not None and _city(place):
            groups = place.groupdict()
            city, state, zip_code = place["city"], _state(groups.get("state")), groups.get("zip")
            rest.blank(end + place.start("city"), end + place.end())
            break
    before, line = _unit_before(rest, street.start(), line, numbered=unit is not None)
    unit = unit or before
    if unit is None and (only := rest.take(_UNIT_ONLY)) is not None:
        unit = only["unit"]
    return StatedAddress(street=line, unit=unit, city=city, state=state, zip_code=zip_code)
