"""File names made from what people and services send: safe on every file system and in URLs.

Uploads, Telegram ids and blob keys end up as names of files on disk; only ASCII letters,
digits, '_', '-' (and '.' in whole names) survive, so no folder, dot-dot or odd byte gets in.
Callers trim and shorten the result to their own needs.
"""

from __future__ import annotations

import re

_UNSAFE_IN_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_UNSAFE_IN_STEM = re.compile(r"[^A-Za-z0-9_-]+")


def safe_name(text: str, fill: str = "-") -> str:
    """`text` with each run of characters other than letters, digits, '.', '_' and '-' as `fill`."""
    return _UNSAFE_IN_NAME.sub(fill, text)


def safe_stem(text: str, fill: str = "-") -> str:
    """Like `safe_name`, dots replaced too: for the part of a name before a suffix of our own."""
    return _UNSAFE_IN_STEM.sub(fill, text)
