"""A conversation's storyboard for one turn: read from the storyboard store, saved through it.

The conversation's state keeps only where the storyboard is stored (`StoryboardRef`); every
version an action makes is saved as the next version of that stored storyboard, in the turn
owner's organisation (the command line's local one when the turn names no owner) and, for a
new storyboard, in the owner's project.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reelestate.agent.owner import RenderOwner
from reelestate.agent.state import (
    AgentState,
    legacy_history,
    listing_of,
    script_of,
    storyboard_ref,
)
from reelestate.core.errors import InvalidInputError
from reelestate.services.storyboard_store import StoryboardRef, StoryboardStore
from reelestate.services.storyboards import StoredPlan
from reelestate.storage.context import TenantContext
from reelestate.tools.storyboard import StoryboardHistory

CARRIED_OVER = "kept from the conversation"


@dataclass(frozen=True)
class ConversationBoard:
    """The storyboard of the conversation a turn works on."""

    store: StoryboardStore
    owner: RenderOwner | None = None

    @property
    def ctx(self) -> TenantContext:
        """The turn's organisation: where a new storyboard is made."""
        return self.owner.ctx if self.owner is not None else TenantContext.local()

    def home(self, ref: StoryboardRef | None) -> TenantContext:
        """Where the conversation's storyboard lives: the organisation it was made in stays its
        home when a later turn speaks for another (a person who moved to another team keeps
        their conversation; the runner has already checked the thread is theirs)."""
        if ref is None or ref.org_id == self.ctx.org_id:
            return self.ctx
        return TenantContext(org_id=ref.org_id)

    def at_home(self, state: AgentState) -> bool:
        """Whether the storyboard belongs to the turn's own organisation."""
        ref = storyboard_ref(state)
        return ref is not None and ref.org_id == self.ctx.org_id

    async def history(self, state: AgentState) -> StoryboardHistory | None:
        """The storyboard's history (None: no storyboard yet)."""
        legacy = legacy_history(state)
        if legacy is not None:
            return legacy
        ref = storyboard_ref(state)
        if ref is None:
            return None
        return (await self.store.load(self.home(ref), ref.storyboard_version_id)).history

    async def save(
        self, state: AgentState, history: StoryboardHistory, *, author: str, reason: str
    ) -> dict[str, Any]:
        """`history` stored as the storyboard's next version; the state's new `storyboard`."""
        script = script_of(state)
        if script is None:
            raise InvalidInputError("There is no script yet.", hint="Send the listing facts first.")
        plan = StoredPlan(history=history, script=script, listing=listing_of(state))
        previous = storyboard_ref(state)
        ref = await self.store.save(
            self.home(previous),
            plan,
            previous=previous,
            project_id=self.owner.project_id if self.owner is not None else None,
            brand=self.owner.brand if self.owner is not None else None,
            author=author,
            reason=reason,
        )
        return ref.data()

    async def carried_over(self, state: AgentState) -> dict[str, Any]:
        """For a conversation that still holds its whole history: that history stored, and the
        state's update that keeps only where it is (nothing to do otherwise)."""
        legacy = legacy_history(state)
        if legacy is None or script_of(state) is None:
            return {}
        author = state.get("owner") or "user"
        return {"storyboard": await self.save(state, legacy, author=author, reason=CARRIED_OVER)}
