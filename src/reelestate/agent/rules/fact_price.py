"""The asking price as agents write it, and when two prices mean a question.

"$425k", "$1.2M", "4.5 million", "offered at 799,900", "asking 289k", "249900". A price after
"was", "from" or "last spring" is the old one; after "now", "reduced to", "dropped to" it is
the new one. Two different prices with no such cue ("$425k or $410k") are a question for
the agent, never a guess. Amounts per month or per night mark a rental; fees (HOA, taxes) are
not the price.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reelestate.agent.rules.listing_text import MessageText, decimal
from reelestate.tools.listing_facts import Unclear

_I = re.IGNORECASE
MIN_SALE_PRICE = 10_000
MAX_SALE_PRICE = 1_000_000_000
_UNIT = r"(?:k|m|mm|mil|million|thousand)\b"
_CANDIDATES = (
    re.compile(
        rf"(?:[$€£]|\b(?:usd|eur|cad)\s*)\s*(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<u>{_UNIT})?", _I
    ),
    re.compile(
        r"\b(?:price[d]?(?:\s+(?:at|is|now|of))*|asking(?:\s+price)?|listed(?:\s+(?:at|for))?|"
        r"list\s+price|offered\s+at|sells?\s+for|now|reduced\s+to|dropped\s+to|for)"
        rf"\s*(?::|=|is)?\s*(?P<n>\d[\d,]*(?:\.\d+)?)\s*(?P<u>{_UNIT})?",
        _I,
    ),
    re.compile(r"(?<![\w.,])(?P<n>\d{2,4}(?:\.\d+)?)\s*(?P<u>k|thousand)\b", _I),
    re.compile(r"(?<![\w.,])(?P<n>\d{1,3}(?:\.\d+)?)\s*(?P<u>m|mm|mil|million)\b", _I),
    re.compile(r"(?<![\w.,$])(?P<n>\d{1,3}(?:,\d{3}){1,2})(?![\d,]|\s*(?:sq|sf|square|m²|m2))"),
    re.compile(
        r"(?<![\w.,$#-])(?P<n>\d{6,7})(?![\d,-]|\s*(?:s|secs?|seconds?|min|minutes?|px)\b)", _I
    ),
)
_PER_PERIOD = re.compile(
    r"^\s*(?:/\s*(?:mo|month|night|wk|week)\b|(?:per|a|an|each)\s+(?:month|night|week)\b"
    r"|monthly\b)",
    _I,
)
_NOT_PRICE_BEFORE = re.compile(
    r"\b(?:hoa|fees?|dues|tax(?:es)?|deposit|rent(?:al)?|between|under|budget|income|"
    r"credit|allowance)\b[^$\d]{0,20}$",
    _I,
)
_CHANGE_BEFORE = re.compile(r"\b(?:reduced|dropped|lowered|cut|slashed)(?:\s+by)?\s*$", _I)
_CHANGE_AFTER = re.compile(
    r"^\s*(?:price\s+)?(?:drop|reduction|cut|off\b|below|under\s+(?:appraisal|asking|market)|"
    r"(?:in\s+)?(?:seller\s+)?(?:concessions?|credits?|closing\s+costs)|credit)",
    _I,
)
"""'reduced $20k', '$15k below appraisal', '$5,000 seller credit': an amount, not the price."""
_BAND = re.compile(
    r"\b(?P<band>(?:low|mid|middle|upper|high)[\s-]*\$?\d{1,3}(?:,000)?\s*k?['’]?s)(?!\w)"
    r"(?:\s+range)?",
    _I,
)
"""'mid 400s', 'low $300s', 'upper 500's': a range the agent has not settled; ask."""
_RANGE = re.compile(
    r"(?P<d1>\$)?\s*(?P<a>\d[\d,]*(?:\.\d+)?)\s*(?P<ua>k|m|mm|mil|million)?\s*(?:-|–|—|to)\s*"
    r"(?P<d2>\$)?\s*(?P<b>\d[\d,]*(?:\.\d+)?)(?:\s*(?P<ub>k|m|mm|mil|million))?\b"
    r"(?:\s+range)?",
    _I,
)
_OLD_BEFORE = re.compile(
    r"(?:\bwas|\bfrom|\boriginally|\bpreviously|\bformerly|\bwas\s+listed\s+at|\(was)\s*:?\s*$", _I
)
_OLD_AFTER = re.compile(r"^\s*(?:last\s+\w+|before|previously|earlier)\b", _I)
_NEW_BEFORE = re.compile(
    r"(?:\bnow|\breduced\s+to|\bdropped\s+to|\bto|\bprice\s+drop\W*|\bnew\s+price\W*|"
    r"\bimprovement\W*(?:now)?)\s*(?::|is)?\s*$",
    _I,
)
_MLS = re.compile(r"\bmls\s*#?\s*:?\s*\d+|#\s*\d{5,}|\b\d{3}[-.\s]\d{3,4}(?:[-.\s]\d{4})?\b", _I)
RENTAL = re.compile(
    r"\bfor\s+(?:rent|lease)\b|\b(?:monthly\s+rent|room\s+for\s+rent|"
    r"(?:vacation|weekly|nightly|monthly|short[\s-]term)\s+rental|"
    r"rent\s*:|lease\s*:|for\s+rent\s+or)|^\s*(?:rent|lease)\b|\bavailable\s+for\s+rent\b",
    _I,
)


@dataclass(frozen=True)
class PriceReading:
    price: int | None = None
    unclear: Unclear | None = None
    per_period: bool = False
    """An amount per month or night: the place is offered for rent."""


@dataclass(frozen=True)
class _Candidate:
    amount: int
    start: int
    end: int
    old: bool
    new: bool


def _amount(number: str, unit: str | None) -> int:
    value = decimal(number)
    match (unit or "").lower():
        case "k" | "thousand":
            value *= 1_000
        case "m" | "mm" | "mil" | "million":
            value *= 1_000_000
    return round(value)


def _candidates(rest: MessageText) -> tuple[list[_Candidate], bool]:
    found: list[_Candidate] = []
    per_period = False
    taken: list[tuple[int, int]] = []
    for pattern in _CANDIDATES:
        for match in rest.find_all(pattern):
            start = match.start("n")
            if any(s <= start < e for s, e in taken):
                continue
            taken.append((start, match.end()))
            before = rest.text[max(0, match.start() - 40) : match.start()]
            after = rest.text[match.end() : match.end() + 30]
            amount = _amount(match["n"], match.groupdict().get("u"))
            if (period := _PER_PERIOD.match(after)) is not None:
                per_period = per_period or not _NOT_PRICE_BEFORE.search(before)
                rest.blank(match.start(), match.end() + period.end())
                continue
            if _NOT_PRICE_BEFORE.search(before) or not (MIN_SALE_PRICE <= amount <= MAX_SALE_PRICE):
                continue
            if _CHANGE_BEFORE.search(before) or _CHANGE_AFTER.match(after):
                rest.blank(match.start(), match.end())
                continue
            old = bool(_OLD_BEFORE.search(before) or _OLD_AFTER.match(after))
            new = bool(_NEW_BEFORE.search(rest.text[max(0, match.start() - 40) : start]))
            found.append(_Candidate(amount, match.start(), match.end(), old, new and not old))
    return found, per_period


def _range(rest: MessageText) -> str | None:
    """'mid 400s' or '$450k-$475k': the price as a range, said back in the agent's words."""
    if (band := rest.take(_BAND)) is not None:
        return band["band"]
    for match in rest.find_all(_RANGE):
        unit = match["ub"] or match["ua"]
        if not (match["d1"] or match["d2"] or unit):
            continue
        low, high = _amount(match["a"], match["ua"] or unit), _amount(match["b"], unit)
        if MIN_SALE_PRICE <= low < high <= 1.5 * low and high <= MAX_SALE_PRICE:
            rest.blank(*match.span())
            return " ".join(match.group(0).split())
    return None


def read_price(rest: MessageText) -> PriceReading:
    """The one price the message states, a question when it states two or a range, or nothing."""
    for mls in rest.find_all(_MLS):
        rest.blank(*mls.span())
    if (said := _range(rest)) is not None:
        return PriceReading(
            unclear=Unclear(
                field="price",
                question=f"The price reads as a range ({said}): what is the asking price?",
            )
        )
    found, per_period = _candidates(rest)
    for candidate in sorted(found, key=lambda c: c.start, reverse=True):
        rest.blank(candidate.start, candidate.end)
    current = [c for c in found if not c.old] or found
    newest = [c for c in current if c.new]
    amounts = sorted({c.amount for c in (newest or current)})
    if len(amounts) == 1:
        return PriceReading(price=amounts[0], per_period=per_period)
    if not amounts:
        return PriceReading(per_period=per_period)
    if newest:
        return PriceReading(price=max(newest, key=lambda c: c.start).amount)
    said = " or ".join(f"${a:,}" for a in amounts[:3])
    return PriceReading(
        unclear=Unclear(field="price", question=f"Which is the asking price: {said}?"),
        per_period=per_period,
    )
