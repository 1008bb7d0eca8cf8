"""Highlights: what is left of a message once every fact was taken, kept only when a buyer would
see it ("renovated kitchen", "pool", "two-car garage"), in the agent's own words.

Words about the sale ("just listed", "asking", "motivated seller", "won't last", "open
house Sunday"), places already in the address, bare counts and puffery alone ("stunning") are
never highlights. A clause the agent asked and took back ("walk to downtown? skip that") is
dropped with the take-back.
"""

from __future__ import annotations

import re

from reelestate.agent.rules.highlight_talk import not_a_feature, noun_phrase
from reelestate.prompts.features import FEATURE_TERMS, ROOM_TERMS
from reelestate.prompts.property_things import PROPERTY_THINGS

_I = re.IGNORECASE
MAX_HIGHLIGHT_WORDS = 8
_SPLIT = re.compile(
    r"[,;\n|•·]|(?<!\d)\+|\sn\s"
    r"|(?<=\w)(?<!\bMt)(?<!\bSt)(?<!\bFt)(?<!\bapprox)(?<!\bEst)(?<!\bappx)[.!?]+(?=\s|$)"
    r"|\s[-–—/]\s|\s-(?=\s)|\(|\)|\band\b|\bbut\b|&|(?:\bwith\b|\bw/)(?!\s*(?:its|their|own)\b)"
    r"(?!\s*[\w'-]+\s*(?:[,;.!\n]|$))",
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
    r"^(?:(?:also|plus|oh|and|with|it(?!['’])|this|that|the\s+(?:house|home|property|unit)|there'?s|"
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
_FIELD_VALUE = re.compile(r"\b[a-z]+\s*[:=]\s*[$\d]", _I)
"""'beds: 9999': a fact's label and a value no fact reader took, never a feature."""
_ONLY_COUNT = re.compile(
    r"^\d+\s+units?\b|^lot\s*#?\s*\d+[a-z]?$|^(?:total|on|in|at|for|of|from|to|now|was)$", _I
)
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
    if _EXPLICIT.search(text) or all(
        _THING.search(item) or _FEATURE_WORD.search(item) for item in items
    ):
        return items
    return []


_THING = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in PROPERTY_THINGS) + r")(?:s|es)?\b", _I
)
_LISTED = re.compile(
    r"\b(?:features?|featuring|highlights?|amenities|add(?:\s+highlights?)?|also|plus|"
    r"updates|upgrades|extras|interior|exterior|outside|inside)\s*:",
    _I,
)
_LABEL = re.compile(
    r"^(?:(?:agent|public|private)\s+)?(?:remarks|description|details|property|notes)\s*:\s*", _I
)
_EDGE_SYMBOLS = re.compile(r"^[^\w$±'\"]+|[^\w)'’%+]+$")
"""Emoji, bullets and arrows around a pasted feature ("✅ Mudroom", "🏊 pool")."""


def _clean(part: str) -> str:
    words = _EDGE_SYMBOLS.sub("", " ".join(part.split())).strip(" .!:-–—'\"")
    words = _WHEN.sub("", _LABEL.sub("", words))
    for _ in range(3):
        words = _LEAD.sub("", words).strip(" .!:-")
        words = _PUFFERY.sub("", words).strip(" .!:-")
    return words


_HASHTAG = re.compile(r"(?<!\w)#[A-Za-z]\w*")
"""'#justlisted #dreamhome': tags for the feed, never a feature."""
_WHEN = re.compile(
    r"\s*\b(?:(?:last|this|next)\s+(?:spring|summer|fall|autumn|winter|year|month|week)|"
    r"in\s+(?:19|20)\d\d)\s*$",
    _I,
)
"""'new deck last summer': when a feature was done is not part of it."""
_NAMED_PLACE = re.compile(r"^(?:the\s+)?[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*\s+at\s+[A-Z]")
"""'The Residences at Harbor Point': the name of a building or community."""


def read_highlights(text: str) -> list[str]:
    """Feature phrases in what no fact reader took, in the order the agent wrote them."""
    text = _HASHTAG.sub(" ; ", _QUESTION.sub(" ; ", text))
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


def _segments(text: str) -> list[tuple[str, bool]]:
    """The pieces between separators, each with whether a comma came right before it."""
    pieces: list[tuple[str, bool]] = []
    start, after_comma = 0, False
    for separator in _SPLIT.finditer(text):
        pieces.append((text[start : separator.start()], after_comma))
        start, after_comma = separator.end(), separator.group(0) == ","
    pieces.append((text[start:], after_comma))
    return pieces


_TITLE_WORD = re.compile(r"^[A-Z][a-z'’.-]+$")


def _title_case(piece: str) -> bool:
    words = [w for w in re.findall(r"[\w'’.-]+", piece) if w.lower() not in _STOP]
    return bool(words) and all(_TITLE_WORD.match(w) for w in words)


def _phrases(text: str, *, listed: bool) -> list[str]:
    """Feature phrases of `text`. A phrase the agent did not list is kept when it names a
    property thing or, for a thing the vocabulary lacks, reads as a noun phrase; a
    capitalised phrase after a comma in lower-case prose is a name (a place), not a thing."""
    segments = _segments(text)
    named = [
        p.strip() for p, comma in segments if comma and _THING.search(p) and _feature(_clean(p))
    ]
    title_style = sum(p[0].isupper() for p in named) * 2 >= len(named) > 0
    items: list[str] = []
    for part, comma in segments:
        if _PLACE.match(part):
            continue
        if _NAMED_PLACE.match(part.strip()):
            continue
        name = comma and not title_style and _title_case(part)
        garage = _GARAGE_AFTER.match(part)
        pieces = [garage["a"], garage["b"]] if garage else _NEW_THING.split(part)
        for piece in pieces:
            words = _clean(piece)
            if not _feature(words):
                continue
            if (
                listed
                or _THING.search(words)
                or _FEATURE_WORD.search(words)
                or (noun_phrase(words) and not name)
            ):
                items.append(words)
    return items


def is_feature(phrase: str) -> bool:
    """Whether a highlight another reader proposed is a feature and not sale talk or filler."""
    return _feature(_clean(phrase))


def _feature(words: str) -> bool:
    """Whether a cleaned phrase names something a buyer would see."""
    if not words or not re.search(r"[A-Za-z]{3}", words):
        return False
    if not_a_feature(words) or _ONLY_COUNT.search(words) or _FILLER.match(words):
        return False
    if _FIELD_VALUE.search(words):
        return False
    if _DESCRIPTOR.search(words) and words.lower() not in _FEATURE_PHRASES:
        return False
    if _DANGLING.search(words):
        return False
    if all(w.lower() in _STOP for w in re.findall(r"[\w'-]+", words)):
        return False
    return len(words.split()) <= MAX_HIGHLIGHT_WORDS
