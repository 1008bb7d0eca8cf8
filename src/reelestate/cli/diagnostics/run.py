"""All checks at once: each in its own thread with its own timeout, and a deadline over them.

A check that overruns its deadline (a DNS lookup that ignores the socket timeout, say) is
reported as timed out; its thread is left to finish on its own.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from reelestate.cli.diagnostics.local import (
    check_blobs,
    check_database,
    check_espeak,
    check_ffmpeg,
    check_ffprobe,
    check_queue,
)
from reelestate.cli.diagnostics.model import (
    PartStatus,
    ProviderReport,
    scrubbed,
    secret_values,
)
from reelestate.cli.diagnostics.remote import (
    check_elevenlabs,
    check_fal,
    check_openai,
    check_telegram,
)
from reelestate.cli.diagnostics.versions import library_versions
from reelestate.core.settings import Settings, get_settings

DEFAULT_TIMEOUT_S = 5.0
GRACE_S = 2.0
"""Extra time over a check's own timeout before it is given up on."""

CheckFn = Callable[[Settings, float], PartStatus | list[PartStatus]]


@dataclass(frozen=True)
class Check:
    part: str
    implementation: str
    run: CheckFn


CHECKS: tuple[Check, ...] = (
    Check("database", "database", check_database),
    Check("queue", "queue", check_queue),
    Check("blobs", "blob store", check_blobs),
    Check("language model", "OpenAI-compatible server", check_openai),
    Check("voice", "ElevenLabs", check_elevenlabs),
    Check("voice", "espeak-ng", check_espeak),
    Check("video models", "fal.ai", check_fal),
    Check("telegram", "Telegram Bot API", check_telegram),
    Check("ffmpeg", "FFmpeg", check_ffmpeg),
    Check("ffprobe", "ffprobe", check_ffprobe),
)


def _failed(check: Check, detail: str) -> PartStatus:
    return PartStatus(
        part=check.part,
        implementation=check.implementation,
        embedded=False,
        configured=True,
        reachable=False,
        detail=detail,
    )


async def _one(
    loop: asyncio.AbstractEventLoop,
    pool: ThreadPoolExecutor,
    check: Check,
    settings: Settings,
    timeout_s: float,
) -> list[PartStatus]:
    try:
        found = await asyncio.wait_for(
            loop.run_in_executor(pool, check.run, settings, timeout_s), timeout_s + GRACE_S
        )
    except TimeoutError:
        return [_failed(check, f"no answer within {timeout_s + GRACE_S:g} s")]
    except Exception as exc:  # a check that breaks must not hide the others
        return [_failed(check, f"check failed ({type(exc).__name__})")]
    return found if isinstance(found, list) else [found]


async def check_providers(
    settings: Settings | None = None,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    checks: Sequence[Check] = CHECKS,
) -> ProviderReport:
    """Every external part: implementation, configured, reachable; no secret in the result."""
    settings = settings or get_settings()
    loop = asyncio.get_running_loop()
    pool = ThreadPoolExecutor(max_workers=len(checks), thread_name_prefix="provider-check")
    try:
        found = await asyncio.gather(
            *(_one(loop, pool, check, settings, timeout_s) for check in checks)
        )
    finally:
        pool.shutdown(wait=False, cancel_futures=True)
    secrets = secret_values(settings)
    return ProviderReport(
        parts=[scrubbed(part, secrets) for rows in found for part in rows],
        versions=library_versions(),
    )
