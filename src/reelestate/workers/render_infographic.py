"""`render_infographic` jobs: an animated card video of a listing's facts (not built yet)."""

from __future__ import annotations

from reelestate.workers.unavailable import not_available

render_infographic_job = not_available("Infographic videos")
