"""The final render's price against the balance, when the conversation's renders are billed.

Renders through the job queue cost credits; the in-process engine's do not, and then there is
nothing to quote. The quote is only words and a link: the job's reservation is what holds the
credits, so a quote that fails is left out rather than stopping the conversation.
"""

from __future__ import annotations

import logging

from reelestate.agent.backends.base import BilledRenderBackend
from reelestate.agent.context import AgentDeps
from reelestate.agent.owner import RenderOwner
from reelestate.core.errors import ReelEstateError
from reelestate.services.credits import CreditQuote, final_render_price
from reelestate.tools.storyboard_model import StoryboardVersion

log = logging.getLogger(__name__)


async def final_render_quote(
    deps: AgentDeps, owner: RenderOwner | None, version: StoryboardVersion
) -> CreditQuote | None:
    renderer = deps.renderer
    if not isinstance(renderer, BilledRenderBackend):
        return None
    ai_scenes = sum(1 for scene in version.scenes if scene.ai_motion is not None)
    try:
        return await renderer.quote(owner, final_render_price(ai_scenes))
    except ReelEstateError as exc:
        log.warning("no credit quote for the final render: %s", exc.code)
        return None


def short_words(quote: CreditQuote) -> str:
    """What the person hears when they approve without enough credits."""
    owed = f" and owe {quote.debt} from a refund" if quote.debt else ""
    return (
        f"Not enough credits for the final render: it costs {quote.price} and you have "
        f"{quote.available}{owed}. Nothing was rendered or charged, and your storyboard is kept."
    )
