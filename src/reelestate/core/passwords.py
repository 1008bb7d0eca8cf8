"""Password hashing with Argon2id (argon2-cffi): slow on purpose, salted, upgradable.

Only `hash_password` and `verify_password` leave this module; a stored hash carries its own
parameters, so raising the cost later re-hashes each password at its next successful login.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from reelestate.core.errors import InvalidInputError

MIN_LENGTH = 10
MAX_LENGTH = 256
MIN_DISTINCT = 5
"""`aaaaaaaaaa` and `1212121212` are long but guessed first."""
_COMMON = frozenset(
    {"password123", "1234567890", "qwertyuiop", "password1234", "iloveyou123", "letmein123"}
)
_HASHER = PasswordHasher()


def check_password_rules(password: str) -> str:
    """A password long enough to resist guessing and short enough not to be a hashing DoS."""
    if len(password) < MIN_LENGTH:
        raise InvalidInputError(
            f"The password is too short: use at least {MIN_LENGTH} characters.",
            hint="A few unrelated words make a long password that is easy to remember.",
        )
    if len(password) > MAX_LENGTH:
        raise InvalidInputError(f"The password is too long: at most {MAX_LENGTH} characters.")
    if len(set(password.lower())) < MIN_DISTINCT or password.lower() in _COMMON:
        raise InvalidInputError(
            "The password is too easy to guess.",
            hint="A few unrelated words make a long password that is easy to remember.",
        )
    return password


def hash_password(password: str) -> str:
    return _HASHER.hash(check_password_rules(password))


def verify_password(stored_hash: str | None, password: str) -> bool:
    """True when `password` matches; a missing or malformed hash never matches."""
    if not stored_hash or len(password) > MAX_LENGTH:
        # Spend the same time as a real check so timing does not reveal unknown accounts.
        _HASHER.hash("timing-equaliser-password")
        return False
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored_hash: str) -> bool:
    return _HASHER.check_needs_rehash(stored_hash)
