"""The image-to-video models we can call, read from configuration rather than written in code.

fal renames and retires endpoints (Kling moved from `image_url` to `start_image_url`, Runway's
Gen-3 endpoint may be gone), and prices change; so endpoint ids, input field names, allowed
durations and aspects, prices and timings live in `models.json`, and an installation replaces
the whole file with `REELESTATE_VIDEO_MODELS=/path/to/models.json`.
"""

from __future__ import annotations

import json
import math
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, JsonValue, ValidationError, model_validator

from reelestate.core.errors import ConfigurationError, InvalidInputError
from reelestate.core.settings import Settings

MODEL_KEY_PATTERN = r"^[a-z0-9][a-z0-9.\-]{1,48}$"
ASPECT_PATTERN = r"^\d{1,3}:\d{1,3}$"
BUILTIN_FILE = "models.json"

DurationFormat = Literal["string", "string_s", "number"]
"""How a duration is sent: `"5"` (Kling, Runway), `"5s"` (Luma Ray 2), or the number 5."""


class Price(BaseModel):
    """What fal charges: US dollars per second of output video, or per clip."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    usd: float = Field(ge=0)
    per: Literal["second", "clip"]


class VideoModelSpec(BaseModel):
    """One model: where it lives on fal, what its input looks like, what it costs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: str = Field(pattern=MODEL_KEY_PATTERN)
    """The name a storyboard uses (`Scene.ai_motion.model`)."""
    label: str = Field(min_length=1)
    endpoint: str = Field(pattern=r"^[\w.\-]+(/[\w.\-]+)+$")
    """fal endpoint id, `owner/app[/path]`."""
    image_field: str = "image_url"
    prompt_field: str | None = "prompt"
    """None for models that take no prompt (SVD)."""
    negative_prompt_field: str | None = None
    duration_field: str | None = None
    durations_s: list[float] | None = None
    """Durations the model accepts, in seconds; None when the model decides."""
    duration_format: DurationFormat | None = None
    aspect_field: str | None = None
    aspects: list[str] | None = None
    """Aspect ratios the model accepts (`16:9`); None when it follows the photo."""
    price: Price
    typical_latency_s: float = Field(gt=0)
    """Seconds from submit to result on a quiet queue; for progress estimates."""
    typical_clip_s: float = Field(gt=0)
    """Length of a clip when the model decides it (and the seconds billed then)."""
    fixed_inputs: dict[str, JsonValue] = {}
    """Sent with every request (`negative_prompt` defaults, `motion_bucket_id`, ...)."""
    notes: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> VideoModelSpec:
        if self.durations_s is not None:
            if not self.durations_s or any(d <= 0 for d in self.durations_s):
                raise ValueError("durations_s lists positive seconds, or is null")
            if self.duration_field is None or self.duration_format is None:
                raise ValueError("durations_s needs duration_field and duration_format")
        if self.aspects is not None:
            if not self.aspects or self.aspect_field is None:
                raise ValueError("aspects needs at least one entry and an aspect_field")
            for aspect in self.aspects:
                aspect_ratio(aspect)
        fields = (self.image_field, self.prompt_field, self.negative_prompt_field,
                  self.duration_field, self.aspect_field)  # fmt: skip
        clash = {f for f in fields if f is not None} & self.fixed_inputs.keys()
        if clash:
            raise ValueError(f"fixed_inputs repeats mapped fields: {sorted(clash)}")
        return self

    def snap_duration(self, duration_s: float) -> float | None:
        """The allowed duration to ask for: the shortest one that covers `duration_s`, or the
        longest when none does; None when the model decides."""
        if not self.durations_s:
            return None
        allowed = sorted(self.durations_s)
        return next((d for d in allowed if d >= duration_s - 1e-6), allowed[-1])

    def nearest_aspect(self, aspect: str) -> str | None:
        """The allowed aspect closest to `aspect` (by log ratio); None when not configurable."""
        if not self.aspects:
            return None
        wanted = math.log(aspect_ratio(aspect))
        return min(self.aspects, key=lambda a: abs(math.log(aspect_ratio(a)) - wanted))

    def clip_seconds(self, duration_s: float) -> float:
        """Seconds of video the model will make for a request of `duration_s`."""
        snapped = self.snap_duration(duration_s)
        return snapped if snapped is not None else self.typical_clip_s


def aspect_ratio(aspect: str) -> float:
    """Width over height of `W:H`."""
    width, sep, height = aspect.partition(":")
    if not sep or not width.isdigit() or not height.isdigit() or int(width) * int(height) == 0:
        raise ValueError(f"an aspect ratio looks like 16:9, got {aspect!r}")
    return int(width) / int(height)


class VideoModelRegistry(BaseModel):
    """Every configured model by key."""

    model_config = ConfigDict(frozen=True)

    models: dict[str, VideoModelSpec]

    @model_validator(mode="before")
    @classmethod
    def _keys_from_names(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("models"), dict):
            models = {
                name: {**entry, "key": name} if isinstance(entry, dict) else entry
                for name, entry in data["models"].items()
            }
            return {**data, "models": models}
        return data

    @model_validator(mode="after")
    def _not_empty(self) -> VideoModelRegistry:
        if not self.models:
            raise ValueError("the registry lists no models")
        return self

    def keys(self) -> list[str]:
        return sorted(self.models)

    def get(self, key: str) -> VideoModelSpec:
        """The model named `key`; the error lists the valid names."""
        try:
            return self.models[key]
        except KeyError:
            raise InvalidInputError(
                f"There is no video model called {key!r}.",
                hint=f"Choose one of: {', '.join(self.keys())}.",
            ) from None


def parse_registry(text: str, *, source: str) -> VideoModelRegistry:
    """A registry from JSON text; `source` names the file in the error."""
    try:
        return VideoModelRegistry.model_validate(json.loads(text))
    except ValidationError as exc:
        problem = "; ".join(
            f"{'.'.join(str(p) for p in error['loc'])}: {error['msg']}"
            for error in exc.errors()[:3]
        )
    except ValueError as exc:
        problem = str(exc).splitlines()[0]
    raise ConfigurationError(
        f"The video model list {source} is not valid: {problem}",
        hint="See providers/video_gen/models.json for the expected shape.",
    )


@lru_cache(maxsize=1)
def builtin_registry() -> VideoModelRegistry:
    """The models shipped with the product."""
    text = (
        resources.files("reelestate.providers.video_gen")
        .joinpath(BUILTIN_FILE)
        .read_text(encoding="utf-8")
    )
    return parse_registry(text, source=BUILTIN_FILE)


def load_registry(path: Path) -> VideoModelRegistry:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(
            f"The video model list {path} cannot be read ({exc.strerror}).",
            hint="Fix REELESTATE_VIDEO_MODELS or unset it to use the built-in list.",
        ) from exc
    return parse_registry(text, source=str(path))


def video_models(settings: Settings) -> VideoModelRegistry:
    """`REELESTATE_VIDEO_MODELS` when set, the built-in list otherwise."""
    if settings.video_models_file is not None:
        return load_registry(settings.video_models_file)
    return builtin_registry()
