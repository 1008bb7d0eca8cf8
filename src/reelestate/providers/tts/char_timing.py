"""Word timings from a per-character alignment (what ElevenLabs returns with its audio).

Captions show the user's words, so words are the whitespace-separated tokens of the text
that was sent. A word starts with its first character and ends with its last, leaving out
punctuation at either edge, so a leading quote or a trailing comma does not stretch it (a
currency sign is not punctuation: "$585,000" starts with the "$"). The service may return
the characters slightly changed (normalised quotes, a dropped control character): they are
matched back onto the text by a diff, and a word none of whose characters came back joins
its neighbour rather than vanish from the captions.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from reelestate.providers.tts.base import WordTiming
from reelestate.providers.tts.word_alignment import Token, tokenize

SPOKEN_SYMBOL_SECONDS = 0.05
"""A token of symbols only ("&", "—") is a caption word when its characters last this long."""
_MAX_WORD_CHARS = 200


@dataclass(frozen=True)
class CharAlignment:
    """The service's characters, each with a start and end in seconds."""

    characters: Sequence[str]
    starts: Sequence[float]
    ends: Sequence[float]


def _text_positions(text: str, characters: Sequence[str]) -> list[int | None]:
    """For each returned character, its index in `text` (None when it matches nothing)."""
    returned = "".join(c[:1] or " " for c in characters)
    if returned == text:
        return list(range(len(text)))
    positions: list[int | None] = [None] * len(characters)
    matcher = difflib.SequenceMatcher(None, returned, text, autojunk=False)
    for block in matcher.get_matching_blocks():
        for k in range(block.size):
            positions[block.a + k] = block.b + k
    return positions


def _is_punctuation(ch: str) -> bool:
    return unicodedata.category(ch).startswith("P")


def _core(token: Token) -> range:
    """Text indices of the token without the punctuation at its edges (empty for "—")."""
    lo, hi = token.start, token.end
    while lo < hi and _is_punctuation(token.text[lo - token.start]):
        lo += 1
    while hi > lo and _is_punctuation(token.text[hi - 1 - token.start]):
        hi -= 1
    return range(lo, hi)


def _spans(text: str, alignment: CharAlignment) -> dict[int, tuple[float, float]]:
    """Per index of `text`: when that character is heard, for those the service returned."""
    spans: dict[int, tuple[float, float]] = {}
    count = min(len(alignment.characters), len(alignment.starts), len(alignment.ends))
    for k, pos in enumerate(_text_positions(text, alignment.characters[:count])):
        if pos is not None:
            spans[pos] = (float(alignment.starts[k]), float(alignment.ends[k]))
    return spans


def words_from_characters(text: str, alignment: CharAlignment, duration: float) -> list[WordTiming]:
    """Timings for `text`'s spoken words, monotonic and inside `[0, duration]`."""
    every = _spans(text, alignment)
    found: list[tuple[str, float, float]] = []
    pending: list[str] = []
    for token in tokenize(text):
        core = _core(token)
        spans = [every[i] for i in core if i in every]
        if not core:
            spans = [every[i] for i in range(token.start, token.end) if i in every]
            if not spans or max(e for _, e in spans) - min(s for s, _ in spans) < (
                SPOKEN_SYMBOL_SECONDS
            ):
                continue
        if spans:
            start, end = min(s for s, _ in spans), max(e for _, e in spans)
            found.append((" ".join([*pending, token.text]), start, end))
            pending = []
        elif found:
            word, start, end = found[-1]
            found[-1] = (f"{word} {token.text}", start, end)
        else:
            pending.append(token.text)
    return ordered_words(found, duration)


def ordered_words(found: list[tuple[str, float, float]], duration: float) -> list[WordTiming]:
    """Clamp into the audio, keep starts non-decreasing and end each word by the next start."""
    words: list[WordTiming] = []
    last_start = 0.0
    for k, (word, raw_start, raw_end) in enumerate(found):
        start = min(duration, max(raw_start, last_start, 0.0))
        end = raw_end
        if k + 1 < len(found):
            end = min(end, max(found[k + 1][1], start))
        end = min(duration, max(end, start))
        words.append(WordTiming(word=word[:_MAX_WORD_CHARS], start=start, end=end))
        last_start = start
    return words
