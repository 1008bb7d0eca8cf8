"""Words asking for a facts card on its own ("make an infographic for Instagram").

A card on its own is a separate short video, not a scene of the listing video ("add a facts
card at the end" is a storyboard change, read in `requests.py`). The platform named decides
the aspect: Instagram's feed is 4:5, reels, stories, TikTok and Shorts are 9:16, YouTube is
16:9, Facebook and LinkedIn posts are square.
"""

from __future__ import annotations

import re

from reelestate.render.spec import Aspect

_CARD = r"(?:info\s*graphics?|facts?\s+cards?|price\s+cards?|stats?\s+cards?)"
_ASK = re.compile(
    rf"\b(?:make|create|render|give\s+me|send(?:\s+me)?|i\s+(?:want|need)|can\s+i\s+get|"
    rf"do|build|generate)\b.*\b{_CARD}\b(?P<rest>.*)$"
    rf"|^\s*(?:an?\s+)?{_CARD}\s+(?:for|on)\b(?P<rest2>.*)$",
    re.IGNORECASE,
)
_PLATFORMS: tuple[tuple[re.Pattern[str], Aspect, str], ...] = (
    (re.compile(r"\b(reels?|stor(?:y|ies)|tik\s*tok|shorts|vertical)\b", re.I), "9:16", "{} 9:16"),
    (re.compile(r"\b(instagram|insta|ig)\b", re.I), "4:5", "the {} feed, 4:5"),
    (re.compile(r"\b(youtube|landscape|wide|website)\b", re.I), "16:9", "{}, 16:9"),
    (re.compile(r"\b(facebook|linked\s*in|square)\b", re.I), "1:1", "{}, square 1:1"),
)
_NAMES = {
    "reel": "Instagram Reels",
    "reels": "Instagram Reels",
    "story": "stories",
    "stories": "stories",
    "ig": "Instagram",
    "insta": "Instagram",
    "tiktok": "TikTok",
    "shorts": "YouTube Shorts",
    "youtube": "YouTube",
    "facebook": "Facebook",
    "linkedin": "LinkedIn",
    "instagram": "Instagram",
}


def infographic_request(text: str) -> tuple[Aspect, str] | None:
    """(aspect, what it is for, in words) when `text` asks for a card video on its own."""
    if re.search(r"\b(add|include|append|insert|put|scene|end\s+with|start\s+with)\b", text, re.I):
        return None  # a card inside the listing video: a storyboard change
    match = _ASK.search(text)
    if match is None:
        return None
    rest = match["rest"] or match["rest2"] or ""
    for pattern, aspect, words in _PLATFORMS:
        found = pattern.search(rest) or pattern.search(text)
        if found is not None:
            key = re.sub(r"\s+", "", found[1].lower())
            return aspect, words.format(_NAMES.get(key, found[1]))
    return "9:16", "vertical 9:16 (reels, stories, TikTok)"
