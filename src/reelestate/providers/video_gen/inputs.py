"""A clip request as the arguments one model expects: field names, duration, aspect, extras."""

from __future__ import annotations

from pydantic import JsonValue

from reelestate.prompts.motion import NEGATIVE_MOTION_PROMPT
from reelestate.providers.video_gen.base import ClipRequest
from reelestate.providers.video_gen.registry import DurationFormat, VideoModelSpec


def format_duration(seconds: float, fmt: DurationFormat) -> JsonValue:
    """`5` seconds as the model wants it: `"5"`, `"5s"` or `5`."""
    number: int | float = int(seconds) if float(seconds).is_integer() else seconds
    if fmt == "string":
        return str(number)
    if fmt == "string_s":
        return f"{number}s"
    return number


def model_arguments(
    spec: VideoModelSpec, request: ClipRequest, image_url: str
) -> dict[str, JsonValue]:
    """The JSON body for `spec`'s endpoint.

    The duration is the shortest allowed one that covers the request (the longest when none
    does), since a longer clip can be trimmed but a short one cannot be stretched well; the
    aspect is the allowed one nearest the video's.
    """
    arguments: dict[str, JsonValue] = dict(spec.fixed_inputs)
    arguments[spec.image_field] = image_url
    if spec.prompt_field is not None:
        arguments[spec.prompt_field] = request.prompt
    if spec.negative_prompt_field is not None:
        arguments[spec.negative_prompt_field] = request.negative_prompt or NEGATIVE_MOTION_PROMPT
    duration = spec.snap_duration(request.duration_s)
    if duration is not None and spec.duration_field and spec.duration_format:
        arguments[spec.duration_field] = format_duration(duration, spec.duration_format)
    aspect = spec.nearest_aspect(request.aspect)
    if aspect is not None and spec.aspect_field:
        arguments[spec.aspect_field] = aspect
    return arguments
