"""What can be bought: one-off credit packs and monthly plans, read from configuration.

Prices change more often than code, so the packs and plans live in `catalogue.json` shipped with
the package, and an installation replaces the whole file with `REELESTATE_BILLING_CATALOGUE`.
Each item names its Stripe price (`stripe_price`) or is sold at its inline `amount` (in the
currency's smallest unit: cents) and `currency`; the amount is what the catalogue shows either way.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from reelestate.core.errors import ConfigurationError, NotFoundError

BUILTIN_FILE = "catalogue.json"
ITEM_ID = r"^[a-z0-9][a-z0-9_\-]{0,47}$"


class _Item(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=ITEM_ID)
    name: str = Field(min_length=1, max_length=80)
    amount: int = Field(ge=0)
    """In the currency's smallest unit (cents)."""
    currency: str = Field(pattern=r"^[a-z]{3}$")
    stripe_price: str | None = Field(default=None, pattern=r"^price_\w+$")
    """A price made in the Stripe dashboard; None sells at `amount` and `currency` inline."""


class CreditPack(_Item):
    credits: int = Field(gt=0)


class Plan(_Item):
    credits_per_month: int = Field(gt=0)
    interval: Literal["month"] = "month"


class Catalogue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    packs: list[CreditPack]
    plans: list[Plan] = []

    @model_validator(mode="after")
    def _unique_ids(self) -> Catalogue:
        ids = [p.id for p in self.packs] + [p.id for p in self.plans]
        if len(ids) != len(set(ids)):
            raise ValueError("pack and plan ids must be unique")
        if not self.packs:
            raise ValueError("the catalogue needs at least one credit pack")
        return self

    def pack(self, pack_id: str) -> CreditPack:
        for pack in self.packs:
            if pack.id == pack_id:
                return pack
        raise NotFoundError(f"There is no credit pack {pack_id!r}.", hint=self.choices())

    def plan(self, plan_id: str) -> Plan:
        for plan in self.plans:
            if plan.id == plan_id:
                return plan
        raise NotFoundError(f"There is no plan {plan_id!r}.", hint=self.choices())

    def plan_with_price(self, stripe_price: str) -> Plan | None:
        return next((p for p in self.plans if p.stripe_price == stripe_price), None)

    def pack_covering(self, credits: int) -> CreditPack:
        """The smallest pack with at least `credits`, else the largest."""
        fitting = [p for p in self.packs if p.credits >= credits]
        if fitting:
            return min(fitting, key=lambda p: p.credits)
        return max(self.packs, key=lambda p: p.credits)

    def choices(self) -> str:
        packs = ", ".join(p.id for p in self.packs)
        plans = ", ".join(p.id for p in self.plans) or "none"
        return f"Packs: {packs}. Plans: {plans}."


def parse_catalogue(text: str, *, source: str) -> Catalogue:
    try:
        return Catalogue.model_validate_json(text)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "the file"
        raise ConfigurationError(
            f"The billing catalogue {source} is not valid: {where}: {first['msg']}.",
            hint="Fix the file named by REELESTATE_BILLING_CATALOGUE, or unset it.",
        ) from exc


@lru_cache(maxsize=1)
def builtin_catalogue() -> Catalogue:
    """The packs and plans shipped with the product."""
    text = (
        resources.files("reelestate.providers.billing")
        .joinpath(BUILTIN_FILE)
        .read_text(encoding="utf-8")
    )
    return parse_catalogue(text, source=BUILTIN_FILE)


def load_catalogue(path: Path | None) -> Catalogue:
    """The file at `path` when given, the built-in catalogue otherwise."""
    if path is None:
        return builtin_catalogue()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigurationError(
            f"The billing catalogue {path} cannot be read ({exc.strerror}).",
            hint="Fix REELESTATE_BILLING_CATALOGUE or unset it to use the built-in one.",
        ) from exc
    return parse_catalogue(text, source=str(path))
