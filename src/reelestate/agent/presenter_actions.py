"""Actions for the talking presenter and the stand-alone facts card.

The presenter is a choice of the conversation, kept beside the storyboard: it goes on the
final render only (a lip-synced presenter costs money; previews show the listing alone), made
from the brand kit's presenter photo. The facts card on its own is a short video of the
listing's facts in the aspect of the platform it is for, delivered like a finished video.
"""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

from reelestate.agent.action_args import AddPresenterArgs, MakeInfographicArgs, NoArgs
from reelestate.agent.actions import Handler, ToolOutcome
from reelestate.agent.context import ToolContext
from reelestate.agent.events import VideoReady
from reelestate.agent.state import PresenterChoiceRef, analyses_of, listing_of, presenter_of
from reelestate.core.errors import InvalidInputError
from reelestate.render.infographic import InfographicFacts, InfographicSpec, render_infographic
from reelestate.render.presenter_clips import PORTRAIT_NOTE
from reelestate.render.result import RenderResult
from reelestate.render.spec import BrandKit
from reelestate.tools.listing import Listing

PROVIDER_NAMES = {"did": "D-ID", "heygen": "HeyGen", "portrait": "the portrait presenter"}
NO_PHOTO = (
    "There is no presenter photo yet. Send a headshot (one face, looking at the camera) with "
    "the words *use this as my presenter photo*, then say *add me as a presenter*."
)
_BRAND_FILES = ("logo", "font")


def presenter_photo(ctx: ToolContext) -> str | None:
    """The brand kit's presenter photo for this turn's owner (a blob key; None: none)."""
    owner = ctx.owner
    if owner is None:
        return None
    key = owner.presenter_photo or (owner.brand or {}).get("presenter_photo")
    return str(key) if key else None


def presenter_words(ref: PresenterChoiceRef, configured: tuple[str, ...]) -> str:
    """What the user gets, said plainly: where it stands and whether it is lip-synced."""
    where = "in a corner" if ref.layout == "pip" else "full screen at the start"
    text = f"The final video will have you as a presenter {where}, speaking the narration."
    if ref.provider == "portrait":
        reason = "" if configured else " (no D-ID or HeyGen account is set up here)"
        return f"{text} {PORTRAIT_NOTE.removesuffix('.')}{reason}."
    return (
        f"{text} {PROVIDER_NAMES[ref.provider]} makes it lip-synced; its cost is shown before "
        "the final render. If it fails, the portrait presenter (not lip-synced) stands in and "
        "I will say why."
    )


async def add_presenter(ctx: ToolContext, args: AddPresenterArgs) -> ToolOutcome:
    photo = presenter_photo(ctx)
    if photo is None:
        return ToolOutcome(text=NO_PHOTO, ok=False)
    configured = ctx.deps.limits.lip_sync_providers
    provider = args.provider or (configured[0] if configured else "portrait")
    if provider != "portrait" and provider not in configured:
        provider = "portrait"
    ref = PresenterChoiceRef(photo=photo, provider=provider, layout=args.layout)
    data = ref.model_dump(mode="json")
    ctx.state["presenter"] = data
    return ToolOutcome(text=presenter_words(ref, configured), update={"presenter": data})


async def remove_presenter(ctx: ToolContext, _: NoArgs) -> ToolOutcome:
    if presenter_of(ctx.state) is None:
        return ToolOutcome(text="The video has no presenter.")
    ctx.state["presenter"] = None
    return ToolOutcome(
        text="The presenter is off: the final video shows the listing alone.",
        update={"presenter": None},
    )


def card_facts(listing: Listing) -> InfographicFacts:
    """The listing's facts as a card states them; a plain answer when there is nothing to show."""
    if all(v is None for v in (listing.price, listing.beds, listing.baths, listing.area_sqft)):
        raise InvalidInputError(
            "A facts card needs the price or the rooms or the area of the listing.",
            hint='Tell me the facts first, for example "3 bed 2 bath, $585,000, 1,850 sq ft".',
        )
    address = listing.address
    if address and listing.city:
        address = f"{address}, {listing.city}"
    return InfographicFacts(
        address=address[:120] if address else None,
        price=listing.price or None,
        beds=listing.beds,
        baths=listing.baths,
        area_sqft=listing.area_sqft or None,
        currency=listing.currency,
        highlights=[h[:48] for h in listing.highlights[:3]],
    )


def card_brand(ctx: ToolContext) -> BrandKit:
    """The conversation's brand: the installation's kit, else the owner's kit without its files
    (they live in the blob store), else the default colours."""
    if ctx.deps.brand is not None:
        return ctx.deps.brand
    data: dict[str, Any] = (ctx.owner.brand if ctx.owner else None) or {}
    fields = set(BrandKit.model_fields) - set(_BRAND_FILES)
    try:
        return BrandKit.model_validate({k: v for k, v in data.items() if k in fields})
    except ValueError:
        return BrandKit()


def hero_photo(ctx: ToolContext) -> Path | None:
    """The best usable photo: the sharpest of the analysed ones still on disk."""
    usable = [a for a in analyses_of(ctx.state) if a.usable and a.path.is_file()]
    return max(usable, key=lambda a: a.sharpness).path if usable else None


def card_subtitles(facts: InfographicFacts, seconds: float, path: Path) -> Path:
    """One cue with the card's facts, so the card carries captions like any listing video."""
    parts = [
        f"${facts.price:,}" if facts.price and facts.currency == "USD" else None,
        f"{facts.beds:g} bd" if facts.beds is not None else None,
        f"{facts.baths:g} ba" if facts.baths is not None else None,
        f"{facts.area_sqft:,} sq ft" if facts.area_sqft else None,
    ]
    end = f"00:00:{int(seconds):02d},{int(seconds % 1 * 1000):03d}"
    line = " · ".join(p for p in parts if p) or (facts.address or "")
    path.write_text(f"1\n00:00:00,000 --> {end}\n{line}\n", encoding="utf-8")
    return path


async def make_infographic(ctx: ToolContext, args: MakeInfographicArgs) -> ToolOutcome:
    facts = card_facts(listing_of(ctx.state))
    spec = InfographicSpec(
        facts=facts,
        brand=card_brand(ctx),
        photo=hero_photo(ctx),
        aspect=args.aspect,
        profile=ctx.deps.final_profile,
        music=None if ctx.state.get("music_on") is False else "warm",
    )
    job_id = f"card-{uuid.uuid4().hex[:8]}"
    out_dir = ctx.folder / "cards" / job_id
    work = ctx.deps.limits.cache_dir / "infographics"
    work.mkdir(parents=True, exist_ok=True)
    made = await asyncio.to_thread(render_infographic, spec, out_dir, voice=None, work_dir=work)
    subtitles = card_subtitles(facts, made.duration, out_dir / "infographic.srt")
    result = RenderResult(
        video=made.video,
        subtitles=subtitles,
        thumbnail=made.still,
        duration=made.duration,
        width=made.width,
        height=made.height,
        fps=made.fps,
        frames=made.frames,
        loudness_lufs=made.loudness_lufs,
    ).resolved()
    platform = args.platform or f"{args.aspect}"
    said = (
        f"Your facts card for {platform} is ready: {made.duration:.0f} s, "
        f"{made.width}×{made.height}, with a PNG still of its last frame."
    )
    if args.aspect == "4:5":
        said += " Say *for reels* for the 9:16 version."
    ctx.emit(VideoReady(job_id=job_id, version=0, result=result, kind="infographic"))
    return ToolOutcome(text=said)


PRESENTER_HANDLERS: dict[str, Handler] = {
    "add_presenter": add_presenter,
    "remove_presenter": remove_presenter,
    "make_infographic": make_infographic,
}
