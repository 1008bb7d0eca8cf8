"""Checks of the paid services: one cheap authenticated request each, nothing bought.

- OpenAI-compatible server: `GET {OPENAI_BASE_URL}/models` (shared by the language model,
  photo analysis, speech to text and OpenAI TTS).
- ElevenLabs: `GET /v2/voices?page_size=1` with `xi-api-key`.
- fal: `POST {REST}/storage/auth/token?storage_type=fal-cdn-v3` (a CDN upload token).
- Telegram: `POST {base}/bot<token>/getMe`.

No reply body or exception text is shown (a URL with a bot token in it could be), only the
status code or the kind of network failure.
"""

from __future__ import annotations

import os
from typing import Any

import httpx
from pydantic import BaseModel, ConfigDict

from reelestate.cli.diagnostics.model import PartStatus, key_state, safe_url
from reelestate.core.settings import Settings
from reelestate.providers.stt.openai_stt import transcription_configured

OPENAI_URL = "https://api.openai.com/v1"
ELEVENLABS_URL = "https://api.elevenlabs.io"
FAL_REST_URL = "https://rest.fal.ai"
TELEGRAM_URL = "https://api.telegram.org"


class Probe(BaseModel):
    """What one request found."""

    model_config = ConfigDict(frozen=True)

    reachable: bool
    detail: str
    body: Any = None


def probe(
    method: str,
    url: str,
    *,
    headers: dict[str, str],
    timeout_s: float,
    json_body: Any = None,
) -> Probe:
    """One request; 2xx is reachable, anything else says only its status or failure kind."""
    try:
        with httpx.Client(timeout=timeout_s, follow_redirects=False) as client:
            reply = client.request(method, url, headers=headers, json=json_body)
    except httpx.TimeoutException:
        return Probe(reachable=False, detail=f"timed out after {timeout_s:g} s")
    except httpx.ConnectError:
        return Probe(reachable=False, detail="cannot connect")
    except httpx.HTTPError as exc:
        return Probe(reachable=False, detail=type(exc).__name__)
    status = reply.status_code
    if 200 <= status < 300:
        try:
            body = reply.json()
        except ValueError:
            body = None
        return Probe(reachable=True, detail=f"HTTP {status}", body=body)
    if status in {401, 403}:
        return Probe(reachable=False, detail=f"credentials refused (HTTP {status})")
    return Probe(reachable=False, detail=f"HTTP {status}")


def _status(
    part: str, implementation: str, found: Probe, settings: dict[str, str], detail: str = ""
) -> PartStatus:
    return PartStatus(
        part=part,
        implementation=implementation,
        embedded=False,
        configured=True,
        reachable=found.reachable,
        detail=detail or found.detail,
        settings=settings,
    )


def _embedded(part: str, implementation: str, detail: str, settings: dict[str, str]) -> PartStatus:
    return PartStatus(
        part=part,
        implementation=implementation,
        embedded=True,
        configured=True,
        reachable=True,
        detail=detail,
        settings=settings,
    )


def _off(part: str, implementation: str, detail: str, settings: dict[str, str]) -> PartStatus:
    return PartStatus(
        part=part,
        implementation=implementation,
        embedded=False,
        configured=False,
        detail=detail,
        settings=settings,
    )


# -- the OpenAI-compatible server ---------------------------------------------------------


def _model_note(found: Probe, wanted: str) -> str:
    """The probe's detail, saying whether `wanted` is among the models the server lists."""
    data = found.body.get("data") if isinstance(found.body, dict) else None
    if not found.reachable or not isinstance(data, list):
        return found.detail
    ids = {str(item.get("id")) for item in data if isinstance(item, dict)}
    listed = "listed" if wanted in ids else f"not among the {len(ids)} models listed"
    return f"{found.detail}; {wanted} {listed}"


def check_openai(settings: Settings, timeout_s: float) -> list[PartStatus]:
    """Language model, photo analysis, speech to text and OpenAI TTS: one server, one request."""
    key = settings.openai_api_key.get_secret_value() if settings.openai_api_key else ""
    base = (settings.openai_base_url or OPENAI_URL).rstrip("/")
    shown = {
        "OPENAI_API_KEY": key_state(key),
        "OPENAI_BASE_URL": safe_url(settings.openai_base_url),
    }
    server = "OpenAI-compatible" if settings.openai_base_url else "OpenAI"
    llm_on = bool(key or settings.openai_base_url)  # as the agent picks its brain
    vision_on = bool(key)  # as the photo analyser is picked
    stt_on = settings.transcribe_voice and transcription_configured(settings)
    found = None
    if llm_on or stt_on:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        found = probe("GET", f"{base}/models", headers=headers, timeout_s=timeout_s)
    rows: list[PartStatus] = []
    llm_shown = {**shown, "REELESTATE_LLM_MODEL": settings.llm_model}
    if found is not None and llm_on:
        rows.append(
            _status(
                "language model",
                f"{server} ({settings.llm_model})",
                found,
                llm_shown,
                _model_note(found, settings.llm_model),
            )
        )
    else:
        rows.append(_embedded("language model", "rule-based (embedded)", "no service needed", {}))
    vision_shown = {**shown, "OPENAI_VISION_MODEL": settings.openai_vision_model}
    if found is not None and vision_on:
        rows.append(
            _status(
                "photo analysis",
                f"{server} ({settings.openai_vision_model})",
                found,
                vision_shown,
                _model_note(found, settings.openai_vision_model),
            )
        )
    else:
        rows.append(_embedded("photo analysis", "ONNX room model (embedded)", "built in", {}))
    stt_shown = {
        **shown,
        "OPENAI_TRANSCRIBE_MODEL": settings.openai_transcribe_model,
        "REELESTATE_TRANSCRIBE_VOICE": str(settings.transcribe_voice).lower(),
    }
    if found is not None and stt_on:
        model = settings.openai_transcribe_model
        rows.append(
            _status(
                "speech to text",
                f"{server} ({model})",
                found,
                stt_shown,
                _model_note(found, model),
            )
        )
    else:
        reason = "turned off" if not settings.transcribe_voice else "no OpenAI-compatible server"
        rows.append(_off("speech to text", "none (the bot asks for typed text)", reason, stt_shown))
    if found is not None and llm_on:
        rows.append(_status("voice", f"{server} TTS", found, shown, "shares the OpenAI check"))
    else:
        rows.append(_off("voice", "OpenAI TTS", "OPENAI_API_KEY not set", shown))
    return rows


# -- ElevenLabs, fal, Telegram ------------------------------------------------------------


def check_elevenlabs(settings: Settings, timeout_s: float) -> PartStatus:
    shown = {
        "ELEVENLABS_API_KEY": key_state(settings.elevenlabs_api_key),
        "ELEVENLABS_BASE_URL": safe_url(settings.elevenlabs_base_url),
    }
    if settings.elevenlabs_api_key is None:
        return _off("voice", "ElevenLabs", "ELEVENLABS_API_KEY not set", shown)
    base = (settings.elevenlabs_base_url or ELEVENLABS_URL).rstrip("/")
    found = probe(
        "GET",
        f"{base}/v2/voices?page_size=1",
        headers={"xi-api-key": settings.elevenlabs_api_key.get_secret_value()},
        timeout_s=timeout_s,
    )
    return _status("voice", "ElevenLabs", found, shown)


def fal_rest_url(settings: Settings) -> str | None:
    """`REELESTATE_FAL_BASE_URL` (one host standing in for all of fal's), when set."""
    value = getattr(settings, "fal_base_url", None) or os.environ.get("REELESTATE_FAL_BASE_URL")
    return str(value) if value else None


def check_fal(settings: Settings, timeout_s: float) -> PartStatus:
    custom = fal_rest_url(settings)
    shown = {"FAL_KEY": key_state(settings.fal_key), "REELESTATE_FAL_BASE_URL": safe_url(custom)}
    if settings.fal_key is None:
        return _embedded("video models", "Ken Burns (embedded)", "camera moves on stills", shown)
    base = (custom or FAL_REST_URL).rstrip("/")
    found = probe(
        "POST",
        f"{base}/storage/auth/token?storage_type=fal-cdn-v3",
        headers={"Authorization": f"Key {settings.fal_key.get_secret_value()}"},
        json_body={},
        timeout_s=timeout_s,
    )
    return _status("video models", "fal.ai", found, shown)


def check_telegram(settings: Settings, timeout_s: float) -> PartStatus:
    shown = {
        "TELEGRAM_BOT_TOKEN": key_state(settings.telegram_bot_token),
        "TELEGRAM_API_BASE_URL": safe_url(settings.telegram_api_base_url),
    }
    if settings.telegram_bot_token is None:
        return _off("telegram", "Telegram bot", "TELEGRAM_BOT_TOKEN not set", shown)
    base = (settings.telegram_api_base_url or TELEGRAM_URL).rstrip("/")
    token = settings.telegram_bot_token.get_secret_value()
    found = probe("POST", f"{base}/bot{token}/getMe", headers={}, timeout_s=timeout_s)
    detail = found.detail
    if found.reachable and isinstance(found.body, dict):
        username = (found.body.get("result") or {}).get("username")
        detail = f"{detail}; bot @{username}" if username else detail
    return _status("telegram", "Telegram Bot API", found, shown, detail)
