"""The agent's posting actions: post this conversation's video, read, move and cancel posts,
say how posted videos did (with a chart), and give the link that connects a Page.

Times are read in the organisation's time zone; a time or a post that could be two things is
asked about (a `Question` that ends the turn), never guessed.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from reelestate.agent.action_args import (
    ConnectSocialArgs,
    MovePostArgs,
    PeriodArgs,
    PostRefArgs,
    PostVideoArgs,
)
from reelestate.agent.actions import Handler, ToolOutcome
from reelestate.agent.context import ToolContext
from reelestate.agent.events import ChartPoint, ChartReady, ChartSeries, Question
from reelestate.agent.rules.when_words import WEEKDAYS, read_period, read_when
from reelestate.agent.state import jobs_of
from reelestate.core.errors import NotFoundError, ReelEstateError
from reelestate.core.jobs import JobStatus
from reelestate.services.analytics import report, three_sentences
from reelestate.services.publishing import PublishingService
from reelestate.services.social_connect import connect_link
from reelestate.storage.context import TenantContext
from reelestate.storage.models import Channel
from reelestate.storage.repositories.jobs import JobsRepository
from reelestate.storage.repositories.social_accounts import SocialAccountsRepository
from reelestate.storage.schemas import PublicationView, RenderJobView
from reelestate.tools.analytics_chart import chart_png

NOT_HERE = "Posting is not available in this conversation."


def tenant(ctx: ToolContext) -> TenantContext:
    return ctx.owner.ctx if ctx.owner is not None else TenantContext.local()


def service(ctx: ToolContext) -> PublishingService:
    if ctx.deps.publishing is None:
        raise NotFoundError(NOT_HERE, hint="Use `reelestate publish JOB_ID --to instagram`.")
    return ctx.deps.publishing


def answered(ctx: ToolContext, *, asked: bool = False) -> dict[str, object]:
    """Mark the turn as handled (and, for a question, as waiting for the answer)."""
    turn = ctx.state.setdefault("turn", {})
    turn["answered"] = True
    if asked:
        turn["asked"] = True
    return {"turn": turn}


def ask(ctx: ToolContext, question: str, replies: list[str] | None = None) -> ToolOutcome:
    ctx.emit(Question(text=question, suggested_replies=replies or []))
    return ToolOutcome(text=f"Asked: {question}", update=answered(ctx, asked=True))


def when_words(at: datetime) -> str:
    return f"{at:%A %B} {at.day} at {at:%H:%M}"


def post_line(post: PublicationView, zone: ZoneInfo) -> str:
    at = post.published_at or post.scheduled_at
    when = when_words(at.astimezone(zone)) if at else "no time yet"
    return f"{post.channel.value.title()}, {when}: {post.title} ({post.status.value})"


def _shape(job: RenderJobView) -> str:
    width, height = (job.outputs or {}).get("width"), (job.outputs or {}).get("height")
    if not width or not height:
        return "vertical"
    ratio = width / height
    return "square" if abs(ratio - 1) < 0.02 else "vertical" if ratio < 1 else "landscape"


def finished_videos(ctx: ToolContext, tenant_ctx: TenantContext) -> list[RenderJobView]:
    """This conversation's finished final videos, newest first; without any, the finished
    videos of the conversation's project."""
    keys = [f"chat:{j.id}" for j in jobs_of(ctx.state) if j.kind == "final"]
    repo = JobsRepository(service(ctx).db)
    found = [
        j for j in repo.by_idempotency_keys(tenant_ctx, keys) if j.status == JobStatus.SUCCEEDED
    ]
    if not found and ctx.owner is not None and ctx.owner.project_id is not None:
        found = [
            j
            for j in repo.recent(tenant_ctx, status=JobStatus.SUCCEEDED)
            if j.project_id == ctx.owner.project_id and (j.outputs or {}).get("video")
        ]
    return found


async def post_video(ctx: ToolContext, args: PostVideoArgs) -> ToolOutcome:
    svc, tctx = service(ctx), tenant(ctx)

    def work() -> ToolOutcome:
        try:
            SocialAccountsRepository(svc.db).current(tctx)
        except NotFoundError:
            return ToolOutcome(
                text="No Facebook Page is connected yet. " + _connect_words(svc, tctx),
                update=answered(ctx),
                ok=False,
            )
        videos = finished_videos(ctx, tctx)
        if args.video != "latest":
            videos = [v for v in videos if _shape(v) == args.video]
        if not videos:
            what = "finished video" if args.video == "latest" else f"finished {args.video} video"
            return ToolOutcome(
                text=f"There is no {what} here yet to post. Approve the storyboard to render it.",
                update=answered(ctx),
                ok=False,
            )
        channel = Channel(args.channel)
        if not args.when:
            return ask(
                ctx,
                f"When should it go out on {channel.value.title()}: now, or a day and time "
                "(for example Friday at 9am)?",
                ["Now", "Tomorrow at 9am"],
            )
        zone = svc.zone(tctx)
        reading = read_when(args.when, datetime.now(zone))
        if reading.question:
            return ask(ctx, reading.question)
        if reading.day_only and reading.at is not None:
            day = f"{reading.at:%A %B} {reading.at.day}"
            return ask(ctx, f"What time on {day}?", [f"{day} at 9am", f"{day} at 6pm"])
        if not reading.found:
            return ask(ctx, f'When is "{args.when}"? Say now, or a day and time.')
        at = None if reading.now else reading.at
        post = svc.schedule(
            tctx,
            videos[0].id,
            channel,
            caption=args.caption,
            at=at.astimezone(UTC) if at else None,
        )
        if at is None:
            said = (
                f"Posting {post.title} to {channel.value.title()} now; it goes out within a minute."
            )
        else:
            said = (
                f"Scheduled {post.title} for {channel.value.title()} on {when_words(at)} "
                f"({zone.key})."
            )
        return ToolOutcome(text=said, update=answered(ctx))

    return await asyncio.to_thread(work)


def _connect_words(svc: PublishingService, tctx: TenantContext) -> str:
    try:
        link = connect_link(svc.settings, tctx)
        return f"Connect your Facebook Page and its Instagram account here: {link}"
    except ReelEstateError as exc:
        return exc.message + (f" {exc.hint}" if exc.hint else "")


async def connect_social(ctx: ToolContext, args: ConnectSocialArgs) -> ToolOutcome:
    svc, tctx = service(ctx), tenant(ctx)
    words = _connect_words(svc, tctx)
    if args.channel == "instagram":
        words += (
            " Instagram is reached through the Page: the Instagram professional account must be "
            "linked to that Facebook Page."
        )
    return ToolOutcome(text=words, update=answered(ctx))


async def list_posts(ctx: ToolContext, args: PeriodArgs) -> ToolOutcome:
    svc, tctx = service(ctx), tenant(ctx)

    def work() -> ToolOutcome:
        zone = svc.zone(tctx)
        period = read_period(args.period, datetime.now(zone))
        posts = [
            p
            for p in svc.calendar(tctx, period.start.astimezone(UTC), period.end.astimezone(UTC))
            if p.status.value != "cancelled"
        ]
        if not posts:
            return ToolOutcome(text=f"Nothing is scheduled {period.words}.", update=answered(ctx))
        lines = "\n".join(f"- {post_line(p, zone)}" for p in posts)
        return ToolOutcome(
            text=f"Posts {period.words} ({zone.key}):\n{lines}", update=answered(ctx)
        )

    return await asyncio.to_thread(work)


def _matching(
    svc: PublishingService, tctx: TenantContext, ref: str, zone: ZoneInfo
) -> list[PublicationView]:
    """The posts still to come that `ref` names: by day, by channel, or by words of the title."""
    now = datetime.now(zone)
    posts = [p for p in svc.calendar(tctx, now.astimezone(UTC), None) if p.status.movable]
    words = ref.lower()
    for channel in Channel:
        if channel.value in words or (channel == Channel.INSTAGRAM and "insta" in words):
            posts = [p for p in posts if p.channel == channel]
            words = words.replace(channel.value, "").replace("insta", "")
    day_word = next((d for d in WEEKDAYS if d in words), None)
    if day_word or any(w in words for w in ("today", "tomorrow")):
        day = read_when(words, now).at
        if day is not None:
            return [
                p
                for p in posts
                if p.scheduled_at and p.scheduled_at.astimezone(zone).date() == day.date()
            ]
    terms = [t for t in words.strip(" .,").split() if t not in {"the", "my", "our", "post", "one"}]
    if not terms:
        return posts
    return [p for p in posts if all(t in f"{p.title} {p.caption}".lower() for t in terms)]


def _one_post(
    ctx: ToolContext, svc: PublishingService, tctx: TenantContext, ref: str
) -> PublicationView | ToolOutcome:
    zone = svc.zone(tctx)
    found = _matching(svc, tctx, ref, zone)
    if not found:
        return ToolOutcome(
            text=f'No scheduled post matches "{ref}". Ask what is scheduled to see them.',
            update=answered(ctx),
            ok=False,
        )
    if len(found) > 1:
        options = [post_line(p, zone) for p in found[:5]]
        return ask(ctx, f'Which post do you mean by "{ref}"?\n' + "\n".join(options), options)
    return found[0]


async def move_post(ctx: ToolContext, args: MovePostArgs) -> ToolOutcome:
    svc, tctx = service(ctx), tenant(ctx)

    def work() -> ToolOutcome:
        post = _one_post(ctx, svc, tctx, args.post)
        if isinstance(post, ToolOutcome):
            return post
        zone = svc.zone(tctx)
        keep = post.scheduled_at.astimezone(zone).time() if post.scheduled_at else None
        reading = read_when(args.to, datetime.now(zone), default_time=keep)
        if reading.question:
            return ask(ctx, reading.question)
        if reading.at is None or reading.day_only:
            return ask(ctx, f'When should the {post.title} post go out instead of "{args.to}"?')
        moved = svc.move(tctx, post.id, reading.at.astimezone(UTC))
        return ToolOutcome(text=f"Moved: {post_line(moved, zone)}.", update=answered(ctx))

    return await asyncio.to_thread(work)


async def cancel_post(ctx: ToolContext, args: PostRefArgs) -> ToolOutcome:
    svc, tctx = service(ctx), tenant(ctx)

    def work() -> ToolOutcome:
        post = _one_post(ctx, svc, tctx, args.post)
        if isinstance(post, ToolOutcome):
            return post
        cancelled = svc.cancel(tctx, post.id)
        return ToolOutcome(
            text=f"Cancelled: {post_line(cancelled, svc.zone(tctx))}.", update=answered(ctx)
        )

    return await asyncio.to_thread(work)


async def post_analytics(ctx: ToolContext, args: PeriodArgs) -> ToolOutcome:
    svc, tctx = service(ctx), tenant(ctx)

    def work() -> tuple[str, bytes, str, list[ChartSeries]]:
        zone = svc.zone(tctx)
        period = read_period(args.period, datetime.now(zone), default="this month")
        found = report(
            svc.db, tctx, start=period.start.astimezone(UTC), end=period.end.astimezone(UTC)
        )
        series = [
            (s.label, [(p.day, p.views, p.engagement) for p in s.points]) for s in found.series
        ]
        lines = [
            ChartSeries(
                label=s.label,
                points=[
                    ChartPoint(day=p.day, views=p.views, engagement=p.engagement) for p in s.points
                ],
            )
            for s in found.series
        ]
        title = f"Views and engagement, {period.words}"
        return three_sentences(found, period.words), chart_png(series, title=title), title, lines

    sentences, png, title, lines = await asyncio.to_thread(work)
    ctx.folder.mkdir(parents=True, exist_ok=True)
    path = ctx.folder / f"analytics-{uuid.uuid4().hex[:8]}.png"
    path.write_bytes(png)
    ctx.emit(ChartReady(title=title, image=path, series=lines))
    return ToolOutcome(text=sentences, update=answered(ctx))


PUBLISHING_HANDLERS: dict[str, Handler] = {
    "post_video": post_video,
    "list_posts": list_posts,
    "move_post": move_post,
    "cancel_post": cancel_post,
    "post_analytics": post_analytics,
    "connect_social": connect_social,
}
