"""The render spec: everything the engine needs, validated before any pixel is made.

A storyboard file is a `RenderSpec` in JSON. Photo paths may be relative; they are taken
relative to the file's folder by `load_spec`. Limits live here, so a bad storyboard fails
with one clear message instead of halfway through an encode.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from reelestate.core.errors import InvalidSpecError
from reelestate.core.presenter_names import AvatarProviderName
from reelestate.providers.tts.base import TtsProvider, VoiceStyle, WordTiming

Aspect = Literal["9:16", "1:1", "16:9", "4:5"]
Profile = Literal["preview", "final"]
MotionKind = Literal["zoom_in", "zoom_out", "pan_left", "pan_right", "pan_up", "pan_down", "static"]
TransitionKind = Literal["cut", "crossfade", "slide", "fade_black"]
FitMode = Literal["auto", "smart_crop", "blur_fill"]
"""`auto`: the layout decides (`shot_layout.py`); `smart_crop`: full frame; `blur_fill` (kept for
stored storyboards): the photo shown whole, framed on brand panels."""
OverlayKind = Literal["none", "lower_third"]
Easing = Literal["ease_in_out", "linear"]
MusicMood = Literal["calm", "warm", "upbeat", "elegant", "minimal"]

ASPECT_SIZES: dict[str, tuple[int, int]] = {
    "9:16": (1080, 1920),
    "1:1": (1080, 1080),
    "16:9": (1920, 1080),
    "4:5": (1080, 1350),
}
PREVIEW_WIDTH = 540
PREVIEW_FPS = 15
"""Previews show motion, timing and layout; half the frames of a final at a quarter of the
pixels keep the per-frame work (warps, blends, pipe writes) from dominating their render."""
MIN_SCENE_SECONDS = 0.5
MAX_SCENE_SECONDS = 30.0
MAX_TOTAL_SECONDS = 180.0
MAX_SCENES = 60
MAX_CAPTION_CHARS = 120
_HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FocalPoint(_Model):
    """Where the eye should land, as fractions of the photo's width and height."""

    x: float = Field(default=0.5, ge=0, le=1)
    y: float = Field(default=0.5, ge=0, le=1)


class Motion(_Model):
    kind: MotionKind = "zoom_in"
    strength: float = Field(default=0.12, ge=0, le=0.4)
    """Zoom amount (0.12 = 12 % closer) or, for pans, how far past the frame the photo extends."""
    easing: Easing = "ease_in_out"


class Transition(_Model):
    """How this scene hands over to the next one."""

    kind: TransitionKind = "crossfade"
    duration: float = Field(default=0.5, ge=0, le=2.0)


class AiMotion(_Model):
    """Motion to generate with an image-to-video model; the scene's `motion` is the fallback.

    The model key names an entry of the video model registry (`kling-1.6-standard`, ...);
    the prompt describes camera movement only, so the model adds nothing that is not there.
    """

    model: str = Field(pattern=r"^[a-z0-9][a-z0-9.\-]{1,48}$")
    prompt: str = Field(min_length=1, max_length=800)


class FactsCard(_Model):
    """A scene that shows the listing's facts card (price counting up, rooms, area,
    highlights, the agent) over its photo, drawn by the same painter as a card of its own.

    The facts and the brand are the video's own (`RenderSpec.facts`, `RenderSpec.brand`);
    the card adds only what a video does not have.
    """

    highlights: list[str] = Field(default=[], max_length=3)
    kicker: str = Field(default="Just listed", min_length=1, max_length=24)


class Scene(_Model):
    photo: Path
    """The photo shown; for a facts card, the photo behind its scrim."""
    duration: float
    motion: Motion = Motion()
    focal_point: FocalPoint | None = None
    caption: str | None = Field(default=None, max_length=MAX_CAPTION_CHARS)
    overlay: OverlayKind = "none"
    transition: Transition = Transition()
    fit: FitMode = "auto"
    ai_generated: bool = False
    """True when the visual was produced by a generative model; drives the disclosure label."""
    ai_motion: AiMotion | None = None
    """Generated motion asked for; made into `clip` before rendering, or dropped with a reason."""
    clip: Path | None = None
    """A generated video shown instead of the photo; the engine crops, retimes and conforms it."""
    card: FactsCard | None = None
    """Show the facts card over the photo instead of a camera move (no clip, no AI motion)."""

    @field_validator("duration")
    @classmethod
    def _duration(cls, value: float) -> float:
        if not MIN_SCENE_SECONDS <= value <= MAX_SCENE_SECONDS:
            raise ValueError(
                f"a scene lasts {MIN_SCENE_SECONDS:g} to {MAX_SCENE_SECONDS:g} seconds, "
                f"got {value:g}"
            )
        return value


class VoiceTrack(_Model):
    """Narration audio already synthesised, with its word timings."""

    audio: Path
    words: list[WordTiming] = []
    offset: float = Field(default=0.0, ge=-10)
    """Seconds after the first photo scene (after any intro card) at which the voice starts;
    negative: it starts during the cold open (never before the video does)."""


class NarrationRequest(_Model):
    """Narration to synthesise at render time when no `VoiceTrack` is given."""

    text: str = Field(min_length=1, max_length=4000)
    provider: TtsProvider = "espeak"
    voice: str = Field(default="en-us", min_length=1, max_length=80)
    model: str | None = Field(default=None, max_length=80)
    """The provider's model id (`eleven_multilingual_v2`, `gpt-4o-mini-tts`); `None`: default."""
    style: VoiceStyle | None = None
    rate: float = Field(default=1.0, ge=0.5, le=2.0)
    offset: float = Field(default=0.3, ge=0)
    scene_words: list[int | None] = []
    """Per scene, the index of the (whitespace-separated) word its narration starts with;
    None for a scene without words. Given, each scene's sentences start as the scene starts;
    empty, the text is spoken straight through."""


class MusicTrack(_Model):
    path: Path | None = None
    """A licensed track; `None` uses the embedded procedural bed for `mood`."""
    mood: MusicMood = "warm"
    volume_db: float = Field(default=-16.0, ge=-40, le=0)
    duck: bool = True


class BrandKit(_Model):
    name: str | None = Field(default=None, max_length=80)
    primary_color: str = "#1F3A5F"
    accent_color: str = "#F2B134"
    text_color: str = "#FFFFFF"
    font: Path | None = None
    logo: Path | None = None
    agent_name: str | None = Field(default=None, max_length=80)
    agent_phone: str | None = Field(default=None, max_length=40)
    intro_card: bool = True
    outro_card: bool = True

    @field_validator("primary_color", "accent_color", "text_color")
    @classmethod
    def _colour(cls, value: str) -> str:
        if not _HEX.match(value):
            raise ValueError(f"colours are written #RRGGBB, got {value!r}")
        return value.upper()


class ListingFacts(_Model):
    """The facts shown on the lower third and the cards; all optional."""

    address: str | None = Field(default=None, max_length=160)
    price: int | None = Field(default=None, ge=0)
    beds: float | None = Field(default=None, ge=0, le=100)
    baths: float | None = Field(default=None, ge=0, le=100)
    area_sqft: int | None = Field(default=None, ge=0, le=10_000_000)
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")


PresenterLayoutName = Literal["pip", "intro"]


class PresenterSpec(_Model):
    """A talking presenter over the finished video, made from the agent's photo.

    `provider` is the one asked for; the render falls back to the portrait presenter (or no
    presenter) and says why, so a storyboard with a presenter never fails for it."""

    photo: Path
    provider: AvatarProviderName = "portrait"
    layout: PresenterLayoutName = "pip"
    """`pip`: a circle in the corner the captions avoid; `intro`: full screen at the start."""


class RenderFlags(_Model):
    captions: bool = True
    ai_disclosure: bool = True
    unbranded: bool = False
    """The MLS cut: no logo, agent name, phone or branded cards."""


class RenderSpec(_Model):
    """A fully described video: the storyboard file format and the engine's input."""

    version: Literal[1] = 1
    aspect: Aspect = "9:16"
    fps: Literal[24, 25, 30, 60] = 30
    profile: Profile = "final"
    scenes: list[Scene]
    voice: VoiceTrack | None = None
    narration: NarrationRequest | None = None
    music: MusicTrack | None = MusicTrack()
    brand: BrandKit = BrandKit()
    facts: ListingFacts | None = None
    flags: RenderFlags = RenderFlags()
    title: str | None = Field(default=None, max_length=160)
    presenter: PresenterSpec | None = None

    @model_validator(mode="after")
    def _limits(self) -> RenderSpec:
        if not self.scenes:
            raise ValueError("a storyboard needs at least one scene")
        if len(self.scenes) > MAX_SCENES:
            raise ValueError(
                f"a storyboard has at most {MAX_SCENES} scenes, got {len(self.scenes)}"
            )
        total = sum(s.duration for s in self.scenes)
        if total > MAX_TOTAL_SECONDS:
            raise ValueError(
                f"the video would last {total:.0f} s; "
                f"the longest we render is {MAX_TOTAL_SECONDS:.0f} s"
            )
        cards = [i for i, s in enumerate(self.scenes, start=1) if s.card is not None]
        for i in cards:
            if self.scenes[i - 1].clip is not None or self.scenes[i - 1].ai_motion is not None:
                raise ValueError(f"scene {i} is a facts card; it cannot also be a generated clip")
        facts = self.facts
        if cards and (
            facts is None
            or all(v is None for v in (facts.price, facts.beds, facts.baths, facts.area_sqft))
        ):
            raise ValueError(
                "a facts card needs the listing's price or at least one of beds, baths and area"
            )
        for i, (a, b) in enumerate(zip(self.scenes, self.scenes[1:], strict=False)):
            limit = min(a.duration, b.duration) / 2
            if a.transition.kind != "cut" and a.transition.duration > limit:
                raise ValueError(
                    f"the transition after scene {i + 1} ({a.transition.duration:g} s) "
                    "must be at most "
                    f"half as long as the shorter of its two scenes ({limit:g} s)"
                )
        return self

    @property
    def size(self) -> tuple[int, int]:
        """Output width and height for this aspect and profile (even numbers)."""
        width, height = ASPECT_SIZES[self.aspect]
        if self.profile == "preview":
            scale = PREVIEW_WIDTH / width
            width, height = PREVIEW_WIDTH, round(height * scale / 2) * 2
        return width, height

    @property
    def frame_rate(self) -> int:
        """Frames per second the render writes: the storyboard's, or PREVIEW_FPS for previews."""
        return PREVIEW_FPS if self.profile == "preview" else self.fps

    @property
    def has_ai_visuals(self) -> bool:
        return any(s.ai_generated or s.clip is not None for s in self.scenes)


def _format_validation_error(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err["loc"] if p != "__root__")
        msg = str(err["msg"]).removeprefix("Value error, ")
        parts.append(f"{where}: {msg}" if where else msg)
    return "; ".join(parts)


def parse_spec(data: object, *, base_dir: Path | None = None) -> RenderSpec:
    """Validate `data` as a `RenderSpec`; relative paths are taken from `base_dir`."""
    try:
        spec = RenderSpec.model_validate(data)
    except ValidationError as exc:
        raise InvalidSpecError(
            f"The storyboard is not valid: {_format_validation_error(exc)}.",
            hint="Fix the listed fields and render again.",
        ) from exc
    if base_dir is None:
        return spec
    return resolve_paths(spec, base_dir)


def resolve_paths(spec: RenderSpec, base_dir: Path) -> RenderSpec:
    """The same spec with every relative file path anchored at `base_dir`."""

    def anchor(p: Path | None) -> Path | None:
        if p is None or p.is_absolute():
            return p
        return (base_dir / p).resolve()

    scenes = [s.model_copy(update={"photo": anchor(s.photo)}) for s in spec.scenes]
    update: dict[str, object] = {"scenes": scenes}
    if spec.voice is not None:
        update["voice"] = spec.voice.model_copy(update={"audio": anchor(spec.voice.audio)})
    if spec.music is not None and spec.music.path is not None:
        update["music"] = spec.music.model_copy(update={"path": anchor(spec.music.path)})
    update["brand"] = spec.brand.model_copy(
        update={"logo": anchor(spec.brand.logo), "font": anchor(spec.brand.font)}
    )
    if spec.presenter is not None:
        update["presenter"] = spec.presenter.model_copy(
            update={"photo": anchor(spec.presenter.photo)}
        )
    return spec.model_copy(update=update)


def load_spec(path: Path, *, aspect: Aspect | None = None, preview: bool = False) -> RenderSpec:
    """Read a storyboard JSON file, with optional command-line overrides."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise InvalidSpecError(f"Storyboard file not found: {path}.") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InvalidSpecError(
            f"{path.name} is not valid JSON: {exc}.", hint="Check the file for a stray character."
        ) from exc
    if isinstance(raw, dict):
        if aspect is not None:
            raw["aspect"] = aspect
        if preview:
            raw["profile"] = "preview"
    return parse_spec(raw, base_dir=path.parent.resolve())
