"""Mail out: through an SMTP server (`SMTP_URL`), or as `.eml` files in an outbox by default.

The outbox lets the embedded product (`make chat`) work with no mail server: each message is a
file any mail client opens, and its first link is logged so whoever runs it can follow it. The
SMTP URL is never logged (it holds the password); only `host:port` is.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Protocol
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

from reelestate.core.errors import ConfigurationError, ProviderError

log = logging.getLogger(__name__)
_LINK = re.compile(r"https?://\S+")


class Mailer(Protocol):
    async def send(self, to: str, subject: str, body: str) -> None: ...


def compose(sender: str, to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(_now())
    domain = sender.rsplit("@", 1)[-1].strip(">") or "reelestate.local"
    msg["Message-ID"] = make_msgid(domain=domain)
    msg.set_content(body)
    return msg


def _now() -> datetime:
    return datetime.now(UTC)


class OutboxMailer:
    """Each message becomes `<outbox>/<UTC time>-<random>.eml`, written whole or not at all."""

    def __init__(self, outbox: Path, sender: str) -> None:
        self.outbox = outbox
        self.sender = sender

    def _write(self, msg: EmailMessage) -> Path:
        self.outbox.mkdir(parents=True, exist_ok=True)
        name = f"{_now():%Y%m%dT%H%M%S%f}-{secrets.token_hex(6)}.eml"
        target = self.outbox / name
        tmp = self.outbox / f".{name}.tmp"
        tmp.write_bytes(msg.as_bytes(policy=SMTP))
        tmp.replace(target)
        return target

    async def send(self, to: str, subject: str, body: str) -> None:
        path = await asyncio.to_thread(self._write, compose(self.sender, to, subject, body))
        link = _LINK.search(body)
        # The link is the point of the message when nobody reads mail on this machine.
        log.info("mail %r written to %s%s", subject, path, f"; its link: {link[0]}" if link else "")


@dataclass(frozen=True)
class SmtpOptions:
    hostname: str
    port: int
    username: str | None
    password: str | None
    use_tls: bool
    start_tls: bool | None

    @property
    def address(self) -> str:
        return f"{self.hostname}:{self.port}"


def smtp_options(url: str) -> SmtpOptions:
    """`smtp://[user:pass@]host[:port][?starttls=require|off]` or `smtps://...`."""
    parts = urlsplit(url)
    if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
        raise ConfigurationError(
            "SMTP_URL must look like smtp://user:pass@host:587 or smtps://user:pass@host:465.",
            hint="Percent-encode @, / and : in the user name and password.",
        )
    implicit = parts.scheme == "smtps"
    mode = (parse_qs(parts.query).get("starttls") or [""])[0].lower()
    start_tls: bool | None = None
    if implicit:
        start_tls = None
    elif mode == "require":
        start_tls = True
    elif mode == "off":
        start_tls = False
    return SmtpOptions(
        hostname=parts.hostname,
        port=parts.port or (465 if implicit else 587),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        use_tls=implicit,
        start_tls=start_tls,
    )


class SmtpMailer:
    def __init__(self, options: SmtpOptions, sender: str, *, timeout_s: float = 30.0) -> None:
        self.options = options
        self.sender = sender
        self.timeout_s = timeout_s

    async def send(self, to: str, subject: str, body: str) -> None:
        o = self.options
        try:
            await aiosmtplib.send(
                compose(self.sender, to, subject, body),
                hostname=o.hostname,
                port=o.port,
                username=o.username,
                password=o.password,
                use_tls=o.use_tls,
                start_tls=o.start_tls,
                timeout=self.timeout_s,
            )
        except (aiosmtplib.SMTPException, OSError) as exc:
            log.warning("mail to the server at %s failed: %s", o.address, type(exc).__name__)
            raise ProviderError(
                "The mail could not be sent.", hint="Try again in a moment."
            ) from exc


def open_mailer(smtp_url: str | None, outbox: Path, sender: str) -> Mailer:
    if smtp_url:
        return SmtpMailer(smtp_options(smtp_url), sender)
    return OutboxMailer(outbox, sender)
