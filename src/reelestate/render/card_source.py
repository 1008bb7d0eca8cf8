"""A facts card as a shot source: a scene of a listing video drawn by the card's painter.

The card is not rendered to a file and decoded again: the engine asks for the scene's
frames one by one, the painter draws each at the video's size and rate, and it is handed
over as yuv420p like a camera move over a photo, so captions, transitions and the encode
treat it as any other shot.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from reelestate.core.errors import InvalidInputError, InvalidSpecError
from reelestate.render.colour import rgb_to_yuv420
from reelestate.render.frames import FrameBuffer
from reelestate.render.infographic.painter import CardPainter
from reelestate.render.infographic.spec import MAX_SECONDS, MIN_SECONDS, parse_infographic
from reelestate.render.spec import FactsCard, RenderSpec


def card_painter(spec: RenderSpec, card: FactsCard, photo: Path, *, seconds: float) -> CardPainter:
    """The painter of a facts card scene: the video's facts and brand over `photo`."""
    facts = spec.facts.model_dump() if spec.facts else {}
    if facts.get("price") == 0:
        facts["price"] = None
    try:
        info = parse_infographic(
            {
                "facts": {**facts, "highlights": card.highlights, "kicker": card.kicker},
                "brand": spec.brand,
                "photo": photo,
                "aspect": spec.aspect,
                "profile": spec.profile,
                "duration": min(MAX_SECONDS, max(MIN_SECONDS, seconds)),
                "music": None,
            }
        )
    except InvalidInputError as exc:
        raise InvalidSpecError(exc.message, hint=exc.hint) from None
    return CardPainter(info, size=spec.size, seconds=seconds, fps=spec.fps)


class CardSource:
    """Frames of a facts card scene, drawn on request (0 = the first frame the scene shows)."""

    def __init__(self, painter: CardPainter, frames: int) -> None:
        self.painter = painter
        self.frames = frames

    def read(self, index: int, out: FrameBuffer) -> None:
        rgb = self.painter.frame(min(max(index, 0), self.frames - 1))
        y, u, v = rgb_to_yuv420(rgb)
        np.copyto(out.y, y)
        np.copyto(out.u, u)
        np.copyto(out.v, v)
