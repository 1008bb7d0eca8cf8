"""The agent's actions as schemas: what each takes, checked by pydantic before it runs.

Both brains call actions through these models, so a language model's malformed arguments are
rejected with the same message a person would get, and the model can read it and try again.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from reelestate.core.styles import Style
from reelestate.tools.listing import LotUnit, Parking, PropertyType
from reelestate.tools.storyboard_ops import RevisionOp


class _Args(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class NoArgs(_Args):
    pass


class UpdateListingArgs(_Args):
    address: str | None = Field(
        default=None, max_length=160, description="Street line without the unit: '77 Birch Ln'"
    )
    unit: str | None = Field(default=None, max_length=20, description="Unit or apartment: '4B'")
    city: str | None = Field(default=None, max_length=80)
    state: str | None = Field(default=None, max_length=30, description="State code: 'OR'")
    zip_code: str | None = Field(default=None, max_length=10)
    price: int | None = Field(default=None, description="Asking price in whole dollars")
    beds: int | None = Field(default=None, description="Bedrooms; 0 for a studio")
    baths: float | None = Field(default=None, description="Bathrooms; halves allowed (2.5)")
    area_sqft: int | None = Field(default=None, description="Living area in square feet")
    area_m2: float | None = Field(
        default=None, description="Living area when given in square metres (then area_sqft too)"
    )
    lot_size: float | None = Field(default=None, description="Lot size, never the living area")
    lot_unit: LotUnit | None = None
    year_built: int | None = None
    property_type: PropertyType | None = None
    parking: Parking | None = None
    add_highlights: list[str] = Field(default=[], max_length=12)
    remove_highlights: list[str] = Field(default=[], max_length=12)


class AskUserArgs(_Args):
    question: str = Field(
        min_length=3, max_length=200, description="One short question about one unclear fact"
    )


class WriteScriptArgs(_Args):
    style: Style | None = None
    length_seconds: float | None = Field(default=None, ge=10, le=180)


class ReviseStoryboardArgs(_Args):
    operations: list[RevisionOp] = Field(default=[], max_length=10)
    music: Literal["on", "off"] | None = Field(
        default=None, description="Turn the background music on or off"
    )


class AddPresenterArgs(_Args):
    layout: Literal["pip", "intro"] = Field(
        default="pip",
        description="pip: a circle in a corner over the video; intro: full screen at the start",
    )
    provider: Literal["did", "heygen", "portrait"] | None = Field(
        default=None,
        description="Who makes the talking presenter; leave empty for the configured one",
    )


class MakeInfographicArgs(_Args):
    aspect: Literal["9:16", "1:1", "16:9", "4:5"] = Field(
        default="9:16",
        description="Instagram feed 4:5; reels, stories, TikTok 9:16; YouTube 16:9; "
        "Facebook or LinkedIn 1:1",
    )
    platform: str | None = Field(
        default=None, max_length=60, description="What the card is for, in words ('Instagram')"
    )


class RevertVersionArgs(_Args):
    version: int = Field(ge=1, description="The storyboard version to bring back")


Channel = Literal["instagram", "facebook"]


class PostVideoArgs(_Args):
    channel: Channel
    when: str | None = Field(
        default=None,
        max_length=80,
        description="When to post, as the user said it: 'now', 'Friday at 9am', "
        "'2026-12-11T09:00'; leave out when they did not say (they are asked)",
    )
    video: Literal["latest", "vertical", "square", "landscape"] = Field(
        default="latest", description="Which finished video: the latest, or by its shape"
    )
    caption: str | None = Field(default=None, max_length=2200)


class PeriodArgs(_Args):
    period: str = Field(
        default="",
        max_length=120,
        description="The period as the user said it: 'next week', 'this month', 'today'",
    )


class PostRefArgs(_Args):
    post: str = Field(
        min_length=1,
        max_length=120,
        description="The post as the user named it: its address ('Cedar Lane'), its day "
        "('Friday') or its channel ('Instagram')",
    )


class MovePostArgs(PostRefArgs):
    to: str = Field(
        min_length=1, max_length=80, description="The new day and/or time as the user said it"
    )


class ConnectSocialArgs(_Args):
    channel: Channel = "facebook"


class ReusePhotosArgs(_Args):
    source: str = Field(
        min_length=2, max_length=160, description="The earlier listing's address or title"
    )
    room: str | None = Field(
        default=None, max_length=40, description="Only photos of this room type ('kitchen')"
    )


TOOL_ARGS: dict[str, type[_Args]] = {
    "analyse_photos": NoArgs,
    "update_listing": UpdateListingArgs,
    "write_script": WriteScriptArgs,
    "plan_storyboard": NoArgs,
    "revise_storyboard": ReviseStoryboardArgs,
    "render_preview": NoArgs,
    "request_approval": NoArgs,
    "render_final": NoArgs,
    "job_status": NoArgs,
    "list_versions": NoArgs,
    "revert_version": RevertVersionArgs,
    "ask_user": AskUserArgs,
    "post_video": PostVideoArgs,
    "list_posts": PeriodArgs,
    "move_post": MovePostArgs,
    "cancel_post": PostRefArgs,
    "post_analytics": PeriodArgs,
    "connect_social": ConnectSocialArgs,
    "reuse_photos": ReusePhotosArgs,
    "add_presenter": AddPresenterArgs,
    "remove_presenter": NoArgs,
    "make_infographic": MakeInfographicArgs,
}
TOOL_DESCRIPTIONS: dict[str, str] = {
    "analyse_photos": "Analyse the photos the user sent (room, quality, duplicates).",
    "update_listing": "Record listing facts the user stated. Only facts the user wrote.",
    "write_script": "Write the narration from the listing facts and photos.",
    "plan_storyboard": "Make a storyboard (or a new version) from the script and photos.",
    "revise_storyboard": "Change the storyboard with operations; scene numbers count from 1.",
    "render_preview": "Render a quick low-resolution preview of the current storyboard.",
    "request_approval": "Ask the user to approve the current storyboard for the final render.",
    "render_final": "Render the final video; always asks the user for approval first.",
    "job_status": "Report the state of this conversation's renders.",
    "list_versions": "List the storyboard versions.",
    "revert_version": "Bring back an earlier storyboard version as a new version (undo).",
    "ask_user": "Ask the user one short question when a fact is unclear (two different "
    "prices, '3/2' that may be a date) instead of guessing; ends the turn.",
    "post_video": "Post this conversation's finished video to Instagram or Facebook, now or "
    "at a time (the organisation's time zone).",
    "list_posts": "List the scheduled and published posts of a period.",
    "move_post": "Move a scheduled post to another day or time.",
    "cancel_post": "Cancel a scheduled post.",
    "post_analytics": "Views and engagement of posted videos in a period, with a chart.",
    "connect_social": "Give the link that connects the Facebook Page and its Instagram account.",
    "reuse_photos": "Bring the photos of an earlier listing of the organisation into this "
    "conversation, by its address, without uploading them again.",
    "add_presenter": "Put the agent as a talking presenter on the final video, made from the "
    "brand kit's presenter photo ('add me as a presenter in the corner').",
    "remove_presenter": "Take the talking presenter off the final video.",
    "make_infographic": "Render an animated facts card video (and a PNG still) of the listing "
    "on its own, for a platform ('make an infographic for Instagram').",
}


class ToolArgsError(ValueError):
    """Arguments that do not fit a tool's schema; the message is written for whoever called."""


def parse_args(tool: str, raw: Any) -> _Args:
    """Validated arguments for `tool`, or `ToolArgsError` naming each bad field."""
    model = TOOL_ARGS.get(tool)
    if model is None:
        raise ToolArgsError(f"There is no tool named {tool!r}; use one of {', '.join(TOOL_ARGS)}.")
    try:
        return model.model_validate(raw if raw is not None else {})
    except ValidationError as exc:
        details = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'arguments'}: {err['msg']}"
            for err in exc.errors()[:5]
        )
        raise ToolArgsError(f"Invalid arguments for {tool}: {details}.") from exc


def openai_tool_specs() -> list[dict[str, Any]]:
    """The tools in the OpenAI function-calling format."""
    return [
        {
            "type": "function",
            "function": {
                "name": name,
                "description": TOOL_DESCRIPTIONS[name],
                "parameters": model.model_json_schema(),
            },
        }
        for name, model in TOOL_ARGS.items()
    ]
