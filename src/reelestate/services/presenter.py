"""A talking presenter on a finished listing video; the video is kept as it was on failure.

The work is done at the render layer (`reelestate.render.present`), so the job workers can
apply a storyboard's presenter too; this module is the services' name for it.
"""

from __future__ import annotations

from reelestate.render.present import choice_of, present_on_video, with_presenter
from reelestate.render.presenter_clips import (
    PORTRAIT_NOTE,
    PresenterChoice,
    PresenterOutcome,
    estimate_presenter_cost,
    make_presenter_clip,
)

__all__ = [
    "PORTRAIT_NOTE",
    "PresenterChoice",
    "PresenterOutcome",
    "choice_of",
    "estimate_presenter_cost",
    "make_presenter_clip",
    "present_on_video",
    "with_presenter",
]
