"""Times and periods as people say them ("Friday at 9am", "now", "next week", "this month"),
read against the organisation's local clock.

Pure: the caller gives the local `now`. Whatever could mean two things ("at 9" without am/pm,
"next Friday" said early in the week, "3/4") comes back as a question, never as a guess.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from pydantic import BaseModel, ConfigDict

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = (
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
)  # fmt: skip
_I = re.IGNORECASE
_NOW = re.compile(r"\b(?:now|right\s+away|asap|immediately|straight\s+away)\b", _I)
_ISO = re.compile(r"\b(\d{4}-\d{2}-\d{2})(?:[T ](\d{1,2}:\d{2}))?\b")
_DAY = re.compile(r"\b(?:(this|next|on)\s+)?(" + "|".join(WEEKDAYS) + r")\b", _I)
_REL_DAY = re.compile(r"\b(today|tonight|tomorrow)\b", _I)
_MONTH_DAY = re.compile(
    r"\b(" + "|".join(MONTHS) + r")[a-z]*\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b"
    r"|\b(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?(" + "|".join(MONTHS) + r")[a-z]*\b",
    _I,
)
_SLASH = re.compile(r"\b(\d{1,2})/(\d{1,2})\b")
_CLOCK = re.compile(r"\b(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?=\W|$)", _I)
_AT_CLOCK = re.compile(r"\b(?:at|@|by)\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?", _I)
_NAMED_TIME = {"noon": time(12), "midday": time(12), "midnight": time(0)}
_PARTS = {"morning": time(9), "afternoon": time(14), "evening": time(18), "tonight": time(19)}


class WhenReading(BaseModel):
    """What a phrase says about a time: `at` (local), `now`, or a `question` to ask back."""

    model_config = ConfigDict(frozen=True)

    at: datetime | None = None
    now: bool = False
    question: str | None = None
    day_only: bool = False
    """A day was named without a time of day (`at` is that day's midnight)."""

    @property
    def found(self) -> bool:
        return self.now or self.at is not None or self.question is not None


def _day_of(text: str, today: date) -> tuple[date | None, str | None]:
    """The day a phrase names, or a question when it could be two days."""
    if m := _ISO.search(text):
        return date.fromisoformat(m.group(1)), None
    if m := _REL_DAY.search(text):
        word = m.group(1).lower()
        return today + timedelta(days=1 if word == "tomorrow" else 0), None
    if m := _DAY.search(text):
        which, name = (m.group(1) or "").lower(), m.group(2).lower()
        ahead = (WEEKDAYS.index(name) - today.weekday()) % 7
        if which == "next":
            if ahead == 0:
                return today + timedelta(days=7), None
            soon, later = today + timedelta(days=ahead), today + timedelta(days=ahead + 7)
            return None, (f"Do you mean {soon:%A %B} {soon.day} or {later:%A %B} {later.day}?")
        return today + timedelta(days=ahead), None
    if m := _MONTH_DAY.search(text):
        month_word = (m.group(1) or m.group(4)).lower()[:3]
        day = int(m.group(2) or m.group(3))
        return _next_date(today, MONTHS.index(month_word) + 1, day)
    if m := _SLASH.search(text):
        a, b = int(m.group(1)), int(m.group(2))
        if a > 12 >= b:
            return _next_date(today, b, a)
        if b > 12 >= a or a == b:
            return _next_date(today, a, b)
        first, second = _next_date(today, a, b)[0], _next_date(today, b, a)[0]
        if first and second:
            return None, (f"Is {a}/{b} {first:%B} {first.day} or {second:%B} {second.day}?")
    return None, None


def _next_date(today: date, month: int, day: int) -> tuple[date | None, str | None]:
    try:
        found = date(today.year, month, day)
        if found < today:
            found = date(today.year + 1, month, day)
    except ValueError:
        return None, f"{month}/{day} is not a date; which day do you mean?"
    return found, None


def _time_of(text: str) -> tuple[time | None, str | None]:
    lowered = text.lower()
    for word, at in _NAMED_TIME.items():
        if re.search(rf"\b{word}\b", lowered):
            return at, None
    if (m := _ISO.search(text)) and m.group(2):
        hour, minute = (int(x) for x in m.group(2).split(":"))
        return time(hour, minute), None
    match = _AT_CLOCK.search(text) or next(
        (c for c in _CLOCK.finditer(text) if c.group(3) or c.group(2)), None
    )
    if match is None:
        part = next((p for p in _PARTS if re.search(rf"\b{p}\b", lowered)), None)
        if part is not None:
            return None, f"What time in the {part}?" if part != "tonight" else "What time tonight?"
        return None, None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").replace(".", "").lower()
    if hour > 23 or minute > 59 or (suffix and not 1 <= hour <= 12):
        return None, f"{match.group(0).strip()} is not a time of day; what time do you mean?"
    if suffix == "pm" and hour != 12:
        hour += 12
    elif suffix == "am" and hour == 12:
        hour = 0
    elif not suffix and 1 <= hour <= 12 and not match.group(2):
        if "morning" in lowered:
            return time(hour % 12), None
        if any(p in lowered for p in ("afternoon", "evening", "tonight")):
            return time(hour % 12 + 12), None
        return None, f"{hour} in the morning or {hour} in the evening?"
    return time(hour, minute), None


def read_when(text: str, now: datetime, *, default_time: time | None = None) -> WhenReading:
    """The moment `text` names, in `now`'s time zone; `default_time` fills a bare day (a post
    moved to "Monday" keeps its time of day)."""
    if _NOW.search(text):
        return WhenReading(now=True, at=now)
    day, day_question = _day_of(text, now.date())
    if day_question:
        return WhenReading(question=day_question)
    clock, time_question = _time_of(text)
    if time_question:
        return WhenReading(question=time_question)
    if day is None and clock is None:
        return WhenReading()
    if clock is None:
        if default_time is None:
            return WhenReading(
                at=datetime.combine(day or now.date(), time(0), tzinfo=now.tzinfo), day_only=True
            )
        clock = default_time
    if day is None:
        day = now.date()
        if datetime.combine(day, clock, tzinfo=now.tzinfo) <= now:
            day += timedelta(days=1)
    at = datetime.combine(day, clock, tzinfo=now.tzinfo)
    if at <= now:
        return WhenReading(question=f"{at:%A %B} {at.day} at {at:%H:%M} has passed; when then?")
    return WhenReading(at=at)


class Period(BaseModel):
    """A window of local time and how to say it ("next week")."""

    model_config = ConfigDict(frozen=True)

    start: datetime
    end: datetime
    words: str


def read_period(text: str, now: datetime, *, default: str = "upcoming") -> Period:
    """The window a question names: today, tomorrow, this/next/last week or month; otherwise
    `default` ("upcoming": from now on, "this month")."""
    lowered = text.lower()
    midnight = datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
    monday = midnight - timedelta(days=now.weekday())
    first = midnight.replace(day=1)

    def month_after(start: datetime) -> datetime:
        return (start + timedelta(days=32)).replace(day=1)

    if "next week" in lowered:
        return Period(start=monday + timedelta(7), end=monday + timedelta(14), words="next week")
    if "this week" in lowered:
        return Period(start=monday, end=monday + timedelta(7), words="this week")
    if "last week" in lowered:
        return Period(start=monday - timedelta(7), end=monday, words="last week")
    if "next month" in lowered:
        start = month_after(first)
        return Period(start=start, end=month_after(start), words="next month")
    if "last month" in lowered:
        start = (first - timedelta(days=1)).replace(day=1)
        return Period(start=start, end=first, words="last month")
    if "this month" in lowered or default == "this month":
        return Period(start=first, end=month_after(first), words="this month")
    if "tomorrow" in lowered:
        start = midnight + timedelta(days=1)
        return Period(start=start, end=start + timedelta(days=1), words="tomorrow")
    if "today" in lowered:
        return Period(start=midnight, end=midnight + timedelta(days=1), words="today")
    return Period(start=now, end=now + timedelta(days=365), words="coming up")
