"""Requests about posting and the calendar in plain words, mapped to the publishing actions.

"post it to Instagram on Friday at 9am", "post the square one to Facebook now", "what's
scheduled next week?", "move the Cedar Lane post to Monday", "cancel the Friday post", "how did
my listings do this month?", "connect Instagram", "use the photos from 12 Oak St". The words
about time travel as they were said; the action reads them against the organisation's clock.
"""

from __future__ import annotations

import re
from typing import Any

_I = re.IGNORECASE
_CHANNEL = r"(?P<channel>instagram|insta|ig|facebook|fb)"
_POST = re.compile(
    r"\b(?:post|publish|share|schedule|put)\b(?P<what>.*?)\b(?:to|on)\s+(?:my\s+|our\s+|the\s+)?"
    + _CHANNEL
    + r"\b(?P<rest>.*)$",
    _I,
)
_WHICH_VIDEO = re.compile(r"\b(square|vertical|portrait|landscape|wide|horizontal)\b", _I)
_LIST = re.compile(
    r"\bwhat(?:'s|\s+is|\s+are|\s+posts?\s+(?:are|is))?\s+(?:scheduled|planned|coming\s+up|"
    r"going\s+out|posting)\b|\b(?:show|list)\s+(?:me\s+)?(?:the\s+|my\s+)?(?:calendar|schedule|"
    r"scheduled\s+posts|posts)\b|\bwhat\s+(?:do|did)\s+(?:i|we)\s+have\s+scheduled\b",
    _I,
)
_MOVE = re.compile(
    r"\b(?:move|reschedule|push|shift|change)\s+(?:the\s+|my\s+)?(?P<post>.+?)\s+post\s+"
    r"(?:to|for|until)\s+(?P<to>.+)$",
    _I,
)
_CANCEL = re.compile(
    r"\b(?:cancel|unschedule|delete|remove|drop|stop)\s+(?:the\s+|my\s+)?(?P<post>.+?)\s+"
    r"(?:post|publication)\b",
    _I,
)
_ANALYTICS = re.compile(
    r"\bhow\s+(?:did|do|are|is|were|have)\b.*\b(?:listings?|videos?|posts?|reels?)\b.*"
    r"\b(?:do|doing|done|perform|performing|performed|go|going)\b"
    r"|\b(?:analytics|insights|stats|statistics)\b|\bhow\s+many\s+views\b",
    _I,
)
_CONNECT = re.compile(
    r"\b(?:connect|link|hook\s+up|reconnect|log\s*in\s+to)\s+(?:my\s+|our\s+|the\s+|to\s+)?"
    r"(instagram|facebook|fb|ig|page|meta)\b",
    _I,
)

_REUSE = re.compile(
    r"\b(?:use|reuse|take|bring\s+in|add)\s+(?:the\s+)?(?:(?P<room>[a-z ]+?)\s+)?"
    r"(?:photos?|pictures?|pics|images?|shots?)\s+(?:from|of)\s+(?P<where>.+?)[\s.!?]*$",
    _I,
)


def channel_of(word: str) -> str:
    return "instagram" if word.lower() in {"instagram", "insta", "ig"} else "facebook"


def _post_ref(phrase: str) -> str:
    phrase = re.sub(r"^(?:scheduled|planned|upcoming)\s+", "", phrase.strip(), flags=_I)
    return phrase.strip(" .,'\"")


def publishing_call(text: str) -> tuple[str, dict[str, Any]] | None:
    """The publishing action a message asks for, with its arguments; None when it asks none."""
    text = text.strip()
    if not text:
        return None
    if m := _CONNECT.search(text):
        word = m.group(1).lower()
        channel = "instagram" if word in {"instagram", "ig"} else "facebook"
        return "connect_social", {"channel": channel}
    if m := _REUSE.search(text):
        args: dict[str, Any] = {"source": m.group("where").strip(" .,'\"")}
        room = (m.group("room") or "").strip()
        if room and room.lower() not in {"same", "old", "other", "those", "these", "all"}:
            args["room"] = room
        return "reuse_photos", args
    if _ANALYTICS.search(text):
        return "post_analytics", {"period": text}
    if _LIST.search(text):
        return "list_posts", {"period": text}
    if m := _MOVE.search(text):
        return "move_post", {"post": _post_ref(m.group("post")), "to": m.group("to").strip()}
    if m := _CANCEL.search(text):
        return "cancel_post", {"post": _post_ref(m.group("post"))}
    if m := _POST.search(text):
        video = "latest"
        which = _WHICH_VIDEO.search(m.group("what") or "")
        if which:
            word = which.group(1).lower()
            video = {"portrait": "vertical", "wide": "landscape", "horizontal": "landscape"}.get(
                word, word
            )
        rest = (m.group("rest") or "").strip(" .!?")
        post_args: dict[str, Any] = {"channel": channel_of(m.group("channel")), "video": video}
        if rest:
            post_args["when"] = rest
        return "post_video", post_args
    return None
