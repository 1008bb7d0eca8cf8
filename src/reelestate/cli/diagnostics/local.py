"""Checks of the parts on our side of the network: database, queue, blobs, espeak-ng, FFmpeg.

Each check is a blocking function of the settings and a timeout; none writes anything that
stays (the SQLite file and blob folder are not created, only their folders checked).
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import tempfile
from pathlib import Path

import boto3
import redis
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError
from sqlalchemy import create_engine, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from reelestate.cli.diagnostics.model import PartStatus, key_state, safe_url
from reelestate.cli.diagnostics.versions import tool_version
from reelestate.core.errors import ReelEstateError
from reelestate.core.settings import Settings
from reelestate.providers.tts.espeak_lib import load_library
from reelestate.storage.db import normalise_url

MAX_DETAIL = 160


def first_line(error: BaseException) -> str:
    """A short reason from an error's own text, for services whose errors name no secret."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    line = lines[0] if lines else type(error).__name__
    return line if len(line) <= MAX_DETAIL else line[: MAX_DETAIL - 1] + "…"


def _nearest_folder(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path("/")


def _creatable(path: Path) -> tuple[bool, str]:
    """Whether `path` (a folder or file that does not exist yet) can be made."""
    folder = _nearest_folder(path.resolve().parent)
    if folder.is_dir() and os.access(folder, os.W_OK | os.X_OK):
        return True, f"will be created in {folder}"
    return False, f"{folder} is not writable"


# -- database -----------------------------------------------------------------------------


def check_database(settings: Settings, timeout_s: float) -> PartStatus:
    url = settings.database_url
    shown = {"DATABASE_URL": safe_url(url)}
    if url and not url.startswith("sqlite"):
        normalised = normalise_url(url)
        name = "PostgreSQL" if normalised.startswith("postgresql") else normalised.split(":")[0]
        args = {"connect_timeout": max(1, round(timeout_s))} if name == "PostgreSQL" else {}
        try:
            engine = create_engine(normalised, poolclass=NullPool, connect_args=args)
            try:
                with engine.connect() as conn:
                    conn.execute(text("SELECT 1")).scalar_one()
            finally:
                engine.dispose()
        except (SQLAlchemyError, OSError, ImportError) as exc:
            reason = first_line(getattr(exc, "orig", None) or exc)
            return PartStatus(
                part="database",
                implementation=name,
                embedded=False,
                configured=True,
                reachable=False,
                detail=reason,
                settings=shown,
            )
        return PartStatus(
            part="database",
            implementation=name,
            embedded=False,
            configured=True,
            reachable=True,
            detail="SELECT 1 answered",
            settings=shown,
        )
    path = Path(url.split(":///", 1)[1]) if url else settings.sqlite_path
    embedded = url is None
    implementation = "SQLite (embedded)" if embedded else "SQLite"
    if not path.exists():
        ok, detail = _creatable(path)
    else:
        try:
            with sqlite3.connect(
                f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=timeout_s
            ) as conn:
                conn.execute("SELECT 1").fetchone()
            ok, detail = True, f"SELECT 1 answered ({path})"
        except sqlite3.Error as exc:
            ok, detail = False, f"{path}: {first_line(exc)}"
    return PartStatus(
        part="database",
        implementation=implementation,
        embedded=embedded,
        configured=True,
        reachable=ok,
        detail=detail,
        settings=shown,
    )


# -- queue --------------------------------------------------------------------------------


def check_queue(settings: Settings, timeout_s: float) -> PartStatus:
    shown = {"REDIS_URL": safe_url(settings.redis_url)}
    if not settings.redis_url:
        return PartStatus(
            part="queue",
            implementation="in-process (embedded)",
            embedded=True,
            configured=True,
            reachable=True,
            detail="renders run in this process",
            settings=shown,
        )
    client = redis.Redis.from_url(
        settings.redis_url, socket_connect_timeout=timeout_s, socket_timeout=timeout_s
    )
    try:
        client.ping()
        info: dict[str, object] = client.info("server")  # type: ignore[assignment]
        version = str(info.get("redis_version", "?"))
        ok, detail = True, f"PING answered (Redis {version})"
    except redis.TimeoutError:
        ok, detail = False, f"timed out after {timeout_s:g} s"
    except redis.ConnectionError:
        ok, detail = False, "cannot connect"
    except redis.RedisError as exc:
        ok, detail = False, type(exc).__name__
    finally:
        client.close()
    return PartStatus(
        part="queue",
        implementation="Redis (arq)",
        embedded=False,
        configured=True,
        reachable=ok,
        detail=detail,
        settings=shown,
    )


# -- blobs --------------------------------------------------------------------------------


def check_blobs(settings: Settings, timeout_s: float) -> PartStatus:
    if settings.s3_bucket:
        return _check_s3(settings, timeout_s)
    root = settings.blobs_dir
    shown = {"S3_BUCKET": "not set", "folder": str(root.resolve())}
    if root.exists():
        try:
            with tempfile.NamedTemporaryFile(dir=root, prefix=".check-"):
                pass
            ok, detail = True, "folder is writable"
        except OSError as exc:
            ok, detail = False, f"cannot write in {root} ({type(exc).__name__})"
    else:
        ok, detail = _creatable(root)
    return PartStatus(
        part="blobs",
        implementation="local folder (embedded)",
        embedded=True,
        configured=True,
        reachable=ok,
        detail=detail,
        settings=shown,
    )


def _check_s3(settings: Settings, timeout_s: float) -> PartStatus:
    bucket = settings.s3_bucket or ""
    shown = {
        "S3_BUCKET": bucket,
        "S3_ENDPOINT_URL": safe_url(settings.s3_endpoint_url),
        "AWS_ACCESS_KEY_ID": key_state(os.environ.get("AWS_ACCESS_KEY_ID")),
    }
    client = boto3.client(
        "s3",
        endpoint_url=settings.s3_endpoint_url,
        region_name=settings.s3_region,
        config=Config(
            connect_timeout=timeout_s,
            read_timeout=timeout_s,
            retries={"max_attempts": 1, "mode": "standard"},
            s3={"addressing_style": "path"},
        ),
    )
    try:
        client.head_bucket(Bucket=bucket)
        ok, detail = True, f"bucket {bucket} answered HEAD"
    except NoCredentialsError:
        ok, detail = False, "no AWS credentials found"
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", "?"))
        ok, detail = False, f"bucket {bucket}: {code}"
    except BotoCoreError as exc:
        ok, detail = False, _network_reason(exc, timeout_s)
    return PartStatus(
        part="blobs",
        implementation="S3",
        embedded=False,
        configured=True,
        reachable=ok,
        detail=detail,
        settings=shown,
    )


def _network_reason(error: BaseException, timeout_s: float) -> str:
    name = type(error).__name__
    if "Timeout" in name or isinstance(error, TimeoutError | socket.timeout):
        return f"timed out after {timeout_s:g} s"
    if "Connect" in name or isinstance(error, ConnectionError):
        return "cannot connect"
    return name


# -- espeak-ng and FFmpeg -----------------------------------------------------------------


def check_espeak(settings: Settings, _timeout_s: float) -> PartStatus:
    name = settings.espeak_library
    try:
        voices = len(load_library(name).voices())
        ok, detail = True, f"{name} loaded, {voices} voices"
    except ReelEstateError as exc:
        ok, detail = False, exc.message
    return PartStatus(
        part="voice",
        implementation="espeak-ng (embedded)",
        embedded=True,
        configured=True,
        reachable=ok,
        detail=detail,
        settings={"REELESTATE_ESPEAK_LIBRARY": name},
    )


def _bundled_ffmpeg() -> str | None:
    try:
        import imageio_ffmpeg  # noqa: PLC0415 - optional fallback, as the renderer uses it

        return str(imageio_ffmpeg.get_ffmpeg_exe())
    except (ImportError, RuntimeError):  # pragma: no cover - depends on the machine
        return None


def check_ffmpeg(settings: Settings, timeout_s: float) -> PartStatus:
    path = settings.ffmpeg_binary or shutil.which("ffmpeg")
    bundled = path is None
    path = path or _bundled_ffmpeg()
    implementation = "FFmpeg (bundled)" if bundled else "FFmpeg"
    ok, detail = tool_version(path, timeout_s) if path else (False, "not installed")
    return PartStatus(
        part="ffmpeg",
        implementation=implementation,
        embedded=bundled,
        configured=True,
        reachable=ok,
        detail=detail,
        settings={"REELESTATE_FFMPEG": settings.ffmpeg_binary or NOT_SET_PATH},
    )


def check_ffprobe(settings: Settings, timeout_s: float) -> PartStatus:
    path = settings.ffprobe_binary or shutil.which("ffprobe")
    ok, detail = tool_version(path, timeout_s) if path else (False, "not installed")
    return PartStatus(
        part="ffprobe",
        implementation="ffprobe",
        embedded=False,
        configured=True,
        reachable=ok,
        detail=detail,
        settings={"REELESTATE_FFPROBE": settings.ffprobe_binary or NOT_SET_PATH},
    )


NOT_SET_PATH = "not set (PATH)"
