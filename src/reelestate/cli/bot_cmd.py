"""`reelestate bot`: the Telegram bot, by long polling (or registering the web app's webhook)."""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import Annotated

import typer
from rich.console import Console

from reelestate.bots.telegram.app import open_telegram_bot, register_webhook, run_polling
from reelestate.bots.telegram.webhook import WEBHOOK_PATH
from reelestate.cli.render_cmd import report_error
from reelestate.core.errors import ReelEstateError
from reelestate.core.logging import configure_logging
from reelestate.core.settings import get_settings
from reelestate.core.shutdown import CLEAN_UP_S, ExitDeadline
from reelestate.storage.migrate import prepare_database

console = Console(stderr=True)


async def _serve(*, trial: bool) -> None:
    settings = get_settings()
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    # Past the grace the process ends even if an update's handler (a download, a render wait)
    # has not let go: Telegram delivers unacknowledged updates again to the next process.
    deadline = ExitDeadline(settings.shutdown_grace_s + CLEAN_UP_S, "the Telegram bot")

    def on_signal() -> None:
        deadline.arm()
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, on_signal)
    webhook = bool(settings.telegram_webhook_url)
    async with open_telegram_bot(settings, polling=not webhook, trial=trial) as bot:
        if webhook:
            await register_webhook(bot)
            console.print(
                f"Webhook registered: Telegram now delivers to {settings.telegram_webhook_url} "
                f"(the web app's {WEBHOOK_PATH}); updates are handled there."
            )
            return
        console.print("Telegram bot running (long polling); Ctrl+C stops it.")
        await run_polling(bot, stop)


def register(app: typer.Typer) -> None:
    @app.command("bot")
    def bot(
        trial: Annotated[
            bool, typer.Option("--trial", help="Render finals at preview size, 12 s long.")
        ] = False,
    ) -> None:
        """Run the Telegram bot (TELEGRAM_BOT_TOKEN; TELEGRAM_WEBHOOK_URL registers a webhook)."""
        configure_logging(get_settings())
        logging.getLogger("httpx").setLevel(logging.WARNING)
        try:
            prepare_database(get_settings())
            asyncio.run(_serve(trial=trial))
        except ReelEstateError as exc:
            raise report_error(exc) from exc
