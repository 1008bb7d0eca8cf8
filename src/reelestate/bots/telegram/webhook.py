"""`POST /telegram/webhook` for the FastAPI app: checks the secret token, queues the update.

Mount it when the web app is built, and start the bot in its lifespan:

    config = TelegramConfig.from_settings(settings)
    holder: dict[str, Application] = {}
    app.include_router(telegram_webhook_router(lambda: holder.get("bot"), config))

    async with open_telegram_bot(settings, runner=runner, polling=False) as bot:  # lifespan
        holder["bot"] = bot.application
        yield

Until the bot has started the route answers 503, so Telegram retries later.

Telegram sends the secret it was given in `setWebhook` as `X-Telegram-Bot-Api-Secret-Token`;
anything else is refused with 403 before the body is read. The update is queued and answered at
once, so a long render never makes Telegram deliver the same update again.
"""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, HTTPException, Request, Response
from telegram import Update
from telegram.ext import Application

from reelestate.bots.telegram.config import TelegramConfig

_log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 - a header name
WEBHOOK_PATH = "/telegram/webhook"


AnyApplication = Application[Any, Any, Any, Any, Any, Any]
ApplicationSource = AnyApplication | Callable[[], AnyApplication | None]


def telegram_webhook_router(
    application: ApplicationSource,
    config: TelegramConfig,
    *,
    path: str = WEBHOOK_PATH,
) -> APIRouter:
    """The route, for a started application or a function returning it (None: not yet)."""
    secret = config.webhook_secret.get_secret_value().encode()
    router = APIRouter()

    def current() -> AnyApplication:
        found = application if isinstance(application, Application) else application()
        if found is None:
            raise HTTPException(status_code=503, detail="The bot is starting")
        return found

    @router.post(path, include_in_schema=False)
    async def telegram_webhook(request: Request) -> Response:
        given = request.headers.get(SECRET_HEADER, "").encode()
        if not hmac.compare_digest(given, secret):
            raise HTTPException(status_code=403, detail="Forbidden")
        bot_app = current()
        try:
            data: Any = await request.json()
            update = Update.de_json(data, bot_app.bot)
        except (ValueError, TypeError, KeyError) as exc:
            raise HTTPException(status_code=400, detail="Not a Telegram update") from exc
        if update is None:
            raise HTTPException(status_code=400, detail="Not a Telegram update")
        await bot_app.update_queue.put(update)
        return Response(status_code=200)

    return router
