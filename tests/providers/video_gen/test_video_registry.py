"""The model registry: the shipped list, an installation's own list, and request mapping."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reelestate.core.errors import ConfigurationError, InvalidInputError
from reelestate.core.settings import Settings
from reelestate.prompts.motion import NEGATIVE_MOTION_PROMPT
from reelestate.providers.video_gen.base import ClipRequest, estimate_cost
from reelestate.providers.video_gen.inputs import format_duration, model_arguments
from reelestate.providers.video_gen.registry import (
    VideoModelRegistry,
    VideoModelSpec,
    builtin_registry,
    video_models,
)

KEYS = [
    "fast-svd-lcm",
    "kling-1.6-pro",
    "kling-1.6-standard",
    "luma-dream-machine",
    "minimax-video-01",
    "runway-gen3-turbo",
]


def request(model: str, duration_s: float = 5.0, aspect: str = "9:16") -> ClipRequest:
    return ClipRequest(
        model=model, image=Path("p.jpg"), prompt="Slow dolly-in.", duration_s=duration_s,
        aspect=aspect,
    )  # fmt: skip


def test_the_shipped_list_has_every_model_with_its_fal_endpoint() -> None:
    registry = video_models(Settings())
    assert registry.keys() == KEYS
    endpoints = {key: registry.get(key).endpoint for key in KEYS}
    assert endpoints == {
        "kling-1.6-standard": "fal-ai/kling-video/v1.6/standard/image-to-video",
        "kling-1.6-pro": "fal-ai/kling-video/v1.6/pro/image-to-video",
        "luma-dream-machine": "fal-ai/luma-dream-machine/image-to-video",
        "runway-gen3-turbo": "fal-ai/runway-gen3/turbo/image-to-video",
        "fast-svd-lcm": "fal-ai/fast-svd-lcm",
        "minimax-video-01": "fal-ai/minimax/video-01/image-to-video",
    }
    assert all(registry.get(key).key == key for key in KEYS)
    assert registry.get("fast-svd-lcm").prompt_field is None
    assert registry.get("luma-dream-machine").durations_s is None


def test_an_unknown_model_names_the_valid_ones() -> None:
    with pytest.raises(InvalidInputError) as caught:
        builtin_registry().get("sora-9")
    assert "sora-9" in caught.value.message
    assert caught.value.hint is not None
    assert all(key in caught.value.hint for key in KEYS)


def test_a_settings_file_replaces_the_list(tmp_path: Path) -> None:
    own = {"models": {"my-kling": {
        "label": "Kling via gateway", "endpoint": "acme/kling-proxy",
        "image_field": "start_image_url", "prompt_field": "prompt",
        "duration_field": "duration", "durations_s": [5, 9], "duration_format": "string_s",
        "price": {"usd": 0.1, "per": "second"}, "typical_latency_s": 60, "typical_clip_s": 5,
    }}}  # fmt: skip
    path = tmp_path / "models.json"
    path.write_text(json.dumps(own))
    registry = video_models(Settings(REELESTATE_VIDEO_MODELS=path))
    assert registry.keys() == ["my-kling"]
    spec = registry.get("my-kling")
    assert model_arguments(spec, request("my-kling", 6), "https://x/p.jpg") == {
        "start_image_url": "https://x/p.jpg",
        "prompt": "Slow dolly-in.",
        "duration": "9s",
    }
    assert estimate_cost(spec, 6) == pytest.approx(0.9)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("not json", "not valid"),
        ('{"models": {}}', "lists no models"),
        ('{"models": {"x1": {"label": "X"}}}', "not valid"),
    ],
)
def test_a_broken_file_is_a_configuration_error(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "models.json"
    path.write_text(text)
    with pytest.raises(ConfigurationError, match=expected):
        video_models(Settings(REELESTATE_VIDEO_MODELS=path))


def test_a_missing_file_is_a_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="cannot be read"):
        video_models(Settings(REELESTATE_VIDEO_MODELS=tmp_path / "nope.json"))


BASE: dict[str, Any] = {"key": "m-1", "label": "M", "endpoint": "a/b",
                        "price": {"usd": 1, "per": "clip"}, "typical_latency_s": 1,
                        "typical_clip_s": 5}  # fmt: skip


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"durations_s": [5]}, "needs duration_field"),
        ({"durations_s": [], "duration_field": "d", "duration_format": "string"}, "positive"),
        ({"aspects": ["16:9"]}, "aspect_field"),
        ({"aspects": ["wide"], "aspect_field": "ratio"}, "looks like 16:9"),
        ({"fixed_inputs": {"image_url": "x"}}, "repeats mapped fields"),
    ],
)
def test_inconsistent_entries_are_refused(extra: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        VideoModelSpec.model_validate({**BASE, **extra})


def test_registry_entries_must_be_objects() -> None:
    with pytest.raises(ValueError, match="models"):
        VideoModelRegistry.model_validate({"models": {"m-1": "kling"}})


@pytest.mark.parametrize(
    ("asked", "sent"), [(1.0, 5), (5.0, 5), (5.01, 10), (7.5, 10), (10.0, 10), (14.0, 10)]
)
def test_duration_snaps_to_the_allowed_one_that_covers_it(asked: float, sent: float) -> None:
    assert builtin_registry().get("kling-1.6-standard").snap_duration(asked) == sent


@pytest.mark.parametrize(
    ("model", "aspect", "sent"),
    [
        ("kling-1.6-standard", "9:16", "9:16"),
        ("kling-1.6-standard", "4:5", "1:1"),
        ("kling-1.6-standard", "16:9", "16:9"),
        ("luma-dream-machine", "4:5", "3:4"),
        ("luma-dream-machine", "1:1", "4:3"),
        ("runway-gen3-turbo", "1:1", "16:9"),
        ("minimax-video-01", "9:16", None),
    ],
)
def test_aspect_maps_to_the_nearest_allowed(model: str, aspect: str, sent: str | None) -> None:
    assert builtin_registry().get(model).nearest_aspect(aspect) == sent


def test_each_model_gets_its_own_field_names() -> None:
    registry = builtin_registry()
    url = "https://cdn/p.jpg"
    kling = model_arguments(registry.get("kling-1.6-pro"), request("kling-1.6-pro", 8, "1:1"), url)
    assert kling == {"image_url": url, "prompt": "Slow dolly-in.",
                     "negative_prompt": NEGATIVE_MOTION_PROMPT, "duration": "10",
                     "aspect_ratio": "1:1", "cfg_scale": 0.5}  # fmt: skip
    luma = model_arguments(registry.get("luma-dream-machine"), request("luma-dream-machine"), url)
    assert luma == {"image_url": url, "prompt": "Slow dolly-in.", "aspect_ratio": "9:16",
                    "loop": False}  # fmt: skip
    runway = model_arguments(registry.get("runway-gen3-turbo"), request("runway-gen3-turbo"), url)
    assert runway == {"image_url": url, "prompt": "Slow dolly-in.", "duration": "5",
                      "ratio": "9:16"}  # fmt: skip
    svd = model_arguments(registry.get("fast-svd-lcm"), request("fast-svd-lcm"), url)
    assert svd == {"image_url": url, "motion_bucket_id": 60, "cond_aug": 0.02}
    minimax = model_arguments(registry.get("minimax-video-01"), request("minimax-video-01"), url)
    assert minimax == {"image_url": url, "prompt": "Slow dolly-in.", "prompt_optimizer": False}


def test_a_request_negative_prompt_wins() -> None:
    spec = builtin_registry().get("kling-1.6-standard")
    asked = request("kling-1.6-standard").model_copy(update={"negative_prompt": "no pets"})
    assert model_arguments(spec, asked, "u")["negative_prompt"] == "no pets"


def test_durations_are_sent_as_each_model_wants() -> None:
    assert format_duration(5.0, "string") == "5"
    assert format_duration(9, "string_s") == "9s"
    assert format_duration(5.0, "number") == 5
    assert format_duration(2.5, "number") == 2.5


@pytest.mark.parametrize(
    ("model", "duration", "cost", "billed"),
    [
        ("kling-1.6-standard", 3.0, 0.225, 5),
        ("kling-1.6-standard", 7.0, 0.45, 10),
        ("kling-1.6-pro", 5.0, 0.49, 5),
        ("runway-gen3-turbo", 12.0, 0.5, 10),
        ("luma-dream-machine", 9.0, 0.5, 5),
        ("minimax-video-01", 2.0, 0.5, 6),
        ("fast-svd-lcm", 4.0, 0.02, 2.5),
    ],
)
def test_cost_is_price_times_the_seconds_the_model_makes(
    model: str, duration: float, cost: float, billed: float
) -> None:
    spec = builtin_registry().get(model)
    assert estimate_cost(spec, duration) == pytest.approx(cost)
    assert spec.clip_seconds(duration) == billed
