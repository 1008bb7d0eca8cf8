"""`POST /telegram/webhook` for the FastAPI app: checks the secret token, queues the update.

Mount it beside a started bot (see `app.open_telegram_bot(..., polling=False)`):

    app.include_router(telegram_webhook_router(bot.application, bot.config))

Telegram sends the secret it was given in `setWebhook` as `X-Telegram-Bot-Api-Secret-Token`;
anything else is refused with 403 before the body is read. The update is queued and answered at
once, so a long render never makes Telegram deliver the same update again.
"""

from __future__ import annotations

import hmac
import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from telegram import Update
from telegram.ext import Application

from reelestate.bots.telegram.config import TelegramConfig

_log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
WEBHOOK_PATH = "/telegram/webhook"


def telegram_webhook_router(
    application: Application,  # type: ignore[type-arg]
    config: TelegramConfig,
    *,
    path: str = WEBHOOK_PATH,
) -> APIRouter:
    secret = config.webhook_secret.get_secret_value().encode()
    router = APIRouter()

    @router.post(path, include_in_schema=False)
    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, secret):
            raise HTTPException(status_code=403, detail="Forbidden")
        try:
            data: Any = await request.json()
            update = Update.de_json(data, application.bot)
        except (ValueError, TypeError, KeyError) as exc:
            raise HTTPException(status_code=400, detail="Not a Telegram update") from exc
        if update is None:
            raise HTTPException(status_code=400, detail="Not a Telegram update")
        await application.update_queue.put(update)
        return Response(status_code=200)

    return router
