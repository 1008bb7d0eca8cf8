"""`reelestate chat`: the conversation in a terminal, one line per message, scriptable from stdin.

photos tests/fixtures/photos/listing1      (a folder, or one or more photo paths)
3 bed 2 bath, $529,000, 1,826 sq ft, 12 Oak St, Paso Robles CA, new roof
/approve
/quit
"""

from __future__ import annotations

import asyncio
import shlex
import sys
import uuid
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from functools import partial
from pathlib import Path
from typing import Annotated, TextIO

import typer

from reelestate.agent.backends.queued import open_queued_backend
from reelestate.agent.events import RunnerEvent
from reelestate.agent.runner import Runner
from reelestate.cli.render_cmd import report_error
from reelestate.core.errors import ReelEstateError
from reelestate.core.imaging import PHOTO_SUFFIXES
from reelestate.core.settings import Settings, get_settings
from reelestate.storage.migrate import prepare_database

BAR_WIDTH = 30
RunnerFactory = Callable[[], AbstractAsyncContextManager[Runner]]


def photo_paths(words: Iterable[str]) -> list[Path]:
    """Photo files named on a line: files as given, folders expanded (sorted)."""
    out: list[Path] = []
    for word in words:
        path = Path(word).expanduser()
        if path.is_dir():
            out += sorted(p for p in path.iterdir() if p.suffix.lower() in PHOTO_SUFFIXES)
        else:
            out.append(path)
    return out


class EventPrinter:
    """Events as terminal lines: progress as a bar, files as absolute paths."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self._streamed: set[str] = set()
        self._last_bar: tuple[str, int] = ("", -1)

    def line(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def show(self, event: RunnerEvent) -> None:
        match event.type:
            case "assistant_text":
                if event.partial:
                    self._streamed.add(event.message_id)
                    self.out.write(event.text)
                    self.out.flush()
                elif event.message_id and event.message_id in self._streamed:
                    self.out.write("\n")
                else:
                    self.line(f"assistant> {event.text}")
            case "question":
                self.line(f"question> {event.text}")
                if event.suggested_replies:
                    self.line("  e.g. " + " | ".join(event.suggested_replies))
            case "storyboard_ready":
                self.line(
                    f"storyboard> version {event.version}: {len(event.scenes)} scenes, "
                    f"{event.total_seconds:g} s, {event.aspect}, {event.style}, music {event.music}"
                )
                for scene in event.scenes:
                    caption = f' "{scene.caption}"' if scene.caption else ""
                    self.line(
                        f"  {scene.number}. {scene.room_words or scene.room} "
                        f"(photo {scene.photo_number}) {scene.seconds:.1f} s "
                        f"{scene.motion_words or scene.motion}{caption}"
                    )
                if event.total_words:
                    self.line(f"  {event.total_words}")
                for note in event.notes:
                    self.line(f"  note: {note}")
                self.line(f"  storyboard file: {event.storyboard_file}")
                if event.preview_video:
                    self.line(f"  preview: {event.preview_video}")
            case "approval_request":
                self.line(f"approval> {event.text}")
                if event.buy_credits_url:
                    self.line(f"buy credits> {event.buy_credits_url}")
                self.line("  type /approve, or say what to change")
            case "job_progress":
                self._bar(event.job_id, event.kind, event.stage, event.percent)
            case "video_ready":
                result = event.result
                self.line(f"video> {result.video}")
                self.line(f"  subtitles: {result.subtitles}")
                self.line(f"  thumbnail: {result.thumbnail}")
                self.line(f"  {result.duration:.1f} s, {result.width}x{result.height}")
            case "chart_ready":
                self.line(f"chart> {event.title}: {event.image}")
            case "error":
                self.line(f"error> {event.message}" + (f" {event.hint}" if event.hint else ""))

    def _bar(self, job_id: str, kind: str, stage: str, percent: float) -> None:
        tenth = int(percent // 10)
        if (job_id, tenth) == self._last_bar and percent < 100:
            return
        self._last_bar = (job_id, tenth)
        filled = round(BAR_WIDTH * percent / 100)
        self.line(f"{kind:>7} [{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {percent:5.1f}% {stage}")


async def _events(runner: Runner, thread: str, user: str, line: str) -> AsyncIterator[RunnerEvent]:
    if line == "/approve":
        async for event in runner.approve(thread, user):
            yield event
        return
    words = shlex.split(line) if line.startswith("photos") else []
    if words[:1] == ["photos"]:
        async for event in runner.send(thread, user, "", photo_paths(words[1:])):
            yield event
        return
    async for event in runner.send(thread, user, line):
        yield event


async def run_chat(
    lines: Iterable[str], out: TextIO, open_runner: RunnerFactory, *, thread: str, user: str
) -> None:
    printer = EventPrinter(out)
    async with open_runner() as runner:
        printer.line(f"conversation {thread} ({runner.brain_name} assistant); /quit to leave")
        pending = await runner.pending_approval(thread)
        if pending is not None:
            printer.show(pending)
        for raw in lines:
            line = raw.strip()
            if not line:
                continue
            if line in {"/quit", "/exit"}:
                break
            printer.line(f"you> {line}")
            async for event in _events(runner, thread, user, line):
                printer.show(event)


@asynccontextmanager
async def _queued_runner(settings: Settings) -> AsyncIterator[Runner]:
    async with (
        open_queued_backend(settings) as backend,
        Runner.open(settings, renderer=backend) as runner,
    ):
        yield runner


def register(app: typer.Typer) -> None:
    @app.command("chat")
    def chat(
        thread: Annotated[
            str | None, typer.Option("--thread", help="Conversation id, to continue one.")
        ] = None,
        user: Annotated[str, typer.Option("--user", help="Who is talking.")] = "terminal",
        queue: Annotated[
            bool | None,
            typer.Option(
                "--queue/--direct",
                help="Render through the job queue (credits, retries, history; needs "
                "`reelestate db upgrade`) or directly in this process. "
                "Default: the queue when REDIS_URL is set.",
            ),
        ] = None,
    ) -> None:
        """Talk to the assistant: photos, facts, changes, /approve, /quit (one line each)."""
        thread_id = thread or f"chat-{uuid.uuid4().hex[:10]}"
        try:
            settings = get_settings()
            prepare_database(settings)
            if queue is None:
                queue = settings.redis_url is not None
            factory = partial(_queued_runner if queue else Runner.open, settings)
            asyncio.run(run_chat(sys.stdin, sys.stdout, factory, thread=thread_id, user=user))
        except ReelEstateError as exc:
            raise report_error(exc) from exc
