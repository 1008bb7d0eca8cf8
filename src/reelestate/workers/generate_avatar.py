"""`generate_avatar` jobs: a talking presenter clip on the GPU queue (not built yet)."""

from __future__ import annotations

from reelestate.workers.unavailable import not_available

generate_avatar_job = not_available("Presenter avatars")
