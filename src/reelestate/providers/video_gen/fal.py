"""Image-to-video on fal.ai through fal-client's queue API.

One `generate` call: upload the photo (fal storage, or a `data:` URL), submit to the model's
queue (asking for a webhook when the app has a public URL), follow the job while reporting
queue position and log lines, fetch the result and download the video. fal-client would wait
forever for a stuck job and never retries a 500, so everything runs under one deadline
(`REELESTATE_FAL_TIMEOUT`) and our `RetryPolicy`; a job we stop waiting for (deadline, cancel,
an error while following it) is cancelled on fal so it stops billing.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Literal, TypeVar

import anyio
import fal_client
import httpx
from fal_client import AsyncRequestHandle, Completed, InProgress, Queued, Status

from reelestate.core.errors import (
    PhotoError,
    ProviderError,
    ProviderNotConfiguredError,
    ProviderTimeoutError,
    RenderCancelledError,
)
from reelestate.core.metrics import provider_call
from reelestate.core.retry import RetryPolicy, retry_async
from reelestate.core.settings import Settings
from reelestate.providers.video_gen.base import (
    CancelCheck,
    ClipRequest,
    GeneratedClip,
    ProgressCallback,
    ProgressEmitter,
    estimate_cost,
)
from reelestate.providers.video_gen.download import download_clip
from reelestate.providers.video_gen.fal_errors import (
    check_result,
    from_exception,
    video_url_of,
    webhook_failure,
)
from reelestate.providers.video_gen.fal_hosts import point_fal_client_at
from reelestate.providers.video_gen.inbox import WebhookInbox, webhook_inbox
from reelestate.providers.video_gen.inputs import model_arguments
from reelestate.providers.video_gen.registry import VideoModelRegistry, VideoModelSpec, video_models
from reelestate.providers.video_gen.webhook import FAL_WEBHOOK_PATH

log = logging.getLogger(__name__)
T = TypeVar("T")
UploadMode = Literal["storage", "data_url"]


class FalVideoGenerator:
    """`VideoGenerator` on fal.ai."""

    name = "fal"

    def __init__(
        self,
        key: str,
        *,
        registry: VideoModelRegistry,
        timeout_s: float = 600.0,
        upload: UploadMode = "storage",
        webhook_url: str | None = None,
        inbox: WebhookInbox | None = None,
        retry: RetryPolicy | None = None,
        poll_interval_s: float = 2.0,
        webhook_backstop_s: float = 30.0,
        cancel_check_s: float = 1.0,
        max_clip_bytes: int = 200 * 1024 * 1024,
        download_timeout_s: float = 120.0,
        request_timeout_s: float = 60.0,
        cancel_grace_s: float = 10.0,
    ) -> None:
        if not key:
            raise ProviderNotConfiguredError("fal has no key.", hint="Set FAL_KEY.")
        self._key = key
        self.registry = registry
        self.timeout_s = timeout_s
        self.upload = upload
        self.webhook_url = webhook_url if inbox is not None else None
        self.inbox = inbox
        self.retry = retry or RetryPolicy()
        self.poll_interval_s = poll_interval_s
        self.webhook_backstop_s = webhook_backstop_s
        self.cancel_check_s = cancel_check_s
        self.max_clip_bytes = max_clip_bytes
        self.download_timeout_s = download_timeout_s
        self.cancel_grace_s = cancel_grace_s
        self.request_timeout_s = request_timeout_s

    @classmethod
    def from_settings(
        cls, settings: Settings, *, inbox: WebhookInbox | None = None, **options: Any
    ) -> FalVideoGenerator:
        """The generator this installation is configured for (raises without `FAL_KEY`)."""
        key = settings.fal_key.get_secret_value() if settings.fal_key else ""
        if not key:
            raise ProviderNotConfiguredError(
                "Generated motion needs a fal.ai key.", hint="Set FAL_KEY, or use Ken Burns motion."
            )
        point_fal_client_at(settings.fal_base_url)
        webhook_url = None
        if settings.fal_webhooks and settings.public_base_url:
            webhook_url = settings.public_base_url.rstrip("/") + FAL_WEBHOOK_PATH
            inbox = inbox or webhook_inbox(settings)
        chosen: dict[str, Any] = {
            "registry": video_models(settings),
            "timeout_s": settings.fal_timeout_s,
            "upload": settings.fal_upload,
            "webhook_url": webhook_url,
            "inbox": inbox if webhook_url else None,
            "max_clip_bytes": settings.fal_max_clip_mb * 1024 * 1024,
            "retry": RetryPolicy(attempts=settings.video_gen_attempts),
        }
        return cls(key, **{**chosen, **options})

    async def generate(
        self,
        request: ClipRequest,
        out_dir: Path,
        *,
        on_progress: ProgressCallback | None = None,
        should_cancel: CancelCheck | None = None,
    ) -> GeneratedClip:
        spec = self.registry.get(request.model)
        emit = ProgressEmitter(on_progress)
        cancelled = should_cancel or (lambda: False)
        try:
            async with asyncio.timeout(self.timeout_s), self._fal() as fal:
                emit("uploading")
                image_url = await retry_async(lambda: self._upload(fal, request.image), self.retry)
                arguments = model_arguments(spec, request, image_url)
                request_id, result = await retry_async(
                    lambda: self._run_job(fal, spec, arguments, emit, cancelled), self.retry
                )
                emit("downloading")
                path = await retry_async(
                    lambda: download_clip(
                        video_url_of(result),
                        out_dir,
                        f"{request.model}-{request_id}",
                        max_bytes=self.max_clip_bytes,
                        timeout_s=self.download_timeout_s,
                    ),
                    self.retry,
                )
        except TimeoutError:
            raise ProviderTimeoutError(
                f"The {spec.label} clip was not ready within {self.timeout_s:g} seconds.",
                hint="The request was cancelled on fal; try again later or use Ken Burns motion.",
            ) from None
        return GeneratedClip(
            path=path,
            model=request.model,
            request_id=request_id,
            cost_usd=estimate_cost(spec, request.duration_s),
            seconds_billed=spec.clip_seconds(request.duration_s),
        )

    @asynccontextmanager
    async def _fal(self) -> AsyncIterator[fal_client.AsyncClient]:
        """A fal client for one clip, closed afterwards (an httpx client belongs to one loop)."""
        client = fal_client.AsyncClient(key=self._key, default_timeout=self.request_timeout_s)
        try:
            yield client
        finally:
            # fal-client has no close(): its httpx client is made on first use and cached on
            # the instance, so close it only if it was made.
            if "_client" in vars(client):
                http = await client._client
                await http.aclose()

    async def _call(self, action: str, call: Callable[[], Awaitable[T]]) -> T:
        try:
            with provider_call("fal", action):
                return await call()
        except (fal_client.FalClientError, httpx.HTTPError, OSError, ValueError, KeyError) as exc:
            raise from_exception(exc, action=action, secret=self._key) from None

    async def _upload(self, fal: fal_client.AsyncClient, image: Path) -> str:
        if not await anyio.Path(image).is_file():
            raise PhotoError(f"The photo {image.name} is missing.")
        if self.upload == "data_url":
            return await asyncio.to_thread(fal_client.encode_file, image)
        return await self._call("uploading the photo", lambda: fal.upload_file(image))

    async def _run_job(
        self,
        fal: fal_client.AsyncClient,
        spec: VideoModelSpec,
        arguments: dict[str, Any],
        emit: ProgressEmitter,
        cancelled: CancelCheck,
    ) -> tuple[str, dict[str, Any]]:
        """Submit once and follow that job to its result; cancels it if we stop following."""
        handle = await self._call(
            "submitting the clip",
            lambda: fal.submit(spec.endpoint, arguments, webhook_url=self.webhook_url),
        )
        log.info("fal request %s submitted to %s", handle.request_id, spec.endpoint)
        emit("queued")
        finished = False
        try:
            if self.webhook_url and self.inbox is not None:
                outcome = await self._follow_webhook(handle, emit, cancelled)
            else:
                outcome = await self._follow_polling(handle, emit, cancelled)
            finished = True
            if isinstance(outcome, dict):
                result = await self._webhook_result(handle, outcome)
            else:
                result = await self._result(handle, outcome)
        except BaseException:
            if not finished:
                await self._cancel_quietly(handle)
            raise
        check_result(result)
        return handle.request_id, result

    async def _status(self, handle: AsyncRequestHandle, emit: ProgressEmitter) -> Status:
        status = await retry_async(
            lambda: self._call("checking the clip", lambda: handle.status(with_logs=True)),
            self.retry,
        )
        if isinstance(status, Queued):
            emit("queued", queue_position=status.position)
        elif isinstance(status, InProgress):
            emit("running", message=_last_log(status.logs))
        return status

    async def _follow_polling(
        self, handle: AsyncRequestHandle, emit: ProgressEmitter, cancelled: CancelCheck
    ) -> Completed:
        while True:
            _raise_if_cancelled(cancelled)
            status = await self._status(handle, emit)
            if isinstance(status, Completed):
                return status
            await asyncio.sleep(self.poll_interval_s)

    async def _follow_webhook(
        self, handle: AsyncRequestHandle, emit: ProgressEmitter, cancelled: CancelCheck
    ) -> Completed | dict[str, Any]:
        """Wait for the webhook, checking `cancelled` every `cancel_check_s` and the status
        every `webhook_backstop_s` in case the webhook never comes."""
        assert self.inbox is not None
        next_poll = time.monotonic() + self.webhook_backstop_s
        while True:
            _raise_if_cancelled(cancelled)
            wait_s = min(self.cancel_check_s, max(next_poll - time.monotonic(), 0.0))
            delivery = await self.inbox.wait(handle.request_id, wait_s)
            if delivery is not None:
                return delivery
            if time.monotonic() >= next_poll:
                status = await self._status(handle, emit)
                if isinstance(status, Completed):
                    return status
                next_poll = time.monotonic() + self.webhook_backstop_s

    async def _result(self, handle: AsyncRequestHandle, status: Completed) -> dict[str, Any]:
        def fetch() -> Awaitable[Any]:
            return self._call("fetching the clip", lambda: handle.get(interval=0.5))

        if status.error:
            # The job failed; its result answers with the error's status, which says whether
            # a new job may succeed. Asking again would not change the answer.
            await fetch()
            raise webhook_failure(
                {"error": status.error, "payload": {"error_type": status.error_type}},
                secret=self._key,
            )
        result = await retry_async(fetch, self.retry)
        if not isinstance(result, dict):
            raise ProviderError("fal returned a result that is not a JSON object.")
        return result

    async def _webhook_result(
        self, handle: AsyncRequestHandle, delivery: dict[str, Any]
    ) -> dict[str, Any]:
        if delivery.get("status") != "OK":
            raise webhook_failure(delivery, secret=self._key)
        payload = delivery.get("payload")
        if isinstance(payload, dict):
            return payload
        # fal sends `payload: null` with `payload_error` when the result was not JSON-safe.
        return await self._result(handle, Completed(logs=None, metrics={}))

    async def _cancel_quietly(self, handle: AsyncRequestHandle) -> None:
        """Ask fal to drop the job; shielded from our own cancellation, bounded in time."""
        try:
            await asyncio.shield(asyncio.wait_for(handle.cancel(), self.cancel_grace_s))
            log.info("fal request %s cancelled", handle.request_id)
        except (Exception, asyncio.CancelledError) as exc:
            log.warning(
                "fal request %s could not be cancelled: %s", handle.request_id, type(exc).__name__
            )


def _raise_if_cancelled(cancelled: CancelCheck) -> None:
    if cancelled():
        raise RenderCancelledError("The clip generation was cancelled.")


def _last_log(logs: list[dict[str, Any]] | None) -> str | None:
    for entry in reversed(logs or []):
        message = str(entry.get("message", "")).strip() if isinstance(entry, dict) else ""
        if message:
            return message[:200]
    return None
