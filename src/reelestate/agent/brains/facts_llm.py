"""Listing facts read by a language model through structured output, checked by the rules.

The model fills `StatedFacts` (the one schema the rule-based reader fills too) with
`with_structured_output`. Its answer is checked against the rule-based reading of the same
text: where the text states a number unambiguously (price, beds, baths, area, year, zip) and
the model says otherwise, the text wins; where the rules found the text unclear (two prices,
"3/2" next to "open house"), the model's value is dropped and the agent is asked. When the
model cannot answer, the rule-based reading is used as it is.
"""

from __future__ import annotations

import logging
from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import HumanMessage, SystemMessage
from langchain_core.runnables import Runnable

from reelestate.agent.rules.fact_highlights import is_feature, standalone_highlights
from reelestate.agent.rules.facts import read_listing_text
from reelestate.prompts.agent import as_user_data
from reelestate.prompts.listing_facts import LISTING_FACTS_PROMPT
from reelestate.tools.listing_facts import FactsReading, StatedAddress, StatedFacts

_log = logging.getLogger(__name__)
TEXT_WINS = ("price", "beds", "baths", "year_built")
"""Facts the text states unambiguously when the rules read them: the rules' value stands."""


def _address(model: StatedAddress | None, rules: StatedAddress | None) -> StatedAddress | None:
    if model is None or rules is None:
        return model or rules
    merged = {k: v for k, v in rules.model_dump().items() if v}
    merged.update({k: v for k, v in model.model_dump().items() if v})
    if rules.zip_code:
        merged["zip_code"] = rules.zip_code
    return StatedAddress(**merged)


def checked_reading(model: StatedFacts, rules: FactsReading, text: str) -> FactsReading:
    """The model's facts with the rules' reading of `text` as the check and the gap filler."""
    sure = rules.facts
    data: dict[str, Any] = model.model_dump(exclude={"address", "highlights"})
    for name in TEXT_WINS:
        if getattr(sure, name) is not None:
            data[name] = getattr(sure, name)
    if sure.area is not None:
        data["area"], data["area_unit"] = sure.area, sure.area_unit
    for name in ("lot_size", "lot_unit", "property_type", "parking"):
        if data.get(name) is None and getattr(sure, name) is not None:
            data[name] = getattr(sure, name)
    if rules.unclear is not None:
        for name in ("price",) if rules.unclear.field == "price" else ("beds", "baths"):
            data[name] = getattr(sure, name)
    data["rental"] = model.rental or sure.rental
    highlights = [h for h in model.highlights if is_feature(h)] or list(sure.highlights)
    facts = StatedFacts(**data, address=_address(model.address, sure.address))
    if facts.model_copy(update={"highlights": []}).empty:
        highlights = standalone_highlights(text, highlights)
    return FactsReading(
        facts=facts.model_copy(update={"highlights": highlights}), unclear=rules.unclear
    )


class LanguageModelFactsReader:
    """Reads a message with the model; the rule-based reader is its check and its fallback."""

    def __init__(self, model: BaseChatModel) -> None:
        self._model: Runnable[Any, Any] = model.with_structured_output(
            StatedFacts, method="function_calling"
        )

    async def read(self, text: str) -> FactsReading:
        rules = read_listing_text(text)
        try:
            answer = await self._model.ainvoke(
                [SystemMessage(LISTING_FACTS_PROMPT), HumanMessage(as_user_data(text))]
            )
        except Exception as exc:  # any client failure: the rules' reading stands
            _log.warning("the language model did not read the facts (%s)", type(exc).__name__)
            return rules
        if not isinstance(answer, StatedFacts):
            return rules
        return checked_reading(answer, rules, text)
