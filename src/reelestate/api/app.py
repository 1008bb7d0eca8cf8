"""The web app: REST v1 under `/api/v1`, the Chainlit chat at `/chat`, health, signed media.

`create_app` builds it; its lifespan opens the database, the blob store, the job queue (and an
in-process worker on the embedded defaults), the conversation runner and the first admin.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Callable, Coroutine
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse

from reelestate.agent.backends.queued import QueuedRenderBackend
from reelestate.agent.brains.base import Brain
from reelestate.agent.runner import Runner, default_photo_analyser
from reelestate.api import api_docs, health, join, library_page, media, observability, problems
from reelestate.api.bootstrap import AdminLogin, ensure_first_admin
from reelestate.api.chat_guard import ChatSessionGuard, chat_token
from reelestate.api.draining import ShutdownCancellation
from reelestate.api.pages import forms
from reelestate.api.pages.google import mount_google_sign_in
from reelestate.api.security.headers import SecurityHeaders
from reelestate.api.security.tokens import TokenIssuer, app_secret
from reelestate.api.services import AppServices
from reelestate.api.v1 import (
    accounts,
    analytics,
    billing,
    brand_music,
    catalogue,
    media_library,
    publishing,
    render_jobs,
    social,
    storyboards,
)
from reelestate.api.v1.webhooks import fal_webhook_router
from reelestate.bots.telegram.app import open_telegram_bot, register_webhook
from reelestate.bots.telegram.config import TelegramConfig
from reelestate.bots.telegram.webhook import telegram_webhook_router
from reelestate.chat_ui.root import prepare_chainlit_root
from reelestate.chat_ui.services import ChatServices, async_database_url, configure
from reelestate.core import tracing
from reelestate.core.logging import install_redaction
from reelestate.core.scratch import sweep_scratch
from reelestate.core.settings import Settings, get_settings
from reelestate.core.shutdown import CLEAN_UP_S, ExitDeadline
from reelestate.providers.mail.sender import open_mailer
from reelestate.providers.video_gen.inbox import RedisWebhookInbox, webhook_inbox
from reelestate.providers.video_gen.webhook import JwksCache
from reelestate.providers.vision.base import PhotoAnalyser
from reelestate.render.spec import Profile
from reelestate.workers.arq_worker import ArqDispatcher
from reelestate.workers.dispatch import Dispatcher
from reelestate.workers.execute import JobEnv
from reelestate.workers.housekeeping import blob_gc_loop
from reelestate.workers.inprocess import InProcessWorkerPool
from reelestate.workers.queue_metrics import register_queue_metrics
from reelestate.workers.service import JobsService, open_env

log = logging.getLogger(__name__)
API_PREFIX = "/api/v1"
CHAT_PATH = "/chat"
CHAT_MODULE = Path(__file__).resolve().parents[1] / "chat_ui" / "app.py"


@dataclass
class AppOptions:
    """What tests and the command line may choose; production uses the defaults."""

    worker: bool = True
    """Run render jobs in this process (embedded mode) rather than in `reelestate worker`."""
    chat: bool = True
    analyser: PhotoAnalyser | None = None
    brain: Brain | None = None
    on_admin: Callable[[AdminLogin], None] | None = None
    admin: list[AdminLogin] = field(default_factory=list)


def _profile(settings: Settings) -> Profile:
    return "preview" if settings.final_profile == "preview" else "final"


def _app_services(
    settings: Settings, env: JobEnv, jobs: JobsService, options: AppOptions
) -> AppServices:
    """The long-lived clients every request shares; the analyser is made on first use."""
    analyser_box: list[PhotoAnalyser] = [options.analyser] if options.analyser else []

    def analyser() -> PhotoAnalyser:
        if not analyser_box:
            analyser_box.append(default_photo_analyser(settings))
        return analyser_box[0]

    return AppServices(
        settings=settings,
        db=env.db,
        blobs=env.blobs,
        jobs=jobs,
        tokens=TokenIssuer(
            app_secret(settings),
            access_ttl_s=settings.access_token_ttl_s,
            refresh_ttl_s=settings.refresh_token_ttl_s,
        ),
        analyser=analyser,
        mailer=open_mailer(
            settings.smtp_url.get_secret_value() if settings.smtp_url else None,
            settings.outbox_dir,
            settings.mail_from,
        ),
    )


@asynccontextmanager
async def _lifespan(app: FastAPI, settings: Settings, options: AppOptions) -> AsyncIterator[None]:
    # Again now that the server has set up its own loggers (uvicorn's access log).
    install_redaction(settings)
    swept = sweep_scratch(settings.scratch_dir)
    if swept:
        log.info("removed %d temporary folders of processes that ended", len(swept))
    env = open_env(settings)
    register_queue_metrics(env.system)
    dispatcher: Dispatcher | None = None
    pool: InProcessWorkerPool | None = None
    arq: ArqDispatcher | None = None
    if settings.redis_url:
        arq = await ArqDispatcher.connect(settings.redis_url)
        dispatcher = arq
    elif options.worker:
        pool = InProcessWorkerPool(env)
        await pool.start()
        dispatcher = pool
    jobs = JobsService(env, dispatcher)
    services = _app_services(settings, env, jobs, options)
    app.state.services = services
    admin = ensure_first_admin(settings, env.db)
    options.admin.append(admin)
    if options.on_admin is not None:
        options.on_admin(admin)
    stopping = asyncio.Event()
    housekeeping = asyncio.create_task(blob_gc_loop(env, stopping))
    try:
        async with contextlib.AsyncExitStack() as stack:
            if options.chat:
                runner = await stack.enter_async_context(
                    Runner.open(
                        settings,
                        brain=options.brain,
                        analyser=options.analyser,
                        renderer=QueuedRenderBackend(
                            jobs, limiter=services.render_limiter, billing=services.billing
                        ),
                        final_profile=_profile(settings),
                        default_length=settings.video_length_s,
                        db=env.db,
                    )
                )
                configure(
                    ChatServices(
                        settings=settings,
                        runner=runner,
                        jobs=jobs,
                        db=env.db,
                        blobs=env.blobs,
                        accounts=services.accounts,
                        login_limiter=services.login_limiter,
                        sign_in_limits=services.sign_in_limits,
                        history_url=async_database_url(settings.effective_database_url),
                    )
                )
            if _telegram_webhook_enabled(settings):
                # The bot keeps its own runner (its conversations are its own), rendering through
                # the same queue, billed to the linked person's organisation.
                bot = await stack.enter_async_context(
                    open_telegram_bot(
                        settings,
                        blobs=env.blobs,
                        db=env.db,
                        polling=False,
                        renderer=QueuedRenderBackend(
                            jobs, limiter=services.render_limiter, billing=services.billing
                        ),
                    )
                )
                await register_webhook(bot)
                app.state.telegram_application = bot.application
            yield
    finally:
        # The requests had the grace (uvicorn's timeout_graceful_shutdown); closing clients and
        # handing jobs back get a bounded moment after it, then the process ends regardless.
        deadline = ExitDeadline(CLEAN_UP_S * 2, "the web app's shutdown")
        deadline.arm()
        stopping.set()
        if options.chat:
            configure(None)
        await _bounded(_close(app, pool, arq, housekeeping), CLEAN_UP_S)
        services.close()
        env.close()
        tracing.flush()
        deadline.disarm()


async def _close(
    app: FastAPI,
    pool: InProcessWorkerPool | None,
    arq: ArqDispatcher | None,
    housekeeping: asyncio.Task[None],
) -> None:
    if pool is not None:
        await pool.stop()
    if arq is not None:
        await arq.close()
    inbox = getattr(app.state, "fal_inbox", None)
    if isinstance(inbox, RedisWebhookInbox):
        await inbox.aclose()
    await housekeeping


async def _bounded(closing: Coroutine[Any, Any, None], seconds: float) -> None:
    try:
        await asyncio.wait_for(closing, seconds)
    except TimeoutError:
        log.warning("shutting down took more than %.0f s; leaving the rest", seconds)


def _telegram_webhook_enabled(settings: Settings) -> bool:
    """The bot answers through this app when it has a token and a public webhook URL."""
    return settings.telegram_bot_token is not None and settings.telegram_webhook_url is not None


def _fal_webhook_enabled(settings: Settings) -> bool:
    """fal can only call back for requests this installation made, which needs its key."""
    return settings.fal_key is not None and settings.fal_webhooks


def create_app(settings: Settings | None = None, options: AppOptions | None = None) -> FastAPI:
    settings = settings or get_settings()
    options = options or AppOptions()
    tracing.configure("reelestate-app", settings.otel_exporter_otlp_endpoint)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with _lifespan(app, settings, options):
            yield

    app = FastAPI(
        title="ReelEstate Studio API",
        version="1.0.0",
        description="Listing photos and facts in, marketing video out.",
        openapi_url=f"{API_PREFIX}/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    problems.install(app)
    app.add_middleware(ShutdownCancellation)
    app.add_middleware(observability.RequestMetrics)
    app.add_middleware(SecurityHeaders, settings=settings)
    api_docs.install(app, API_PREFIX)
    routers = (
        accounts,
        billing,
        catalogue,
        brand_music,
        storyboards,
        render_jobs,
        publishing,
        analytics,
        social,
        media_library,
    )
    for router in (r.router for r in routers):
        app.include_router(router, prefix=API_PREFIX)
    if _fal_webhook_enabled(settings):
        app.state.fal_inbox = webhook_inbox(settings)
        app.include_router(
            fal_webhook_router(app.state.fal_inbox, JwksCache(settings.fal_webhook_jwks_url)),
            prefix=API_PREFIX,
        )
    app.include_router(health.router)
    app.include_router(observability.router)
    app.include_router(media.router)
    app.include_router(join.router)
    app.include_router(forms.router)
    mount_google_sign_in(app, settings)
    app.include_router(library_page.router)
    if _telegram_webhook_enabled(settings):
        app.include_router(
            telegram_webhook_router(
                lambda: getattr(app.state, "telegram_application", None),
                TelegramConfig.from_settings(settings),
            )
        )

    @app.get("/", include_in_schema=False)
    async def home(request: Request) -> RedirectResponse:
        """Signed in: the chat; otherwise the sign-in page, which links to sign-up."""
        if not options.chat:
            return RedirectResponse(f"{API_PREFIX}/docs")
        signed_in = chat_token(dict(request.cookies)) is not None
        return RedirectResponse(f"{CHAT_PATH}/" if signed_in else "/login")

    if options.chat:
        _mount_chat(app, settings)
        app.add_middleware(ChatSessionGuard, prefix=CHAT_PATH, secret=app_secret(settings))
    return app


def create_app_from_env() -> FastAPI:
    """The app as `uvicorn --factory` builds it in each process of `reelestate serve
    --workers N`: settings from the environment, the default options (with several processes
    the queue is Redis, so no process runs the embedded worker)."""
    return create_app(get_settings(), AppOptions())


def _mount_chat(app: FastAPI, settings: Settings) -> None:
    prepare_chainlit_root(settings, auth_secret=app_secret(settings).decode())
    logging.getLogger("chainlit").setLevel(logging.WARNING)
    from chainlit.utils import mount_chainlit  # noqa: PLC0415 - only after its folder is set

    mount_chainlit(app=app, target=str(CHAT_MODULE), path=CHAT_PATH)
