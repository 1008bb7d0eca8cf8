"""Sign-in limits keyed by account and by client address, never by the account alone.

One key counts an address's tries at one account, so someone guessing from elsewhere cannot
lock the real person out; a second, looser key counts an address's tries at every account, so
one address cannot spray passwords across many. A locked attempt is answered as rate limited,
never as a wrong password.
"""

from __future__ import annotations

from dataclasses import dataclass

from reelestate.core.ratelimit import Limiter


@dataclass
class SignInLimits:
    per_account: Limiter
    """Tries of one address at one account."""
    per_address: Limiter
    """Tries of one address at all accounts together."""

    def hit(self, email: str, address: str) -> None:
        account = email.strip().lower()
        self.per_address.hit(f"address:{address}", what="sign-in attempts")
        self.per_account.hit(f"{address}|{account}", what="sign-in attempts")

    def succeeded(self, email: str, address: str) -> None:
        self.per_account.reset(f"{address}|{email.strip().lower()}")
