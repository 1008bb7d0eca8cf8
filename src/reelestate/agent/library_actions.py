"""The agent's media library action: "use the photos from 12 Oak St" brings an earlier
listing's photos into this conversation, as if they had been sent, without uploading them again.

The listing is found by its address among the organisation's projects; two that fit are asked
about, none is said plainly. The photos become references of this conversation's project too
(same stored files), and the brain analyses them like any photos sent.
"""

from __future__ import annotations

import asyncio

from reelestate.agent.action_args import ReusePhotosArgs
from reelestate.agent.actions import Handler, ToolOutcome
from reelestate.agent.context import ToolContext
from reelestate.agent.publishing_actions import answered, ask, service, tenant
from reelestate.services.media_library import (
    fetch_photos,
    listing_photos,
    listings,
    matching_listings,
)
from reelestate.storage.repositories.media_library import MediaLibraryRepository


async def reuse_photos(ctx: ToolContext, args: ReusePhotosArgs) -> ToolOutcome:
    svc, tctx = service(ctx), tenant(ctx)
    current = ctx.owner.project_id if ctx.owner is not None else None

    def work() -> ToolOutcome:
        found = [
            listing
            for listing in matching_listings(args.source, listings(svc.db, tctx))
            if listing.project_id != current
        ]
        if not found:
            return ToolOutcome(
                text=f'No earlier listing with photos matches "{args.source}". '
                "Give its street address as it was entered, or send the photos.",
                update=answered(ctx),
                ok=False,
            )
        if len(found) > 1:
            options = [f"{listing.name} ({listing.photos} photos)" for listing in found[:5]]
            return ask(
                ctx,
                f'Which listing do you mean by "{args.source}"?\n' + "\n".join(options),
                [f"Use the photos from {listing.name}" for listing in found[:5]],
            )
        source = found[0]
        photos = listing_photos(svc.db, tctx, source.project_id, room=args.room)
        if not photos:
            what = f"{args.room} photos" if args.room else "photos"
            return ToolOutcome(text=f"{source.name} has no {what}.", update=answered(ctx), ok=False)
        have = list(ctx.state.get("photos") or [])
        most = ctx.deps.limits.max_photos
        taken = photos[: max(0, most - len(have))]
        if not taken:
            return ToolOutcome(
                text=f"This video already has {len(have)} photos, the most it can use.",
                update=answered(ctx),
                ok=False,
            )
        paths = fetch_photos(svc.blobs, tctx, taken, ctx.folder / "photos", len(have))
        if current is not None:
            MediaLibraryRepository(svc.db).reuse(tctx, current, [p.id for p in taken])
        text = f"Added {len(taken)} photo{'s' if len(taken) != 1 else ''} from {source.name}."
        if len(taken) < len(photos):
            text += f" {len(photos) - len(taken)} left out: a video uses at most {most} photos."
        return ToolOutcome(text=text, update={"photos": have + [str(p) for p in paths]})

    return await asyncio.to_thread(work)


LIBRARY_HANDLERS: dict[str, Handler] = {"reuse_photos": reuse_photos}
