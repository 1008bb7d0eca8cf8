"""Facts cards: an animated card of a listing's price, rooms, area and highlights."""

from __future__ import annotations

from reelestate.render.infographic.render import InfographicResult, render_infographic
from reelestate.render.infographic.spec import (
    InfographicFacts,
    InfographicSpec,
    parse_infographic,
)

__all__ = [
    "InfographicFacts",
    "InfographicResult",
    "InfographicSpec",
    "parse_infographic",
    "render_infographic",
]
