"""Storyboard revisions as data: each operation turns a version into a new, checked version.

Scene and photo numbers in operations and messages count from 1, as people say them
("swap 2 and 5", "put photo 7 back").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from reelestate.core.errors import InvalidInputError, InvalidRevisionError
from reelestate.core.styles import Style
from reelestate.prompts.motion import motion_prompt
from reelestate.prompts.styles import STYLE_MUSIC
from reelestate.providers.tts.narrator import parse_voice_choice
from reelestate.providers.video_gen.registry import VideoModelRegistry
from reelestate.render.infographic.spec import MAX_HIGHLIGHT_CHARS
from reelestate.render.spec import AiMotion, Aspect, MotionKind, MusicMood
from reelestate.tools.fair_housing import lint
from reelestate.tools.storyboard_model import (
    MAX_CAPTION_CHARS,
    MAX_SCENE_SECONDS,
    MAX_SCENES,
    MAX_TOTAL_SECONDS,
    MIN_SCENES,
    MIN_TOTAL_SECONDS,
    SHORTEST_SCENE_SECONDS,
    StoryboardPhoto,
    StoryboardScene,
    StoryboardSettings,
    StoryboardVersion,
)
from reelestate.tools.storyboard_style import choose_motion, choose_transition, fit_transition
from reelestate.tools.storyboard_timing import fit_scene_lengths

_VOICE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:+\-]{0,79}$")


class _Op(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SwapOp(_Op):
    op: Literal["swap"] = "swap"
    scene: int
    with_scene: int


class MoveOp(_Op):
    op: Literal["move"] = "move"
    scene: int
    to: int


class RemoveOp(_Op):
    op: Literal["remove"] = "remove"
    scene: int


class AddOp(_Op):
    """Show a photo the plan left out, at a position (default: before the last scene)."""

    op: Literal["add"] = "add"
    photo: int
    at: int | None = None
    duration: float = 3.0


class AddInfographicOp(_Op):
    """Show the listing's facts card as a scene (default: at the end) over the hero photo."""

    op: Literal["add_infographic"] = "add_infographic"
    at: int | None = None
    duration: float = 5.0
    highlights: list[str] = Field(default=[], max_length=3)


class RetimeOp(_Op):
    op: Literal["retime"] = "retime"
    scene: int
    seconds: float


class SetCaptionOp(_Op):
    op: Literal["set_caption"] = "set_caption"
    scene: int
    caption: str | None


class SetMotionOp(_Op):
    op: Literal["set_motion"] = "set_motion"
    scene: int
    motion: MotionKind
    strength: float | None = Field(default=None, ge=0, le=0.4)


class SetAiMotionOp(_Op):
    """Ask for generated motion on a scene (`model`: a registry key), or back to photo motion."""

    op: Literal["set_ai_motion"] = "set_ai_motion"
    scene: int
    model: str | None = None


class SetVoiceOp(_Op):
    op: Literal["set_voice"] = "set_voice"
    voice: str


class SetMusicOp(_Op):
    op: Literal["set_music"] = "set_music"
    mood: MusicMood


class SetStyleOp(_Op):
    op: Literal["set_style"] = "set_style"
    style: Style


class SetAspectOp(_Op):
    op: Literal["set_aspect"] = "set_aspect"
    aspect: Aspect


class SetLengthOp(_Op):
    """Stretch or shorten every scene in proportion so the video, cards included, lasts
    `seconds`."""

    op: Literal["set_length"] = "set_length"
    seconds: float


RevisionOp = Annotated[
    SwapOp
    | MoveOp
    | RemoveOp
    | AddOp
    | AddInfographicOp
    | RetimeOp
    | SetCaptionOp
    | SetMotionOp
    | SetAiMotionOp
    | SetVoiceOp
    | SetMusicOp
    | SetStyleOp
    | SetAspectOp
    | SetLengthOp,
    Field(discriminator="op"),
]
_OP_ADAPTER: TypeAdapter[RevisionOp] = TypeAdapter(RevisionOp)


def parse_op(data: object) -> RevisionOp:
    """A revision from JSON-like data, or an `InvalidInputError` saying what is wrong."""
    try:
        return _OP_ADAPTER.validate_python(data)
    except ValidationError as exc:
        detail = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:3]
        )
        raise InvalidInputError(
            f"That storyboard change is not understood: {detail}.",
            hint="Use one of: swap, move, remove, add, add_infographic, retime, set_caption, "
            "set_motion, set_voice, set_music, set_style, set_aspect, set_length.",
        ) from exc


def describe(op: RevisionOp) -> str:
    """A short reason for the version list, e.g. 'swap scenes 2 and 5'."""
    match op:
        case SwapOp():
            return f"swap scenes {op.scene} and {op.with_scene}"
        case MoveOp():
            return f"move scene {op.scene} to {op.to}"
        case RemoveOp():
            return f"remove scene {op.scene}"
        case AddOp():
            return f"add photo {op.photo}"
        case AddInfographicOp():
            return "add a facts card" + (" at the end" if op.at is None else f" at {op.at}")
        case RetimeOp():
            return f"scene {op.scene} lasts {op.seconds:g} s"
        case SetCaptionOp():
            return f"caption of scene {op.scene}"
        case SetMotionOp():
            return f"scene {op.scene} motion {op.motion}"
        case SetAiMotionOp():
            if op.model is None:
                return f"scene {op.scene} back to photo motion"
            return f"scene {op.scene} AI motion ({op.model})"
        case SetVoiceOp():
            return f"voice {op.voice}"
        case SetMusicOp():
            return f"music {op.mood}"
        case SetStyleOp():
            return f"style {op.style}"
        case SetAspectOp():
            return f"aspect {op.aspect}"
        case SetLengthOp():
            return f"length {op.seconds:g} s"


def dress_scenes(
    scenes: Sequence[StoryboardScene],
    photos: Sequence[StoryboardPhoto],
    settings: StoryboardSettings,
) -> tuple[StoryboardScene, ...]:
    """Scenes with motion, transitions and the lower third set for their order and settings."""
    out: list[StoryboardScene] = []
    previous: MotionKind | None = None
    for position, scene in enumerate(scenes):
        motion = scene.motion
        if scene.is_card:
            after = scenes[position + 1].duration if position + 1 < len(scenes) else None
            transition = fit_transition(
                choose_transition(settings.style, position), scene.duration, after
            )
            out.append(scene.model_copy(update={"transition": transition, "overlay": "none"}))
            continue
        if not scene.motion_locked and scene.photo_index < len(photos):
            photo = photos[scene.photo_index]
            motion = choose_motion(
                (photo.width, photo.height),
                scene.focal_point,
                settings.aspect,
                settings.style,
                opening=position == 0 and photo.room == "exterior",
                previous=previous,
            )
        after = scenes[position + 1].duration if position + 1 < len(scenes) else None
        transition = fit_transition(
            choose_transition(settings.style, position), scene.duration, after
        )
        overlay = "lower_third" if position == 0 else "none"
        out.append(
            scene.model_copy(
                update={"motion": motion, "transition": transition, "overlay": overlay}
            )
        )
        previous = motion.kind
    return tuple(out)


def version_problems(version: StoryboardVersion, photos: Sequence[StoryboardPhoto]) -> list[str]:
    """Every rule the version breaks; empty means it may be rendered."""
    problems: list[str] = []
    count = len(version.scenes)
    if not MIN_SCENES <= count <= MAX_SCENES:
        problems.append(f"a video shows {MIN_SCENES} to {MAX_SCENES} photos, this one {count}")
    total = version.total_seconds
    if not MIN_TOTAL_SECONDS <= total <= MAX_TOTAL_SECONDS:
        problems.append(
            f"a video lasts {MIN_TOTAL_SECONDS:g} to {MAX_TOTAL_SECONDS:g} s, this one {total:g} s"
        )
    seen: dict[int, int] = {}
    for number, scene in enumerate(version.scenes, start=1):
        # Cuts sit on frames, so a scene may be a fraction of a frame under a round limit.
        if not SHORTEST_SCENE_SECONDS <= round(scene.duration, 1) <= MAX_SCENE_SECONDS:
            problems.append(
                f"scene {number} lasts {scene.duration:g} s; a scene lasts "
                f"{SHORTEST_SCENE_SECONDS:g} to {MAX_SCENE_SECONDS:g} s"
            )
        if not 0 <= scene.photo_index < len(photos):
            problems.append(
                f"scene {number} shows photo {scene.photo_index + 1}, which does not exist"
            )
        elif photos[scene.photo_index].path != scene.photo:
            problems.append(
                f"scene {number} names a file that is not photo {scene.photo_index + 1}"
            )
        if scene.is_card:
            problems.extend(_card_problems(number, scene, version.scenes))
        elif scene.photo_index in seen:
            problems.append(
                f"scene {number} repeats photo {scene.photo_index + 1} "
                f"(already scene {seen[scene.photo_index]})"
            )
        if not scene.is_card:
            seen.setdefault(scene.photo_index, number)
        if scene.caption is not None:
            if len(scene.caption) > MAX_CAPTION_CHARS:
                problems.append(
                    f"the caption of scene {number} has {len(scene.caption)} characters; "
                    f"keep it to {MAX_CAPTION_CHARS}"
                )
            problems.extend(
                f"the caption of scene {number} says {v.phrase!r} ({v.reason}); "
                f"try {v.suggestion!r}" if v.suggestion else
                f"the caption of scene {number} says {v.phrase!r} ({v.reason}); leave it out"
                for v in lint(scene.caption)
            )  # fmt: skip
    if not _VOICE.match(version.settings.voice) or _voice_provider(version.settings.voice) is None:
        problems.append(f"{version.settings.voice!r} is not a voice name")
    return problems


def _card_problems(
    number: int, scene: StoryboardScene, scenes: Sequence[StoryboardScene]
) -> list[str]:
    problems = []
    first = next(i for i, s in enumerate(scenes, start=1) if s.is_card)
    if first != number:
        problems.append(f"scene {number} is a second facts card (scene {first} is one already)")
    if scene.caption is not None:
        problems.append(f"scene {number} is the facts card; it sets its own text, not a caption")
    if scene.ai_motion is not None:
        problems.append(f"scene {number} is the facts card; it cannot be a generated clip")
    problems.extend(
        f"a highlight of the facts card is {len(h)} characters; keep it to {MAX_HIGHLIGHT_CHARS}"
        for h in scene.highlights
        if len(h) > MAX_HIGHLIGHT_CHARS
    )
    return problems


def _add_card(op: AddInfographicOp, scenes: list[StoryboardScene]) -> None:
    """The card goes over the opening photo (the hero), where the tour began."""
    hero = next((s for s in scenes if not s.is_card), None)
    if hero is None:
        raise InvalidRevisionError("A facts card needs a photo behind it.", reasons=["no photos"])
    at = len(scenes) if op.at is None else op.at - 1
    if not 0 <= at <= len(scenes):
        raise InvalidRevisionError(
            f"There is no position {op.at}.",
            reasons=[f"positions run from 1 to {len(scenes) + 1}"],
        )
    highlights = tuple(" ".join(h.split()) for h in op.highlights if h.strip())
    scenes.insert(
        at,
        StoryboardScene(
            photo_index=hero.photo_index,
            photo=hero.photo,
            room=hero.room,
            duration=op.duration,
            focal_point=hero.focal_point,
            kind="infographic",
            highlights=highlights,
        ),
    )


def _scene_index(number: int, scenes: Sequence[StoryboardScene], what: str = "scene") -> int:
    if not 1 <= number <= len(scenes):
        raise InvalidRevisionError(
            f"There is no {what} {number}.",
            reasons=[f"{what} numbers run from 1 to {len(scenes)}"],
        )
    return number - 1


def _add_scene(op: AddOp, scenes: list[StoryboardScene], photos: Sequence[StoryboardPhoto]) -> None:
    if not 1 <= op.photo <= len(photos):
        raise InvalidRevisionError(
            f"There is no photo {op.photo}.",
            reasons=[f"photo numbers run from 1 to {len(photos)}"],
        )
    photo = photos[op.photo - 1]
    if photo.reject_reasons:
        raise InvalidRevisionError(
            f"Photo {op.photo} was left out: {', '.join(photo.reject_reasons)}.",
            reasons=list(photo.reject_reasons),
            hint="Replace it with a better photo of the same room.",
        )
    at = len(scenes) if op.at is None else op.at - 1
    if not 0 <= at <= len(scenes):
        raise InvalidRevisionError(
            f"There is no position {op.at}.",
            reasons=[f"positions run from 1 to {len(scenes) + 1}"],
        )
    if op.at is None and len(scenes) > 1:
        at = len(scenes) - 1
    scenes.insert(
        at,
        StoryboardScene(
            photo_index=photo.index,
            photo=photo.path,
            room=photo.room,
            duration=op.duration,
            focal_point=photo.focal_point,
        ),
    )


def _voice_provider(voice: str) -> str | None:
    """The provider a voice setting names; None when it names none we know."""
    try:
        return parse_voice_choice(voice)[0]
    except InvalidInputError:
        return None


def _apply_settings(op: RevisionOp, settings: StoryboardSettings) -> StoryboardSettings:
    match op:
        case SetVoiceOp():
            voice = op.voice.strip()
            update: dict[str, object] = {"voice": voice}
            if _voice_provider(voice) != _voice_provider(settings.voice):
                update.update(voice_model=None, voice_style=None)  # they belong to the old one
            return settings.model_copy(update=update)
        case SetMusicOp():
            # Asking for a mood means the generated bed of that mood, not the uploaded track.
            return settings.model_copy(update={"music_mood": op.mood, "music_track": None})
        case SetStyleOp():
            mood = settings.music_mood
            if mood == STYLE_MUSIC[settings.style]:
                mood = STYLE_MUSIC[op.style]
            return settings.model_copy(update={"style": op.style, "music_mood": mood})
        case SetAspectOp():
            return settings.model_copy(update={"aspect": op.aspect})
        case SetLengthOp():
            return settings.model_copy(update={"length_seconds": op.seconds})
    return settings


def _apply(
    op: RevisionOp,
    version: StoryboardVersion,
    photos: Sequence[StoryboardPhoto],
    models: VideoModelRegistry | None,
) -> tuple[list[StoryboardScene], StoryboardSettings, tuple[str, ...]]:
    scenes = list(version.scenes)
    settings = _apply_settings(op, version.settings)
    notes: tuple[str, ...] = ()
    match op:
        case SwapOp():
            a, b = _scene_index(op.scene, scenes), _scene_index(op.with_scene, scenes)
            scenes[a], scenes[b] = scenes[b], scenes[a]
        case MoveOp():
            a = _scene_index(op.scene, scenes)
            scene = scenes.pop(a)
            scenes.insert(_scene_index(op.to, [*scenes, scene], "position"), scene)
        case RemoveOp():
            scenes.pop(_scene_index(op.scene, scenes))
        case AddOp():
            _add_scene(op, scenes, photos)
        case AddInfographicOp():
            _add_card(op, scenes)
        case RetimeOp():
            i = _scene_index(op.scene, scenes)
            scenes[i] = scenes[i].model_copy(update={"duration": round(op.seconds, 3)})
        case SetCaptionOp():
            i = _scene_index(op.scene, scenes)
            caption = " ".join(op.caption.split()) if op.caption else None
            scenes[i] = scenes[i].model_copy(update={"caption": caption or None})
        case SetMotionOp():
            i = _scene_index(op.scene, scenes)
            strength = scenes[i].motion.strength if op.strength is None else op.strength
            motion = scenes[i].motion.model_copy(update={"kind": op.motion, "strength": strength})
            scenes[i] = scenes[i].model_copy(update={"motion": motion, "motion_locked": True})
        case SetAiMotionOp():
            i = _scene_index(op.scene, scenes)
            scenes[i] = scenes[i].model_copy(
                update={"ai_motion": _ai_motion(op.model, scenes[i].room, models)}
            )
        case SetLengthOp():
            if not MIN_TOTAL_SECONDS <= op.seconds <= MAX_TOTAL_SECONDS:
                raise InvalidRevisionError(
                    f"A video lasts {MIN_TOTAL_SECONDS:g} to {MAX_TOTAL_SECONDS:g} s.",
                    reasons=[f"asked for {op.seconds:g} s"],
                )
            scenes, notes = fit_scene_lengths(scenes, settings, op.seconds)
    return scenes, settings, notes


def _ai_motion(model: str | None, room: str, models: VideoModelRegistry | None) -> AiMotion | None:
    """The scene's AI motion request: a known model and a camera-only prompt for its room."""
    if model is None:
        return None
    if models is None:
        raise InvalidRevisionError(
            "Cannot use AI motion here: no video models are available.",
            reasons=["no video model list"],
        )
    try:
        models.get(model)
    except InvalidInputError as exc:
        raise InvalidRevisionError(
            f"Cannot use AI motion: {exc.message}", reasons=[exc.message], hint=exc.hint
        ) from None
    return AiMotion(model=model, prompt=motion_prompt(room))


def apply_op(
    version: StoryboardVersion,
    op: RevisionOp,
    photos: Sequence[StoryboardPhoto],
    *,
    author: str,
    now: datetime,
    number: int,
    reason: str | None = None,
    models: VideoModelRegistry | None = None,
) -> StoryboardVersion:
    """The version `op` makes from `version`, checked; `InvalidRevisionError` says why not.

    `models`: the video models AI motion may ask for; without them it cannot be asked for.
    """
    scenes, settings, notes = _apply(op, version, photos, models)
    new = StoryboardVersion(
        number=number,
        author=author,
        created_at=now,
        reason=reason or describe(op),
        scenes=dress_scenes(scenes, photos, settings),
        settings=settings,
        notes=notes,
    )
    problems = version_problems(new, photos)
    if problems:
        raise InvalidRevisionError(
            f"Cannot {describe(op)}: {problems[0]}.",
            reasons=problems,
            hint="Nothing was changed; the storyboard stays as it was.",
        )
    return new
