"""The calendar as an iCalendar feed a calendar app subscribes to, and its per-organisation token.

The token is an HMAC of the organisation id under the app's secret, so it needs no table and
changes when the secret does; it grants reading this feed and nothing else.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

from reelestate.core.errors import AuthenticationError
from reelestate.storage.schemas import PublicationView

POST_MINUTES = 15


def feed_token(secret: bytes, org_id: uuid.UUID) -> str:
    mac = hmac.new(secret, f"calendar-feed\n{org_id}".encode(), hashlib.sha256).hexdigest()
    return f"{org_id.hex}.{mac[:40]}"


def org_of_feed_token(secret: bytes, token: str) -> uuid.UUID:
    try:
        org_id = uuid.UUID(token.split(".", 1)[0])
    except ValueError as exc:
        raise AuthenticationError("That calendar link is not valid.") from exc
    if not hmac.compare_digest(feed_token(secret, org_id), token):
        raise AuthenticationError("That calendar link is not valid.")
    return org_id


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _stamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _fold(line: str) -> str:
    """RFC 5545: lines longer than 75 octets continue on the next line after a space."""
    raw = line.encode()
    if len(raw) <= 75:
        return line
    parts, chunk = [], b""
    for ch in line:
        b = ch.encode()
        if len(chunk) + len(b) > 74:
            parts.append(chunk.decode())
            chunk = b""
        chunk += b
    parts.append(chunk.decode())
    return "\r\n ".join(parts)


def ics_feed(posts: Sequence[PublicationView], *, name: str, time_zone: str) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ReelEstate Studio//Publishing calendar//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(name)}",
        f"X-WR-TIMEZONE:{time_zone}",
    ]
    now = _stamp(datetime.now(UTC))
    for post in posts:
        when = post.published_at or post.scheduled_at
        if when is None:
            continue
        summary = f"{post.channel.value.title()}: {post.title} ({post.status.value})"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{post.id}@reelestate",
            f"DTSTAMP:{now}",
            f"DTSTART:{_stamp(when)}",
            f"DTEND:{_stamp(when + timedelta(minutes=POST_MINUTES))}",
            f"SUMMARY:{_escape(summary)}",
            f"DESCRIPTION:{_escape(post.caption[:500])}",
            "STATUS:CANCELLED" if post.status.value == "cancelled" else "STATUS:CONFIRMED",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
