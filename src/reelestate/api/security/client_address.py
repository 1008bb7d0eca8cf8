"""The address a request really comes from, for rate limits.

`X-Forwarded-For` is believed only when the connection comes from a proxy the operator named
(`REELESTATE_TRUSTED_PROXIES`); then the right-most address not itself a trusted proxy is the
client. From anyone else the header is ignored, so a forged one buys no fresh limit.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(setting: str) -> tuple[Network, ...]:
    return tuple(
        ipaddress.ip_network(part.strip(), strict=False)
        for part in setting.split(",")
        if part.strip()
    )


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in networks)


def client_address(
    peer: str | None, headers: Mapping[str, str], networks: tuple[Network, ...]
) -> str:
    address = peer or "unknown"
    if not networks or not _trusted(address, networks):
        return address
    hops = [h.strip() for h in headers.get("x-forwarded-for", "").split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, networks):
            return hop
        address = hop
    return address
