"""Captions for social posts: written from the listing's facts, checked before Meta sees them.

Instagram refuses a caption over 2,200 characters, with more than 30 hashtags or 20 mentions
(code 100), so the same limits are checked here, with a message the agent can act on. Every
caption passes the fair-housing lint: a generated one is rewritten, a typed one is refused with
the phrase and what to say instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reelestate.core.errors import InvalidInputError
from reelestate.render.spec import ListingFacts
from reelestate.tools.fair_housing import lint, rewrite

CAPTION_LIMIT = 2200
HASHTAG_LIMIT = 30
MENTION_LIMIT = 20
_HASHTAG = re.compile(r"(?<!\w)#\w+")
_MENTION = re.compile(r"(?<![\w.])@[\w.]+")
BASE_HASHTAGS = ("realestate", "newlisting", "househunting")


def hashtag_of(text: str) -> str:
    """'Medford' -> '#medford'; words joined, anything else dropped."""
    return "#" + re.sub(r"[^0-9a-z]", "", text.lower())


def caption_from_facts(
    facts: ListingFacts | None,
    *,
    title: str | None = None,
    highlights: Sequence[str] = (),
    place: str | None = None,
    hashtags: bool = True,
) -> str:
    """'12 Oak St' / '$425,000 · 3 bd · 2 ba · 1,650 sq ft' / highlights / hashtags."""
    lines: list[str] = []
    heading = (facts.address if facts else None) or title
    if heading:
        lines.append(heading)
    if facts is not None:
        parts = []
        if facts.price is not None:
            parts.append(f"${facts.price:,}" if facts.currency == "USD" else f"{facts.price:,}")
        if facts.beds is not None:
            parts.append("studio" if facts.beds == 0 else f"{facts.beds:g} bd")
        if facts.baths is not None:
            parts.append(f"{facts.baths:g} ba")
        if facts.area_sqft is not None:
            parts.append(f"{facts.area_sqft:,} sq ft")
        if parts:
            lines.append(" · ".join(parts))
    if highlights:
        lines.append("; ".join(h.strip() for h in highlights if h.strip()).capitalize() + ".")
    body = rewrite("\n".join(lines))
    if hashtags:
        tags = [hashtag_of(t) for t in BASE_HASHTAGS]
        if place:
            tags.append(hashtag_of(place))
        body += "\n\n" + " ".join(dict.fromkeys(t for t in tags if len(t) > 1))
    if len(body) > CAPTION_LIMIT:
        body = body[: CAPTION_LIMIT - 1].rstrip() + "…"
    return body


def check_caption(text: str) -> str:
    """A typed caption as it will be sent, or an error naming what to change."""
    caption = text.strip()
    found = lint(caption)
    if found:
        first = found[0]
        raise InvalidInputError(
            f'The caption says "{first.phrase}": {first.reason}',
            hint=f"Say instead: {first.suggestion}",
        )
    if len(caption) > CAPTION_LIMIT:
        raise InvalidInputError(
            f"The caption has {len(caption):,} characters; Instagram takes {CAPTION_LIMIT:,}.",
            hint="Shorten it.",
        )
    tags = len(_HASHTAG.findall(caption))
    if tags > HASHTAG_LIMIT:
        raise InvalidInputError(
            f"The caption has {tags} hashtags; Instagram takes {HASHTAG_LIMIT}.",
            hint="Leave some out.",
        )
    mentions = len(_MENTION.findall(caption))
    if mentions > MENTION_LIMIT:
        raise InvalidInputError(
            f"The caption mentions {mentions} accounts; Instagram takes {MENTION_LIMIT}."
        )
    return caption
