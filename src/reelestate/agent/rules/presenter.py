"""Words about the talking presenter: its photo, adding it to the video, taking it off."""

from __future__ import annotations

import re

_PHOTO = re.compile(
    r"\b(presenter|avatar|head\s*shot|headshot)\b.*\b(photo|picture|pic|image|face)\b"
    r"|\b(photo|picture|pic|image|face)\b.*\b(presenter|avatar)\b"
    r"|\bheadshot\b",
    re.IGNORECASE,
)
_REMOVE = re.compile(
    r"\b(remove|drop|delete|take\s+(out|off|away)|no|without|hide)\b.*\b(presenter|avatar)\b"
    r"|\b(presenter|avatar)\b.*\b(off|out|away)\b",
    re.IGNORECASE,
)
_ADD = re.compile(
    r"\b(add|put|show|use|want|include)\b.*\b(presenter|avatar|talking\s+head)\b",
    re.IGNORECASE,
)
_INTRO = re.compile(r"\b(intro|full[\s-]*screen|full\s+frame|at\s+the\s+start)\b", re.IGNORECASE)


def asks_presenter_photo(text: str) -> bool:
    """ "Use this as my presenter photo": the attached photo is for the presenter."""
    return bool(_PHOTO.search(text))


def presenter_request(text: str) -> tuple[str, str] | None:
    """("add", layout) or ("remove", "") for words about the presenter; None otherwise."""
    if _REMOVE.search(text):
        return ("remove", "")
    if _ADD.search(text):
        return ("add", "intro" if _INTRO.search(text) else "pip")
    return None
