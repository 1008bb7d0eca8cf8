"""Pointing fal-client at another host: a self-hosted gateway, or a fake fal in tests."""

from __future__ import annotations

import fal_client.client as fal_wire

WIRE_GLOBALS = ("QUEUE_URL_FORMAT", "RUN_URL_FORMAT", "REST_URL", "CDN_URL")
_REAL_HOSTS = {name: getattr(fal_wire, name) for name in WIRE_GLOBALS}


def point_fal_client_at(base_url: str | None) -> None:
    """Send every fal-client call (queue, run, storage token, CDN upload) to `base_url`.

    fal-client has no base-URL or transport argument: it builds URLs from these module
    globals at call time (the CDN token manager captures `REST_URL` when a client first
    uploads, hence "before the client is created"). `FAL_RUN_HOST`/`FAL_QUEUE_RUN_HOST` move
    only the queue and run calls, so a self-hosted gateway or a test server needs all four.
    None puts back the hosts fal-client chose at import. Process-wide, like the globals.
    """
    if base_url is None:
        for name, value in _REAL_HOSTS.items():
            setattr(fal_wire, name, value)
        return
    base = base_url.rstrip("/")
    fal_wire.QUEUE_URL_FORMAT = fal_wire.RUN_URL_FORMAT = f"{base}/"
    fal_wire.REST_URL = fal_wire.CDN_URL = base
