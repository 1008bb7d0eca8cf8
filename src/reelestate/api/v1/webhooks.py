"""`POST /api/v1/webhooks/fal`: fal says a generated clip is done.

The route checks fal's ED25519 signature (401 without one, 403 for a bad or stale one; the
answer names no key or secret) and leaves the delivery in the webhook inbox, where the
generator that submitted the request picks it up. The generator also polls slowly, so a lost
webhook costs time, not the clip. fal retries a delivery that fails, so answering an error when
the keys cannot be fetched is safe.
"""

from __future__ import annotations

from fastapi import APIRouter, Request

from reelestate.core.errors import InvalidInputError
from reelestate.providers.video_gen.inbox import WebhookInbox
from reelestate.providers.video_gen.webhook import FAL_WEBHOOK_PATH, JwksCache

MAX_BODY_BYTES = 4 * 1024 * 1024
API_PREFIX = "/api/v1"


def fal_webhook_router(inbox: WebhookInbox, jwks: JwksCache) -> APIRouter:
    """The route, mounted under `/api/v1`."""
    router = APIRouter(tags=["webhooks"])

    @router.post(FAL_WEBHOOK_PATH.removeprefix(API_PREFIX), include_in_schema=False)
    async def fal_webhook(request: Request) -> dict[str, bool]:
        declared = request.headers.get("content-length", "0")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            raise InvalidInputError("The webhook body is too large.")
        body = await request.body()
        delivery = await jwks.verify(request.headers, body)
        await inbox.publish(delivery.request_id, delivery.body)
        return {"ok": True}

    return router
