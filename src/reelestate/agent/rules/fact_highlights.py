"""Highlights: what is left of a message once every fact was taken, kept only when a buyer would
see it ("renovated kitchen", "pool", "two-car garage"), in the agent's own words.

Words about the sale ("just listed", "asking", "motivated seller", "won't last", "open
house Sunday"), places already in the address, bare counts and puffery alone ("stunning") are
never highlights. A clause the agent asked and took back ("walk to downtown? skip that") is
dropped with the take-back.
"""

from __future__ import annotations

import re

from reelestate.prompts.features import FEATURE_TERMS, ROOM_TERMS
from reelestate.prompts.property_things import PROPERTY_THINGS

_I = re.IGNORECASE
MAX_HIGHLIGHT_WORDS = 8
_SPLIT = re.compile(
    r"[,;\n|•·+]|\sn\s|(?<=\w)(?<!\bMt)(?<!\bSt)(?<!\bFt)(?<!\bapprox)[.!?]+(?=\s|$)"
    r"|\s[-–—/]\s|\s-(?=\s)|\(|\)|\band\b|&|\bwith\b",
    _I,
)
_QUESTION = re.compile(r"[^,;\n.!?]*\?(?:\s*(?:no|nope|skip\s+that)\b)?", _I)
_NEW_THING = re.compile(
    r"(?<=[a-z])(?<!\bis)(?<!\bare)(?<!\bwas)(?<!\ball)(?<!\bbrand)(?<!\bgut)(?<!\bfully)"
    r"(?<!\bnewly)(?<!\brecently)(?<!\bcompletely)\s+(?=(?:new|updated|renovated|remodeled)\s+\w)",
    _I,
)
_GARAGE_AFTER = re.compile(
    r"^\s*(?P<a>\S+\s+\S+.*?)\s+(?P<b>\d+(?:[\s-]*car\s+garage|\s+(?:\w+\s+)?(?:parking\s+)?"
    r"(?:spaces?|stalls?|spots?))\b.*)$",
    _I,
)
"""'rooftop patio 1 car garage' typed without a comma is two features."""
_DESCRIPTOR = re.compile(r"\b(?:home|residence|estate|property|living)$", _I)
_DANGLING = re.compile(
    r"\b(?:this|that|a|an|the|of|from|at|with|for|to|in|on|by|is|offering|featuring|boasting|"
    r"showcasing|across)$",
    _I,
)
_PLACE = re.compile(r"^\s*(?:in|of)\s+[A-Z][a-z]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "the",
        "on",
        "in",
        "at",
        "of",
        "for",
        "to",
        "from",
        "by",
        "is",
        "are",
        "it",
        "its",
        "this",
        "that",
        "sits",
        "around",
        "about",
        "approx",
        "approximately",
        "new",
        "total",
        "each",
        "unit",
        "units",
        "living",
        "just",
        "very",
        "across",
    ]
)
_LEAD = re.compile(
    r"^(?:(?:also|plus|oh|and|it|this|that|the\s+(?:house|home|property|unit)|there'?s|"
    r"it'?s|its|has|have|had|features?|featuring|highlights?|boasts?|offers?|includes?|"
    r"including|amenities|add(?:\s+a\s+highlight)?|say|new\s+listing\s+for\s+you|w/?|n|"
    r"a|an|the|some|lots\s+of|located\s+at|at|on|across|offering|boasting|showcasing)\b"
    r"\s*:?\s*)+",
    _I,
)
_PUFFERY = re.compile(
    r"^(?:(?:stunning|gorgeous|beautiful(?:ly)?|charming|adorable|cute|sweet|little|lovely|"
    r"amazing|spacious|exquisite|elegant|sprawling|immaculate|incredible|fabulous|perfect|"
    r"wonderful|dream|luxury|luxurious|exceptional|historic|cozy|modern|brand|classic|bright|"
    r"great)\b\s*)+",
    _I,
)
_SALE = re.compile(
    r"\b(?:just\s+listed|new(?:ly)?\s+list(?:ed|ing)|listing|listed|list\s+price|asking|"
    r"price[ds]?|pricing|reduced|reduction|improvement|motivated|seller|won'?t\s+last|"
    r"priced\s+to\s+sell|open\s+house|showings?|offers?|best\s+offer|cash|as[\s-]is|"
    r"negotiable|firm|mls|agent|call|text\s+me|contact|for\s+sale|on\s+the\s+market|"
    r"fixer|opportunity|don'?t\s+miss|welcome\s+home|hurry|sold|buyers?|investors?|"
    r"video|reel|photos?|please|thanks?|hi|hello|hey|new\s+construction|build\s+your|"
    r"country\s+living|new\s+to\s+(?:the\s+)?market|at\s+its\s+finest|rare\s+find|thx|"
    r"forgot|btw|(?<!no\s)hoa|tax(?:es)?|fees?|^available|available\s+(?:now|immediately|"
    r"(?:on\s+)?\w+\s+\d)|skip\s+that|sorry|english|"
    r"typo|correction|actually|oops|wait|lot\s+size|year\s+built|address|sq\s*ft|"
    r"units?\s+total|quick\s+one|can\s+you|make\s+a|wats|ur|best|quick\s+close|closing|"
    r"last\s+(?:spring|summer|fall|winter|year|month|week))\b",
    _I,
)
_ONLY_COUNT = re.compile(r"^\d+\s+units?\b|^(?:total|on|in|at|for|of|from|to|now|was)$", _I)
_FILLER = re.compile(
    r"^(?:here(?:\s+are\s+the\s+photos)?|ok(?:ay)?|yes|no|sure|it\s+is|this\s+is|house|home|"
    r"property|residence|estate|the\s+listing|we\s+have|i\s+have|need|no\s+sorry|"
    r"walk|sits\s+on|located|total|living|approx|each|each\s+side|unit|in|on|beds?|baths?|"
    r"apt|updated|renovated|remodeled|bright|"
    r"(?:gut|fully|completely|totally|newly|beautifully|recently)\s+(?:renovated|updated|remodeled))$",
    _I,
)


_EXPLICIT = re.compile(
    r"\b(?:features?|featuring|highlights?|amenities|add(?:\s+a\s+highlight)?|also|plus|"
    r"(?:it|the\s+(?:house|home|property|place|unit|condo|listing))\s+(?:has|includes?)|"
    r"there'?s|there\s+is|oh\s+and)\b",
    _I,
)
_FEATURE_WORD = re.compile(
    r"\b(?:"
    + "|".join(
        re.escape(term)
        for terms in (*FEATURE_TERMS.values(), *ROOM_TERMS.values())
        for term in terms
    )
    + r"|roof|furnace|hvac|windows?|paint|carpet|floors?|flooring|siding|water\s+heater|shed|"
    r"barn|workshop|shop|fence[d]?|appliances|counters?|cabinets|sunroom|porch|lanai)\b",
    _I,
)


_REQUEST = re.compile(
    r"\b(?:swap|put|move|remove|delete|replace|change|caption|scenes?|photos?|video|music|voice|"
    r"slower|faster|shorter|longer|undo|approve|render|version|first|last)\b",
    _I,
)


_FEATURE_PHRASES = frozenset(term for terms in FEATURE_TERMS.values() for term in terms)


def standalone_highlights(text: str, items: list[str]) -> list[str]:
    """Highlights from a message that states no other fact: kept when it says it adds them
    ("also: new roof") or when every phrase names a feature ("new furnace and a finished
    attic"), so "hello there" or "swap the first two" never become highlights."""
    if _REQUEST.search(text):
        return []
    if _EXPLICIT.search(text) or all(_FEATURE_WORD.search(item) for item in items):
        return items
    return []


_THING = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in PROPERTY_THINGS) + r")(?:s|es)?\b", _I
)
_LISTED = re.compile(
    r"\b(?:features?|featuring|highlights?|amenities|add(?:\s+highlights?)?|also|plus)\s*:", _I
)


def _clean(part: str) -> str:
    words = " ".join(part.split()).strip(" .!:-–—'\"")
    for _ in range(3):
        words = _LEAD.sub("", words).strip(" .!:-")
        words = _PUFFERY.sub("", words).strip(" .!:-")
    return words


def read_highlights(text: str) -> list[str]:
    """Feature phrases in what no fact reader took, in the order the agent wrote them."""
    text = _QUESTION.sub(" ; ", text)
    listed = _LISTED.search(text)
    items: list[str] = []
    if listed is not None:
        items += _phrases(text[listed.end() :], listed=True)
        text = text[: listed.start()]
    return _unique(_phrases(text, listed=False) + items)


def _unique(items: list[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if not any(item.lower() == known.lower() for known in out):
            out.append(item)
    return out


def _phrases(text: str, *, listed: bool) -> list[str]:
    """Feature phrases of `text`; phrases the agent did not list must name a property thing."""
    items: list[str] = []
    for part in _SPLIT.split(text):
        if _PLACE.match(part):
            continue
        garage = _GARAGE_AFTER.match(part)
        pieces = [garage["a"], garage["b"]] if garage else _NEW_THING.split(part)
        for piece in pieces:
            words = _clean(piece)
            if _feature(words) and (listed or _THING.search(words) or _FEATURE_WORD.search(words)):
                items.append(words)
    return items


def is_feature(phrase: str) -> bool:
    """Whether a highlight another reader proposed is a feature and not sale talk or filler."""
    return _feature(_clean(phrase))


def _feature(words: str) -> bool:
    """Whether a cleaned phrase names something a buyer would see."""
    if not words or not re.search(r"[A-Za-z]{3}", words):
        return False
    if _SALE.search(words) or _ONLY_COUNT.search(words) or _FILLER.match(words):
        return False
    if _DESCRIPTOR.search(words) and words.lower() not in _FEATURE_PHRASES:
        return False
    if _DANGLING.search(words):
        return False
    if all(w.lower() in _STOP for w in re.findall(r"[\w'-]+", words)):
        return False
    return len(words.split()) <= MAX_HIGHLIGHT_WORDS
