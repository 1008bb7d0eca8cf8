"""The facts a user gives about a property: the only facts a script may state.

Validation messages name the field and what to change, because they are shown to the
person typing the listing (CLI flags, a chat form, a JSON file).
"""

from __future__ import annotations

import re
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from reelestate.core.errors import InvalidInputError

MIN_PRICE = 1_000
MAX_PRICE = 1_000_000_000
MAX_BEDS = 50
MAX_BATHS = 50.0
MIN_AREA_SQFT = 50
MAX_AREA_SQFT = 200_000
MAX_HIGHLIGHTS = 12
MAX_HIGHLIGHT_CHARS = 80
SQFT_PER_M2 = 10.7639
PropertyType = Literal[
    "house", "condo", "townhouse", "apartment", "multi_family", "land", "manufactured"
]
LotUnit = Literal["acres", "hectares", "sq ft", "m²"]
ParkingKind = Literal["garage", "carport", "assigned", "driveway", "street"]
REQUIRED_FOR_MAKE: tuple[str, ...] = ("address", "price", "beds", "baths", "area_sqft")
FACT_LABELS: dict[str, str] = {
    "address": "address",
    "price": "price",
    "beds": "bedrooms",
    "baths": "bathrooms",
    "area_sqft": "area (sq ft)",
    "city": "city",
    "zip_code": "zip code",
    "unit": "unit",
    "state": "state",
    "lot_size": "lot size",
    "year_built": "year built",
    "property_type": "property type",
    "parking": "parking",
}
_MONEY = re.compile(r"^\$?\s*(?P<num>-?[\d,]+(?:\.\d+)?)\s*(?P<unit>k|m|million)?$", re.IGNORECASE)
_ZIP = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]{1,9}$")


def parse_money(value: str) -> int:
    """'$585,000', '585k', '1.2M' -> whole dollars; `ValueError` when it is not an amount."""
    match = _MONEY.match(value.strip())
    if match is None:
        raise ValueError(f"write the price as a number such as 585000 or $585,000, got {value!r}")
    amount = float(match["num"].replace(",", ""))
    unit = (match["unit"] or "").lower()
    if unit == "k":
        amount *= 1_000
    elif unit in {"m", "million"}:
        amount *= 1_000_000
    return round(amount)


class Parking(BaseModel):
    """Where cars go: "two-car garage" is a garage for 2; "carport" has no count."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: ParkingKind
    spaces: int | None = Field(default=None, ge=1, le=50)

    def __str__(self) -> str:
        return f"{self.spaces}-car {self.kind}" if self.spaces else self.kind


class Listing(BaseModel):
    """What the agent told us about the property; every field is optional until `make`."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", str_strip_whitespace=True, populate_by_name=True
    )

    address: str | None = Field(default=None, max_length=160)
    """The street line ("77 Birch Ln"); the unit is kept apart."""
    unit: str | None = Field(default=None, max_length=20)
    city: str | None = Field(default=None, max_length=80)
    state: str | None = Field(default=None, max_length=30)
    zip_code: str | None = Field(default=None, alias="zip", max_length=10)
    price: int | None = None
    beds: int | None = None
    baths: float | None = None
    area_sqft: int | None = None
    area_m2: float | None = Field(default=None, gt=0, le=20_000)
    """The living area as given in square metres; `area_sqft` then holds it converted."""
    lot_size: float | None = Field(default=None, gt=0, le=1_000_000)
    lot_unit: LotUnit | None = None
    year_built: int | None = Field(default=None, ge=1600, le=2100)
    property_type: PropertyType | None = None
    parking: Parking | None = None
    highlights: tuple[str, ...] = ()
    currency: str = Field(default="USD", pattern=r"^[A-Z]{3}$")

    @field_validator("address", "city", "state")
    @classmethod
    def _text(cls, value: str | None) -> str | None:
        if value is not None and not value:
            return None
        if value is not None and not re.search(r"[A-Za-z]", value):
            raise ValueError(f"needs letters, such as '12 Oak Street', got {value!r}")
        return value

    @field_validator("zip_code", mode="before")
    @classmethod
    def _zip(cls, value: Any) -> Any:
        if isinstance(value, int):
            value = f"{value:05d}"
        if isinstance(value, str):
            value = value.strip() or None
            if value is not None and not _ZIP.match(value):
                raise ValueError(f"a zip code is 3 to 10 letters or digits, got {value!r}")
        return value

    @field_validator("price", mode="before")
    @classmethod
    def _price(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = parse_money(value)
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            if value <= 0:
                raise ValueError(f"the price must be more than 0, got {value}")
            if value < MIN_PRICE:
                raise ValueError(f"a price under ${MIN_PRICE:,} looks like a typo, got ${value:,}")
            if value > MAX_PRICE:
                raise ValueError(f"a price over ${MAX_PRICE:,} looks like a typo, got ${value:,}")
        return value

    @field_validator("beds", mode="before")
    @classmethod
    def _beds(cls, value: Any) -> Any:
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, float):
            raise ValueError(f"bedrooms are a whole number, got {value:g}")
        if isinstance(value, int) and not isinstance(value, bool):
            if value < 0:
                raise ValueError(f"bedrooms cannot be negative, got {value} (use 0 for a studio)")
            if value > MAX_BEDS:
                raise ValueError(
                    f"{value} bedrooms looks like a typo; the most we accept is {MAX_BEDS}"
                )
        return value

    @field_validator("baths")
    @classmethod
    def _baths(cls, value: float | None) -> float | None:
        if value is None:
            return None
        if value <= 0:
            raise ValueError(f"bathrooms must be at least 0.5 (a half bath), got {value:g}")
        if value > MAX_BATHS:
            raise ValueError(f"{value:g} bathrooms looks like a typo; the most we accept is 50")
        if (value * 2) != int(value * 2):
            raise ValueError(f"bathrooms come in halves (2 or 2.5), got {value:g}")
        return value

    @field_validator("area_sqft", mode="before")
    @classmethod
    def _area(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = value.replace(",", "").strip()
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        if isinstance(value, int) and not isinstance(value, bool):
            if value <= 0:
                raise ValueError(f"the area must be more than 0 sq ft, got {value}")
            if not MIN_AREA_SQFT <= value <= MAX_AREA_SQFT:
                raise ValueError(
                    f"an area of {value:,} sq ft looks like a typo; "
                    f"we accept {MIN_AREA_SQFT} to {MAX_AREA_SQFT:,} sq ft"
                )
        return value

    @field_validator("highlights", mode="before")
    @classmethod
    def _highlights(cls, value: Any) -> Any:
        if isinstance(value, str):
            value = [part for part in re.split(r"[;\n]|,(?!\d)", value)]
        if isinstance(value, list | tuple):
            items = [" ".join(str(v).split()).rstrip(".!") for v in value]
            items = [item for item in items if item]
            if len(items) > MAX_HIGHLIGHTS:
                raise ValueError(f"give at most {MAX_HIGHLIGHTS} highlights, got {len(items)}")
            for item in items:
                if len(item) > MAX_HIGHLIGHT_CHARS:
                    raise ValueError(
                        f"keep each highlight under {MAX_HIGHLIGHT_CHARS} characters: "
                        f"{item[:40]!r}..."
                    )
            return tuple(items)
        return value


def missing_facts(listing: Listing, required: tuple[str, ...] = REQUIRED_FOR_MAKE) -> list[str]:
    """Names of the required fields the listing does not have yet, in `required` order."""
    return [name for name in required if getattr(listing, name) is None]


def require_facts(listing: Listing, required: tuple[str, ...] = REQUIRED_FOR_MAKE) -> Listing:
    """The listing itself, or an `InvalidInputError` naming every missing fact."""
    missing = missing_facts(listing, required)
    if missing:
        labels = ", ".join(FACT_LABELS.get(name, name) for name in missing)
        raise InvalidInputError(
            f"The listing is missing: {labels}.",
            hint="Add them (for example --price 585000 --beds 3) and try again.",
        )
    return listing


def parse_listing(data: object) -> Listing:
    """Validate raw input (a dict from JSON or CLI flags) into a `Listing`, with clear errors."""
    try:
        return Listing.model_validate(data)
    except ValidationError as exc:
        parts = []
        for err in exc.errors()[:5]:
            field = ".".join(str(p) for p in err["loc"])
            label = FACT_LABELS.get(field, field)
            msg = str(err["msg"]).removeprefix("Value error, ")
            parts.append(f"{label}: {msg}" if label else msg)
        raise InvalidInputError(
            f"The listing has a problem: {'; '.join(parts)}.",
            hint="Fix the listed facts and try again.",
        ) from exc
