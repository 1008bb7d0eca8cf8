"""The storyboard: a shot plan turned into scenes, kept as a history of immutable versions.

`plan_storyboard` makes version 1 from the analyses and the script; revisions and reverts
add versions; `to_render_spec` turns any version into the `RenderSpec` the engine renders
(the storyboard file `reelestate render` reads).
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError

from reelestate.core.errors import InvalidInputError, InvalidRevisionError
from reelestate.core.settings import MIN_PHOTOS
from reelestate.prompts.features import ROOM_LABELS, ROOM_TERMS
from reelestate.prompts.styles import STYLE_MUSIC
from reelestate.providers.tts.narrator import parse_voice_choice
from reelestate.providers.video_gen.registry import VideoModelRegistry
from reelestate.providers.vision.base import PhotoAnalysis
from reelestate.render.spec import (
    BrandKit,
    FactsCard,
    ListingFacts,
    MusicTrack,
    NarrationRequest,
    Profile,
    RenderFlags,
    RenderSpec,
    Scene,
    parse_spec,
)
from reelestate.render.timeline import card_seconds
from reelestate.tools.listing import Listing
from reelestate.tools.narration_fit import fit_scenes_to_length
from reelestate.tools.script_facts import fact_sheet
from reelestate.tools.script_model import Script, ScriptLine
from reelestate.tools.shot_plan import DroppedPhoto, PlannedShot, plan_shots, weakest_first
from reelestate.tools.storyboard_model import (
    MAX_CAPTION_CHARS,
    MAX_SCENE_SECONDS,
    MIN_SCENE_SECONDS,
    MIN_SCENES,
    StoryboardPhoto,
    StoryboardScene,
    StoryboardSettings,
    StoryboardVersion,
    storyboard_cards,
)
from reelestate.tools.storyboard_ops import (
    RevisionOp,
    apply_op,
    dress_scenes,
    version_problems,
)
from reelestate.tools.storyboard_timing import fit_scene_lengths, settings_beats
from reelestate.tools.timing import FASTEST_RATE, READABLE_SECONDS, spoken_needs


def _shot_needs(shots: Sequence[PlannedShot], script: Script, length_seconds: float) -> list[float]:
    """Seconds each shot needs for its lines; relaxed (voice in the cold open, words running
    on over silent photos) when the length cannot hold them otherwise."""
    spoken = [
        min(MAX_SCENE_SECONDS, sum(line.duration for line in script.lines_for(s.photo_index)))
        for s in shots
    ]
    intro, outro = storyboard_cards()
    budget = length_seconds - intro - outro
    needs = spoken_needs(spoken, intro=intro, outro=outro)
    if sum(max(MIN_SCENE_SECONDS, n) for n in needs) > budget + 1e-6:
        needs = spoken_needs(spoken, intro=intro, outro=outro, relaxed=True)
    if sum(max(READABLE_SECONDS, n) for n in needs) > budget + 1e-6:
        # as the render does, a free voice speaks faster before the video grows
        faster = [s / FASTEST_RATE for s in spoken]
        needs = spoken_needs(faster, intro=intro, outro=outro, relaxed=True)
    return needs


def _readable_shots(
    shots: tuple[PlannedShot, ...],
    analyses: Sequence[PhotoAnalysis],
    script: Script,
    length_seconds: float,
    min_photos: int,
) -> tuple[list[PlannedShot], list[DroppedPhoto], tuple[str, ...]]:
    """The shots with the weakest silent ones left out until each can hold `READABLE_SECONDS`
    (never fewer than `min_photos`, never the opening or a photo with words over it)."""
    kept = list(shots)
    intro, outro = storyboard_cards()
    budget = length_seconds - intro - outro
    spoken_over = {line.photo_index for line in script.lines if line.photo_index is not None}
    left: list[PlannedShot] = []
    while len(kept) > min_photos:
        needs = _shot_needs(kept, script, length_seconds)
        if sum(max(READABLE_SECONDS, n) for n in needs) <= budget + 1e-6:
            break
        weakest = weakest_first(kept, analyses, keep=spoken_over)
        if not weakest:
            break
        kept.remove(weakest[0])
        left.append(weakest[0])
    if not left:
        return kept, [], ()
    reason = (
        f"left out so each photo of a {length_seconds:g} s video shows for {READABLE_SECONDS:g} s"
    )
    dropped = [
        DroppedPhoto(
            photo_index=s.photo_index,
            path=str(analyses[s.photo_index].path),
            reasons=(reason,),
            rejected=False,
        )
        for s in left
    ]
    names = ", ".join(f"photo {s.photo_index + 1} ({s.room.replace('_', ' ')})" for s in left)
    note = (
        f"Left out {names} so no photo flashes by in {length_seconds:g} s. "
        "Make it longer to show them."
    )
    return kept, dropped, (note,)


def _now() -> datetime:
    return datetime.now(UTC)


class StoryboardHistory(BaseModel):
    """Every version of one storyboard, oldest first, and the photos it may draw on."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    photos: tuple[StoryboardPhoto, ...]
    dropped: tuple[DroppedPhoto, ...] = ()
    versions: tuple[StoryboardVersion, ...]

    @property
    def current(self) -> StoryboardVersion:
        return self.versions[-1]

    def version(self, number: int) -> StoryboardVersion:
        for v in self.versions:
            if v.number == number:
                return v
        raise InvalidRevisionError(
            f"There is no version {number}.",
            reasons=[f"versions run from 1 to {self.current.number}"],
        )

    def apply(
        self,
        op: RevisionOp,
        *,
        author: str,
        reason: str | None = None,
        now: datetime | None = None,
        models: VideoModelRegistry | None = None,
    ) -> StoryboardHistory:
        """This history with one more version: the current one changed by `op`.

        `models`: the video models an AI motion change may name (checked against them).
        """
        new = apply_op(
            self.current,
            op,
            self.photos,
            author=author,
            now=now or _now(),
            number=self.current.number + 1,
            reason=reason,
            models=models,
        )
        return self.model_copy(update={"versions": (*self.versions, new)})

    def revert(self, number: int, *, author: str, now: datetime | None = None) -> StoryboardHistory:
        """Undo: a new version with the content of version `number`."""
        old = self.version(number)
        new = old.model_copy(
            update={
                "number": self.current.number + 1,
                "author": author,
                "created_at": now or _now(),
                "reason": f"revert to v{number}",
            }
        )
        return self.model_copy(update={"versions": (*self.versions, new)})

    def to_json(self) -> str:
        return self.model_dump_json(indent=2)

    @classmethod
    def from_json(cls, text: str | bytes) -> StoryboardHistory:
        try:
            history = cls.model_validate_json(text)
        except ValidationError as exc:
            raise InvalidInputError(
                f"The storyboard history is not valid: {exc.errors()[0]['msg']}."
            ) from exc
        if not history.versions:
            raise InvalidInputError("The storyboard history has no versions.")
        return history


def _caption(
    scene_room: str, script: Script, photo_index: int, highlights: dict[int, str]
) -> str | None:
    """A highlight that names this scene's room ("renovated kitchen"), else the room's label."""
    terms = ROOM_TERMS.get(scene_room, ())
    for line in script.lines_for(photo_index):
        for fact in sorted(line.facts):
            if not fact.startswith("highlight:"):
                continue
            text = highlights.get(int(fact.split(":")[1]), "")
            named = any(re.search(rf"\b{re.escape(t)}\b", text, re.IGNORECASE) for t in terms)
            if named and len(text) <= MAX_CAPTION_CHARS:
                return text[0].upper() + text[1:]
    if scene_room == "exterior":
        return None
    return ROOM_LABELS.get(scene_room)


def plan_storyboard(
    listing: Listing,
    analyses: Sequence[PhotoAnalysis],
    script: Script,
    *,
    settings: StoryboardSettings | None = None,
    author: str = "planner",
    now: datetime | None = None,
    min_photos: int = MIN_PHOTOS,
) -> StoryboardHistory:
    """Version 1: the shot plan's photos in order, timed by their narration lines.

    Fewer than `min_photos` usable photos cannot make one (`InvalidInputError` says why).
    """
    if settings is None:
        settings = StoryboardSettings(
            style=script.style,
            music_mood=STYLE_MUSIC[script.style],
            length_seconds=script.length_seconds,
        )
    plan = plan_shots(analyses, settings.length_seconds, min_photos=min_photos)
    shots, left_out, left_notes = _readable_shots(
        plan.shots, analyses, script, settings.length_seconds, max(min_photos, MIN_SCENES)
    )
    photos = tuple(StoryboardPhoto.from_analysis(i, a) for i, a in enumerate(analyses))
    highlights = fact_sheet(listing, analyses).highlights
    needs = _shot_needs(shots, script, settings.length_seconds)
    scenes = [
        StoryboardScene(
            photo_index=shot.photo_index,
            photo=photos[shot.photo_index].path,
            room=shot.room,
            duration=MIN_SCENE_SECONDS,
            focal_point=photos[shot.photo_index].focal_point,
            caption=None
            if position == 0
            else _caption(shot.room, script, shot.photo_index, highlights),
        )
        for position, shot in enumerate(shots)
    ]
    scenes, notes = fit_scene_lengths(
        scenes, settings, settings.length_seconds, needs=needs, equal=True
    )
    version = StoryboardVersion(
        number=1,
        author=author,
        created_at=now or _now(),
        reason="first plan",
        scenes=dress_scenes(scenes, photos, settings),
        settings=settings,
        notes=(*script.notes, *left_notes, *notes),
    )
    problems = version_problems(version, photos)
    if problems:
        raise InvalidRevisionError(
            f"The photos do not make a valid storyboard: {problems[0]}.", reasons=problems
        )
    dropped = tuple(sorted((*plan.dropped, *left_out), key=lambda d: d.photo_index))
    return StoryboardHistory(photos=photos, dropped=dropped, versions=(version,))


def narration_text(version: StoryboardVersion, script: Script) -> str:
    """The script's lines in the order the version shows their photos; photo-less lines last."""
    return " ".join(line.text for line in _spoken_order(version, script))


def _spoken_order(version: StoryboardVersion, script: Script) -> list[ScriptLine]:
    shown = [
        line
        for scene in version.scenes
        if not scene.is_card  # the card shows a photo the tour has already spoken over
        for line in script.lines_for(scene.photo_index)
    ]
    loose = [line for line in script.lines if line.photo_index is None]
    return [*shown, *loose]


def scene_words(version: StoryboardVersion, script: Script) -> list[int | None]:
    """Per scene, the index of the narration word its first sentence starts with (None: a
    scene without sentences), so the voice can start each scene's sentences as it starts."""
    firsts: list[int | None] = []
    count = 0
    for scene in version.scenes:
        lines = [] if scene.is_card else script.lines_for(scene.photo_index)
        firsts.append(count if lines else None)
        count += sum(len(line.text.split()) for line in lines)
    return firsts


def narration_request(text: str, settings: StoryboardSettings) -> NarrationRequest:
    """The narration for a storyboard's voice settings (`en-us`, `elevenlabs:Rachel`, ...)."""
    provider, voice = parse_voice_choice(settings.voice)
    return NarrationRequest(
        text=text,
        provider=provider,
        voice=voice,
        model=settings.voice_model,
        style=settings.voice_style,
    )


def to_render_spec(
    version: StoryboardVersion,
    listing: Listing,
    script: Script,
    *,
    profile: Profile = "final",
    brand: BrandKit | None = None,
) -> RenderSpec:
    """The engine's input for this version; `InvalidSpecError` if the engine would refuse it."""
    settings = version.settings
    text = narration_text(version, script)
    narration = None
    if text:
        request = narration_request(text, settings)
        narration = request.model_copy(update={"scene_words": scene_words(version, script)})
    data: dict[str, Any] = {
        "aspect": settings.aspect,
        "profile": profile,
        "scenes": [
            Scene(
                photo=s.photo,
                duration=s.duration,
                motion=s.motion,
                focal_point=s.focal_point,
                caption=s.caption,
                overlay=s.overlay,
                transition=s.transition,
                ai_motion=s.ai_motion,
                card=FactsCard(highlights=list(s.highlights)) if s.is_card else None,
            ).model_dump()
            for s in version.scenes
        ],
        "narration": narration.model_dump() if narration else None,
        "music": MusicTrack(
            path=settings.music_track.path if settings.music_track else None,
            mood=settings.music_mood,
        ).model_dump(),
        "brand": (brand or BrandKit()).model_dump(),
        "facts": ListingFacts(
            address=listing.address,
            price=listing.price,
            beds=listing.beds,
            baths=listing.baths,
            area_sqft=listing.area_sqft,
            currency=listing.currency,
        ).model_dump(),
        "flags": RenderFlags(captions=settings.captions).model_dump(),
        "title": listing.address,
    }
    spec = parse_spec(data)
    if brand is not None and card_seconds(spec.brand, spec.flags) != storyboard_cards():
        spec, _ = fit_scenes_to_length(spec, version.total_seconds, beats=settings_beats(settings))
    return spec


def _relative(path: Path | None, base: Path) -> str | None:
    if path is None:
        return None
    resolved = path.resolve()  # a relative path is relative to the working directory
    common = Path(os.path.commonpath([resolved, base]))
    if common == Path(common.anchor):
        return str(resolved)
    return os.path.relpath(resolved, base)


def write_render_spec(spec: RenderSpec, path: Path) -> Path:
    """Write `spec` as a storyboard file; photo and media paths relative to it when possible."""
    base = path.parent.resolve()
    data = spec.model_dump(mode="json")
    for raw, scene in zip(data["scenes"], spec.scenes, strict=True):
        raw["photo"] = _relative(scene.photo, base)
    if spec.voice is not None:
        data["voice"]["audio"] = _relative(spec.voice.audio, base)
    if spec.music is not None:
        data["music"]["path"] = _relative(spec.music.path, base)
    data["brand"]["logo"] = _relative(spec.brand.logo, base)
    data["brand"]["font"] = _relative(spec.brand.font, base)
    base.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".storyboard-", suffix=".json", dir=base)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2)
        fh.write("\n")
    Path(tmp).replace(path)
    return path
