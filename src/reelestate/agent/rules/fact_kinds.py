"""What kind of property it is, and its parking, from the words agents use.

A house style ("ranch", "craftsman", "colonial", "SFH") says house; "townhome" and "row house"
say townhouse; "duplex" to "fourplex" multi-family; "mobile home" manufactured; "vacant lot" or
"raw land" land. The type word is taken out of the text (it is not a highlight); the parking
phrase is left in, because "two-car garage" is also something a buyer sees.
"""

from __future__ import annotations

import re

from reelestate.agent.rules.listing_text import COUNT, MessageText, count_value
from reelestate.tools.listing import Parking, ParkingKind, PropertyType

_I = re.IGNORECASE
_TYPES: tuple[tuple[PropertyType, re.Pattern[str]], ...] = (
    (
        "manufactured",
        re.compile(r"\b(?:mobile|manufactured)\s+home\b|\b(?:double|single)-?wide\b", _I),
    ),
    (
        "multi_family",
        re.compile(r"\b(?:duplex|triplex|fourplex|quadplex|multi-?family|multiplex)\b", _I),
    ),
    ("townhouse", re.compile(r"\btown\s?(?:house|home)s?\b|\brow\s?house\b", _I)),
    (
        "condo",
        re.compile(
            r"\b(?:loft\s+)?(?:condo(?:minium)?|co-op|(?<!chicken\s)(?<!hen\s)coop)s?\b", _I
        ),
    ),
    (
        "apartment",
        re.compile(
            r"(?<!guest\s)(?<!in-law\s)(?<!garage\s)(?<!basement\s)\bapartment\b"
            r"(?!\s+(?:for|building))",
            _I,
        ),
    ),
    (
        "land",
        re.compile(r"\b(?:raw|vacant|bare)\s+(?:land|lot)\b|\bland\s+for\s+sale\b|\bland\b", _I),
    ),
    (
        "house",
        re.compile(
            r"\b(?:single[\s-]family(?:\s+home)?|SFH|SFR|ranch(?:\s+home)?|colonial|"
            r"(?<!open\s)(?<!carriage\s)(?<!pool\s)(?<!guest\s)(?<!boat\s)(?<!coach\s)"
            r"(?<!tree\s)(?<!club\s)(?<!play\s)(?<!green\s)(?<!sugar\s)(?<!bunk\s)"
            r"(?<!hen\s)(?<!smoke\s)(?<!pump\s)(?<!spring\s)(?<!ice\s)(?<!wash\s)"
            r"(?<!summer\s)(?<!school\s)(?<!gate\s)(?<!whole\s)(?<!-)(?<!ware)(?<!bath)house|"
            r"rambler|a-frame|chalet|shotgun|georgian(?:\s+revival)?|federal\s+style|"
            r"prairie\s+style|greek\s+revival|queen\s+anne|"
            r"craftsman|bungalow|cottage|cape(?:\s+cod)?|tudor|victorian|farmhouse|cabin|"
            r"log\s+home|split[\s-]level|two[\s-]story|one[\s-]story)\b",
            _I,
        ),
    ),
)
_DREAM_LOT = re.compile(r"\bbuild\s+your\s+dream\s+home\b", _I)
_DESCRIBED = re.compile(r"(?:(?<![/\w-])(?![a-z]+(?:front|side)\b)[A-Za-z][\w-]*\s+)?$", _I)
"""The word before the kind ("cute bungalow") goes with it, but not a frontage ("lakefront
cabin": lakefront is a feature) nor half of a compound ("ski-in/ski-out condo")."""
_ARCHITECTURE = re.compile(
    r"\b(?:mid-?century(?:\s+modern)?|mediterranean(?:\s+revival)?|contemporary|spanish\s+style|"
    r"art\s+deco|brownstone|flat-roof\s+modern)\b",
    _I,
)
_PARKING: tuple[tuple[ParkingKind, re.Pattern[str]], ...] = (
    (
        "garage",
        re.compile(
            rf"(?<![\d.])\b(?P<n>{COUNT})[\s-]*(?:car|stall|bay)\b(?:\s+\w+){{0,2}}?\s+garage\b"
            r"|\b(?P<d>double|triple)(?:[\s-]+(?:attached|detached|oversized|heated|tandem|car))*"
            r"[\s-]+garage\b"
            rf"|\b(?P<m>{COUNT})\s+garage\s+(?:spaces?|stalls?|bays?)\b"
            r"|\b(?:garage\s+parking(?:\s+(?P<one>space))?|underground\s+parking|garage)\b",
            _I,
        ),
    ),
    (
        "assigned",
        re.compile(
            rf"\b(?P<n>{COUNT})\s+(?:(?:deeded|assigned|reserved|covered|private|tandem)\s+)?"
            r"(?:parking\s+)?(?:spaces?|stalls?|spots?)\b|\b(?:assigned|deeded|reserved)\s+parking\b"
            rf"|\b(?P<m>{COUNT})\s+parking\b(?!\s+(?:lot|garage|pad|area))",
            _I,
        ),
    ),
    (
        "carport",
        re.compile(
            rf"\b(?:(?P<n>{COUNT})[\s-]*car\s+|(?P<d>double|triple)\s+)?carport\b"
            rf"(?:\s+for\s+(?P<m>{COUNT})\b)?"
            r"|\bcovered\s+parking\b",
            _I,
        ),
    ),
    (
        "driveway",
        re.compile(
            rf"\boff[\s-]street\s+parking(?:\s+for\s+(?P<n>{COUNT}))?\b|\bRV\s+(?:parking|pad)\b"
            r"|\bdriveway\s+parking\b",
            _I,
        ),
    ),
    ("street", re.compile(r"\bstreet\s+parking\b", _I)),
)


def read_type(rest: MessageText, *, lot_only: bool) -> PropertyType | None:
    """The first kind named, its word taken out; a lot with no rooms or area is land."""
    rest.take_all(_ARCHITECTURE)
    for kind, pattern in _TYPES:
        match = pattern.search(rest.text)
        if match is None or (kind == "land" and match.group(0).lower() == "land" and not lot_only):
            continue
        for same in reversed(list(pattern.finditer(rest.text))):
            described = _DESCRIBED.search(rest.text[: same.start()])
            start = described.start() if described is not None else same.start()
            rest.blank(start, same.end())
        return kind
    if lot_only:
        rest.take(_DREAM_LOT)
        return "land"
    return None


def read_parking(text: str) -> Parking | None:
    for kind, pattern in _PARKING:
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        counted = [m for m in matches if m.groupdict().get("n") or m.groupdict().get("m")]
        match = (counted or matches)[0]
        groups = match.groupdict()
        number = groups.get("n") or groups.get("m")
        spaces = count_value(number) if number else (1 if groups.get("one") else None)
        if groups.get("d"):
            spaces = 2 if groups["d"].lower() == "double" else 3
        return Parking(kind=kind, spaces=spaces)
    return None
