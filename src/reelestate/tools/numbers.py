"""Numbers in narration: saying them, finding them, and timing them.

A script check has to see "$585,000", "585K", "five hundred eighty-five thousand dollars"
and "two and a half baths" as the numbers they are, and tell which fact each one claims to
be (a price, a bed or bath count, an area) from the words around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

NumberKind = Literal["price", "beds", "baths", "area"]

_ONES = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
)  # fmt: skip
_TENS = ("_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_WORD_VALUES: dict[str, int] = {w: i for i, w in enumerate(_ONES)} | {
    w: 10 * i for i, w in enumerate(_TENS) if w != "_"
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_SUFFIXES = {"k": 1_000, "thousand": 1_000, "m": 1_000_000, "mm": 1_000_000, "million": 1_000_000}
_SUFFIXES |= {"billion": 1_000_000_000, "bn": 1_000_000_000}
_TOKEN = re.compile(
    r"(?P<money>\$\s?)?(?P<num>\d[\d,]*(?:\.\d+)?)"
    r"(?:\s?(?P<suf>k|mm|m|bn|million|thousand|billion)(?![a-z]))?"
    r"|(?P<word>[a-z]+(?:['’][a-z]+)?)",
    re.IGNORECASE,
)
_UNITS: dict[str, NumberKind] = {
    "bed": "beds", "beds": "beds", "bedroom": "beds", "bedrooms": "beds", "br": "beds",
    "bd": "beds", "bath": "baths", "baths": "baths", "bathroom": "baths", "bathrooms": "baths",
    "ba": "baths", "sqft": "area", "sf": "area", "dollars": "price", "dollar": "price",
    "usd": "price",
}  # fmt: skip
_AREA_PAIRS = {("square", "feet"), ("square", "foot"), ("sq", "ft"), ("sq", "feet")}
_FILLERS = {"full", "big", "large", "generous", "spacious", "private", "comfortable", "roomy"}
_COUNT_NOUNS = set(_UNITS) | {"car", "story", "storey", "level", "half", "and", "square", "sq"}


def number_to_words(n: int) -> str:
    """0 <= n < 10**12, in words: 585000 -> 'five hundred eighty-five thousand'."""
    if n < 20:
        return _ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _TENS[tens] + (f"-{_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_ONES[hundreds]} hundred" + (f" {number_to_words(rest)}" if rest else "")
    for scale_name, scale in (("billion", 10**9), ("million", 10**6), ("thousand", 10**3)):
        if n >= scale:
            top, rest = divmod(n, scale)
            head = f"{number_to_words(top)} {scale_name}"
            return head + (f" {number_to_words(rest)}" if rest else "")
    raise AssertionError(n)  # pragma: no cover


def count_in_words(value: float) -> str:
    """A bed or bath count as spoken: 3 -> 'three', 2.5 -> 'two and a half', 0.5 -> 'a half'."""
    whole = int(value)
    half = value - whole >= 0.5
    if whole == 0 and half:
        return "a half"
    head = number_to_words(whole) if whole <= 20 else str(whole)
    return f"{head} and a half" if half else head


def format_price(price: int, mode: Literal["full", "compact", "words_million"] = "full") -> str:
    """The price as a script says it; compact forms are used only when they are exact."""
    if mode == "compact" and price < 1_000_000 and price % 1_000 == 0:
        return f"${price // 1_000}K"
    if mode in {"compact", "words_million"} and price >= 1_000_000 and price % 10_000 == 0:
        millions = f"{price / 1_000_000:.2f}".rstrip("0").rstrip(".")
        return f"${millions} million"
    return f"${price:,}"


def format_area(area_sqft: int) -> str:
    return f"{area_sqft:,}"


@dataclass(frozen=True)
class NumberMention:
    """A number found in a text, and the fact it claims to be when the words say so."""

    value: float
    start: int
    end: int
    kind: NumberKind | None
    next_word: str | None = None
    """For a number with no fact unit, the word right after it ("car" in "3-car garage")."""


@dataclass(frozen=True)
class _Tok:
    text: str
    start: int
    end: int
    value: float | None
    money: bool
    suffixed: bool


def _tokens(text: str) -> list[_Tok]:
    out = []
    for m in _TOKEN.finditer(text):
        if m["num"] is not None:
            value = float(m["num"].replace(",", "")) if m["num"].replace(",", "") else None
            if value is not None and m["suf"]:
                value *= _SUFFIXES[m["suf"].lower()]
            out.append(_Tok(m[0], m.start(), m.end(), value, bool(m["money"]), bool(m["suf"])))
        else:
            out.append(_Tok(m["word"].lower(), m.start(), m.end(), None, False, False))
    return out


def _parse_words(toks: list[_Tok], i: int) -> tuple[float, int] | None:
    """A spelled-out number starting at token i: (value, tokens used)."""
    total, current, j, seen = 0, 0, i, False
    while j < len(toks):
        word = toks[j].text
        if word in _WORD_VALUES:
            current += _WORD_VALUES[word]
        elif word == "hundred" and seen:
            current = max(current, 1) * 100
        elif word in _SCALES and word != "hundred" and seen:
            total += max(current, 1) * _SCALES[word]
            current = 0
        elif word == "and" and seen and j + 1 < len(toks) and toks[j + 1].text in _WORD_VALUES:
            pass
        else:
            break
        seen = True
        j += 1
    if not seen:
        return None
    return float(total + current), j - i


def _half_after(toks: list[_Tok], j: int) -> int:
    """Tokens used by a trailing 'and a half' at j (0 when absent)."""
    words = [t.text for t in toks[j : j + 3]]
    return 3 if words == ["and", "a", "half"] else 0


def _unit_after(toks: list[_Tok], j: int) -> tuple[NumberKind | None, int]:
    """The fact a unit word after j names, and how many tokens (fillers included) it uses."""
    words = [t.text for t in toks[j : j + 3]]
    skipped = 0
    while words and words[0] in _FILLERS:
        words, skipped = words[1:], skipped + 1
    if len(words) >= 2 and (words[0], words[1]) in _AREA_PAIRS:
        return "area", skipped + 2
    if words and words[0] in _UNITS:
        return _UNITS[words[0]], skipped + 1
    return None, 0


def find_numbers(text: str) -> list[NumberMention]:
    """Every number in `text` in digits or words, with the fact kind its context names."""
    toks = _tokens(text)
    found: list[NumberMention] = []
    i = 0
    while i < len(toks):
        tok = toks[i]
        if tok.value is not None:
            value, used = tok.value, 1
        else:
            parsed = _parse_words(toks, i)
            if parsed is None:
                i += 1
                continue
            value, used = parsed
            following = toks[i + used].text if i + used < len(toks) else ""
            if tok.text == "one" and used == 1 and following not in _COUNT_NOUNS:
                i += 1  # "one of a kind", "the one": a pronoun, not a count
                continue
        half = _half_after(toks, i + used)
        value += 0.5 if half else 0.0
        used += half
        kind, unit_len = _unit_after(toks, i + used)
        if kind is None and (tok.money or tok.suffixed):
            kind = "price"
        end = toks[i + used + unit_len - 1].end
        next_word: str | None = None
        if kind is None and i + used < len(toks):
            after = toks[i + used]
            joined = re.fullmatch(r"[\s\-]*", text[end : after.start]) is not None
            if after.value is None and joined:  # "3." ends a sentence, "3-car" counts cars
                next_word = after.text
        found.append(NumberMention(value, tok.start, end, kind, next_word))
        i += used + unit_len
    return found


def spoken_word_count(text: str) -> int:
    """Words a voice will say for `text`, with digits expanded ('$585,000' is six words)."""
    count = 0
    for tok in _tokens(text):
        if tok.value is None:
            count += 1
            continue
        whole = int(tok.value)
        count += len(number_to_words(min(whole, 10**12 - 1)).replace("-", " ").split())
        if tok.value != whole:
            count += 2  # "point five"
        count += 1 if tok.money else 0
    return count
