"""What a finished render is: its files, what the video measures, and what did not go as asked.

The engine returns it, the render process sends it back as JSON, a render backend hands it to
the conversation, and the conversation keeps it with the job; one shape at every hop.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel, ConfigDict

from reelestate.providers.tts.base import Narration


class RenderResult(BaseModel):
    model_config = ConfigDict(frozen=True)

    video: Path
    subtitles: Path
    thumbnail: Path
    duration: float
    width: int
    height: int
    fps: int
    frames: int = 0
    loudness_lufs: float | None = None
    """Integrated loudness of the final's soundtrack; None for previews, which are not measured."""
    true_peak_dbtp: float | None = None
    segments_rendered: int = 0
    segments_reused: int = 0
    """Engine statistics; 0 where the render ran elsewhere and only its files came back."""
    narration: Narration | None = None
    voice_start: float | None = None
    """Seconds into the video at which the narration starts (a presenter starts with it)."""
    timings: dict[str, float] = {}
    notes: tuple[str, ...] = ()
    """What did not go as asked (a scene that kept photo motion, a voice that fell back)."""
    contact_sheet: Path | None = None
    """One numbered mid-shot frame per shot in a grid; None for renders made before it existed."""

    def resolved(self) -> RenderResult:
        """The same result with absolute file paths, for channels that open the files."""
        return self.model_copy(
            update={
                "video": self.video.resolve(),
                "subtitles": self.subtitles.resolve(),
                "thumbnail": self.thumbnail.resolve(),
                "contact_sheet": self.contact_sheet.resolve() if self.contact_sheet else None,
            }
        )
