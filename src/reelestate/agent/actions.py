"""The agent's actions, the functions a brain may call: thin wrappers over the storyboard
service and the domain, run on the conversation's state.

Each returns a short result (what the assistant may tell the user) and the state it changed.
None of them renders anything billable: the final render happens only after the approval
interrupt, in the graph's render node.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reelestate.agent.action_args import (
    AskUserArgs,
    NoArgs,
    RevertVersionArgs,
    ReviseStoryboardArgs,
    UpdateListingArgs,
    WriteScriptArgs,
)
from reelestate.agent.context import ToolContext
from reelestate.agent.events import AssistantText, Question
from reelestate.agent.renders import need_history, run_render
from reelestate.agent.state import (
    analyses_of,
    jobs_of,
    listing_data,
    listing_of,
    music_track_of,
    preview_of,
    script_of,
    with_job,
)
from reelestate.agent.summaries import (
    missing_labels,
    photos_summary,
    storyboard_event,
    version_line,
)
from reelestate.core.jobs import JobStatus
from reelestate.core.styles import Style
from reelestate.services import storyboard_flow as flow
from reelestate.tools.listing import require_facts
from reelestate.tools.listing_facts import merge_listing, read_back
from reelestate.tools.storyboard import StoryboardHistory
from reelestate.tools.storyboard_ops import describe


@dataclass
class ToolOutcome:
    text: str
    update: dict[str, Any] = field(default_factory=dict)
    ok: bool = True


def _fail(message: str) -> ToolOutcome:
    return ToolOutcome(text=message, ok=False)


async def analyse_photos(ctx: ToolContext, _: NoArgs) -> ToolOutcome:
    paths = [Path(p) for p in ctx.state.get("photos") or []]
    if not paths:
        least, most = ctx.deps.limits.min_photos, ctx.deps.limits.max_photos
        return _fail(f"No photos yet: send {least} to {most} photos of the property.")
    analyses = await flow.analyse_photos(ctx.deps.analyser, paths)
    data = [a.model_dump(mode="json") for a in analyses]
    return ToolOutcome(
        text=f"Analysed {photos_summary(analyses)}.",
        update={"analyses": data, "script_stale": bool(ctx.state.get("script"))},
    )


async def update_listing(ctx: ToolContext, args: UpdateListingArgs) -> ToolOutcome:
    """Write the stated facts over the listing and say back, in one line, what it now holds."""
    current = listing_of(ctx.state)
    changes = args.model_dump(
        mode="json", exclude_none=True, exclude={"add_highlights", "remove_highlights"}
    )
    listing = merge_listing(current, changes, args.add_highlights, args.remove_highlights)
    if listing == current:
        return ToolOutcome(text="The listing already says that; nothing changed.")
    text = read_back(listing)
    ctx.emit(AssistantText(text=text))
    missing = missing_labels(listing)
    if missing:
        text += f" Still missing: {', '.join(missing)}."
    return ToolOutcome(
        text=text,
        update={"listing": listing_data(listing), "script_stale": bool(ctx.state.get("script"))},
    )


async def ask_user(ctx: ToolContext, args: AskUserArgs) -> ToolOutcome:
    """One question about an unclear fact; the turn ends there and waits for the answer."""
    turn = ctx.state.setdefault("turn", {})
    turn["asked"] = True
    ctx.emit(Question(text=args.question, missing=[], suggested_replies=[]))
    return ToolOutcome(text=f"Asked: {args.question}", update={"turn": turn})


async def write_script_tool(ctx: ToolContext, args: WriteScriptArgs) -> ToolOutcome:
    listing = require_facts(listing_of(ctx.state))
    analyses = analyses_of(ctx.state)
    style: Style = args.style or ctx.state.get("style") or "modern"  # type: ignore[assignment]
    length = args.length_seconds or ctx.state.get("length_seconds") or ctx.deps.default_length
    script = await flow.script_for(listing, analyses, style=style, length_seconds=length)
    return ToolOutcome(
        text=f"Wrote a {style} script: {len(script.lines)} lines, about {script.duration:g} s.",
        update={
            "script": script.model_dump(mode="json"),
            "script_stale": False,
            "style": style,
            "length_seconds": length,
        },
    )


def storyboard_file(ctx: ToolContext, history: StoryboardHistory) -> Path:
    """The current version written as a storyboard file `reelestate render` takes."""
    script = script_of(ctx.state)
    path = ctx.folder / f"storyboard-v{history.current.number}.json"
    if script is not None and not path.exists():
        flow.write_storyboard_file(
            path, history.current, listing_of(ctx.state), script, brand=ctx.deps.brand
        )
    return path


async def plan_storyboard_tool(ctx: ToolContext, _: NoArgs) -> ToolOutcome:
    script = script_of(ctx.state)
    if script is None:
        return _fail("Write the script first (write_script).")
    listing = require_facts(listing_of(ctx.state))
    choices = flow.PlanChoices(
        style=script.style,
        length_seconds=script.length_seconds,
        music_track=music_track_of(ctx.state),
    )
    planned = flow.plan(
        listing,
        analyses_of(ctx.state),
        script,
        choices,
        previous=await ctx.board.history(ctx.state),
        min_photos=ctx.deps.limits.min_photos,
    )
    stored = await ctx.board.save(ctx.state, planned, author=ctx.author, reason="planned")
    ctx.state["storyboard"] = stored
    storyboard_file(ctx, planned)
    return ToolOutcome(
        text=f"Storyboard {version_line(planned.current)}.", update={"storyboard": stored}
    )


async def revise_storyboard(ctx: ToolContext, args: ReviseStoryboardArgs) -> ToolOutcome:
    before = await need_history(ctx)
    history = flow.revise(before, args.operations, author=ctx.author, models=ctx.deps.video_models)
    done = [describe(op) for op in args.operations]
    update: dict[str, Any] = {}
    if args.music is not None:
        update["music_on"] = args.music == "on"
        update["previews"] = {}
        done.append(f"music {args.music}")
    if not done:
        return _fail("No change was asked for.")
    if history != before:
        update["storyboard"] = await ctx.board.save(
            ctx.state, history, author=ctx.author, reason="; ".join(done)
        )
    ctx.state.update(update)  # type: ignore[typeddict-item]
    storyboard_file(ctx, history)
    return ToolOutcome(
        text=f"Done: {'; '.join(done)}. Now {version_line(history.current)}.", update=update
    )


async def revert_version(ctx: ToolContext, args: RevertVersionArgs) -> ToolOutcome:
    history = flow.revert(await need_history(ctx), args.version, author=ctx.author)
    reason = f"brought back version {args.version}"
    stored = await ctx.board.save(ctx.state, history, author=ctx.author, reason=reason)
    ctx.state["storyboard"] = stored
    storyboard_file(ctx, history)
    return ToolOutcome(
        text=f"Brought back version {args.version} as {version_line(history.current)}.",
        update={"storyboard": stored},
    )


async def list_versions(ctx: ToolContext, _: NoArgs) -> ToolOutcome:
    history = await need_history(ctx)
    lines = [version_line(v) for v in history.versions]
    return ToolOutcome(text="Versions:\n" + "\n".join(f"- {line}" for line in lines))


async def job_status(ctx: ToolContext, _: NoArgs) -> ToolOutcome:
    jobs = jobs_of(ctx.state)
    if not jobs:
        return ToolOutcome(text="No renders yet.")
    lines = [
        f"- {j.kind} of version {j.version}: {j.status}"
        + (f" ({j.stage} {j.percent:.0f}%)" if j.status == JobStatus.RUNNING else "")
        + (f", {j.result.video.name}" if j.result else "")
        + (f" ({j.error})" if j.error else "")
        for j in jobs[-5:]
    ]
    return ToolOutcome(text="Renders:\n" + "\n".join(lines))


async def render_preview(ctx: ToolContext, _: NoArgs) -> ToolOutcome:
    history = await need_history(ctx)
    number = history.current.number
    same = next(
        (
            v.number
            for v in history.versions
            if v.same_content(history.current) and preview_of(ctx.state, v.number) is not None
        ),
        None,
    )
    if same is not None and preview_of(ctx.state, number) is None:
        ctx.state["previews"] = {
            **(ctx.state.get("previews") or {}),
            str(number): str(preview_of(ctx.state, same)),
        }
    if preview_of(ctx.state, number) is None:
        job, result = await run_render(ctx, "preview", "preview")
        previews = {**(ctx.state.get("previews") or {}), str(number): str(result.video)}
        ctx.state["previews"] = previews
        ctx.state["jobs"] = with_job(ctx.state, job)
    await announce_storyboard(ctx)
    return ToolOutcome(
        text=f"Preview of version {number} is ready.",
        update={"previews": ctx.state.get("previews") or {}, "jobs": ctx.state.get("jobs") or []},
    )


async def announce_storyboard(ctx: ToolContext) -> None:
    """Show the current version once per message (with its preview when there is one)."""
    turn = ctx.state.setdefault("turn", {})
    history = await ctx.board.history(ctx.state)
    if history is None or turn.get("announced_version") == history.current.number:
        return
    turn["announced_version"] = history.current.number
    ctx.emit(
        storyboard_event(
            history,
            storyboard_file=storyboard_file(ctx, history),
            preview=preview_of(ctx.state, history.current.number),
            music_on=ctx.state.get("music_on", True),
        )
    )


async def request_approval(ctx: ToolContext, _: NoArgs) -> ToolOutcome:
    history = await need_history(ctx)
    if script_of(ctx.state) is None:
        return _fail("There is no script yet; the storyboard cannot be rendered.")
    await announce_storyboard(ctx)
    return ToolOutcome(
        text=f"Asked the user to approve version {history.current.number}.",
        update={"awaiting_approval": True},
    )


Handler = Callable[[ToolContext, Any], Awaitable[ToolOutcome]]
HANDLERS: dict[str, Handler] = {
    "analyse_photos": analyse_photos,
    "update_listing": update_listing,
    "write_script": write_script_tool,
    "plan_storyboard": plan_storyboard_tool,
    "revise_storyboard": revise_storyboard,
    "render_preview": render_preview,
    "request_approval": request_approval,
    "render_final": request_approval,
    "job_status": job_status,
    "list_versions": list_versions,
    "revert_version": revert_version,
    "ask_user": ask_user,
}
