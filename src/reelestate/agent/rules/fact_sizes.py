"""Rooms, living area, lot and year as agents write them.

"3bd/2ba", "4BR/2.5BA", "3/2" (and "3/2/2" with a two-car garage), "five bedrooms",
"2 full and 1 half baths" (2.5), "studio" (0 beds); "1,650 sq ft", "1650 sf", "150 m²";
a lot kept apart from the living area ("0.25 acre lot", "lot 6,000 sq ft", "on 2 acres");
"built in 1998", "Year Built: 2001", "c. 1890".
"""

from __future__ import annotations

import math
import re
from typing import Any

from reelestate.agent.rules.listing_text import COUNT, MessageText, count_value, decimal
from reelestate.tools.listing import Parking
from reelestate.tools.listing_facts import Unclear

_I = re.IGNORECASE
_NUM = r"(?:\d[\d,]*(?:\.\d+)?|\.\d+)"
_BED_WORD = r"(?:(?:bedrooms?|beds?|bdrms?|bdr|bds|bd|brs|br)\b|🛏\ufe0f?)"
_BATH_WORD = r"(?:(?:bathrooms?|baths?|bth|ba)\b|[🛁🚿]\ufe0f?)"
"""Words for rooms, and the bed and bath emoji of pasted social posts ("3 🛏 2 🛁")."""
_HALF_WORDS = {"half": 0.5, "quarter": 0.25}

_FULL_HALF = re.compile(
    rf"\b(?P<full>{COUNT})\s+full(?:\s+{_BATH_WORD})?\s*(?:,|and|\+|&)?\s*"
    rf"(?P<half>{COUNT})\s+half(?:\s*-?\s*{_BATH_WORD})?",
    _I,
)
_AND_A_HALF = re.compile(
    rf"\b(?P<n>{COUNT})\s+(?:and\s+a\s+half|½)\s*-?\s*{_BATH_WORD}",
    _I,
)
_FRACTIONS = {"1/2": 0.5, "½": 0.5, "3/4": 0.75, "¾": 0.75, "1/4": 0.25, "¼": 0.25}
_FRACTION_BATHS = re.compile(
    rf"\b(?P<n>\d)\s*(?P<f>1/2|3/4|1/4|½|¾|¼)\s*-?\s*{_BATH_WORD}",
    _I,
)
"""'1 3/4 baths': a three-quarter bath (toilet, sink, shower) is a full bath where baths come in
halves, as the listing holds them, and a quarter bath a half one: 1.75 reads as 2, 1.25 as 1.5."""
_PAIR = re.compile(
    rf"\b(?P<beds>{COUNT})\s*-?\s*{_BED_WORD}\s*(?:/|\|)\s*(?P<baths>\d+(?:\.\d{{1,2}})?)\s*-?\s*"
    rf"{_BATH_WORD}",
    _I,
)
_SLASH = re.compile(
    r"(?<![\d/.$])\b(?P<beds>[1-9])\s*/\s*(?P<baths>[1-9](?:\.5|\.75|\.25)?)(?:\s*/\s*(?P<cars>[1-9]))?"
    r"\b(?![\d/]|\s*(?:am|pm)\b)",
    _I,
)
_DATE_CUE = re.compile(
    r"\b(?:open\s+house|showings?|on|sat(?:urday)?|sun(?:day)?|mon(?:day)?|tue(?:sday)?|"
    r"wed(?:nesday)?|thu(?:rsday)?|fri(?:day)?|available|starting|from|until|by|date)\W*$",
    _I,
)
_EACH = re.compile(r"\beach\W*$", _I)
_BEDS = re.compile(
    rf"\b(?P<n>{COUNT})[ \t]*-?[ \t]*{_BED_WORD}"
    rf"|\b(?:bed(?:room)?s?|bd|br)\s*(?::|=|is|are)?\s*(?P<m>\d{{1,2}})\b(?![,.]\d)",
    _I,
)
_BATHS = re.compile(
    rf"(?<![\d.])(?P<n>\d{{1,2}}(?:\.\d{{1,2}})?|{COUNT})[ \t]*-?[ \t]*(?:full\s+)?{_BATH_WORD}"
    rf"|\b(?:bath(?:room)?s?|ba)\s*(?::|=|is|are)?\s*(?P<m>\d{{1,2}}(?:\.\d{{1,2}})?)\b(?![,.]\d)",
    _I,
)
_PER_UNIT = re.compile(
    rf"\b(?:each(?:\s+(?:side|unit))?|per\s+(?:side|unit))\W+{COUNT}[ \t]*-?[ \t]*{_BED_WORD}"
    rf"(?:\W+(?:\d+(?:\.\d)?|{COUNT})[ \t]*-?[ \t]*{_BATH_WORD})?"
    rf"|(?:\b{COUNT}\s+(?:x\s+)?)?\b{COUNT}[ \t]*-?[ \t]*{_BED_WORD}\s*[/,]?\s*"
    rf"(?:\d+(?:\.\d)?|{COUNT})[ \t]*-?[ \t]*{_BATH_WORD}\s+(?:each|units|apartments)\b",
    _I,
)
"""'each side 2 bed 1 bath', '2 bd 1 ba each', 'four 1 bd 1 ba units': one unit, not the listing."""
_POWDER = re.compile(
    rf"\b(?P<full>{COUNT})\s+(?:full\s+)?{_BATH_WORD}\s*(?:,|and|\+|&)?\s*"
    rf"(?P<half>a|an|one|{COUNT})\s+powder\s+rooms?\b",
    _I,
)
"""A powder room is a half bath: 'two full baths and a powder room' is 2.5."""
_STUDIO = re.compile(r"\bstudio\b", _I)
_SQFT = (
    r"(?:sq\.?\s*f(?:ee)?t\.?|sqft|sq\.?\s*feet|square\s*footage|square\s*f(?:ee|oo)t|sf\b|ft2|ft²)"
)
_SQM = r"(?:m²|m2\b|sq\.?\s*m\b|sqm\b|square\s*met(?:er|re)s?)"
_ACRES = r"(?:acres?|ac\b\.?)"
_LOT_NUMBER_FIRST = re.compile(
    rf"(?<![\w.,/])(?P<n>[13]/[24]|{_NUM}|half|quarter|½|¼|¾)[\s-]*(?P<u>{_ACRES}|hectares?|ha\b)"
    r"(?:\s*-?\s*(?:building\s+|corner\s+|wooded\s+)?lot)?"
    rf"|(?<![\w.,])(?P<m>{_NUM})\s*(?P<v>{_SQFT}|{_SQM})\s*-?\s*lot\b",
    _I,
)
_LOT_LABEL = re.compile(
    rf"\blot(?:\s+size)?\s*(?::|is|of)?\s*(?P<n>{_NUM})\s*(?P<u>{_SQFT}|{_SQM}|{_ACRES})",
    _I,
)
_AREA_LABEL = re.compile(
    rf"(?:\b(?:{_SQFT}|living\s+area|heated\s+area)\s*(?::|is|=)"
    rf"|(?:^|(?<=[|•\n]))\s*{_SQFT}\s)\s*(?P<m>{_NUM})(?![\d,.]|\s*(?:{_SQFT}|{_SQM}|{_ACRES}))",
    _I,
)
"""'SqFt: 1,640', 'Sq. Ft.: 1,925', 'SQFT 2,080': the label before the number."""
_LOT_DIMENSIONS = re.compile(
    r"\blot\s*(?::|size)?\s*\d{2,4}\s*[x×]\s*\d{2,4}\b(?:\s*(?:ft|feet|'))?", _I
)
"""'Lot 50x120': a lot named by its sides, which is no area to state."""
_AREA = re.compile(
    rf"(?<![\w.,])(?P<n>{_NUM})[ \t]*(?P<k>k)?[ \t]*"
    r"(?:(?:heated|finished|living|total|conditioned|livable|interior|under\s+(?:air|roof))\s+)?"
    rf"(?P<u>{_SQFT}|{_SQM})"
    rf"|\b(?:sq\.?\s*ft|square\s+feet|living\s+area)\s*(?::|is|=)\s*(?P<m>{_NUM})",
    _I,
)
_YEAR = re.compile(
    r"\b(?:(?:was\s+)?built(?:\s+in)?|year\s+built(?:\s+is)?|yr\.?\s*(?:blt|built)|blt|"
    r"year\s+of\s+construction|constructed(?:\s+in)?|year\s+it\s+was\s+built\s+is|"
    r"c\.|circa|new\s+construction)\s*[:!,]?\s*(?:in\s+)?(?P<y>(?:1[6-9]|20)\d\d)\b",
    _I,
)


def _lot_unit(unit: str) -> str:
    unit = unit.lower()
    if unit.startswith("ac"):
        return "acres"
    if unit.startswith(("hect", "ha")):
        return "hectares"
    return "m²" if re.fullmatch(_SQM, unit, _I) else "sq ft"


def read_lot(rest: MessageText, out: dict[str, Any]) -> bool:
    """The lot size; whether a lot was named at all (by its size or its sides)."""
    match = rest.take(_LOT_LABEL) or rest.take(_LOT_NUMBER_FIRST)
    if match is None:
        return rest.take(_LOT_DIMENSIONS) is not None
    groups = match.groupdict()
    number, unit = (groups["m"], groups["v"]) if groups.get("m") else (groups["n"], groups["u"])
    value = _HALF_WORDS.get(number.lower()) or _FRACTIONS.get(number) or decimal(number)
    if value > 0:
        out["lot_size"] = value
        out["lot_unit"] = _lot_unit(unit)
    return True


def read_area(rest: MessageText, out: dict[str, Any]) -> None:
    """The first living area in a plausible range; a number out of range is left alone."""
    for match in [*rest.find_all(_AREA), *rest.find_all(_AREA_LABEL)]:
        if match["m"]:
            value, unit = decimal(match["m"]), "sq ft"
        else:
            value = decimal(match["n"]) * (1000 if match["k"] else 1)
            unit = "m²" if re.fullmatch(_SQM, match["u"], _I) else "sq ft"
        low, high = (100, 200_000) if unit == "sq ft" else (10, 20_000)
        if low <= value <= high:
            rest.blank(*match.span())
            out["area"], out["area_unit"] = value, unit
            return


def read_year(rest: MessageText, out: dict[str, Any]) -> None:
    if (match := rest.take(_YEAR)) is not None:
        out["year_built"] = int(match["y"])


def _bare_pair(rest: MessageText, out: dict[str, Any], stated: bool) -> Unclear | None:
    """'3/2' is 3 beds 2 baths, unless it reads as a date ("open house 3/2")."""
    for match in rest.find_all(_SLASH):
        before = rest.text[max(0, match.start() - 24) : match.start()]
        if _EACH.search(before):
            rest.blank(*match.span())
            continue
        if _DATE_CUE.search(before):
            if stated:
                continue
            beds, baths = match["beds"], match["baths"]
            return Unclear(
                field="beds",
                question=f'Is "{beds}/{baths}" {beds} bedrooms and {baths} bathrooms, or a '
                "date? Tell me the bedrooms and bathrooms.",
            )
        if stated:
            continue
        rest.blank(*match.span())
        out["beds"], out["baths"] = int(match["beds"]), math.ceil(float(match["baths"]) * 2) / 2
        if match["cars"]:
            out["parking"] = Parking(kind="garage", spaces=int(match["cars"]))
        return None
    return None


def _skip_per_unit_counts(rest: MessageText) -> None:
    """'each side 2 bed 1 bath' in a duplex counts one unit, not the listing: not read."""
    rest.take_all(_PER_UNIT)


def read_rooms(rest: MessageText, out: dict[str, Any]) -> Unclear | None:
    _skip_per_unit_counts(rest)
    if (pair := rest.take(_PAIR)) is not None:
        out["beds"], out["baths"] = count_value(pair["beds"]), float(pair["baths"])
    if (powder := rest.take(_POWDER)) is not None:
        half = powder["half"].lower()
        out["baths"] = count_value(powder["full"]) + 0.5 * (
            1 if half in ("a", "an") else count_value(half)
        )
    elif (fraction := rest.take(_FRACTION_BATHS)) is not None:
        out["baths"] = int(fraction["n"]) + _FRACTIONS[fraction["f"]]
    elif (full_half := rest.take(_FULL_HALF)) is not None:
        out["baths"] = count_value(full_half["full"]) + 0.5 * count_value(full_half["half"])
    elif (half := rest.take(_AND_A_HALF)) is not None:
        out["baths"] = count_value(half["n"]) + 0.5
    if "beds" not in out and (beds := rest.take(_BEDS)) is not None:
        out["beds"] = count_value(beds["n"] or beds["m"])
    if "baths" not in out and (baths := rest.take(_BATHS)) is not None:
        text = baths["n"] or baths["m"]
        out["baths"] = float(text) if re.fullmatch(r"[\d.]+", text) else count_value(text)
    if "baths" in out:
        out["baths"] = math.ceil(out["baths"] * 2) / 2
    unclear = _bare_pair(rest, out, stated="beds" in out or "baths" in out)
    if "beds" not in out and unclear is None and (studio := rest.find_all(_STUDIO)):
        out["beds"] = 0
        rest.blank(*studio[0].span())
    return unclear
