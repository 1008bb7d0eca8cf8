"""A message being read: matched spans are blanked so no two readers share the same words.

"1,850 sq ft" read as an area is no longer there for the price reader, and what no reader took
is what the highlight reader sees.
"""

from __future__ import annotations

import re

NUMBER_WORDS: dict[str, int] = {
    "zero": 0,
    "one": 1,
    "single": 1,
    "two": 2,
    "double": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
COUNT = r"(?:\d{1,2}|" + "|".join(NUMBER_WORDS) + r")"
"""A small count written in digits or words ("3", "three")."""


def count_value(text: str) -> int:
    word = text.lower()
    return NUMBER_WORDS[word] if word in NUMBER_WORDS else int(word)


def decimal(text: str) -> float:
    """'1,650' -> 1650.0, '.5' -> 0.5."""
    return float(text.replace(",", ""))


class MessageText:
    """The message with consumed spans blanked (" ; "), so later patterns never reuse them."""

    def __init__(self, text: str) -> None:
        self.text = text

    def take(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        match = pattern.search(self.text)
        if match is not None:
            self.blank(*match.span())
        return match

    def take_all(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        found = []
        while (match := self.take(pattern)) is not None:
            found.append(match)
        return found

    def blank(self, start: int, end: int) -> None:
        self.text = self.text[:start] + " ; " + self.text[end:]

    def find_all(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        """Matches without consuming them (the caller decides which to take)."""
        return list(pattern.finditer(self.text))
