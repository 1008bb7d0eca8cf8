"""The rule-based brain: listing facts and common revision phrases, no language model needed.

Each step looks at what this message asked for and which tools already ran for it, and asks
for the next tool in a fixed order: analyse new photos, record facts, change the storyboard,
(re)write the script and plan, render a preview. When there is nothing left
to do it answers with what the tools reported, and says plainly what it did not understand.
Asking for approval is the graph's job: a ready storyboard always ends the turn at the approval.
"""

from __future__ import annotations

import uuid
from typing import Any

from langchain_core.messages import AIMessage, ToolMessage

from reelestate.agent.brains.base import turn_messages
from reelestate.agent.events import Emit
from reelestate.agent.rules.facts import ExtractedFacts, extract_facts
from reelestate.agent.rules.infographic import infographic_request
from reelestate.agent.rules.presenter import presenter_request
from reelestate.agent.rules.publishing_talk import publishing_call
from reelestate.agent.rules.requests import Understood, understand
from reelestate.agent.state import (
    AgentState,
    analyses_of,
    listing_of,
    preview_of,
)
from reelestate.agent.summaries import CAN_DO, RENTAL_ANSWER
from reelestate.core.settings import DEFAULT_AI_VIDEO_MODEL, MIN_PHOTOS
from reelestate.tools.listing import Listing, missing_facts
from reelestate.tools.listing_facts import FactsReading, listing_updates
from reelestate.tools.storyboard import StoryboardHistory
from reelestate.tools.storyboard_model import MIN_TOTAL_SECONDS

Call = tuple[str, dict[str, Any]]
ASKED_PREFIX = "Asked: "


def _call(name: str, args: dict[str, Any] | None = None) -> dict[str, Any]:
    return {
        "name": name,
        "args": args or {},
        "id": f"call_{uuid.uuid4().hex[:12]}",
        "type": "tool_call",
    }


def listing_args(reading: FactsReading) -> dict[str, Any]:
    """The `update_listing` arguments for the facts a reading is sure of."""
    args = listing_updates(reading.facts)
    if reading.facts.highlights:
        args["add_highlights"] = list(reading.facts.highlights)
    return args


def fact_calls(reading: FactsReading, done: set[str], known: Listing) -> list[Call]:
    """Record what the message states, then ask about what it left unclear (one question);
    a "3/2" that may be a date is no question once the listing has its rooms."""
    calls: list[Call] = []
    if reading.facts.rental:
        return calls
    args = listing_args(reading)
    if args and "update_listing" not in done:
        calls.append(("update_listing", args))
    unclear = reading.unclear
    if unclear is not None and unclear.field == "beds" and None not in (known.beds, known.baths):
        unclear = None
    if unclear is not None and "ask_user" not in done:
        calls.append(("ask_user", {"question": unclear.question}))
    return calls


class RuleBasedBrain:
    name = "rule-based"

    def __init__(
        self,
        *,
        auto_preview: bool = True,
        ai_video_model: str = DEFAULT_AI_VIDEO_MODEL,
        min_photos: int = MIN_PHOTOS,
    ) -> None:
        self.auto_preview = auto_preview
        self.ai_video_model = ai_video_model
        self.min_photos = min_photos

    async def step(
        self, state: AgentState, emit: Emit, history: StoryboardHistory | None
    ) -> AIMessage:
        text, results = turn_messages(list(state.get("messages") or []))
        done = {r.name for r in results if r.name}
        posting = publishing_call(text)
        if posting is not None:
            return self._posting_step(state, posting, results, done)
        understood = understand(
            text, history.current if history else None, ai_video_model=self.ai_video_model
        )
        facts = extract_facts(text)
        own = self._own_calls(text, done)
        if own is not None:
            # A presenter or a card on its own: not a storyboard change, nor listing facts.
            understood, facts = Understood(), extract_facts("")
            calls = own
            reply = self.reply(state, history, "", results, understood, facts)
            if calls:
                return AIMessage(content="", tool_calls=[_call(n, a) for n, a in calls])
            return AIMessage(content=reply)
        calls = self._first_calls(state, facts, understood, done)
        if not calls:
            calls = self._storyboard_calls(history, understood, done)
        if not calls:
            calls = self._making_calls(state, history, facts, done)
        reply = self.reply(state, history, text, results, understood, facts)
        if calls:
            return AIMessage(content="", tool_calls=[_call(n, a) for n, a in calls])
        return AIMessage(content=reply)

    @staticmethod
    def _posting_step(
        state: AgentState, posting: Call, results: list[ToolMessage], done: set[str]
    ) -> AIMessage:
        """A message about posting, the calendar or the library: its one action (photos it
        brought in are then analysed like photos sent), then what it reported (a question it
        asked is already shown)."""
        name, args = posting
        if name not in done:
            return AIMessage(content="", tool_calls=[_call(name, args)])
        photos, analyses = state.get("photos") or [], state.get("analyses") or []
        if name == "reuse_photos" and "analyse_photos" not in done and len(analyses) < len(photos):
            return AIMessage(content="", tool_calls=[_call("analyse_photos")])
        lines = [
            str(r.content)
            for r in results
            if r.content and not str(r.content).startswith(ASKED_PREFIX)
        ]
        return AIMessage(content="\n".join(lines))

    @staticmethod
    def _own_calls(text: str, done: set[str]) -> list[Call] | None:
        """The presenter ("add me as a presenter in the corner", "remove the presenter") or a
        facts card on its own ("make an infographic for Instagram"); None: neither."""
        asked = presenter_request(text)
        if asked is not None:
            action, layout = asked
            if action == "remove":
                return [] if "remove_presenter" in done else [("remove_presenter", {})]
            return [] if "add_presenter" in done else [("add_presenter", {"layout": layout})]
        card = infographic_request(text)
        if card is not None:
            aspect, platform = card
            if "make_infographic" in done:
                return []
            return [("make_infographic", {"aspect": aspect, "platform": platform})]
        return None

    def _first_calls(
        self, state: AgentState, facts: ExtractedFacts, understood: Understood, done: set[str]
    ) -> list[Call]:
        calls: list[Call] = []
        photos, analyses = state.get("photos") or [], state.get("analyses") or []
        if len(analyses) < len(photos) and "analyse_photos" not in done:
            calls.append(("analyse_photos", {}))
        structural = [op for op in understood.ops if op.op not in {"set_style", "set_length"}]
        if facts.any_fact and not structural:
            calls += fact_calls(facts.reading, done, listing_of(state))
        return calls

    def _storyboard_calls(
        self, history: StoryboardHistory | None, understood: Understood, done: set[str]
    ) -> list[Call]:
        if history is None:
            return []
        if "revert_version" not in done and (understood.undo or understood.revert_to):
            target = understood.revert_to or history.current.number - 1
            if target >= 1:
                return [("revert_version", {"version": target})]
        if "revise_storyboard" not in done and (understood.ops or understood.music_on is not None):
            args: dict[str, Any] = {"operations": [op.model_dump() for op in understood.ops]}
            if understood.music_on is not None:
                args["music"] = "on" if understood.music_on else "off"
            return [("revise_storyboard", args)]
        if understood.list_versions and "list_versions" not in done:
            return [("list_versions", {})]
        if understood.job_status and "job_status" not in done:
            return [("job_status", {})]
        return []

    def _making_calls(
        self,
        state: AgentState,
        history: StoryboardHistory | None,
        facts: ExtractedFacts,
        done: set[str],
    ) -> list[Call]:
        listing = listing_of(state)
        usable = [a for a in analyses_of(state) if a.usable]
        ready = not missing_facts(listing) and len(usable) >= self.min_photos
        if not ready or "ask_user" in done or facts.facts.rental:
            return []
        wants_new = history is None and (facts.style or facts.length_seconds)
        if "write_script" not in done and (
            state.get("script") is None or state.get("script_stale") or wants_new
        ):
            args: dict[str, Any] = {}
            if facts.style:
                args["style"] = facts.style
            if facts.length_seconds and facts.length_seconds >= 2 * MIN_TOTAL_SECONDS:
                args["length_seconds"] = facts.length_seconds
            return [("write_script", args)]
        if (
            state.get("script") is not None
            and "plan_storyboard" not in done
            and (history is None or "write_script" in done)
        ):
            return [("plan_storyboard", {})]
        if (
            self.auto_preview
            and history is not None
            and preview_of(state, history.current.number) is None
            and "render_preview" not in done
        ):
            return [("render_preview", {})]
        return []

    def reply(
        self,
        state: AgentState,
        history: StoryboardHistory | None,
        text: str,
        results: list[ToolMessage],
        understood: Understood,
        facts: ExtractedFacts,
    ) -> str:
        """What the tools reported this turn, then anything not understood."""
        said_already = {"request_approval", "update_listing", "ask_user"}
        lines = [str(r.content) for r in results if r.name not in said_already and r.content]
        if facts.facts.rental:
            lines.append(RENTAL_ANSWER)
        lines += [f"I could not do that: {problem}." for problem in understood.problems]
        if understood.help:
            lines.append(f"You can say things like {CAN_DO}.")
        elif understood.reject:
            lines.append("OK, nothing is rendered. Tell me what to change, or say approve.")
        elif understood.approve and history is None:
            lines.append("There is nothing to approve yet.")
        elif understood.approve and state.get("delivered_version") == history.current.number:  # type: ignore[union-attr]
            lines.append(f"Version {history.current.number} is already rendered.")  # type: ignore[union-attr]
        if understood.undo and history is not None and history.current.number == 1:
            lines.append("There is nothing to undo: this is the first version.")
        if not lines and text.strip() and not results:
            heard = not (understood.anything or not facts.empty)
            if heard or history is None:
                lines.append(
                    f'I did not understand "{text.strip()[:80]}". '
                    + (
                        f"You can say things like {CAN_DO}."
                        if history is not None
                        else "Send photos and the listing facts, for example: "
                        '"3 bed 2 bath, $585,000, 1,850 sq ft, 12 Oak St, Austin TX, new roof".'
                    )
                )
        return "\n".join(lines)
