"""Stand-ins at the agent's own boundaries: a photo analyser that reads room names from file
names, and a render backend that records what it was asked to render."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path

from PIL import Image

from reelestate.agent.backends.base import ProgressSink, RenderRequest
from reelestate.agent.events import RunnerEvent
from reelestate.agent.owner import RenderOwner
from reelestate.agent.runner import Runner
from reelestate.core.settings import get_settings
from reelestate.providers.vision.base import PhotoAnalysis, Point, RoomType
from reelestate.render.progress import progress_event
from reelestate.render.result import RenderResult

LISTING1 = Path(__file__).resolve().parents[1] / "fixtures" / "photos" / "listing1"
FACTS = "3 bed 2 bath, $529,000, 1,826 sq ft, 12 Oak St, Paso Robles CA, new roof"
_ROOMS: dict[str, RoomType] = {
    "frontal": "exterior",
    "kitchen": "kitchen",
    "bedroom": "bedroom",
    "bathroom": "bathroom",
    "living": "living_room",
}


def listing_photos() -> list[Path]:
    return sorted(LISTING1.glob("*.jpg"))


class FileNameAnalyser:
    """Labels each photo by the room word in its file name; 'blurry' in a name rejects it."""

    name = "file-name"

    def __init__(self) -> None:
        self.calls = 0

    def analyse(self, paths: list[Path]) -> list[PhotoAnalysis]:
        self.calls += 1
        out = []
        for i, path in enumerate(paths):
            with Image.open(path) as image:
                width, height = image.size
            room: RoomType = next((r for k, r in _ROOMS.items() if k in path.name), "unsure")
            out.append(
                PhotoAnalysis(
                    path=path,
                    width=width,
                    height=height,
                    orientation="landscape" if width >= height else "portrait",
                    room=room,
                    room_confidence=0.98,
                    sharpness=0.8,
                    exposure=0.0,
                    clipped_highlights=0.0,
                    clipped_shadows=0.0,
                    colour_cast=0.0,
                    phash=f"{i:016x}",
                    focal_point=Point(x=0.5, y=0.5),
                    reject_reasons=["blurry"] if "blurry" in path.name else [],
                )
            )
        return out


class RecordingRenderer:
    """Records each render request and writes small stand-in output files."""

    def __init__(self, *, fail_with: Exception | None = None) -> None:
        self.requests: list[RenderRequest] = []
        self.owners: list[RenderOwner | None] = []
        self.fail_with = fail_with

    async def render(self, request: RenderRequest, on_progress: ProgressSink) -> RenderResult:
        self.requests.append(request)
        self.owners.append(request.owner)
        on_progress(progress_event("prepare"))
        if self.fail_with is not None:
            raise self.fail_with
        on_progress(progress_event("frames", 0.5))
        request.out_dir.mkdir(parents=True, exist_ok=True)
        files = {
            name: request.out_dir / name for name in ("video.mp4", "video.srt", "thumbnail.jpg")
        }
        for path in files.values():
            path.write_bytes(b"stand-in")
        on_progress(progress_event("done", 1.0))
        width, height = request.spec.size
        return RenderResult(
            video=files["video.mp4"],
            subtitles=files["video.srt"],
            thumbnail=files["thumbnail.jpg"],
            duration=sum(s.duration for s in request.spec.scenes),
            width=width,
            height=height,
            fps=request.spec.fps,
        )

    @property
    def finals(self) -> list[RenderRequest]:
        return [r for r in self.requests if r.kind == "final"]


class HeldRenderer(RecordingRenderer):
    """Reports the first progress, then waits until `release()` (or until it is cancelled)."""

    def __init__(self) -> None:
        super().__init__()
        self.held = asyncio.Event()
        self.released = asyncio.Event()
        self.cancelled: list[RenderRequest] = []

    def release(self) -> None:
        self.released.set()

    async def render(self, request: RenderRequest, on_progress: ProgressSink) -> RenderResult:
        on_progress(progress_event("prepare"))
        self.held.set()
        try:
            await self.released.wait()
        except asyncio.CancelledError:
            self.cancelled.append(request)
            raise
        return await super().render(request, on_progress)


async def say(
    runner: Runner,
    text: str = "",
    photos: Sequence[Path] = (),
    *,
    thread: str = "t1",
    user: str = "ann",
    team: str | None = None,
) -> list[RunnerEvent]:
    events: list[RunnerEvent] = []
    stream: AsyncIterator[RunnerEvent] = runner.send(thread, user, text, photos, team=team)
    async for event in stream:
        events.append(event)
    return events


def of_type(events: list[RunnerEvent], kind: str) -> list[RunnerEvent]:
    return [e for e in events if e.type == kind]


def texts(events: list[RunnerEvent]) -> str:
    return "\n".join(e.text for e in events if e.type == "assistant_text" and not e.partial)  # type: ignore[union-attr]


@asynccontextmanager
async def open_runner(renderer: RecordingRenderer) -> AsyncIterator[Runner]:
    """A runner on the test settings with the file-name analyser, finals rendered as previews."""
    async with Runner.open(
        get_settings(), analyser=FileNameAnalyser(), renderer=renderer, final_profile="preview"
    ) as runner:
        yield runner
