"""The video styles a user picks from: one name for each look, pace and music mood.

A domain type shared by the script writer, the storyboard, the chat and the REST API; the copy
each style speaks lives with the prompts (`prompts/styles.py`).
"""

from __future__ import annotations

from typing import Literal

Style = Literal["luxury", "modern", "cozy", "energetic", "minimal"]
STYLES: tuple[Style, ...] = ("luxury", "modern", "cozy", "energetic", "minimal")
