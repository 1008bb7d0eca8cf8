"""Plain-words summaries of the conversation's data, for replies and events."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from reelestate.agent.events import ApprovalRequest, SceneSummary, StoryboardReady
from reelestate.agent.state import PresenterChoiceRef
from reelestate.providers.video_gen.registry import VideoModelRegistry
from reelestate.providers.vision.base import PhotoAnalysis
from reelestate.render.presenter_clips import PresenterChoice, estimate_presenter_cost
from reelestate.services.credits import CreditQuote
from reelestate.tools.ai_motion import version_cost
from reelestate.tools.listing import FACT_LABELS, Listing, missing_facts
from reelestate.tools.storyboard import StoryboardHistory
from reelestate.tools.storyboard_model import StoryboardVersion
from reelestate.tools.storyboard_words import (
    motion_words,
    scene_title,
    seconds_words,
    total_words,
)

SUGGESTED_FACTS: dict[str, str] = {
    "address": "12 Oak St, Austin TX",
    "price": "$585,000",
    "beds": "3 bed",
    "baths": "2 bath",
    "area_sqft": "1,850 sq ft",
}
CAN_DO = (
    '"swap the kitchen and the bedroom", "put the kitchen first", "remove photo 3", '
    '"make it 20 seconds", "slower", "no music", "calmer music", "female voice", '
    '"square for Instagram", "change the caption on the kitchen to ...", "undo", '
    '"go back to version 2", "approve"'
)

RENTAL_ANSWER = (
    "This reads as a rental. I make videos of homes for sale, so I have not recorded it; "
    "send the sale listing (price, beds, baths, area and address) to make one."
)
RENDER_CANCELLED = "Render cancelled. Your storyboard is kept; say 'render' to start it again."
SKIPPED_AFTER_CANCEL = "Not done: the person cancelled the render, so this message stops here."


def missing_labels(listing: Listing) -> list[str]:
    return [FACT_LABELS[name] for name in missing_facts(listing)]


def photos_summary(analyses: list[PhotoAnalysis]) -> str:
    usable = [a for a in analyses if a.usable]
    rooms = Counter(a.room.replace("_", " ") for a in usable)
    text = (
        f"{len(analyses)} photos, {len(usable)} usable ("
        + ", ".join(f"{count} {room}" for room, count in sorted(rooms.items()))
        + ")"
    )
    rejected = [
        f"photo {i + 1}: {', '.join(a.reject_reasons)}"
        for i, a in enumerate(analyses)
        if a.reject_reasons
    ]
    if rejected:
        text += "; left out " + "; ".join(rejected)
    return text


def version_line(version: StoryboardVersion) -> str:
    settings = version.settings
    return (
        f"version {version.number} ({version.reason}): {len(version.scenes)} scenes, "
        f"{seconds_words(version.total_seconds)} in all, {settings.aspect}, {settings.style}"
    )


def scene_lines(version: StoryboardVersion) -> str:
    lines = [
        f"  {i}. {scene_title(s)} (photo {s.photo_index + 1}), {motion_words(s)}, "
        f"{seconds_words(s.duration)}" + (f', "{s.caption}"' if s.caption else "")
        for i, s in enumerate(version.scenes, start=1)
    ]
    return "\n".join(
        [*lines, f"  {total_words(version)}", *(f"  Note: {n}" for n in version.notes)]
    )


def storyboard_event(
    history: StoryboardHistory,
    *,
    storyboard_file: Path,
    preview: Path | None,
    music_on: bool,
) -> StoryboardReady:
    version = history.current
    settings = version.settings
    return StoryboardReady(
        version=version.number,
        reason=version.reason,
        total_seconds=version.total_seconds,
        aspect=settings.aspect,
        style=settings.style,
        music="off"
        if not music_on
        else (f"“{settings.music_track.name}”" if settings.music_track else settings.music_mood),
        voice=settings.voice,
        scenes=[
            SceneSummary(
                number=i,
                photo_number=s.photo_index + 1,
                room=s.room,
                seconds=s.duration,
                caption=s.caption,
                motion="facts_card"
                if s.is_card
                else (f"ai:{s.ai_motion.model}" if s.ai_motion else s.motion.kind),
                room_words=scene_title(s),
                motion_words=motion_words(s),
            )
            for i, s in enumerate(version.scenes, start=1)
        ],
        total_words=total_words(version),
        notes=list(version.notes),
        storyboard_file=storyboard_file.resolve(),
        preview_video=preview.resolve() if preview else None,
    )


def ai_cost_line(version: StoryboardVersion, models: VideoModelRegistry) -> str:
    """What the asked-for AI motion should cost, or "" when the version has none."""
    estimate = version_cost(version.scenes, models)
    if not estimate.scenes:
        return ""
    return (
        f"{estimate.summary()} A scene whose clip cannot be made keeps its photo motion. "
        "The preview shows photo motion. "
    )


def presenter_cost_line(presenter: PresenterChoiceRef | None, seconds: float) -> str:
    """What the presenter should cost, said like the AI clips' cost; "" without a presenter."""
    if presenter is None:
        return ""
    if presenter.provider == "portrait":
        return "The presenter is the portrait presenter (free, not lip-synced). "
    name = {"did": "D-ID", "heygen": "HeyGen"}[presenter.provider]
    choice = PresenterChoice(
        photo=Path(presenter.photo), provider=presenter.provider, layout=presenter.layout
    )
    cost = estimate_presenter_cost(choice, seconds)
    return (
        f"The lip-synced presenter ({name}, up to {seconds_words(seconds)} of narration) "
        f"should cost about ${cost:.2f}; if it fails, the portrait presenter stands in. "
    )


def approval_request(
    version: StoryboardVersion,
    models: VideoModelRegistry,
    quote: CreditQuote | None = None,
    presenter: PresenterChoiceRef | None = None,
) -> ApprovalRequest:
    """The question before the final render, with what the AI motion and the presenter should
    cost at `models`' and the presenter service's prices and, when renders are billed, its
    price in credits and the balance after."""
    credits = quote.words() if quote is not None else ""
    ask = (
        "Say approve once you have the credits, or tell me what to change."
        if quote is not None and quote.short
        else "Say approve, or tell me what to change."
    )
    return ApprovalRequest(
        version=version.number,
        text=(
            f"Render the final video from storyboard version {version.number} "
            f"({seconds_words(version.total_seconds)} in all, {version.settings.aspect})? "
            + ai_cost_line(version, models)
            + presenter_cost_line(presenter, version.total_seconds)
            + credits
            + ask
        ),
        total_seconds=version.total_seconds,
        aspect=version.settings.aspect,
        price_credits=quote.price if quote else None,
        balance_after=quote.after if quote else None,
        credits_short=quote.short if quote else False,
        buy_credits_url=quote.buy_url if quote else None,
    )
