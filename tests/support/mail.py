"""Reading account mails in tests: the outbox's `.eml` files, or an aiosmtpd server's messages."""

from __future__ import annotations

import email
import email.policy
import re
import time
from email.message import EmailMessage
from pathlib import Path

_LINK = re.compile(r"https?://\S+")


def parse(data: bytes) -> EmailMessage:
    msg = email.message_from_bytes(data, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def body(msg: EmailMessage) -> str:
    part = msg.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def outbox_mails(outbox: Path, to: str) -> list[EmailMessage]:
    found = []
    for path in sorted(outbox.glob("*.eml")) if outbox.exists() else []:
        msg = parse(path.read_bytes())
        if str(msg["To"]).lower() == to.lower():
            found.append(msg)
    return found


def link(msg: EmailMessage, path: str) -> str:
    """The link in a mail whose path is `path` (for example `/verify-email`)."""
    for url in _LINK.findall(body(msg)):
        if path in url:
            return str(url)
    raise AssertionError(f"no {path} link in: {body(msg)}")


def token_of(url: str) -> str:
    return url.split("token=", 1)[1]


def wait_for_mail(outbox: Path, to: str, *, count: int = 1, within_s: float = 10) -> EmailMessage:
    deadline = time.monotonic() + within_s
    while True:
        mails = outbox_mails(outbox, to)
        if len(mails) >= count:
            return mails[count - 1]
        assert time.monotonic() < deadline, f"no mail to {to} in {outbox}"
        time.sleep(0.05)
