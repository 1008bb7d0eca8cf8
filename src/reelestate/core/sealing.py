"""Secrets kept at rest encrypted (Fernet: AES-128-CBC with HMAC-SHA256), such as Page tokens.

The key is `REELESTATE_SECRETS_KEY` (a Fernet key, or any passphrase, stretched by SHA-256), or
one made once and kept with mode 0600 in the data folder. A sealed value read with another key
raises a `ConfigurationError` that says so, never the value.
"""

from __future__ import annotations

import base64
import hashlib
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from reelestate.core.errors import ConfigurationError
from reelestate.core.settings import Settings

KEY_FILE = "secrets-key"


def _fernet_key(text: str) -> bytes:
    raw = text.strip().encode()
    try:
        if len(base64.urlsafe_b64decode(raw)) == 32:
            return raw
    except ValueError:
        pass
    return base64.urlsafe_b64encode(hashlib.sha256(raw).digest())


class SecretBox:
    """Seals and opens short secrets with one key."""

    def __init__(self, key: str) -> None:
        self._fernet = Fernet(_fernet_key(key))

    def seal(self, secret: str) -> str:
        return self._fernet.encrypt(secret.encode()).decode("ascii")

    def open_fresh(self, sealed: str, max_age_s: int) -> str | None:
        """The secret sealed at most `max_age_s` ago; None when it is older, forged or not ours."""
        try:
            return self._fernet.decrypt(sealed.encode("ascii"), ttl=max_age_s).decode()
        except (InvalidToken, UnicodeEncodeError):
            return None

    def open(self, sealed: str) -> str:
        try:
            return self._fernet.decrypt(sealed.encode("ascii")).decode()
        except InvalidToken as exc:
            raise ConfigurationError(
                "A stored secret cannot be read with this installation's key.",
                hint="Set REELESTATE_SECRETS_KEY to the key it was stored with, or reconnect.",
            ) from exc


def secret_box(settings: Settings) -> SecretBox:
    """The box of this installation: the configured key, or one kept in the data folder."""
    if settings.secrets_key is not None:
        return SecretBox(settings.secrets_key.get_secret_value())
    path: Path = settings.data_dir / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(Fernet.generate_key().decode("ascii"), encoding="ascii")
        tmp.chmod(0o600)
        tmp.replace(path)
    return SecretBox(path.read_text(encoding="ascii"))
