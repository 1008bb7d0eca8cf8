"""The narration of a spec spoken by its voice provider, cached under the render cache.

Narration is synthesised before a render (to fit the scenes to the voice) and again by the
engine when a spec still asks for it; both go through here, so both ask the voice the same
question and the second finds the first's file in the cache.
"""

from __future__ import annotations

from pathlib import Path

from reelestate.providers.tts.base import Narration, TextToSpeech
from reelestate.providers.tts.narrator import narrator_for
from reelestate.render.spec import NarrationRequest


def synthesize_narration(
    request: NarrationRequest, cache_dir: Path, tts: TextToSpeech | None = None
) -> Narration:
    """`request` spoken by `tts` (by default the narrator of its provider, with fallbacks)."""
    engine = tts or narrator_for(request.provider)
    return engine.synthesize(
        request.text,
        voice=request.voice,
        out_dir=cache_dir / "narration",
        rate=request.rate,
        model=request.model,
        style=request.style,
    )
