"""The presenter services by name, for specs and state that must not load the services.

A render spec names the presenter it wants; importing the avatar package for that name would
load every client (and httpx) into each render process before its first frame.
"""

from __future__ import annotations

from typing import Literal

AvatarProviderName = Literal["did", "heygen", "portrait"]
