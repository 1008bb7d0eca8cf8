"""Runner events as Chainlit messages: streamed text, the storyboard with its preview, buttons,
one live progress message per render, the finished video with its downloads, plain errors."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import chainlit as cl

from reelestate.agent.events import (
    ApprovalRequest,
    AssistantText,
    ChartReady,
    ErrorEvent,
    JobProgress,
    Question,
    RunnerEvent,
    StoryboardReady,
    VideoReady,
)
from reelestate.chat_ui.sheets import Tile, contact_sheet
from reelestate.tools.analytics_figure import chart_figure
from reelestate.tools.storyboard import StoryboardHistory

BAR_CELLS = 20
CANCEL_ACTION = "cancel_render"
BUY_CREDITS_ACTION = "buy_credits"
_SERVER_PATH = re.compile(r"(?<![\w:/])/(?:[\w.\-]+/)+([\w.\-]+)")
STAGE_WORDS = {
    "prepare": "getting the photos ready",
    "voice": "recording the narration",
    "music": "making the music",
    "audio": "mixing the sound",
    "frames": "animating the photos",
    "mux": "putting it together",
    "probe": "checking the video",
    "done": "done",
}
QUICK_CHANGES = (
    ("Shorter", "make it shorter"),
    ("Change music", "more upbeat music"),
    ("Square", "make it square"),
    ("Vertical", "vertical for TikTok"),
)


def progress_text(kind: str, stage: str, percent: float) -> str:
    filled = round(BAR_CELLS * percent / 100)
    what = "preview" if kind == "preview" else "final video"
    if stage == "cancelled":
        return f"**Rendering the {what}:** cancelled at {percent:.0f}%."
    words = STAGE_WORDS.get(stage, stage)
    bar = "▰" * filled + "▱" * (BAR_CELLS - filled)
    return f"**Rendering the {what}:** {percent:.0f}% · {words}\n\n{bar}"


def chart_lines(event: ChartReady) -> list[tuple[str, list[tuple[date, float, float]]]]:
    """The event's series as the chart builders take them: (label, [(day, views, engagement)])."""
    return [(s.label, [(p.day, p.views, p.engagement) for p in s.points]) for s in event.series]


def chart_message(event: ChartReady) -> tuple[str, list[cl.Image | cl.Plotly]]:
    """The chart to hover and zoom, drawn from the event's numbers, with the same chart as a PNG
    linked beside it (the picture to save or forward). Without numbers (no insights yet) the PNG
    alone is shown: it says so in its middle."""
    picture_name = event.image.name
    if not event.series:
        image = cl.Image(path=str(event.image), name=picture_name, display="inline", size="large")
        return event.title, [image]
    interactive = cl.Plotly(
        name=f"{event.image.stem}-interactive",
        figure=chart_figure(chart_lines(event), title=event.title),
        display="inline",
        size="large",
    )
    picture = cl.Image(path=str(event.image), name=picture_name, display="side")
    return f"{event.title}\n\nAs a picture: {picture_name}", [interactive, picture]


def scrub_paths(text: str) -> str:
    """The text without this server's folders: a file is named by its file name only."""
    return _SERVER_PATH.sub(r"\1", text)


def cancel_action() -> cl.Action:
    return cl.Action(name=CANCEL_ACTION, payload={}, label="Cancel", tooltip="Stop this render")


def reply_action(label: str, text: str) -> cl.Action:
    return cl.Action(name="reply", payload={"text": text}, label=label, tooltip=text)


def storyboard_actions() -> list[cl.Action]:
    return [
        cl.Action(name="approve", payload={}, label="Approve", tooltip="Render the final video"),
        cl.Action(name="revise", payload={}, label="Revise", tooltip="Say what to change"),
        *(reply_action(label, text) for label, text in QUICK_CHANGES),
    ]


def approval_markdown(event: ApprovalRequest) -> str:
    """The approval question; when credits are short, with the Checkout link to follow."""
    if event.buy_credits_url:
        return f"{event.text}\n\n**[Buy credits]({event.buy_credits_url})**"
    return event.text


def approval_actions(event: ApprovalRequest) -> list[cl.Action]:
    """Approve and the quick changes; "Buy credits" first when the balance is short."""
    actions = storyboard_actions()
    if event.buy_credits_url:
        buy = cl.Action(
            name=BUY_CREDITS_ACTION,
            payload={"url": event.buy_credits_url},
            label="Buy credits",
            tooltip="Open Stripe Checkout; approve again once it is paid",
        )
        actions.insert(0, buy)
    return actions


def storyboard_markdown(event: StoryboardReady) -> str:
    lines = [
        f"### Storyboard v{event.version}",
        f"{len(event.scenes)} scenes · {event.total_seconds:g} s · {event.aspect} · "
        f"{event.style} style · music {event.music} · voice {event.voice}",
        "",
        "| # | Room | Photo | Seconds | Camera | Caption |",
        "|---|---|---|---|---|---|",
    ]
    for s in event.scenes:
        caption = (s.caption or "").replace("|", "/")
        room = s.room_words or s.room.replace("_", " ")
        lines.append(
            f"| {s.number} | {room} | {s.photo_number} | {s.seconds:.1f} | "
            f"{s.motion_words or s.motion} | {caption} |"
        )
    if event.total_words:
        lines += ["", f"**{event.total_words}**"]
    lines += [f"_{note}_" for note in event.notes]
    return "\n".join(lines)


class TurnPresenter:
    """Shows one turn's events; keeps the streamed message and each render's progress message."""

    def __init__(self, workdir: Path, history: StoryboardHistory | None = None) -> None:
        self._workdir = workdir
        self._history = history
        self._streams: dict[str, cl.Message] = {}
        self._progress: dict[str, tuple[cl.Message, str]] = {}
        self.shown_storyboard = False
        self.video_shown = False

    def use_history(self, history: StoryboardHistory | None) -> None:
        self._history = history

    async def show(self, event: RunnerEvent) -> None:
        match event:
            case AssistantText():
                await self._text(event)
            case StoryboardReady():
                await self._storyboard(event)
            case Question():
                actions = [reply_action(r, r) for r in event.suggested_replies[:6]]
                await cl.Message(content=event.text, actions=actions).send()
            case ApprovalRequest():
                await cl.Message(
                    content=approval_markdown(event), actions=approval_actions(event)
                ).send()
            case JobProgress():
                await self._job_progress(event)
            case VideoReady():
                await self._video(event)
            case ChartReady():
                content, shown = chart_message(event)
                await cl.Message(content=content, elements=shown).send()
            case ErrorEvent():
                text = event.message + (f" {event.hint}" if event.hint else "")
                await cl.Message(content=scrub_paths(text)).send()

    async def _text(self, event: AssistantText) -> None:
        if event.partial:
            message = self._streams.get(event.message_id)
            if message is None:
                message = cl.Message(content="")
                self._streams[event.message_id] = message
            await message.stream_token(event.text)
            return
        streamed = self._streams.pop(event.message_id, None) if event.message_id else None
        text = scrub_paths(event.text)
        if streamed is not None:
            streamed.content = text
            await streamed.send()
        elif text.strip() and not (self.video_shown and text.startswith("Your video is ready")):
            await cl.Message(content=text).send()

    def _strip(self, event: StoryboardReady) -> Path | None:
        if self._history is None:
            return None
        photos = {p.index + 1: p.path for p in self._history.photos}
        tiles = [
            Tile(
                photo=photos[s.photo_number],
                title=f"{s.number}. {s.room.replace('_', ' ')} · {s.seconds:g} s",
                note=s.caption or "",
            )
            for s in event.scenes
            if s.photo_number in photos
        ]
        if not tiles:
            return None
        return contact_sheet(tiles, self._workdir / f"storyboard-v{event.version}.png")

    def _dropped_sheet(self) -> tuple[Path, str] | None:
        if self._history is None or not self._history.dropped:
            return None
        tiles = [
            Tile(
                photo=Path(d.path),
                title=f"Photo {d.photo_index + 1}",
                note=", ".join(d.reasons) if d.rejected else "no room in this length",
            )
            for d in self._history.dropped
        ]
        rejected = sum(1 for d in self._history.dropped if d.rejected)
        text = (
            f"**Left out {len(tiles)} photo{'s' if len(tiles) != 1 else ''}** "
            f"({rejected} not fit to show, {len(tiles) - rejected} for length)."
        )
        return contact_sheet(tiles, self._workdir / "left-out.png"), text

    async def _storyboard(self, event: StoryboardReady) -> None:
        elements: list[cl.Element] = []
        strip = self._strip(event)
        if strip is not None:
            elements.append(
                cl.Image(path=str(strip), name=strip.name, display="inline", size="large")
            )
        if event.preview_video is not None:
            elements.append(
                cl.Video(
                    path=str(event.preview_video),
                    name=f"preview-v{event.version}.mp4",
                    display="inline",
                    mime="video/mp4",
                )
            )
        await cl.Message(content=storyboard_markdown(event), elements=elements).send()
        if not self.shown_storyboard and event.version == 1:
            dropped = self._dropped_sheet()
            if dropped is not None:
                sheet, text = dropped
                image = cl.Image(path=str(sheet), name=sheet.name, display="inline", size="large")
                await cl.Message(content=text, elements=[image]).send()
        self.shown_storyboard = True

    async def _job_progress(self, event: JobProgress) -> None:
        text = progress_text(event.kind, event.stage, event.percent)
        known = self._progress.get(event.job_id)
        if known is None:
            message = cl.Message(content=text, actions=[cancel_action()])
            await message.send()
            self._progress[event.job_id] = (message, text)
        elif known[1] != text:
            message = known[0]
            message.content = text
            await message.update()
            self._progress[event.job_id] = (message, text)
        if event.stage == "cancelled":
            message = self._progress[event.job_id][0]
            await message.remove_actions()
            message.actions = []

    async def finish(self) -> None:
        """The turn is over: no render of it can be cancelled any more."""
        for message, _ in self._progress.values():
            if message.actions:
                await message.remove_actions()
                message.actions = []

    async def _card(self, event: VideoReady) -> None:
        """A facts card on its own: the MP4 to post and the PNG still of its last frame."""
        result = event.result
        name = f"facts-card-{result.width}x{result.height}"
        elements: list[cl.Element] = [
            cl.Video(
                path=str(result.video), name=f"{name}.mp4", display="inline", mime="video/mp4"
            ),
            cl.File(path=str(result.video), name=f"{name}.mp4", display="inline", mime="video/mp4"),
            cl.Image(path=str(result.thumbnail), name=f"{name}.png", display="inline"),
            cl.File(
                path=str(result.thumbnail), name=f"{name}.png", display="inline", mime="image/png"
            ),
        ]
        await cl.Message(
            content=(
                f"**Your facts card:** {result.duration:.0f} s, {result.width}×{result.height}. "
                "Download the MP4 and the PNG still below."
            ),
            elements=elements,
        ).send()

    async def _video(self, event: VideoReady) -> None:
        if event.kind == "infographic":
            await self._card(event)
            return
        self.video_shown = True
        result = event.result
        known = self._progress.get(event.job_id)
        if known is not None:
            known[0].content = progress_text("final", "done", 100.0)
            await known[0].update()
            await known[0].remove_actions()
            known[0].actions = []
        base = f"listing-v{event.version}"
        elements: list[cl.Element] = [
            cl.Video(
                path=str(result.video), name=f"{base}.mp4", display="inline", mime="video/mp4"
            ),
            cl.File(path=str(result.video), name=f"{base}.mp4", display="inline", mime="video/mp4"),
            cl.File(
                path=str(result.subtitles),
                name=f"{base}.srt",
                display="inline",
                mime="application/x-subrip",
            ),
            cl.File(
                path=str(result.thumbnail),
                name=f"{base}-thumbnail.jpg",
                display="inline",
                mime="image/jpeg",
            ),
        ]
        if result.contact_sheet is not None:
            elements.append(
                cl.File(
                    path=str(result.contact_sheet),
                    name=f"{base}-contact-sheet.jpg",
                    display="inline",
                    mime="image/jpeg",
                )
            )
        await cl.Message(
            content=(
                f"**Your video is ready:** {result.duration:.1f} s, "
                f"{result.width}×{result.height}. "
                "Download the MP4, the subtitles (SRT), the thumbnail and the contact sheet "
                "(every scene at a glance) below."
            ),
            elements=elements,
        ).send()
