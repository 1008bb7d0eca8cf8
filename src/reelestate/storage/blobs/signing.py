"""Signed, expiring URLs for the embedded blob store (the app serves `/blobs/<key>`).

The signature covers the key and the expiry, so neither can be changed without invalidating it.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from pathlib import Path
from urllib.parse import quote, urlencode

from reelestate.core.settings import Settings

URL_PATH_PREFIX = "/blobs/"


def _mac(secret: bytes, key: str, expires: int) -> str:
    return hmac.new(secret, f"{key}\n{expires}".encode(), hashlib.sha256).hexdigest()


def sign_blob_url(
    key: str, secret: bytes, *, expires_in: int, base_url: str = "", now: float | None = None
) -> str:
    expires = int((time.time() if now is None else now) + expires_in)
    query = urlencode({"expires": expires, "signature": _mac(secret, key, expires)})
    return f"{base_url.rstrip('/')}{URL_PATH_PREFIX}{quote(key)}?{query}"


def verify_blob_signature(
    key: str, expires: int, signature: str, secret: bytes, *, now: float | None = None
) -> bool:
    """True when `signature` was made for this key and expiry and the expiry has not passed."""
    if (time.time() if now is None else now) > expires:
        return False
    # compare_digest refuses non-ASCII text; a signature that is not ASCII is simply wrong.
    return hmac.compare_digest(_mac(secret, key, expires).encode(), signature.encode())


def blob_url_secret(settings: Settings) -> bytes:
    """The configured secret, or one made once and kept (0600) in the data folder."""
    if settings.blob_url_secret is not None:
        return settings.blob_url_secret.get_secret_value().encode()
    path: Path = settings.data_dir / "blob-url-secret"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(secrets.token_hex(32), encoding="ascii")
        tmp.chmod(0o600)
        tmp.replace(path)
    return path.read_text(encoding="ascii").strip().encode()
